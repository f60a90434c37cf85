"""Checks on the gold evaluation set ``evals/gold/kazakhstan.jsonl``.

Fast and exact: no model, no index. Every evidence quote must be a verbatim substring of
the raw article in ``seeds/`` and sit in the article body, not in a "Baca Juga" link line.
Every question has a ``split`` (``dev`` for tuning, ``test`` for reporting), and every
unanswerable one a ``reason``. The counts are checked for the whole file and for each split,
so each split holds every question type and both languages in a balanced mix.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "evals" / "gold" / "kazakhstan.jsonl"
SEEDS = ROOT / "seeds"

LANGUAGES = {"id", "en"}
TYPES = {"factoid", "list", "multi", "temporal", "followup", "unanswerable"}
REQUIRED = {
    "id": str,
    "question": str,
    "language": str,
    "type": str,
    "answerable": bool,
    "answers": list,
    "evidence": list,
    "history": list,
    "split": str,
}
# ``reason`` is required on unanswerable questions and not allowed on answerable ones.
OPTIONAL = {"notes": str, "reason": str}
SPLITS = {"dev", "test"}
REASONS = {"absent_fact", "off_topic", "nonsense", "other_language"}
MIN_PER_TYPE = {
    "factoid": 50,
    "list": 15,
    "multi": 12,
    "temporal": 12,
    "followup": 15,
    "unanswerable": 40,
}
MIN_PER_REASON = 3
# The test split is for reporting only, so it must be big enough to report on.
MIN_TEST_QUESTIONS = 60
MIN_TEST_UNANSWERABLE = 18
# Lines of the raw articles that are site furniture, not article text.
BOILERPLATE_PREFIXES = ("Baca Juga", "Editor:", "Sumber:")
ID_RE = re.compile(
    r"^(id|en)-(factoid|list|multi|temporal|followup|unanswerable)-[a-z0-9]+(-[a-z0-9]+)*$"
)
DOT_THOUSANDS = re.compile(r"(?<![\d.,])\d{1,3}(?:\.\d{3})+(?![\d.,]*\d)")
COMMA_THOUSANDS = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?![\d.,]*\d)")


def _load() -> list[tuple[int, dict[str, Any]]]:
    records = []
    for lineno, line in enumerate(GOLD.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        records.append((lineno, json.loads(line)))
    return records


RECORDS = _load()
ARTICLES = {path.stem: path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))}


def _rid(item: tuple[int, dict[str, Any]]) -> str:
    return str(item[1].get("id", f"line-{item[0]}"))


def test_every_line_is_a_json_object() -> None:
    lines = GOLD.read_text(encoding="utf-8").splitlines()
    assert lines, "gold file is empty"
    for lineno, line in enumerate(lines, start=1):
        assert line.strip(), f"line {lineno}: blank line"
        assert isinstance(json.loads(line), dict), f"line {lineno}: not a JSON object"


def test_ids_are_unique() -> None:
    counts = Counter(record["id"] for _, record in RECORDS)
    assert not [i for i, n in counts.items() if n > 1]


@pytest.mark.parametrize("item", RECORDS, ids=_rid)
def test_keys_and_types(item: tuple[int, dict[str, Any]]) -> None:
    _, record = item
    missing = set(REQUIRED) - set(record)
    assert not missing, f"missing keys {sorted(missing)}"
    unknown = set(record) - set(REQUIRED) - set(OPTIONAL)
    assert not unknown, f"unknown keys {sorted(unknown)}"
    for key, kind in {**REQUIRED, **OPTIONAL}.items():
        if key in record:
            assert isinstance(record[key], kind), f"{key} must be {kind.__name__}"
    assert record["question"].strip()
    assert record["language"] in LANGUAGES
    assert record["type"] in TYPES
    assert record["split"] in SPLITS, f"split must be one of {sorted(SPLITS)}"
    match = ID_RE.match(record["id"])
    assert match, f"id {record['id']!r} is not <lang>-<type>-<slug>"
    assert match.group(1) == record["language"], "id prefix disagrees with language"
    assert match.group(2) == record["type"], "id type disagrees with type"


@pytest.mark.parametrize("item", RECORDS, ids=_rid)
def test_answerability_is_consistent(item: tuple[int, dict[str, Any]]) -> None:
    _, record = item
    answerable = record["answerable"]
    assert answerable == bool(record["answers"]), "answerable <=> answers non-empty"
    assert answerable == bool(record["evidence"]), "answerable <=> evidence non-empty"
    assert answerable == (record["type"] != "unanswerable"), "unanswerable type <=> not answerable"
    if answerable:
        assert "reason" not in record, "only unanswerable questions carry a reason"
    else:
        assert record.get("reason") in REASONS, (
            f"an unanswerable question needs a reason in {sorted(REASONS)}"
        )
        if record["reason"] == "other_language":
            # The assistant answers a language it does not support in English.
            assert record["language"] == "en", "an other_language question is scored as 'en'"
    if record["type"] == "followup":
        assert record["history"], "a followup needs a history"
    else:
        assert record["history"] == [], "only followups carry a history"
    if record["type"] == "multi":
        docs = {ev["doc_id"] for ev in record["evidence"]}
        assert len(docs) >= 2, "a multi question needs evidence from two or more articles"


@pytest.mark.parametrize("item", RECORDS, ids=_rid)
def test_history_turns(item: tuple[int, dict[str, Any]]) -> None:
    _, record = item
    history = record["history"]
    for n, turn in enumerate(history):
        assert isinstance(turn, list) and len(turn) == 2, f"turn {n} is not [role, text]"
        role, text = turn
        assert role == ("user" if n % 2 == 0 else "assistant"), f"turn {n}: roles must alternate"
        assert isinstance(text, str) and text.strip(), f"turn {n}: empty text"
    if history:
        assert history[-1][0] == "assistant", "history must end with the assistant's turn"


@pytest.mark.parametrize("item", RECORDS, ids=_rid)
def test_answer_aliases(item: tuple[int, dict[str, Any]]) -> None:
    _, record = item
    for group in record["answers"]:
        assert isinstance(group, list) and group, "each answer group is a non-empty list"
        lowered = {alias.casefold() for alias in group if isinstance(alias, str)}
        for alias in group:
            assert isinstance(alias, str) and alias.strip(), f"empty alias in {group}"
            assert alias == alias.strip(), f"alias {alias!r} has surrounding whitespace"
            for number in DOT_THOUSANDS.findall(alias):
                other = alias.replace(number, number.replace(".", ","))
                assert other.casefold() in lowered, f"{alias!r} needs its variant {other!r}"
            for number in COMMA_THOUSANDS.findall(alias):
                other = alias.replace(number, number.replace(",", "."))
                assert other.casefold() in lowered, f"{alias!r} needs its variant {other!r}"


def _line_of(text: str, pos: int) -> str:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return text[start : end if end != -1 else len(text)]


def _in_body(text: str, quote: str) -> bool:
    """True when some occurrence of ``quote`` is not on a boilerplate line."""
    pos = text.find(quote)
    while pos != -1:
        line = _line_of(text, pos).strip()
        if not line.startswith(BOILERPLATE_PREFIXES):
            return True
        pos = text.find(quote, pos + 1)
    return False


@pytest.mark.parametrize("item", RECORDS, ids=_rid)
def test_evidence_quotes_are_verbatim(item: tuple[int, dict[str, Any]]) -> None:
    _, record = item
    for ev in record["evidence"]:
        assert isinstance(ev, dict) and set(ev) == {"doc_id", "quote"}, ev
        assert ev["doc_id"] in ARTICLES, f"unknown doc_id {ev['doc_id']!r}"
        quote = ev["quote"]
        assert isinstance(quote, str) and quote.strip(), "empty quote"
        assert "\n" not in quote, "a quote stays within one line"
        text = ARTICLES[ev["doc_id"]]
        assert quote in text, f"not verbatim in {ev['doc_id']}: {quote!r}"
        assert _in_body(text, quote), f"only in boilerplate (Baca Juga/Editor/Sumber): {quote!r}"


def test_counts() -> None:
    records = [record for _, record in RECORDS]
    total = len(records)
    assert total >= 150
    languages = Counter(record["language"] for record in records)
    for language in LANGUAGES:
        share = languages[language] / total
        assert 0.4 <= share <= 0.6, f"{language}: {languages[language]}/{total}"
    types = Counter(record["type"] for record in records)
    assert set(types) == TYPES, f"missing types {sorted(TYPES - set(types))}"
    assert sum(not record["answerable"] for record in records) >= 40
    for kind, minimum in MIN_PER_TYPE.items():
        assert types[kind] >= minimum, f"{kind}: {types[kind]} < {minimum}"
    reasons = Counter(record.get("reason") for record in records if not record["answerable"])
    for reason in REASONS:
        assert reasons[reason] >= MIN_PER_REASON, f"{reason}: {reasons[reason]} < {MIN_PER_REASON}"


@pytest.mark.parametrize("split", sorted(SPLITS))
def test_counts_per_split(split: str) -> None:
    records = [record for _, record in RECORDS if record.get("split") == split]
    total = len(records)
    assert total, f"the {split} split is empty"
    types = Counter(record["type"] for record in records)
    assert set(types) == TYPES, f"{split}: missing types {sorted(TYPES - set(types))}"
    languages = Counter(record["language"] for record in records)
    for language in LANGUAGES:
        share = languages[language] / total
        assert 0.35 <= share <= 0.65, f"{split}, {language}: {languages[language]}/{total}"
    if split == "test":
        assert total >= MIN_TEST_QUESTIONS, f"test: {total} < {MIN_TEST_QUESTIONS} questions"
        unanswerable = [record for record in records if not record["answerable"]]
        assert len(unanswerable) >= MIN_TEST_UNANSWERABLE, (
            f"test: {len(unanswerable)} < {MIN_TEST_UNANSWERABLE} unanswerable questions"
        )
        reasons = {record.get("reason") for record in unanswerable}
        assert reasons == REASONS, f"test: missing reasons {sorted(REASONS - reasons)}"
