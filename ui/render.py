"""HTML for questions, answers, errors and sources; everything untrusted is escaped here.

Text from the corpus, the model and the user only ever reaches the page through
:func:`escape`, so an article or answer holding ``<script>``, ``<img onerror=…>`` or a
Markdown link to ``javascript:`` is shown as text. The only markup is the fixed markup this
module writes around it. (The chat renders messages as HTML with Markdown off, so Markdown
syntax in a text stays literal too.)

Pure functions of their arguments: no Gradio import, so they are unit-testable on their own.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from rag import Answer, Citation, Language, Passage, Progress
from rag.markers import MARKER_RE, markers
from rag.messages import format_date
from ui.i18n import t

_WHITESPACE_RE = re.compile(r"\s+")
_ZERO_WIDTH_RE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")


class BlockLike(Protocol):
    @property
    def kind(self) -> str: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def text(self) -> str: ...


class DocumentLike(Protocol):
    """What the sources panel reads of ``Assistant.document(doc_id)``."""

    @property
    def doc_id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def published(self) -> str | None: ...
    @property
    def publisher(self) -> str | None: ...
    @property
    def author(self) -> str | None: ...
    @property
    def editor(self) -> str | None: ...
    @property
    def sources(self) -> tuple[str, ...]: ...
    @property
    def raw(self) -> str: ...
    @property
    def blocks(self) -> Sequence[BlockLike]: ...


DocumentLookup = Callable[[str], DocumentLike | None]


@dataclass(frozen=True)
class Turn:
    """One exchange of a chat session: the question and its answer, or the error instead."""

    question: str
    answer: Answer | None = None
    error: str | None = None


def escape(text: str) -> str:
    """``text`` safe inside HTML element content and quoted attribute values."""
    return html.escape(text, quote=True)


def normalize_whitespace(text: str) -> str:
    """Collapse whitespace runs to one space, drop zero-width characters (not stripped)."""
    return _WHITESPACE_RE.sub(" ", _ZERO_WIDTH_RE.sub("", text))


def text_html(text: str) -> str:
    """Plain text as HTML: escaped, line breaks kept."""
    return "<br>".join(escape(line) for line in text.strip().split("\n"))


def source_id(turn: int, n: int) -> str:
    """The element id of citation ``[n]`` of answer number ``turn`` in the sources panel."""
    return f"src-{turn}-{n}"


def link_markers(escaped: str, turn: int, known: Iterable[int], language: Language) -> str:
    """Turn the ``[n]`` markers of already-escaped text into links to the sources panel.

    Numbers without a citation stay plain text.
    """
    numbers = set(known)

    def link(match: re.Match[str]) -> str:
        found = markers(match.group(0))
        if not found or any(n not in numbers for n in found):
            return match.group(0)
        return "".join(
            f'<a class="kr-ref" href="#{source_id(turn, n)}" '
            f'title="{escape(t("cite_title", language, n=n))}">[{n}]</a>'
            for n in found
        )

    return MARKER_RE.sub(link, escaped)


# -- chat messages -------------------------------------------------------------------------


def question_html(question: str) -> str:
    return f'<div class="kr-question">{text_html(question)}</div>'


def pending_html(language: Language, status: str | None = None) -> str:
    """What the assistant is doing before the answer's first sentence (``status``: a line of
    ``status_text``; default: searching)."""
    shown = status or t("thinking", language)
    return (
        '<div class="kr-answer kr-pending" aria-busy="true" role="status">'
        f'<span class="kr-spinner"></span> {escape(shown)}</div>'
    )


def status_text(progress: Progress, language: Language) -> str:
    """The bubble's line for a stage: searching, reading N passages, loading, writing."""
    docs = len({p.doc_id for p in progress.sources})
    return t(
        f"status_{progress.stage}", language, n=progress.shown or len(progress.sources), docs=docs
    )


def streaming_html(partial: str, language: Language, status: str | None = None) -> str:
    """The answer while it is being generated: its checked sentences so far, markers not yet
    linked (they link when the final answer replaces it)."""
    if not partial.strip():
        return pending_html(language, status)
    return (
        '<div class="kr-answer kr-streaming" aria-busy="true">'
        f'<div class="kr-answer-text">{text_html(partial)}<span class="kr-caret"></span></div>'
        "</div>"
    )


def answer_html(answer: Answer, turn: int, language: Language, show_timings: bool) -> str:
    """A finished answer: linked ``[n]`` markers, refusal badge, notices, timings, copy."""
    body = link_markers(text_html(answer.text), turn, (c.n for c in answer.citations), language)
    # small talk ("halo", "thanks") is answered in kind: no refusal look, no badge
    labelled = answer.refused and answer.refusal_reason != "small_talk"
    kind = "kr-refusal" if labelled else "kr-answered"
    parts = [f'<div class="kr-answer {kind}" lang="{escape(answer.language)}">']
    if labelled:
        badge = _badge(answer)
        parts.append(f'<div class="kr-badge">{escape(t(badge, language))}</div>')
    parts.append(f'<div class="kr-answer-text">{body}</div>')
    if answer.citations:  # copied along with the text, so a pasted answer stays checkable
        refs = "\n".join(reference_line(c, language) for c in answer.citations)
        parts.append(f'<div class="kr-copy-refs" hidden>{escape(refs)}</div>')
    if answer.notices:
        items = "".join(f"<li>{escape(notice)}</li>" for notice in answer.notices)
        note = escape(t("note", language))
        parts.append(f'<div class="kr-notices"><span>{note}:</span><ul>{items}</ul></div>')
    parts.append('<div class="kr-answer-foot">')
    if show_timings:
        details = timings_text(answer, language)
        searched = normalize_whitespace(answer.standalone_question).strip()
        if searched and searched != normalize_whitespace(answer.question).strip():
            details += f" · {t('searched_as', language)}: “{searched}”"
        parts.append(f'<span class="kr-timings">{escape(details)}</span>')
    parts.append(
        f'<button type="button" class="kr-copy" title="{escape(t("copy_title", language))}">'
        f"{escape(t('copy', language))}</button></div></div>"
    )
    return "".join(parts)


def reference_line(citation: Citation, language: Language) -> str:
    """``[1] Title — Outlet, 16 Januari 2022``: a citation as plain text."""
    where = ", ".join(
        x for x in (citation.publisher, format_date(citation.published, language)) if x
    )
    return f"[{citation.n}] {citation.title}" + (f" — {where}" if where else "")


def timings_text(answer: Answer, language: Language) -> str:
    steps = " · ".join(
        f"{name.removesuffix('_ms')} {value:.0f} ms" for name, value in answer.timings.items()
    )
    return f"{t('timings', language)} ({answer.generator or '?'}): {steps}"


def error_html(message: str, language: Language) -> str:
    return (
        '<div class="kr-answer kr-error" role="alert">'
        f'<div class="kr-badge">{escape(t("error_badge", language))}</div>'
        f'<div class="kr-answer-text">{text_html(message)}</div>'
        f'<p class="kr-hint">{escape(t("error_hint", language))}</p></div>'
    )


def chat_messages(
    turns: Sequence[Turn],
    language: Language,
    show_timings: bool,
    streaming: str | None = None,
    status: str | None = None,
) -> list[dict[str, str]]:
    """Chatbot messages (``{"role", "content"}``) for ``turns``.

    A last turn without answer or error is in progress: it shows ``streaming`` so far, or
    ``status`` (what the assistant is doing) before any text.
    """
    messages: list[dict[str, str]] = []
    for number, turn in enumerate(turns, start=1):
        messages.append({"role": "user", "content": question_html(turn.question)})
        if turn.answer is not None:
            content = answer_html(turn.answer, number, language, show_timings)
        elif turn.error is not None:
            content = error_html(turn.error, language)
        else:
            content = streaming_html(streaming or "", language, status)
        messages.append({"role": "assistant", "content": content})
    return messages


# -- sources panel -------------------------------------------------------------------------


def sources_html(turns: Sequence[Turn], lookup: DocumentLookup, language: Language) -> str:
    """The sources panel: the newest answer's sources open, earlier ones folded."""
    answered = [(n, turn) for n, turn in enumerate(turns, start=1) if turn.answer is not None]
    if not answered:
        return (
            f'<div class="kr-sources"><h2>{escape(t("sources", language))}</h2>'
            f'<p class="kr-empty">{escape(t("sources_empty", language))}</p></div>'
        )
    cache: dict[str, DocumentLike | None] = {}

    def cached(doc_id: str) -> DocumentLike | None:
        if doc_id not in cache:
            cache[doc_id] = lookup(doc_id)
        return cache[doc_id]

    parts = [f'<div class="kr-sources"><h2>{escape(t("sources", language))}</h2>']
    for position, (number, turn) in enumerate(reversed(answered)):
        assert turn.answer is not None
        group = _turn_sources(turn.answer, number, cached, language)
        if position == 0:
            parts.append(
                f'<section class="kr-turn kr-latest" id="turn-{number}">'
                f"<h3>{escape(t('sources_for', language))}: “{escape(_short(turn.question))}”</h3>"
                f"{group}</section>"
            )
        else:
            parts.append(
                f'<details class="kr-turn" id="turn-{number}"><summary>'
                f"{escape(t('earlier_answer', language))}: “{escape(_short(turn.question))}”"
                f"</summary>{group}</details>"
            )
    parts.append("</div>")
    return "".join(parts)


def found_sources_html(question: str, passages: Sequence[Passage], language: Language) -> str:
    """The sources panel while the model writes: the passages the search found, best first."""
    parts = [
        f'<div class="kr-sources kr-found"><h2>{escape(t("sources", language))}</h2>'
        f'<section class="kr-turn kr-latest"><h3>{escape(t("found_for", language))}: '
        f"“{escape(_short(question))}”</h3>"
        f'<p class="kr-empty">{escape(t("found_hint", language))}</p>'
    ]
    parts.extend(_passage_html(passage, language) for passage in passages)
    parts.append("</section></div>")
    return "".join(parts)


def _passage_html(passage: Passage, language: Language) -> str:
    """A passage the search found, not cited: its article and its opening words."""
    published = format_date(passage.published, language) or t("date_unknown", language)
    publisher = passage.publisher or t("outlet_unknown", language)
    return (
        f'<article class="kr-doc"><header><div class="kr-doc-title">{escape(passage.title)}'
        f'</div><div class="kr-meta"><span class="kr-outlet">{escape(publisher)}</span> · '
        f'<span class="kr-date">{escape(published)}</span></div></header>'
        f"<p>{escape(_short(passage.text, 240))}</p></article>"
    )


def _short(text: str, limit: int = 90) -> str:
    text = normalize_whitespace(text).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _declined(answer: Answer) -> bool:
    """Was the question itself declined (nonsense, a third language, a request for a poem),
    rather than looked up and not found?"""
    return answer.refused and answer.refusal_reason not in (None, "not_found", "unconfirmed")


def _badge(answer: Answer) -> str:
    """A refusal's label: declined, not confirmed by the passages found, or not found."""
    if _declined(answer):
        return "declined_badge"
    return "unconfirmed_badge" if answer.refusal_reason == "unconfirmed" else "refusal_badge"


def _turn_sources(answer: Answer, turn: int, lookup: DocumentLookup, language: Language) -> str:
    if answer.refused and answer.refusal_reason == "unconfirmed" and answer.retrieved:
        # Passages were found; the model's answer from them did not hold up. The asker may
        # still find what they need in them.
        hint = f'<p class="kr-empty">{escape(t("no_sources_unconfirmed", language))}</p>'
        return hint + "".join(_passage_html(p, language) for p in answer.retrieved[:4])
    if not answer.citations:
        if _declined(answer):
            key = "no_sources_declined"
        else:
            key = "no_sources_refused" if answer.refused else "no_sources"
        return f'<p class="kr-empty">{escape(t(key, language))}</p>'
    by_doc: dict[str, list[Citation]] = {}
    for citation in sorted(answer.citations, key=lambda c: c.n):
        by_doc.setdefault(citation.doc_id, []).append(citation)
    return "".join(
        _article_sources(citations, lookup(doc_id), turn, language)
        for doc_id, citations in by_doc.items()
    )


def _article_sources(
    citations: list[Citation], doc: DocumentLike | None, turn: int, language: Language
) -> str:
    first = citations[0]
    title = doc.title if doc else first.title
    publisher = (doc.publisher if doc else first.publisher) or t("outlet_unknown", language)
    published = format_date(doc.published if doc else first.published, language)
    numbers = "".join(f'<span class="kr-n">[{c.n}]</span>' for c in citations)
    parts = [
        f'<article class="kr-doc"><header><div class="kr-doc-title">{numbers} {escape(title)}</div>'
        f'<div class="kr-meta"><span class="kr-outlet">{escape(publisher)}</span> · '
        f'<span class="kr-date">{escape(published or t("date_unknown", language))}</span></div>'
        "</header>"
    ]
    usable = [c for c in citations if doc is not None and _offsets_match(doc.raw, c)]
    for citation in citations:
        parts.append(
            f'<div class="kr-cite" id="{source_id(turn, citation.n)}" tabindex="-1">'
            f'<span class="kr-n">[{citation.n}]</span><div class="kr-cite-body">'
        )
        if doc is not None and citation in usable:
            parts.append(_cited_context(doc, citation, language))
        else:
            parts.append(f'<p><mark class="kr-hl">{escape(citation.text)}</mark></p>')
            missing = "article_missing" if doc is None else "article_changed"
            parts.append(f'<p class="kr-warn">{escape(t(missing, language))}</p>')
        parts.append("</div></div>")
    if doc is not None:
        parts.append(_whole_article(doc, usable, language))
    parts.append("</article>")
    return "".join(parts)


def _offsets_match(raw: str, citation: Citation) -> bool:
    """Whether ``raw[start:end]`` still is the cited text (the article may have changed)."""
    if not 0 <= citation.start < citation.end <= len(raw):
        return False
    span = normalize_whitespace(raw[citation.start : citation.end]).strip()
    return span == normalize_whitespace(citation.text).strip()


def _overlapping(blocks: Sequence[BlockLike], start: int, end: int) -> list[BlockLike]:
    return [b for b in blocks if b.start < end and start < b.end]


def _cited_context(doc: DocumentLike, citation: Citation, language: Language) -> str:
    """The paragraph(s) holding the citation, with the cited span in ``<mark>``."""
    blocks = _overlapping(doc.blocks, citation.start, citation.end)
    if not blocks:
        return (
            f'<p><mark class="kr-hl">{escape(citation.text)}</mark></p>'
            f'<p class="kr-warn">{escape(t("context_missing", language))}</p>'
        )
    marks = {(citation.start, citation.end): citation.n}
    return "".join(_block_html(doc.raw, block, marks, "kr-hl") for block in blocks)


def _whole_article(doc: DocumentLike, citations: list[Citation], language: Language) -> str:
    marks = {(c.start, c.end): c.n for c in citations}
    meta = [
        f"{escape(t(key, language))}: {escape(value)}"
        for key, value in (("author", doc.author), ("editor", doc.editor))
        if value
    ]
    if doc.sources:
        meta.append(f"{escape(t('agency_sources', language))}: {escape(', '.join(doc.sources))}")
    body = "".join(_block_html(doc.raw, block, marks, "kr-hl-soft") for block in doc.blocks)
    meta_html = f'<p class="kr-meta">{" · ".join(meta)}</p>' if meta else ""
    return (
        f'<details class="kr-article"><summary>{escape(t("open_article", language))} '
        f"({escape(t('paragraphs', language, n=len(doc.blocks)))})</summary>"
        f'<div class="kr-article-body"><h4>{escape(doc.title)}</h4>{meta_html}{body}</div>'
        "</details>"
    )


def _block_html(raw: str, block: BlockLike, marks: Mapping[tuple[int, int], int], css: str) -> str:
    """One paragraph or caption from ``raw``, the parts inside ``marks`` highlighted.

    ``marks`` maps (start, end) offsets into ``raw`` to citation numbers; overlapping or
    partial spans are clipped to the block.
    """
    segments: list[tuple[str, int | None]] = []
    position = block.start
    for (start, end), n in sorted(marks.items()):
        start, end = max(start, position), min(end, block.end)
        if start >= end:
            continue
        segments.append((raw[position:start], None))
        segments.append((raw[start:end], n))
        position = end
    segments.append((raw[position : block.end], None))
    texts = [normalize_whitespace(text) for text, _ in segments]
    texts[0] = texts[0].lstrip()
    texts[-1] = texts[-1].rstrip()
    out = []
    for text, (_, number) in zip(texts, segments, strict=True):
        if not text:
            continue
        if number is None:
            out.append(escape(text))
        else:
            out.append(f'<mark class="{css}" data-n="{number}">{escape(text)}</mark>')
    tag_class = "kr-caption" if block.kind == "caption" else "kr-para"
    return f'<p class="{tag_class}">{"".join(out)}</p>'


# -- adding articles -----------------------------------------------------------------------


def status_html(lines: Sequence[tuple[str, str]]) -> str:
    """The ingest log: (css class, text) lines, e.g. ``("kr-skip", "bad.txt: empty file")``."""
    items = "".join(f'<li class="{escape(css)}">{escape(text)}</li>' for css, text in lines)
    return f'<ul class="kr-status">{items}</ul>'
