"""A person's title before a nationality, put the English way round in English answers.

Indonesian writes the nationality after the title ("Presiden Kazakh Kassym-Jomart Tokayev"),
and the 1.5B model and the translation pass keep that order in English: "President Kazakh
Kassym-Jomart Tokayev asked the CSTO for help [1]." An office a person holds, then a
country's form (``rag.gazetteer.COUNTRIES``), then a name, becomes "Kazakh President
Kassym-Jomart Tokayev". Only before a name: "the President of Russia" and "President Biden"
are English already.
"""

from __future__ import annotations

import re

from rag.answer import Language
from rag.gazetteer import COUNTRIES

_OFFICES = (
    "Vice President",
    "President",
    "Prime Minister",
    "Foreign Minister",
    "Defence Minister",
    "Defense Minister",
    "Interior Minister",
    "Health Minister",
)
_COUNTRY_FORMS = frozenset(form for entry in COUNTRIES for form in entry)
_TITLE_RE = re.compile(
    rf"\b(?P<office>{'|'.join(_OFFICES)})\s+"
    r"(?P<country>[A-Z][\w-]*(?:\s[A-Z][\w-]*)?)(?=\s+[A-Z])"
)


def english_title_order(text: str, language: Language) -> str:
    """``text`` with "President Kazakh <name>" written "Kazakh President <name>" (English)."""
    if language != "en":
        return text

    def swap(match: re.Match[str]) -> str:
        office, country = match["office"], match["country"]
        if country.lower() in _COUNTRY_FORMS:
            return f"{country} {office}"
        first, _, rest = country.partition(" ")  # "Kazakh Kassym-Jomart": a one-word country
        if rest and first.lower() in _COUNTRY_FORMS:
            return f"{first} {office} {rest}"
        return match[0]

    return _TITLE_RE.sub(swap, text)
