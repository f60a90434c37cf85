"""Acronyms the corpus defines, to widen a question's lexical terms.

News text defines an acronym once ("Organisasi Perjanjian Keamanan Kolektif (CSTO)") and
then uses either form; a later sentence may name only the long form, or a variant of it
("Organisasi Perjanjian Keamanan Bersama"). A question that says "CSTO" shares no stem with
such a sentence, and the small embedder does not bridge the gap either. Mining the
definitions from the corpus itself (the "long form (ACRONYM)" and "ACRONYM (long form)"
patterns of Schwartz & Hearst) lets the lexical side match both forms on any corpus, with no
hand-made list.

Indonesian long forms rarely spell their English acronym (CSTO is "Organisasi Perjanjian
Keamanan Kolektif"), so the first-letter check of Schwartz & Hearst would reject them; a
definition here is the run of capitalised words right before (or inside) the parentheses.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

# Lower-case words that may sit inside a capitalised name: "Organisasi untuk Keamanan dan
# Kerja Sama", "Ministry of Foreign Affairs".
_CONNECTORS = frozenset(
    [
        "dan",
        "untuk",
        "dari",
        "di",
        "ke",
        "atas",
        "bagi",
        "pada",
        "serta",
        "of",
        "the",
        "and",
        "for",
        "in",
        "on",
        "de",
        "van",
        "der",
    ]
)
_MAX_WORDS = 8
_ACRONYM_IN_PARENS = re.compile(r"\(\s*([A-Z][A-Za-z0-9&]*[A-Z][A-Za-z0-9&]*)\s*\)")
_ACRONYM_THEN_PARENS = re.compile(r"\b([A-Z][A-Z0-9&]{1,9})\s*\(([^()]{4,120})\)")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_ACRONYM_WORD = re.compile(r"[^\W\d_][\w&]*")  # the words of a question that may be acronyms


def find_acronyms(texts: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Acronym (lower-case) -> the long forms the texts define for it, in order of first use."""
    found: dict[str, dict[str, None]] = {}
    for text in texts:
        for match in _ACRONYM_IN_PARENS.finditer(text):
            acronym = match.group(1)
            if sum(c.isupper() for c in acronym) < 2:
                continue
            long_form = _name_before(text[: match.start()])
            if long_form:
                found.setdefault(acronym.lower(), {})[long_form] = None
        for match in _ACRONYM_THEN_PARENS.finditer(text):
            words = _WORD.findall(match.group(2))
            if len(words) >= 2 and _is_name(words):
                found.setdefault(match.group(1).lower(), {})[" ".join(words)] = None
    return {acronym: tuple(forms) for acronym, forms in found.items()}


def expansions(question: str, acronyms: Mapping[str, tuple[str, ...]]) -> list[str]:
    """The long forms of the acronyms the question uses (whole words, any case; "CSTO's"
    uses "CSTO", as in ``acronyms_in``)."""
    return [form for forms in acronyms_in(question, acronyms).values() for form in forms]


def acronyms_in(
    question: str, acronyms: Mapping[str, tuple[str, ...]]
) -> dict[str, tuple[str, ...]]:
    """The acronyms ``question`` uses, as it writes them ("CSTO"; in capitals when written in
    lower case), with their long forms. A possessive or a hyphen ends the acronym ("CSTO's")."""
    written = {
        w.lower(): w if w != w.lower() else w.upper() for w in _ACRONYM_WORD.findall(question)
    }
    return {written[a]: forms for a, forms in acronyms.items() if a in written}


def long_form_spans(text: str, long_forms: Sequence[str]) -> list[tuple[int, int]]:
    """Where ``text`` names an entity by one of its ``long_forms`` (of three words or more),
    or by a variant that differs in one word after the first: "Organisasi Perjanjian
    Keamanan Bersama" for "Organisasi Perjanjian Keamanan Kolektif", as one article calls the
    CSTO. The spans of those runs of capitalised words, in order."""
    words = list(_WORD.finditer(text))
    spans: list[tuple[int, int]] = []
    for form in long_forms:
        parts = [w.lower() for w in form.split()]
        n = len(parts)
        if n < 3:
            continue
        for i in range(len(words) - n + 1):
            run = words[i : i + n]
            found = [w.group(0) for w in run]
            if found[0].lower() != parts[0] or not all(
                w[0].isupper() or w.lower() in _CONNECTORS for w in found
            ):
                continue
            if sum(a.lower() != b for a, b in zip(found, parts, strict=True)) <= 1:
                spans.append((run[0].start(), run[-1].end()))
    return sorted(set(spans))


def with_acronym(text: str, acronym: str, long_forms: Sequence[str]) -> str | None:
    """``text`` with "(ACRONYM)" after each long-form mention, when it names the entity only
    by its long form (None when it uses the acronym, or no long form).

    Retrieval reads chunks this way for a question that uses the acronym: the small embedder
    ranks by the acronym ("How many CSTO troops?" put eight chunks that define the CSTO above
    the one sentence that gives its size, which says "Organisasi Perjanjian Keamanan
    Bersama"), and a chunk that never writes it loses to every chunk that does."""
    if re.search(rf"(?<![\w-]){re.escape(acronym)}(?![\w-])", text, re.IGNORECASE):
        return None
    spans = long_form_spans(text, long_forms)
    if not spans:
        return None
    for _, end in reversed(spans):
        text = f"{text[:end]} ({acronym}){text[end:]}"
    return text


def _name_before(prefix: str) -> str | None:
    """The capitalised words (with connectors) that end ``prefix``, at least two of them."""
    tail = prefix[-200:]
    matches = list(_WORD.finditer(tail))
    if not matches or tail[matches[-1].end() :].strip():
        return None  # punctuation between the name and the parenthesis: not a definition
    name: list[str] = []
    for i in range(len(matches) - 1, -1, -1):
        word = matches[i].group(0)
        if len(name) == _MAX_WORDS:
            break
        if word[0].isupper() or (name and word.lower() in _CONNECTORS):
            name.append(word)
        else:
            break
        gap = tail[matches[i - 1].end() : matches[i].start()] if i else ""
        if gap.strip():
            break  # a comma or full stop before this word: the name starts here
    while name and name[-1].lower() in _CONNECTORS:
        name.pop()
    if len(name) < 2:
        return None
    return " ".join(reversed(name))


def _is_name(words: list[str]) -> bool:
    capitalised = [w for w in words if w[0].isupper()]
    return all(w[0].isupper() or w.lower() in _CONNECTORS for w in words) and len(capitalised) >= 2
