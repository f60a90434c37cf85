"""benchmarks.stages: what a stage reports of itself."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from benchmarks.stages import summarize

ROOT = Path(__file__).resolve().parents[2]


def test_a_stage_reports_its_own_peak_rss_not_its_parents() -> None:
    # This process holds 300 MiB more than a fresh interpreter when it starts the child;
    # getrusage in the child would report at least that (Linux keeps the parent's
    # high-water mark over vfork + exec).
    ballast = bytearray(300 * 2**20)
    for i in range(0, len(ballast), 4096):
        ballast[i] = 1
    child = subprocess.run(
        [sys.executable, "-c", "from benchmarks.stages import peak_rss_mb; print(peak_rss_mb())"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    del ballast
    assert 0 < float(child.stdout) < 250


def test_a_summary_has_the_eval_suites_percentiles() -> None:
    # linear interpolation: the p50 of 1..4 is 2.5 (the nearest rank would give 2 or 3)
    assert summarize([4.0, 1.0, 3.0, 2.0]) == {"p50": 2.5, "p95": 3.85, "mean": 2.5, "n": 4}
    assert summarize([]) == {"n": 0}
