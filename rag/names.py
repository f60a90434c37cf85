"""Proper names in text: capitalised words that are not sentence openers or function words,
and whether a set of known words holds them."""

from __future__ import annotations

import re
from collections.abc import Set

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


def names_inside(text: str) -> list[str]:
    """``names_in``, leaving out each sentence's first word: a name there cannot be told from
    a capitalised opener ("Pasukan itu ...")."""
    return names_in(_OPENER_RE.sub(" ", text))


# A capitalised word whose lower-case form is this rare in both languages (wordfreq's Zipf
# scale) is a name: "Nazarbayev" is, "White", "House" and "Ministry" are not.
NAME_MAX_ZIPF = 3.0


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
