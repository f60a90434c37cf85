"""Indonesian text analysis for the lexical (BM25) index.

bm25s and llama-index's BM25Retriever default to English stemming and stopwords, and
PyStemmer's Snowball Indonesian stemmer over-stems ("berita" -> "ita"). Sastrawi's
dictionary-backed stemmer leaves names and unknown words intact ("Tokayev", "Blinken")
while reducing affixed forms ("memadamkan" -> "madam", "kerusuhan" -> "rusuh").
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from functools import lru_cache
from importlib.metadata import version

from bm25s.stopwords import STOPWORDS_EN_PLUS
from Sastrawi.Stemmer.StemmerFactory import StemmerFactory
from Sastrawi.StopWordRemover.StopWordRemoverFactory import StopWordRemoverFactory

# Numbers keep their grouping so "2.500" and "2,500" meet as one token; words may carry
# inner hyphens (reduplication "negara-negara", names "Kassym-Jomart").
_TOKEN_RE = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+(?:-[^\W\d_]+)*")
_THOUSANDS_RE = re.compile(r"^\d{1,3}(?:[.,]\d{3})+$")

ANALYZER_VERSION = 1
"""Bump when the rules here change (the token pattern, numbers, acronyms, the stemmer's use):
the BM25 tokens stored by older ingests are then analysed again by the next one."""

# English function words: questions arrive in English too, and their function words must not
# match Indonesian text by accident ("the" would otherwise score as a rare term). bm25s's list
# (NLTK's), except four words that are also Indonesian (Sastrawi's dictionary: "aren" the sugar
# palm, "won" the currency, "ain", "don"), which stay terms in Indonesian text; plus "could",
# "would", "many" and "much", which NLTK's list lacks ("how many ...?").
ENGLISH_STOPWORDS = (frozenset(STOPWORDS_EN_PLUS) - {"ain", "aren", "don", "won"}) | {
    "could",
    "many",
    "much",
    "would",
}


@lru_cache(maxsize=1)
def _stemmer():
    return StemmerFactory().create_stemmer()


@lru_cache(maxsize=1)
def indonesian_stopwords() -> frozenset[str]:
    return frozenset(StopWordRemoverFactory().get_stop_words())


def normalize_number(token: str) -> str:
    """'2.500' / '2,500' -> '2500'; '1,5' -> '1.5' (Indonesian decimal comma)."""
    if _THOUSANDS_RE.match(token):
        return re.sub(r"[.,]", "", token)
    grouped = re.fullmatch(r"(\d{1,3}(?:([.,])\d{3})+)([.,])(\d+)", token)
    if grouped and grouped.group(2) != grouped.group(3):  # "1.234,56" / "1,234.56"
        return re.sub(r"[.,]", "", grouped.group(1)) + "." + grouped.group(4)
    return token.replace(",", ".")


@lru_cache(maxsize=200_000)
def stem(word: str) -> tuple[str, ...]:
    """Stem one lower-cased word; hyphenated names fall apart into their parts."""
    stemmed = _stemmer().stem(word)
    if not stemmed:
        return (word,)
    if "-" in stemmed:
        return tuple(part for part in stemmed.split("-") if part)
    return (stemmed,)


@lru_cache(maxsize=1)
def _root_words() -> frozenset[str]:
    return frozenset(StemmerFactory().get_words())


def is_indonesian_word(word: str) -> bool:
    """Is ``word`` an ordinary Indonesian word: does it stem to roots of Sastrawi's dictionary
    ("Keamanan" -> "aman", "Kota")? A name does not ("Tokayev", "Price", "Almaty")."""
    return all(part in _root_words() for part in stem(word.lower()))


class IndonesianAnalyzer:
    """Text -> BM25 tokens: lower-case, numbers normalised, stopwords out, Sastrawi stems."""

    def __init__(self, extra_stopwords: Iterable[str] = ()) -> None:
        self.indonesian = indonesian_stopwords() | frozenset(extra_stopwords)
        self.stopwords = self.indonesian | ENGLISH_STOPWORDS

    @property
    def identity(self) -> str:
        """What makes this analyzer's tokens: the rules' version, the stemmer, the stopwords.

        The document store keeps each chunk's tokens and rebuilds BM25 from them, while
        queries are analysed afresh: ingest compares this with the identity stored beside
        the tokens, so a changed stopword or stemmer re-analyses them instead of leaving
        stored and query tokens silently apart (as the embedder id guards the vectors).
        """
        words = json.dumps([sorted(self.indonesian), sorted(self.stopwords)], ensure_ascii=False)
        digest = hashlib.sha256(words.encode("utf-8")).hexdigest()[:16]
        stemmer = f"PySastrawi=={version('PySastrawi')}"
        return f"indonesian-v{ANALYZER_VERSION};stemmer={stemmer};stopwords={digest}"

    def __call__(self, text: str) -> list[str]:
        tokens: list[str] = []
        for match in _TOKEN_RE.finditer(text):
            original = match.group(0)
            token = original.lower()
            if token[0].isdigit():
                tokens.append(normalize_number(token))
                continue
            acronym = len(original) > 1 and original.isupper()  # "AS" = Amerika Serikat
            if token in self.indonesian or (token in self.stopwords and not acronym):
                continue
            for part in stem(token):
                if len(part) > 1 and (part not in self.stopwords or acronym):
                    tokens.append(part)
        return tokens

    def many(self, texts: Iterable[str]) -> list[list[str]]:
        return [self(text) for text in texts]


@lru_cache(maxsize=1)
def default_analyzer() -> IndonesianAnalyzer:
    """One analyzer with the default stopwords, for code that compares texts' terms outside
    an index (the citation check, follow-up rewrites)."""
    return IndonesianAnalyzer()
