"""From files to stores: read and clean articles, chunk, embed, write Chroma + BM25.

This package knows nothing about questions; ``rag`` builds on it.
"""

from index.analyzer import IndonesianAnalyzer
from index.articles import Article, Block, parse_article
from index.chunking import Chunk, chunk_article
from index.docstore import ChunkRecord, DocStoreError, DocumentRecord
from index.embedders import Embedder, EmbedderError, make_embedder
from index.ingest import IngestBusyError, IngestReport, Skipped, ingest, remove_documents
from index.lexical import LexicalHit
from index.loaders import SUPPORTED_SUFFIXES, LoadError
from index.sentences import Sentence, split_sentences
from index.settings import IndexSettings
from index.stores import DataDirError, Stores, wipe_stores
from index.vectors import EmbedderMismatchError, VectorHit, VectorStoreError

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
    "ingest",
    "make_embedder",
    "parse_article",
    "remove_documents",
    "split_sentences",
    "wipe_stores",
]
