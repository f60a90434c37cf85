"""Country and organisation names in English and Indonesian.

Used to tell when a question is about a place or body the corpus never mentions ("How did
China react?" over a corpus that names no China): no passage can answer that, however
similar its wording. Each entry lists the forms one name takes in either language; the corpus
mentions the entity when any form occurs in it.
"""

from __future__ import annotations

import re

ENTITIES: tuple[tuple[str, ...], ...] = (
    ("afghanistan",),
    ("albania",),
    ("algeria", "aljazair"),
    ("argentina",),
    ("armenia",),
    ("australia",),
    ("austria",),
    ("azerbaijan",),
    ("bangladesh",),
    ("belarus",),
    ("belgium", "belgia"),
    ("brazil", "brasil"),
    ("brunei",),
    ("bulgaria",),
    ("cambodia", "kamboja"),
    ("canada", "kanada"),
    ("chile", "cile"),
    ("china", "tiongkok", "cina", "chinese"),
    ("colombia", "kolombia"),
    ("croatia", "kroasia"),
    ("cuba", "kuba"),
    ("czech", "ceko"),
    ("denmark",),
    ("egypt", "mesir"),
    ("estonia",),
    ("ethiopia", "etiopia"),
    ("finland", "finlandia"),
    ("france", "prancis", "perancis", "french"),
    ("georgia",),
    ("germany", "jerman", "german"),
    ("greece", "yunani"),
    ("hungary", "hungaria"),
    ("india",),
    ("indonesia",),
    ("iran",),
    ("iraq", "irak"),
    ("ireland", "irlandia"),
    ("israel",),
    ("italy", "italia"),
    ("japan", "jepang"),
    ("jordan", "yordania"),
    ("kazakhstan", "kazakstan", "kazakh"),
    ("kenya",),
    ("korea",),
    ("kuwait",),
    ("kyrgyzstan", "kirgistan", "kirgizstan"),
    ("laos",),
    ("latvia",),
    ("lebanon", "lebanon", "libanon"),
    ("libya", "libia"),
    ("lithuania", "lituania"),
    ("malaysia",),
    ("mexico", "meksiko"),
    ("moldova",),
    ("mongolia",),
    ("morocco", "maroko"),
    ("myanmar",),
    ("nepal",),
    ("netherlands", "belanda", "dutch"),
    ("new zealand", "selandia baru"),
    ("nigeria",),
    ("norway", "norwegia"),
    ("pakistan",),
    ("palestine", "palestina"),
    ("peru",),
    ("philippines", "filipina"),
    ("poland", "polandia"),
    ("portugal",),
    ("qatar",),
    ("romania", "rumania"),
    ("russia", "rusia", "russian"),
    ("saudi", "saudi arabia", "arab saudi"),
    ("serbia",),
    ("singapore", "singapura"),
    ("slovakia", "slowakia"),
    ("somalia",),
    ("south africa", "afrika selatan"),
    ("spain", "spanyol"),
    ("sri lanka",),
    ("sudan",),
    ("sweden", "swedia"),
    ("switzerland", "swiss"),
    ("syria", "suriah"),
    ("taiwan",),
    ("tajikistan",),
    ("thailand",),
    ("turkey", "turki", "turkiye", "turkish"),
    ("turkmenistan",),
    ("uae", "uni emirat arab", "emirates"),
    ("uganda",),
    ("ukraine", "ukraina", "ukrainian"),
    ("united kingdom", "inggris", "britain", "british", "uk"),
    ("united states", "amerika serikat", "america", "amerika", "usa", "american"),
    ("uzbekistan",),
    ("venezuela",),
    ("vietnam",),
    ("yemen", "yaman"),
    ("nato",),
    ("united nations", "pbb", "perserikatan bangsa-bangsa"),
    ("european union", "uni eropa"),
    ("asean",),
    ("opec",),
    ("who", "world health organization"),
    ("csto", "organisasi perjanjian keamanan kolektif"),
)

# Entity forms that are also common words (or English question words) are only taken as a
# mention when capitalised in the question: "who", "uk", "georgia"…
_CASE_SENSITIVE = frozenset(
    {"who", "uk", "georgia", "jordan", "chile", "turkey", "china", "india", "peru"}
)

_FORMS: tuple[tuple[str, tuple[str, ...]], ...] = tuple(
    (form, entry) for entry in ENTITIES for form in entry
)


def entities_in(text: str) -> list[tuple[str, ...]]:
    """The gazetteer entries ``text`` mentions (by any form), in order of first mention."""
    found: list[tuple[str, ...]] = []
    lowered = text.lower()
    for form, entry in _FORMS:
        match = re.search(rf"(?<![\w-]){re.escape(form)}(?![\w-])", lowered)
        if not match:
            continue
        if form in _CASE_SENSITIVE and not text[match.start()].isupper():
            continue
        if form == "who" and text[match.start() : match.end()] != "WHO":
            continue
        if entry not in found:
            found.append(entry)
    return found


def mentioned(entry: tuple[str, ...], corpus_text_lower: str) -> bool:
    return any(
        re.search(rf"(?<![\w]){re.escape(form)}(?![\w])", corpus_text_lower) for form in entry
    )
