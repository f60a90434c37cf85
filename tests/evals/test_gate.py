"""Regression gate: the extractive eval of ``ours`` on the gold set's test split, against floors.

One run (the seeded data dir, extractive generator, the 70 test questions) is shared by the
tests below; each metric is its own test so a failure names what regressed. The floors sit a
little below the values measured when they were set (noted beside each): raise a floor when
a change really improves its metric, and lower one only on purpose, saying why in the commit.
The test split is for reporting: no setting is tuned on it, and the floors only keep what it
measured from getting worse.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from evals.runner import run_eval

GOLD = Path(__file__).resolve().parents[2] / "evals" / "gold" / "kazakhstan.jsonl"

# metric -> (floor, measured). Measured on 2026-12-05 with the code of the commit that set
# these (rag eval --generator extractive --systems ours --split test): hit@5 38/48, MRR@10 0.684
# (0.674 after stop 27's acronym and country-list rankings, chosen on dev),
# STR-EM 11/48, citation precision 18/44 cited answers, 14 of 22 questions to refuse refused,
# 4 of 48 answerable ones refused. Citation precision was 0.443 before the gazetteer's corpus
# forms joined the query terms: chosen on dev, where they raised the extractive run's citation
# precision 0.521 -> 0.556 and STR-EM 0.375 -> 0.409 (and the bundled run's test citation
# precision 0.611 -> 0.664), they moved the quotes of four English factoids here, so its
# floor went down from 0.41 to 0.38 on purpose. Stop 28 (weekdays dated for "when" questions,
# a named outlet or report date scoping the search, nationalities as countries; chosen on dev)
# raised STR-EM to 12/48 and citation precision to 0.432, and their floors with them. Stop
# 29 (questions that ask two things asked as two, the people a sentence means counted in the
# evidence, chosen on dev) raised STR-EM to 16/48 and citation precision to 0.473; its
# rule-based follow-ups name the person "he/she/dia" stands for instead of appending the last
# turn (dev follow-ups' MRR@10 0.853 -> 0.872), which moved three test follow-ups' evidence
# down a rank or two (MRR@10 0.674 -> 0.666), so that floor went down to 0.65 on purpose.
# Stop 30's Kremlin form ("presiden rusia", searched for a question about the Kremlin) moved
# one test question's evidence a rank (MRR@10 0.663). Stop 38's gazetteer forms of Indonesia
# ("WNI", "RI", "KBRI", chosen on dev) raised refusal accuracy to 16/22 (0.727). Each bound
# leaves about one question of slack.
FLOORS: dict[str, tuple[float, float]] = {
    "hit@5": (0.77, 0.792),
    "mrr@10": (0.65, 0.663),
    "str_em": (0.31, 0.333),
    "citation_precision": (0.45, 0.473),
    "refusal_accuracy": (0.68, 0.727),
}
# A rate where lower is better has a ceiling instead: metric -> (ceiling, measured).
CEILINGS: dict[str, tuple[float, float]] = {
    "false_refusal_rate": (0.11, 0.083),
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
        split="test",
        progress=False,
    )


def test_every_question_was_scored(gate_run: Any) -> None:
    ours = gate_run.system("ours")
    assert ours.n_questions == 70
    assert ours.counts["refusal_accuracy"] == 22
    assert ours.counts["false_refusal_rate"] == 48


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
