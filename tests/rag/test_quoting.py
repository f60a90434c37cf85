"""The quotation fallback's rule: is the passage it would quote about the question?"""

from __future__ import annotations

import pytest

from index import IndonesianAnalyzer
from index.analyzer import default_analyzer
from rag.quoting import quote_answers

TOKAYEV_CSTO = (
    "Namun, Rabu malam, Presiden Kazakh, Kassym-Jomart Tokayev telah meminta Organisasi "
    "Perjanjian Keamanan Kolektif (CSTO) yang dipimpin Rusia untuk membantu menstabilkan "
    "situasi."
)
MORGUE = (
    '"Selama keadaan darurat, 225 jenazah telah dikirim ke kamar mayat, 19 di antaranya '
    'adalah petugas penegak hukum dan personel militer" kata Serik Shalabayev.'
)


@pytest.fixture(scope="module")
def analyzer() -> IndonesianAnalyzer:
    return default_analyzer()


def test_a_passage_about_what_was_asked_is_quoted(analyzer: IndonesianAnalyzer) -> None:
    assert quote_answers("Siapa yang meminta bantuan CSTO?", TOKAYEV_CSTO, analyzer, 0.5)
    assert quote_answers("Berapa jenazah yang dikirim ke kamar mayat?", MORGUE, analyzer, 0.5)


def test_a_passage_that_shares_only_the_names_is_not(analyzer: IndonesianAnalyzer) -> None:
    # "Tokayev" and "Kazakhstan" are half the question's terms; "lahir" is not in the passage
    assert not quote_answers("Kapan Tokayev lahir?", TOKAYEV_CSTO, analyzer, 0.5)
    assert not quote_answers(
        "Tokayev sudah jadi presiden Kazakhstan sejak tahun berapa?", TOKAYEV_CSTO, analyzer, 0.0
    )


def test_a_how_many_question_needs_a_figure_of_what_it_counts(analyzer: IndonesianAnalyzer) -> None:
    assert not quote_answers("Berapa orang yang ditahan?", MORGUE, analyzer, 0.0)
    assert not quote_answers(
        "Berapa negara yang meminta bantuan CSTO?", TOKAYEV_CSTO, analyzer, 0.0
    )


def test_too_few_of_the_questions_terms_is_not_enough(analyzer: IndonesianAnalyzer) -> None:
    question = "Siapa yang meminta bantuan CSTO untuk menstabilkan situasi di Almaty pekan lalu?"
    assert quote_answers(question, TOKAYEV_CSTO, analyzer, 0.0)
    assert not quote_answers(question, TOKAYEV_CSTO, analyzer, 0.9)
