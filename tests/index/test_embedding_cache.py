"""index.embedding_cache: vectors by text, for one embedder, in shards that survive a kill."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from index.embedding_cache import CachingEmbedding, EmbeddingCache, text_key


class RecordingEmbedder:
    """A stand-in embedder: remembers the passages, returns a vector derived from each text."""

    embedder_id = "recording:v1"
    dim = 8
    model_name = "recording"
    embed_batch_size = 4

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.queries: list[str] = []

    def get_text_embedding_batch(self, texts: list[str], **kwargs: Any) -> list[list[float]]:
        self.texts.extend(texts)
        return [self.vector(t) for t in texts]

    def get_query_embedding(self, query: str) -> list[float]:
        self.queries.append(query)
        return self.vector(query)

    def vector(self, text: str) -> list[float]:
        digest = hashlib.sha256(text.encode()).digest()
        return [b / 255 for b in digest[: self.dim]]


def test_caching_embedder_reads_writes_and_resumes(tmp_path: Path) -> None:
    inner = RecordingEmbedder()
    cache = EmbeddingCache(tmp_path, inner.embedder_id, shard_size=3)
    caching = CachingEmbedding(inner, cache)
    texts = [f"teks {i}" for i in range(7)]
    first = caching.get_text_embedding_batch(texts)
    assert first == [inner.vector(t) for t in texts]  # float32 round trip of these values
    assert (caching.hits, caching.misses) == (0, 7)
    cache.flush()
    assert len(list(cache.folder.glob("*.npz"))) == 3  # 3 + 3 + 1: shards as they filled

    again = CachingEmbedding(inner, EmbeddingCache(tmp_path, inner.embedder_id))
    inner.texts.clear()
    assert again.get_text_embedding_batch([*texts, "baru"]) == [
        pytest.approx(inner.vector(t)) for t in [*texts, "baru"]
    ]
    assert inner.texts == ["baru"]  # only the miss reached the real embedder
    assert (again.hits, again.misses) == (7, 1)
    assert again.get_query_embedding("apa?") == inner.vector("apa?")  # queries: never cached

    blind = CachingEmbedding(inner, EmbeddingCache(tmp_path, inner.embedder_id), read=False)
    inner.texts.clear()
    blind.get_text_embedding_batch(texts[:2])
    assert inner.texts == texts[:2]  # read=False: measured ingest embeds for real


def test_a_cache_of_another_embedder_is_refused(tmp_path: Path) -> None:
    cache = EmbeddingCache(tmp_path, "recording:v1")
    folder = cache.folder
    cache.put(text_key("x"), [0.0] * 8)
    cache.flush()
    meta = json.loads((folder / "meta.json").read_text())
    (folder / "meta.json").write_text(json.dumps({**meta, "embedder_id": "other"}))
    with pytest.raises(ValueError, match="holds vectors of other"):
        EmbeddingCache(tmp_path, "recording:v1")
