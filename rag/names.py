"""Proper names in text: capitalised words that are not sentence openers or function words."""

from __future__ import annotations

import re

_NAME_RE = re.compile(r"\b[A-Z][\w'-]*[A-Za-z]\b")

# Capitalised because they open a sentence, not because they name anything.
COMMON_CAPITALISED = frozenset(
    ["The", "A", "An", "In", "On", "At", "It", "He", "She", "They", "This", "That", "These", "Those", "There", "His", "Her", "Their", "Its", "We", "I", "According", "However", "Meanwhile", "Also", "But", "And", "Or", "So", "Then", "When", "While", "After", "Before", "Both", "Some", "What", "Who", "Whom", "Why", "How", "Which", "Where", "Did", "Does", "Do", "Is", "Are", "Was", "Were", "Has", "Have", "Had", "Will", "Would", "Menurut", "Namun", "Sementara", "Selain", "Pada", "Dalam", "Di", "Ke", "Dari", "Ia", "Dia", "Mereka", "Itu", "Ini", "Sumber", "Source", "Sources", "Yang", "Dan", "Atau", "Saat", "Setelah", "Sebelum", "Hal", "Para", "Sekitar", "Lebih", "Sebanyak", "Apa", "Siapa", "Berapa", "Kapan", "Mengapa", "Bagaimana", "Apakah"]
)


def names_in(text: str) -> list[str]:
    """Capitalised words of ``text`` that may be names, in order, without repeats."""
    return list(dict.fromkeys(n for n in _NAME_RE.findall(text) if n not in COMMON_CAPITALISED))
