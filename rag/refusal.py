"""Did the model say the sources do not hold the answer?"""

from __future__ import annotations

import re

from rag.prompts import NOT_FOUND

_NOT_FOUND_RE = re.compile(
    rf"{NOT_FOUND}|not (?:found|mentioned|contain|provide)|no information"
    r"|do(?:es)? not (?:say|mention|contain|provide)"
    r"|tidak (?:ditemukan|disebutkan|ada informasi|menyebutkan|terdapat)",
    re.IGNORECASE,
)


def says_not_found(text: str) -> bool:
    """Did the model answer that the sources do not say (and nothing more)?"""
    stripped = text.strip()
    if not stripped:
        return False
    if stripped.upper().startswith(NOT_FOUND):
        return True
    return len(stripped) < 160 and bool(_NOT_FOUND_RE.search(stripped))
