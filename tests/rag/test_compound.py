"""A question that asks two things, asked as two (rag/compound.py)."""

from __future__ import annotations

import pytest

from rag.answer import Answer, Citation
from rag.compound import joined, renumbered, split_compound


@pytest.mark.parametrize(
    ("question", "parts"),
    [
        (
            "Protes di Kazakhstan mulai tanggal berapa, dan kapan pasukan CSTO mulai masuk?",
            ("Protes di Kazakhstan mulai tanggal berapa?", "Kapan pasukan CSTO mulai masuk?"),
        ),
        (
            "How many security officers were killed, and was that number revised later?",
            ("How many security officers were killed?", "Was that number revised later?"),
        ),
        (  # Indonesian asks at the end of the part
            "Jumlah korban luka awalnya dilaporkan berapa, lalu belakangan menjadi berapa?",
            ("Jumlah korban luka awalnya dilaporkan berapa?", "Belakangan menjadi berapa?"),
        ),
        (
            "Who denied the US role? When did she say it?",
            ("Who denied the US role?", "When did she say it?"),
        ),
    ],
)
def test_two_questions_in_one_are_split(question: str, parts: tuple[str, str]) -> None:
    assert split_compound(question) == parts


@pytest.mark.parametrize(
    "question",
    [
        "Who said Kazakhstan, and its allies, would handle it?",  # one question, a list inside
        "Give me the size of the CSTO force and the countries that sent soldiers",
        "Sebenarnya berapa orang yang tewas di Kazakhstan? angkanya kok beda-beda ya",
        "What happened? When did it start?",  # a part of two words asks too little
        "Berapa orang yang mencari perawatan di rumah sakit?",
        "Berapa jumlah pasukan CSTO? " * 20,  # pasted or repeated text, not two questions
    ],
)
def test_one_question_stays_whole(question: str) -> None:
    assert split_compound(question) is None


def test_markers_are_numbered_on() -> None:
    assert renumbered("A [1][2, 3]. B [1].", 3) == "A [4][5, 6]. B [4]."
    assert renumbered("A [1].", 0) == "A [1]."


def _answer(text: str, cited: int, refused: bool = False) -> Answer:
    citations = tuple(
        Citation("d", "T", None, None, f"passage {n}", 0, 9, n) for n in range(1, cited + 1)
    )
    return Answer(
        "q", text, "en", refused, citations, refusal_reason="not_found" if refused else None
    )


def test_the_parts_answers_are_joined_with_their_citations_numbered_on() -> None:
    whole = joined(
        "A, and B?", "A, and B?", [_answer("A is 1 [1][2].", 2), _answer("B is 2 [1].", 1)]
    )
    assert whole.text == "A is 1 [1][2]. B is 2 [3]."
    assert [c.n for c in whole.citations] == [1, 2, 3] and not whole.refused
    assert whole.citations[2].text == "passage 1"  # the second part's first citation


def test_a_refused_part_says_nothing_and_all_refused_is_a_refusal() -> None:
    refusal = _answer("The corpus does not contain this information.", 0, refused=True)
    whole = joined("A, and B?", "A, and B?", [refusal, _answer("B is 2 [1].", 1)])
    assert whole.text == "B is 2 [1]." and not whole.refused
    whole = joined("A, and B?", "A, and B?", [refusal, refusal], ("The question was cut.",))
    assert whole.refused and whole.text == refusal.text and whole.refusal_reason == "not_found"
    assert whole.notices == ("The question was cut.",)  # the whole question's notices first
