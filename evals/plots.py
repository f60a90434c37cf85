"""PNG charts of an eval run: metrics per system (grouped bars), latency per system (boxes).

Drawn on bare matplotlib ``Figure`` s: no pyplot, so no global backend or state is touched.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from evals.report import QUALITY_METRICS, Summary


def plot_metrics(summary: Summary, path: Path) -> Path:
    """Grouped bars: one group per metric, one bar per system (missing metrics left out)."""
    from matplotlib.figure import Figure

    metrics = [
        m for m in QUALITY_METRICS if any(s.metrics.get(m) is not None for s in summary.systems)
    ]
    n = max(len(summary.systems), 1)
    width = 0.8 / n
    fig = Figure(figsize=(max(8.0, 0.9 * len(metrics) + 2), 4.5))
    ax = fig.subplots()
    for i, system in enumerate(summary.systems):
        xs = [j + (i - (n - 1) / 2) * width for j in range(len(metrics))]
        values = [system.metrics.get(m) for m in metrics]
        ax.bar(xs, [v if v is not None else 0.0 for v in values], width, label=system.name)
    ax.set_xticks(range(len(metrics)))
    ax.set_xticklabels(metrics, rotation=35, ha="right")
    ax.set_ylim(0, 1.15)  # headroom for the legend row
    ax.set_ylabel("score")
    ax.set_title(f"Metrics per system ({summary.n_questions} questions, {summary.generator})")
    ax.legend(loc="upper center", ncols=n, fontsize="small", frameon=False)
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    return path


def plot_latency(totals: Mapping[str, Sequence[float]], path: Path, title: str = "") -> Path:
    """Box plot of per-question total latency (ms, log scale), one box per system."""
    from matplotlib.figure import Figure

    names = [name for name, values in totals.items() if values]
    fig = Figure(figsize=(max(5.0, 1.4 * len(names) + 2), 4.5))
    ax = fig.subplots()
    if names:
        ax.boxplot([list(totals[n]) for n in names], showfliers=True)
        ax.set_xticks(range(1, len(names) + 1))
        ax.set_xticklabels(names)
        ax.set_yscale("log")
    ax.set_ylabel("total latency per question (ms)")
    ax.set_title(title or "Latency per system")
    ax.grid(axis="y", alpha=0.3, which="both")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    return path
