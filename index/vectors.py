"""The dense index: a Chroma collection, local (PersistentClient) or on a Chroma server."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import urlparse

import chromadb
from chromadb.config import Settings as ChromaSettings

_UPSERT_BATCH = 1000


class VectorStoreError(RuntimeError):
    """The Chroma store cannot be used as asked."""


class EmbedderMismatchError(VectorStoreError):
    """The collection was built with another embedder than the one configured."""


@dataclass(frozen=True)
class VectorHit:
    chunk_id: str
    similarity: float  # cosine similarity, 1 = same direction


class ChromaServer(NamedTuple):
    """Where a Chroma server listens, as ``RAG_CHROMA_URL`` gives it."""

    host: str
    port: int
    ssl: bool


def parse_chroma_url(url: str) -> ChromaServer:
    """``http://host:port`` or ``https://host[:port]``; the port defaults to 8000 / 443.

    The one reading of the URL, for the store and for ``wipe_stores`` alike (a second copy
    once ignored https).
    """
    parsed = urlparse(url)
    problem = f"invalid Chroma URL {url!r}: expected http://host:port or https://host:port"
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise VectorStoreError(problem)
    try:
        port = parsed.port
    except ValueError as exc:  # not a number, or out of range
        raise VectorStoreError(problem) from exc
    ssl = parsed.scheme == "https"
    return ChromaServer(parsed.hostname, port or (443 if ssl else 8000), ssl)


def chroma_http_client(url: str) -> Any:
    """A client of the Chroma server at ``url`` (no telemetry)."""
    server = parse_chroma_url(url)
    return chromadb.HttpClient(
        host=server.host,
        port=server.port,
        ssl=server.ssl,
        settings=ChromaSettings(anonymized_telemetry=False),
    )


def drop_collection(url: str, collection_name: str) -> None:
    """Delete a collection on the Chroma server at ``url``; an absent one is fine."""
    client = chroma_http_client(url)
    with contextlib.suppress(Exception):
        client.delete_collection(collection_name)


class VectorStore:
    """One Chroma collection of chunk vectors, tagged with the embedder that made them.

    ``rebuild_hint`` is what to tell the user when a local store does not open: the data
    dir that holds it knows how to rebuild it (``Stores`` passes its command).
    """

    def __init__(
        self,
        collection_name: str,
        embedder_id: str,
        dim: int,
        *,
        path: Path | None = None,
        url: str | None = None,
        rebuild_hint: str | None = None,
    ) -> None:
        self.embedder_id = embedder_id
        self.dim = dim
        self.location = url or str(path)
        self._collection_name = collection_name
        self._path, self._url = path, url
        self._rebuild_hint = rebuild_hint
        self._lock = threading.Lock()
        self._open()
        stored = self._collection.metadata or {}
        if stored.get("embedder") != embedder_id or int(stored.get("dim", -1)) != dim:
            raise EmbedderMismatchError(
                f"the collection {collection_name!r} at {self.location} holds vectors of "
                f"{stored.get('embedder')} (dim {stored.get('dim')}), but the configured embedder "
                f"is {embedder_id} (dim {dim}). Use the same embedder, or rebuild with "
                "`rag ingest --rebuild` (or another RAG_DATA_DIR / RAG_COLLECTION)."
            )

    def _open(self) -> None:
        path, url, collection_name = self._path, self._url, self._collection_name
        embedder_id, dim = self.embedder_id, self.dim
        try:
            if url:
                self._client: Any = chroma_http_client(url)
            else:
                if path is None:
                    raise VectorStoreError("a Chroma path or URL is required")
                self._client = chromadb.PersistentClient(
                    path=str(path), settings=ChromaSettings(anonymized_telemetry=False)
                )
            self._collection = self._client.get_or_create_collection(
                collection_name,
                metadata={"embedder": embedder_id, "dim": dim},
                configuration={"hnsw": {"space": "cosine"}},
                embedding_function=None,
            )
        except VectorStoreError:
            raise
        except Exception as exc:
            # A local store that does not open is damaged (a server may just be down): say
            # how to rebuild it, as the other stores of a data dir do.
            hint = f"; {self._rebuild_hint}" if self._rebuild_hint and not url else ""
            raise VectorStoreError(f"cannot open Chroma at {self.location}: {exc}{hint}") from exc

    def reopen(self) -> None:
        """Search what another process wrote since this local store was opened.

        A local Chroma client keeps its HNSW index in memory and does not reload it when
        another process (``rag ingest`` next to a running server) adds vectors: it counts
        them but does not find them. Closing the client and opening the folder again loads
        the current index. Queries hold the same lock, so none runs on the closed client.
        A Chroma server needs none of this: every client sees its writes.
        """
        if self._url is not None:
            return
        with self._lock:
            self._client.close()
            self._open()

    def count(self) -> int:
        with self._lock:
            return int(self._collection.count())

    def ids(self) -> set[str]:
        found: set[str] = set()
        offset = 0
        while True:
            page = self._collection.get(include=[], limit=10_000, offset=offset)["ids"]
            found.update(page)
            if len(page) < 10_000:
                return found
            offset += len(page)

    def upsert(
        self,
        ids: Sequence[str],
        embeddings: Sequence[Sequence[float]],
        documents: Sequence[str],
        metadatas: Sequence[dict[str, Any]],
    ) -> None:
        for i in range(0, len(ids), _UPSERT_BATCH):
            j = i + _UPSERT_BATCH
            with self._lock:
                self._collection.upsert(
                    ids=list(ids[i:j]),
                    embeddings=[list(map(float, e)) for e in embeddings[i:j]],
                    documents=list(documents[i:j]),
                    metadatas=[_clean(m) for m in metadatas[i:j]],
                )

    def delete(self, ids: Sequence[str]) -> None:
        for i in range(0, len(ids), _UPSERT_BATCH):
            with self._lock:
                self._collection.delete(ids=list(ids[i : i + _UPSERT_BATCH]))

    def query(
        self, embedding: Sequence[float], k: int, where: dict[str, Any] | None = None
    ) -> list[VectorHit]:
        if k <= 0:
            raise ValueError(f"k must be positive, got {k}")
        with self._lock:
            result = self._collection.query(
                query_embeddings=[list(map(float, embedding))],
                n_results=k,
                where=where or None,
                include=["distances"],
            )
        ids = result["ids"][0] if result["ids"] else []
        distances = (result.get("distances") or [[]])[0]
        return [VectorHit(cid, 1.0 - float(d)) for cid, d in zip(ids, distances, strict=True)]


def _clean(metadata: dict[str, Any]) -> dict[str, Any]:
    """Chroma metadata takes no None values."""
    return {k: v for k, v in metadata.items() if v is not None}
