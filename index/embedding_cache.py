"""Passage vectors by content, kept on disk in resumable numpy shards.

The embedder is the slow part of an ingest (~14 chunks/s on two cores): a text embedded once
by an embedder need not be embedded again by it, wherever the text comes from. The cache is
content-addressed (the key is the sha256 of the exact text handed to the embedder) and
belongs to one embedder (its id names the folder and is checked against ``meta.json``).
``CachingEmbedding`` puts it in front of a real embedder, so the stores take it as one.

Layout: ``<root>/<embedder slug>/`` holds ``meta.json`` (embedder id, dimension) and shards
``*.npz``, each with ``keys`` (n x 32 bytes) and ``vectors`` (n x dim float32, as the
embedder returned them). A shard is written under a temporary name and renamed, so a killed
writer loses at most one unwritten shard, and several processes may add shards at once.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

SHARD_SIZE = 256  # vectors per shard: ~20 s of embedding, the most a killed writer loses

Vector = list[float]


def text_key(text: str) -> bytes:
    """The cache key of a text: sha256 of its UTF-8 bytes (the embedder id is the folder)."""
    return hashlib.sha256(text.encode("utf-8")).digest()


def embedder_slug(embedder_id: str) -> str:
    readable = re.sub(r"[^A-Za-z0-9.]+", "-", embedder_id).strip("-")[:60]
    return f"{readable}-{hashlib.sha256(embedder_id.encode()).hexdigest()[:8]}"


@dataclass(frozen=True)
class Coverage:
    """How many of a set of texts have a cached vector."""

    present: int
    total: int

    @property
    def complete(self) -> bool:
        return self.present >= self.total

    def __str__(self) -> str:
        return f"{self.present} of {self.total} embeddings cached"


class EmbeddingCache:
    """Vectors by text key for one embedder, loaded from (and appended to) shard files."""

    def __init__(self, root: Path, embedder_id: str, shard_size: int = SHARD_SIZE) -> None:
        if shard_size <= 0:
            raise ValueError(f"shard_size must be positive, got {shard_size}")
        self.embedder_id = embedder_id
        self.folder = root / embedder_slug(embedder_id)
        self.shard_size = shard_size
        self.dim: int | None = None
        self._index: dict[bytes, tuple[int, int]] = {}
        self._blocks: list[np.ndarray] = []
        self._loaded: set[str] = set()
        self._pending_keys: list[bytes] = []
        self._pending: list[np.ndarray] = []
        self._written = 0
        meta = self.folder / "meta.json"
        if meta.exists():
            recorded = json.loads(meta.read_text())
            if recorded.get("embedder_id") != embedder_id:
                raise ValueError(
                    f"{self.folder} holds vectors of {recorded.get('embedder_id')}, "
                    f"not {embedder_id}"
                )
            self.dim = int(recorded["dim"])
        self.refresh()

    def __len__(self) -> int:
        return len(self._index) + len(self._pending_keys)

    def __contains__(self, key: bytes) -> bool:
        return key in self._index or key in self._pending_keys

    def refresh(self) -> int:
        """Load shards written since the last look (by this or another process)."""
        if not self.folder.is_dir():
            return 0
        added = 0
        for path in sorted(self.folder.glob("*.npz")):
            if path.name in self._loaded:
                continue
            with np.load(path) as shard:
                keys, vectors = shard["keys"], shard["vectors"]
            block = len(self._blocks)
            self._blocks.append(np.asarray(vectors, dtype=np.float32))
            for row, key in enumerate(keys):
                if bytes(key) not in self._index:
                    self._index[bytes(key)] = (block, row)
                    added += 1
            self._loaded.add(path.name)
        return added

    def get(self, key: bytes) -> np.ndarray | None:
        found = self._index.get(key)
        if found is not None:
            return self._blocks[found[0]][found[1]]
        if key in self._pending_keys:
            return self._pending[self._pending_keys.index(key)]
        return None

    def coverage(self, texts: Sequence[str]) -> Coverage:
        keys = {text_key(t) for t in texts}
        return Coverage(sum(1 for key in keys if key in self), len(keys))

    def put(self, key: bytes, vector: Sequence[float]) -> None:
        if key in self:
            return
        array = np.asarray(vector, dtype=np.float32)
        if self.dim is None:
            self.dim = int(array.shape[0])
        elif array.shape != (self.dim,):
            raise ValueError(f"vector of shape {array.shape}, the cache holds dimension {self.dim}")
        self._pending_keys.append(key)
        self._pending.append(array)
        if len(self._pending_keys) >= self.shard_size:
            self.flush()

    def flush(self) -> None:
        """Write the pending vectors as one shard (atomically)."""
        if not self._pending_keys:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        meta = self.folder / "meta.json"
        if not meta.exists():
            tmp_meta = self.folder / f".meta.{os.getpid()}.tmp"
            tmp_meta.write_text(json.dumps({"embedder_id": self.embedder_id, "dim": self.dim}))
            os.replace(tmp_meta, meta)
        name = f"{time.time_ns()}-{os.getpid()}-{self._written}.npz"
        keys = np.frombuffer(b"".join(self._pending_keys), dtype=np.uint8).reshape(-1, 32)
        vectors = np.stack(self._pending).astype(np.float32)
        tmp = self.folder / f".{name}.tmp"
        with tmp.open("wb") as handle:
            np.savez(handle, keys=keys, vectors=vectors)
        os.replace(tmp, self.folder / name)
        block = len(self._blocks)
        self._blocks.append(vectors)
        for row, key in enumerate(self._pending_keys):
            self._index.setdefault(key, (block, row))
        self._loaded.add(name)
        self._written += 1
        self._pending_keys, self._pending = [], []


class CachingEmbedding(BaseEmbedding):
    """A llama-index embedder that answers passages from an :class:`EmbeddingCache`.

    It wraps the real embedder (same ``embedder_id`` and ``dim``, so the stores accept it):
    with ``read`` it returns cached vectors and embeds only the misses; with ``write`` it
    stores what it computed. Queries always go to the real embedder. ``embed_seconds`` is the
    wall time spent in the real embedder, ``hits``/``misses`` count passages.
    """

    _inner: Any = PrivateAttr()
    _cache: EmbeddingCache = PrivateAttr()
    _read: bool = PrivateAttr(default=True)
    _write: bool = PrivateAttr(default=True)
    _hits: int = PrivateAttr(default=0)
    _misses: int = PrivateAttr(default=0)
    _embed_seconds: float = PrivateAttr(default=0.0)

    def __init__(
        self, inner: Any, cache: EmbeddingCache, *, read: bool = True, write: bool = True
    ) -> None:
        super().__init__(model_name=inner.model_name, embed_batch_size=inner.embed_batch_size)
        if cache.embedder_id != inner.embedder_id:
            raise ValueError(f"cache of {cache.embedder_id} for embedder {inner.embedder_id}")
        self._inner = inner
        self._cache = cache
        self._read = read
        self._write = write

    @classmethod
    def class_name(cls) -> str:
        return "CachingEmbedding"

    @property
    def embedder_id(self) -> str:
        return str(self._inner.embedder_id)

    @property
    def dim(self) -> int:
        return int(self._inner.dim)

    @property
    def inner(self) -> Any:
        """The real embedder."""
        return self._inner

    @property
    def cache(self) -> EmbeddingCache:
        return self._cache

    @property
    def hits(self) -> int:
        return self._hits

    @property
    def misses(self) -> int:
        return self._misses

    @property
    def embed_seconds(self) -> float:
        return self._embed_seconds

    def _get_query_embedding(self, query: str) -> Vector:
        return list(self._inner.get_query_embedding(query))

    def _get_text_embedding(self, text: str) -> Vector:
        return self._get_text_embeddings([text])[0]

    def _get_text_embeddings(self, texts: list[str]) -> list[Vector]:
        keys = [text_key(t) for t in texts]
        found: list[Vector | None] = [None] * len(texts)
        if self._read:
            for i, key in enumerate(keys):
                vector = self._cache.get(key)
                if vector is not None:
                    found[i] = vector.tolist()
        todo = [i for i, v in enumerate(found) if v is None]
        self._hits += len(texts) - len(todo)
        self._misses += len(todo)
        if todo:
            started = time.perf_counter()
            computed = self._inner.get_text_embedding_batch([texts[i] for i in todo])
            self._embed_seconds += time.perf_counter() - started
            for i, vector in zip(todo, computed, strict=True):
                found[i] = list(vector)
                if self._write:
                    self._cache.put(keys[i], vector)
        return [v for v in found if v is not None]

    async def _aget_query_embedding(self, query: str) -> Vector:
        return self._get_query_embedding(query)

    async def _aget_text_embedding(self, text: str) -> Vector:
        return self._get_text_embedding(text)
