"""Reading gold files: JSON Lines of questions with expected answers and evidence quotes.

The format is described in ``evals/README.md``; ``tests/evals/test_gold.py`` checks the
shipped file in depth. This loader checks only what scoring relies on, and says which file
and line is wrong.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rag import Language

_KEYS = {"id", "question", "language", "type", "answerable", "answers", "evidence", "history"}
SPLITS = ("dev", "test")
"""dev: tune on it. test: report on it, choose nothing by it (evals/README.md, "Splits")."""
REASONS = ("absent_fact", "off_topic", "nonsense", "other_language")
"""Why an unanswerable question cannot be answered."""


class GoldError(ValueError):
    """A gold file is missing or malformed."""


@dataclass(frozen=True)
class GoldEvidence:
    """Where an answer is written: ``quote`` is an exact substring of article ``doc_id``."""

    doc_id: str
    quote: str


@dataclass(frozen=True)
class GoldQuestion:
    """One question of a gold file."""

    id: str
    question: str
    language: Language
    type: str
    answerable: bool
    answers: tuple[tuple[str, ...], ...] = ()
    evidence: tuple[GoldEvidence, ...] = ()
    history: tuple[tuple[str, str], ...] = ()
    split: str = ""  # "dev" or "test"; "" in a gold file without splits
    reason: str = ""  # unanswerable questions: one of REASONS

    def to_dict(self) -> dict[str, Any]:
        extra: dict[str, Any] = {"split": self.split} if self.split else {}
        if self.reason:
            extra["reason"] = self.reason
        return {
            "id": self.id,
            "question": self.question,
            "language": self.language,
            "type": self.type,
            "answerable": self.answerable,
            "answers": [list(group) for group in self.answers],
            "evidence": [{"doc_id": e.doc_id, "quote": e.quote} for e in self.evidence],
            "history": [list(turn) for turn in self.history],
            **extra,
        }


def load_gold(paths: Sequence[Path], split: str | None = None) -> list[GoldQuestion]:
    """The questions of ``paths`` (those of ``split`` only, if given), in file order; ids must
    be unique across all files."""
    if split is not None and split not in SPLITS:
        raise GoldError(f"unknown split {split!r}: use {' or '.join(SPLITS)}")
    if not paths:
        raise GoldError("no gold file given: pass at least one .jsonl file")
    questions: list[GoldQuestion] = []
    seen: dict[str, str] = {}
    for path in paths:
        path = Path(path)
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            raise GoldError(f"gold file {path} does not exist") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise GoldError(f"cannot read gold file {path}: {exc}") from exc
        for lineno, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            where = f"{path}:{lineno}"
            question = _parse(line, where)
            if question.id in seen:
                raise GoldError(
                    f"{where}: question id {question.id!r} already used at {seen[question.id]}; "
                    "ids must be unique across all gold files"
                )
            seen[question.id] = where
            questions.append(question)
    if not questions:
        raise GoldError(f"no questions in {', '.join(str(p) for p in paths)}")
    if split is not None:
        questions = [q for q in questions if q.split == split]
        if not questions:
            raise GoldError(f"no question of split {split!r} in {', '.join(str(p) for p in paths)}")
    return questions


def _parse(line: str, where: str) -> GoldQuestion:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise GoldError(f"{where}: not valid JSON ({exc.msg})") from None
    if not isinstance(record, dict):
        raise GoldError(f"{where}: each line must be a JSON object")
    missing = _KEYS - set(record)
    if missing:
        raise GoldError(f"{where}: missing keys {sorted(missing)} (see evals/README.md)")
    language = record["language"]
    if language not in ("id", "en"):
        raise GoldError(f"{where}: language must be 'id' or 'en', got {language!r}")
    answerable = record["answerable"]
    if not isinstance(answerable, bool):
        raise GoldError(f"{where}: answerable must be true or false")
    try:
        answers = tuple(tuple(str(a) for a in group) for group in record["answers"])
        evidence = tuple(
            GoldEvidence(str(e["doc_id"]), str(e["quote"])) for e in record["evidence"]
        )
        history = tuple((str(role), str(text)) for role, text in record["history"])
    except (TypeError, KeyError, ValueError) as exc:
        raise GoldError(
            f"{where}: answers must be lists of strings, evidence {{doc_id, quote}} objects "
            f"and history [role, text] pairs ({exc})"
        ) from None
    if answerable and not (answers and evidence):
        raise GoldError(f"{where}: an answerable question needs answers and evidence")
    if any(not group for group in answers):
        raise GoldError(f"{where}: an answer group is empty")
    split = str(record.get("split", ""))
    if split and split not in SPLITS:
        raise GoldError(f"{where}: split must be one of {', '.join(SPLITS)}, got {split!r}")
    reason = str(record.get("reason", ""))
    if reason and (answerable or reason not in REASONS):
        raise GoldError(
            f"{where}: reason is for unanswerable questions, one of {', '.join(REASONS)}"
        )
    return GoldQuestion(
        id=str(record["id"]),
        question=str(record["question"]),
        language=language,
        type=str(record["type"]),
        answerable=answerable,
        answers=answers,
        evidence=evidence,
        history=history,
        split=split,
        reason=reason,
    )
