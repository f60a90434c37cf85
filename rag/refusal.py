"""Did the model say the sources do not hold the answer?"""

from __future__ import annotations

import re

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


def says_not_found(text: str) -> bool:
    """Did the model answer that the sources do not say (and nothing more)?"""
    stripped = text.strip()
    if not stripped:
        return False
    if stripped.upper().startswith(NOT_FOUND):
        return True
    return len(stripped) < 160 and bool(_NOT_FOUND_RE.search(stripped))
