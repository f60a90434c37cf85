"""Country, organisation and office names in English and Indonesian.

Used to tell when a question is about a place, body or office the corpus never mentions
("How did China react?" over a corpus that names no China): no passage can answer that,
however similar its wording; and by the citation check, which matches them across languages.
Each entry lists the forms one name takes in either language; the corpus mentions the entity
when any form occurs in it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

# What a seat of government stands for: "the Kremlin spokesman" is the one the articles call
# "juru bicara presiden Rusia". These forms let a passage or the corpus hold the entry (the
# gate, the citation check, the search's other forms), but a text that uses them does not
# name it: "Presiden Rusia Vladimir Putin" names an office and a country (``STANDS_FOR``).
_KREMLIN_STANDS_FOR = ("presiden rusia", "russian president", "president of russia")

# Former states: names, but not countries a list of them counts ("lima bekas republik Soviet
# dan Rusia" lists one country), nor bodies.
_FORMER_STATES: tuple[tuple[str, ...], ...] = (("soviet union", "uni soviet", "ussr", "soviet"),)

ENTITIES: tuple[tuple[str, ...], ...] = (
    ("afghanistan", "afghan"),
    ("albania",),
    ("algeria", "aljazair"),
    ("argentina",),
    ("armenia", "armenian"),
    ("australia", "australian"),
    ("austria", "austrian"),
    ("azerbaijan", "azerbaijani"),
    ("bangladesh",),
    ("belarus", "belarusian"),
    ("belgium", "belgia", "belgian"),
    ("brazil", "brasil", "brazilian"),
    ("brunei",),
    ("bulgaria",),
    ("cambodia", "kamboja"),
    ("canada", "kanada", "canadian"),
    ("chile", "cile"),
    ("china", "tiongkok", "cina", "chinese"),
    ("colombia", "kolombia"),
    ("croatia", "kroasia"),
    ("cuba", "kuba"),
    ("czech", "ceko"),
    ("denmark", "danish"),
    ("egypt", "mesir", "egyptian"),
    ("estonia", "estonian"),
    ("ethiopia", "etiopia"),
    ("finland", "finlandia", "finnish"),
    ("france", "prancis", "perancis", "french"),
    ("georgia", "georgian"),
    ("germany", "jerman", "german"),
    ("greece", "yunani", "greek"),
    ("hungary", "hungaria", "hungarian"),
    ("india", "indian"),
    # The home country of the articles' readers, also by what its press calls it and its
    # citizens: "Ada WNI yang jadi korban?", "tanggapan Kemlu RI", "KBRI di Astana". (Not
    # "warga negara Indonesia": the search adds a name's other forms to the query, and
    # "warga negara" would match any passage about citizens.)
    ("indonesia", "indonesian", "ri", "wni", "kbri"),
    ("iran", "iranian"),
    ("iraq", "irak", "iraqi"),
    ("ireland", "irlandia"),
    ("israel", "israeli"),
    ("italy", "italia", "italian"),
    ("japan", "jepang", "japanese"),
    ("jordan", "yordania"),
    ("kazakhstan", "kazakstan", "kazakh", "kazakhstani"),
    ("kenya",),
    ("korea", "korean"),
    ("kuwait",),
    ("kyrgyzstan", "kirgistan", "kirgizstan", "kyrgyz", "kirgiz"),
    ("laos",),
    ("latvia", "latvian"),
    ("lebanon", "lebanon", "libanon"),
    ("libya", "libia"),
    ("lithuania", "lituania", "lithuanian"),
    ("malaysia", "malaysian"),
    ("mexico", "meksiko", "mexican"),
    ("moldova", "moldovan"),
    ("mongolia", "mongolian"),
    ("morocco", "maroko"),
    ("myanmar",),
    ("nepal",),
    ("netherlands", "belanda", "dutch"),
    ("new zealand", "selandia baru"),
    ("nigeria",),
    ("norway", "norwegia", "norwegian"),
    ("pakistan", "pakistani"),
    ("palestine", "palestina", "palestinian"),
    ("peru",),
    ("philippines", "filipina", "filipino"),
    ("poland", "polandia"),
    ("portugal",),
    ("qatar",),
    ("romania", "rumania", "romanian"),
    ("russia", "rusia", "russian"),
    ("saudi", "saudi arabia", "arab saudi"),
    ("serbia", "serbian"),
    ("singapore", "singapura"),
    ("slovakia", "slowakia"),
    ("somalia",),
    ("south africa", "afrika selatan"),
    ("spain", "spanyol", "spanish"),
    ("sri lanka",),
    ("sudan",),
    ("sweden", "swedia", "swedish"),
    ("switzerland", "swiss"),
    ("syria", "suriah", "syrian"),
    ("taiwan",),
    ("tajikistan", "tajik", "tajikistani"),
    ("thailand", "thai"),
    ("turkey", "turki", "turkiye", "turkish"),
    ("turkmenistan", "turkmen"),
    ("uae", "uni emirat arab", "emirates"),
    ("uganda",),
    ("ukraine", "ukraina", "ukrainian"),
    ("united kingdom", "inggris", "britain", "british", "uk"),
    # "AS" (Amerika Serikat) is how the articles write it: "Menteri Luar Negeri AS Antony
    # Blinken". It and "US" are common words in lower case, so taken in capitals only.
    ("united states", "amerika serikat", "america", "amerika", "usa", "american", "as", "us"),
    ("uzbekistan", "uzbek"),
    ("venezuela",),
    ("vietnam", "vietnamese"),
    ("yemen", "yaman"),
    # -- the entries above are countries, those below organisations ---------------------
    ("nato",),
    ("united nations", "un", "pbb", "perserikatan bangsa-bangsa"),
    ("european union", "eu", "uni eropa"),
    ("asean",),
    ("opec",),
    ("who", "world health organization"),
    ("imf", "international monetary fund", "dana moneter internasional"),
    ("world bank", "bank dunia"),
    (
        "osce",
        "organization for security and co-operation in europe",
        "organization for security and cooperation in europe",
        "organisation for security and co-operation in europe",
        "organisation for security and cooperation in europe",
        "organisasi untuk keamanan dan kerja sama di eropa",
    ),
    ("red cross", "icrc", "palang merah"),
    ("amnesty international",),
    ("human rights watch",),
    ("international criminal court", "icc", "mahkamah pidana internasional"),
    ("interpol",),
    (
        "csto",
        "organisasi perjanjian keamanan kolektif",
        "collective security treaty organization",
        "collective security treaty organisation",
    ),
    # Seats of government that stand for it: "the Kremlin spokesman" names no person.
    ("kremlin", *_KREMLIN_STANDS_FOR),
    ("white house", "gedung putih"),
    ("pentagon",),
    *_FORMER_STATES,
)

COUNTRIES: frozenset[tuple[str, ...]] = frozenset(ENTITIES[: ENTITIES.index(("nato",))])
ORGANISATIONS: frozenset[tuple[str, ...]] = frozenset(ENTITIES) - COUNTRIES - set(_FORMER_STATES)

# Offices, in both languages: a role is a fact like a country. "Who became prime minister?"
# asks about an office no article names; "The State Department spokesman was Blinken [1]"
# binds a name to a role its passage does not give (the passage says "Menteri Luar Negeri
# AS Antony Blinken"). Plurals and "-s" forms are matched too ("spokesmen" is not). Each
# entry starts with the English form the translation pass is told (``rag.translation``).
ROLES: tuple[tuple[str, ...], ...] = (
    ("president", "presiden"),
    ("vice president", "wakil presiden"),
    ("prime minister", "perdana menteri"),
    ("foreign minister", "secretary of state", "menteri luar negeri", "menlu"),
    (
        "foreign ministry",
        "state department",
        "department of state",
        "kementerian luar negeri",
        "departemen luar negeri",
        "kemlu",
        "deplu",
    ),
    ("defence minister", "defense minister", "menteri pertahanan", "menhan"),
    (
        "defence ministry",
        "defense ministry",
        "ministry of defence",
        "ministry of defense",
        "kementerian pertahanan",
        "kemhan",
    ),
    ("interior minister", "menteri dalam negeri", "mendagri"),
    ("interior ministry", "ministry of interior", "kementerian dalam negeri", "kemendagri"),
    ("health minister", "menteri kesehatan", "menkes"),
    ("health ministry", "ministry of health", "kementerian kesehatan", "kemenkes"),
    (
        "spokesperson",
        "spokesman",
        "spokeswoman",
        "press secretary",
        "juru bicara",
        "jubir",
        "sekretaris pers",
    ),
    ("secretary general", "secretary-general", "sekretaris jenderal", "sekjen"),
    ("prosecutor", "jaksa"),
    # Offices of the courts: "Serik Shalabayev is a judge in the Supreme Court [1]" for the
    # passage's "pejabat perwakilan dari jaksa negara" (a prosecutor's representative).
    ("judge", "hakim"),
    ("court", "supreme court", "pengadilan", "mahkamah agung", "mahkamah"),
    ("commander", "komandan", "panglima"),
    ("ambassador", "duta besar", "dubes"),
    ("mayor", "wali kota", "walikota"),
    ("governor", "gubernur"),
    # A capital is a role a city holds: "Ibu kota Kazakhstan adalah Almaty [1]" from a
    # passage that calls Almaty the largest city binds the city to a role it does not give.
    ("capital", "capital city", "ibu kota", "ibukota"),
)

# Entity forms that are also common words (or English question words) are only taken as a
# mention when capitalised in the question: "who", "uk", "georgia"…; acronyms that are
# words in one of the languages ("who", "un", "eu": Indonesian for "this"), or too short to
# stand alone ("RI"), only when written in capitals.
_CASE_SENSITIVE = frozenset(
    {
        "who",
        "uk",
        "georgia",
        "jordan",
        "chile",
        "turkey",
        "china",
        "india",
        "peru",
        "un",
        "eu",
        "ri",
        "as",
        "us",
    }
)
_ALL_CAPITALS = frozenset({"who", "un", "eu", "ri", "as", "us"})

STANDS_FOR: frozenset[str] = frozenset(_KREMLIN_STANDS_FOR)
"""Forms an entry may be found by in a passage or the corpus, not read as naming it."""

# Indonesian particles written onto a name with a hyphen: "AS-lah yang harus merenungkan
# intervensinya sendiri" names the US.
CLITIC_RE = re.compile(r"-(?:lah|kah|pun|nya|tah)\b", re.IGNORECASE)

# Longest forms first, so "vice president" is found before the "president" inside it; each
# with its pattern (a plural "-s" or a particle allowed).
_FORMS: tuple[tuple[str, tuple[str, ...], re.Pattern[str]], ...] = tuple(
    (form, entry, re.compile(rf"(?<![\w-]){re.escape(form)}s?(?={CLITIC_RE.pattern}|(?![\w-]))"))
    for form, entry in sorted(
        (
            (form, entry)
            for entry in (*ENTITIES, *ROLES)
            for form in entry
            if form not in STANDS_FOR
        ),
        key=lambda f: -len(f[0]),
    )
)


def entities_in(text: str) -> list[tuple[str, ...]]:
    """The gazetteer entries ``text`` mentions (by any form), in order of first mention."""
    found: list[tuple[str, ...]] = []
    for _, _, entry in sorted(mentions(text)):
        if entry not in found:
            found.append(entry)
    return found


@lru_cache(maxsize=4096)
def mentions(text: str) -> tuple[tuple[int, int, tuple[str, ...]], ...]:
    """Where ``text`` mentions gazetteer entries: (start, end, entry) for every mention, longest
    forms first (a longer form's words are not mentions of a shorter one: "vice president").
    Cached: the citation check asks again of the same passages for every sentence."""
    found: list[tuple[int, int, tuple[str, ...]]] = []
    lowered = text.lower()
    for form, entry, pattern in _FORMS:
        taken = []
        for match in pattern.finditer(lowered):
            if form in _CASE_SENSITIVE and not text[match.start()].isupper():
                continue
            if form in _ALL_CAPITALS and text[match.start() : match.end()] != form.upper():
                continue
            found.append((match.start(), match.end(), entry))
            taken.append(match)
        for match in taken:
            lowered = lowered[: match.start()] + " " * len(match[0]) + lowered[match.end() :]
    return tuple(found)


# The roles that are bodies (ministries, courts), and those held by a person (or a city).
INSTITUTIONS = frozenset(
    role
    for role in ROLES
    if role[0]
    in {"foreign ministry", "defence ministry", "interior ministry", "health ministry", "court"}
)
OFFICES = frozenset(ROLES) - INSTITUTIONS


def unnamed_in(text: str, question: str) -> list[tuple[str, ...]]:
    """The countries, organisations and ministries ``question`` names that ``text`` does not
    (by any form): a passage about the US State Department does not answer "Siapa juru
    bicara Kementerian Dalam Negeri Kazakhstan?". An office a person holds is not required:
    a passage that names Jen Psaki and the White House answers about its spokeswoman
    without the word "juru bicara"."""
    named = entities_in(text)
    bodies = COUNTRIES | ORGANISATIONS | INSTITUTIONS
    return [entry for entry in entities_in(question) if entry in bodies and entry not in named]


def countries_in(text: str) -> int:
    """How many different countries ``text`` names (a list of them answers "which
    countries")."""
    return sum(entry in COUNTRIES for entry in entities_in(text))


def mentioned(entry: tuple[str, ...], corpus_text_lower: str) -> bool:
    return any(
        re.search(rf"(?<![\w]){re.escape(form)}(?![\w])", corpus_text_lower) for form in entry
    )


def other_forms(text: str, in_corpus: Callable[[str], bool]) -> list[str]:
    """The forms of the entries ``text`` mentions that the corpus uses (``in_corpus``) and
    ``text`` does not: "kementerian kesehatan" for "health ministry" over Indonesian
    articles."""
    lowered = text.lower()
    return [
        form
        for entry in entities_in(text)
        for form in entry
        if form not in lowered and in_corpus(form)
    ]
