"""The corpus's words and phrases: does it ever use this word, this phrase, this name?"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

WORD_RE = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Lexicon:
    """The lower-cased words of a corpus and its text as those words in order.

    A phrase is used when its words stand together in one article: "uni eropa" is not used by
    a corpus that speaks of the "Uni Soviet" and of "keamanan Eropa", though both its words
    are.
    """

    words: frozenset[str]
    flat: str  # each article's words joined by single spaces, articles apart ("|")

    @classmethod
    def of(cls, texts: Iterable[str]) -> Lexicon:
        words: set[str] = set()
        flats = []
        for text in texts:
            found = WORD_RE.findall(text.lower())
            words.update(found)
            flats.append(" ".join(found))
        return cls(frozenset(words), " " + " | ".join(flats) + " ")

    def has_words(self, phrase: str) -> bool:
        """Does the corpus use each word of ``phrase``, together or apart?"""
        return all(w in self.words for w in WORD_RE.findall(phrase.lower()))

    def mentions(self, phrase: str) -> bool:
        """Does the corpus use ``phrase`` (a word, or words side by side)?"""
        words = WORD_RE.findall(phrase.lower())
        if not words or not self.has_words(phrase):
            return False
        return len(words) == 1 or f" {' '.join(words)} " in self.flat
