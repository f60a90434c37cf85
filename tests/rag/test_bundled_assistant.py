"""End to end with the real bundled model (slow: a 1.1 GB GGUF on 2 CPU cores)."""

from __future__ import annotations

import pytest

from index.cleaning import normalize_whitespace
from rag import Answer, Assistant

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def bundled(seeded_settings, models_dir) -> Assistant:  # type: ignore[no-untyped-def]
    settings = seeded_settings.model_copy(update={"generator": "bundled", "models_dir": models_dir})
    return Assistant.load(settings)


def _offsets_hold(assistant: Assistant, answer: Answer) -> None:
    for c in answer.citations:
        doc = assistant.document(c.doc_id)
        assert doc is not None
        assert normalize_whitespace(doc.raw[c.start : c.end]) == c.text


@pytest.mark.parametrize(
    ("question", "language", "expected"),
    [
        ("Berapa orang yang mencari perawatan di rumah sakit?", "id", "2.600"),
        ("How many people sought hospital treatment?", "en", "2,600"),
        ("Berapa jumlah pasukan CSTO yang dikirim ke Kazakhstan?", "id", "2.500"),
        ("Siapa presiden Kazakhstan yang meminta bantuan CSTO?", "id", "Tokayev"),
        ("Who asked the CSTO for help?", "en", "Tokayev"),
    ],
)
def test_bundled_model_answers_with_verified_citations(
    bundled: Assistant, question: str, language: str, expected: str
) -> None:
    answer = bundled.ask(question)
    assert answer.language == language
    assert not answer.refused
    assert expected in answer.text
    assert answer.citations
    assert any(expected.replace(",", ".") in c.text for c in answer.citations)
    assert answer.generator in {"bundled", "extractive"}  # extractive only as a fallback
    _offsets_hold(bundled, answer)


def test_bundled_model_streams_checked_text_before_the_answer(bundled: Assistant) -> None:
    items = list(bundled.stream("Apa yang dikatakan Blinken tentang pasukan Rusia?"))
    answer = items[-1]
    assert isinstance(answer, Answer)
    assert len(items) >= 2 and all(isinstance(i, str) for i in items[:-1])
    # sentence by sentence as the check keeps them: what was shown is the answer
    assert "".join(str(i) for i in items[:-1]) == answer.text
    assert answer.timings["first_text_ms"] >= answer.timings["first_token_ms"]


def test_bundled_model_is_not_called_for_out_of_corpus_questions(bundled: Assistant) -> None:
    answer = bundled.ask("Who won the 2022 World Cup?")
    assert answer.refused
    assert answer.text == "The corpus does not contain this information."
    assert "generate_ms" not in answer.timings
