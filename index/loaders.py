"""Reading article files from disk into text, refusing what is not an article file.

Users point the indexer at folders they filled themselves, so anything can turn up: empty
files, binaries with a .txt name, Windows-1252 exports, HTML saved from a browser. Each
problem becomes a :class:`LoadError` that names the file and says what is wrong, so the
caller can report it and go on with the other files.

``LoadedFile.raw`` is the text every later character offset refers to: decoded, without a
byte-order mark, with "\\n" line endings, and for HTML the text extracted from the markup
(offsets into an HTML file are offsets into that extracted text, not into the markup).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup, Comment, Doctype, NavigableString, ProcessingInstruction, Tag
from bs4.element import Declaration

from index.cleaning import normalize_whitespace

SUPPORTED_SUFFIXES: frozenset[str] = frozenset({".txt", ".md", ".markdown", ".html", ".htm"})
HTML_SUFFIXES: frozenset[str] = frozenset({".html", ".htm"})

# A news article is a few kilobytes; anything this big is a dump or a wrong file, and
# reading it whole would stall indexing.
MAX_FILE_BYTES = 5 * 1024 * 1024

# Warning attached to files that are not UTF-8 but decode as Windows-1252 / Latin-1.
LEGACY_ENCODING_WARNING = "decoded as cp1252/latin-1, not UTF-8"

# Share of control characters (other than tab, newline, carriage return, form feed) above
# which a decoded "text" is really binary data.
MAX_CONTROL_CHAR_RATIO = 0.3

# Page furniture dropped from HTML before taking its text: code, menus, site header and
# footer, side bars, forms. A <header> inside <article> is kept: it holds the headline.
HTML_DROPPED_TAGS: tuple[str, ...] = (
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "footer",
    "header",
    "aside",
    "form",
    "iframe",
    "svg",
    "canvas",
    "button",
    "select",
    "textarea",
    "object",
    "embed",
)

# Elements that start a new line in the extracted text, so paragraphs, headings, list items
# and captions each end up on their own line.
HTML_BLOCK_TAGS: frozenset[str] = frozenset(
    {
        "address", "article", "blockquote", "caption", "dd", "details", "dialog", "div",
        "dl", "dt", "fieldset", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6",
        "hr", "li", "main", "ol", "p", "pre", "section", "summary", "table", "tbody",
        "tfoot", "thead", "tr", "ul", "body", "html", "title",
    }
)  # fmt: skip


class LoadError(Exception):
    """A file that cannot be read as an article; ``str(err)`` is ``"{path}: {reason}"``."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason

    def __reduce__(self) -> tuple[type[LoadError], tuple[Path, str]]:
        # Exceptions pickle through their args; ours are built from (path, reason).
        return (type(self), (self.path, self.reason))


@dataclass(frozen=True)
class LoadedFile:
    """One article file read from disk; ``raw`` is the text that offsets refer to."""

    path: Path
    doc_id: str
    raw: str
    sha256: str
    warnings: tuple[str, ...] = ()


def load_file(path: Path) -> LoadedFile:
    """Read one article file (.txt, .md, .markdown, .html, .htm).

    Raises :class:`LoadError` when the file is missing, not a regular file, of an unsupported
    type, larger than 5 MB, binary, empty or whitespace-only, or HTML without text. A file
    that is not UTF-8 but decodes as cp1252/latin-1 is accepted with a warning.
    """
    path = Path(path)
    if not path.exists():
        raise LoadError(path, "file not found; check the path.")
    if path.is_dir():
        raise LoadError(path, "is a folder, not a file.")
    if not path.is_file():
        raise LoadError(path, "is not a regular file.")
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise LoadError(path, _unsupported_reason(suffix))
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise LoadError(
                path,
                f"file is too large ({size / 1024 / 1024:.1f} MB; the limit is "
                f"{MAX_FILE_BYTES // 1024 // 1024} MB). Split it into one file per article.",
            )
        data = path.read_bytes()
    except OSError as err:
        raise LoadError(path, f"cannot be read ({err.strerror or err}).") from err

    text, warnings = _decode(path, data)
    if not normalize_whitespace(text):
        raise LoadError(path, "file is empty." if not data else "contains only whitespace.")
    if suffix in HTML_SUFFIXES:
        text = html_to_text(text)
        if not normalize_whitespace(text):
            raise LoadError(
                path, "HTML has no readable text once scripts, styles and menus are removed."
            )
    return LoadedFile(
        path=path,
        doc_id=path.stem,
        raw=text,
        sha256=hashlib.sha256(data).hexdigest(),
        warnings=tuple(warnings),
    )


def discover(paths: Sequence[Path], *, resolve: bool = False) -> tuple[list[Path], list[LoadError]]:
    """Expand files and folders into the article files to load, plus the paths refused.

    Folders are searched recursively in sorted order for supported files; hidden files and
    folders (name starting with ".") inside them are skipped, as are unsupported files. A
    missing path or an explicitly named unsupported file becomes a :class:`LoadError`. The
    same file reached twice (by two arguments or two spellings) is listed once. With
    ``resolve``, files are listed by their absolute, symlink-free path (what the docstore
    records) instead of as reached.
    """
    found: list[Path] = []
    errors: list[LoadError] = []
    seen: set[Path] = set()

    def add(candidate: Path, key: Path) -> None:
        if key not in seen:
            seen.add(key)
            found.append(key if resolve else candidate)

    for given in paths:
        path = Path(given)
        if not path.exists():
            errors.append(LoadError(path, "file or folder not found; check the path."))
        elif path.is_dir():
            # One realpath for the folder, not one per file (a path component each: most of
            # the time of re-ingesting a large unchanged corpus). The walk does not enter
            # linked folders, so below the resolved folder only a linked file needs resolving.
            root = path.resolve()
            for candidate in _walk(path):
                relative = candidate.relative_to(path)
                add(candidate, candidate.resolve() if candidate.is_symlink() else root / relative)
        elif not path.is_file():
            errors.append(LoadError(path, "is not a regular file."))
        elif path.suffix.lower() not in SUPPORTED_SUFFIXES:
            errors.append(LoadError(path, _unsupported_reason(path.suffix.lower())))
        else:
            add(path, path.resolve())
    return found, errors


def html_to_text(html: str) -> str:
    """The readable text of an HTML page, one block element (paragraph, heading ...) per line.

    Scripts, styles, menus, site header/footer, side bars and forms are removed first.
    Blocks are separated by a blank line, ``<br>`` becomes a line break, and runs of spaces
    inside a block collapse to one, as a browser would render them.
    """
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(list(HTML_DROPPED_TAGS)):
        if tag.decomposed:
            continue  # already gone with a dropped ancestor
        if tag.name == "header" and tag.find_parent("article") is not None:
            continue
        tag.decompose()
    for tag in soup.find_all(hidden=True):
        if not tag.decomposed:
            tag.decompose()

    # The <title> often repeats the headline plus the site name; use it only when the page
    # has no <h1> to take the headline from.
    head_title = ""
    for title in soup.find_all("title"):
        head_title = head_title or normalize_whitespace(title.get_text())
        title.decompose()
    for head in soup.find_all("head"):
        head.decompose()

    pieces: list[str] = []
    if head_title and soup.find("h1") is None:
        pieces.extend([head_title, "\n\n"])
    pieces.extend(_html_pieces(soup))
    return _tidy_lines("".join(pieces))


def _html_pieces(node: Tag) -> Iterator[str]:
    for child in node.children:
        if isinstance(child, (Comment, Doctype, Declaration, ProcessingInstruction)):
            continue
        if isinstance(child, NavigableString):
            if child.find_parent("pre") is not None:
                yield str(child)
            else:
                # Source formatting is not content: HTML renders any whitespace run as a space.
                yield re.sub(r"[ \t\r\n\f]+", " ", str(child))
        elif isinstance(child, Tag):
            if child.name == "br":
                yield "\n"
            elif child.name in HTML_BLOCK_TAGS:
                yield "\n\n"
                yield from _html_pieces(child)
                yield "\n\n"
            elif child.name in ("td", "th"):
                yield " "
                yield from _html_pieces(child)
                yield " "
            else:
                yield from _html_pieces(child)


def _tidy_lines(text: str) -> str:
    """Strip the spaces around each line and keep at most one blank line between blocks."""
    lines = [line.strip(" \t") for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out) + "\n" if out else ""


def _decode(path: Path, data: bytes) -> tuple[str, list[str]]:
    """Bytes to text with "\\n" line endings; refuse binary data."""
    warnings: list[str] = []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # UTF-16 (what Notepad calls "Unicode") is full of NUL bytes but is text.
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as err:
            raise LoadError(path, "starts like UTF-16 text but cannot be decoded.") from err
    else:
        if b"\x00" in data:
            raise LoadError(path, "looks like a binary file (it contains NUL bytes), not text.")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                # cp1252 leaves five bytes undefined; latin-1 maps every byte.
                text = data.decode("latin-1")
            warnings.append(LEGACY_ENCODING_WARNING)
    text = text.removeprefix("\ufeff")
    if _control_char_ratio(text) > MAX_CONTROL_CHAR_RATIO:
        raise LoadError(path, "looks like a binary file (mostly control characters), not text.")
    return text.replace("\r\n", "\n").replace("\r", "\n"), warnings


def _control_char_ratio(text: str) -> float:
    if not text:
        return 0.0
    controls = sum(
        1 for char in text if char not in "\t\n\r\f" and unicodedata.category(char) == "Cc"
    )
    return controls / len(text)


def _unsupported_reason(suffix: str) -> str:
    supported = ", ".join(sorted(SUPPORTED_SUFFIXES))
    shown = f"'{suffix}'" if suffix else "without a suffix"
    return f"unsupported file type {shown}; supported types are {supported}."


def _walk(folder: Path) -> Iterator[Path]:
    """Supported, non-hidden files under ``folder``, recursively, in sorted order.

    Linked folders are not entered (``Path.rglob`` before Python 3.13); ``discover`` relies
    on it.
    """
    for candidate in sorted(folder.rglob("*")):
        relative = candidate.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts):
            continue
        if candidate.is_file() and candidate.suffix.lower() in SUPPORTED_SUFFIXES:
            yield candidate
