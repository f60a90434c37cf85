import pytest

from rag.fusion import reciprocal_rank_fusion


def test_rrf_scores_are_sums_of_reciprocal_ranks() -> None:
    fused = dict(reciprocal_rank_fusion([["a", "b", "c"], ["b", "d"]], k=60))
    assert fused["a"] == pytest.approx(1 / 61)
    assert fused["b"] == pytest.approx(1 / 62 + 1 / 61)
    assert fused["c"] == pytest.approx(1 / 63)
    assert fused["d"] == pytest.approx(1 / 62)


def test_rrf_orders_best_first_and_breaks_ties_by_first_appearance() -> None:
    order = [item for item, _ in reciprocal_rank_fusion([["a", "b"], ["b", "a"], ["c"]], k=0)]
    assert order == ["a", "b", "c"]  # a and b tie at 1 + 1/2; a appeared first


def test_rrf_weights_scale_each_ranking() -> None:
    fused = dict(reciprocal_rank_fusion([["a"], ["b"]], k=0, weights=[1.0, 0.25]))
    assert fused == {"a": 1.0, "b": 0.25}


def test_rrf_ignores_duplicates_within_a_ranking() -> None:
    assert dict(reciprocal_rank_fusion([["a", "a", "b"]], k=0)) == {"a": 1.0, "b": 0.5}


def test_rrf_rejects_bad_arguments() -> None:
    with pytest.raises(ValueError):
        reciprocal_rank_fusion([["a"]], k=-1)
    with pytest.raises(ValueError):
        reciprocal_rank_fusion([["a"], ["b"]], weights=[1.0])
