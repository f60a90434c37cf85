"""rag.titles: a title before a nationality, in English answers."""

from __future__ import annotations

import pytest

from rag.citations import verify_citations
from rag.titles import english_title_order


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "President Kazakh Kassym-Jomart Tokayev asked the CSTO for help [1].",
            "Kazakh President Kassym-Jomart Tokayev asked the CSTO for help [1].",
        ),
        ("President United States Joe Biden said", "United States President Joe Biden said"),
        # English already: no country, or no name after it
        ("President Vladimir Putin said so.", "President Vladimir Putin said so."),
        ("Kazakh President Tokayev asked.", "Kazakh President Tokayev asked."),
        ("the President of Russia spoke.", "the President of Russia spoke."),
        ("the President Kazakh officials named", "the President Kazakh officials named"),
    ],
)
def test_a_title_before_a_nationality_is_turned_round(text: str, expected: str) -> None:
    assert english_title_order(text, "en") == expected


def test_indonesian_keeps_its_order() -> None:
    text = "Presiden Kazakh Kassym-Jomart Tokayev meminta bantuan CSTO [1]."
    assert english_title_order(text, "id") == text


def test_the_check_repairs_it_in_an_english_answer() -> None:
    passage = "Presiden Kazakh Kassym-Jomart Tokayev meminta bantuan CSTO."
    answer = "President Kazakh Kassym-Jomart Tokayev asked the CSTO for help [1]."
    checked = verify_citations(answer, [passage], "en")
    assert checked.text == "Kazakh President Kassym-Jomart Tokayev asked the CSTO for help [1]."
