"""Citation verification: every sentence of an answer must be backed by the passage it cites.

After generation (a small model cites imperfectly):
- a marker pointing to no evidence is removed;
- a sentence whose key facts (figures, where a date's day and month count as its date, not
  as figures: "jam 2" is not backed by "(2/1/2022)"; names that occur in the evidence; words
  it quotes from a passage) are not in the passage(s) it cites is re-cited to passages that
  hold them (those the facts it adds to the question need), or dropped when none does;
  a cited passage that holds none of what the sentence needs loses its marker;
- a sentence without markers is cited to the passage that holds its facts, or, when it
  states no checkable fact, to the passage it is most similar to; otherwise it is dropped;
- a sentence repeating an earlier one is dropped, and so is one that only restates the
  question (it adds no word the question does not have: "Tokayev's approach changed [1]");
- a "how many" answer starts with its figure, and an answer to a question that asks a name
  with a name the question does not give (``rag.answer_types``): the sentences before it
  answer something else;
- a sentence naming a person or place that neither the evidence nor the question names
  (a rare word, capitalised: "Nazarbayev") is dropped: a small model invents them;
- a sentence whose figure counts another kind of thing than the same figure in the passages
  ("26 children were among the dead" where they give "26 kematian dari bandit bersenjata")
  is dropped (``rag.counted``);
- a date must be one the cited passage's text gives, whatever the question: the model reads
  the publication date in the source's label as the date of the event ("Protes pertama pecah
  pada 16 Januari 2022"; asked which airline flew the troops home, "The Russian troops flew
  back home on January 16, 2022"), which it is not;
- citations are renumbered 1..n in order of first use.
Before any of that, five repairs: a number split by a space ("2, 600") is joined and
written in the answer's language, a bracketed numeric date the model copied is written out
("(2/1/2022)" -> "(2 Januari 2022)", ``rag.weekdays.spelled_dates``, as the prompt's sources
give it; an English reader would take 2/1 for 1 February), a weekday beside a whole date is
made that date's weekday
("Monday (6 January 2022)" -> "Thursday (...)", ``rag.weekdays.calendar_weekdays``), a
month name after a day is written in the answer's language ("2 Januari" -> "2 January"), and
in English a title before a nationality is put the English way round ("President Kazakh
Kassym-Jomart Tokayev" -> "Kazakh President ...", ``rag.titles``).
Names in the answer that occur in no evidence at all (an English rendering of an Indonesian
name, "Russia" for "Rusia") cannot be checked by string and are not held against the
sentence; numbers always are.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

import numpy as np
from cachetools import LRUCache, cached

from index.analyzer import default_analyzer
from index.dates import MONTH_NAMES
from rag.answer import Language
from rag.answer_types import (
    asks_about_sources,
    asks_for_countries,
    asks_identity,
    asks_name,
    asks_when,
    asks_year,
    days_in,
    figures_in,
    gives_name,
    has_figure,
    wants_figure,
)
from rag.counted import miscounted, off_question
from rag.gazetteer import CLITIC_RE, ROLES, countries_in, entities_in
from rag.markers import MARKER_RE, markers
from rag.names import fuzzy_in, names_in, people_in, unknown_names
from rag.offices import asked_offices, miscast
from rag.prompts import EXAMPLE_STORY_TERMS
from rag.titles import english_title_order
from rag.weekdays import calendar_weekdays, localized_months, spelled_dates, weekdays_in

_SPLIT_RE = re.compile(r"(?<=[.!?])\s+|\n+")
# A thousands separator the model split with a space ("2, 600"): one to three digits after
# no other digit, so not a year ("Pada 16 Januari 2022, 225 jenazah"); and not a day after its
# month ("January 5, 200 people"), see ``_join_thousands``.
_SPACED_THOUSANDS_RE = re.compile(r"(?<![\d.,])(\d{1,3}),\s(\d{3})\b")
_MONTH_BEFORE_RE = re.compile(rf"\b(?:{MONTH_NAMES})\.?\s+$", re.IGNORECASE)
_MARKS = rf"(?:{MARKER_RE.pattern}\s*)+"  # a run of markers
_MARKER_JOINER = r"(?:and|dan|&|,)"  # "[2] and [3]"
_MARKER_LIST = rf"{_MARKS}(?:{_MARKER_JOINER}\s*{_MARKS})*"  # "[1] and [2]", "[1], [2]"
# "According to [1], ..." / "..., menurut [2]." name the source by its marker alone; without the
# marker the phrase is left dangling ("According to, 18 ..."), so the phrase goes with it.
_SOURCE_PHRASE = r"(?:according to|as reported by|based on|menurut|berdasarkan|dilansir)"
_LEADING_MARKS_RE = re.compile(rf"{_MARKS}")
# The sources named by a word rather than a marker: "According to the sources, ...", "Based on
# the sources provided, ...", "Berdasarkan sumber, ..." and, in an Indonesian answer to the
# English several-things prompt, "Dalam sources, ...". As a sentence's opening, with or without
# markers ("According to source [1], ..."), it names no article, so it goes; its markers cite
# the sentence. Never a name: "Menurut Peskov, ..." stays.
_SOURCE_NOUN = (
    r"(?:(?:the|these|this)\s+)?(?:sources?|sumber(?:-sumber)?)"
    r"(?:\s+(?:provided|given|above|yang\s+(?:ada|diberikan|tersedia)|tersebut|di\s+atas))?"
)
_LEADING_SOURCE_RE = re.compile(
    rf"^(?:{_SOURCE_PHRASE}|dalam)\s*(?:{_SOURCE_NOUN}\s*(?P<after>{_MARKER_LIST})?"
    rf"|(?P<marks>{_MARKER_LIST})),?\s*",
    re.IGNORECASE,
)
_INNER_SOURCE_RE = re.compile(rf",?\s*\b{_SOURCE_PHRASE}\s*({_MARKS})", re.IGNORECASE)
# "[2] and [3] both report that 26 people were killed, but [3] adds that ...": a marker as the
# subject. Without it the sentence reads "and both report that ... but adds that"; the
# attribution goes, and its markers cite the sentence.
_REPORTING_VERB = (
    r"(?:report|say|state|mention|note|add|confirm|show|write)(?:s|ed)?|said|wrote"
    r"|menyebut(?:kan)?|mengatakan|melaporkan|menyatakan|menambahkan|menjelaskan|menulis"
)
_MARKER_ALSO = r"(?:both|also|juga|keduanya)"  # "[2] also reports"
# Words after which a marker can stand as a clause's subject ("Then [2] reports that ...").
_BEFORE_MARKER_SUBJECT = (
    *("and", "but", "while", "then", "however", "meanwhile"),
    *("dan", "tetapi", "sedangkan", "lalu", "kemudian", "namun", "sementara"),
)
_MARKER_SUBJECT_RE = re.compile(
    r"(?:^|(?<=,\s)|" + "|".join(rf"(?<=\b{w}\s)" for w in _BEFORE_MARKER_SUBJECT) + ")"
    rf"(?P<marks>{_MARKER_LIST})"
    rf"(?:{_MARKER_ALSO}\s+)?(?:{_REPORTING_VERB})\s+(?:that\s+|bahwa\s+)?",
    re.IGNORECASE,
)
# How such a sentence begins, for the stream: its markers are not the previous sentence's.
_MARKER_SUBJECT_START_RE = re.compile(
    rf"{_MARKS}(?:{_MARKER_JOINER}|{_MARKER_ALSO}|{_REPORTING_VERB})\b", re.IGNORECASE
)
# Markers written as the sentence's last words, a list ("mentioned in several sources, [1],
# [2], and [3].") or after a preposition ("as reported in [2]."): without them the sentence
# would end "sources,,, and." or "reported in.", so the list, its joiners and the dangling
# preposition go, and the markers cite the sentence.
_TRAILING_MARKS_RE = re.compile(
    r",?\s*(?:\b(?:in|from|by|di|dalam|dari|oleh)\s+)?"
    rf"(?P<marks>{_MARKS}(?:,?\s*{_MARKER_JOINER}\s*{_MARKS})*)(?P<end>[.!?]?)\s*$",
    re.IGNORECASE,
)
_ID_THOUSANDS_RE = re.compile(r"(?<![\d.,])\d{1,3}(?:\.\d{3})+(?![\d,]|\.\d)")
_EN_THOUSANDS_RE = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?![\d.]|,\d)")
_QUOTE_RE = re.compile(r'["\u201c\u201d\u201e]([^"\u201c\u201d\u201e]+)["\u201c\u201d\u201e]')
_NON_WORD_RE = re.compile(r"[^\w]+")
# A reporting verb: the names before it say what follows ("Ned Price said ...", "Peskov
# mengatakan ...").
_SAYS_RE = re.compile(
    r"\b(said|says|told|stated|added|warned|claimed|urged|accused|mengatakan|menyatakan"
    r"|berkata|menambahkan|memperingatkan|menyerukan|menuduh|kata|ujar)\b",
    re.IGNORECASE,
)
# A quotation of at least this many words pins its source: "melepaskan tembakan untuk
# membunuh teroris" occurs in one passage, however many passages name Tokayev.
MIN_QUOTE_WORDS = 3
# A sentence without a checkable fact is kept when it is similar to a passage; shorter than
# this, e5 finds a one- or two-word sentence similar to anything (its scores are compressed).
MIN_COMPARED_WORDS = 3

SimilarityFn = Callable[[str], Sequence[float]]
"""Maps a sentence to its similarity with each evidence passage (same order)."""


@dataclass(frozen=True)
class CheckedSentence:
    text: str  # without markers
    sources: tuple[int, ...]  # 0-based evidence indices


@dataclass(frozen=True)
class Verification:
    text: str  # with renumbered markers
    used: tuple[int, ...]  # evidence index of citation n is used[n-1]
    sentences: tuple[CheckedSentence, ...]
    removed_markers: int
    recited: int
    dropped: int


def normalize_numbers(text: str, language: Language) -> str:
    """Repair and localise number formatting: '2, 600' -> '2,600'; 2.500 <-> 2,500."""
    text = _SPACED_THOUSANDS_RE.sub(_join_thousands, text)
    if language == "en":
        return _ID_THOUSANDS_RE.sub(lambda m: m.group(0).replace(".", ","), text)
    return _EN_THOUSANDS_RE.sub(lambda m: m.group(0).replace(",", "."), text)


def _join_thousands(match: re.Match[str]) -> str:
    if _MONTH_BEFORE_RE.search(match.string, 0, match.start()):
        return match.group(0)
    return f"{match.group(1)},{match.group(2)}"


def split_answer(text: str) -> list[tuple[str, list[int]]]:
    """Sentences of an answer with their markers (a marker leading a sentence goes back)."""
    pieces = [p.strip() for p in _SPLIT_RE.split(text) if p and p.strip()]
    sentences: list[tuple[str, list[int]]] = []
    for piece in pieces:
        source = _LEADING_SOURCE_RE.match(piece)
        if source and piece[source.end() :].strip():
            rest = piece[source.end() :].strip()
            marks = source.group("marks") or source.group("after") or ""
            piece = f"{rest[0].upper()}{rest[1:]} {marks.strip()}".strip()
        piece = _INNER_SOURCE_RE.sub(lambda m: " " + m.group(1).strip(), piece)
        piece = _without_marker_subjects(piece)
        leading = _LEADING_MARKS_RE.match(piece)
        if leading and sentences:
            sentences[-1][1].extend(markers(leading.group(0)))
            piece = piece[leading.end() :].strip()
            if not piece:
                continue
        piece = _TRAILING_MARKS_RE.sub(_gathered_marks, piece)
        cited = markers(piece)
        body = MARKER_RE.sub("", piece)
        body = re.sub(r"\s+([.,;:!?])", r"\1", body)
        body = re.sub(r"\s{2,}", " ", body).strip()
        if body and any(ch.isalnum() for ch in body):
            sentences.append((body, cited))
        elif sentences:
            sentences[-1][1].extend(cited)
    return sentences


def _gathered_marks(match: re.Match[str]) -> str:
    """A trailing marker list as one run: ", [1], [2], and [3]." -> " [1][2][3]."."""
    return " " + "".join(f"[{n}]" for n in markers(match.group("marks"))) + match.group("end")


def _without_marker_subjects(piece: str) -> str:
    """The sentence without "[2] and [3] report that", the markers moved to its end."""
    moved: list[str] = []

    def cut(match: re.Match[str]) -> str:
        moved.extend(MARKER_RE.findall(match.group("marks")))
        return ""

    rest = _MARKER_SUBJECT_RE.sub(cut, piece).strip()
    end = rest[-1:] if rest[-1:] in (".", "!", "?") else ""
    body = rest[: len(rest) - len(end)].rstrip()
    if not moved:
        return piece
    if not body:
        return ""  # nothing but the attribution
    return f"{body[0].upper()}{body[1:]} {''.join(f'[{m}]' for m in moved)}{end}"


def settled_prefix(text: str) -> str:
    """The part of a streamed answer whose sentences can no longer change.

    A sentence is settled once the next one has begun: the marker that follows it ("… 2,600.
    [1] Next …") still belongs to it (``split_answer``), and its last words may still come;
    unless that marker is the next sentence's subject ("[1] also mentions that …"), which
    the first whole word after it tells. The prefix ends where the sentence being written
    begins.
    """
    end = 0
    for boundary in _SPLIT_RE.finditer(text):
        rest = text[boundary.end() :]
        leading = _LEADING_MARKS_RE.match(rest)
        start = 0
        if leading:
            if not re.match(r"\S+\s", rest[leading.end() :]):
                continue  # the word after the marker is still being written
            if not _MARKER_SUBJECT_START_RE.match(rest):
                start = leading.end()
        if start < len(rest) and not rest[start].isspace() and rest[start] != "[":
            end = boundary.end() + start
    return text[:end]


def verify_citations(
    answer: str,
    evidence_texts: Sequence[str],
    language: Language,
    similarity: SimilarityFn | None = None,
    min_similarity: float = 0.82,
    question: str = "",
    bodies: Sequence[str] | None = None,
) -> Verification:
    """Check and repair the citations of ``answer`` against the numbered evidence.

    ``question``: what the answer replies to. A fact the question states (the country it asks
    about) is no reason to keep a citation: it is not what the sentence adds.
    ``bodies``: the passages without the labels ``evidence_texts`` may carry (source, date of
    publication); the dates that answer a "when" question are looked for there.
    """
    answer = spelled_dates(normalize_numbers(answer, language))
    answer = localized_months(calendar_weekdays(answer), language)
    answer = english_title_order(answer, language)
    bodies = evidence_texts if bodies is None else bodies
    evidence = [
        _Evidence(figures_in(t), _words(t), _flat(t), days_in(b), weekdays_in(b))
        for t, b in zip(evidence_texts, bodies, strict=True)
    ]
    asked_days = days_in(question)
    asked_weekdays = weekdays_in(question)
    all_words = set().union(*(e.words for e in evidence)) if evidence else set()
    asked = set(_facts(question, all_words, evidence))
    question_words = _words(question)
    names = {n.lower() for t in evidence_texts for n in names_in(t)}
    stories = _example_stories_absent([*evidence_texts, question])
    # The words only the labels give (the outlet: "Radartasik.com"), unless the question asks
    # about the articles themselves or names the outlet.
    told = set().union(*(_words(b) for b in bodies))
    about_sources = asks_about_sources(question)
    labels_only = set() if about_sources else all_words - told - question_words
    # A "how many" answer starts with its figure; a sentence before any figure answers
    # something else ("Seorang pria berdiri di depan gedung ..." copied for a death toll).
    figure_due = wants_figure(question)
    # So does a question that asks for a name, with a name it does not give: "Pria yang
    # berdiri di depan Balai Kota ... adalah pria yang berdiri di depan gedung Balai Kota ...".
    name_due = asks_name(question)
    # "Who is Ned Price?" is answered by the office the passages give him, where they give
    # one: the model's own knowledge ("... is a Russian politician") and the translation pass
    # ("a foreign affairs minister" for "juru bicara Departemen Luar Negeri AS") otherwise pass
    # as facts. The office's binding to the person is ``_unbound_office``'s.
    role_due = asks_identity(question) and _office_beside(question, evidence)
    # The country of an office the question asks about binds the answer's person too.
    offices_asked = asked_offices(question)
    removed = recited = dropped = 0
    kept: list[CheckedSentence] = []
    said: set[str] = set()
    for body, cited in split_answer(answer):
        if body.lower() in said:  # a small model can repeat itself until the token limit
            dropped += 1
            continue
        said.add(body.lower())
        valid = [m - 1 for m in dict.fromkeys(cited) if 1 <= m <= len(evidence)]
        removed += len(cited) - len(valid)
        if question and _restates(body, question, about_sources):
            dropped += 1
            continue
        if figure_due and not kept and not _counts(body, question):
            dropped += 1
            continue
        if name_due and not kept and not gives_name(body, question):
            dropped += 1
            continue
        if unknown_names(body, all_words | question_words) or _tells(body, stories):
            dropped += 1
            continue
        facts = _facts(body, all_words, evidence)
        if role_due and not kept and not _offices(facts):
            dropped += 1
            continue
        if (
            _from_label(body, facts, labels_only, told)
            or _unbound_office(facts, evidence)
            or _unbound_speaker(body, facts, asked, evidence)
            or miscounted(body, bodies)
            or off_question(body, bodies, question)
            or miscast(body, offices_asked, bodies)
        ):
            dropped += 1
            continue
        facts += [("day", day) for day in sorted(days_in(body) - asked_days)]
        facts += [("weekday", d) for d in sorted(weekdays_in(body) - asked_weekdays)]
        if valid and facts and all(any(evidence[i].has(f) for i in valid) for f in facts):
            kept.append(
                CheckedSentence(body, _supporting(_added(facts, asked, names), valid, evidence))
            )
            continue
        if valid and not facts and similarity is None:
            kept.append(CheckedSentence(body, tuple(valid)))  # nothing to check it with
            continue
        if facts:
            # Every fact must be somewhere; the citation goes to what holds the added ones.
            cover = _cover(facts, evidence) and _cover(_added(facts, asked, names), evidence)
            if cover:
                recited += 1
                kept.append(CheckedSentence(body, tuple(cover)))
            else:
                dropped += 1
            continue
        # No fact to check: keep the sentence only if it says what a passage says (filler
        # such as "Tentu saja!" or "Here is the answer:" is dropped, with or without a marker).
        # A sentence of a word or two says nothing a similarity can weigh: "Tentu saja [1]."
        # (of course) scored above the threshold as the whole answer to an absent fact.
        if similarity is not None and evidence and len(body.split()) >= MIN_COMPARED_WORDS:
            scores = list(similarity(body))
            close = tuple(i for i in valid if scores[i] >= min_similarity)
            if close:
                kept.append(CheckedSentence(body, close))
                continue
            best = max(range(len(scores)), key=scores.__getitem__)
            if scores[best] >= min_similarity:
                recited += 1
                kept.append(CheckedSentence(body, (best,)))
                continue
        dropped += 1

    used: list[int] = []
    for sentence in kept:
        for i in sentence.sources:
            if i not in used:
                used.append(i)
    text = render_sentences(kept, used)
    return Verification(text, tuple(used), tuple(kept), removed, recited, dropped)


def _example_stories_absent(texts: Sequence[str]) -> list[frozenset[str]]:
    """The worked examples' story terms (``EXAMPLE_STORY_TERMS``) that none of ``texts`` use."""
    used = _terms(texts)
    return [group for group in EXAMPLE_STORY_TERMS if not group & used]


def _terms(texts: Sequence[str]) -> set[str]:
    return {term for text in texts for term in default_analyzer()(text)}


def _tells(sentence: str, stories: Sequence[frozenset[str]]) -> bool:
    """Does ``sentence`` tell one of ``stories``: the worked examples', which the sources and
    the question do not tell ("... dan kecelakaan bus" in an answer about protests)?"""
    if not stories:
        return False
    terms = _terms([sentence])
    return any(group & terms for group in stories)


def first_sentence(verification: Verification) -> Verification:
    """The verification of the answer's first checked sentence alone, markers renumbered."""
    kept = verification.sentences[:1]
    used = tuple(dict.fromkeys(i for sentence in kept for i in sentence.sources))
    dropped = verification.dropped + len(verification.sentences) - len(kept)
    return replace(
        verification, text=render_sentences(kept, used), used=used, sentences=kept, dropped=dropped
    )


def render_sentences(sentences: Sequence[CheckedSentence], used: Sequence[int]) -> str:
    """Checked sentences with their markers numbered by first use (``used``)."""
    return " ".join(_render(s, list(used)) for s in sentences)


def _restates(sentence: str, question: str, about_sources: bool = False) -> bool:
    """Does ``sentence`` say nothing the question does not: is each of its stems one of the
    question's, or an inflection of one ("changed" of "change", "said" of "say": the
    Indonesian stemmer leaves English words alone, so they are lemmatised)? A yes, a no or a
    "not" the question lacks is something said: "The Kremlin did not name the US" answers
    "Did the Kremlin name the US?". Words about the sources themselves add nothing either
    ("Kazakhstan is mentioned in [1], [2] and [3]" for "Kazakhstan"), unless the question
    asks about the sources (``about_sources``)."""
    polarity = _POLARITY_RE.findall(sentence.lower())
    if set(polarity) - set(_POLARITY_RE.findall(question.lower())):
        return False
    if _answering_stopwords(sentence) - _answering_stopwords(question):
        return False
    terms = {_english_lemma(t) for t in default_analyzer()(sentence)}
    asked = {_english_lemma(t) for t in default_analyzer()(question)}
    told = terms if about_sources else terms - _ABOUT_SOURCES
    return bool(terms) and all(_inflection_of(t, asked) for t in told)


# The sources as a subject (lemmas and Indonesian stems): a sentence that only says they
# speak of what was asked has not answered it.
_ABOUT_SOURCES = frozenset(
    {"mention", "source", "article", "discuss", "sumber", "artikel", "bahas", "sebut"}
)


@lru_cache(maxsize=4096)
def _english_lemma(term: str) -> str:
    """simplemma's English lemma (its own dictionary; an unknown word stays as it is)."""
    import simplemma

    return str(simplemma.lemmatize(term, lang="en"))


# Sastrawi's stopword list, which the analyzer drops, holds words that answer questions: a
# number ("Ada lima negara ..." for "Berapa negara ...?"), a span ("beberapa hari"), what
# became of something ("... sudah kembali ke Rusia" for "bagaimana nasib pesawat-pesawat
# itu?"). A sentence that adds one of these says something the question did not.
_ANSWERING_WORDS = """
    satu dua tiga empat lima pertama kedua kelima terakhir banyak sedikit beberapa sebagian
    sejumlah semua semuanya seluruh seluruhnya sebanyak berjumlah
    hari bulan lama awal awalnya akhir akhirnya berakhir dahulu dulu sekarang kini nanti
    mendatang belakangan sebelumnya mulai bermula berawal usai
    kembali keluar masuk naik datang tiba besar kecil jauh dekat tinggi panjang"""
_ANSWERING_STOPWORDS = frozenset(_ANSWERING_WORDS.split())


def _answering_stopwords(text: str) -> set[str]:
    return {w for w in re.findall(r"[\w-]+", text.lower()) if w in _ANSWERING_STOPWORDS}


_POLARITY_RE = re.compile(
    r"\b(yes|no|not|never|none|neither|nor|ya|tidak|tak|bukan|belum|tanpa)\b|n't\b"
)


def _inflection_of(term: str, terms: set[str]) -> bool:
    if term in terms:
        return True
    for other in terms:
        shared = _shared_prefix(term, other)
        if shared >= 4 and shared >= max(len(term), len(other)) - 3:
            return True
    return False


def _shared_prefix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def _render(sentence: CheckedSentence, used: list[int]) -> str:
    marks = "".join(f"[{used.index(i) + 1}]" for i in sentence.sources)
    body = sentence.text
    end = ""
    if body and body[-1] in ".!?":
        body, end = body[:-1].rstrip(), body[-1]
    return f"{body} {marks}{end}"


def _words(text: str) -> set[str]:
    """The words of ``text``, lower-cased; a word with a particle ("AS-lah") also without it."""
    words = {w.lower() for w in re.findall(r"[\w'-]+", text) if not w.isdigit()}
    return words | {CLITIC_RE.sub("", w) for w in words if CLITIC_RE.search(w)}


def _flat(text: str) -> str:
    """Lower-case words separated by single spaces, padded: for whole-word phrase search."""
    return f" {_NON_WORD_RE.sub(' ', text.lower()).strip()} "


Fact = tuple[str, object]
"""("number", "2500") | ("name", "tokayev") | ("entity", gazetteer entry)
| ("quote", " flattened quoted words ") | ("day", (16, 1)) | ("weekday", 3)."""


@dataclass(frozen=True)
class _Evidence:
    numbers: set[str]
    words: set[str]
    text: str  # _flat()
    days: set[tuple[int, int]]  # dates the passage's text gives (not its label's)
    weekdays: set[int]  # the weekdays its text names (Monday is 0)

    def has(self, fact: Fact) -> bool:
        kind, value = fact
        if kind == "number":
            return value in self.numbers
        if kind == "day":
            return value in self.days
        if kind == "weekday":
            return value in self.weekdays
        if kind == "name":
            return fuzzy_in(str(value), self.words)
        if kind == "quote":
            return str(value) in self.text
        forms = value if isinstance(value, tuple) else ()
        return any(all(w in self.words for w in form.split()) for form in forms)


def _facts(
    sentence: str, evidence_words: set[str], evidence: Sequence[_Evidence] = ()
) -> list[Fact]:
    """The checkable facts of a sentence: numbers, names found in the evidence, places or
    bodies from the gazetteer (in either language, so "Russia" is checked against "Rusia" and
    an invented "Bulgaria" is caught), and quotations of a passage's words. A quotation found
    in no passage (the model's translation of it) is not held against the sentence."""
    facts: list[Fact] = [("number", n) for n in sorted(figures_in(sentence))]
    for quoted in _QUOTE_RE.findall(sentence):
        flat = _flat(quoted)
        if len(flat.split()) >= MIN_QUOTE_WORDS and any(e.text.find(flat) >= 0 for e in evidence):
            facts.append(("quote", flat))
    entries = entities_in(sentence)
    # The capitalised words of an office or body ("Juru bicara Kementerian Dalam Negeri") are
    # the entity, not names: taken as names, they would bind the office to itself.
    entity_words = {word for entry in entries for form in entry for word in form.split()}
    for name in dict.fromkeys(n.lower() for n in names_in(sentence)):
        if all(word in entity_words for word in name.split()):
            continue
        if fuzzy_in(name, evidence_words):
            facts.append(("name", name))
    facts.extend(("entity", entry) for entry in entries)
    return facts


def _from_label(
    sentence: str, facts: Sequence[Fact], labels_only: set[str], told: set[str]
) -> bool:
    """Does the sentence name what only a source's label gives, its outlet, other than as
    its source ("Menurut Radartasik.com, ...")? The label says who published the passage,
    not what happened: asked which news agency interviewed Psaki (no article says), the
    model answered "Radartasik.com", the outlet of the passage that quotes her."""
    return any(
        kind == "name"
        and fuzzy_in(str(name), labels_only)
        and not fuzzy_in(str(name), told)
        and not _attributed(str(name), sentence)
        for kind, name in facts
    )


def _attributed(name: str, sentence: str) -> bool:
    """Is ``name`` given as the sentence's source ("Menurut MEDIA PAKUAN, ...")?"""
    source = rf"\b{_SOURCE_PHRASE}\s+(?:\S+\s+){{0,2}}?{re.escape(name)}"
    return re.search(source, sentence, re.IGNORECASE) is not None


def _unbound_office(facts: Sequence[Fact], evidence: Sequence[_Evidence]) -> bool:
    """Does the sentence give someone an office that no passage gives them?

    Each fact is checked on its own elsewhere, so "Antony Blinken spoke for the health
    ministry" passes when one passage names Blinken and another the ministry's spokeswoman.
    An office binds to a name: some passage must hold the office with one of the sentence's
    names. Checked for each office, so two people in two roles may come from two passages.
    """
    offices = _offices(facts)
    names = [f for f in facts if f[0] == "name"]
    if not offices or not names:
        return False
    return not all(
        any(e.has(office) and any(e.has(name) for name in names) for e in evidence)
        for office in offices
    )


def _offices(facts: Sequence[Fact]) -> list[Fact]:
    """The offices (``ROLES``) among a sentence's facts."""
    return [f for f in facts if f[0] == "entity" and f[1] in ROLES]


def _office_beside(question: str, evidence: Sequence[_Evidence]) -> bool:
    """Does a passage that names the person ``question`` names also name an office
    (``ROLES``)? Only then is an office due: for someone whose passages give none (a coach,
    in articles about football), the gazetteer knows no office to ask for."""
    people = [person.lower().split() for person in people_in(question)]
    return any(
        any(all(e.has(("name", word)) for word in person) for person in people)
        and any(e.has(("entity", role)) for role in ROLES)
        for e in evidence
    )


def _counts(sentence: str, question: str) -> bool:
    """Does ``sentence`` give a count: a figure, or for "how many countries" a list of them
    ("Russia, Belarus, Armenia, Tajikistan and Kyrgyzstan sent troops")?"""
    if has_figure(sentence, years=asks_year(question)):
        return True
    return asks_for_countries(question) and countries_in(sentence) >= 3


def _unbound_speaker(
    sentence: str, facts: Sequence[Fact], asked: set[Fact], evidence: Sequence[_Evidence]
) -> bool:
    """Does the sentence have someone say what no passage has them say?

    Checked fact by fact, "Ned Price said the US would provide military aid to Ukraine [1]"
    passed: the question named Price, and Ukraine is in a passage where Psaki says it. The
    people named before a reporting verb are the speakers (not an institution: "Pemerintah
    Kazakhstan menuduh ..."); some passage must hold one of them with everything the sentence
    adds to the question.
    """
    verb = _SAYS_RE.search(sentence)
    if verb is None:
        return False
    people = {
        word.lower() for person in people_in(sentence[: verb.start()]) for word in person.split()
    }
    speakers = [f for f in facts if f[0] == "name" and str(f[1]) in people]
    said = [f for f in facts if f not in asked and f not in speakers]
    if not speakers or not said:
        return False
    return not any(
        all(e.has(f) for f in said) and any(e.has(s) for s in speakers) for e in evidence
    )


def _added(facts: Sequence[Fact], asked: set[Fact], names: set[str]) -> list[Fact]:
    """The facts a sentence adds to the question: not those the question states, nor a
    capitalised word that names nothing in the evidence ("Pasukannya sekitar 2.500 orang")."""
    added = [f for f in facts if f not in asked and (f[0] != "name" or fuzzy_in(str(f[1]), names))]
    return added or list(facts)


def _supporting(
    facts: Sequence[Fact], cited: Sequence[int], evidence: Sequence[_Evidence]
) -> tuple[int, ...]:
    """The cited passages that back the sentence: those needed to hold its facts, and any
    other that holds all of them by itself. A small model cites every source it was shown
    ("... 2.500 orang [3][2]"); a passage without the figure or the name is no support."""
    needed = {cited[i] for i in _cover(facts, [evidence[c] for c in cited])}
    return tuple(c for c in cited if c in needed or all(evidence[c].has(f) for f in facts))


def _cover(facts: Sequence[Fact], evidence: Sequence[_Evidence]) -> list[int]:
    """Fewest evidence passages (greedy) that together hold all facts; [] if impossible."""
    remaining = set(range(len(facts)))
    chosen: list[int] = []
    while remaining:
        best = max(
            range(len(evidence)),
            key=lambda i: (sum(evidence[i].has(facts[f]) for f in remaining), -i),
            default=None,
        )
        if best is None:
            return []
        gained = {f for f in remaining if evidence[best].has(facts[f])}
        if not gained:
            return []
        chosen.append(best)
        remaining -= gained
    return chosen


SIMILARITY_CACHE_SIZE = 256  # sentences of one answer whose similarities are kept


class CitationChecker:
    """Stage 6 of ``Assistant``: checks a model's answer against the evidence it was shown.

    ``for_evidence`` gives the check for one answer (as ``CheckedStream`` runs it again on a
    growing text, a sentence's similarities to the passages are computed once).
    """

    def __init__(self, vectors: Any, embed_query: Callable[[str], np.ndarray]) -> None:
        self.vectors = vectors  # rag.evidence.SentenceVectors
        self.embed_query = embed_query

    def for_evidence(
        self, evidence: Sequence[Any], language: Language, question: str, trace: Any = None
    ) -> Callable[[str], Verification]:
        """The check of an answer to ``question`` written from ``evidence`` (numbered from 1)."""
        from rag.prompts import source_label, source_text

        # The passages as the prompt gave them: a "when" question's with weekdays dated, so
        # "7 January 2022" for "pada hari Jumat" is supported.
        bodies = [source_text(e, asks_when(question)) for e in evidence]
        labelled = [
            f"{source_label(e, language)} {body}" for e, body in zip(evidence, bodies, strict=True)
        ]
        matrix = self.vectors.get([e.text for e in evidence])

        # The checks of one answer run one after the other (no lock needed); the bound is a
        # safeguard, as an answer within max_tokens has far fewer sentences.
        @cached(LRUCache(maxsize=SIMILARITY_CACHE_SIZE))
        def similarity(sentence: str) -> list[float]:
            query = np.asarray(self.embed_query(sentence), dtype=np.float32)
            return [float(x) for x in matrix @ query]

        def check(text: str) -> Verification:
            with nullcontext() if trace is None else trace.stage("verify"):
                return verify_citations(
                    text.strip(), labelled, language, similarity, question=question, bodies=bodies
                )

        return check
