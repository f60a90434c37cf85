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
