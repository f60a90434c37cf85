"""Opening the three stores of a data dir together: documents, vectors, BM25."""

from __future__ import annotations

import shutil
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from index.docstore import DocStore, DocStoreError
from index.lexical import LexicalIndex
from index.settings import IndexSettings

if TYPE_CHECKING:
    from index.embedders import Embedder
    from index.vectors import VectorStore

MARKER = "RAG_DATA_DIR"
_MARKER_TEXT = "kabar-rag data dir, format 1\n"
REBUILD_HINT = "rebuild it with `rag ingest --rebuild seeds/` (or point RAG_DATA_DIR elsewhere)"


class DataDirError(RuntimeError):
    """The data dir is not ours, or is damaged."""


class Stores:
    """The document store, the Chroma collection and the BM25 index of one data dir.

    The embedder and the Chroma client are opened on first use: checking an unchanged
    corpus touches neither (and skips importing them).
    """

    def __init__(
        self,
        settings: IndexSettings,
        docstore: DocStore,
        lexical: LexicalIndex,
        embedder: Embedder | None = None,
    ) -> None:
        self.settings = settings
        self.docstore = docstore
        self.lexical = lexical
        # BM25 builds published through these stores: the Chroma client here made their
        # vectors, so it already searches them. A newer build from elsewhere was written by
        # another process, whose vectors a local Chroma client sees only once reopened.
        self.published_here: set[str] = set()
        if embedder is not None:
            self.__dict__["embedder"] = embedder

    @property
    def data_dir(self) -> Path:
        return self.settings.data_dir

    @cached_property
    def embedder(self) -> Embedder:
        from index.embedders import make_embedder

        embedder = make_embedder(self.settings)
        if embedder.embedder_id != self.settings.embedder_id:  # pragma: no cover - a bug
            raise DataDirError(f"embedder {embedder.embedder_id} != {self.settings.embedder_id}")
        return embedder

    @cached_property
    def vectors(self) -> VectorStore:
        from index.vectors import VectorStore

        settings = self.settings
        return VectorStore(
            settings.collection,
            self.embedder.embedder_id,
            self.embedder.dim,
            path=None if settings.chroma_url else settings.data_dir / "chroma",
            url=settings.chroma_url,
            rebuild_hint=REBUILD_HINT,
        )

    def reload_vectors(self) -> None:
        """Let an open local Chroma client search the vectors another process wrote."""
        if "vectors" in self.__dict__:  # opened (a cached_property): else it opens fresh
            self.vectors.reopen()

    @classmethod
    def open(cls, settings: IndexSettings, embedder: Embedder | None = None) -> Stores:
        """Open (creating if needed) the stores under ``settings.data_dir``."""
        data_dir = settings.data_dir
        claim_data_dir(data_dir)
        embedder_id = embedder.embedder_id if embedder is not None else settings.embedder_id
        try:
            docstore = DocStore(data_dir / "docstore.sqlite")
        except DocStoreError as exc:
            raise DataDirError(f"{exc}; {REBUILD_HINT}") from exc
        recorded = docstore.get_meta("embedder")
        if recorded is None:
            docstore.set_meta("embedder", embedder_id)
        elif recorded != embedder_id:
            docstore.close()
            raise DataDirError(
                f"{data_dir} was built with the embedder {recorded}, but the configured embedder "
                f"is {embedder_id}; use the same embedder, or {REBUILD_HINT}"
            )
        try:
            lexical = LexicalIndex(data_dir / "bm25")
        # EOFError: numpy's answer to an emptied .npy file of the build (a full disk, a copy
        # cut short), which otherwise escaped as a traceback without the rebuild hint.
        except (OSError, ValueError, EOFError) as exc:
            docstore.close()
            raise DataDirError(
                f"the BM25 index in {data_dir} is damaged ({exc}); {REBUILD_HINT}"
            ) from exc
        return cls(settings, docstore, lexical, embedder)

    def close(self) -> None:
        self.docstore.close()


def check_data_dir(data_dir: Path) -> None:
    """Refuse a folder that exists with content but is not one of our data dirs."""
    if data_dir.exists() and not data_dir.is_dir():
        raise DataDirError(f"the data dir {data_dir} is a file, not a folder")
    # An assembled model folder alone (written before any index) does not make it foreign.
    contents = [p for p in data_dir.iterdir() if p.name != "models"] if data_dir.is_dir() else []
    if contents and not (data_dir / MARKER).exists():
        raise DataDirError(
            f"{data_dir} is not empty and is not a data dir of this program (no {MARKER} file); "
            "choose another RAG_DATA_DIR / --data-dir, or empty that folder"
        )


def claim_data_dir(data_dir: Path) -> None:
    """Create ``data_dir`` if needed and mark it as ours (refusing a foreign folder).

    Tools that keep files beside the stores (the benchmark cache) claim the folder first, so
    a later ``Stores.open`` does not take it for someone else's.
    """
    check_data_dir(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / MARKER).write_text(_MARKER_TEXT)


def wipe_stores(settings: IndexSettings) -> None:
    """Delete the derived stores and the document store (assembled models stay).

    A Chroma server's collection goes first: a bad URL or a server that is down stops the
    wipe before any local file is gone.
    """
    data_dir = settings.data_dir
    check_data_dir(data_dir)
    if settings.chroma_url:
        from index.vectors import drop_collection

        drop_collection(settings.chroma_url, settings.collection)
    for name in ("docstore.sqlite", "docstore.sqlite-wal", "docstore.sqlite-shm", "ingest.dirty"):
        (data_dir / name).unlink(missing_ok=True)
    for name in ("chroma", "bm25"):
        shutil.rmtree(data_dir / name, ignore_errors=True)
    if not settings.chroma_url:
        from chromadb.api.shared_system_client import SharedSystemClient

        SharedSystemClient.clear_system_cache()  # its clients still point at the deleted files
