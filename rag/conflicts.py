"""Spotting figures that differ between sources or dates (e.g. a death toll that grows)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from rag.citations import numbers_in
from rag.evidence import Evidence

_QUANTITY_RE = re.compile(
    r"\b(how many|how much|number of|toll|figures?|count|casualt\w*|berapa|jumlah|angka|korban)\b",
    re.IGNORECASE,
)
_DATE_NUMBER_RE = re.compile(r"\(\d{1,2}/\d{1,2}(?:/\d{2,4})?\)|\b(?:19|20)\d{2}\b")


def figures_conflict(question: str, evidence: Sequence[Evidence], margin: float = 0.05) -> bool:
    """A quantity question whose top evidence, from two or more articles, gives other figures."""
    if not evidence or not _QUANTITY_RE.search(question):
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
