"""What the corpus holds, told to an asker who asks that ("What is this about?", "artikel apa
saja yang ada?") instead of a question about the news.

Looked up, such a question matched no passage and was refused ("The corpus does not contain
this information."), which tells a new user nothing. The reply is made from the indexed
articles themselves (how many, when, by whom, the latest titles), not by the model.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from index import DocumentRecord
from index.dates import publication_day
from rag.answer import Language
from rag.messages import format_day, message

TITLES_SHOWN = 5  # the latest articles named by title; the rest are counted


def corpus_overview(documents: Sequence[DocumentRecord], language: Language) -> str:
    """How many articles the corpus holds, published when and by whom, and the latest
    ``TITLES_SHOWN`` titles, in ``language``; what to add when it is empty."""
    if not documents:
        return message("corpus_empty", language)
    latest = sorted(documents, key=lambda d: d.published or "", reverse=True)
    days = sorted(day for day in map(publication_day, (d.published for d in documents)) if day)
    span = message("corpus_span", language, days=_days(days, language)) if days else ""
    outlets = sorted({d.publisher for d in documents if d.publisher}, key=str.lower)
    titles = [_titled(d, language) for d in latest[:TITLES_SHOWN]]
    more = len(documents) - len(titles)
    if more:
        titles.append(message("corpus_more", language, n=more))
    listed = "\n".join(f"- {line}" for line in titles)  # one line each (the chat keeps breaks)
    return message(
        "corpus",
        language,
        n=len(documents),
        span=span,
        outlets=message("corpus_outlets", language, outlets=_joined(outlets, language))
        if outlets
        else "",
        titles=listed,
    )


def _days(days: Sequence[date], language: Language) -> str:
    """The first and last day: '8 Januari 2022', '8–16 Januari 2022', '30 Desember 2021–2
    Januari 2022'."""
    first, last = format_day(days[0], language), format_day(days[-1], language)
    if first == last:
        return first
    if (days[0].year, days[0].month) == (days[-1].year, days[-1].month):
        return f"{days[0].day}–{last}"
    return f"{first}–{last}"


def _titled(document: DocumentRecord, language: Language) -> str:
    day = publication_day(document.published)
    said = [part for part in (document.publisher, day and format_day(day, language)) if part]
    return f"“{document.title}”" + (f" ({', '.join(said)})" if said else "")


def _joined(names: Sequence[str], language: Language) -> str:
    """'A', 'A and B', 'A, B and C' ('dan' in Indonesian)."""
    if len(names) <= 1:
        return "".join(names)
    word = "dan" if language == "id" else "and"
    return f"{', '.join(names[:-1])} {word} {names[-1]}"
