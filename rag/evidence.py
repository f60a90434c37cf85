"""Evidence selection (stage 3): what of the retrieved chunks the model reads.

Prompt tokens are the main cost of generation on this CPU, so the generator sees a handful of
passages. Every sentence of the retrieved chunks is scored by the cosine similarity of its e5
embedding to the query (cross-lingual: English questions meet Indonesian sentences), a
small bonus for shared Indonesian stems (names, numbers) and for holding the kind of answer
asked for. Sentence vectors are computed on first use and cached. The best sentences go to
the model with their neighbours (``Settings.evidence_mode = "sentences"``), or the chunks
that hold them, whole (``"chunks"``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np
from cachetools import LRUCache

from index import DocumentRecord, Embedder, IndonesianAnalyzer
from index.cleaning import normalize_whitespace
from rag.answer import SourceSpan
from rag.answer_types import asks_for_several, expected_answer_type, has_answer_type
from rag.conflicts import figures_conflict
from rag.gazetteer import mentions
from rag.injection import is_injection
from rag.names import people_in, people_meant
from rag.retrieval import PassageNode, Retrieval
from rag.settings import Settings

LEXICAL_WEIGHT = 0.15
# Nudges on top of the similarity: an answer of the expected type (a number for "how many", a
# date for "when", a name for "who"), and a demotion for photo captions, which rarely answer
# anything. A sentence without the expected type cannot answer a typed question, so that bonus
# is about the spread between a relevant and a loosely related sentence (0.05–0.1 in e5-small
# similarity): the answer sentence of "how many troops" often says "2.500 orang" without
# repeating the question's words, and scores below sentences that only restate its topic.
# 0.08 against 0.03: evidence recall of gold quotes on the gold set unchanged within noise
# (0.546 vs 0.555, 56 questions), the answer sentence of such questions moves into the top 4.
ANSWER_TYPE_BONUS = 0.08
CAPTION_PENALTY = 0.03
# The classic balanced MMR weight; gold-quote recall of the evidence at 0.5 is that of plain
# top-4 (0.554 vs 0.555), and fewer picks restate one another.
REDUNDANCY_WEIGHT = 0.5


@dataclass(frozen=True)
class Evidence(SourceSpan):
    """A passage the model reads (a sentence, with its neighbours or its chunk), and how it
    scored: ``similarity`` to the question, ``score`` with the bonuses, the rank of the
    retrieved chunk it comes from."""

    score: float
    similarity: float
    passage_rank: int


@dataclass(frozen=True)
class Selection:
    """The evidence passages for the prompt, and how well the corpus matches the question.

    ``relevance`` is the best similarity among the ``max_sentences`` best-scored sentences,
    before diversity and the character budget pick among them: the refusal threshold was
    calibrated on it, and it should not move when the prompt budget does. ``conflict``: the
    question asks for a figure that the top evidence of two articles gives differently.
    """

    evidence: list[Evidence]
    relevance: float
    conflict: bool = False


@dataclass(frozen=True)
class Budget:
    """How much evidence goes to the model: sentences, characters, and the score margin."""

    sentences: int
    max_chars: int
    margin: float


class EvidenceSelector:
    """Stage 3 of ``Assistant``: the passages the model reads, from a retrieval."""

    def __init__(
        self,
        document: Callable[[str], DocumentRecord | None],
        vectors: SentenceVectors,
        analyzer: IndonesianAnalyzer,
        *,
        max_sentences: int,
        max_chars: int,
        margin: float,
        context: int,
        several: Budget | None = None,
        mode: str = "sentences",
        excluded: Callable[[str], bool] = is_injection,
    ) -> None:
        if max_sentences <= 0:
            raise ValueError(f"max_sentences must be positive, got {max_sentences}")
        if margin < 0:
            raise ValueError(f"margin must not be negative, got {margin}")
        if mode not in ("sentences", "chunks"):
            raise ValueError(f"mode must be 'sentences' or 'chunks', got {mode!r}")
        self.document = document
        self.vectors = vectors
        self.analyzer = analyzer
        self.context = context
        self.budget = Budget(max_sentences, max_chars, margin)
        # a question that asks for several things has a budget of its own (a factoid's if none)
        self.several = several or self.budget
        self.mode = mode
        # A sentence telling the assistant to ignore its instructions is no evidence: neither
        # quoted nor shown to the model, nor taken along as a neighbour (rag/injection.py).
        self.excluded = excluded

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        document: Callable[[str], DocumentRecord | None],
        vectors: SentenceVectors,
        analyzer: IndonesianAnalyzer,
    ) -> EvidenceSelector:
        return cls(
            document,
            vectors,
            analyzer,
            max_sentences=settings.evidence_sentences,
            max_chars=settings.evidence_max_chars,
            margin=settings.evidence_margin,
            context=settings.evidence_context,
            several=Budget(
                settings.evidence_sentences_several,
                settings.evidence_max_chars_several,
                settings.evidence_margin_several,
            ),
            mode=settings.evidence_mode,
        )

    def run(self, question: str, retrieval: Retrieval) -> Selection:
        """The evidence for ``question`` (the standalone form) from ``retrieval``."""
        budget = self.several if asks_for_several(question) else self.budget
        selection = select_evidence(
            question,
            retrieval.query_vector,
            retrieval.passages,
            self.document,
            self.vectors,
            self.analyzer,
            budget.sentences,
            budget.max_chars,
            retrieval.terms,
            margin=budget.margin,
            context=self.context,
            excluded=self.excluded,
        )
        evidence = selection.evidence
        if self.mode == "chunks":
            evidence = _whole_chunks(evidence, retrieval.passages, self.document)
        conflict = figures_conflict(question, selection.evidence)
        return Selection(evidence, selection.relevance, conflict)


class SentenceVectors:
    """An LRU cache of passage-side sentence embeddings, safe to share between threads.

    The lock guards the cache (cachetools' caches are not thread-safe) but not the embedder:
    a batch is embedded outside it, so two threads may embed the same new sentence once each.
    """

    def __init__(self, embedder: Embedder, capacity: int = 50_000) -> None:
        self.embedder = embedder
        self.capacity = capacity
        self._cache: LRUCache[str, np.ndarray] = LRUCache(maxsize=capacity)
        self._lock = threading.Lock()

    def get(self, texts: Sequence[str]) -> np.ndarray:
        with self._lock:
            missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
        if missing:
            vectors = self.embedder.get_text_embedding_batch(missing)
            with self._lock:
                for text, vector in zip(missing, vectors, strict=True):
                    self._cache[text] = np.asarray(vector, dtype=np.float32)
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
    query_terms: Sequence[str] | None = None,
    *,
    margin: float,
    context: int = 0,
    excluded: Callable[[str], bool] | None = None,
) -> Selection:
    """The best ``max_sentences`` sentences (at most ``max_chars`` in all) that score within
    ``margin`` of the best one or hold the expected answer type, in the order picked: best
    first, then each the best of what does not repeat the ones before.

    ``query_terms`` are the question's lexical terms (default: ``analyzer(question)``); the
    retriever's add the long forms of the acronyms the question uses. ``margin`` is
    ``Settings.evidence_margin`` (why: there). ``context``: sentences of the same chunk on
    each side that go with a picked sentence (``Settings.evidence_context``; ``max_chars``
    bounds the picked sentences, not their context); windows that overlap merge. A sentence
    ``excluded`` says is no evidence (an instruction planted in an article) is neither picked
    nor taken along as context.
    """
    if max_sentences <= 0:
        raise ValueError(f"max_sentences must be positive, got {max_sentences}")
    if margin < 0:
        raise ValueError(f"margin must not be negative, got {margin}")
    candidates: list[tuple[PassageNode, int, DocumentRecord, int, int, str]] = []
    spans: list[list[tuple[int, int]]] = []  # each candidate's chunk sentences, for context
    seen: set[str] = set()
    for rank, passage in enumerate(passages):
        doc = document(passage.doc_id)
        if doc is None:
            continue
        sentences = passage.sentences or [(passage.start, passage.end)]
        for start, end in sentences:
            text = normalize_whitespace(doc.raw[start:end])
            key = text.lower()
            if not text or key in seen or (excluded is not None and excluded(text)):
                continue
            seen.add(key)
            candidates.append((passage, rank, doc, start, end, text))
            spans.append(sentences)
    if not candidates:
        return Selection([], 0.0)
    matrix = vectors.get([c[5] for c in candidates])
    similarities = matrix @ np.asarray(query_vector, dtype=np.float32)
    query_tokens = set(analyzer(question) if query_terms is None else query_terms)
    wants = expected_answer_type(question)
    scored: list[Evidence] = []
    typed: list[bool] = []  # holds the expected answer type
    for (passage, rank, doc, start, end, text), similarity in zip(
        candidates, similarities, strict=True
    ):
        people = people_meant(text, doc.raw[:start], _people(doc.body)) if query_tokens else []
        overlap = term_share(query_tokens, text, analyzer, also=people)
        typed.append(wants is not None and has_answer_type(text, wants))
        bonus = ANSWER_TYPE_BONUS if typed[-1] else 0.0
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
    best = sorted(scored, key=lambda e: -e.score)[:max_sentences]
    # Close to the best, or holding the kind of answer asked for: the sentence with the
    # figure often shares few words with the question (see ANSWER_TYPE_BONUS).
    floor = best[0].score - margin
    close = [i for i, e in enumerate(scored) if e.score >= floor or typed[i]]
    picked = _diverse([scored[i] for i in close], matrix[close], max_sentences, max_chars)
    if context > 0:
        where = {(e.doc_id, e.start): i for i, e in enumerate(scored)}
        picked = _widen(
            picked,
            [spans[where[(e.doc_id, e.start)]] for e in picked],
            context,
            {c[2].doc_id: c[2] for c in candidates},
            excluded=excluded or (lambda _: False),
        )
    return Selection(picked, max(e.similarity for e in best))


def term_share(
    query_terms: set[str] | Sequence[str],
    text: str,
    analyzer: IndonesianAnalyzer,
    also: Sequence[str] = (),
) -> float:
    """The share of ``query_terms`` (a question's analysed terms) that ``text``, or the
    texts ``also`` names (the people it means), holds; 0 for no terms."""
    asked = set(query_terms)
    if not asked:
        return 0.0
    terms = set(analyzer(text))
    for extra in also:
        terms.update(analyzer(extra))
    return len(asked & terms) / len(asked)


def topic_terms(question: str, analyzer: IndonesianAnalyzer) -> set[str]:
    """The question's terms outside the names it gives (people, countries, bodies, offices):
    what it asks about them. "Kapan Tokayev lahir?" -> {"lahir"}; "Siapa Jen Psaki?" -> {}.
    A passage that shares only the names is about the same people, not about what was asked:
    "Tokayev sudah jadi presiden Kazakhstan sejak tahun berapa?" is not answered by Tokayev
    asking the CSTO for help, though it shares three of the question's four terms."""
    named = [question[start:end] for start, end, _ in mentions(question)] + people_in(question)
    name_terms = {term for name in named for term in analyzer(name)}
    return set(analyzer(question)) - name_terms


@lru_cache(maxsize=256)
def _people(body: str) -> list[str]:
    """The people an article's body names (``names.people_in``), once per article text."""
    return people_in(body)


def _whole_chunks(
    picked: Sequence[Evidence],
    passages: Sequence[PassageNode],
    document: Callable[[str], DocumentRecord | None],
) -> list[Evidence]:
    """The retrieved chunks that hold the picked sentences, whole, in the order of the first
    sentence picked from each (best first)."""
    chunks: list[Evidence] = []
    seen: set[str] = set()
    for evidence in picked:
        passage = next(
            (
                p
                for p in passages
                if p.doc_id == evidence.doc_id and p.start <= evidence.start < p.end
            ),
            None,
        )
        doc = document(evidence.doc_id)
        if passage is None or doc is None or passage.chunk_id in seen:
            continue
        seen.add(passage.chunk_id)
        start, end = min(passage.start, evidence.start), max(passage.end, evidence.end)
        chunks.append(
            replace(evidence, start=start, end=end, text=normalize_whitespace(doc.raw[start:end]))
        )
    return chunks


def _widen(
    picked: Sequence[Evidence],
    sentences: Sequence[Sequence[tuple[int, int]]],
    context: int,
    documents: dict[str, DocumentRecord],
    excluded: Callable[[str], bool],
) -> list[Evidence]:
    """Each picked sentence with up to ``context`` sentences of its chunk on each side (not
    past an excluded one); a window that overlaps earlier ones in the same article merges
    into the first of them (and takes the others in: one window can bridge two)."""
    widened: list[Evidence] = []
    for evidence, spans in zip(picked, sentences, strict=True):
        raw = documents[evidence.doc_id].raw
        j = next((k for k, (a, _) in enumerate(spans) if a == evidence.start), None)
        start, end = evidence.start, evidence.end
        if j is not None:
            for k in range(j - 1, max(-1, j - context - 1), -1):
                if excluded(normalize_whitespace(raw[spans[k][0] : spans[k][1]])):
                    break
                start = spans[k][0]
            for k in range(j + 1, min(len(spans), j + context + 1)):
                if excluded(normalize_whitespace(raw[spans[k][0] : spans[k][1]])):
                    break
                end = spans[k][1]
        touching = [
            k
            for k, other in enumerate(widened)
            if other.doc_id == evidence.doc_id and start <= other.end and other.start <= end
        ]
        if not touching:
            widened.append(
                replace(evidence, start=start, end=end, text=normalize_whitespace(raw[start:end]))
            )
            continue
        start = min(start, *(widened[k].start for k in touching))
        end = max(end, *(widened[k].end for k in touching))
        first = touching[0]
        widened[first] = replace(
            widened[first], start=start, end=end, text=normalize_whitespace(raw[start:end])
        )
        for k in reversed(touching[1:]):
            del widened[k]
    return widened


def _diverse(
    scored: Sequence[Evidence], vectors: np.ndarray, max_sentences: int, max_chars: int
) -> list[Evidence]:
    """Maximal marginal relevance (Carbonell & Goldstein, 1998): each pick maximises its score
    minus ``REDUNDANCY_WEIGHT`` times its similarity to the sentences already picked.

    With four sentences in the prompt, two that restate the same thing (news repeats a
    definition in every article) waste a quarter of the budget; the runner-up that adds a
    fact, such as the figure a "how many" question asks for, is worth more.
    """
    order = sorted(range(len(scored)), key=lambda i: -scored[i].score)
    chosen: list[int] = []
    used = 0
    redundancy = np.zeros(len(scored), dtype=np.float32)
    while order and len(chosen) < max_sentences:
        best = max(order, key=lambda i: scored[i].score - REDUNDANCY_WEIGHT * redundancy[i])
        order.remove(best)
        if chosen and used + len(scored[best].text) > max_chars:
            continue
        chosen.append(best)
        used += len(scored[best].text)
        redundancy = np.maximum(redundancy, vectors @ vectors[best])
    return [scored[i] for i in chosen]
