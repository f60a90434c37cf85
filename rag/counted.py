"""What a figure counts: the kind of thing named right after it.

The citation check finds each figure of an answer in the passage it cites, but a figure that
occurs there may count something else. The articles give "26 kematian dari bandit
bersenjata, dan 18 petugas keamanan tewas"; asked how many Russian soldiers or how many
children died (facts no article gives), the 1.5B model answered "26 soldiers were killed and
18 were wounded" and "26 children were among the dead", and both passed. A figure is bound
to the words after it ("26 children", "18 petugas keamanan"), in either language, and an
answer's figure must count a kind its passage's figure could count.

Where the words after a figure name no kind ("2.500 orang"), its clause before it may
("pasukan penjaga perdamaian ... 2.500 orang"); a passage's figure that names none either
("yang 67 dalam kondisi serius") counts a kind the passage mentions somewhere. An answer's
figure that names no kind ("2,600 people") is not judged: "people" can be anyone.

The question binds the figure too (``off_question``): "how many people were detained" names
detainees, and "225 jenazah" (bodies) does not answer it however faithfully it is copied;
"how many soldiers did Belarus send" needs a figure whose passage names Belarus, not the
whole force's "2.500".

Hand-written, because no bilingual noun classifier for Indonesian news installs offline: a
few kinds of counted things in English and Indonesian, and only those.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from index.analyzer import normalize_number
from index.dates import MONTHS
from rag.answer_types import (
    after_quantity_cue,
    asks_duration,
    asks_for_countries,
    expected_answer_type,
    is_year,
)
from rag.gazetteer import COUNTRIES, entities_in


def _forms(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Kinds of counted things, each in both languages. Police, soldiers and security officers are
# one kind: the articles' "petugas keamanan", "penegak hukum dan personel militer" are fairly
# rendered by any of them. The other side of the clashes is one kind too ("bandit",
# "teroris", "perusuh", protesters): which word a summary uses is a judgement, not a new fact.
KINDS: dict[str, frozenset[str]] = {
    "children": _forms("child children kid kids minor minors anak anak-anak balita bayi remaja"),
    "forces": _forms(
        """police policeman policemen officer officers soldier soldiers troop troops servicemen
        military security law enforcement personnel guards
        polisi petugas aparat tentara prajurit personel militer pasukan keamanan penegak"""
    ),
    "other_side": _forms(
        """bandit bandits terrorist terrorists rioter rioters militant militants gunmen
        protester protesters protestor protestors demonstrator demonstrators looters
        teroris perusuh demonstran pengunjuk militan penjarah"""
    ),
    "bodies": _forms("body bodies corpse corpses cadaver cadavers jenazah mayat"),
    "detainees": _forms(
        """detain detained detainee detainees arrest arrested arrests prisoner prisoners
        ditahan ditangkap tahanan menahan menangkap penangkapan"""
    ),
    "vehicles": _forms("car cars vehicle vehicles mobil kendaraan"),
    "buildings": _forms("building buildings gedung bangunan"),
}
# A unit of time right after a figure makes it a span of time, whatever else its clause names:
# "berlaku selama 225 hari" is not backed by "225 jenazah". Only right after it: "26 tewas pada
# hari Kamis" still counts the dead.
_TIME_UNITS = _forms(
    """day days week weeks month months year years hour hours minute minutes
    hari pekan minggu bulan tahun jam menit"""
)
TIME = "time"
# How far after a figure its noun may stand: "19 di antaranya adalah petugas", "26 kematian
# dari bandit", "19 of them were police officers".
WINDOW = 4
WINDOW_BEFORE = 8

# A preposition of place and the (one or two word) name after it, however it is written:
# questions come in lower case too ("yg dikirim ke kazakhstan").
_PLACE_RE = re.compile(
    r"\b(?:to|in|into|inside|within|at|across|ke|di|dalam)\s+(?:the\s+)?[\w'-]+(?:,?\s+[\w'-]+)?",
    re.IGNORECASE,
)
_TOKEN_RE = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_][\w'-]*|[.,;:!?()\[\]\"/]")


def counts_in(text: str) -> dict[str, set[str]]:
    """Each figure of ``text`` (normalised: "2.600" and "2,600" are "2600") and the kinds of
    thing the words after it name, or else the words of its clause before it (empty: none of
    ``KINDS``)."""
    found: dict[str, set[str]] = {}
    for figure, named in _occurrences(text):
        found.setdefault(figure, set()).update(named)
    return found


def _occurrences(text: str) -> list[tuple[str, set[str]]]:
    """Each occurrence of a figure in ``text``, with the kinds its words name (``counts_in``)."""
    tokens = _TOKEN_RE.findall(text)
    return [
        (normalize_number(token), _named_by(tokens, i))
        for i, token in enumerate(tokens)
        if token[0].isdigit() and not _in_date(tokens, i)
    ]


def _named_by(tokens: list[str], i: int) -> set[str]:
    """The kinds the figure at ``tokens[i]`` counts: a span of time when a unit of time
    follows it, else the kinds its words after it name, or else its clause before it."""
    if tokens[i + 1 : i + 2] and tokens[i + 1].lower() in _TIME_UNITS:
        return {TIME}
    return _kinds(_words_after(tokens, i)) or _kinds(_words_before(tokens, i))


def miscounted(sentence: str, passages: Iterable[str]) -> list[str]:
    """The figures of ``sentence`` that count a kind of thing that no passage holding the
    same figure counts with it ("26 children" where the passages give "26 kematian dari
    bandit"). Where a passage's figure names no kind ("yang 67 dalam kondisi serius"), the
    passage must at least mention the kind ("67 children were among the dead" from a
    passage about hospital patients that names no child). A figure no passage holds is left
    to the number check; an answer's figure that names no kind ("2,600 people") is not
    judged."""
    held = [_passage_counts(p) for p in passages]
    wrong = []
    for figure, kinds in counts_in(sentence).items():
        there = [(c[figure], named) for c, named in held if figure in c]
        if kinds and there and not any(_could_count(kinds, *t) for t in there):
            wrong.append(figure)
    return wrong


def off_question(sentence: str, passages: Iterable[str], question: str) -> bool:
    """Does ``sentence`` answer a "how many" question with figures that count something else,
    or someone else's? Each figure the passages hold must, in some passage holding it, count
    the kind the question asks for ("how many people were detained" is not answered by "225
    jenazah") and stand beside the countries the question names ("How many soldiers did
    Belarus send?" is not answered by the whole force's "2.500", whose passage names no
    Belarus). A sentence passes when one of its figures does: "225 jenazah, 19 di antaranya
    petugas" answers "how many of them were police" with its 19."""
    if expected_answer_type(question) != "number":  # "tanggal berapa" asks for a date
        return False
    asked = asked_kind(question)
    if not asked:
        return False
    countries = _owners(question)
    held = [(_passage_counts(p), p) for p in passages]
    figures = [f for f in counts_in(sentence) if any(f in c for (c, _), _ in held)]
    return bool(figures) and not any(
        _answers(asked, countries, counts[f], named, passage)
        for f in figures
        for (counts, named), passage in held
        if f in counts
    )


def asked_kind(question: str) -> set[str]:
    """The kind of thing a "how many" question counts: the first of ``KINDS`` named after
    "how many" / "berapa" ("Berapa orang yang ditahan aparat" counts detainees, not the
    police who held them). Empty when it names none ("how many people died"), and for "how
    many countries sent troops", which counts countries. A span of time for "how long" and
    "berapa hari": "Misi itu akan berlangsung sekitar 2.500 orang" does not answer it."""
    if asks_for_countries(question):
        return set()
    if asks_duration(question):
        return {TIME}
    words = _TOKEN_RE.findall((after_quantity_cue(question) or "").lower())
    if words[:1] and words[0] in _TIME_UNITS:  # "berapa hari", "how many days"
        return {TIME}
    for word in words:
        named = _kinds([word])
        if named:
            return named
    return set()


def _owners(question: str) -> set[tuple[str, ...]]:
    """The countries whose people the question counts ("Belarus' soldiers", "tentara Rusia",
    "soldiers from Armenia"), not those where it happened ("dikirim ke Kazakhstan", "died in
    Almaty, Kazakhstan"): a country after a preposition of place is the setting."""
    setting = _PLACE_RE.sub(" ", question)
    return {e for e in entities_in(setting) if e in COUNTRIES}


def _answers(
    asked: set[str],
    countries: set[tuple[str, ...]],
    counted: set[str],
    named: set[str],
    passage: str,
) -> bool:
    return _could_count(asked, counted, named) and countries <= _passage_entities(passage)


@lru_cache(maxsize=256)
def _passage_entities(passage: str) -> frozenset[tuple[str, ...]]:
    return frozenset(entities_in(passage))


@lru_cache(maxsize=256)
def _passage_counts(passage: str) -> tuple[dict[str, set[str]], set[str]]:
    """What each figure of a passage may count, and the kinds the passage names anywhere;
    once per passage text: the check runs again on the growing answer at each streamed
    sentence, over the same passages. Read only.

    Each occurrence of a figure counts on its own. One that names no kind may count any kind
    the passage names: "26 pengunjuk rasa telah kehilangan nyawa mereka, dan 18 lainnya
    terluka. Setidaknya 18 petugas keamanan tewas" gives 18 injured protesters as well as 18
    officers, where ``counts_in`` would keep only the officers its second 18 names.
    """
    named = _kinds(_TOKEN_RE.findall(passage.lower()))
    counts: dict[str, set[str]] = {}
    for figure, kinds in _occurrences(passage):
        counts.setdefault(figure, set()).update(kinds or named)
    return counts, named


def _could_count(asked: set[str], counted: set[str], named: set[str]) -> bool:
    """Could a passage's figure that ``counted`` these kinds (none: it does not say), in a
    passage that names these kinds anywhere, count one of the ``asked`` kinds?"""
    return bool(asked & counted) if counted else bool(asked & named)


def _in_date(tokens: list[str], i: int) -> bool:
    """Is ``tokens[i]`` a year or a day beside its month ("16 Januari 2022", "January 5")?
    A date counts nothing: "Pada 16 Januari 2022 pasukan CSTO ..." gives no 2022 troops."""
    token = tokens[i]
    if is_year(token):
        return True
    beside = tokens[max(i - 1, 0) : i] + tokens[i + 1 : i + 2]
    return any(word == "/" or word.lower().rstrip(".") in MONTHS for word in beside)


def _kinds(words: list[str]) -> set[str]:
    return {kind for kind, forms in KINDS.items() for word in words if word in forms}


def _words_after(tokens: list[str], i: int) -> list[str]:
    """Up to ``WINDOW`` words after the figure at ``tokens[i]``, stopping at punctuation or
    the next figure."""
    return _clause(tokens[i + 1 :], WINDOW)


def _words_before(tokens: list[str], i: int) -> list[str]:
    """Up to ``WINDOW_BEFORE`` words of the figure's clause before it: where the words after
    it name no kind, its subject may ("pasukan penjaga perdamaian ... akan berjumlah sekitar
    2.500 orang")."""
    return _clause(tokens[:i][::-1], WINDOW_BEFORE)


def _clause(tokens: list[str], limit: int) -> list[str]:
    words: list[str] = []
    for token in tokens:
        if len(words) == limit or token[0].isdigit() or not token[0].isalpha():
            break
        words.append(token.lower())
    return words
