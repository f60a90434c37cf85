"""The benchmark corpus generator, and a smoke run of benchmarks.run."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from pathlib import Path

from benchmarks.corpus import (
    GENERATOR_VERSION,
    ArticleFactory,
    generate,
    pick_questions,
    write_corpus,
)
from index.articles import parse_article
from index.embedding_cache import EmbeddingCache
from index.ingest import ingest
from index.settings import IndexSettings
from index.stores import Stores
from tests.index.test_embedding_cache import RecordingEmbedder


def test_generation_is_deterministic_by_seed() -> None:
    first, again, other = generate(80, seed=3), generate(80, seed=3), generate(80, seed=4)
    assert [a.text for a in first.articles] == [a.text for a in again.articles]
    assert [a.doc_id for a in first.articles] == [a.doc_id for a in again.articles]
    assert first.articles[0].text != other.articles[0].text


def test_the_same_seed_writes_the_same_articles_and_questions() -> None:
    """A fingerprint of 300 articles of seed 7, taken before the words and templates moved
    from code to corpus_templates.toml: the corpora (and the embeddings cached for them) stay
    the same byte for byte. A deliberate change bumps GENERATOR_VERSION and this value."""
    factory = ArticleFactory(seed=7)
    digest = hashlib.sha256()
    for i in range(300):
        article = factory.article(i)
        questions = [asdict(q) for q in article.questions]
        digest.update(article.text.encode())
        digest.update(json.dumps(questions, ensure_ascii=False).encode())
    assert digest.hexdigest() == (
        "ad7df65a95cbf7bbc8c9462fff25b20983d234735f67eed93d9217e323d295fe"
    ), f"generated text changed (GENERATOR_VERSION {GENERATOR_VERSION})"


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


def test_benchmark_run_smoke(tmp_path: Path) -> None:
    """benchmarks.run at a tiny size, extractive only: JSON and Markdown are written."""
    from benchmarks.run import main

    out = tmp_path / "out"
    code = main(
        [
            "--sizes", "30", "--generators", "extractive", "--questions", "2",
            "--retrieval-queries", "3", "--retrieval-repeats", "1", "--raw-sample", "4",
            "--no-naive", "--no-server", "--out", str(out),
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
    assert cache.coverage(texts).complete
