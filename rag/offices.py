"""Whose office: a person the passages title as one country's office-holder is not another's.

The citation check binds an office to a name when some passage holds both
(``rag.citations``), not to the country the office belongs to. Asked "Who is the Russian
foreign minister?", which no article says, the 1.5B model answered "The Russian foreign
minister is Antony Blinken [1]." from "Menteri Luar Negeri AS Antony Blinken", and "The
president of Ukraine is Kassym-Jomart Tokayev [1]." from "Presiden Kazakh Kassym-Jomart
Tokayev": every fact of those sentences is in their passages.

A title names the office's country beside the office: before a name in the articles
("Presiden Kazakh Kassym-Jomart Tokayev", "juru bicara presiden Rusia, Dmitry Peskov"), and
in the ways English says it ("the president of Ukraine", "Kazakhstan's president", "the
Russian foreign minister"). When the passages title a person with an office and each such
title names countries, none of them the one a sentence gives that office (or the one the
question asks about), the sentence casts the person in another country's office. A title
that names no country ("Presiden Vladimir Putin") says nothing against any country.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rag.gazetteer import COUNTRIES, OFFICES, mentions
from rag.names import people_in

Entry = tuple[str, ...]

# How far a title's country may stand from its office, in words: before it ("the Russian
# foreign minister", "Kazakhstan's president") and after it ("presiden Rusia", "juru bicara
# Departemen Luar Negeri AS", "the president of Ukraine").
_WORDS_BEFORE = 3
_WORDS_AFTER = 4
# How far before a name its title may end ("juru bicara presiden Rusia, Dmitry Peskov").
_TITLE_GAP_WORDS = 5
_CLAUSE_END_RE = re.compile(r"[.;:!?()\"“”]")
_WORD_RE = re.compile(r"[\w'’-]+")


def miscast(sentence: str, asked: dict[Entry, set[Entry]], passages: Sequence[str]) -> bool:
    """Does ``sentence`` give someone it names an office of a country the passages' titles
    for that person and office never name? Checked against the countries the sentence gives
    each office, and against those the question gives it (``asked``, from ``asked_offices``):
    a sentence about "Menteri Luar Negeri AS Antony Blinken" does not answer "Siapa menteri
    luar negeri Rusia?"."""
    claims = (office_countries(sentence), asked)
    for person in people_in(sentence):
        titles = titles_of(person, passages)
        for claimed in claims:
            for office, countries in claimed.items():
                held = titles.get(office, [])
                if countries and held and all(held) and not any(countries & t for t in held):
                    return True
    return False


def asked_offices(question: str) -> dict[Entry, set[Entry]]:
    """The offices a question asks about, with their countries, for ``miscast``; none for a
    question that names a person: its offices are that person's ("Who asked Russian President
    Putin for help?" is not answered about Russia's president)."""
    return {} if people_in(question) else office_countries(question)


def office_countries(text: str) -> dict[Entry, set[Entry]]:
    """The offices ``text`` names, each with the countries named beside it in its clause."""
    found = mentions(text)
    offices: dict[Entry, set[Entry]] = {}
    for start, end, entry in found:
        if entry not in OFFICES:
            continue
        before = _words_back(text, start, _WORDS_BEFORE)
        after = _words_on(text, end, _WORDS_AFTER)
        offices.setdefault(entry, set()).update(
            country for s, _, country in found if country in COUNTRIES and before <= s < after
        )
    return offices


def titles_of(person: str, passages: Sequence[str]) -> dict[Entry, list[set[Entry]]]:
    """The titles ``passages`` give ``person`` (found by the last word of the name): for each
    office that ends shortly before a mention of the person, the countries named from just
    before the office to the name; one set per title."""
    surname = person.split()[-1]
    name_re = re.compile(rf"(?<![\w-]){re.escape(surname)}(?![\w-])", re.IGNORECASE)
    titles: dict[Entry, list[set[Entry]]] = {}
    for passage in passages:
        found = mentions(passage)
        for name in name_re.finditer(passage):
            # the person's whole name starts where the capitalised run before it starts
            begin = _name_start(passage, name.start(), found)
            reach = _words_back(passage, begin, _TITLE_GAP_WORDS, commas=True)
            after = _appositive_end(passage, name.end())
            for start, end, entry in found:
                if entry not in OFFICES:
                    continue
                if reach <= start and end <= begin:  # "Presiden Kazakh Kassym-Jomart Tokayev"
                    span = (_words_back(passage, start, _WORDS_BEFORE), begin)
                elif name.end() < start < after:  # "Ned Price, juru bicara ... AS"
                    span = (start, _words_on(passage, end, _WORDS_AFTER))
                else:
                    continue
                titles.setdefault(entry, []).append(
                    {c for s, _, c in found if c in COUNTRIES and span[0] <= s < span[1]}
                )
    return titles


def _appositive_end(text: str, position: int) -> int:
    """Where an appositive after a name may hold its title: a comma, then two words
    ("Ned Price, juru bicara Departemen Luar Negeri AS"); ``position`` if no comma follows."""
    comma = re.match(r"\s*,\s*", text[position:])
    if comma is None:
        return position
    return _words_on(text, position + comma.end(), 2)


def _name_start(text: str, position: int, found: Sequence[tuple[int, int, Entry]]) -> int:
    """Where the run of capitalised words that ends at ``position``'s word starts; a word of
    a gazetteer mention (``found``) is not part of it: "Kazakh" of "Presiden Kazakh
    Kassym-Jomart Tokayev"."""
    start = position
    for word in reversed(list(_WORD_RE.finditer(text, 0, position))):
        between = text[word.end() : start]
        if between.strip() or not word[0][:1].isupper():
            break
        if any(s < word.end() and word.start() < e for s, e, _ in found):
            break
        start = word.start()
    return start


def _words_back(text: str, position: int, words: int, commas: bool = False) -> int:
    """The start of the ``words``-th word before ``position``, not past a clause's end (nor
    past a comma, unless ``commas``)."""
    start = position
    for word in reversed(list(_WORD_RE.finditer(text, 0, position))[-words:]):
        gap = text[word.end() : start]
        if _CLAUSE_END_RE.search(gap) or ("," in gap and not commas):
            break
        start = word.start()
    return start


def _words_on(text: str, position: int, words: int) -> int:
    """The end of the ``words``-th word after ``position``, not past a clause's end."""
    end = position
    for word in list(_WORD_RE.finditer(text, position))[:words]:
        if _CLAUSE_END_RE.search(text, end, word.start()) or "," in text[end : word.start()]:
            break
        end = word.end()
    return end
