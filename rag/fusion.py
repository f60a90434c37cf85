"""Reciprocal rank fusion of ranked id lists.

llama-index's QueryFusionRetriever fuses node lists from retrievers it calls itself (and by
default asks the LLM for extra queries, which costs seconds on this CPU); here the dense and
lexical rankings are ids from two stores, fused before any text is loaded.
"""

from __future__ import annotations

from collections.abc import Sequence


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[str]],
    k: int = 60,
    weights: Sequence[float] | None = None,
) -> list[tuple[str, float]]:
    """Fuse rankings: ``score(d) = sum_i w_i / (k + rank_i(d))`` with ranks from 1.

    Ties keep the order of first appearance (earlier rankings first).
    """
    if k < 0:
        raise ValueError(f"k must be >= 0, got {k}")
    if weights is not None and len(weights) != len(rankings):
        raise ValueError("weights and rankings differ in length")
    scores: dict[str, float] = {}
    for i, ranking in enumerate(rankings):
        weight = 1.0 if weights is None else weights[i]
        for rank, item in enumerate(dict.fromkeys(ranking), start=1):
            scores[item] = scores.get(item, 0.0) + weight / (k + rank)
    order = {item: n for n, item in enumerate(scores)}
    return sorted(scores.items(), key=lambda kv: (-kv[1], order[kv[0]]))
