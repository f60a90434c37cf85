"""Shared fixtures: one seeded data dir per test session (real Chroma, real embedder)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# An accidental model-hub call must fail loudly, never download.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def seeded_settings(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """Settings for a data dir holding the five seed articles (extractive generator)."""
    from index import Stores
    from index.ingest import ingest
    from rag import Settings

    settings = Settings(
        data_dir=tmp_path_factory.mktemp("seeded") / "data",
        generator="extractive",
        seeds_dir=SEEDS,
    )
    stores = Stores.open(settings)
    ingest(stores, [SEEDS])
    stores.close()
    return settings


@pytest.fixture(scope="session")
def assistant(seeded_settings):  # type: ignore[no-untyped-def]
    from rag import Assistant

    return Assistant.load(seeded_settings)


@pytest.fixture(scope="session")
def retriever(assistant):  # type: ignore[no-untyped-def]
    return assistant.retriever


@pytest.fixture()
def fresh_settings(tmp_path: Path) -> Iterator[object]:
    """Settings for an empty, private data dir."""
    from rag import Settings

    yield Settings(data_dir=tmp_path / "data", generator="extractive", seeds_dir=SEEDS)


@pytest.fixture(scope="session")
def models_dir() -> Path:
    """Where the slow tests find (or assemble, once) the bundled model: the default data
    dir's models folder, shared with `make run`, unless RAG_TEST_MODELS_DIR says otherwise."""
    return Path(os.environ.get("RAG_TEST_MODELS_DIR", ROOT / ".rag" / "models"))
