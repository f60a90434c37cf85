"""Answer latency on this machine: warm process, shipped corpus, one generator.

    .venv/bin/python -m benchmarks.latency --generator bundled --questions 20

Measures, per question, retrieval time, the model's first token, the first text the asker sees
(a model's answer streams a sentence at a time, once the citation check has kept it:
rag/checked_stream.py) and the whole answer, and writes the percentiles to
benchmarks/results/latency-<generator>.json (+ .md). Timings belong here, not in tests.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STAGES = ("retrieve_ms", "evidence_ms", "first_token_ms", "first_text_ms", "total_ms")


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def _questions(limit: int) -> list[str]:
    rows = [json.loads(line) for line in (ROOT / "evals/gold/kazakhstan.jsonl").open()]
    single = [r["question"] for r in rows if not r.get("history")]
    return single[:limit]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--generator", default="bundled", choices=["bundled", "openai", "extractive"]
    )
    parser.add_argument("--model", default=None, help="bundled model name")
    parser.add_argument("--questions", type=int, default=20)
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks/results")
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    from rag import Answer, Assistant, Settings

    overrides: dict[str, object] = {"generator": args.generator}
    if args.model:
        overrides["model"] = args.model
    if args.data_dir:
        overrides["data_dir"] = args.data_dir
    settings = Settings(**overrides)  # type: ignore[arg-type]
    assistant = Assistant.load(settings)
    assistant.ask("Siapa Presiden Kazakhstan?")  # warm-up: loads the model, fills caches

    rows = []
    for question in _questions(args.questions):
        started = time.perf_counter()
        first: float | None = None
        final: Answer | None = None
        for item in assistant.stream(question):
            if isinstance(item, Answer):
                final = item
            elif first is None:
                first = time.perf_counter() - started
        total = time.perf_counter() - started
        assert final is not None
        shown = first if first is not None else total
        rows.append(
            {
                "question": question,
                "refused": final.refused,
                "generator": final.generator,
                "retrieve_ms": final.timings.get("retrieve_ms", 0.0),
                "evidence_ms": final.timings.get("evidence_ms", 0.0),
                # the model's first token (an answer without a model: its text)
                "first_token_ms": final.timings.get("first_token_ms", round(shown * 1000, 1)),
                "first_text_ms": round(shown * 1000, 1),
                "total_ms": round(total * 1000, 1),
            }
        )
        print(f"{rows[-1]['total_ms']:>8.0f} ms  {question[:70]}", flush=True)

    summary: dict[str, object] = {
        "generator": args.generator,
        "model": settings.model if args.generator == "bundled" else None,
        "questions": len(rows),
        "refused": sum(r["refused"] for r in rows),
        "machine": {"platform": platform.platform(), "cpus": os.cpu_count()},
    }
    for key in STAGES:
        values = [float(r[key]) for r in rows]
        summary[key] = {
            "p50": round(_percentile(values, 0.5), 1),
            "p95": round(_percentile(values, 0.95), 1),
            "mean": round(statistics.fmean(values), 1),
        }
    args.out.mkdir(parents=True, exist_ok=True)
    name = f"latency-{args.generator}" + (
        f"-{settings.model}" if args.generator == "bundled" else ""
    )
    (args.out / f"{name}.json").write_text(json.dumps({"summary": summary, "rows": rows}, indent=2))
    lines = [f"# Latency: {name}", "", "| stage | p50 ms | p95 ms |", "|---|---|---|"]
    for key in STAGES:
        stats = summary[key]
        assert isinstance(stats, dict)
        lines.append(f"| {key[:-3]} | {stats['p50']} | {stats['p95']} |")
    (args.out / f"{name}.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
