"""Retriever.embed_query's cache (the search itself is tested through the Assistant)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace
from typing import Any

from rag.retrieval import Retriever
from rag.settings import Settings


class _QueryEmbedder:
    def __init__(self) -> None:
        self.asked: list[str] = []
        self._lock = threading.Lock()

    def get_query_embedding(self, query: str) -> list[float]:
        with self._lock:
            self.asked.append(query)
        return [float(len(query)), 1.0]


def _retriever() -> tuple[Retriever, _QueryEmbedder]:
    embedder = _QueryEmbedder()
    stores: Any = SimpleNamespace(embedder=embedder)
    return Retriever(stores, Settings()), embedder


def test_embed_query_keeps_the_last_1024_queries() -> None:
    retriever, embedder = _retriever()

    first = retriever.embed_query("siapa presiden?")
    assert first.tolist() == [15.0, 1.0]
    assert retriever.embed_query("siapa presiden?") is first
    assert embedder.asked == ["siapa presiden?"]

    for i in range(1023):
        retriever.embed_query(f"q{i}")
    retriever.embed_query("siapa presiden?")  # used again: now the most recent
    retriever.embed_query("one more")  # over 1,024: the least recently used ("q0") goes
    embedder.asked.clear()
    retriever.embed_query("siapa presiden?")
    retriever.embed_query("q1")
    assert embedder.asked == []
    retriever.embed_query("q0")
    assert embedder.asked == ["q0"]


def test_embed_query_from_many_threads_gives_each_its_own_vector() -> None:
    retriever, _ = _retriever()

    def ask(i: int) -> bool:
        query = "x" * (i % 300 + 1)
        return retriever.embed_query(query).tolist() == [float(len(query)), 1.0]

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert all(pool.map(ask, range(3000)))
