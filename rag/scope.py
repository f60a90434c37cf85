"""A question that says where to look: an outlet, a report's date or an article's title.

"Menurut Media Pakuan, pasukan Rusia datang untuk menjaga apa?", "According to the 8 January
report, what did the US doubt?", "Foto di dua artikel Media Pakuan itu karya siapa?". The
asker restricts the answer to some articles, so retrieval searches only those (as a
``Filters`` on document ids would), and the words that name the source leave the text that is
searched and weighed (the model still reads the question whole): they match no passage, and
they pulled a question's best evidence under the refusal threshold ("Siapa yang memimpin
pasukan keamanan menurut Media Pakuan?" was refused, the same question without its last
three words answered).

Only what the corpus holds, named as a source, is one: an outlet is the publisher of an
indexed article, introduced as a source ("menurut", "di artikel", "the ... article"; not the
subject of "What did Radartasik report?", nor a dateline inside pasted text), and a date is
one when a report word ("laporan", "berita", "artikel", "report", "article") goes with it and
an article was published that day ("what happened on 5 January" asks about the day itself).
A title is one when a report word introduces three or more of its words in a row ("menurut
artikel AS Peringatkan Kazakhstan", "the article titled 'Sulit Membuat Pasukan Rusia
Pergi'"): the chat shows each source's title, and an asker copies it. A reference the corpus
does not match leaves the question as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from index import DocumentRecord
from index.dates import MONTH_NAMES, MONTHS, publication_day
from rag.filters import Filters
from rag.messages import format_day, message
from rag.question import Question

_REPORT = r"(?:laporan|berita|artikel|tulisan|liputan|report|article|story|piece)s?"
# "menurut", "according to the", "di dua artikel", "in both" ... before the outlet or date
_LEAD = (
    r"(?:(?P<prep>menurut|according\s+to|in|di|dalam|dari|from|by|per)\s+)?"
    r"(?P<det>(?:(?:the|both|two|three|dua|tiga|kedua|semua|all)\s+)*)"
)
_TAIL = r"(?P<noun>\s+(?:articles?|reports?|stor(?:y|ies)|pieces?))?(?:\s+(?:itu|ini|tersebut))*"
_DAY = (
    rf"(?:(?P<d1>\d{{1,2}})\s+(?P<m1>{MONTH_NAMES})\b\.?(?:\s+(?P<y1>\d{{4}}))?"
    rf"|(?P<m2>{MONTH_NAMES})\b\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y2>\d{{4}}))?)"
)
_TLD_RE = re.compile(r"\.(?:com|co\.id|id|net|org|news)$", re.IGNORECASE)
# A report word and what may stand between it and a title it names: "artikel berjudul '",
# "the story titled \"".
_TITLE_LEAD_RE = re.compile(
    rf"{_LEAD}{_REPORT}\s+(?:(?:berjudul|bertajuk|titled|entitled|headlined|called)\s+)?"
    r"[\"'“‘]?",
    re.IGNORECASE,
)
_TITLE_WORD_RE = re.compile(r"[^\W_]+")
TITLE_MIN_WORDS = 3  # fewer title words in a row are too easily the question's own


class QuestionScope:
    """Between ``Assistant``'s prepare and retrieve stages: the articles a question names, as
    filters, and the question to search without the words that name them
    (``Question.search_text``), with a notice saying what was searched. Filters the caller
    gave win."""

    def __init__(self, documents: Callable[[], Sequence[DocumentRecord]]) -> None:
        self.documents = documents

    def run(self, question: Question, filters: Filters | None) -> tuple[Question, Filters | None]:
        if filters is not None and not filters.empty:
            return question, filters
        scope = find_scope(question.searched, self.documents())
        if scope is None:
            return question, filters
        published = message("published", question.language)
        sources = "; ".join(
            [
                *scope.outlets,
                *(f"{published} {format_day(d, question.language)}" for d in scope.days),
                *(f"“{title}”" for title in scope.titles),
            ]
        )
        notice = message("scoped", question.language, sources=sources)
        scoped = replace(question, search_text=scope.text, notices=(*question.notices, notice))
        return scoped, Filters(doc_ids=scope.doc_ids)


@dataclass(frozen=True)
class Scope:
    """The articles a question names, and the question without the words that name them."""

    text: str
    doc_ids: tuple[str, ...]
    outlets: tuple[str, ...]  # as the corpus writes them: "MEDIA PAKUAN"
    days: tuple[date, ...]  # the publication days of the reports it names
    titles: tuple[str, ...] = ()  # the titles of the articles it names by title


def find_scope(question: str, documents: Sequence[DocumentRecord]) -> Scope | None:
    """The scope ``question`` gives among ``documents``; None if it names no source of theirs
    (or names sources that no one article matches)."""
    publishers = sorted({d.publisher for d in documents if d.publisher}, key=len, reverse=True)
    patterns = {publisher: _outlet_pattern(publisher) for publisher in publishers}
    # Only an outlet named as a source counts: "menurut Media Pakuan", "artikel Radartasik",
    # "the Radartasik article". As a sentence's subject ("What did Radartasik report about
    # Psaki?") or inside pasted text (a dateline "MEDIA PAKUAN - ...") it restricts nothing.
    outlets = [
        publisher
        for publisher, pattern in patterns.items()
        if any(_as_source(m) for m in pattern.finditer(question))
    ]
    text, by_title = _titles(question, documents)
    text, by_day, days = _report_days(text, documents, [_names(p) for p in publishers])
    if not outlets and by_day is None and by_title is None:
        return None
    for publisher in outlets:
        text = patterns[publisher].sub(lambda m: " " if _as_source(m) else m[0], text)
    chosen = tuple(
        d.doc_id
        for d in documents
        if (not outlets or d.publisher in outlets)
        and (by_day is None or d.doc_id in by_day)
        and (by_title is None or d.doc_id in by_title)
    )
    rest = _tidy(text)
    if not chosen or len(rest.split()) < 2:
        return None
    titles = tuple(d.title for d in documents if by_title and d.doc_id in by_title)
    return Scope(rest, chosen, tuple(outlets), tuple(days), titles)


def _as_source(match: re.Match[str]) -> bool:
    return bool(match["prep"] or match["report"] or (match["det"] and match["noun"]))


def _names(publisher: str) -> str:
    """The outlet's names as a regex alternation: "Radartasik.com" is also "Radartasik"."""
    forms = {publisher.strip(), _TLD_RE.sub("", publisher.strip())}
    return "|".join(
        r"\s+".join(re.escape(word) for word in form.split())
        for form in sorted(forms, key=len, reverse=True)
    )


def _outlet_pattern(publisher: str) -> re.Pattern[str]:
    """The outlet named with what introduces it ("menurut", "di artikel"); whole words, any
    case."""
    return re.compile(
        rf"{_LEAD}(?P<report>{_REPORT}\s+)?(?<!\w)(?:{_names(publisher)})(?!\w){_TAIL}",
        re.IGNORECASE,
    )


def _report_days(
    question: str, documents: Sequence[DocumentRecord], outlets: Sequence[str]
) -> tuple[str, set[str] | None, list[date]]:
    """The question without the report dates it names ("laporan 8 Januari", "the January 8
    report", "laporan Media Pakuan 16 Januari"), the ids of the articles published on them,
    and those days."""
    outlet = rf"(?:(?:{'|'.join(outlets)})\s+)?" if outlets else ""
    patterns = (
        rf"{_LEAD}{_REPORT}\s+{outlet}(?:(?:tanggal|tgl\.?|from|of|on|dated)\s+)?{_DAY}{_TAIL}"
        r"(?!\d)",
        rf"{_LEAD}{_DAY}\s+{outlet}{_REPORT}{_TAIL}",
    )
    matches = [m for p in patterns for m in re.finditer(p, question, re.IGNORECASE)]
    text, ids, named = question, set[str](), list[date]()
    for match in matches:
        day = int(match["d1"] or match["d2"])
        month = MONTHS[(match["m1"] or match["m2"]).casefold()]
        year = match["y1"] or match["y2"]
        found = {
            d.doc_id: when
            for d in documents
            if (when := publication_day(d.published)) is not None
            and (when.day, when.month) == (day, month)
            and (year is None or when.year == int(year))
        }
        if found:
            text = text.replace(match.group(0), " ", 1)
            ids |= set(found)
            named.extend(sorted(set(found.values()) - set(named)))
    return text, (ids or None), named


def _titles(question: str, documents: Sequence[DocumentRecord]) -> tuple[str, set[str] | None]:
    """The question without a title it names after a report word, and the ids of the
    articles whose titles hold the most of its words in a row (three at least)."""
    titles = {d.doc_id: [w.casefold() for w in _TITLE_WORD_RE.findall(d.title)] for d in documents}
    for lead in _TITLE_LEAD_RE.finditer(question):
        words = list(_TITLE_WORD_RE.finditer(question, lead.end()))
        asked = [w[0].casefold() for w in words]
        runs = {doc_id: _run_in(asked, title) for doc_id, title in titles.items()}
        longest = max(runs.values(), default=0)
        if longest < TITLE_MIN_WORDS:
            continue
        end = words[longest - 1].end()
        end += len(re.match(r"[\"'”’]?", question[end:])[0])  # type: ignore[index]
        rest = question[: lead.start()] + " " + question[end:]
        return rest, {doc_id for doc_id, run in runs.items() if run == longest}
    return question, None


def _run_in(asked: Sequence[str], title: Sequence[str]) -> int:
    """How many of ``asked``'s first words stand in a row somewhere in ``title``."""
    best = 0
    for start in range(len(title)):
        n = 0
        while n < len(asked) and start + n < len(title) and asked[n] == title[start + n]:
            n += 1
        best = max(best, n)
    return best


def _tidy(text: str) -> str:
    """Spaces and punctuation left where words were cut: "  , pasukan ..." -> "Pasukan ..."."""
    text = re.sub(r"\s+([,;:?.!])", r"\1", re.sub(r"\s{2,}", " ", text)).strip()
    text = re.sub(r"^[,;:]\s*|[,;:]\s*(?=[?.!]?$)", "", text).strip()
    text = re.sub(r",\s*,", ",", text)
    return text[:1].upper() + text[1:] if text else text
