"""Answer latency on this machine: warm process, shipped corpus, one generator, one or more
llama.cpp runtimes side by side.

    python -m benchmarks.latency --generator bundled --questions 20 [--runtimes compiled,prebuilt]

Per single-turn question of the gold set's dev split: retrieval, the model's first token, the
first text shown (a sentence the citation check kept) and the whole answer. Each runtime runs
in its own process (``prebuilt``: PyPI's xllamacpp wheel, see ``benchmarks.runtime``), the
same questions. Writes benchmarks/results/latency-<name>.json and .md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
STAGES = ("retrieve_ms", "first_token_ms", "first_text_ms", "total_ms")


def measure(generator: str, model: str | None, limit: int) -> list[dict[str, Any]]:
    """In this process: load the assistant, warm it up, time each question."""
    from benchmarks.stages import timed_stream
    from evals.gold import load_gold
    from rag import Assistant, Settings

    overrides: dict[str, Any] = {"generator": generator, **({"model": model} if model else {})}
    assistant = Assistant.load(Settings(**overrides))
    assistant.ask("Siapa Presiden Kazakhstan?")  # warm-up: loads the model, fills caches
    gold = load_gold([ROOT / "evals" / "gold" / "kazakhstan.jsonl"], "dev")
    rows = []
    for question in [q.question for q in gold if not q.history][:limit]:
        final, first, total = timed_stream(assistant, question)
        shown = first if first is not None else total
        rows.append(
            {
                "question": question,
                "refused": final.refused,
                "generator": final.generator,
                "text": final.text,
                "retrieve_ms": final.timings.get("retrieve_ms", 0.0),
                # the model's first token (an answer without a model: its text)
                "first_token_ms": final.timings.get("first_token_ms", round(shown * 1000, 1)),
                "first_text_ms": round(shown * 1000, 1),
                "total_ms": round(total * 1000, 1),
            }
        )
        print(f"{rows[-1]['total_ms']:>8.0f} ms  {question[:70]}", file=sys.stderr, flush=True)
    return rows


def summarize(rows: list[dict[str, Any]]) -> dict[str, Any]:
    from evals.metrics import percentiles

    summary: dict[str, Any] = {"questions": len(rows), "refused": sum(r["refused"] for r in rows)}
    for key in STAGES:
        found = percentiles([float(r[key]) for r in rows])
        summary[key] = {name: round(value, 1) for name, value in found.items()}
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.latency", description=__doc__)
    add = parser.add_argument
    add("--child", help=argparse.SUPPRESS)
    add("--generator", default="bundled", choices=["bundled", "openai", "extractive"])
    add("--model", default=None, help="bundled model name")
    add("--questions", type=int, default=20)
    add("--runtimes", default="", help="comma-separated: compiled,prebuilt (default: this one)")
    add("--out", type=Path, default=ROOT / "benchmarks/results")
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if args.child:  # ``measure`` in a child process whose xllamacpp is another runtime's
        print(json.dumps(measure(**json.loads(args.child))))
        return 0

    runtimes = [r for r in args.runtimes.split(",") if r] or ["this process"]
    results: dict[str, Any] = {
        "generator": args.generator,
        "model": args.model,
        "machine": {"platform": platform.platform(), "cpus": os.cpu_count()},
        "runtimes": {},
    }
    request = {"generator": args.generator, "model": args.model, "limit": args.questions}
    for runtime in runtimes:
        print(f"runtime: {runtime}", file=sys.stderr, flush=True)
        if runtime == "this process":
            rows = measure(**request)
        else:
            from benchmarks.runtime import prebuilt_dir, run_child

            folder = prebuilt_dir(metadata.version("xllamacpp")) if runtime == "prebuilt" else None
            rows = run_child("benchmarks.latency", request, folder)
        results["runtimes"][runtime] = {"summary": summarize(rows), "rows": rows}
    if len(runtimes) == 2:
        first, second = (results["runtimes"][r]["rows"] for r in runtimes)
        results["same_text"] = sum(
            a["text"] == b["text"] for a, b in zip(first, second, strict=True)
        )
    name = f"latency-{args.generator}" + (f"-{args.model}" if args.model else "")
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"{name}.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    (args.out / f"{name}.md").write_text(report(name, results))
    print(report(name, results))
    return 0


def report(name: str, results: dict[str, Any]) -> str:
    lines = [
        f"# Latency: {name}",
        "",
        "| runtime | questions | " + " | ".join(f"{s[:-3]} p50 / p95 ms" for s in STAGES) + " |",
        "|---|---:|" + "---:|" * len(STAGES),
    ]
    for runtime, measured in results["runtimes"].items():
        summary = measured["summary"]
        cells = [f"{summary[s]['p50']:.0f} / {summary[s]['p95']:.0f}" for s in STAGES]
        lines.append(f"| {runtime} | {summary['questions']} | " + " | ".join(cells) + " |")
    if "same_text" in results:
        count = next(iter(results["runtimes"].values()))["summary"]["questions"]
        lines += ["", f"Same answer text in both runtimes: {results['same_text']} of {count}."]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
