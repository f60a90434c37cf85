"""Opening the three stores of a data dir together: documents, vectors, BM25."""

from __future__ import annotations

import contextlib
import shutil
from dataclasses import dataclass
from pathlib import Path

from index.docstore import DocStore, DocStoreError
from index.embedders import Embedder, make_embedder
from index.lexical import LexicalIndex
from index.settings import IndexSettings
from index.vectors import VectorStore

MARKER = "RAG_DATA_DIR"
_MARKER_TEXT = "kabar-rag data dir, format 1\n"
REBUILD_HINT = "rebuild it with `rag ingest --rebuild seeds/` (or point RAG_DATA_DIR elsewhere)"


class DataDirError(RuntimeError):
    """The data dir is not ours, or is damaged."""


@dataclass
class Stores:
    settings: IndexSettings
    embedder: Embedder
    docstore: DocStore
    vectors: VectorStore
    lexical: LexicalIndex

    @property
    def data_dir(self) -> Path:
        return self.settings.data_dir

    @classmethod
    def open(cls, settings: IndexSettings, embedder: Embedder | None = None) -> Stores:
        """Open (creating if needed) the stores under ``settings.data_dir``."""
        data_dir = settings.data_dir
        check_data_dir(data_dir)
        data_dir.mkdir(parents=True, exist_ok=True)
        (data_dir / MARKER).write_text(_MARKER_TEXT)
        embedder = embedder or make_embedder(settings)
        try:
            docstore = DocStore(data_dir / "docstore.sqlite")
        except DocStoreError as exc:
            raise DataDirError(f"{exc}; {REBUILD_HINT}") from exc
        recorded = docstore.get_meta("embedder")
        if recorded is None:
            docstore.set_meta("embedder", embedder.embedder_id)
        elif recorded != embedder.embedder_id:
            docstore.close()
            raise DataDirError(
                f"{data_dir} was built with the embedder {recorded}, but the configured embedder "
                f"is {embedder.embedder_id}; use the same embedder, or {REBUILD_HINT}"
            )
        vectors = VectorStore(
            settings.collection,
            embedder.embedder_id,
            embedder.dim,
            path=None if settings.chroma_url else data_dir / "chroma",
            url=settings.chroma_url,
        )
        try:
            lexical = LexicalIndex(data_dir / "bm25")
        except (OSError, ValueError) as exc:
            raise DataDirError(
                f"the BM25 index in {data_dir} is damaged ({exc}); {REBUILD_HINT}"
            ) from exc
        return cls(settings, embedder, docstore, vectors, lexical)

    def close(self) -> None:
        self.docstore.close()


def check_data_dir(data_dir: Path) -> None:
    """Refuse a folder that exists with content but is not one of our data dirs."""
    if data_dir.exists() and not data_dir.is_dir():
        raise DataDirError(f"the data dir {data_dir} is a file, not a folder")
    if data_dir.is_dir() and any(data_dir.iterdir()) and not (data_dir / MARKER).exists():
        raise DataDirError(
            f"{data_dir} is not empty and is not a data dir of this program (no {MARKER} file); "
            "choose another RAG_DATA_DIR / --data-dir, or empty that folder"
        )


def wipe_stores(settings: IndexSettings) -> None:
    """Delete the derived stores and the document store (downloaded/assembled models stay)."""
    data_dir = settings.data_dir
    check_data_dir(data_dir)
    for name in ("docstore.sqlite", "docstore.sqlite-wal", "docstore.sqlite-shm"):
        (data_dir / name).unlink(missing_ok=True)
    for name in ("chroma", "bm25"):
        shutil.rmtree(data_dir / name, ignore_errors=True)
    if settings.chroma_url:
        from urllib.parse import urlparse

        import chromadb
        from chromadb.config import Settings as ChromaSettings

        parsed = urlparse(settings.chroma_url)
        client = chromadb.HttpClient(
            host=parsed.hostname or "127.0.0.1",
            port=parsed.port or 8000,
            settings=ChromaSettings(anonymized_telemetry=False),
        )
        with contextlib.suppress(Exception):  # an absent collection is fine
            client.delete_collection(settings.collection)
