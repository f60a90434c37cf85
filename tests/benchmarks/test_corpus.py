"""The benchmark corpus generator, the embedding cache, and a smoke run of benchmarks.run."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from benchmarks.corpus import (
    ArticleFactory,
    generate,
    pick_questions,
    write_corpus,
)
from benchmarks.embed_cache import CachingEmbedding, EmbeddingCache, coverage, fill, text_key
from index.articles import parse_article
from index.ingest import ingest
from index.settings import IndexSettings
from index.stores import Stores


def test_generation_is_deterministic_by_seed() -> None:
    first, again, other = generate(80, seed=3), generate(80, seed=3), generate(80, seed=4)
    assert [a.text for a in first.articles] == [a.text for a in again.articles]
    assert [a.doc_id for a in first.articles] == [a.doc_id for a in again.articles]
    assert first.articles[0].text != other.articles[0].text


def test_a_smaller_corpus_is_a_prefix_of_a_larger_one() -> None:
    small, large = generate(60), generate(200)
    assert [a.text for a in small.articles] == [
        a.text for a in large.articles[: len(small.articles)]
    ]


def test_chunk_count_is_near_the_target() -> None:
    corpus = generate(200)
    longest = max(len(a.chunk_texts) for a in corpus.articles)
    assert 200 <= corpus.n_chunks < 200 + longest
    assert corpus.n_chunks - len(corpus.articles[-1].chunk_texts) < 200  # stopped at once


def test_articles_parse_with_title_date_and_publisher() -> None:
    for article in generate(300).articles:
        parsed = parse_article(article.text, article.doc_id)
        assert parsed.title == article.title != article.doc_id
        assert parsed.published is not None and parsed.published.startswith("202")
        assert parsed.publisher
        assert sum(b.kind == "paragraph" for b in parsed.blocks) >= 7
        assert "Baca Juga" not in parsed.body


def test_key_people_and_figures_are_unique_per_article() -> None:
    factory = ArticleFactory(seed=11)
    people = [factory.key_person(i, abroad=False) for i in range(5000)]
    numbers = [factory.key_number(i) for i in range(5000)]
    assert len(set(people)) == len(people)
    assert len(set(numbers)) == len(numbers)
    assert all(1_000 <= n <= 99_999 for n in numbers)


def test_questions_have_their_answer_in_their_article_only(tmp_path: Path) -> None:
    corpus = generate(150)
    files = write_corpus(corpus, tmp_path / "corpus")
    questions = files.questions()
    assert questions == pick_questions(corpus)
    kinds = {(q.language, q.kind) for q in questions}
    assert kinds == {("id", "count"), ("en", "count"), ("id", "who"), ("en", "who")}
    raws = {p.stem: p.read_text(encoding="utf-8") for p in files.articles_dir.glob("*.txt")}
    assert len(raws) == files.n_articles == len(corpus.articles)
    for q in questions:
        raw = raws[q.doc_id]
        assert q.quote in raw
        assert any(answer in q.quote for answer in q.answers)
        # The unique fact names one article: no other one holds the answer.
        holders = [d for d, text in raws.items() if any(a in text for a in q.answers)]
        assert holders == [q.doc_id], q


def test_ingest_embeds_exactly_the_corpus_chunk_texts(tmp_path: Path) -> None:
    """The cache keys are the texts ingest hands the embedder, so cached vectors are used."""
    corpus = generate(40)
    files = write_corpus(corpus, tmp_path / "corpus")
    recorder = RecordingEmbedder()
    settings = IndexSettings(data_dir=tmp_path / "data", chroma_url=None)
    stores = Stores.open(settings, embedder=recorder)  # type: ignore[arg-type]
    try:
        report = ingest(stores, [files.articles_dir])
    finally:
        stores.close()
    assert not report.skipped
    assert sorted(recorder.texts) == sorted(corpus.chunk_texts()) == sorted(files.chunk_texts())


class RecordingEmbedder:
    """A stand-in embedder: remembers the passages, returns a vector derived from each text."""

    embedder_id = "recording:v1"
    dim = 8
    model_name = "recording"
    embed_batch_size = 4

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.queries: list[str] = []

    def get_text_embedding_batch(self, texts: list[str], **kwargs: Any) -> list[list[float]]:
        self.texts.extend(texts)
        return [self.vector(t) for t in texts]

    def get_query_embedding(self, query: str) -> list[float]:
        self.queries.append(query)
        return self.vector(query)

    def vector(self, text: str) -> list[float]:
        digest = hashlib.sha256(text.encode()).digest()
        return [b / 255 for b in digest[: self.dim]]


def test_caching_embedder_reads_writes_and_resumes(tmp_path: Path) -> None:
    inner = RecordingEmbedder()
    cache = EmbeddingCache(tmp_path, inner.embedder_id, shard_size=3)
    caching = CachingEmbedding(inner, cache)
    texts = [f"teks {i}" for i in range(7)]
    first = caching.get_text_embedding_batch(texts)
    assert first == [inner.vector(t) for t in texts]  # float32 round trip of these values
    assert (caching.hits, caching.misses) == (0, 7)
    cache.flush()
    assert len(list(cache.folder.glob("*.npz"))) == 3  # 3 + 3 + 1: shards as they filled

    again = CachingEmbedding(inner, EmbeddingCache(tmp_path, inner.embedder_id))
    inner.texts.clear()
    assert again.get_text_embedding_batch([*texts, "baru"]) == [
        pytest.approx(inner.vector(t)) for t in [*texts, "baru"]
    ]
    assert inner.texts == ["baru"]  # only the miss reached the real embedder
    assert (again.hits, again.misses) == (7, 1)
    assert again.get_query_embedding("apa?") == inner.vector("apa?")  # queries: never cached

    blind = CachingEmbedding(inner, EmbeddingCache(tmp_path, inner.embedder_id), read=False)
    inner.texts.clear()
    blind.get_text_embedding_batch(texts[:2])
    assert inner.texts == texts[:2]  # read=False: measured ingest embeds for real


def test_fill_embeds_only_what_is_missing(tmp_path: Path) -> None:
    inner = RecordingEmbedder()
    cache = EmbeddingCache(tmp_path, inner.embedder_id, shard_size=2)
    texts = [f"kalimat {i}" for i in range(5)]
    cache.put(text_key(texts[0]), inner.vector(texts[0]))
    assert fill(cache, [texts[1], *texts], inner, batch=2, progress=lambda _: None) == 4
    assert sorted(inner.texts) == sorted(texts[1:])
    assert inner.texts[0] == texts[-1]  # last first: a run writing from the start meets it
    assert coverage(EmbeddingCache(tmp_path, inner.embedder_id), texts).complete


def test_a_cache_of_another_embedder_is_refused(tmp_path: Path) -> None:
    cache = EmbeddingCache(tmp_path, "recording:v1")
    folder = cache.folder
    cache.put(text_key("x"), [0.0] * 8)
    cache.flush()
    meta = json.loads((folder / "meta.json").read_text())
    (folder / "meta.json").write_text(json.dumps({**meta, "embedder_id": "other"}))
    with pytest.raises(ValueError, match="holds vectors of other"):
        EmbeddingCache(tmp_path, "recording:v1")


def test_benchmark_run_smoke(tmp_path: Path) -> None:
    """benchmarks.run at a tiny size, extractive only: JSON and Markdown are written."""
    from benchmarks.run import main

    out = tmp_path / "out"
    code = main(
        [
            "--sizes", "30", "--generators", "extractive", "--questions", "2",
            "--retrieval-queries", "3", "--retrieval-repeats", "1", "--raw-sample", "4",
            "--no-naive", "--no-server", "--no-serve", "--no-profile", "--out", str(out),
            "--corpus-root", str(tmp_path / "corpora"), "--data-root", str(tmp_path / "data"),
            "--cache", str(tmp_path / "cache"),
        ]
    )  # fmt: skip
    assert code == 0
    results = json.loads((out / "bench.json").read_text())
    entry = results["sizes"]["30"]
    assert entry["status"] == "measured" and entry["errors"] == {}
    assert entry["ingest"]["chunks"] == entry["corpus"]["chunks"] >= 30
    assert entry["ingest"]["cache_misses"] == entry["ingest"]["chunks"]  # embedded for real
    assert entry["reingest"]["embedded"] == 0 and not entry["reingest"]["changed"]
    assert set(entry["retrieval"]["modes"]) == {"dense", "bm25", "hybrid"}
    assert entry["answers"]["extractive"]["questions"] == 2
    assert entry["ingest"]["peak_rss_mb"] > 50
    report = (out / "bench.md").read_text()
    assert "## Targets" in report and "| 30 |" in report
    # The run wrote its embeddings through: the size is now fully cached.
    cache = EmbeddingCache(tmp_path / "cache", IndexSettings().embedder_id)
    corpus_dirs = list((tmp_path / "corpora").iterdir())
    texts = [json.loads(line) for line in (corpus_dirs[0] / "chunk_texts.jsonl").open()]
    assert coverage(cache, texts).complete


def test_naive_view_is_a_visible_stable_link(tmp_path: Path) -> None:
    """llama-index's reader skips paths with dot-folders; the data dir is .rag."""
    from llama_index.core import SimpleDirectoryReader

    from benchmarks.run import naive_view

    files = write_corpus(generate(20, seed=5), tmp_path / ".rag" / "corpora" / "s5-n20-c500")
    view = naive_view(files)
    assert not any(part.startswith(".") for part in view.parts)
    assert view.resolve() == files.articles_dir.resolve()
    assert naive_view(files) == view  # the same path every run: the node texts embed it
    documents = SimpleDirectoryReader(input_dir=str(view)).load_data()
    assert len(documents) == files.n_articles
