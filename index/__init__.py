"""From files to stores: read and clean articles, chunk, embed, write Chroma + BM25.

This package knows nothing about questions; ``rag`` builds on it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from index.analyzer import IndonesianAnalyzer
    from index.articles import Article, Block, parse_article
    from index.chunking import Chunk, chunk_article
    from index.docstore import ChunkRecord, DocStoreError, DocumentRecord
    from index.embedders import Embedder, EmbedderError, make_embedder
    from index.ingest import IngestBusyError, IngestReport, Skipped, remove_documents
    from index.lexical import LexicalHit
    from index.loaders import SUPPORTED_SUFFIXES, LoadError
    from index.sentences import Sentence, split_sentences
    from index.settings import IndexSettings
    from index.stores import DataDirError, Stores, wipe_stores
    from index.vectors import EmbedderMismatchError, VectorHit, VectorStoreError

# Exports load on first use, so a light command (`rag stats`, `rag ingest` of an unchanged
# corpus) does not pay for importing llama-index, Chroma or a model it does not touch.
# The ingest function is imported from ``index.ingest`` (its module shares its name).
_EXPORTS = {
    "Article": "index.articles",
    "Block": "index.articles",
    "Chunk": "index.chunking",
    "ChunkRecord": "index.docstore",
    "DataDirError": "index.stores",
    "DocStoreError": "index.docstore",
    "DocumentRecord": "index.docstore",
    "Embedder": "index.embedders",
    "EmbedderError": "index.embedders",
    "EmbedderMismatchError": "index.vectors",
    "IndexSettings": "index.settings",
    "IndonesianAnalyzer": "index.analyzer",
    "IngestBusyError": "index.ingest",
    "IngestReport": "index.ingest",
    "LexicalHit": "index.lexical",
    "LoadError": "index.loaders",
    "SUPPORTED_SUFFIXES": "index.loaders",
    "Sentence": "index.sentences",
    "Skipped": "index.ingest",
    "Stores": "index.stores",
    "VectorHit": "index.vectors",
    "VectorStoreError": "index.vectors",
    "chunk_article": "index.chunking",
    "make_embedder": "index.embedders",
    "parse_article": "index.articles",
    "remove_documents": "index.ingest",
    "split_sentences": "index.sentences",
    "wipe_stores": "index.stores",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "SUPPORTED_SUFFIXES",
    "Article",
    "Block",
    "Chunk",
    "ChunkRecord",
    "DataDirError",
    "DocStoreError",
    "DocumentRecord",
    "Embedder",
    "EmbedderError",
    "EmbedderMismatchError",
    "IndexSettings",
    "IndonesianAnalyzer",
    "IngestBusyError",
    "IngestReport",
    "LexicalHit",
    "LoadError",
    "Sentence",
    "Skipped",
    "Stores",
    "VectorHit",
    "VectorStoreError",
    "chunk_article",
    "make_embedder",
    "parse_article",
    "remove_documents",
    "split_sentences",
    "wipe_stores",
]
