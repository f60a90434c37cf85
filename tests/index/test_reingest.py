"""Re-ingesting an unchanged corpus (a read and a hash per file), and batched vector writes."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest

import index.ingest as ingest_module
from index.ingest import ingest
from index.loaders import LEGACY_ENCODING_WARNING
from index.settings import IndexSettings
from index.stores import Stores

ARTICLE = """Banjir Besar Melanda Kota {kota}

Budi Santoso | Senin, 03/01/2022 10:00 WIB

SEMARANG - Hujan deras sejak Minggu malam merendam ribuan rumah warga di {kota}.

Petugas BPBD mengevakuasi {n} warga ke tempat pengungsian di balai kota.
"""


class FakeEmbedder:
    """A stand-in embedder (no model): a vector derived from each text."""

    embedder_id = "fake-reingest:v1"
    dim = 8

    def get_text_embedding_batch(self, texts: list[str], **kwargs: Any) -> list[list[float]]:
        return [[b / 255 for b in hashlib.sha256(t.encode()).digest()[:8]] for t in texts]


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "berita"
    folder.mkdir()
    for i, kota in enumerate(("Semarang", "Bandung", "Medan")):
        text = ARTICLE.format(kota=kota, n=1000 + i)
        (folder / f"{kota.lower()}.txt").write_text(text, encoding="utf-8")
    latin1 = ARTICLE.format(kota="Malang", n=7).replace("Budi Santoso", "André Wijaya")
    (folder / "malang.txt").write_bytes(latin1.encode("latin-1"))
    return folder


@pytest.fixture()
def stores(tmp_path: Path) -> Any:
    opened = Stores.open(
        IndexSettings(data_dir=tmp_path / "data", chroma_url=None),
        embedder=FakeEmbedder(),  # type: ignore[arg-type]
    )
    yield opened
    opened.close()


def counting_load_file(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    loaded: list[str] = []
    real = ingest_module.load_file

    def load_file(path: Path) -> Any:
        loaded.append(path.name)
        return real(path)

    monkeypatch.setattr(ingest_module, "load_file", load_file)
    return loaded


def test_unchanged_utf8_files_are_not_decoded_again(
    corpus: Path, stores: Stores, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = ingest(stores, [corpus])
    assert sorted(first.added) == ["bandung", "malang", "medan", "semarang"]
    loaded = counting_load_file(monkeypatch)

    again = ingest(stores, [corpus])

    assert sorted(again.unchanged) == ["bandung", "malang", "medan", "semarang"]
    assert (again.added, again.updated, again.removed, again.embedded_chunks) == ((), (), (), 0)
    assert loaded == ["malang.txt"]  # only the latin-1 file, so that its warning is kept
    assert again.warnings == (f"{corpus.resolve() / 'malang.txt'}: {LEGACY_ENCODING_WARNING}",)


def test_a_changed_or_moved_file_still_goes_through_the_loader(
    corpus: Path, stores: Stores, monkeypatch: pytest.MonkeyPatch
) -> None:
    ingest(stores, [corpus])
    (corpus / "medan.txt").write_text(ARTICLE.format(kota="Medan", n=4321), encoding="utf-8")
    moved = corpus / "arsip"
    moved.mkdir()
    (corpus / "bandung.txt").rename(moved / "bandung.txt")
    loaded = counting_load_file(monkeypatch)

    report = ingest(stores, [corpus])

    assert report.updated == ("medan",)
    assert sorted(report.unchanged) == ["bandung", "malang", "semarang"]
    assert sorted(loaded) == ["bandung.txt", "malang.txt", "medan.txt"]
    record = stores.docstore.document("bandung")
    assert record is not None and record.path == str((moved / "bandung.txt").resolve())
    assert "4321" in (stores.docstore.document("medan") or record).raw


def test_new_vectors_go_to_chroma_in_one_call_per_group(
    corpus: Path, stores: Stores, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Chroma upsert costs a disk write whatever its size: one per embedding group."""
    from index.vectors import VectorStore

    calls: list[list[str]] = []
    real = VectorStore.upsert

    def upsert(self: VectorStore, ids: Any, *args: Any, **kwargs: Any) -> None:
        calls.append(list(ids))
        real(self, ids, *args, **kwargs)

    monkeypatch.setattr(VectorStore, "upsert", upsert)
    report = ingest(stores, [corpus])

    assert len(report.added) == 4
    assert len(calls) == 1  # 4 short articles: one embedding group
    assert sorted(calls[0]) == sorted(stores.docstore.chunk_ids())
