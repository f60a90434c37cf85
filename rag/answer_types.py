"""What kind of answer a question asks for, and whether a text holds one.

One definition for the whole answering path: evidence selection favours sentences of the
expected type, retrieval ranks the passages that list countries for a "which countries"
question, the conflict check looks for differing figures only in quantity questions, the
gate refuses a question about money or a percentage that no passage gives an amount for, the
citation check wants the date that answers a "when" question in the cited passage's text and
a name for a question that asks one, and a question that asks for several things (a list,
two questions, a change over time) gets a larger evidence budget.
"""

from __future__ import annotations

import re
from typing import Literal

from index.analyzer import is_indonesian_word, normalize_number
from index.dates import MONTH_NAMES, MONTHS
from rag.gazetteer import ORGANISATIONS, countries_in, entities_in
from rag.lexicon import WORD_RE
from rag.names import names_inside, people_in

AnswerType = Literal["countries", "number", "date", "name"]
Amount = Literal["money", "percent"]
"""A figure with a unit: a question about a cost or a rating needs more than a number."""

_QUANTITY_RE = re.compile(
    r"\b(how (?:many|much)|how large|number of|figures?|count|toll|berapa|jumlah|angka)\b",
    re.IGNORECASE,
)
_WHEN_RE = re.compile(
    r"\b(when|(?:what|which) (?:day|date)|kapan|tanggal|hari apa)\b", re.IGNORECASE
)
_YEAR_ASKED_RE = re.compile(r"\b(tahun|year)\b", re.IGNORECASE)
_DATE_ASKED_RE = re.compile(
    r"\b(tanggal berapa|(?:what|which) (?:day|date)|hari apa)\b", re.IGNORECASE
)
_WHO_RE = re.compile(r"\b(who|whom|siapa)\b", re.IGNORECASE)
# A question that asks for a proper name: "Siapa nama ...", "Apa nama ...", "... namanya
# siapa", "What is the name of ...". Not "Name the two things ..." (a list).
_NAME_ASKED_RE = re.compile(
    r"\b(?:siapa|apa)\s+nama(?:nya)?\b"
    r"|\bnama(?:nya)?\b[^?]*\bsiapa\b|\bsiapa\b[^?]*\bnamanya\b"
    r"|\bwhat(?:'s|\s+(?:is|was|are|were))\s+(?:the|his|her|its|their)\s+names?\b",
    re.IGNORECASE,
)
# "Berapa lama", "how long": a duration, often without a figure ("beberapa hari atau minggu").
_DURATION_RE = re.compile(r"\b(berapa\s+lama|how\s+long)\b", re.IGNORECASE)
# "How much did it cost", "berapa kerugian ...": a quantity question about money. A money word
# alone is not enough ("why did fuel prices rise" asks for a reason, not an amount).
_MONEY_WORD_RE = re.compile(
    r"\b(costs?|price[sd]?|worth|value|loss(?:es)?|damages?|budget|spen[dt]|paid|pay|funds?"
    r"|funding|money|dollars?|rupiah|nilai|harga|biaya|kerugian|anggaran|dana|uang|dolar)\b",
    re.IGNORECASE,
)
_PERCENT_WORD_RE = re.compile(
    r"\b(percent(?:age)?|per cent|persen(?:tase)?|approval rating)\b|%", re.IGNORECASE
)
_MONEY_RE = re.compile(
    r"(\b(rp|usd|idr|us\$)|\$|€|£)\s?\d|\d[\d.,]*\s?(juta|miliar|triliun|million|billion"
    r"|trillion)?\s?(rupiah|dolar|dollars?|euro|tenge|rubel|roubles?|rubles?|yuan)\b",
    re.IGNORECASE,
)
_PERCENT_RE = re.compile(r"\d\s?(%|persen\b|percent\b|per cent\b)", re.IGNORECASE)
_DIGIT_RE = re.compile(r"\d")
_YEAR_RE = re.compile(r"^(?:19|20)\d{2}$")
# Figures written as words, in both languages ("lima negara", "three days", "ribuan warga").
_NUMBER_WORD_RE = re.compile(
    r"\b(?:dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh|sebelas|\w*belas(?:an)?"
    r"|\w*puluh(?:an)?|\w*ratus(?:an)?|\w*ribu(?:an)?|\w*juta(?:an)?|miliar"
    r"|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens?|hundreds?"
    r"|thousands?|millions?)\b",
    re.IGNORECASE,
)
_NUMBER_RE = re.compile(r"\d+(?:[.,]\d+)*")
_DATE_RE = re.compile(
    r"\b(senin|selasa|rabu|kamis|jumat|sabtu|minggu|januari|februari|maret|april|mei|juni|juli"
    r"|agustus|september|oktober|november|desember)\b|\(\d{1,2}/\d{1,2}",
    re.IGNORECASE,
)
# A question that asks for several things: a list ("apa saja", "what kinds of", "every"),
# two questions in one (", and when ...", two question marks) or a change over time
# ("berubah", "awalnya ... lalu", "did it change"). Its answer is spread over more sentences
# than a factoid's.
_SEVERAL_RE = re.compile(
    r"""
      \b(apa|siapa|mana|kapan|berapa)\s+(saja|aja)\b
    | \bsebut(kan|in)\b | \bberubah\b | \bbeda-beda\b
    | \b(awalnya|mula-mula)\b.*\b(lalu|kemudian|belakangan|akhirnya|terus)\b
    | \b(what|which)\s+(kinds|sorts|types)\s+of\b
    | \b(every|each\s+side|list|all\s+the|both)\b
    | \bchange[ds]?\b | \bput\s+dates\b
    | ,\s*(and|dan)\s+(what|when|how|who|which|where|why|was|were|did|is|are
                        |apa|kapan|berapa|siapa|apakah|mengapa|bagaimana)\b
    | \?\s*\S.*\?
    """,
    re.IGNORECASE | re.VERBOSE,
)

# "Which countries ...", "negara mana saja", "berapa negara": the answer is a list of them.
_COUNTRIES_ASKED_RE = re.compile(
    r"\b(?:which|what|how\s+many)\s+(?:\w+\s+){0,2}?(?:countries|nations)\b"
    r"|\bthe\s+(?:countries|nations)\s+(?:that|which|who)\b"
    r"|\bnegara(?:-negara)?\s+(?:mana|apa)\b"
    r"|\bberapa\s+(?:banyak\s+)?negara\b",
    re.IGNORECASE,
)

# A question about the articles themselves, not the story: which outlets, which sources,
# where it was published. Not "kantor berita" (a news agency in the story: RIA, Reuters).
_SOURCES_ASKED_RE = re.compile(
    r"\b(media|outlets?|publishers?|publications?|portals?|websites?|situs|sumber|sources?"
    r"|artikel|articles?|memberitakan|diberitakan|menerbitkan|diterbitkan|terbit|memuat"
    r"|dimuat|publish(?:ed|es)?)\b",
    re.IGNORECASE,
)

# A day of a month as news and answers write it: "16 Januari", "January 16", "(16/1/2022)".
_DAY_MONTH_RE = re.compile(
    rf"(?<!\d)(?P<d1>\d{{1,2}})\s+(?P<m1>{MONTH_NAMES})\b"
    rf"|\b(?P<m2>{MONTH_NAMES})\.?\s+(?P<d2>\d{{1,2}})(?!\d)"
    r"|(?<![\d/])(?P<d3>\d{1,2})/(?P<m3>\d{1,2})(?:/\d{2,4})?(?![\d/])",
    re.IGNORECASE,
)


def asks_when(question: str) -> bool:
    """Does the question ask when something happened ("kapan", "tanggal berapa", "what day")?"""
    return bool(_WHEN_RE.search(question))


def days_in(text: str) -> set[tuple[int, int]]:
    """The (day, month) pairs of the dates ``text`` gives, however it writes them."""
    found = set()
    for match in _DAY_MONTH_RE.finditer(text):
        if match["d1"]:
            day, month = int(match["d1"]), MONTHS[match["m1"].casefold()]
        elif match["d2"]:
            day, month = int(match["d2"]), MONTHS[match["m2"].casefold()]
        else:
            day, month = int(match["d3"]), int(match["m3"])
        if 1 <= day <= 31 and 1 <= month <= 12:
            found.add((day, month))
    return found


def asks_year(question: str) -> bool:
    """Does the question ask for a year ("tahun berapa", "since what year")?"""
    return bool(_YEAR_ASKED_RE.search(question))


def is_quantity_question(question: str) -> bool:
    return bool(_QUANTITY_RE.search(question))


def wants_figure(question: str) -> bool:
    """Must an answer to ``question`` give a figure (``has_figure``)? A "how many" question
    must; a "how long" one need not ("beberapa hari"), nor one that asks for a date."""
    return expected_answer_type(question) == "number" and not asks_duration(question)


def asks_duration(question: str) -> bool:
    """Does ``question`` ask how long ("berapa lama", "how long")?"""
    return bool(_DURATION_RE.search(question))


def after_quantity_cue(question: str) -> str | None:
    """What a quantity question says after its "how many" / "berapa" (what it counts), or
    None for a question that asks no quantity."""
    cue = _QUANTITY_RE.search(question)
    return None if cue is None else question[cue.end() :]


def expected_answer_type(question: str) -> AnswerType | None:
    """'countries', 'number', 'date', 'name' or None, from the question words (English or
    Indonesian). "How many countries" asks for a number, "which countries" for countries."""
    if _DATE_ASKED_RE.search(question):  # "tanggal berapa" asks for a date, not a figure
        return "date"
    if is_quantity_question(question):
        return "number"
    if asks_for_countries(question):
        return "countries"
    if _WHEN_RE.search(question):
        return "date"
    if _WHO_RE.search(question):
        return "name"
    return None


def asks_name(question: str) -> bool:
    """Does ``question`` ask for someone's or something's proper name?"""
    return bool(_NAME_ASKED_RE.search(question))


# The question words of both languages ("siapa", "who", ...): the follow-up test, the
# nonsense test and the compound-question split read them.
QUESTION_WORDS = frozenset(
    ("siapa", "apa", "apakah", "kapan", "mana", "dimana", "berapa", "bagaimana", "mengapa",
     "kenapa", "who", "whom", "whose", "what", "when", "where", "which", "why", "how")
)  # fmt: skip

# "Who is Dmitry Peskov?", "Siapa Jen Psaki?", "Ned Price itu siapa?": who someone named is.
_IDENTITY_RE = re.compile(
    r"^\s*(?:who(?:'s|\s+(?:is|was))|siapa(?:kah)?(?:\s+(?:itu|sih|sebenarnya))?)"
    r"\s+(?P<who>[^?]+?)\s*\??\s*$"
    r"|^\s*(?P<who_first>[^?]+?)\s+(?:itu\s+)?siapa(?:\s+sih)?\s*\??\s*$",
    re.IGNORECASE,
)


def asks_identity(question: str) -> bool:
    """Does ``question`` ask only who a named person is ("Who is Dmitry Peskov?", "Siapa Jen
    Psaki?")? Not "Who is the president of Kazakhstan?", which asks for a name."""
    match = _IDENTITY_RE.match(question)
    if match is None:
        return False
    who = match["who"] or match["who_first"]
    people = people_in(who)
    return len(people) == 1 and len(WORD_RE.findall(who)) <= len(WORD_RE.findall(people[0])) + 1


def gives_name(text: str, question: str) -> bool:
    """Does ``text`` give a proper name that ``question`` does not: a person's (a run of
    ``people_in`` with a word the question lacks and Sastrawi's dictionary does not hold:
    "Ned Price", not "Balai Kota") or a body's ("the CSTO")? Not a country, an office, a
    weekday, nor ordinary words capitalised: "Sekretaris Jenderal aliansi bekas Soviet
    --Organisasi Perjanjian Keamanan Bersama--" names nobody, and "Pria yang berdiri di depan
    Balai Kota Almaty ... adalah pria yang berdiri di depan gedung Balai Kota Almaty ...,
    Kamis" gives no name the question lacks."""
    asked = {word.lower() for word in WORD_RE.findall(question)}
    for run in people_in(text):
        if any(
            word.lower() not in asked and not is_indonesian_word(word)
            for word in WORD_RE.findall(run)
        ):
            return True
    asked_entities = entities_in(question)
    return any(e in ORGANISATIONS and e not in asked_entities for e in entities_in(text))


def asks_for_several(question: str) -> bool:
    """Does ``question`` ask for a list, two things at once, or a change over time?"""
    return bool(_SEVERAL_RE.search(question))


# A yes/no question: an auxiliary or "apakah" first, or "... atau tidak?" / "... or not?" last.
_YES_NO_RE = re.compile(
    r"^\s*(?:apakah|did|does|do|is|are|was|were|has|have|had|can|could|will|would)\b"
    r"|\b(?:atau\s+(?:tidak|bukan|belum|enggak|nggak|gak)|or\s+not)\s*\??\s*$",
    re.IGNORECASE,
)


def asks_yes_or_no(question: str) -> bool:
    """Is ``question`` a yes/no question ("Apakah ...?", "Did ...?", "... atau tidak?")?"""
    return bool(_YES_NO_RE.search(question))


def answered_in_one_sentence(question: str, conflict: bool) -> bool:
    """Is the answer to ``question`` one sentence: one fact, on which the sources agree?

    Not a question for several things, nor one whose figure the sources give differently
    (each figure goes with its date), nor a yes/no question, whose verdict often comes
    second ("Peskov mengatakan Kazakhstan mampu menyelesaikan masalahnya sendiri [1]. ...
    Kazakhstan tidak meminta bantuan Rusia [1].").
    """
    return not (conflict or asks_for_several(question) or asks_yes_or_no(question))


def asks_about_sources(question: str) -> bool:
    """Does ``question`` ask about the articles themselves ("Media mana saja yang
    memberitakan ...?", "Which outlet published ...?")?"""
    return bool(_SOURCES_ASKED_RE.search(question))


def asks_for_countries(question: str) -> bool:
    """Does ``question`` ask which (or how many) countries?"""
    return bool(_COUNTRIES_ASKED_RE.search(question))


def asked_amount(question: str) -> Amount | None:
    """'money' for "how much did it cost / berapa kerugiannya", 'percent' for a percentage or
    an approval rating, else None."""
    if _PERCENT_WORD_RE.search(question):
        return "percent"
    if is_quantity_question(question) and _MONEY_WORD_RE.search(question):
        return "money"
    return None


def has_amount(text: str, kind: Amount) -> bool:
    """Does ``text`` give an amount of ``kind`` ("Rp 5 juta", "2 miliar dolar", "45 persen")?

    A percentage also answers a money question ("by how much did the price go up").
    """
    if kind == "money" and _MONEY_RE.search(text):
        return True
    return bool(_PERCENT_RE.search(text))


def has_answer_type(text: str, kind: AnswerType) -> bool:
    """Does ``text`` hold an answer of ``kind``: three countries or more, a figure (not a
    date's digits), a date, a name (a capitalised word that does not just open the
    sentence)?"""
    if kind == "countries":
        return countries_in(text) >= 3
    if kind == "number":
        return bool(_DIGIT_RE.search(_DATE_RE.sub(" ", text)))
    if kind == "date":
        return bool(_DATE_RE.search(text))
    return bool(names_inside(text))


def numbers_in(text: str) -> set[str]:
    """The numbers of ``text``, normalised: '2.500' and '2,500' are both '2500'."""
    return {normalize_number(n) for n in _NUMBER_RE.findall(text)}


def figures_in(text: str) -> set[str]:
    """The numbers of ``text`` that are not a date's day or month: "(2/1/2022)" and "6
    Januari" give only their years. The check of an answer wants a figure in its passage as
    a figure: "Protes itu terjadi pada jam 2 malam" is not backed by "Minggu (2/1/2022)"."""
    return numbers_in(_DAY_MONTH_RE.sub(_year_of, text))


def has_figure(text: str, years: bool = False) -> bool:
    """Does ``text`` give a figure, in digits that are neither a date's day or month nor
    (unless ``years``: the question asks for one) a year ("225 jenazah", not "Kamis
    (6/1/2022)"), or in words ("lima bekas republik Soviet", "ribuan warga sipil")? Stricter
    than ``has_answer_type(text, "number")``, which the evidence ranking was tuned with and
    which takes the year of "(6/1/2022)"."""
    figures = figures_in(text)
    if figures if years else any(not is_year(figure) for figure in figures):
        return True
    return bool(_NUMBER_WORD_RE.search(text))


def is_year(figure: str) -> bool:
    """Is ``figure`` (digits) a year of the last or this century ("2022")?"""
    return bool(_YEAR_RE.match(figure))


def _year_of(date: re.Match[str]) -> str:
    year = re.search(r"/(\d{2,4})$", date[0])
    return f" {year[1]} " if year else " "
