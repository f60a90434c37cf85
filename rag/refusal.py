"""Did the model say the sources do not hold the answer?"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rag.answer_types import numbers_in
from rag.lexicon import WORD_RE
from rag.markers import MARKER_RE
from rag.prompts import NOT_FOUND

# "... is not explicitly stated [1]": a refusal in the words of an answer, with a citation.
_HEDGE = r"(?:(?:explicitly|directly|specifically|clearly)\s+)?"
_NOT_FOUND_RE = re.compile(
    rf"{NOT_FOUND}|not {_HEDGE}(?:found|mentioned|contain|provide|stated|specified|given)"
    r"|no information"
    r"|do(?:es)? not (?:say|mention|contain|provide)"
    r"|tidak (?:secara (?:eksplisit|spesifik|jelas) )?"
    r"(?:ditemukan|disebutkan|dijelaskan|ada informasi|menyebutkan|terdapat)",
    re.IGNORECASE,
)


_SENTENCE_END_RE = re.compile(r"(?<=[.!?])\s")


def says_not_found(text: str, sources: Sequence[str] = ()) -> bool:
    """Did the model answer that the sources do not say?

    Its first sentence decides: "The population is not explicitly stated. The information
    provided focuses on ..." goes on about the sources, not the question. A first sentence
    with a figure answers ("The exact number is not given, but about 2,500 ..."), and so
    does a long one, and so does one that copies the words from ``sources`` (the passages
    the model read): "... "orang Rusia" yang tidak disebutkan namanya ..." is what Psaki
    said, not the model's refusal.
    """
    stripped = text.strip()
    if not stripped:
        return False
    if stripped.upper().startswith(NOT_FOUND):
        return True
    sentence = _SENTENCE_END_RE.split(stripped, maxsplit=1)[0]
    if len(sentence) >= 160 or numbers_in(MARKER_RE.sub("", sentence)):
        return False
    match = _NOT_FOUND_RE.search(sentence)
    return match is not None and not _copied(sentence, match, sources)


def _copied(sentence: str, match: re.Match[str], sources: Sequence[str]) -> bool:
    """Do the matched words, with the word before and after them, stand in a source?"""
    before = WORD_RE.findall(sentence[: match.start()])[-1:]
    after = WORD_RE.findall(sentence[match.end() :])[:1]
    words = [*before, *WORD_RE.findall(match.group(0)), *after]
    phrase = f" {' '.join(words).lower()} "
    return any(phrase in f" {' '.join(WORD_RE.findall(s.lower()))} " for s in sources)
