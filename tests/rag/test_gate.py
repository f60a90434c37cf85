"""Stage 4: refuse before any model call, or go on."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from rag.gate import BACKGROUND, Background, RelevanceGate, absent_entities
from rag.question import Question


def _question(text: str, language: str = "en") -> Question:
    return Question(text, text, language, text)  # type: ignore[arg-type]


def _gate(background_similarity: float) -> RelevanceGate:
    """A gate whose background sentences all score ``background_similarity``."""
    query = np.array([1.0, 0.0], dtype=np.float32)

    def embed(texts: Sequence[str]) -> np.ndarray:
        row = np.array([background_similarity, 0.0], dtype=np.float32)
        return np.tile(row, (len(texts), 1))

    gate = RelevanceGate(0.83, 0.785, 0.03, Background(embed), lambda: {"rusia", "kazakhstan"})
    gate.query = query  # type: ignore[attr-defined]
    return gate


@pytest.mark.parametrize(
    ("relevance", "background", "reason"),
    [
        (0.86, 0.75, "go"),
        (0.77, 0.70, "weak_evidence"),  # below the English threshold
        (0.80, 0.79, "off_topic"),  # the corpus matches no better than unrelated text
        (0.0, 0.5, "no_evidence"),
    ],
)
def test_the_decision_and_its_figures(relevance: float, background: float, reason: str) -> None:
    gate = _gate(background)
    decision = gate.run(_question("How many troops?"), relevance, gate.query, [])  # type: ignore[attr-defined]
    assert decision.reason == reason
    assert decision.go is (reason == "go")
    assert decision.contrast == pytest.approx(relevance - background, abs=1e-6)


def test_a_country_the_corpus_never_names_is_refused_first() -> None:
    gate = _gate(0.5)
    decision = gate.run(_question("How did China react?"), 0.9, gate.query, [])  # type: ignore[attr-defined]
    assert decision.reason == "absent_entity" and decision.absent == ("china",)
    assert absent_entities("Bagaimana sikap Rusia?", {"rusia"}) == []


def test_the_background_speaks_both_languages() -> None:
    assert len(BACKGROUND) % 2 == 0 and len(BACKGROUND) >= 10


@pytest.mark.parametrize(
    ("question", "passages", "reason"),
    [
        (
            "Berapa kerugian ekonomi akibat kerusuhan?",
            ["Sebanyak 225 jenazah dikirim."],
            "absent_amount",
        ),
        ("What was Tokayev's approval rating?", ["2.500 troops arrived."], "absent_amount"),
        ("Berapa kerugian ekonomi akibat kerusuhan?", ["Kerugian mencapai Rp 3 triliun."], "go"),
        ("By how much did the fuel price go up?", ["Harga LPG naik 100 persen."], "go"),
        ("How many troops were sent?", ["2.500 troops arrived."], "go"),
    ],
)
def test_an_amount_no_passage_gives_is_refused(
    question: str, passages: list[str], reason: str
) -> None:
    gate = _gate(0.5)
    decision = gate.run(_question(question), 0.9, gate.query, passages)  # type: ignore[attr-defined]
    assert decision.reason == reason
