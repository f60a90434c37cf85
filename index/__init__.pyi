"""The public API of ``index`` (loaded lazily by ``__init__.py``: see there)."""

from .analyzer import IndonesianAnalyzer as IndonesianAnalyzer
from .articles import Article as Article
from .articles import Block as Block
from .articles import parse_article as parse_article
from .chunking import Chunk as Chunk
from .chunking import chunk_article as chunk_article
from .docstore import (
    ChunkRecord as ChunkRecord,
)
from .docstore import (
    DocStoreError as DocStoreError,
)
from .docstore import (
    DocumentRecord as DocumentRecord,
)
from .embedders import (
    Embedder as Embedder,
)
from .embedders import (
    EmbedderError as EmbedderError,
)
from .embedders import (
    make_embedder as make_embedder,
)
from .ingest import (
    IngestBusyError as IngestBusyError,
)
from .ingest import (
    IngestReport as IngestReport,
)
from .ingest import (
    Skipped as Skipped,
)
from .ingest import (
    remove_documents as remove_documents,
)
from .lexical import LexicalHit as LexicalHit
from .loaders import SUPPORTED_SUFFIXES as SUPPORTED_SUFFIXES
from .loaders import LoadError as LoadError
from .sentences import Sentence as Sentence
from .sentences import split_sentences as split_sentences
from .settings import IndexSettings as IndexSettings
from .stores import DataDirError as DataDirError
from .stores import Stores as Stores
from .stores import wipe_stores as wipe_stores
from .vectors import (
    EmbedderMismatchError as EmbedderMismatchError,
)
from .vectors import (
    VectorHit as VectorHit,
)
from .vectors import (
    VectorStoreError as VectorStoreError,
)
