"""Sentence-aware chunking: whole sentences, packed paragraph by paragraph."""

from __future__ import annotations

from dataclasses import dataclass

from index.articles import Article, BlockKind
from index.cleaning import normalize_whitespace
from index.sentences import Sentence, split_sentences


@dataclass(frozen=True)
class Chunk:
    """A retrieval unit: whole sentences of one article; ``raw[start:end]`` is its source span."""

    chunk_id: str
    doc_id: str
    index: int
    kind: BlockKind
    start: int
    end: int
    text: str
    sentences: tuple[Sentence, ...]


# Bump when chunk boundaries or embedded text change: stored articles are then re-chunked.
CHUNKER_VERSION = 2


def embed_text(chunk_text: str, title: str, with_title: bool) -> str:
    """The text handed to the embedder: the title gives a short chunk its topic."""
    return f"{title}\n{chunk_text}" if with_title and title else chunk_text


def chunk_article(article: Article, max_chars: int, version: str) -> list[Chunk]:
    """Split an article into chunks of at most ``max_chars`` (a longer sentence stands alone).

    Sentences are packed across consecutive paragraphs (news paragraphs are often a single
    sentence); captions never share a chunk with body text. ``version`` (a content hash)
    goes into the chunk ids, so a changed article never collides with its old chunks.
    """
    if max_chars <= 0:
        raise ValueError(f"max_chars must be positive, got {max_chars}")
    groups: list[tuple[BlockKind, list[tuple[int, Sentence]]]] = []
    previous_end: int | None = None
    for block_no, block in enumerate(article.blocks):
        dropped = previous_end is not None and bool(
            normalize_whitespace(article.raw[previous_end : block.start])
        )
        previous_end = block.end
        if block.kind == "caption":
            # A caption is one unit: its photo credit ("/Pexels/Vitalina", "(REUTERS/…)")
            # is no sentence of its own.
            sentences = [Sentence(block.start, block.end, block.text)]
        else:
            sentences = split_sentences(article.raw, block.start, block.end)
        if not sentences:
            continue
        if not groups or groups[-1][0] != block.kind or dropped:
            groups.append((block.kind, []))
        groups[-1][1].extend((block_no, s) for s in sentences)

    chunks: list[Chunk] = []
    for kind, items in groups:
        window: list[tuple[int, Sentence]] = []
        for item in items:
            if window and _length([*window, item]) > max_chars:
                chunks.append(_make_chunk(article.doc_id, version, len(chunks), kind, window))
                window = []
            window.append(item)
        if window:
            chunks.append(_make_chunk(article.doc_id, version, len(chunks), kind, window))
    return chunks


def _join(items: list[tuple[int, Sentence]]) -> str:
    parts: list[str] = []
    for i, (block_no, sentence) in enumerate(items):
        if i:
            parts.append("\n" if block_no != items[i - 1][0] else " ")
        parts.append(sentence.text)
    return "".join(parts)


def _length(items: list[tuple[int, Sentence]]) -> int:
    return len(_join(items))


def _make_chunk(
    doc_id: str, version: str, index: int, kind: BlockKind, items: list[tuple[int, Sentence]]
) -> Chunk:
    sentences = tuple(s for _, s in items)
    return Chunk(
        chunk_id=f"{doc_id}:{version[:12]}:{index}",
        doc_id=doc_id,
        index=index,
        kind=kind,
        start=sentences[0].start,
        end=sentences[-1].end,
        text=_join(items),
        sentences=sentences,
    )
