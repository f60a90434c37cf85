"""Proper names in text: capitalised words that are not sentence openers or function words,
and whether a set of known words holds them."""

from __future__ import annotations

import re
from collections.abc import Sequence, Set

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from rag.gazetteer import entities_in

_NAME_RE = re.compile(r"\b[A-Z][\w'-]*[A-Za-z]\b")

# Capitalised because they open a sentence, not because they name anything.
COMMON_CAPITALISED = frozenset(
    [
        "The",
        "A",
        "An",
        "In",
        "On",
        "At",
        "It",
        "He",
        "She",
        "They",
        "This",
        "That",
        "These",
        "Those",
        "There",
        "His",
        "Her",
        "Their",
        "Its",
        "We",
        "I",
        "According",
        "However",
        "Meanwhile",
        "Also",
        "But",
        "And",
        "Or",
        "So",
        "Then",
        "When",
        "While",
        "After",
        "Before",
        "Both",
        "Some",
        "What",
        "Who",
        "Whom",
        "Why",
        "How",
        "Which",
        "Where",
        "Did",
        "Does",
        "Do",
        "Is",
        "Are",
        "Was",
        "Were",
        "Has",
        "Have",
        "Had",
        "Will",
        "Would",
        "Menurut",
        "Namun",
        "Sementara",
        "Selain",
        "Pada",
        "Dalam",
        "Di",
        "Ke",
        "Dari",
        "Ia",
        "Dia",
        "Mereka",
        "Itu",
        "Ini",
        "Sumber",
        "Source",
        "Sources",
        "Yang",
        "Dan",
        "Atau",
        "Saat",
        "Setelah",
        "Sebelum",
        "Hal",
        "Para",
        "Sekitar",
        "Lebih",
        "Sebanyak",
        "Apa",
        "Siapa",
        "Berapa",
        "Kapan",
        "Mengapa",
        "Bagaimana",
        "Apakah",
        "Indonesian",
        "English",
        "January",
        "February",
        "March",
        "May",
        "June",
        "July",
        "August",
        "October",
        "December",
        "Januari",
        "Februari",
        "Maret",
        "Mei",
        "Juni",
        "Juli",
        "Agustus",
        "Oktober",
        "Desember",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "Senin",
        "Selasa",
        "Rabu",
        "Kamis",
        "Jumat",
        "Sabtu",
        "Minggu",
    ]
)


def names_in(text: str) -> list[str]:
    """Capitalised words of ``text`` that may be names, in order, without repeats."""
    return list(dict.fromkeys(n for n in _NAME_RE.findall(text) if n not in COMMON_CAPITALISED))


_OPENER_RE = re.compile(r"(?:^|(?<=[.!?]\s))\s*\S+")
_CAPITALISED_RUN_RE = re.compile(r"\b[A-Z][\w'-]*(?:[ \t]+[A-Z][\w'-]*)*")  # within a line
_WORD_RE = re.compile(r"[^\W_]+")
_OPENS_SENTENCE_RE = re.compile(r"(?:^|[.!?:\"“]\s*)$")


def names_inside(text: str) -> list[str]:
    """``names_in``, leaving out each sentence's first word: a name there cannot be told from
    a capitalised opener ("Pasukan itu ...")."""
    return names_in(_OPENER_RE.sub(" ", text))


# A capitalised word whose lower-case form is this rare in both languages (wordfreq's Zipf
# scale) is a name: "Nazarbayev" is, "White", "House" and "Ministry" are not.
NAME_MAX_ZIPF = 3.0


def people_in(text: str) -> list[str]:
    """Runs of capitalised words that name no country, body or office and do not just open a
    sentence: "Kassym-Jomart Tokayev" of "Kazakh President Kassym-Jomart Tokayev asked ..."."""
    from wordfreq import zipf_frequency

    # Countries, bodies and offices, in any number of words ("Gedung Putih"), part runs.
    for form in (form for entry in entities_in(text) for form in entry):
        text = re.sub(rf"(?<![\w-]){re.escape(form)}(?![\w-])", ";", text, flags=re.IGNORECASE)
    people = []
    for run in _CAPITALISED_RUN_RE.finditer(text):
        words: list[str] = []
        for i, word in enumerate(run[0].split()):
            opener = i == 0 and _OPENS_SENTENCE_RE.search(text[: run.start()]) is not None
            frequency = max(zipf_frequency(word, "en"), zipf_frequency(word, "id"))
            # an acronym ("US", "CSTO", "US-led") names a body, not a person
            acronym = word.split("-")[0].isupper()
            common = (
                word in COMMON_CAPITALISED or acronym or (opener and frequency >= NAME_MAX_ZIPF)
            )
            if common:
                if words:
                    people.append(" ".join(words))
                words = []
            else:
                words.append(word)
        if words:
            people.append(" ".join(words))
    return list(dict.fromkeys(people))


# A sentence that names its speaker only by pronoun, in either language: "Dia lebih lanjut
# meminta ...", "... ," tambahnya", "She added ...".
_REFERS_BACK_RE = re.compile(
    r"^\W*(?:dia|ia|beliau|he|she)\b"
    r"|\b(?:katanya|tambahnya|ujarnya|ucapnya|imbuhnya|lanjutnya|jelasnya|tuturnya|kata dia"
    r"|he said|she said|he added|she added)\b",
    re.IGNORECASE,
)
REFERS_BACK_CHARS = 400  # how far back the person a pronoun stands for is looked for


def people_meant(sentence: str, before: str, people: Sequence[str]) -> list[str]:
    """Which of ``people`` (an article's, ``people_in`` of its body) ``sentence`` means, named
    or not: the full names it gives in part ("Kassym telah memerintah polisi ..." means
    Kassym-Jomart Tokayev), and, when it refers back by pronoun ("...," tambahnya."), the
    person named last in ``before`` (the text that comes before it). Its own words miss them:
    a question about Tokayev's order to the police shares no name with the sentence that
    gives it."""
    words = {w.lower() for w in _WORD_RE.findall(sentence)}
    meant = [p for p in people if len(parts := _name_parts(p)) > 1 and words & set(parts)]
    if _REFERS_BACK_RE.search(sentence):
        lowered = before[-REFERS_BACK_CHARS:].lower()
        last = {
            p: max(lowered.rfind(part) for part in _name_parts(p) or [p.lower()]) for p in people
        }
        named = [p for p, at in last.items() if at >= 0]
        if named:
            meant.append(max(named, key=last.__getitem__))
    return list(dict.fromkeys(meant))


def _name_parts(person: str) -> list[str]:
    return [p for p in re.split(r"[\s'-]+", person.lower()) if len(p) >= 4]


def unknown_names(text: str, known_words: Set[str]) -> list[str]:
    """The names of ``text`` found in none of ``known_words``, not even one edit away or as a
    country in the other language. The citation check asks it of an answer's sentence (known:
    the evidence and the question), the gate of a question (known: the corpus)."""
    from wordfreq import zipf_frequency

    entity_forms = {form for entry in entities_in(text) for form in entry}
    parts = {part for word in known_words if "-" in word or "'" in word for part in _parts(word)}
    known = known_words | parts if parts else known_words
    unknown = []
    for name in names_in(text):
        if fuzzy_in(name.lower(), known):
            continue
        for part in _parts(name.lower()):
            if part in entity_forms or fuzzy_in(part, known):
                continue
            if max(zipf_frequency(part, "en"), zipf_frequency(part, "id")) >= NAME_MAX_ZIPF:
                continue
            unknown.append(name)
            break
    return unknown


def fuzzy_in(name: str, words: Set[str]) -> bool:
    """A name matches a word equal to it, or (long names) one edit away: Rusia ~ Russia.

    An edit is one letter added, dropped or changed (Levenshtein), so Price ~ Prize as well.
    """
    if name in words:
        return True
    parts = _parts(name)
    if len(parts) > 1 and all(p in words for p in parts):
        return True
    if len(name) < 5:
        return False
    # rapidfuzz's loop runs in C: the gate asks this of a whole corpus's words.
    return process.extractOne(name, words, scorer=Levenshtein.distance, score_cutoff=1) is not None


def _parts(word: str) -> list[str]:
    return [p for p in re.split(r"[-']", word) if p]
