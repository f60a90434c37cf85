"""From the text of a news article file to an :class:`Article`: metadata plus content blocks.

Scraped articles arrive as one text with the page around the story still attached. The
parser reads it line by line, top to bottom:

* the **header** (everything before the first paragraph) gives the kicker, the title, the
  date/byline line ("Akhyar Zein | Sabtu, 08/01/2022 06:38 WIB") and the photo captions;
* the **body** gives paragraphs, captions and credit lines ("Editor: ...", "Sumber: ...");
* a closing section heading ("Tags", "Terpopuler") ends the story.

Lines that are web chrome are recognised by :mod:`index.cleaning`. Nothing is edited: each
block is a span of ``Article.raw``, and leading datelines ("JAKARTA - ") or trailing credits
("(AA)", "***") are cut by moving the span's offsets, so citations can point back into the
original text.

The publication date comes only from the header: a date inside the story is about the
events, not about the article, so an article without a dated byline has ``published=None``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

from index.cleaning import (
    ZERO_WIDTH_CHARS,
    is_boilerplate_line,
    is_section_end,
    normalize_whitespace,
    split_trailing_credits,
    trim_span,
)
from index.dates import find_date, parse_published

BlockKind = Literal["paragraph", "caption"]
BLOCK_KINDS: frozenset[str] = frozenset({"paragraph", "caption"})


@dataclass(frozen=True)
class Block:
    """A paragraph or photo caption: ``text == normalize_whitespace(raw[start:end])``."""

    kind: BlockKind
    start: int
    end: int
    text: str

    def __post_init__(self) -> None:
        if self.kind not in BLOCK_KINDS:
            raise ValueError(f"kind must be 'paragraph' or 'caption', got {self.kind!r}")
        if not 0 <= self.start < self.end:
            raise ValueError(f"need 0 <= start < end, got start={self.start}, end={self.end}")


@dataclass(frozen=True)
class Article:
    """One news article: metadata and its content blocks, with offsets into ``raw``."""

    doc_id: str
    raw: str
    title: str
    published: str | None
    publisher: str | None
    author: str | None
    editor: str | None
    sources: tuple[str, ...]
    category: str | None
    blocks: tuple[Block, ...]

    @property
    def body(self) -> str:
        """The paragraphs' texts (captions excluded), separated by blank lines."""
        return "\n\n".join(block.text for block in self.blocks if block.kind == "paragraph")


# --- Reference lists -------------------------------------------------------------------------

# Places that open a dateline ("JAKARTA - ", "TEMPO.CO, Jakarta - "). A dateline word that is
# one of these is where the story was filed, not the outlet that published it.
CITIES: frozenset[str] = frozenset(
    {
        # Indonesia
        "jakarta", "bandung", "surabaya", "medan", "semarang", "makassar", "palembang",
        "yogyakarta", "jogja", "jogjakarta", "denpasar", "bali", "bogor", "depok", "tangerang",
        "tangerang selatan", "bekasi", "malang", "solo", "surakarta", "padang", "pekanbaru",
        "batam", "banjarmasin", "balikpapan", "samarinda", "pontianak", "manado", "kupang",
        "mataram", "ambon", "jayapura", "sorong", "kendari", "palu", "gorontalo", "jambi",
        "bengkulu", "lampung", "bandar lampung", "serang", "cirebon", "tasikmalaya", "garut",
        "sukabumi", "cianjur", "karawang", "purwakarta", "kediri", "jember", "banyuwangi",
        "madiun", "kudus", "tegal", "pekalongan", "magelang", "aceh", "banda aceh",
        "lhokseumawe", "pangkalpinang", "tanjungpinang", "ternate", "mamuju", "palangka raya",
        "palangkaraya", "tarakan", "merauke", "timika", "manokwari", "labuan bajo",
        # Elsewhere
        "washington", "washington dc", "new york", "london", "paris", "berlin", "moskow",
        "moscow", "beijing", "tokyo", "seoul", "kuala lumpur", "singapura", "singapore",
        "bangkok", "manila", "hanoi", "canberra", "sydney", "kairo", "cairo", "riyadh",
        "doha", "dubai", "abu dhabi", "teheran", "tehran", "ankara", "istanbul", "yerusalem",
        "jerusalem", "gaza", "kiev", "kyiv", "almaty", "astana", "nur-sultan", "brussel",
        "brussels", "jenewa", "geneva", "roma", "rome", "madrid", "new delhi", "islamabad",
        "kabul", "hong kong", "taipei", "ottawa", "den haag", "the hague", "wina", "vienna",
        "beirut", "damaskus", "damascus", "baghdad", "bagdad", "amman", "dili",
        "vatikan", "vatican", "minsk", "tashkent", "bishkek", "dushanbe", "yerevan", "tbilisi",
    }
)  # fmt: skip

# News agencies, by case-folded name, in their usual spelling. A trailing "(AA)" names the
# agency the story came from; "(sal)" is only the writer's initials.
WIRE_AGENCIES: dict[str, str] = {
    "aa": "AA", "anadolu": "Anadolu", "afp": "AFP", "ap": "AP", "reuters": "Reuters",
    "antara": "ANTARA", "xinhua": "Xinhua", "bernama": "Bernama", "kyodo": "Kyodo",
    "yonhap": "Yonhap", "tass": "TASS", "ria": "RIA", "ria novosti": "RIA Novosti",
    "sputnik": "Sputnik", "efe": "EFE", "ansa": "ANSA", "upi": "UPI", "pti": "PTI",
    "irna": "IRNA", "wafa": "WAFA", "bloomberg": "Bloomberg", "jpnn": "JPNN",
}  # fmt: skip

# "Sumber:" entries that name no source.
VAGUE_SOURCES: frozenset[str] = frozenset(
    {"berbagai sumber", "dari berbagai sumber", "various sources", "istimewa", "ist", "internet"}
)

# Words of section names ("Internasional", "Luar Negeri", "Berita Utama"). A byline prefix made
# of capitalised words is a person's name unless it contains one of these.
RUBRIC_WORDS: frozenset[str] = frozenset(
    {
        "berita", "news", "nasional", "national", "internasional", "international", "dunia",
        "world", "global", "ekonomi", "economy", "bisnis", "business", "keuangan", "finansial",
        "finance", "olahraga", "sport", "sports", "bola", "hiburan", "entertainment", "seleb",
        "selebriti", "politik", "politics", "hukum", "kriminal", "daerah", "regional",
        "nusantara", "metro", "megapolitan", "teknologi", "tekno", "tech", "sains", "science",
        "gaya", "hidup", "lifestyle", "otomotif", "kesehatan", "health", "pendidikan",
        "edukasi", "opini", "kolom", "utama", "headline", "terkini", "luar", "negeri",
        "travel", "wisata", "kuliner", "peristiwa", "humaniora", "redaksi", "tim", "admin",
        "video", "foto", "infografis", "cek", "fakta", "trending", "viral", "update",
        "analisis", "feature", "sorotan", "khas", "jabar", "jatim", "jateng",
    }
)  # fmt: skip

# Lower-case particles inside personal names ("Muhammad bin Salman", "Van der Berg").
_NAME_PARTICLES = frozenset({"bin", "binti", "van", "der", "de", "da", "al", "el", "di"})

# --- Line patterns ---------------------------------------------------------------------------

# Credit lines: "Editor: Adi Ramadhan", "Penulis: ...", "Sumber: AFP/Reuters". Several may
# share a line, separated by "|".
_CREDIT_LABELS: dict[str, str] = {
    "editor": "editor", "penyunting": "editor", "redaktur": "editor",
    "penulis": "author", "reporter": "author", "pewarta": "author", "oleh": "author",
    "author": "author", "writer": "author", "by": "author",
    "sumber": "sources", "source": "sources", "sources": "sources",
}  # fmt: skip
_CREDIT_RE = re.compile(
    r"^(?P<label>" + "|".join(_CREDIT_LABELS) + r")\s*:\s*(?P<value>.*)$", re.IGNORECASE
)
_CREDIT_MAX_WORDS = 25
_SOURCE_MAX_WORDS = 5
# In a byline the label may come without a colon: "Oleh Akhyar Zein", "By Jane Doe".
_BY_RE = re.compile(r"(?i:oleh|by)\s+(?=[A-Z])")

# A web domain used as an outlet name: "Radartasik.com", "KOMPAS.com", "TEMPO.CO".
_DOMAIN_RE = re.compile(
    r"[A-Za-z][A-Za-z0-9-]*(?:\.[A-Za-z0-9-]+)*\."
    r"(?:com|co\.id|or\.id|my\.id|web\.id|id|co|net|org|news|tv|info)",
    re.IGNORECASE,
)

# Datelines opening the first paragraph: "MEDIA PAKUAN - ", "JAKARTA, KOMPAS.com - ",
# "JAKARTA (Reuters) -- ", and a domain followed by a comma: "Radartasik.com, ".
_DATELINE_DASH_RE = re.compile(r"(?P<head>[^\n]{2,60}?)\s*(?:--?|–|—)\s+(?=\S)")
_DATELINE_COMMA_RE = re.compile(rf"(?P<head>{_DOMAIN_RE.pattern})\s*,\s+(?=\S)", re.IGNORECASE)
_DATELINE_MAX_CAPS_WORDS = 4

# Photo captions end with the picture's credit or start with a photo label:
#   "... di Kazakhstan. /Pexels/Maurício Mascaro"     (credit after a slash)
#   "... Kazakhstan (foto: odkb-csto.org)", "(ANTARA FOTO/Aditya)", "(Dok. Humas)"
#   "Foto: ...", "Ilustrasi: ..."
_CAPTION_RES: tuple[re.Pattern[str], ...] = (
    re.compile(r"\s/\s?[A-Z@][^/]{0,60}(?:/[^/]{1,60})*$"),
    re.compile(
        r"\((?:[^()]*\b)?(?:foto|photo|dok|dokumentasi|ist|istimewa|ilustrasi|gambar|image)"
        r"\b[^()]*\)$",
        re.IGNORECASE,
    ),
    re.compile(r"^(?:foto|photo|gambar|ilustrasi)\s*[:|]", re.IGNORECASE),
)
# Only trusted under the headline, where body text cannot be yet: an agency in capitals and a
# photographer or partner, "(REUTERS/DAILY MAIL)". In the body the same shape can be a
# paragraph's wire credit.
_HEADER_CAPTION_RES: tuple[re.Pattern[str], ...] = (
    re.compile(r"\([A-Z][A-Z0-9 .&-]*/[^()]+\)$"),
    re.compile(r"^ilustrasi\b", re.IGNORECASE),
)
_CAPTION_MAX_WORDS = 80

# A Markdown image on its own line: its alt text is the caption.
_MD_IMAGE_RE = re.compile(r"!\[(?P<alt>[^\]]*)\]\([^)]*\)")
# A Markdown heading marker, cut from the span so the heading is just its words.
_MD_HEADING_RE = re.compile(r"#{1,6}[ \t]+")

# A byline's text before the date splits into parts at "|", "•", " - ", "/" and ",".
_BYLINE_SPLIT_RE = re.compile(r"\s*[|•]\s*|\s+[-–—/]\s+|\s*,\s*")
_BYLINE_MAX_WORDS = 8
_AFTER_DATE_MAX_WORDS = 4
# Words that put a date inside a sentence ("pada 15 Januari") rather than in a byline.
_DATE_PREPOSITIONS = frozenset(
    {"pada", "sejak", "hingga", "sampai", "tanggal", "hari", "on", "since", "until"}
)

# Titles are one line of at most this size; a longer first line is the story itself.
_TITLE_MAX_WORDS = 35
_TITLE_MAX_CHARS = 250
_KICKER_MAX_WORDS = 6

# A paragraph line not ending like a sentence continues on the next line (hard-wrapped text).
_SENTENCE_END_CHARS = frozenset(".!?:;\"'”’»…")

_BLANK_CLASS = "[\\s" + "".join(sorted(ZERO_WIDTH_CHARS)) + "]"


class _Line(NamedTuple):
    start: int  # trimmed span of the line in raw
    end: int
    text: str  # normalised; "" for a blank line


@dataclass
class _Draft:
    """What the parser has learnt so far; the fields become the Article's."""

    title: str = ""
    published: str | None = None
    publisher: str | None = None
    author: str | None = None
    editor: str | None = None
    sources: list[str] = field(default_factory=list)
    rubric: str | None = None
    kicker: str | None = None
    blocks: list[Block] = field(default_factory=list)

    def add_sources(self, names: list[str]) -> None:
        for name in names:
            if name not in self.sources:
                self.sources.append(name)


def parse_article(raw: str, doc_id: str) -> Article:
    """Parse an article's text (``LoadedFile.raw``) into metadata and content blocks.

    ``raw`` may start with YAML-like front matter (``---`` / ``key: value`` / ``---``); its
    title, published, publisher, author, editor, category and sources win over what the text
    says. Without a recognisable title line the title is ``doc_id``.
    """
    lines = _split_lines(raw)
    front, first = _front_matter(lines)
    draft = _Draft()
    _apply_front_matter(draft, front)
    content = lines[first:]
    position = 0 if draft.title else _read_title(draft, content)
    if not draft.title:
        draft.title = doc_id
    _read_blocks(draft, raw, content, position)
    _trim_last_paragraph(draft, raw)
    return Article(
        doc_id=doc_id,
        raw=raw,
        title=draft.title,
        published=draft.published,
        publisher=draft.publisher,
        author=draft.author,
        editor=draft.editor,
        sources=tuple(draft.sources),
        category=draft.rubric or draft.kicker,
        blocks=tuple(draft.blocks),
    )


# --- Lines and front matter ------------------------------------------------------------------


def _split_lines(raw: str) -> list[_Line]:
    lines: list[_Line] = []
    position = 0
    for piece in raw.split("\n"):
        start, end = trim_span(raw, position, position + len(piece))
        heading = _MD_HEADING_RE.match(raw, start, end)
        if heading:
            start = heading.end()
        lines.append(_Line(start, end, normalize_whitespace(raw[start:end])))
        position += len(piece) + 1
    return lines


def _front_matter(lines: list[_Line]) -> tuple[dict[str, str], int]:
    """Keys and values of a leading ``---`` block, and the index of the line after it."""
    first = next((i for i, line in enumerate(lines) if line.text), None)
    if first is None or lines[first].text != "---":
        return {}, 0
    values: dict[str, str] = {}
    key: str | None = None
    for i in range(first + 1, len(lines)):
        text = lines[i].text
        if text in ("---", "..."):
            return values, i + 1
        if not text:
            continue
        pair = re.match(r"^([A-Za-z_][\w-]*)\s*:\s*(.*)$", text)
        if pair:
            key = pair.group(1).casefold()
            values[key] = _unquote(pair.group(2))
        elif text.startswith("- ") and key is not None:
            # A YAML list under the previous key ("sources:" then "- AFP").
            item = _unquote(text[2:])
            values[key] = f"{values[key]}, {item}" if values[key] else item
        else:
            return {}, 0  # not front matter after all: a "---" rule followed by prose
    return {}, 0


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        value = value[1:-1]
    if value.startswith("[") and value.endswith("]"):
        value = ", ".join(_unquote(item) for item in value[1:-1].split(","))
    return value.strip()


_FRONT_MATTER_KEYS: dict[str, tuple[str, ...]] = {
    "title": ("title", "judul"),
    "published": ("published", "date", "tanggal", "published_at", "publish_date", "datetime"),
    "publisher": ("publisher", "outlet", "media", "penerbit", "site"),
    "author": ("author", "penulis", "reporter", "byline"),
    "editor": ("editor", "penyunting"),
    "category": ("category", "kategori", "rubric", "rubrik", "section"),
    "sources": ("sources", "source", "sumber", "wire"),
}


def _apply_front_matter(draft: _Draft, front: dict[str, str]) -> None:
    def get(name: str) -> str | None:
        for key in _FRONT_MATTER_KEYS[name]:
            value = normalize_whitespace(front.get(key, ""))
            if value:
                return value
        return None

    draft.title = get("title") or ""
    published = get("published")
    draft.published = parse_published(published) if published else None
    draft.publisher = get("publisher")
    draft.author = get("author")
    draft.editor = get("editor")
    draft.rubric = get("category")
    sources = get("sources")
    if sources:
        draft.add_sources(_split_sources(sources))


# --- Header: kicker, title, byline ----------------------------------------------------------


def _read_title(draft: _Draft, content: list[_Line]) -> int:
    """Take the kicker and title from the first lines; return where the rest starts.

    A date line above the headline (some pages put the date first) is read on the way.
    """
    candidates: list[int] = []
    for i, line in enumerate(content):
        if not line.text or is_boilerplate_line(line.text):
            continue
        dated = _date_line(line.text) if not candidates else None
        if dated is not None:
            if draft.published is None:
                _apply_date_line(draft, dated)
            continue
        candidates.append(i)
        if len(candidates) == 2:
            break
    if not candidates:
        return len(content)
    first = content[candidates[0]].text
    if len(candidates) == 2:
        second = content[candidates[1]].text
        # "KAZAKHSTAN RUSUH" above the headline is a topic kicker; an all-caps headline is
        # followed by its byline instead.
        if _is_kicker(first) and _looks_like_title(second) and _date_line(second) is None:
            draft.kicker = first
            draft.title = second
            return candidates[1] + 1
    if _looks_like_title(first) and _date_line(first) is None:
        draft.title = first
        return candidates[0] + 1
    return candidates[0]


def _is_kicker(text: str) -> bool:
    letters = [char for char in text if char.isalpha()]
    return (
        len(letters) >= 3
        and all(char.isupper() for char in letters)
        and len(text.split()) <= _KICKER_MAX_WORDS
        and text[-1] not in ".!?"
    )


def _looks_like_title(text: str) -> bool:
    return len(text) <= _TITLE_MAX_CHARS and len(text.split()) <= _TITLE_MAX_WORDS


def _date_line(text: str) -> tuple[str, list[str]] | None:
    """For a date/byline line, the ISO date and the parts written before the date.

    "Akhyar Zein | Sabtu, 08/01/2022 06:38 WIB" gives ("2022-01-08T06:38:00+07:00",
    ["Akhyar Zein"]). A line that says more than a byline (a sentence with a date in it) is
    not a date line.
    """
    found = find_date(text)
    if found is None:
        return None
    before = text[: found.start].strip(" |•-–—,:")
    after = text[found.end :].strip(" |•-–—,")
    if len(before.split()) > _BYLINE_MAX_WORDS or len(after.split()) > _AFTER_DATE_MAX_WORDS:
        return None
    if before and before.split()[-1].casefold() in _DATE_PREPOSITIONS:
        return None  # "Pada Sabtu, 15 Januari 2022, ..." tells of an event
    if len(after.split()) > 1 and after[-1] in ".!?":
        return None  # the date sits in a sentence, not in a byline
    parts = [part for part in _BYLINE_SPLIT_RE.split(before) if part] if before else []
    return found.iso, parts


def _apply_date_line(draft: _Draft, dated: tuple[str, list[str]]) -> None:
    draft.published = dated[0]
    for part in dated[1]:
        _apply_byline_part(draft, part)


def _apply_byline_part(draft: _Draft, part: str) -> None:
    """A byline part is a credit ("Oleh: X"), an outlet, a place, a person or a rubric."""
    credit = _CREDIT_RE.match(part)
    by = _BY_RE.match(part)
    if credit:
        _apply_credit(draft, credit.group("label"), credit.group("value"))
    elif by:
        draft.author = draft.author or part[by.end() :]
    elif _DOMAIN_RE.fullmatch(part):
        draft.publisher = draft.publisher or part
    elif part.casefold() in CITIES:
        pass
    elif _is_person(part):
        draft.author = draft.author or part
    elif len(part.split()) <= _KICKER_MAX_WORDS and not any(c.isdigit() for c in part):
        draft.rubric = draft.rubric or part


def _is_person(text: str) -> bool:
    """Two or more capitalised words, none of them a section word ("Akhyar Zein")."""
    words = text.split()
    if not 2 <= len(words) <= 5:
        return False
    capitalised = 0
    for word in words:
        if word in _NAME_PARTICLES:
            continue
        if word.casefold().strip(".") in RUBRIC_WORDS:
            return False
        if not re.fullmatch(r"[A-Z](?:[a-z'’-][A-Za-z'’-]*)?\.?", word):
            return False
        capitalised += 1
    return capitalised >= 2


# --- Credit lines and sources ----------------------------------------------------------------


def _credit_line(text: str) -> list[tuple[str, str]] | None:
    """("label", "value") pairs when the whole line is credits ("Editor: X | Sumber: Y")."""
    if len(text.split()) > _CREDIT_MAX_WORDS:
        return None
    pairs: list[tuple[str, str]] = []
    for part in re.split(r"\s+\|\s+", text):
        credit = _CREDIT_RE.match(part)
        if credit is None:
            return None
        pairs.append((credit.group("label"), credit.group("value")))
    return pairs


def _apply_credit(draft: _Draft, label: str, value: str) -> None:
    value = normalize_whitespace(value).strip(" .,;")
    if not value:
        return
    kind = _CREDIT_LABELS[label.casefold()]
    if kind == "sources":
        draft.add_sources(_split_sources(value))
    elif kind == "editor":
        draft.editor = draft.editor or value
    else:
        draft.author = draft.author or value


def _split_sources(value: str) -> list[str]:
    """Split a "Sumber:" value: "AFP/Reuters/JPNN/Berbagai Sumber" -> AFP, Reuters, JPNN."""
    names: list[str] = []
    for piece in re.split(r"\s*(?:/|,|&|;|\bdan\b|\band\b)\s*", value):
        name = normalize_whitespace(piece).strip(" .")
        if not name or name.casefold() in VAGUE_SOURCES:
            continue
        if len(name.split()) > _SOURCE_MAX_WORDS:
            continue  # a sentence ("Sumber: data BPS menunjukkan ..."), not a source's name
        name = WIRE_AGENCIES.get(name.casefold(), name)
        if name not in names:
            names.append(name)
    return names


def _wire_credits(credits: tuple[str, ...]) -> list[str]:
    """Agencies among trailing credits: "(AA)" counts, the writer's initials "(sal)" do not."""
    names: list[str] = []
    for credit in credits:
        for piece in re.split(r"\s*[/,&]\s*", credit):
            # Initials are written in lower case; agencies in capitals or as a proper name.
            if piece.casefold() in WIRE_AGENCIES and not piece.islower():
                names.append(WIRE_AGENCIES[piece.casefold()])
    return names


# --- Body --------------------------------------------------------------------------------------


def _read_blocks(draft: _Draft, raw: str, content: list[_Line], position: int) -> None:
    in_header = True  # no paragraph yet: bylines and looser caption rules apply
    ended = False  # a closing section heading was seen; only credit lines still count
    previous: int | None = None  # index of the last line that became (part of) a paragraph
    title_key = draft.title.casefold()

    for index in range(position, len(content)):
        line = content[index]
        text = line.text
        if not text:
            continue
        credits = _credit_line(text)
        if credits is not None:
            for label, value in credits:
                _apply_credit(draft, label, value)
            continue
        if ended:
            continue
        if is_boilerplate_line(text):
            ended = not in_header and is_section_end(text)
            continue
        if text.casefold() == title_key:
            continue  # the headline repeated above the photo
        if in_header and draft.published is None:
            dated = _date_line(text)
            if dated is not None:
                _apply_date_line(draft, dated)
                continue
        following = _next_text(content, index)
        if (
            following is not None
            and len(following) > len(text)
            and following.casefold().startswith(text.casefold())
            and _is_caption(following, in_header)
        ):
            continue  # the photo's alt text, repeated at the start of its caption
        if in_header:
            rest = _after_title(raw, line, draft.title)
            if rest is not None:
                _add_block(draft, raw, "caption", *rest)
                continue
        image = _MD_IMAGE_RE.fullmatch(raw, line.start, line.end)
        if image:
            start, end = trim_span(raw, image.start("alt"), image.end("alt"))
            if start < end:
                _add_block(draft, raw, "caption", start, end)
            continue
        if _is_caption(text, in_header):
            _add_block(draft, raw, "caption", line.start, line.end)
            continue

        start = line.start
        if in_header:
            start = _cut_dateline(draft, raw, line)
            in_header = False
        last = draft.blocks[-1] if draft.blocks else None
        if (
            last is not None
            and last.kind == "paragraph"
            and previous == index - 1
            and last.text[-1] not in _SENTENCE_END_CHARS
            and _MD_HEADING_RE.match(raw, _line_start(raw, last.start)) is None
        ):
            # A hard-wrapped paragraph: this line continues the previous one.
            draft.blocks[-1] = _block(raw, "paragraph", last.start, line.end)
        else:
            _add_block(draft, raw, "paragraph", start, line.end)
        previous = index


def _next_text(content: list[_Line], index: int) -> str | None:
    for line in content[index + 1 :]:
        if line.text:
            return line.text
    return None


def _line_start(raw: str, offset: int) -> int:
    return raw.rfind("\n", 0, offset) + 1


def _is_caption(text: str, in_header: bool) -> bool:
    if len(text.split()) > _CAPTION_MAX_WORDS:
        return False
    patterns = _CAPTION_RES + _HEADER_CAPTION_RES if in_header else _CAPTION_RES
    return any(pattern.search(text) for pattern in patterns)


def _after_title(raw: str, line: _Line, title: str) -> tuple[int, int] | None:
    """The span after the headline on a line that starts with it (headline + photo caption)."""
    words = title.split()
    if len(words) < 3:
        return None
    # Case-sensitive: the page repeats its headline verbatim, while a lead sentence that
    # happens to start with the headline's words ("Banjir Jakarta surut pada ...") differs.
    pattern = (_BLANK_CLASS + "+").join(re.escape(word) for word in words)
    match = re.compile(pattern).match(raw, line.start, line.end)
    if match is None:
        return None
    start, end = trim_span(raw, match.end(), line.end)
    if start == match.end() and title[-1].isalnum():
        return None  # the headline's last word runs on: "... Pergi" + "lah", not a caption
    rest = normalize_whitespace(raw[start:end])
    if len(rest.split()) < 2 or not (rest[0].isupper() or _is_caption(rest, in_header=True)):
        return None
    return start, end


def _cut_dateline(draft: _Draft, raw: str, line: _Line) -> int:
    """Skip a dateline at the start of the first paragraph; record the outlet it names."""
    # The dash form first: "TEMPO.CO, Jakarta - " would otherwise stop at the comma.
    for pattern in (_DATELINE_DASH_RE, _DATELINE_COMMA_RE):
        match = pattern.match(raw, line.start, line.end)
        if match is None:
            continue
        segments = _dateline_segments(match.group("head"))
        if segments is None:
            continue
        for kind, name in segments:
            if kind == "outlet":
                draft.publisher = draft.publisher or name
            elif kind == "wire":
                draft.add_sources([WIRE_AGENCIES[name.casefold()]])
        return trim_span(raw, match.end(), line.end)[0]
    return line.start


def _dateline_segments(head: str) -> list[tuple[str, str]] | None:
    """Classify a dateline's parts as "city", "place", "outlet" or "wire"; None if not one.

    "MEDIA PAKUAN" -> outlet (several words in capitals), "JAKARTA" -> city, "Radartasik.com"
    -> outlet, "(Reuters)" -> wire. A lone capitalised word not in the gazetteer is taken
    for a place: an unknown town is likelier than a one-word outlet in capitals.
    """
    segments: list[tuple[str, str]] = []
    for paren, plain in re.findall(r"\(([^()]*)\)|([^,()]+)", head):
        name = normalize_whitespace(paren or plain)
        if not name:
            continue
        words = name.split()
        letters = [char for char in name if char.isalpha()]
        if paren and name.casefold() in WIRE_AGENCIES:
            segments.append(("wire", name))
        elif name.casefold() in CITIES:
            segments.append(("city", name))
        elif _DOMAIN_RE.fullmatch(name):
            segments.append(("outlet", name))
        elif (
            letters
            and all(char.isupper() for char in letters)
            and len(words) <= _DATELINE_MAX_CAPS_WORDS
        ):
            segments.append(("outlet" if len(words) > 1 else "place", name))
        elif (
            segments
            and segments[-1][0] == "city"
            and len(words) <= 3
            and all(word[0].isupper() for word in words)
        ):
            segments.append(("outlet", name))  # "Jakarta, CNN Indonesia -- "
        else:
            return None
    return segments or None


def _trim_last_paragraph(draft: _Draft, raw: str) -> None:
    """Cut trailing "***" and credits ("(AA)", "(sal)") off the story's last paragraph."""
    for position in range(len(draft.blocks) - 1, -1, -1):
        block = draft.blocks[position]
        if block.kind != "paragraph":
            continue
        end, credits = split_trailing_credits(raw[block.start : block.end])
        draft.add_sources(_wire_credits(credits))
        if end == 0:
            del draft.blocks[position]  # the paragraph was nothing but a credit
        else:
            draft.blocks[position] = _block(raw, "paragraph", block.start, block.start + end)
        return


def _block(raw: str, kind: BlockKind, start: int, end: int) -> Block:
    start, end = trim_span(raw, start, end)
    return Block(kind=kind, start=start, end=end, text=normalize_whitespace(raw[start:end]))


def _add_block(draft: _Draft, raw: str, kind: BlockKind, start: int, end: int) -> None:
    start, end = trim_span(raw, start, end)
    if start < end:
        draft.blocks.append(_block(raw, kind, start, end))
