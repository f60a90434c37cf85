"""English answers in English: a sentence that carries Indonesian words is translated.

The sources are Indonesian, and a small model answering in English copies phrases from them
("Protesters took over the bandara internasional", or a whole Indonesian quotation). Such a
sentence (``rag.language.indonesian_words``, quotations included: an English reader cannot
read them either) goes back to the model once, alone, to be put into English; the result is
checked against the sources like any sentence. While the answer streams, a sentence waiting
for this is held back (``Assistant``), so the asker never sees it change language.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from functools import lru_cache

from rag.answer_types import numbers_in
from rag.citations import CheckedSentence, Verification
from rag.gazetteer import ENTITIES, ROLES
from rag.language import indonesian_words
from rag.prompts import GLOSSARY_LINE, TRANSLATE_PROMPT

Complete = Callable[[str], str]
"""Runs a prompt through the model; returns its reply."""


def needs_translation(sentence: str) -> bool:
    return bool(indonesian_words(sentence))


def first_untranslated(verification: Verification) -> int | None:
    """The index of the first checked sentence that still carries Indonesian words."""
    return next(
        (i for i, s in enumerate(verification.sentences) if needs_translation(s.text)), None
    )


class Translator:
    """Puts the Indonesian sentences of an English answer into English (one model call each)."""

    def __init__(self, complete: Complete) -> None:
        self.complete = complete

    def run(self, verification: Verification, check: Callable[[str], Verification]) -> Verification:
        """The answer with its Indonesian sentences translated, checked again as a whole.

        If a translation makes the check drop a sentence (a figure or name lost), the answer
        stays as it was.
        """
        if first_untranslated(verification) is None:
            return verification
        sentences = [
            replace(s, text=self._translate(s.text)) if needs_translation(s.text) else s
            for s in verification.sentences
        ]
        translated = check(_marked_with_evidence(sentences))
        if len(translated.sentences) < len(verification.sentences):
            return verification
        return translated

    def _translate(self, sentence: str) -> str:
        prompt = TRANSLATE_PROMPT.format(sentence=sentence, glossary=glossary_line(sentence))
        reply = self.complete(prompt).strip()
        first = reply.splitlines()[0].strip() if reply else ""
        if not first or len(first) > 2 * len(sentence) + 40:
            return sentence  # no reply, or one that ran on
        if not numbers_in(sentence) <= numbers_in(first):
            return sentence  # a figure lost in translation
        return first


def glossary_line(sentence: str) -> str:
    """The gazetteer's English for the Indonesian offices, bodies, countries and
    organisations ``sentence`` names ("Words: juru bicara = spokesperson; organisasi
    perjanjian keamanan kolektif = collective security treaty organization"), or ""."""
    lowered = sentence.lower()
    found = [
        (form, english)
        for form, english in _translations()
        if re.search(rf"\b{re.escape(form)}\b", lowered)
    ]
    # "amerika" is no word of its own inside "amerika serikat"
    pairs = [
        f"{form} = {english}"
        for form, english in found
        if not any(form != other and form in other for other, _ in found)
    ]
    return GLOSSARY_LINE.format(pairs="; ".join(pairs)) if pairs else ""


@lru_cache(maxsize=1)
def _translations() -> tuple[tuple[str, str], ...]:
    """(Indonesian form, English form) for each entry of ``gazetteer.ROLES`` and
    ``gazetteer.ENTITIES`` with an Indonesian form. Entries list their English form first;
    for an acronym ("csto"), its first English long form is taken. Asked alone, the model had
    turned "Organisasi Perjanjian Keamanan Kolektif multinasional (CSTO)" into "the
    Multinational Security Assistance Force (MSAF)"."""
    pairs = [(form, entry[0]) for entry in ROLES for form in entry[1:] if indonesian_words(form)]
    for entry in ENTITIES:
        english = entry[0]
        if " " not in english and len(english) <= 5:  # "csto", "un", "who"; also "india"
            english = next((f for f in entry if " " in f and not indonesian_words(f)), english)
        pairs.extend((form, english) for form in entry[1:] if indonesian_words(form))
    return tuple(pairs)


def _marked_with_evidence(sentences: list[CheckedSentence]) -> str:
    """The sentences with markers numbered by evidence index (as the model's answer was)."""
    parts = []
    for sentence in sentences:
        body = re.sub(r"\s*\[\d+\]", "", sentence.text).rstrip()
        end = body[-1] if body and body[-1] in ".!?" else "."
        body = body[:-1] if body and body[-1] in ".!?" else body
        marks = "".join(f"[{i + 1}]" for i in sentence.sources)
        parts.append(f"{body} {marks}{end}")
    return " ".join(parts)
