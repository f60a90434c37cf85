"""The summary of an eval run: per-system metrics side by side, ratios, failures.

``Summary`` is what ``run_eval`` returns and what ``summary.json`` / ``summary.md`` hold.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from evals.metrics import FAILURE_CAUSES, RETRIEVAL_METRICS, latency, mean

QUALITY_METRICS: tuple[str, ...] = (
    *RETRIEVAL_METRICS,
    "str_em",
    "token_f1",
    "citation_precision",
    "citation_recall",
    "dangling_marker_rate",
    "refusal_accuracy",
    "false_refusal_rate",
    "language_match",
    "indonesian_in_english",
)
"""Every summary metric, in report order; all lie in [0, 1]. Per question type and reason,
``str_em[<type>]`` and ``refusal_accuracy[<reason>]`` follow (see ``SystemSummary``)."""

RATIO_METRICS: tuple[str, ...] = ("str_em", "citation_precision", "latency_p50_total_ms")
"""Compared as ours / naive."""


@dataclass(frozen=True)
class QuestionResult:
    """One question as one system handled it: the row of ``<system>.jsonl``."""

    id: str
    type: str
    language: str
    answerable: bool
    scores: dict[str, float | None]
    timings: dict[str, float]
    failure: str | None = None
    missing: tuple[str, ...] = ()  # the first alias of each answer group not matched
    split: str = ""
    reason: str = ""  # unanswerable questions: why (evals.gold.REASONS)


@dataclass(frozen=True)
class SystemSummary:
    """The aggregated scores of one system."""

    name: str
    n_questions: int
    metrics: dict[str, float | None]
    counts: dict[str, int]  # how many questions (markers, for the marker rate) each mean covers
    latency: dict[str, dict[str, float]]  # stage -> {"p50", "p95", "n"}
    failures: dict[str, list[str]]  # cause -> question ids

    @classmethod
    def from_results(cls, name: str, results: Sequence[QuestionResult]) -> SystemSummary:
        answerable = [r for r in results if r.answerable]
        unanswerable = [r for r in results if not r.answerable]
        metrics: dict[str, float | None] = {}
        counts: dict[str, int] = {}

        def put(metric: str, values: list[float | None]) -> None:
            metrics[metric] = mean(values)
            counts[metric] = sum(v is not None for v in values)

        for metric in (
            *RETRIEVAL_METRICS,
            "str_em",
            "token_f1",
            "citation_precision",
            "citation_recall",
        ):
            put(metric, [r.scores.get(metric) for r in answerable])
        markers = sum(int(r.scores.get("markers") or 0) for r in results)
        dangling = sum(int(r.scores.get("dangling_markers") or 0) for r in results)
        metrics["dangling_marker_rate"] = dangling / markers if markers else None
        counts["dangling_marker_rate"] = markers
        put("refusal_accuracy", [r.scores.get("refused") for r in unanswerable])
        put("false_refusal_rate", [r.scores.get("refused") for r in answerable])
        put("language_match", [r.scores.get("language_match") for r in results])
        put("indonesian_in_english", [r.scores.get("indonesian_in_english") for r in results])
        for kind in sorted({r.type for r in answerable}):
            put(f"str_em[{kind}]", [r.scores.get("str_em") for r in answerable if r.type == kind])
        for reason in sorted({r.reason for r in unanswerable if r.reason}):
            put(
                f"refusal_accuracy[{reason}]",
                [r.scores.get("refused") for r in unanswerable if r.reason == reason],
            )
        failures: dict[str, list[str]] = {cause: [] for cause in FAILURE_CAUSES}
        for r in results:
            if r.failure:
                failures.setdefault(r.failure, []).append(r.id)
        return cls(
            name=name,
            n_questions=len(results),
            metrics=metrics,
            counts=counts,
            latency=latency([r.timings for r in results]),
            failures=failures,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "n_questions": self.n_questions,
            "metrics": dict(self.metrics),
            "counts": dict(self.counts),
            "latency": {k: dict(v) for k, v in self.latency.items()},
            "failures": {k: list(v) for k, v in self.failures.items()},
        }


@dataclass(frozen=True)
class Summary:
    """The result of one eval run over one or more gold files."""

    gold: tuple[str, ...]
    generator: str
    n_questions: int
    systems: tuple[SystemSummary, ...]
    ratios: dict[str, float | None] = field(default_factory=dict)
    details: dict[str, tuple[QuestionResult, ...]] = field(default_factory=dict, repr=False)
    splits: dict[str, Summary] = field(default_factory=dict, repr=False)
    """The same run scored on each split alone (when the questions come from two or more)."""

    @classmethod
    def build(
        cls,
        gold: Sequence[str],
        generator: str,
        results: Mapping[str, Sequence[QuestionResult]],
    ) -> Summary:
        systems = tuple(SystemSummary.from_results(name, rs) for name, rs in results.items())
        n_questions = max((s.n_questions for s in systems), default=0)
        by_name = {s.name: s for s in systems}
        ratios: dict[str, float | None] = {}
        if "ours" in by_name and "naive" in by_name:
            for metric in RATIO_METRICS:
                ratios[metric] = _ratio(
                    _value(by_name["ours"], metric), _value(by_name["naive"], metric)
                )
        names = sorted({r.split for rs in results.values() for r in rs})
        splits: dict[str, Summary] = {}
        if len(names) > 1:
            for name in sorted(names, key=lambda n: (n != "test", n)):  # test first
                part = {s: [r for r in rs if r.split == name] for s, rs in results.items()}
                splits[name or "(none)"] = cls.build(gold, generator, part)
        return cls(
            gold=tuple(gold),
            generator=generator,
            n_questions=n_questions,
            systems=systems,
            ratios=ratios,
            details={name: tuple(rs) for name, rs in results.items()},
            splits=splits,
        )

    def system(self, name: str) -> SystemSummary:
        for s in self.systems:
            if s.name == name:
                return s
        raise KeyError(
            f"no system {name!r} in this run ({', '.join(s.name for s in self.systems)})"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "gold": list(self.gold),
            "generator": self.generator,
            "n_questions": self.n_questions,
            "systems": {s.name: s.to_dict() for s in self.systems},
            "ratios_ours_over_naive": dict(self.ratios),
            "splits": {name: part.to_dict() for name, part in self.splits.items()},
        }

    def table(self) -> str:
        """The metrics of all systems side by side, as a Markdown table."""
        names = [s.name for s in self.systems]
        lines = [
            "| metric | " + " | ".join(names) + " |",
            "|---|" + "---:|" * len(names),
        ]
        extra = sorted({m for s in self.systems for m in s.metrics if m not in QUALITY_METRICS})
        for metric in (*QUALITY_METRICS, *extra):
            cells = [_fmt(s.metrics.get(metric)) for s in self.systems]
            lines.append(f"| {metric} | " + " | ".join(cells) + " |")
        stages = sorted({stage for s in self.systems for stage in s.latency})
        stages.sort(key=lambda st: (st != "total_ms", st))
        for stage in stages:
            for q in ("p50", "p95"):
                cells = [_fmt(s.latency.get(stage, {}).get(q), digits=0) for s in self.systems]
                lines.append(f"| {stage} {q} | " + " | ".join(cells) + " |")
        return "\n".join(lines)

    def to_markdown(self) -> str:
        parts = [
            "# Eval summary",
            "",
            f"Gold: {', '.join(self.gold)}. Questions: {self.n_questions}. "
            f"Generator: {self.generator}.",
            "",
        ]
        for name, part in self.splits.items():
            parts += [f"## Split `{name}` ({part.n_questions} questions)", "", part.table(), ""]
        if self.splits:
            parts += ["## All questions", ""]
        parts += [self.table(), ""]
        if self.ratios:
            parts += [
                "Ours / naive: "
                + ", ".join(f"{k} {_fmt(v, digits=2)}" for k, v in self.ratios.items()),
                "",
            ]
        parts += ["## Failures", "", "| cause | " + " | ".join(s.name for s in self.systems) + " |"]
        parts.append("|---|" + "---:|" * len(self.systems))
        for cause in FAILURE_CAUSES:
            parts.append(
                f"| {cause} | "
                + " | ".join(str(len(s.failures.get(cause, []))) for s in self.systems)
                + " |"
            )
        for s in self.systems:
            failed = [r for r in self.details.get(s.name, ()) if r.failure]
            if not failed:
                continue
            parts += [
                "",
                f"### {s.name}",
                "",
                "| question | cause | missing answer groups |",
                "|---|---|---|",
            ]
            for r in sorted(failed, key=lambda r: (FAILURE_CAUSES.index(r.failure or ""), r.id)):
                parts.append(f"| {r.id} | {r.failure} | {', '.join(r.missing)} |")
        return "\n".join(parts) + "\n"


def _value(summary: SystemSummary, metric: str) -> float | None:
    if metric == "latency_p50_total_ms":
        return summary.latency.get("total_ms", {}).get("p50")
    return summary.metrics.get(metric)


def _ratio(ours: float | None, naive: float | None) -> float | None:
    if ours is None or naive is None or naive == 0:
        return None
    return ours / naive


def _fmt(value: float | None, digits: int = 3) -> str:
    return "–" if value is None else f"{value:.{digits}f}"
