"""Evidence selection: the few sentences of the retrieved chunks that bear on the question.

Prompt tokens are the main cost of generation on this CPU, so the generator sees a handful of
sentences, not whole chunks. Each sentence is scored by the cosine similarity of its e5
embedding to the query (cross-lingual: English questions meet Indonesian sentences) plus a
small bonus for shared Indonesian stems (names, numbers). Sentence vectors are computed on
first use and cached.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from index import DocumentRecord, Embedder, IndonesianAnalyzer
from index.cleaning import normalize_whitespace
from rag.retrieval import PassageNode

LEXICAL_WEIGHT = 0.15
# Small nudges, each well under the spread of similarities between a relevant and an
# irrelevant sentence: an answer of the expected type (a number for "how many", a date for
# "when", a name for "who") and a demotion for photo captions, which rarely answer anything.
ANSWER_TYPE_BONUS = 0.03
CAPTION_PENALTY = 0.03

_QUANTITY_RE = re.compile(r"\b(how (?:many|much)|number of|berapa|jumlah|toll)\b", re.IGNORECASE)
_WHEN_RE = re.compile(r"\b(when|what (?:day|date)|kapan|tanggal|hari apa)\b", re.IGNORECASE)
_WHO_RE = re.compile(r"\b(who|whom|siapa)\b", re.IGNORECASE)
_NUMBER_RE = re.compile(r"\d")
_DATE_RE = re.compile(
    r"\b(senin|selasa|rabu|kamis|jumat|sabtu|minggu|januari|februari|maret|april|mei|juni|juli"
    r"|agustus|september|oktober|november|desember)\b|\(\d{1,2}/\d{1,2}",
    re.IGNORECASE,
)
_NAME_RE = re.compile(r"(?<!^)(?<![.!?] )\b[A-Z][a-z]+(?:[- ][A-Z][a-z]+)+")


@dataclass(frozen=True)
class Evidence:
    """One evidence sentence with where it comes from."""

    doc_id: str
    title: str
    published: str | None
    publisher: str | None
    text: str
    start: int
    end: int
    score: float
    similarity: float
    passage_rank: int


class SentenceVectors:
    """An LRU cache of passage-side sentence embeddings."""

    def __init__(self, embedder: Embedder, capacity: int = 50_000) -> None:
        self.embedder = embedder
        self.capacity = capacity
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, texts: Sequence[str]) -> np.ndarray:
        with self._lock:
            missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
        if missing:
            vectors = self.embedder.get_text_embedding_batch(missing)
            with self._lock:
                for text, vector in zip(missing, vectors, strict=True):
                    self._cache[text] = np.asarray(vector, dtype=np.float32)
                while len(self._cache) > self.capacity:
                    self._cache.popitem(last=False)
        with self._lock:
            rows: list[np.ndarray] = []
            for text in texts:
                cached = self._cache.get(text)
                if cached is None:  # evicted meanwhile by another thread
                    cached = np.asarray(self.embedder.get_text_embedding(text), dtype=np.float32)
                rows.append(cached)
        return np.vstack(rows) if rows else np.zeros((0, 1), dtype=np.float32)


def select_evidence(
    question: str,
    query_vector: np.ndarray,
    passages: Sequence[PassageNode],
    document: Callable[[str], DocumentRecord | None],
    vectors: SentenceVectors,
    analyzer: IndonesianAnalyzer,
    max_sentences: int,
    max_chars: int,
) -> list[Evidence]:
    """The best ``max_sentences`` sentences (at most ``max_chars`` in all), best first."""
    if max_sentences <= 0:
        raise ValueError(f"max_sentences must be positive, got {max_sentences}")
    candidates: list[tuple[PassageNode, int, DocumentRecord, int, int, str]] = []
    seen: set[str] = set()
    for rank, passage in enumerate(passages):
        doc = document(passage.doc_id)
        if doc is None:
            continue
        for start, end in passage.sentences or [(passage.start, passage.end)]:
            text = normalize_whitespace(doc.raw[start:end])
            key = text.lower()
            if not text or key in seen:
                continue
            seen.add(key)
            candidates.append((passage, rank, doc, start, end, text))
    if not candidates:
        return []
    matrix = vectors.get([c[5] for c in candidates])
    similarities = matrix @ np.asarray(query_vector, dtype=np.float32)
    query_tokens = set(analyzer(question))
    wants = expected_answer_type(question)
    scored: list[Evidence] = []
    for (passage, rank, doc, start, end, text), similarity in zip(
        candidates, similarities, strict=True
    ):
        overlap = 0.0
        if query_tokens:
            overlap = len(query_tokens & set(analyzer(text))) / len(query_tokens)
        bonus = ANSWER_TYPE_BONUS if wants and has_answer_type(text, wants) else 0.0
        if passage.node.metadata.get("kind") == "caption":
            bonus -= CAPTION_PENALTY
        scored.append(
            Evidence(
                doc_id=doc.doc_id,
                title=doc.title,
                published=doc.published,
                publisher=doc.publisher,
                text=text,
                start=start,
                end=end,
                score=float(similarity) + LEXICAL_WEIGHT * overlap + bonus,
                similarity=float(similarity),
                passage_rank=rank,
            )
        )
    scored.sort(key=lambda e: -e.score)
    chosen: list[Evidence] = []
    used = 0
    for item in scored:
        if len(chosen) == max_sentences:
            break
        if chosen and used + len(item.text) > max_chars:
            continue
        chosen.append(item)
        used += len(item.text)
    return chosen


def expected_answer_type(question: str) -> str | None:
    """'number', 'date', 'name' or None, from the question word (English or Indonesian)."""
    if _QUANTITY_RE.search(question):
        return "number"
    if _WHEN_RE.search(question):
        return "date"
    if _WHO_RE.search(question):
        return "name"
    return None


def has_answer_type(text: str, kind: str) -> bool:
    if kind == "number":
        return bool(_NUMBER_RE.search(_DATE_RE.sub(" ", text)))
    if kind == "date":
        return bool(_DATE_RE.search(text))
    return bool(_NAME_RE.search(text))
