"""Cached passage embeddings for the benchmark corpora, in resumable numpy shards.

    .venv/bin/python -m benchmarks.embed_cache --size 100000            # fill; resumes
    .venv/bin/python -m benchmarks.embed_cache --size 100000 --status   # N of M cached
    .venv/bin/python -m benchmarks.embed_cache --size 10000 --naive     # the naive baseline's

The embedder does ~14 chunks/s on this machine, so the 100k corpus costs about two hours of
both cores. Its vectors are computed once, here, and read back by ``benchmarks.run``
through :class:`CachingEmbedding`, so the stores of a large corpus can be built in minutes
(the report says which sizes used cached embeddings; ingest throughput is measured on
uncached text).

Layout: ``<root>/<embedder slug>/`` holds ``meta.json`` (embedder id, dimension) and shards
``*.npz``, each with ``keys`` (n x 32 bytes: sha256 of the exact text given to the embedder)
and ``vectors`` (n x dim float32, as the embedder returned them). A shard is written under
a temporary name and renamed, so a killed fill loses at most one unwritten batch, and
several processes may add shards at once (a fill and a benchmark run writing through).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import signal
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from benchmarks.corpus import DEFAULT_ROOT, DEFAULT_SEED, CorpusFiles, ensure_corpus

ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = ROOT / ".rag"
DEFAULT_CACHE = DATA_DIR / "bench-cache"
SHARD_SIZE = 256  # vectors per shard: ~20 s of embedding, the most a killed fill loses

Vector = list[float]


def claim_project_data_dir(*paths: Path) -> None:
    """Before writing benchmark files inside the project's data dir (``.rag``), mark it as a
    data dir, so that ``rag`` does not later refuse it as a foreign folder."""
    data_dir = DATA_DIR.resolve()
    for path in paths:
        resolved = path.resolve()
        if resolved == data_dir or data_dir in resolved.parents:
            from index.stores import claim_data_dir

            claim_data_dir(data_dir)
            return


def text_key(text: str) -> bytes:
    """The cache key of a text: sha256 of its UTF-8 bytes (the embedder id is the folder)."""
    return hashlib.sha256(text.encode("utf-8")).digest()


def embedder_slug(embedder_id: str) -> str:
    readable = re.sub(r"[^A-Za-z0-9.]+", "-", embedder_id).strip("-")[:60]
    return f"{readable}-{hashlib.sha256(embedder_id.encode()).hexdigest()[:8]}"


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

    def count_present(self, keys: Iterable[bytes]) -> int:
        return sum(1 for key in keys if key in self)

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


# --- What each corpus needs embedded ---------------------------------------------------------


def naive_node_texts(articles_dir: Path) -> list[str]:
    """The texts the ``naive`` baseline (evals/baselines.py) embeds for this folder.

    Its nodes come from ``SimpleDirectoryReader`` + the default ``SentenceSplitter``, and
    llama-index embeds ``node.get_content(metadata_mode=EMBED)``, which includes the file
    path: a corpus must stay where it is for these keys to match.
    """
    from llama_index.core import SimpleDirectoryReader
    from llama_index.core.node_parser import SentenceSplitter
    from llama_index.core.schema import MetadataMode

    documents = SimpleDirectoryReader(input_dir=str(articles_dir)).load_data()
    nodes = SentenceSplitter().get_nodes_from_documents(documents)
    return [n.get_content(metadata_mode=MetadataMode.EMBED) for n in nodes]


@dataclass(frozen=True)
class Coverage:
    present: int
    total: int

    @property
    def complete(self) -> bool:
        return self.present >= self.total

    def __str__(self) -> str:
        return f"{self.present} of {self.total} embeddings cached"


def coverage(cache: EmbeddingCache, texts: Sequence[str]) -> Coverage:
    keys = {text_key(t) for t in texts}
    return Coverage(cache.count_present(keys), len(keys))


def fill(
    cache: EmbeddingCache,
    texts: Sequence[str],
    embedder: Any,
    batch: int = 64,
    progress: Callable[[str], None] = print,
    every: float = 60.0,
) -> int:
    """Embed the texts not yet cached, last first, flushing shards as it goes; returns how many.

    Last first: a benchmark run embeds a corpus from its start (and writes through), so a
    background fill working backwards meets it instead of repeating its work. Shards written
    meanwhile by other processes are picked up between batches.
    """
    keyed = list(dict.fromkeys((text_key(t), t) for t in reversed(texts)))
    todo = [(k, t) for k, t in keyed if k not in cache]
    total, done = len(todo), 0
    started = last = time.perf_counter()
    progress(f"{len(keyed) - total} of {len(keyed)} cached; embedding {total}")
    position = 0
    while position < len(todo):
        if cache.refresh():
            todo = todo[:position] + [(k, t) for k, t in todo[position:] if k not in cache]
        group = todo[position : position + batch]
        position += len(group)
        if not group:
            break
        vectors = embedder.get_text_embedding_batch([t for _, t in group])
        for (key, _), vector in zip(group, vectors, strict=True):
            cache.put(key, vector)
        done += len(group)
        now = time.perf_counter()
        if now - last >= every or position >= len(todo):
            last = now
            rate = done / (now - started)
            left = len(todo) - position
            eta = left / rate if rate else float("inf")
            progress(
                f"{len(cache)} cached; {done} embedded this run at {rate:.1f}/s; "
                f"{left} left (~{eta / 60:.0f} min)"
            )
    cache.flush()
    return done


def corpus_texts(files: CorpusFiles, naive: bool) -> list[str]:
    if not naive:
        return files.chunk_texts()
    from benchmarks.run import naive_view

    return naive_node_texts(naive_view(files))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, required=True, help="corpus size in chunks")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--corpus-root", type=Path, default=DEFAULT_ROOT)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument(
        "--naive",
        action="store_true",
        help="the naive baseline's node texts (as benchmarks.run shows it the corpus)",
    )
    parser.add_argument("--status", action="store_true", help="only say how many are cached")
    parser.add_argument("--batch", type=int, default=64)
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    from index.settings import IndexSettings

    settings = IndexSettings()
    claim_project_data_dir(args.cache, args.corpus_root)
    files = ensure_corpus(args.size, args.seed, args.corpus_root, progress=print)
    texts = corpus_texts(files, args.naive)
    cache = EmbeddingCache(args.cache, settings.embedder_id)
    what = "naive node" if args.naive else "chunk"
    print(f"size {args.size}: {coverage(cache, texts)} ({what} texts, {files.root})", flush=True)
    if args.status:
        return 0

    def stop(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop)
    from index.embedders import make_embedder

    try:
        fill(cache, texts, make_embedder(settings), args.batch, lambda m: print(m, flush=True))
    finally:
        cache.flush()  # keep what was embedded when interrupted
    print(f"size {args.size}: {coverage(cache, texts)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
