"""Indonesian sentence splitting with character offsets."""

from __future__ import annotations

from dataclasses import dataclass

from sentencex import segment

from index.cleaning import normalize_whitespace


@dataclass(frozen=True)
class Sentence:
    """One sentence; ``raw[start:end]`` of the article is its source span."""

    start: int
    end: int
    text: str


def split_sentences(raw: str, start: int, end: int, language: str = "id") -> list[Sentence]:
    """Split ``raw[start:end]`` into sentences whose offsets point into ``raw``.

    sentencex returns consecutive pieces that concatenate back to its input (it keeps the
    trailing whitespace), so offsets are recovered by walking the pieces; surrounding
    whitespace is trimmed off each span.
    """
    sentences: list[Sentence] = []
    cursor = start
    for piece in segment(language, raw[start:end]):
        piece_start = raw.find(piece, cursor, end) if piece else -1
        if piece_start < 0:  # never expected; fall back to the running cursor
            piece_start = cursor
        piece_end = min(piece_start + len(piece), end)
        cursor = piece_end
        s, e = piece_start, piece_end
        while s < e and raw[s].isspace():
            s += 1
        while e > s and raw[e - 1].isspace():
            e -= 1
        if s < e:
            sentences.append(Sentence(s, e, normalize_whitespace(raw[s:e])))
    return _merge_fragments(raw, sentences)


_TITLE_ABBREVIATIONS = frozenset(
    {
        "rp",
        "jl",
        "jln",
        "bpk",
        "tn",
        "ny",
        "nn",
        "sdr",
        "sdri",
        "kol",
        "inf",
        "brigjen",
        "no",
        "hlm",
        "kab",
        "kec",
        "kel",
        "prov",
        "gg",
    }
)
_ABBREVIATIONS = _TITLE_ABBREVIATIONS | {"dll", "dsb", "dst", "dkk", "tsb", "yth"}


def _continues(previous: str, text: str) -> bool:
    """True if ``previous`` ends in an abbreviation that does not end this sentence."""
    words = previous.split()
    last = words[-1].rstrip(".").casefold() if words and previous.endswith(".") else ""
    if last in _TITLE_ABBREVIATIONS:
        return True
    return last in _ABBREVIATIONS and text[:1].islower()


def _merge_fragments(raw: str, sentences: list[Sentence]) -> list[Sentence]:
    """Glue pieces too short to stand alone (a lone closing quote, '***') to the one before,
    and pieces cut after an abbreviation ("Rp.", "Jl.", "dll. juga")."""
    merged: list[Sentence] = []
    for sentence in sentences:
        if merged and (
            sum(ch.isalnum() for ch in sentence.text) < 3
            or _continues(merged[-1].text, sentence.text)
        ):
            prev = merged[-1]
            merged[-1] = Sentence(
                prev.start, sentence.end, normalize_whitespace(raw[prev.start : sentence.end])
            )
        else:
            merged.append(sentence)
    return merged
