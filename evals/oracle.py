"""The ``oracle`` system: our pipeline, with the evidence the gold set says holds the answer.

For each answerable question, the passages that hold a gold quote (each gold sentence with
its neighbours, as ours would show it) go to the model together with the retrieved non-gold
passages ours would show, ordered by similarity to the question, and the refusal gate lets
the question through. Everything else (prompt, generator, citation check) is ours. So
``oracle`` minus ``ours`` is what retrieval and selection lose, and what ``oracle`` still
misses is what the generator and the checks lose. Unanswerable questions have no gold
passage: the oracle answers them exactly as ours does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from evals.baselines import PipelineSystem
from evals.gold import GoldEvidence, GoldQuestion
from index.cleaning import normalize_whitespace
from rag import Answer, Assistant, GeneratorName
from rag.evidence import Evidence, Selection
from rag.gate import GateDecision
from rag.question import Question
from rag.retrieval import Retrieval


@dataclass
class OracleSelector:
    """Ours' selection, with the windows that hold ``gold`` put in (set per question)."""

    assistant: Assistant
    gold: tuple[GoldEvidence, ...] = ()

    def run(self, question: str, retrieval: Retrieval) -> Selection:
        base = self.assistant.select.run(question, retrieval)
        windows = self._gold_windows()
        if not windows:
            return base
        others = [e for e in base.evidence if not any(_overlap(e, w) for w in windows)]
        shown = max(len(base.evidence), len(windows) + 1)
        picked = windows + others[: max(shown - len(windows), 0)]
        vectors = self.assistant.sentence_vectors.get([e.text for e in picked])
        order = np.argsort(-(vectors @ np.asarray(retrieval.query_vector, dtype=np.float32)))
        return Selection([picked[i] for i in order], base.relevance, base.conflict)

    def _gold_windows(self) -> list[Evidence]:
        """Each gold quote's sentences, with ours' number of neighbours on each side."""
        retriever = self.assistant.retriever
        context = self.assistant.settings.evidence_context
        windows: list[Evidence] = []
        for quote in self.gold:
            doc = retriever.document(quote.doc_id)
            position = doc.raw.find(quote.quote) if doc is not None else -1
            if doc is None or position < 0:
                continue
            end_of_quote = position + len(quote.quote)
            for chunk in retriever.stores.docstore.chunks_of(doc.doc_id):
                spans = list(chunk.sentences) or [(chunk.start, chunk.end)]
                hit = [i for i, (a, b) in enumerate(spans) if a < end_of_quote and position < b]
                if not hit:
                    continue
                first = max(hit[0] - context, 0)
                last = min(hit[-1] + context, len(spans) - 1)
                start, end = spans[first][0], spans[last][1]
                window = Evidence(
                    doc_id=doc.doc_id,
                    title=doc.title,
                    published=doc.published,
                    publisher=doc.publisher,
                    text=normalize_whitespace(doc.raw[start:end]),
                    start=start,
                    end=end,
                    score=1.0,
                    similarity=1.0,
                    passage_rank=0,
                )
                if not any(_overlap(window, w) for w in windows):
                    windows.append(window)
        return windows


class OpenGate:
    """The gate of an oracle question: it goes on (ours' gate decides the others)."""

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant
        self.open = False

    def run(self, question: Question, retrieval: Retrieval, selection: Selection) -> GateDecision:
        decision = self.assistant.gate.run(question, retrieval, selection)
        if self.open:
            return GateDecision("go", decision.relevance, decision.contrast)
        return decision


class OracleSystem(PipelineSystem):
    """``ours`` with the gold evidence shown (see the module docstring)."""

    sources = ("rag", "index", "evals/baselines.py", "evals/oracle.py", "evals/gold")

    def __init__(
        self, assistant: Assistant, generator: GeneratorName, questions: Sequence[GoldQuestion]
    ) -> None:
        self.selector = OracleSelector(assistant)
        self.gate = OpenGate(assistant)
        oracle = Assistant(
            assistant.retriever, assistant.settings, select=self.selector, gate=self.gate
        )
        super().__init__("oracle", oracle, generator)
        self.gold = {(q.question, q.history): q for q in questions}

    def ask(self, question: str, history: Sequence[tuple[str, str]]) -> Answer:
        gold = self.gold.get((question, tuple(history)))
        self.selector.gold = gold.evidence if gold is not None and gold.answerable else ()
        self.gate.open = bool(self.selector.gold)
        return super().ask(question, history)


def _overlap(a: Evidence, b: Evidence) -> bool:
    return a.doc_id == b.doc_id and a.start < b.end and b.start < a.end
