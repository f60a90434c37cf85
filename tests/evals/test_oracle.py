"""The oracle system: ours with the gold evidence shown and the gate open (seeded corpus)."""

from __future__ import annotations

from pathlib import Path

from evals.gold import load_gold
from evals.oracle import OracleSystem
from rag import Assistant
from rag.question import Question

GOLD = Path(__file__).resolve().parents[2] / "evals" / "gold" / "kazakhstan.jsonl"


def test_the_gold_passage_goes_to_the_generator_even_when_retrieval_ranks_it_low(
    assistant: Assistant,
) -> None:
    # Ours' top chunks for this English question define the CSTO; none gives its size.
    question = next(q for q in load_gold([GOLD]) if q.id == "en-factoid-csto-force-size")
    system = OracleSystem(assistant, "extractive", [question])
    retrieval = assistant.retriever.search(question.question)

    system.selector.gold = question.evidence
    shown = system.selector.run(question.question, retrieval).evidence

    assert any("2.500 orang" in e.text for e in shown)
    answer = system.ask(question.question, ())
    assert not answer.refused and any("2.500" in c.text for c in answer.citations)


def test_the_gate_opens_only_for_a_question_with_gold_evidence(assistant: Assistant) -> None:
    system = OracleSystem(assistant, "extractive", [])
    text = "Berapa kerugian ekonomi akibat kerusuhan di Kazakhstan?"
    question = assistant.prepare.run(text, [], lambda *_: None)
    assert isinstance(question, Question)
    retrieval = assistant.retriever.search(question.standalone)
    selection = assistant.select.run(question.standalone, retrieval)

    assert system.gate.run(question, retrieval, selection).reason == "absent_amount"
    system.gate.open = True
    assert system.gate.run(question, retrieval, selection).go
