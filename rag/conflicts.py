"""Spotting figures that differ between sources or dates (e.g. a death toll that grows)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from rag.answer_types import figures_in, is_quantity_question, is_year


class Scored(Protocol):
    """What the check reads of an evidence passage (``rag.evidence.Evidence`` has it)."""

    @property
    def doc_id(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def score(self) -> float: ...


def figures_conflict(question: str, evidence: Sequence[Scored], margin: float = 0.05) -> bool:
    """A quantity question whose top evidence, from two or more articles, gives other figures."""
    if not evidence or not is_quantity_question(question):
        return False
    best = evidence[0].score
    figures: dict[str, set[str]] = {}
    for item in evidence:
        if item.score < best - margin:
            continue
        # a date's day, month and year are not figures ("Kamis (6/1/2022)", "6 Januari")
        numbers = {f for f in figures_in(item.text) if not is_year(f)}
        if numbers:
            figures.setdefault(item.doc_id, set()).update(numbers)
    distinct = {frozenset(v) for v in figures.values()}
    return len(figures) >= 2 and len(distinct) >= 2
