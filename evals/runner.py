"""Running an eval: every gold question through every system, scored, written to a folder.

    from evals.runner import run_eval
    summary = run_eval([Path("evals/gold/kazakhstan.jsonl")], Path("evals/results/latest"))

The output folder gets one ``<system>.jsonl`` per system (a line per question: the question,
the answer's ``to_dict()``, the passages ranked for the retrieval metrics, the scores and the
failure cause), ``summary.json``, ``summary.md``, ``metrics.png`` and ``latency.png``.

With ``reuse=True`` (``rag eval --reuse``, what ``make eval`` does), a system whose
fingerprint (``evals.fingerprints``: its code, libraries, model, settings and articles) is the
one recorded in ``out_dir``'s last ``summary.json`` is not asked again: its answers there are
scored anew. A full run then costs only the systems that changed.

While it runs, every answer is appended to ``checkpoint.jsonl`` in that folder: a run with
the bundled model takes hours on a small CPU, and ``resume=True`` (``rag eval --resume``)
continues an interrupted one instead of starting over. The checkpoint is removed once the
report is written.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from evals.baselines import System
from evals.gold import GoldQuestion, load_gold
from evals.metrics import (
    RANKING_DEPTH,
    RETRIEVAL_METRICS,
    answer_scores,
    failure_cause,
    matched_groups,
    passage_is_relevant,
    relevant_passages,
    retrieval_scores,
)
from evals.report import QuestionResult, Summary
from evals.systems import DEFAULT_SYSTEMS, build_systems
from rag import Answer, Assistant, GeneratorName, Settings


def run_eval(
    gold_paths: Sequence[Path],
    out_dir: Path,
    systems: Sequence[str] = DEFAULT_SYSTEMS,
    generator: GeneratorName = "extractive",
    settings: Settings | None = None,
    limit: int | None = None,
    *,
    split: str | None = None,
    progress: bool = True,
    resume: bool = False,
    reuse: bool = False,
) -> Summary:
    """Evaluate ``systems`` on the questions of ``gold_paths`` (those of ``split``, the first
    ``limit``).

    ``settings`` (default: from the environment) name the data dir, opened (and filled with
    ``settings.seeds_dir`` when empty) as ``Assistant.load`` does; every system answers
    with ``generator``.
    """
    if limit is not None and limit <= 0:
        raise ValueError(f"limit must be positive, got {limit}")
    questions = load_gold([Path(p) for p in gold_paths], split)[:limit]
    settings = settings or Settings()
    assistant = Assistant.load(settings)
    built = build_systems(list(systems), assistant, generator, questions)
    return evaluate(
        questions,
        built,
        Path(out_dir),
        generator=generator,
        gold=[str(p) for p in gold_paths],
        progress=progress,
        resume=resume,
        reuse=reuse,
    )


def evaluate(
    questions: Sequence[GoldQuestion],
    systems: Sequence[System],
    out_dir: Path,
    *,
    generator: str,
    gold: Sequence[str] = (),
    progress: bool = True,
    resume: bool = False,
    reuse: bool = False,
) -> Summary:
    """Ask, rank and score every question with every system; write the results to ``out_dir``.

    Questions go round the systems in turn (question 1 to every system, then question 2 ...),
    so a load spike on the machine hits all systems alike instead of the one running then.
    With ``resume``, answers already in ``out_dir``'s checkpoint (same question, system,
    generator and system fingerprint) are reused.
    """
    from tqdm import tqdm

    out_dir.mkdir(parents=True, exist_ok=True)
    checkpoint = out_dir / CHECKPOINT
    answers: dict[str, dict[str, Answer]] = {s.name: {} for s in systems}
    rankings: dict[str, dict[str, list[str]]] = {s.name: {} for s in systems}
    fingerprints = {s.name: s.fingerprint() for s in systems}
    if reuse:
        _load_unchanged(out_dir, questions, generator, fingerprints, answers, rankings)
    if resume:
        _load_checkpoint(checkpoint, questions, generator, fingerprints, answers, rankings)
    else:
        checkpoint.unlink(missing_ok=True)
    bar = tqdm(total=len(questions) * len(systems), file=sys.stderr, disable=not progress, unit="q")
    try:
        with checkpoint.open("a", encoding="utf-8") as saved:
            for q in questions:
                for system in systems:
                    bar.set_description(system.name)
                    if q.id not in answers[system.name]:
                        answer = system.ask(q.question, q.history)
                        answers[system.name][q.id] = answer
                        if q.answerable:
                            query = answer.standalone_question or q.question
                            ranked = system.rank(query, RANKING_DEPTH)
                            rankings[system.name][q.id] = [p.chunk_id for p in ranked]
                        entry = {
                            "system": system.name,
                            "id": q.id,
                            "question": q.question,
                            "generator": generator,
                            "fingerprint": fingerprints[system.name],
                            "answer": answer.to_dict(),
                            "ranking": rankings[system.name].get(q.id),
                        }
                        saved.write(json.dumps(entry, ensure_ascii=False) + "\n")
                        saved.flush()
                    bar.update(1)
    finally:
        bar.close()

    results: dict[str, list[QuestionResult]] = {}
    totals: dict[str, list[float]] = {}
    for system in systems:
        rows, system_results = _score_system(
            system, questions, answers[system.name], rankings[system.name]
        )
        results[system.name] = system_results
        totals[system.name] = [
            r.timings["total_ms"] for r in system_results if "total_ms" in r.timings
        ]
        with (out_dir / f"{system.name}.jsonl").open("w", encoding="utf-8") as f:
            for row in rows:
                f.write(json.dumps(row, ensure_ascii=False) + "\n")

    summary = Summary.build(gold, generator, results)
    (out_dir / "summary.json").write_text(
        json.dumps(
            {**summary.to_dict(), "fingerprints": fingerprints}, ensure_ascii=False, indent=2
        )
        + "\n",
        encoding="utf-8",
    )
    (out_dir / "summary.md").write_text(summary.to_markdown(), encoding="utf-8")
    from evals.plots import plot_latency, plot_metrics

    plot_metrics(summary, out_dir / "metrics.png")
    plot_latency(totals, out_dir / "latency.png", f"Total latency per question ({generator})")
    checkpoint.unlink(missing_ok=True)
    return summary


CHECKPOINT = "checkpoint.jsonl"


def _load_unchanged(
    out_dir: Path,
    questions: Sequence[GoldQuestion],
    generator: str,
    fingerprints: dict[str, str],
    answers: dict[str, dict[str, Answer]],
    rankings: dict[str, dict[str, list[str]]],
) -> None:
    """Fill ``answers``/``rankings`` of the systems whose fingerprint matches the last run's
    in ``out_dir`` from that run's ``<system>.jsonl`` (same question text, same generator)."""
    try:
        last = json.loads((out_dir / "summary.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    if last.get("generator") != generator:
        return
    wanted = {q.id: q.question for q in questions}
    for name, fingerprint in fingerprints.items():
        if last.get("fingerprints", {}).get(name) != fingerprint:
            continue
        try:
            lines = (out_dir / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
        except OSError:
            continue
        for line in lines:
            try:
                row = json.loads(line)
                if wanted.get(row["id"]) != row["gold"]["question"]:
                    continue
                answers[name][row["id"]] = Answer.from_dict(row["answer"])
                if row.get("ranking"):
                    rankings[name][row["id"]] = list(row["ranking"])
            except (ValueError, KeyError, TypeError):
                continue


def _load_checkpoint(
    path: Path,
    questions: Sequence[GoldQuestion],
    generator: str,
    fingerprints: dict[str, str],
    answers: dict[str, dict[str, Answer]],
    rankings: dict[str, dict[str, list[str]]],
) -> None:
    """Fill ``answers``/``rankings`` from a checkpoint, keeping only entries that still match
    (same question text, a system of this run with the same fingerprint, the same
    generator): an interrupted run resumed after a code change does not mix two versions'
    answers. A torn last line from a killed run is skipped."""
    if not path.is_file():
        return
    wanted = {q.id: q.question for q in questions}
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            entry = json.loads(line)
            if (
                entry["system"] not in answers
                or entry.get("fingerprint") != fingerprints[entry["system"]]
                or entry["generator"] != generator
                or wanted.get(entry["id"]) != entry["question"]
            ):
                continue
            answer = Answer.from_dict(entry["answer"])
        except (ValueError, KeyError, TypeError):
            continue
        answers[entry["system"]][entry["id"]] = answer
        if entry.get("ranking") is not None:
            rankings[entry["system"]][entry["id"]] = list(entry["ranking"])


def _score_system(
    system: System,
    questions: Sequence[GoldQuestion],
    answers: dict[str, Answer],
    rankings: dict[str, list[str]],
) -> tuple[list[dict[str, Any]], list[QuestionResult]]:
    """The JSONL rows and scored results of one system's answers and rankings."""
    articles = system.articles()
    relevant = relevant_passages(questions, system.passages())
    retrieval = retrieval_scores(relevant, rankings)

    rows: list[dict[str, Any]] = []
    results: list[QuestionResult] = []
    for q in questions:
        answer = answers[q.id]
        scores: dict[str, float | None] = dict.fromkeys(RETRIEVAL_METRICS)
        scores.update(retrieval.get(q.id, {}))
        scores.update(answer_scores(q, answer, articles))
        flags = [passage_is_relevant(p.doc_id, p.text, q.evidence) for p in answer.retrieved]
        judged = bool(relevant.get(q.id))
        failure = failure_cause(q, scores, any(flags) if judged else None)
        missing: tuple[str, ...] = ()
        if q.answerable and failure:
            found = (
                matched_groups(answer.text, q.answers)
                if not answer.refused
                else [False] * len(q.answers)
            )
            missing = tuple(group[0] for group, ok in zip(q.answers, found, strict=True) if not ok)
        result = QuestionResult(
            id=q.id,
            type=q.type,
            language=q.language,
            answerable=q.answerable,
            scores=scores,
            timings=dict(answer.timings),
            failure=failure,
            missing=missing,
            split=q.split,
            reason=q.reason,
        )
        results.append(result)
        ranking = rankings.get(q.id, [])
        rows.append(
            {
                "id": q.id,
                "system": system.name,
                "gold": q.to_dict(),
                "answer": answer.to_dict(),
                "ranking": ranking,
                "relevant_ranks": [
                    i
                    for i, cid in enumerate(ranking, start=1)
                    if cid in set(relevant.get(q.id, ()))
                ],
                "n_relevant": len(relevant.get(q.id, ())),
                "retrieved_relevant": flags,
                "scores": scores,
                "failure": failure,
                "missing": list(missing),
            }
        )
    return rows, results
