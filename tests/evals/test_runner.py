"""The eval runner: gold loading, scripted systems end to end, and the real baselines."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from evals.baselines import single_retriever_assistant
from evals.cli import main
from evals.gold import GoldError, GoldEvidence, GoldQuestion, load_gold
from evals.runner import evaluate
from evals.systems import build_systems
from rag import Answer, Citation, Passage

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "evals" / "gold" / "kazakhstan.jsonl"
PNG = b"\x89PNG\r\n\x1a\n"


def _write(path: Path, records: Sequence[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _record(qid: str, **overrides: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": qid,
        "question": "How many troops?",
        "language": "en",
        "type": "factoid",
        "answerable": True,
        "answers": [["2.500", "2,500"]],
        "evidence": [{"doc_id": "d", "quote": "2.500 orang"}],
        "history": [],
    }
    record.update(overrides)
    return record


# -- gold ------------------------------------------------------------------------------------


def test_load_gold_reads_every_file_in_order(tmp_path: Path) -> None:
    first = _write(tmp_path / "a.jsonl", [_record("en-factoid-a")])
    second = _write(
        tmp_path / "b.jsonl",
        [
            _record(
                "en-followup-b", type="followup", history=[["user", "Who?"], ["assistant", "Him."]]
            )
        ],
    )
    questions = load_gold([first, second])
    assert [q.id for q in questions] == ["en-factoid-a", "en-followup-b"]
    assert questions[0].answers == (("2.500", "2,500"),)
    assert questions[0].evidence == (GoldEvidence("d", "2.500 orang"),)
    assert questions[1].history == (("user", "Who?"), ("assistant", "Him."))


def test_load_gold_reads_the_shipped_file() -> None:
    questions = load_gold([GOLD])
    assert len(questions) == 261
    assert sum(not q.answerable for q in questions) == 85
    assert {q.split for q in questions} == {"dev", "test"}
    assert all(q.reason for q in questions if not q.answerable)


def test_load_gold_keeps_only_the_split_asked_for() -> None:
    test = load_gold([GOLD], "test")
    assert len(test) == 70 and {q.split for q in test} == {"test"}
    assert len(load_gold([GOLD], "dev")) == 191


def test_load_gold_rejects_an_unknown_split_or_reason(tmp_path: Path) -> None:
    with pytest.raises(GoldError, match="unknown split 'train'"):
        load_gold([GOLD], "train")
    bad = _write(tmp_path / "a.jsonl", [{**_record("x"), "split": "train"}])
    with pytest.raises(GoldError, match="split must be one of dev, test"):
        load_gold([bad])
    bad = _write(tmp_path / "b.jsonl", [{**_record("y"), "reason": "nonsense"}])
    with pytest.raises(GoldError, match="reason is for unanswerable questions"):
        load_gold([bad])


def test_load_gold_rejects_an_id_used_twice(tmp_path: Path) -> None:
    first = _write(tmp_path / "a.jsonl", [_record("x")])
    second = _write(tmp_path / "b.jsonl", [_record("y"), _record("x")])
    with pytest.raises(
        GoldError, match=r"b\.jsonl:2: question id 'x' already used at .*a\.jsonl:1"
    ):
        load_gold([first, second])


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", r"bad\.jsonl:1: not valid JSON"),
        ('{"id": "x"}', r"bad\.jsonl:1: missing keys"),
        (json.dumps(_record("x", language="fr")), r"language must be 'id' or 'en'"),
        (json.dumps(_record("x", evidence=[])), r"answerable question needs answers and evidence"),
    ],
)
def test_load_gold_says_what_is_wrong_where(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(GoldError, match=message):
        load_gold([path])


def test_load_gold_of_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(GoldError, match="does not exist"):
        load_gold([tmp_path / "nope.jsonl"])


# -- scripted systems ------------------------------------------------------------------------

RAW = "Pasukan akan berjumlah sekitar 2.500 orang. Lainnya."
QUOTE_START = RAW.index("2.500 orang")
FACTOID = GoldQuestion(
    "en-factoid-size",
    "How many troops?",
    "en",
    "factoid",
    True,
    answers=(("2.500", "2,500"),),
    evidence=(GoldEvidence("d", "2.500 orang"),),
)
FOLLOWUP = GoldQuestion(
    "en-followup-size",
    "And how many?",
    "en",
    "followup",
    True,
    answers=(("2.500", "2,500"),),
    evidence=(GoldEvidence("d", "2.500 orang"),),
    history=(("user", "Who sent troops?"), ("assistant", "The CSTO.")),
)
UNANSWERABLE = GoldQuestion("en-unanswerable-cup", "Who won the cup?", "en", "unanswerable", False)
GOOD = Passage("d", "T", None, None, RAW[:43], 0, 43, chunk_id="d:0", score=0.9)
OTHER = Passage("d", "T", None, None, "Lainnya.", 44, 52, chunk_id="d:1", score=0.1)


class Scripted:
    """A system whose answers are given: right on the factoid, wrong on the follow-up."""

    def __init__(self, name: str, refuse_all: bool = False, total_ms: float = 10.0) -> None:
        self.name = name
        self.refuse_all = refuse_all
        self.total_ms = total_ms
        self.version = 1
        self.histories: list[tuple[str, tuple[tuple[str, str], ...]]] = []

    def ask(self, question: str, history: Sequence[tuple[str, str]]) -> Answer:
        self.histories.append((question, tuple(history)))
        timings = {"total_ms": self.total_ms, "retrieve_ms": 2.0}
        if self.refuse_all or question == UNANSWERABLE.question:
            return Answer(question, "Not in the articles.", "en", True, (), (GOOD,), timings)
        if question == FACTOID.question:
            cite = Citation.of(1, GOOD)
            return Answer(
                question, "About 2,500 [1] [2].", "en", False, (cite,), (GOOD, OTHER), timings
            )
        cite = Citation.of(1, OTHER)
        return Answer(
            question,
            "Lainnya [1].",
            "id",
            False,
            (cite,),
            (OTHER, GOOD),
            timings,
            standalone_question="how many (CSTO)",
        )

    def rank(self, query: str, k: int) -> list[Passage]:
        return [GOOD, OTHER][:k] if query == FACTOID.question else [OTHER, GOOD][:k]

    def passages(self) -> list[Passage]:
        return [GOOD, OTHER]

    def articles(self) -> dict[str, str]:
        return {"d": RAW}

    def fingerprint(self) -> str:
        return f"{self.name}-{self.version}"


@pytest.fixture(scope="module")
def scripted_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any, Scripted]:
    out = tmp_path_factory.mktemp("scripted")
    ours, naive = Scripted("ours"), Scripted("naive", refuse_all=True, total_ms=5.0)
    summary = evaluate(
        [FACTOID, FOLLOWUP, UNANSWERABLE],
        [ours, naive],
        out,
        generator="extractive",
        gold=["g.jsonl"],
        progress=False,
    )
    return out, summary, ours


def test_followups_get_their_history(scripted_run: tuple[Path, Any, Scripted]) -> None:
    _, _, ours = scripted_run
    assert ours.histories == [
        (FACTOID.question, ()),
        (FOLLOWUP.question, FOLLOWUP.history),
        (UNANSWERABLE.question, ()),
    ]


def test_summary_metrics_of_scripted_systems(scripted_run: tuple[Path, Any, Scripted]) -> None:
    _, summary, _ = scripted_run
    ours = summary.system("ours")
    # factoid: right, relevant passage ranked first; follow-up: ranked second, wrong answer.
    assert ours.metrics == pytest.approx(
        {
            "hit@1": 0.5,
            "hit@5": 1.0,
            "recall@5": 1.0,
            "recall@10": 1.0,
            "mrr@10": 0.75,
            "ndcg@10": (1 + 1 / 1.5849625007211563) / 2,
            "str_em": 0.5,
            "token_f1": (2 / 3 + 0) / 2,  # "about 2500" vs "2500": P 1/2, R 1
            "citation_precision": 0.5,
            "citation_recall": 0.5,
            "dangling_marker_rate": 1 / 3,  # [2] of the factoid; 3 markers in all
            "refusal_accuracy": 1.0,
            "false_refusal_rate": 0.0,
            "language_match": 2 / 3,
            "indonesian_in_english": 0.0,  # the factoid's "About 2,500" (the follow-up is id)
            "str_em[factoid]": 1.0,
            "str_em[followup]": 0.0,
        }
    )
    assert ours.counts["citation_precision"] == 2
    assert ours.latency["total_ms"] == {"p50": 10.0, "p95": 10.0, "n": 3.0}
    assert ours.failures["answer_mismatch"] == []
    assert ours.failures["evidence_selection"] == ["en-followup-size"]
    naive = summary.system("naive")
    assert naive.metrics["false_refusal_rate"] == 1.0
    assert naive.metrics["citation_precision"] is None
    assert naive.failures["false_refusal"] == ["en-factoid-size", "en-followup-size"]
    assert summary.ratios == {
        "str_em": None,
        "citation_precision": None,
        "latency_p50_total_ms": 2.0,
    }


def test_files_written(scripted_run: tuple[Path, Any, Scripted]) -> None:
    out, summary, _ = scripted_run
    assert sorted(p.name for p in out.iterdir()) == [
        "latency.png",
        "metrics.png",
        "naive.jsonl",
        "ours.jsonl",
        "summary.json",
        "summary.md",
    ]
    rows = [json.loads(line) for line in (out / "ours.jsonl").read_text().splitlines()]
    assert [r["id"] for r in rows] == [FACTOID.id, FOLLOWUP.id, UNANSWERABLE.id]
    first, second = rows[0], rows[1]
    assert first["answer"]["text"] == "About 2,500 [1] [2]."
    assert first["ranking"] == ["d:0", "d:1"] and first["relevant_ranks"] == [1]
    assert first["retrieved_relevant"] == [True, False]
    assert second["retrieved_relevant"] == [False, True]
    assert first["scores"]["str_em"] == 1.0 and first["failure"] is None
    assert second["ranking"] == ["d:1", "d:0"]  # ranked with the standalone question
    assert second["failure"] == "evidence_selection" and second["missing"] == ["2.500"]
    assert json.loads((out / "summary.json").read_text()) == {
        **json.loads(json.dumps(summary.to_dict())),
        "fingerprints": {"ours": "ours-1", "naive": "naive-1"},
    }
    markdown = (out / "summary.md").read_text()
    assert "| str_em | 0.500 | 0.000 |" in markdown
    assert "| en-followup-size | evidence_selection | 2.500 |" in markdown
    for png in ("metrics.png", "latency.png"):
        assert (out / png).read_bytes()[:8] == PNG


class Interrupted(Exception):
    pass


class Dies(Scripted):
    """Scripted, but the process 'dies' when asked question number ``after`` + 1."""

    def __init__(self, name: str, after: int) -> None:
        super().__init__(name)
        self.after = after

    def ask(self, question: str, history: Sequence[tuple[str, str]]) -> Answer:
        if len(self.histories) == self.after:
            raise Interrupted
        return super().ask(question, history)


def test_resume_reuses_the_answers_of_an_interrupted_run(
    scripted_run: tuple[Path, Any, Scripted], tmp_path: Path
) -> None:
    questions = [FACTOID, FOLLOWUP, UNANSWERABLE]
    with pytest.raises(Interrupted):
        evaluate(
            questions, [Dies("ours", after=2)], tmp_path, generator="extractive", progress=False
        )
    saved = (tmp_path / "checkpoint.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["id"] for line in saved] == [FACTOID.id, FOLLOWUP.id]
    # a line torn by the kill, and one of another generator, are not reused
    with (tmp_path / "checkpoint.jsonl").open("a", encoding="utf-8") as f:
        f.write('{"system": "ours", "id": "en-unanswerable-cup", "gen')

    again = Scripted("ours")
    summary = evaluate(
        questions, [again], tmp_path, generator="extractive", progress=False, resume=True
    )
    assert [q for q, _ in again.histories] == [UNANSWERABLE.question]  # only what was missing
    assert not (tmp_path / "checkpoint.jsonl").exists()
    full_out, full_summary, _ = scripted_run
    resumed = [json.loads(line) for line in (tmp_path / "ours.jsonl").read_text().splitlines()]
    straight = [json.loads(line) for line in (full_out / "ours.jsonl").read_text().splitlines()]
    assert resumed == straight
    assert summary.system("ours").metrics == full_summary.system("ours").metrics


def _interrupted_run(out: Path) -> None:
    """An extractive run of two questions that dies on the second, leaving a checkpoint."""
    with pytest.raises(Interrupted):
        evaluate(
            [FACTOID, FOLLOWUP],
            [Dies("ours", after=1)],
            out,
            generator="extractive",
            progress=False,
        )
    assert (out / "checkpoint.jsonl").is_file()


@pytest.mark.parametrize(
    ("generator", "resume", "version"),
    [("extractive", False, 1), ("bundled", True, 1), ("extractive", True, 2)],
    ids=["fresh", "other-gen", "changed-code"],
)
def test_a_checkpoint_is_not_reused(
    tmp_path: Path, generator: str, resume: bool, version: int
) -> None:
    """Without --resume a run starts over; with it, the answers of another generator or of
    the system's code before a change (another fingerprint) don't count."""
    _interrupted_run(tmp_path)
    again = Scripted("ours")
    again.version = version
    evaluate(
        [FACTOID, FOLLOWUP], [again], tmp_path, generator=generator, progress=False, resume=resume
    )
    assert len(again.histories) == 2


def test_answer_round_trips_through_its_dict() -> None:
    answer = Scripted("ours").ask(FACTOID.question, ())
    assert Answer.from_dict(json.loads(json.dumps(answer.to_dict()))) == answer


# -- real systems ----------------------------------------------------------------------------


def test_build_systems_rejects_unknown_names(assistant: Any) -> None:
    with pytest.raises(ValueError, match="unknown system"):
        build_systems(["ours", "bm42"], assistant, "extractive")


@pytest.mark.parametrize("keep", ["bm25", "dense"])
def test_single_retriever_keeps_one_ranking(assistant: Any, keep: str) -> None:
    query = "Berapa jumlah pasukan penjaga perdamaian CSTO?"
    retriever = assistant.retriever
    if keep == "bm25":
        hits = retriever.stores.lexical.query(retriever.query_terms(query), 5)
    else:
        hits = retriever.stores.vectors.query(retriever.embed_query(query).tolist(), 5)
    single = single_retriever_assistant(assistant, keep)  # type: ignore[arg-type]
    ranked = [p.chunk_id for p in single.retriever.search(query, k=5).passages]
    assert ranked == [h.chunk_id for h in hits]
    assert single.retriever.stores is retriever.stores
    assert single.settings.retrieval_mode == keep


def test_cli_runs_ours_and_naive(
    seeded_settings: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from llama_index.core import Settings as LlamaSettings

    llm_before = LlamaSettings._llm
    gold = tmp_path / "gold.jsonl"
    lines = GOLD.read_text(encoding="utf-8").splitlines()
    gold.write_text(
        lines[0] + "\n" + lines[-1] + "\n", encoding="utf-8"
    )  # a factoid, an unanswerable
    out = tmp_path / "out"
    code = main(
        [
            "--gold",
            str(gold),
            "--out",
            str(out),
            "--systems",
            "ours,naive",
            "--data-dir",
            str(seeded_settings.data_dir),
        ]
    )
    assert code == 0
    assert "| str_em |" in capsys.readouterr().out
    naive = [json.loads(line) for line in (out / "naive.jsonl").read_text().splitlines()]
    answer = naive[0]["answer"]
    assert [c["n"] for c in answer["citations"]] == [1, 2]  # similarity_top_k=2, cited as [1], [2]
    assert answer["text"].endswith(" [1]") and answer["refused"] is False
    # its top node's sentence closest to the question, not the whole node (a whole article)
    quote = answer["text"][:-4]
    assert quote and quote in answer["citations"][0]["text"]
    assert len(quote) < len(answer["citations"][0]["text"]) / 3
    article = (seeded_settings.seeds_dir / f"{answer['citations'][0]['doc_id']}.txt").read_text(
        encoding="utf-8"
    )
    first = answer["citations"][0]
    assert article[first["start"] : first["end"]] == first["text"]
    assert LlamaSettings._llm is llm_before  # the global llama-index LLM was left alone


def test_cli_rejects_an_unknown_system(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--gold", str(GOLD), "--out", str(tmp_path), "--systems", "ours,bm42"])
    assert exit_info.value.code == 2
    assert "unknown system(s) bm42" in capsys.readouterr().err


def test_cli_reports_a_missing_gold_file(
    seeded_settings: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "--gold",
            str(tmp_path / "nope.jsonl"),
            "--out",
            str(tmp_path / "o"),
            "--data-dir",
            str(seeded_settings.data_dir),
        ]
    )
    assert code == 2
    assert "does not exist" in capsys.readouterr().err


def test_naive_node_ids_are_the_same_in_every_run(assistant: Any) -> None:
    """A resumed eval scores rankings saved by another process: the ids must match."""
    first, second = (build_systems(["naive"], assistant, "extractive")[0] for _ in range(2))
    ids = sorted(p.chunk_id for p in first.passages())
    assert ids == sorted(p.chunk_id for p in second.passages())
    assert all(p.chunk_id.rsplit(":", 1)[0] == p.doc_id for p in first.passages())
    query = "Berapa jumlah pasukan penjaga perdamaian CSTO?"
    assert [p.chunk_id for p in first.rank(query, 3)] == [p.chunk_id for p in second.rank(query, 3)]


def test_reuse_asks_again_only_the_systems_whose_inputs_changed(tmp_path: Path) -> None:
    questions = [FACTOID, FOLLOWUP, UNANSWERABLE]
    ours, naive = Scripted("ours"), Scripted("naive", refuse_all=True)
    first = evaluate(questions, [ours, naive], tmp_path, generator="g", progress=False)
    ours2, naive2 = Scripted("ours"), Scripted("naive", refuse_all=True)
    ours2.version = 2  # its code changed

    second = evaluate(
        questions, [ours2, naive2], tmp_path, generator="g", progress=False, reuse=True
    )

    assert len(ours2.histories) == 3 and naive2.histories == []
    assert second.system("naive").metrics == first.system("naive").metrics
    saved = json.loads((tmp_path / "summary.json").read_text())
    assert saved["fingerprints"] == {"ours": "ours-2", "naive": "naive-1"}
    third = Scripted("naive", refuse_all=True)
    evaluate(questions, [third], tmp_path, generator="other", progress=False, reuse=True)
    assert len(third.histories) == 3  # another generator: nothing reused
