"""Regression gate: the extractive eval of ``ours`` on the shipped gold set, against floors.

One run (the seeded data dir, extractive generator, all 83 questions) is shared by the tests
below; each metric is its own test so a failure names what regressed. The floors sit a little
below the values measured when they were set (noted beside each): raise a floor when a change
really improves its metric, and lower one only on purpose, saying why in the commit.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from evals.runner import run_eval

GOLD = Path(__file__).resolve().parents[2] / "evals" / "gold" / "kazakhstan.jsonl"

# metric -> (floor, measured). Measured on 2026-11-23 with the defaults of that day (top_k 6,
# hybrid retrieval, refusal thresholds 0.83 id / 0.785 en plus the absent-entity check, evidence
# windows of one neighbouring sentence): hit@5 53/66, MRR@10 0.644, STR-EM 23/66, citation
# precision 0.497 over 64 cited answers, 12 of 17 unanswerable questions refused, 2 of 66
# answerable ones refused. Each bound leaves about one question of slack.
FLOORS: dict[str, tuple[float, float]] = {
    "hit@5": (0.78, 0.803),
    "mrr@10": (0.62, 0.644),
    "str_em": (0.33, 0.348),
    "citation_precision": (0.47, 0.497),
    "refusal_accuracy": (0.64, 0.706),
}
# A rate where lower is better has a ceiling instead: metric -> (ceiling, measured).
CEILINGS: dict[str, tuple[float, float]] = {
    "false_refusal_rate": (0.05, 0.030),
}


@pytest.fixture(scope="module")
def gate_run(seeded_settings: Any, tmp_path_factory: pytest.TempPathFactory) -> Any:
    out = tmp_path_factory.mktemp("gate")
    return run_eval(
        [GOLD],
        out,
        systems=("ours",),
        generator="extractive",
        settings=seeded_settings,
        progress=False,
    )


def test_every_question_was_scored(gate_run: Any) -> None:
    ours = gate_run.system("ours")
    assert ours.n_questions == 83
    assert ours.counts["refusal_accuracy"] == 17
    assert ours.counts["false_refusal_rate"] == 66


@pytest.mark.parametrize("metric", sorted(FLOORS))
def test_metric_stays_above_its_floor(gate_run: Any, metric: str) -> None:
    floor, measured = FLOORS[metric]
    value = gate_run.system("ours").metrics[metric]
    assert value is not None and value >= floor, (
        f"{metric} fell to {value} (floor {floor}, measured {measured} when it was set)"
    )


@pytest.mark.parametrize("metric", sorted(CEILINGS))
def test_rate_stays_below_its_ceiling(gate_run: Any, metric: str) -> None:
    ceiling, measured = CEILINGS[metric]
    value = gate_run.system("ours").metrics[metric]
    assert value is not None and value <= ceiling, (
        f"{metric} rose to {value} (ceiling {ceiling}, measured {measured} when it was set)"
    )
