"""A question that asks two things at once, asked as two.

"Protes di Kazakhstan mulai tanggal berapa, dan kapan pasukan CSTO mulai masuk?", "How many
members of the security forces were killed, and was that number revised later?". The small
model answers one part and stops, and the evidence of one part crowds out the other's. So
such a question is split where a comma and a conjunction ("dan", "lalu", "and", "then") or a
question mark start a second question, each part is answered on its own (the second as a
follow-up of the first, so "apakah ada buktinya?" knows what "-nya" is), and the answers are
joined, their citations numbered on.

A part is a question only if it asks: the second starts with a question word ("and was that
number revised", "dan kapan ...") or, in Indonesian, ends with one ("lalu belakangan menjadi
berapa?"); the first holds one somewhere. "Who said Kazakhstan, and its allies, would ..."
is one question.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from rag.answer import Answer, Citation, Passage
from rag.answer_types import QUESTION_WORDS
from rag.markers import MARKER_RE

# The question words, and the auxiliaries and "-kah" forms that open a question too.
_QUESTION_WORDS = "|".join(
    (
        *sorted(QUESTION_WORDS),
        *("was", "were", "did", "does", "do", "is", "are", "has", "have", "had"),
        *("can", "could", "will", "would", "should"),
        *("seberapa", "benarkah", "adakah", "bisakah"),
    )
)
_ASKS_RE = re.compile(rf"\b(?:{_QUESTION_WORDS})\b", re.IGNORECASE)
_STARTS_ASKING_RE = re.compile(rf"^(?:{_QUESTION_WORDS})\b", re.IGNORECASE)
_ENDS_ASKING_RE = re.compile(rf"\b(?:{_QUESTION_WORDS})\s*\?\s*$", re.IGNORECASE)
_SEPARATOR_RE = re.compile(
    r",\s*(?:dan|lalu|kemudian|serta|and|then)\s+|\?\s+(?:(?:dan|lalu|and|then)\s+)?",
    re.IGNORECASE,
)
MIN_PART_WORDS = 3
MAX_CHARS = 300  # longer is pasted text or a request, not two questions in a breath


def split_compound(question: str) -> tuple[str, str] | None:
    """The two questions ``question`` asks, or None if it asks one."""
    if len(question) > MAX_CHARS:
        return None
    for match in _SEPARATOR_RE.finditer(question):
        first = question[: match.start()].strip()
        second = question[match.end() :].strip()
        if len(first.split()) < MIN_PART_WORDS or len(second.split()) < MIN_PART_WORDS:
            continue
        if not _ASKS_RE.search(first):
            continue
        if not (_STARTS_ASKING_RE.match(second) or _ENDS_ASKING_RE.search(second)):
            continue
        second = second[0].upper() + second[1:]
        return f"{first.rstrip('?,.;: ')}?", second if second.endswith("?") else f"{second}?"
    return None


def joined(
    asked: str, standalone: str, parts: Sequence[Answer], notices: tuple[str, ...] = ()
) -> Answer:
    """One answer to ``asked`` from the answers to its parts: the texts of the parts answered,
    their markers and citations numbered on from the part before; refused only if every part
    is (then the first part's refusal speaks for the question). ``notices``: the whole
    question's (it was cut, ...), before the parts'."""
    answered = [a for a in parts if not a.refused]
    if not answered:
        first = parts[0]
        return Answer(
            question=asked,
            text=first.text,
            language=first.language,
            refused=True,
            retrieved=_passages(parts),
            timings=dict(first.timings),
            standalone_question=standalone,
            generator=first.generator,
            notices=_notices(notices, parts),
            refusal_reason=first.refusal_reason,
            draft=_drafts(parts),
        )
    texts: list[str] = []
    citations: list[Citation] = []
    for answer in answered:
        offset = len(citations)
        texts.append(renumbered(answer.text, offset))
        citations.extend(replace(c, n=c.n + offset) for c in answer.citations)
    return Answer(
        question=asked,
        text=" ".join(t for t in texts if t),
        language=answered[0].language,
        refused=False,
        citations=tuple(citations),
        retrieved=_passages(parts),
        timings=dict(answered[0].timings),
        standalone_question=standalone,
        generator=answered[0].generator,
        notices=_notices(notices, parts),
        draft=_drafts(parts),
    )


def renumbered(text: str, offset: int) -> str:
    """``text`` with every marker number raised by ``offset``: "[1][2, 3]" -> "[4][5, 6]"."""
    if offset == 0:
        return text

    def shift(match: re.Match[str]) -> str:
        return "[" + re.sub(r"\d+", lambda n: str(int(n[0]) + offset), match[1]) + "]"

    return MARKER_RE.sub(shift, text)


def _passages(parts: Sequence[Answer]) -> tuple[Passage, ...]:
    seen: dict[str, Passage] = {}
    for answer in parts:
        for passage in answer.retrieved:
            seen.setdefault(passage.chunk_id, passage)
    return tuple(seen.values())


def _drafts(parts: Sequence[Answer]) -> str:
    """The model's drafts of the parts, a paragraph each."""
    return "\n\n".join(a.draft for a in parts if a.draft)


def _notices(whole: tuple[str, ...], parts: Sequence[Answer]) -> tuple[str, ...]:
    return tuple(dict.fromkeys([*whole, *(n for answer in parts for n in answer.notices)]))
