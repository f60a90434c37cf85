"""Which language a question is in: Indonesian ("id") or English ("en").

lingua, restricted to Indonesian, English and Malay, is right on full sentences; on very
short questions ("apa itu CSTO") it wavers, so common function words vote first. Malay is
treated as Indonesian: the two are close and our corpus is Indonesian.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rag.answer import Language

_ID_WORDS = frozenset(
    [
        "apa",
        "siapa",
        "berapa",
        "kapan",
        "mengapa",
        "kenapa",
        "bagaimana",
        "dimana",
        "di",
        "mana",
        "yang",
        "itu",
        "ini",
        "dan",
        "atau",
        "ke",
        "dari",
        "untuk",
        "dengan",
        "tidak",
        "ada",
        "adalah",
        "oleh",
        "pada",
        "dalam",
        "akan",
        "telah",
        "sudah",
        "apakah",
        "jumlah",
        "para",
        "saat",
        "setelah",
        "sebelum",
        "tentang",
        "antara",
        "mereka",
        "dia",
        "ia",
        "kami",
        "kita",
        "bahwa",
        "juga",
    ]
)
_EN_WORDS = frozenset(
    [
        "what",
        "who",
        "whom",
        "how",
        "when",
        "why",
        "where",
        "which",
        "the",
        "is",
        "are",
        "was",
        "were",
        "did",
        "does",
        "do",
        "of",
        "and",
        "in",
        "to",
        "for",
        "with",
        "about",
        "from",
        "many",
        "much",
        "after",
        "before",
        "between",
        "their",
        "they",
        "he",
        "she",
        "it",
        "that",
        "this",
        "there",
        "has",
        "have",
        "had",
    ]
)
_WORD_RE = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=1)
def _detector():
    from lingua import Language as L
    from lingua import LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(L.INDONESIAN, L.ENGLISH, L.MALAY).build()


def detect_language(text: str, default: Language = "en") -> Language:
    """'id' or 'en' for ``text``; ``default`` when nothing in it tells."""
    words = [w.lower() for w in _WORD_RE.findall(text)]
    if not words:
        return default
    id_votes = sum(w in _ID_WORDS for w in words)
    en_votes = sum(w in _EN_WORDS for w in words)
    if id_votes != en_votes and max(id_votes, en_votes) >= 2 * min(id_votes, en_votes) + 1:
        return "id" if id_votes > en_votes else "en"
    confidences = {
        c.language.name: c.value for c in _detector().compute_language_confidence_values(text)
    }
    indonesian = confidences.get("INDONESIAN", 0.0) + confidences.get("MALAY", 0.0)
    english = confidences.get("ENGLISH", 0.0)
    if abs(indonesian - english) < 0.1:
        return default
    return "id" if indonesian > english else "en"


# Languages a question may come in that the assistant does not answer: lingua tells them from
# Indonesian and English (and Malay, which counts as Indonesian) by their whole text.
_OTHER_LANGUAGES = [
    "FRENCH",
    "GERMAN",
    "SPANISH",
    "PORTUGUESE",
    "ITALIAN",
    "DUTCH",
    "TURKISH",
    "RUSSIAN",
    "JAPANESE",
    "CHINESE",
    "KOREAN",
    "ARABIC",
    "VIETNAMESE",
    "THAI",
    "TAGALOG",
    "POLISH",
    "SWEDISH",
    "HINDI",
]
# lingua's confidence (0-1, summing to 1 over the languages asked about) above which a question
# counts as another language: "Welche Länder ...?" 0.99, "¿Quién es ...?" 0.98; an English or
# Indonesian question of names only ("Kassym-Jomart Tokayev Almaty") spreads below 0.25.
OTHER_LANGUAGE_CONFIDENCE = 0.5


@lru_cache(maxsize=1)
def _wide_detector():
    from lingua import Language as L
    from lingua import LanguageDetectorBuilder

    wanted = [L.INDONESIAN, L.ENGLISH, L.MALAY, *(getattr(L, n) for n in _OTHER_LANGUAGES)]
    return LanguageDetectorBuilder.from_languages(*wanted).build()


def other_language(text: str) -> str | None:
    """The name of the language ``text`` is in, if it is neither Indonesian nor English.

    A question with Indonesian or English function words ("apa itu CSTO") is one of ours
    whatever the detector says of it.
    """
    words = [w.lower() for w in _WORD_RE.findall(text)]
    if any(w in _ID_WORDS or w in _EN_WORDS for w in words):
        return None
    confidences = _wide_detector().compute_language_confidence_values(text)
    if not confidences:
        return None
    top = confidences[0]
    if top.language.name in ("INDONESIAN", "ENGLISH", "MALAY"):
        return None
    if top.value < OTHER_LANGUAGE_CONFIDENCE:
        return None
    return top.language.name.capitalize()


def preload() -> None:
    """Load the language models now (about 3 s the first time), not at the first question."""
    _detector().compute_language_confidence_values("apa kabar")
    _wide_detector().compute_language_confidence_values("apa kabar")


# An Indonesian word in English text: a lower-case word common in Indonesian and rare in
# English (wordfreq's Zipf scale: 3 is once per million words): "sifat", "permintaan", "saat".
INDONESIAN_MIN_ZIPF = 3.0
ENGLISH_MAX_ZIPF = 3.0
_QUOTED_RE = re.compile(r'["\u201c\u201d\u201e][^"\u201c\u201d\u201e]*["\u201c\u201d\u201e]')
_LOWER_WORD_RE = re.compile(r"(?<![\w'-])[a-z]{3,}(?![\w'-])")


def indonesian_words(text: str, *, in_quotes: bool = True) -> list[str]:
    """The Indonesian words of an English text, in order; names (capitalised) never count,
    words inside quotation marks only with ``in_quotes``."""
    from wordfreq import zipf_frequency

    if not in_quotes:
        text = _QUOTED_RE.sub(" ", text)
    return [
        word
        for word in _LOWER_WORD_RE.findall(text)
        if zipf_frequency(word, "id") >= INDONESIAN_MIN_ZIPF
        and zipf_frequency(word, "en") < ENGLISH_MAX_ZIPF
    ]
