"""evals.fusion: settings parsing, the gold and corpus comparisons, and the report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from benchmarks.corpus import generate, write_corpus
from evals import fusion
from index.ingest import ingest
from index.stores import Stores


def test_settings_are_parsed_and_checked_against_rag_settings() -> None:
    assert fusion.parse_setting("rrf_k=1, lexical_weight_en=0.5") == {
        "rrf_k": 1,
        "lexical_weight_en": 0.5,
    }
    for bad in ("rrf_k", "no_such_field=1", "rrf_k=-1", "retrieval_mode=sideways"):
        with pytest.raises(ValueError):
            fusion.parse_setting(bad)


def test_gold_comparison_scores_each_setting(seeded_settings: Any) -> None:
    variants = [{}, {"retrieval_mode": "bm25"}, {"retrieval_mode": "dense"}]
    gold = fusion.gold_scores([fusion.DEFAULT_GOLD], seeded_settings.data_dir, variants)
    assert gold["questions"] > 40  # the single-turn answerable ones with a relevant passage
    rows = gold["variants"]
    assert [r["setting"].split(":")[0] for r in rows] == [
        "defaults",
        "retrieval_mode=bm25",
        "retrieval_mode=dense",
    ]
    for row in rows:
        assert 0 <= row["hit@1"] <= row["hit@5"] <= 1 and 0 <= row["mrr@10"] <= 1
    assert rows[1] != rows[2]  # the settings really reach the retriever


def test_corpus_comparison_finds_the_article_of_each_question(tmp_path: Path) -> None:
    files = write_corpus(generate(40), tmp_path / "corpus")
    from rag import Settings

    settings = Settings(data_dir=tmp_path / "data", chroma_url=None)
    stores = Stores.open(settings)
    try:
        ingest(stores, [files.articles_dir])
    finally:
        stores.close()
    result = fusion.corpus_scores(
        settings.data_dir, files.questions_path, [{}, {"retrieval_mode": "bm25"}]
    )
    n = len(files.questions())
    assert result["questions"] == n > 0
    default, bm25 = result["variants"]
    # Each question names its article's unique person or figure: BM25 alone finds nearly all.
    assert bm25["in_top_k"] >= 0.8
    for row in (default, bm25):
        by = row["by_language"]
        assert sum(v["questions"] for v in by.values()) == n
        assert row["first"] <= row["in_top_k"]
        assert sum(v["in_top_k"] for v in by.values()) == round(row["in_top_k"] * n)


def test_main_writes_the_report_and_skips_sizes_without_stores(
    seeded_settings: Any, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    code = fusion.main(
        [
            "--setting", "rrf_k=60,lexical_weight_en=0.15", "--sizes", "1000",
            "--gold-data-dir", str(seeded_settings.data_dir), "--data-root", str(tmp_path / "d"),
            "--corpus-root", str(tmp_path / "c"), "--out", str(out),
        ]
    )  # fmt: skip
    assert code == 0
    results = json.loads((out / "fusion.json").read_text())
    assert len(results["gold"]["variants"]) == 2
    assert "make bench" in results["corpora"]["1000"]["skipped"]
    report = (out / "fusion.md").read_text()
    assert "| rrf_k=60, lexical_weight_en=0.15 |" in report
    assert "Skipped: no stores" in report


def test_a_bad_setting_is_refused_with_a_message(capsys: pytest.CaptureFixture[str]) -> None:
    assert fusion.main(["--setting", "rrf_k=many", "--sizes", "--gold"]) == 2
    assert "--setting" in capsys.readouterr().err
