"""Retrieval-only comparison of fusion settings, on the gold set and the generated corpora.

    .venv/bin/python -m evals.fusion                   # the defaults against k=1, en=0.5
    .venv/bin/python -m evals.fusion --setting rrf_k=20 --setting rrf_k=1,lexical_weight_en=1

Each setting is a set of ``rag.Settings`` overrides (``--setting`` may repeat; the defaults
always run first). Every setting runs the real ``Retriever.search`` over the same stores, so
the settings differ in nothing else; no answer is generated, so a comparison costs seconds.

- gold: the answerable single-turn questions of the gold files (a follow-up needs the
  conversation condensed first, which is the generator's job) over the seeds, in the data dir
  of ``--gold-data-dir`` (default: a fresh one under the bench data root, filled with the
  seeds). hit@1, hit@5 and MRR@10 as the eval suite computes them (``evals.metrics``).
- corpora: the questions of each generated corpus (benchmarks/corpus.py) over the stores
  ``make bench`` built for it (a size without them is skipped, with a note). Each question
  asks for a fact held by one article: the share whose article is among the top ``top_k``
  chunks (what goes on to evidence selection) and first, per question language.

Writes ``fusion.json`` and ``fusion.md`` to ``--out``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "evals" / "results" / "fusion"
DEFAULT_GOLD = ROOT / "evals" / "gold" / "kazakhstan.jsonl"
# Compared with the defaults when no --setting is given: measured better on the generated
# corpora, not adopted yet (docs/DESIGN.md, "Retrieval").
CANDIDATE = "rrf_k=1,lexical_weight_en=0.5"

Overrides = dict[str, Any]


def parse_setting(text: str) -> Overrides:
    """``"rrf_k=1,lexical_weight_en=0.5"`` -> overrides, checked against ``rag.Settings``."""
    from rag import Settings

    overrides: Overrides = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, sep, value = part.partition("=")
        name = name.strip()
        if not sep or name not in Settings.model_fields:
            raise ValueError(f"{part!r} is not name=value with a field of rag.Settings")
        overrides[name] = value.strip()
    checked = Settings(**overrides)  # validates and converts the values
    return {name: getattr(checked, name) for name in overrides}


FUSION_FIELDS = ("retrieval_mode", "rrf_k", "lexical_weight_id", "lexical_weight_en")


def label(overrides: Overrides, settings: Any) -> str:
    """The overrides as given, or for the defaults the fusion fields' values."""
    if overrides:
        return ", ".join(f"{k}={v}" for k, v in overrides.items())
    return "defaults: " + ", ".join(f"{k}={getattr(settings, k)}" for k in FUSION_FIELDS)


def _retrievers(stores: Any, settings: Any, variants: Sequence[Overrides]) -> list[Any]:
    from rag import Retriever

    return [Retriever(stores, settings.model_copy(update=v)) for v in variants]


def gold_scores(
    gold_paths: Sequence[Path], data_dir: Path, variants: Sequence[Overrides]
) -> dict[str, Any]:
    """hit@1, hit@5, MRR@10 per variant on the single-turn answerable gold questions."""
    from evals.baselines import PipelineSystem
    from evals.gold import load_gold
    from evals.metrics import RANKING_DEPTH, mean, relevant_passages, retrieval_scores
    from index import Stores
    from index.ingest import ingest
    from rag import Assistant, Settings

    settings = Settings(data_dir=data_dir, generator="extractive", chroma_url=None)
    stores = Stores.open(settings)
    try:
        if stores.docstore.count_chunks() == 0:
            ingest(stores, [settings.seeds_dir])
        # As `rag eval` scores ours: the same passage pool, the same ranking call.
        systems = [
            PipelineSystem("ours", Assistant(r, r.settings), "extractive")
            for r in _retrievers(stores, settings, variants)
        ]
        gold = [q for q in load_gold(list(gold_paths)) if not q.history]
        relevant = {
            qid: ids for qid, ids in relevant_passages(gold, systems[0].passages()).items() if ids
        }
        questions = {q.id: q.question for q in gold if q.id in relevant}
        result: dict[str, Any] = {"questions": len(relevant), "variants": []}
        for overrides, system in zip(variants, systems, strict=True):
            rankings = {
                qid: [p.chunk_id for p in system.rank(text, RANKING_DEPTH)]
                for qid, text in questions.items()
            }
            per_question = retrieval_scores(relevant, rankings)
            means = {
                metric: round(mean(s[metric] for s in per_question.values()) or 0.0, 3)
                for metric in ("hit@1", "hit@5", "mrr@10")
            }
            setting = label(overrides, system.assistant.settings)
            result["variants"].append({"setting": setting, **means})
        return result
    finally:
        stores.close()


def corpus_scores(
    data_dir: Path, questions_path: Path, variants: Sequence[Overrides]
) -> dict[str, Any]:
    """Per variant: the share of questions whose article is in the top k, and first."""
    from benchmarks.corpus import load_questions
    from index import Stores
    from rag import Settings

    questions = load_questions(questions_path)
    settings = Settings(data_dir=data_dir, generator="extractive", chroma_url=None)
    stores = Stores.open(settings)
    try:
        retrievers = _retrievers(stores, settings, variants)
        result: dict[str, Any] = {"questions": len(questions), "variants": []}
        for overrides, retriever in zip(variants, retrievers, strict=True):
            k = retriever.settings.top_k
            counts: dict[str, list[int]] = {}  # language -> [questions, in top k, first]
            for q in questions:
                docs = [p.doc_id for p in retriever.search(q.question).passages]
                row = counts.setdefault(q.language, [0, 0, 0])
                row[0] += 1
                row[1] += q.doc_id in docs
                row[2] += bool(docs) and docs[0] == q.doc_id
            total = [sum(column) for column in zip(*counts.values(), strict=True)]
            result["variants"].append(
                {
                    "setting": label(overrides, retriever.settings),
                    "top_k": k,
                    "in_top_k": round(total[1] / total[0], 3),
                    "first": round(total[2] / total[0], 3),
                    "by_language": {
                        lang: {"questions": n, "in_top_k": hit, "first": one}
                        for lang, (n, hit, one) in sorted(counts.items())
                    },
                }
            )
        return result
    finally:
        stores.close()


def to_markdown(results: dict[str, Any]) -> str:
    changed = results.get("uncommitted")
    version = f"commit {results.get('commit') or '?'}"
    if changed:
        version += f" with changes to {', '.join(changed)}"
    lines = [
        "# Fusion settings compared (retrieval only)",
        "",
        f"Written by `python -m evals.fusion` (see its docstring); {version}.",
        "",
    ]
    gold = results.get("gold")
    if gold:
        lines += [
            f"## Gold set ({gold['questions']} single-turn answerable questions, the seeds)",
            "",
            "| setting | hit@1 | hit@5 | MRR@10 |",
            "|---|---|---|---|",
        ]
        lines += [
            f"| {v['setting']} | {v['hit@1']:.3f} | {v['hit@5']:.3f} | {v['mrr@10']:.3f} |"
            for v in gold["variants"]
        ]
        lines.append("")
    for size, corpus in results.get("corpora", {}).items():
        lines += [f"## Generated corpus, {int(size):,} chunks", ""]
        if "skipped" in corpus:
            lines += [f"Skipped: {corpus['skipped']}", ""]
            continue
        lines += [
            f"{corpus['questions']} questions; article in the top k (the chunks that go on to "
            "evidence selection) and first.",
            "",
            "| setting | in top k | first | id: in top k / first | en: in top k / first |",
            "|---|---|---|---|---|",
        ]
        for v in corpus["variants"]:
            by = v["by_language"]
            cells = [
                f"{by[lang]['in_top_k']} / {by[lang]['first']} of {by[lang]['questions']}"
                if lang in by
                else "–"
                for lang in ("id", "en")
            ]
            lines.append(
                f"| {v['setting']} | {v['in_top_k']:.2f} (k={v['top_k']}) | {v['first']:.2f} | "
                + " | ".join(cells)
                + " |"
            )
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    # The generated corpora and the stores `make bench` built are the benchmarks' (a source
    # tree, not the installed package): imported here, when the tool runs.
    from benchmarks.corpus import DEFAULT_ROOT, DEFAULT_SEED, corpus_folder
    from benchmarks.embed_cache import claim_project_data_dir
    from benchmarks.run import DEFAULT_DATA_ROOT, code_version

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--setting", action="append", default=None, help="name=value,...")
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000, 100000])
    parser.add_argument("--gold", type=Path, nargs="*", default=[DEFAULT_GOLD])
    parser.add_argument("--gold-data-dir", type=Path, default=None)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--corpus-root", type=Path, default=DEFAULT_ROOT)
    parser.add_argument("--data-root", type=Path, default=DEFAULT_DATA_ROOT)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        variants: list[Overrides] = [{}] + [parse_setting(s) for s in (args.setting or [CANDIDATE])]
    except ValueError as error:  # pydantic's ValidationError is a ValueError
        print(f"--setting: {error}", file=sys.stderr)
        return 2

    claim_project_data_dir(args.data_root)
    results: dict[str, Any] = {**code_version(), "corpora": {}}
    if args.gold:
        gold_dir = args.gold_data_dir or args.data_root / "gold-seeds"
        results["gold"] = gold_scores(args.gold, gold_dir, variants)
        print(f"gold: {results['gold']['questions']} questions", flush=True)
    for size in args.sizes:
        data_dir = args.data_root / f"n{size}"
        questions = corpus_folder(size, args.seed, args.corpus_root) / "questions.jsonl"
        if not (data_dir / "docstore.sqlite").exists() or not questions.exists():
            results["corpora"][str(size)] = {
                "skipped": f"no stores in {data_dir} or no {questions}: run `make bench` first"
            }
        else:
            results["corpora"][str(size)] = corpus_scores(data_dir, questions, variants)
        print(f"{size}: done", flush=True)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "fusion.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    (args.out / "fusion.md").write_text(to_markdown(results), encoding="utf-8")
    print(f"wrote {args.out / 'fusion.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
