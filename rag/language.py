"""Which language a question is in: Indonesian ("id") or English ("en").

lingua, restricted to Indonesian, English and Malay, is right on full sentences; on very
short questions ("apa itu CSTO") it wavers, so common function words vote first. Malay is
treated as Indonesian: the two are close and our corpus is Indonesian.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from functools import lru_cache
from itertools import groupby

from index.analyzer import is_indonesian_word
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
SHORT_SEARCH_WORDS = 3


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
    if len(words) <= SHORT_SEARCH_WORDS:
        # A search of a word or two has too few letters for lingua ("protes": English at
        # 0.69), so its words' frequencies in the two languages decide when they agree.
        indonesian = any(map(_is_indonesian, words))
        if indonesian != any(map(_is_english, words)):
            return "id" if indonesian else "en"
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
# When a question counts as another language. lingua's confidences sum to 1 over the
# 21 languages asked about, so a short question with a name in it spreads: "Quelle est la
# capitale du Kazakhstan?" is French at 0.44, English 0.08; "Welche Länder ...?" German at
# 0.99. A keyword search of names ("CSTO Almaty": Polish 0.31, English 0.17) spreads too, with
# no language far ahead. So the top language must reach a floor and lead the better of
# Indonesian (with Malay) and English by a factor. Set on 18 questions in six other languages
# (16 caught) and the gold set's questions plus 28 keyword searches (none flagged).
OTHER_LANGUAGE_CONFIDENCE = 0.4
OTHER_LANGUAGE_LEAD = 3.0
# Two function words of ours make a question ours ("apa itu CSTO") unless the detector is
# sure of another language; one does not: "was" and "in" are German words too ("Was ist die
# Hauptstadt ...?"), and two of them can be ("Was ist in Kasachstan passiert?", German at
# 0.82; "Wat is er gebeurd in Kazachstan?", Dutch at 0.61). No Indonesian or English gold
# question has another language on top at 0.4 or more.
OUR_FUNCTION_WORDS = 2
SURE_OF_ANOTHER_LANGUAGE = 0.6


@lru_cache(maxsize=1)
def _wide_detector():
    from lingua import Language as L
    from lingua import LanguageDetectorBuilder

    wanted = [L.INDONESIAN, L.ENGLISH, L.MALAY, *(getattr(L, n) for n in _OTHER_LANGUAGES)]
    return LanguageDetectorBuilder.from_languages(*wanted).build()


def other_language(text: str, vocabulary: Collection[str] = ()) -> str | None:
    """The name of the language ``text`` is in, if it is neither Indonesian nor English.

    ``vocabulary``: the corpus's lower-cased words. A question made only of them is a search
    in the corpus's own terms ("almaty", Polish to lingua), whatever language they look like.
    """
    words = [w.lower() for w in _WORD_RE.findall(text)]
    if words and all(w in vocabulary for w in words):
        return None
    confidences = {
        c.language.name: c.value for c in _wide_detector().compute_language_confidence_values(text)
    }
    if not confidences:
        return None
    top = max(confidences, key=lambda name: confidences[name])
    if top in ("INDONESIAN", "ENGLISH", "MALAY"):
        return None
    ours = max(
        confidences.get("ENGLISH", 0.0),
        confidences.get("INDONESIAN", 0.0) + confidences.get("MALAY", 0.0),
    )
    lead = confidences[top]
    if lead < OTHER_LANGUAGE_CONFIDENCE or lead < OTHER_LANGUAGE_LEAD * ours:
        return None
    function_words = sum(w in _ID_WORDS or w in _EN_WORDS for w in words)
    if function_words >= OUR_FUNCTION_WORDS and lead < SURE_OF_ANOTHER_LANGUAGE:
        return None
    return top.capitalize()


def preload() -> None:
    """Load the language models now (about 3 s the first time), not at the first question."""
    _detector().compute_language_confidence_values("apa kabar")
    _wide_detector().compute_language_confidence_values("apa kabar")


# An Indonesian word in English text: a lower-case word common in Indonesian and rare in
# English (wordfreq's Zipf scale: 3 is once per million words): "sifat", "permintaan", "saat".
# An English word (``_is_english``, for short searches) the other way round.
COMMON_ZIPF = 3.0  # at least this often in the word's own language
RARE_ZIPF = 3.0  # less often than this in the other
_QUOTED_RE = re.compile(r'["\u201c\u201d\u201e][^"\u201c\u201d\u201e]*["\u201c\u201d\u201e]')
_LOWER_WORD_RE = re.compile(r"(?<![\w'-])[a-z]{3,}(?![\w'-])")
# Capitalised words in a row, one space apart ("Ministry of Dalam Negeri" holds "Dalam Negeri").
_CAPITALISED_RUN_RE = re.compile(r"(?<![\w'-])[A-Z][a-z]{2,}(?: [A-Z][a-z]{2,})+(?![\w'-])")


def indonesian_words(text: str, *, in_quotes: bool = True) -> list[str]:
    """The Indonesian words of an English text, in order; words inside quotation marks only
    with ``in_quotes``.

    Capitalised words are names and do not count alone, except the Indonesian forms of the
    gazetteer's offices, countries and bodies ("Presiden", "Rusia", "Kementerian
    Kesehatan"): they have English forms an English reader expects, and the model copies
    them from the sources ("Presiden Kazakh Kassym-Jomart Tokayev asked the CSTO ...").
    Nor does a run of two or more capitalised ordinary Indonesian words ("the Ministry of
    Dalam Negeri", "Balai Kota Almaty"): one such word may be a name ("Antara", a news
    agency), two together are a phrase left in Indonesian. A name made of two such words
    ("Puan Maharani") is taken for one.
    """
    if not in_quotes:
        text = _QUOTED_RE.sub(" ", text)
    found = [
        (match.start(), match.group(0))
        for match in _LOWER_WORD_RE.finditer(text)
        if _is_indonesian(match.group(0))
    ]
    forms = [
        (match.start(), match.group(0))
        for match in _gazetteer_forms_re().finditer(text)
        if match.group(0)[0].isupper()  # lower-case ones are found word by word above
    ]
    taken = {i for start, form in forms for i in range(start, start + len(form))}
    found += forms
    found += [
        (start, run)
        for start, run in _capitalised_runs(text)
        if taken.isdisjoint(range(start, start + len(run)))
    ]
    return [word for _, word in sorted(found)]


def _capitalised_runs(text: str) -> list[tuple[int, str]]:
    """Runs of two or more capitalised Indonesian words, each with its position."""
    runs: list[tuple[int, str]] = []
    for phrase in _CAPITALISED_RUN_RE.finditer(text):
        words = re.finditer(r"\S+", phrase.group(0))
        for common, group in groupby(words, key=lambda w: _is_common_indonesian(w.group(0))):
            run = list(group)
            if common and len(run) >= 2:
                first, last = phrase.start() + run[0].start(), phrase.start() + run[-1].end()
                runs.append((first, text[first:last]))
    return runs


def _is_common_indonesian(word: str) -> bool:
    """A capitalised word that is an ordinary Indonesian word, not a name: common in
    Indonesian (wordfreq) and made of roots of Sastrawi's dictionary. wordfreq alone takes
    Indonesian names for words ("Joko", "Widodo", "Prabowo" are frequent in its Indonesian
    text); the dictionary does not hold them."""
    return _is_indonesian(word.lower()) and is_indonesian_word(word)


def _is_indonesian(word: str) -> bool:
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "id") >= COMMON_ZIPF and zipf_frequency(word, "en") < RARE_ZIPF


def _is_english(word: str) -> bool:
    """The mirror of ``_is_indonesian``: common in English, rare in Indonesian."""
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en") >= COMMON_ZIPF and zipf_frequency(word, "id") < RARE_ZIPF


@lru_cache(maxsize=1)
def _gazetteer_forms_re() -> re.Pattern[str]:
    """The gazetteer's forms made only of Indonesian words, longest first, any case."""
    from rag.gazetteer import ENTITIES, ROLES

    forms = {
        form
        for entry in (*ENTITIES, *ROLES)
        for form in entry
        if all(_is_indonesian(word) for word in re.findall(r"[a-z]+", form))
    }
    if not forms:  # an empty alternation would match the empty string everywhere
        return re.compile(r"(?!)")
    alternatives = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE)
