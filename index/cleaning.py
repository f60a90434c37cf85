"""Whitespace normalisation and recognition of web boilerplate in scraped article text.

A scraped news page carries the site's chrome along with the story: cross-links to other
stories ("Baca Juga: ..."), section menus ("Terkini", "Terpopuler"), share and comment
prompts, close buttons. This module decides, one line at a time, what is chrome; it knows
nothing about titles, bylines or captions, which ``articles.py`` works out from what is left.

Lines are judged on their whitespace-normalised text and must match *as a whole*: a
paragraph that merely starts with "Terkait ..." or mentions Google News is content.
"""

from __future__ import annotations

import re

# Characters that render as nothing. They are deleted rather than turned into spaces, so a
# word split by a zero-width space ("Kazakh\u200bstan") comes back as one word.
ZERO_WIDTH_CHARS: frozenset[str] = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")

_ZERO_WIDTH_RE = re.compile("[" + "".join(sorted(ZERO_WIDTH_CHARS)) + "]")
# For str patterns ``\s`` is Unicode-aware: it covers tabs, newlines, NBSP (U+00A0), the
# narrow NBSP (U+202F) and the other Unicode spaces that scraped pages are full of.
_WHITESPACE_RUN_RE = re.compile(r"\s+")


def normalize_whitespace(text: str) -> str:
    """Collapse every run of whitespace (NBSP, tabs, newlines ...) to one space and strip.

    Zero-width characters and soft hyphens are removed. A paragraph wrapped over several
    lines therefore comes back as one line of text.
    """
    return _WHITESPACE_RUN_RE.sub(" ", _ZERO_WIDTH_RE.sub("", text)).strip()


def is_blank_char(char: str) -> bool:
    """True for a character that ``normalize_whitespace`` would drop at the edge of a text."""
    return char.isspace() or char in ZERO_WIDTH_CHARS


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink ``text[start:end]`` so that it neither starts nor ends with a blank character.

    Offsets are moved instead of editing the text, so the span still points into ``text``.
    An all-blank span comes back empty (``start == end``).
    """
    while start < end and is_blank_char(text[start]):
        start += 1
    while end > start and is_blank_char(text[end - 1]):
        end -= 1
    return start, end


# --- Boilerplate lines -------------------------------------------------------------------

# Cross-links to other stories dropped between paragraphs: "Baca Juga: <headline>",
# "Lihat juga: ...", "BACA JUGA - ...". The word cap keeps a long paragraph that happens to
# begin with "Baca juga" (an instruction in a story) from being thrown away.
CROSS_LINK_RE = re.compile(r"^(?:baca|lihat|simak|klik)\s+(?:juga|pula)\b", re.IGNORECASE)
CROSS_LINK_MAX_WORDS = 30

# Headings of the page's closing sections: related and popular stories, tag lists, menus,
# social links. Everything after one of these (once the story has started) is chrome.
SECTION_END_LABELS: frozenset[str] = frozenset(
    {
        "tags",
        "tag",
        "topik",
        "topik terkait",
        "terkini",
        "terpopuler",
        "terkait",
        "populer",
        "artikel pilihan",
        "artikel terkait",
        "artikel terkini",
        "artikel lainnya",
        "berita terkait",
        "berita terkini",
        "berita terpopuler",
        "berita lainnya",
        "berita pilihan",
        "kabar daerah",
        "rekomendasi",
        "pilihan editor",
        "pilihan redaksi",
        "follow us",
        "ikuti kami",
        "most popular",
        "related",
        "related articles",
        "read more",
        "more stories",
    }
)

# Labels of page widgets that can sit anywhere, even inside the story: share buttons, ad
# slots, "read the full story" links. They are dropped but do not end the story.
WIDGET_LABELS: frozenset[str] = frozenset(
    {
        "share",
        "bagikan",
        "komentar",
        "advertisement",
        "iklan",
        "scroll to continue with content",
        "scroll untuk melanjutkan",
        "baca selengkapnya",
        "selengkapnya",
        "copy link",
        "salin link",
        "link copied",
        "lihat semua",
        "load more",
        "muat lebih banyak",
        "sumber",
        "editor",
    }
)

# Calls to action: comment boxes ("Tuliskan Komentar anda dari account Facebook") and
# "follow us on ..." prompts ("Cek Berita dan Artikel yang lain di Google News").
PROMPT_RES: tuple[re.Pattern[str], ...] = (
    re.compile(r"^(?:tuliskan|tulis|berikan|kirim)\s+komentar\b", re.IGNORECASE),
    re.compile(
        r"^(?:cek|ikuti|simak|baca|dapatkan|follow|klik|lihat|pantau|update|download|unduh)\b"
        r".{0,150}\b(?:google\s+news|whatsapp|telegram|instagram|twitter|tiktok|youtube|"
        r"facebook|channel|aplikasi|newsletter)\b",
        re.IGNORECASE,
    ),
)
PROMPT_MAX_WORDS = 30

# Menu entries and breadcrumbs: "• News", "» Internasional", "Home > News > Dunia".
MENU_RES: tuple[re.Pattern[str], ...] = (
    re.compile(r"^[•·▪►»›]\s*\S+(?:\s+\S+){0,2}$"),
    re.compile(r"^(?:home|beranda)\s*[>»/›|]", re.IGNORECASE),
)

# A lone close button ("x"), separators ("***", "---", "* * *") and a credit label whose
# value the page did not fill in ("Sumber:").
DEBRIS_RE = re.compile(
    r"^(?:[x×✕✖]|(?:\*\s*){2,}|[-_=~•·]{3,}|#+|"
    r"(?:sumber|editor|penulis|reporter|pewarta|foto|oleh)\s*:)$",
    re.IGNORECASE,
)


def _label_key(line: str) -> str:
    """The line as a label: normalised, case-folded, without a trailing colon."""
    return normalize_whitespace(line).rstrip(":").rstrip().casefold()


def is_section_end(line: str) -> bool:
    """True if the line is a heading of the page's closing sections ("Tags", "Terpopuler")."""
    return _label_key(line) in SECTION_END_LABELS


def is_boilerplate_line(line: str) -> bool:
    """True if the whole line is web chrome rather than article text or article metadata.

    Covers cross-links, section headings, widget labels, comment and follow prompts, menu
    entries and debris such as a lone "x". Blank lines are not boilerplate (they separate
    paragraphs); metadata lines such as "Editor: X" are left to the article parser.
    """
    text = normalize_whitespace(line)
    if not text:
        return False
    n_words = len(text.split())
    key = _label_key(text)
    if key in SECTION_END_LABELS or key in WIDGET_LABELS:
        return True
    if CROSS_LINK_RE.match(text) and n_words <= CROSS_LINK_MAX_WORDS:
        return True
    if n_words <= PROMPT_MAX_WORDS and any(p.search(text) for p in PROMPT_RES):
        return True
    return bool(DEBRIS_RE.match(text) or any(p.match(text) for p in MENU_RES))


# --- Trailing credits ----------------------------------------------------------------------

# The end-of-story mark some outlets put after the last sentence ("... juga.***").
_TRAILING_STARS_RE = re.compile(r"\*{2,}\s*$")
# A short parenthesised credit after the last sentence: the writer's initials "(sal)",
# "(ant/rdn)" or a wire agency "(AA)", "(AFP/Reuters)". Only letters and separators, so a
# date "(5/1)" or a caption credit "(foto: ...)" is not taken for one.
_TRAILING_PAREN_RE = re.compile(r"\(\s*([A-Za-z][A-Za-z .&/,-]{0,28})\s*\)\s*$")
# A credit only counts after the sentence has ended: "... Kolektif (CSTO)" ends a paragraph
# mid-sentence with an acronym, "... pada hari Kamis.(AA)" ends it with a credit.
_SENTENCE_END_CHARS = frozenset(".!?\"'”’»…")


def split_trailing_credits(text: str) -> tuple[int, tuple[str, ...]]:
    """Find the credits appended to the end of a paragraph.

    Returns ``(end, credits)``: ``text[:end]`` is the paragraph without its trailing
    "***" marks and parenthesised credits (and without the blank before them), and
    ``credits`` holds the credits' contents in reading order, e.g. ``("AA",)`` or
    ``("sal",)``. When there is nothing to remove ``end == len(text)`` (after trimming
    trailing blanks) and ``credits`` is empty.
    """
    end = trim_span(text, 0, len(text))[1]
    credits: list[str] = []
    while end > 0:
        head = text[:end]
        stars = _TRAILING_STARS_RE.search(head)
        if stars:
            end = trim_span(text, 0, stars.start())[1]
            continue
        # Credits can come in a row ("(AFP) (sal)"); the row must follow a finished sentence.
        chain: list[str] = []
        before = end
        while paren := _TRAILING_PAREN_RE.search(text, 0, before):
            chain.insert(0, paren.group(1).strip())
            before = trim_span(text, 0, paren.start())[1]
        if chain and (before == 0 or text[before - 1] in _SENTENCE_END_CHARS):
            credits[:0] = chain
            end = before
            continue
        break
    return end, tuple(credits)
