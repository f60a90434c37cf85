"""``rag eval`` without typer: ``main(argv) -> exit code``.

    python -m evals.cli --gold evals/gold/kazakhstan.jsonl --out evals/results/latest \\
        [--generator extractive] [--systems ours,naive,bm25,dense] [--limit N] [--data-dir DIR]

Prints the summary table on stdout, progress on stderr. Exit code 0 when the run completed,
2 on a usage error (bad flag, unreadable gold file, unavailable generator).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

GENERATORS = ("extractive", "bundled", "openai")


def _parser() -> argparse.ArgumentParser:
    from evals.systems import DEFAULT_SYSTEMS, SYSTEMS

    parser = argparse.ArgumentParser(
        prog="rag eval",
        description="Score the assistant and its baselines on gold question files.",
    )
    parser.add_argument(
        "--gold",
        nargs="+",
        type=Path,
        required=True,
        metavar="FILE",
        help="Gold JSON Lines file(s); see evals/README.md for the format.",
    )
    parser.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar="DIR",
        help="Folder for the per-question JSONL, summary.json/.md and plots.",
    )
    parser.add_argument(
        "--generator",
        choices=GENERATORS,
        default="extractive",
        help="Generator every system answers with (default: extractive).",
    )
    parser.add_argument(
        "--systems",
        default=",".join(DEFAULT_SYSTEMS),
        help=f"Comma-separated systems to compare, of {','.join(SYSTEMS)} "
        f"(default: {','.join(DEFAULT_SYSTEMS)}).",
    )
    parser.add_argument(
        "--split",
        choices=("dev", "test"),
        default=None,
        help="Only the questions of this split (default: all, each split reported apart).",
    )
    parser.add_argument(
        "--limit", type=int, default=None, metavar="N", help="Only the first N questions."
    )
    parser.add_argument(
        "--resume",
        action="store_true",
        help="Continue an interrupted run in --out, reusing the answers it saved.",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="Reuse the answers in --out of each system whose inputs did not change.",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        metavar="DIR",
        help="Data dir (default: RAG_DATA_DIR or ./.rag); seeded when empty.",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    systems = [s.strip() for s in args.systems.split(",") if s.strip()]
    if not systems:
        parser.error("--systems names no system")
    if args.limit is not None and args.limit <= 0:
        parser.error(f"--limit must be positive, got {args.limit}")

    from evals.gold import GoldError
    from evals.runner import run_eval
    from evals.systems import SYSTEMS
    from rag import GenerationError, Settings

    unknown = [s for s in systems if s not in SYSTEMS]
    if unknown:
        parser.error(f"unknown system(s) {', '.join(unknown)}: choose from {', '.join(SYSTEMS)}")
    settings = Settings(data_dir=args.data_dir) if args.data_dir else Settings()
    try:
        summary = run_eval(
            args.gold,
            args.out,
            systems,
            generator=args.generator,
            settings=settings,
            limit=args.limit,
            split=args.split,
            resume=args.resume,
            reuse=args.reuse,
        )
    except (GoldError, GenerationError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(summary.table())
    if summary.ratios:
        print(
            "ours / naive: "
            + ", ".join(
                f"{k} {'–' if v is None else f'{v:.2f}'}" for k, v in summary.ratios.items()
            )
        )
    print(f"results in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
