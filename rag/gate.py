"""The gate between evidence and generation: refuse without calling a model when the corpus
plainly does not hold the answer, or go on.

Four signals, each cheap:
- the question names a country, body, office or person the corpus never mentions ("How did
  China react?", "What did the EU say?", "Apa kata Erdogan?");
- the question asks for an amount of money or a percentage ("Berapa kerugian ekonominya?",
  "What was his approval rating?") and no passage found gives one: the model would answer
  with the nearest figure, a death toll or a troop count;
- the best evidence is weakly similar to the question (``Settings.refusal_threshold_*``;
  cross-lingual similarities run lower, hence a threshold per language);
- the question is closer to everyday topics that have nothing to do with news than to its
  best evidence. e5's similarities are compressed (most pairs of texts score 0.7-0.9), so
  an absolute threshold alone lets an off-topic question through whenever the corpus holds
  some sentence of the same shape; the contrast with a fixed set of off-topic sentences
  (``BACKGROUND``) asks whether the corpus matches the question better than unrelated
  text does. On the dev split, off-topic questions have contrasts of -0.05 to 0.07,
  answerable ones 0.01 to 0.14 (docs/DESIGN.md, "Refusal").
What passes can still be refused by the model ("NOT_FOUND") or by the citation check.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from rag.answer_types import asked_amount, has_amount
from rag.evidence import Selection
from rag.gazetteer import entities_in
from rag.lexicon import Lexicon
from rag.names import unknown_names
from rag.question import Question
from rag.retrieval import Retrieval

GateReason = Literal[
    "go", "absent_entity", "absent_amount", "weak_evidence", "off_topic", "no_evidence"
]

# Everyday topics a news question is not about, in both languages. Fixed text, so the
# contrast means the same on every corpus; long enough lists of subjects that any question
# about them finds a close one. No prices or markets: they are news, and a sentence of
# share prices rising (here until stop 46) was closer than the corpus to the searches
# "harga gas", "kenaikan harga BBM" and "gas prices", which the protests began with; no
# gold question's decision changed when it went.
BACKGROUND: tuple[str, ...] = (
    "Cuaca cerah diperkirakan terjadi di Jakarta besok pagi.",
    "The weather will be sunny tomorrow.",
    "Tim nasional memenangkan pertandingan sepak bola tadi malam.",
    "The team won the football match last night.",
    "Resep nasi goreng ini mudah dibuat di rumah.",
    "This recipe for fried rice is easy to make at home.",
    "Film baru itu dirilis di bioskop minggu ini.",
    "The new movie was released in cinemas this week.",
    "Cara merawat tanaman hias di dalam rumah.",
    "How to take care of houseplants indoors.",
    "Jadwal kereta api ke Bandung berubah mulai bulan depan.",
    "The train schedule changes next month.",
    "Ponsel baru itu memiliki kamera yang lebih baik.",
    "The new phone has a better camera.",
    "Siswa belajar matematika di sekolah.",
    "Students learn mathematics at school.",
    "Penyanyi itu menggelar konser di Surabaya.",
    "The singer held a concert in the city.",
)


@dataclass(frozen=True)
class GateDecision:
    """Go on to generation, or refuse, and the figures the decision was made on."""

    reason: GateReason
    relevance: float  # best similarity of the question to an evidence sentence
    contrast: float  # relevance minus the best similarity to a BACKGROUND sentence
    absent: tuple[str, ...] = ()  # what the question names and the corpus does not

    @property
    def go(self) -> bool:
        return self.reason == "go"


class Background:
    """The BACKGROUND sentences' vectors, embedded once on first use."""

    def __init__(self, embed: Callable[[Sequence[str]], np.ndarray]) -> None:
        self._embed = embed
        self._vectors: np.ndarray | None = None
        self._lock = threading.Lock()

    def best_similarity(self, query_vector: np.ndarray) -> float:
        with self._lock:
            if self._vectors is None:
                self._vectors = np.asarray(self._embed(BACKGROUND), dtype=np.float32)
        return float(np.max(self._vectors @ np.asarray(query_vector, dtype=np.float32)))


class RelevanceGate:
    """Stage 4 of ``Assistant``: refuse or go on, before any model call."""

    def __init__(
        self,
        threshold_id: float,
        threshold_en: float,
        min_contrast: float,
        background: Background,
        lexicon: Callable[[], Lexicon],
    ) -> None:
        self.thresholds = {"id": threshold_id, "en": threshold_en}
        self.min_contrast = min_contrast
        self.background = background
        self.lexicon = lexicon

    def run(self, question: Question, retrieval: Retrieval, selection: Selection) -> GateDecision:
        """Decide on the results of the stages before: the question, what was retrieved for
        it (its vector, and its passages for the amount check), and the evidence selected
        (whose ``relevance`` the thresholds apply to)."""
        relevance = selection.relevance
        absent = tuple(absent_entities(question.standalone, self.lexicon()))
        contrast = relevance - self.background.best_similarity(retrieval.query_vector)
        if absent:
            return GateDecision("absent_entity", relevance, contrast, absent)
        amount = asked_amount(question.standalone)
        if amount and not any(has_amount(p.text, amount) for p in retrieval.passages):
            return GateDecision("absent_amount", relevance, contrast)
        if relevance <= 0.0:
            return GateDecision("no_evidence", relevance, contrast)
        if relevance < self.thresholds[question.language]:
            return GateDecision("weak_evidence", relevance, contrast)
        if contrast < self.min_contrast:
            return GateDecision("off_topic", relevance, contrast)
        return GateDecision("go", relevance, contrast)


def absent_entities(question: str, lexicon: Lexicon) -> list[str]:
    """Countries, organisations, offices and names the question names that the corpus never
    mentions (a name: a rare capitalised word, not even one edit away from a corpus word).

    The question's names are what it is about: "What did Macron say about the Russian
    troops?" over a corpus that never names Macron has no answer there, though its passages
    about the troops are similar enough to pass the thresholds, and the model then answers
    with what someone else said."""
    missing = [entry[0] for entry in entities_in(question) if not any(map(lexicon.mentions, entry))]
    return missing + unknown_names(question, lexicon.words)
