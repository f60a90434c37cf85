"""Spotting figures that differ between sources or dates (e.g. a death toll that grows)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

from rag.answer_types import is_quantity_question, numbers_in


class Scored(Protocol):
    """What the check reads of an evidence passage (``rag.evidence.Evidence`` has it)."""

    @property
    def doc_id(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def score(self) -> float: ...


_DATE_NUMBER_RE = re.compile(r"\(\d{1,2}/\d{1,2}(?:/\d{2,4})?\)|\b(?:19|20)\d{2}\b")


def figures_conflict(question: str, evidence: Sequence[Scored], margin: float = 0.05) -> bool:
    """A quantity question whose top evidence, from two or more articles, gives other figures."""
    if not evidence or not is_quantity_question(question):
        return False
    best = evidence[0].score
    figures: dict[str, set[str]] = {}
    for item in evidence:
        if item.score < best - margin:
            continue
        numbers = numbers_in(_DATE_NUMBER_RE.sub(" ", item.text))
        if numbers:
            figures.setdefault(item.doc_id, set()).update(numbers)
    distinct = {frozenset(v) for v in figures.values()}
    return len(figures) >= 2 and len(distinct) >= 2
