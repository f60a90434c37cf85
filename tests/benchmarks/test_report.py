"""The benchmark report: each target's verdict and what it says when a figure is missing,
and the committed report written again from the committed results."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from benchmarks import report

COMMITTED = Path(__file__).resolve().parents[2] / "benchmarks" / "results" / "bench"


def _answers(total_ms: float, quality: float, rss_mib: float = 1500.0) -> dict[str, Any]:
    return {
        "total_ms": {"p50": total_ms},
        "quality": quality,
        "peak_rss_mb": rss_mib,
        "rss_mb_after_load": 300.0,
        "rss_mb_after_warmup": rss_mib - 100,
    }


def _rows(results: dict[str, Any], tmp_path: Path, target: str) -> list[str]:
    return [line for line in report._targets(results) if line.startswith(f"| {target}")]


def _results(**sizes: dict[str, Any]) -> dict[str, Any]:
    entries = {size.lstrip("n"): {"status": "measured", "run": 0, **e} for size, e in sizes.items()}
    return {"schema": 1, "runs": [], "sizes": entries}


def test_serving_rss_is_checked_against_2_5e9_bytes(tmp_path: Path) -> None:
    # 2,400 MiB = 2.52e9 bytes: within 2.5 GiB, over 2.5 GB; 2,300 MiB = 2.41e9 bytes
    over = _results(n1000={"answers": {"bundled": _answers(1000, 1, rss_mib=2400)}})
    (row,) = _rows(over, tmp_path, "peak RSS")
    assert row.endswith("| 2.52 GB (largest, at 1000 chunks; 1000: 2400 MiB in run 0) | **no** |")
    under = _results(n1000={"answers": {"bundled": _answers(1000, 1, rss_mib=2300)}})
    (row,) = _rows(under, tmp_path, "peak RSS")
    assert "| 2.41 GB" in row and "| yes |" in row


def test_a_size_without_naive_says_why_instead_of_dropping_the_row(tmp_path: Path) -> None:
    results = _results(
        n100000={
            "answers": {"bundled": _answers(9000, 0.8)},
            "naive_skip_reason": "naive not measured: 0 of 22577 cached",
        }
    )
    (row,) = _rows(results, tmp_path, "answers faster")
    assert "(bundled, 100000 chunks) | naive not measured: 0 of 22577 cached | not measured" in row


def test_ours_faster_and_better_than_naive_meets_the_answer_target(tmp_path: Path) -> None:
    results = _results(
        n1000={
            "answers": {"bundled": _answers(15_000, 0.9)},
            "naive": {"bundled": _answers(22_500, 0.8)},
        }
    )
    (row,) = _rows(results, tmp_path, "answers faster")
    assert "p50 15.00 vs 22.50 s (×0.67); found 90% vs 80% | yes |" in row


def test_the_report_command_names_a_missing_results_file(tmp_path: Path, capsys: Any) -> None:
    assert report.main([str(tmp_path)]) == 2
    assert f"cannot read {tmp_path / 'bench.json'}" in capsys.readouterr().err


def test_a_size_run_without_naive_or_with_a_failed_naive_says_which(tmp_path: Path) -> None:
    ours = {"bundled": _answers(9000, 0.8)}
    (row,) = _rows(_results(n1000={"answers": ours}), tmp_path, "answers faster")
    assert "| naive not run (--no-naive) | not measured |" in row
    failed = _results(n1000={"answers": ours, "naive": {"bundled": None}})
    (row,) = _rows(failed, tmp_path, "answers faster")
    assert "| naive failed: see bench.json | not measured |" in row


def test_the_answers_table_gives_the_first_text_beside_the_models_first_token() -> None:
    def stats(p50: float) -> dict[str, float]:
        return {"p50": p50, "p95": p50 + 1000}

    def answers(first_text: bool) -> dict[str, Any]:
        entry = {
            **_answers(5200, 0.9),
            "questions": 10,
            "first_token_ms": stats(4500),
            "retrieved_doc": 1.0,
            "refused": 0.0,
        }
        return {**entry, "first_text_ms": stats(5100)} if first_text else entry

    new, old = (
        report._answers(_results(n1000={"answers": {"bundled": answers(held)}}))
        for held in (True, False)
    )
    assert any("| 1000 | bundled | ours | 10 | 4.50 / 5.50 | 5.10 / 6.10 |" in line for line in new)
    # a run from before the hold has no first text of its own: "–", not the first token
    assert any("| 1000 | bundled | ours | 10 | 4.50 / 5.50 | – / – |" in line for line in old)


def test_the_memory_table_says_how_each_size_was_measured() -> None:
    own = {"peak_rss_mb": 500.0, "rss_source": "VmHWM"}
    results = _results(
        n1000={"ingest": own, "retrieval": own},  # no serving stage in this run
        n10000={"ingest": {"peak_rss_mb": 700.0}, "answers": {"bundled": _answers(9000, 0.8)}},
    )
    rows = [line for line in report._memory(results) if line.startswith(("| 1000 ", "| 10000 "))]
    assert [row.split(" | ")[-1] for row in rows] == [
        "run 0: own (VmHWM) |",
        "run 0: rusage, floored |",
    ]


def test_the_committed_report_is_what_the_committed_results_give(tmp_path: Path) -> None:
    """bench.md is written from bench.json alone: regenerating it changes nothing."""
    shutil.copy(COMMITTED / "bench.json", tmp_path / "bench.json")
    written = report.write_report(json.loads((tmp_path / "bench.json").read_text()), tmp_path)
    assert written.read_text() == (COMMITTED / "bench.md").read_text()
