"""benchmarks.embed_cache: filling the cache, and the corpus view the naive baseline reads."""

from __future__ import annotations

from pathlib import Path

from benchmarks.corpus import generate, write_corpus
from benchmarks.embed_cache import fill, naive_view
from index.embedding_cache import EmbeddingCache, text_key
from tests.index.test_embedding_cache import RecordingEmbedder


def test_fill_embeds_only_what_is_missing(tmp_path: Path) -> None:
    inner = RecordingEmbedder()
    cache = EmbeddingCache(tmp_path, inner.embedder_id, shard_size=2)
    texts = [f"kalimat {i}" for i in range(5)]
    cache.put(text_key(texts[0]), inner.vector(texts[0]))
    assert fill(cache, [texts[1], *texts], inner, batch=2, progress=lambda _: None) == 4
    assert sorted(inner.texts) == sorted(texts[1:])
    assert inner.texts[0] == texts[-1]  # last first: a run writing from the start meets it
    assert EmbeddingCache(tmp_path, inner.embedder_id).coverage(texts).complete


def test_naive_view_is_a_visible_stable_link(tmp_path: Path) -> None:
    """llama-index's reader skips paths with dot-folders; the data dir is .rag."""
    from llama_index.core import SimpleDirectoryReader

    files = write_corpus(generate(20, seed=5), tmp_path / ".rag" / "corpora" / "s5-n20-c500")
    view = naive_view(files)
    assert not any(part.startswith(".") for part in view.parts)
    assert view.resolve() == files.articles_dir.resolve()
    assert naive_view(files) == view  # the same path every run: the node texts embed it
    documents = SimpleDirectoryReader(input_dir=str(view)).load_data()
    assert len(documents) == files.n_articles
