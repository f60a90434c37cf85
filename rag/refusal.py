"""When to say the corpus does not hold the answer."""

from __future__ import annotations

import re
from collections.abc import Collection

from rag.gazetteer import entities_in
from rag.prompts import NOT_FOUND

_NOT_FOUND_RE = re.compile(
    rf"{NOT_FOUND}|not (?:found|mentioned|contain|provide)|no information"
    r"|do(?:es)? not (?:say|mention|contain|provide)"
    r"|tidak (?:ditemukan|disebutkan|ada informasi|menyebutkan|terdapat)",
    re.IGNORECASE,
)


def absent_entities(question: str, vocabulary: Collection[str]) -> list[str]:
    """Countries/organisations the question names that the corpus never mentions."""
    missing = []
    for entry in entities_in(question):
        if not any(all(word in vocabulary for word in form.split()) for form in entry):
            missing.append(entry[0])
    return missing


def says_not_found(text: str) -> bool:
    """Did the model answer that the sources do not say (and nothing more)?"""
    stripped = text.strip()
    if not stripped:
        return False
    if stripped.upper().startswith(NOT_FOUND):
        return True
    return len(stripped) < 160 and bool(_NOT_FOUND_RE.search(stripped))
