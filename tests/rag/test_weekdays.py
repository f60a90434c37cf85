"""Weekday names dated by their article's publication date (rag/weekdays.py), the prompt of
a "when" question, and the citation check that reads the passages dated the same way."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from rag.answer import Language
from rag.citations import CitationChecker
from rag.evidence import Evidence
from rag.prompts import format_sources, user_prompt
from rag.weekdays import (
    calendar_weekdays,
    dated_weekdays,
    localized_months,
    spelled_dates,
    weekdays_in,
)

SATURDAY = "2022-01-08T10:00:00+07:00"  # Saturday 8 January 2022


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Blinken memperingatkan pada hari Jumat bahwa pasukan sulit pergi.",
            "Blinken memperingatkan pada hari Jumat (7 Januari 2022) bahwa pasukan sulit pergi.",
        ),
        ("Pasukan mulai dikerahkan Kamis.", "Pasukan mulai dikerahkan Kamis (6 Januari 2022)."),
        (
            "Rabu malam, Tokayev meminta bantuan.",
            "Rabu (5 Januari 2022) malam, Tokayev meminta bantuan.",
        ),
        ("Protes dimulai hari Minggu.", "Protes dimulai hari Minggu (2 Januari 2022)."),
        (
            "Polisi berjaga Sabtu pagi.",
            "Polisi berjaga Sabtu (8 Januari 2022) pagi.",
        ),  # the day itself
    ],
)
def test_a_weekday_is_the_latest_such_day_on_or_before_publication(
    text: str, expected: str
) -> None:
    assert dated_weekdays(text, SATURDAY, "id") == expected


@pytest.mark.parametrize(
    "text",
    [
        "Psaki berbicara Rabu (5/1/2022).",  # already dated
        "Psaki berbicara pada Rabu, 5 Januari 2022.",
        "Pembicaraan digelar Senin depan.",  # forward
        "Pembicaraan digelar setiap Jumat.",  # recurring
        "Talks will be held next Monday.",
        "Misi itu berlangsung beberapa minggu.",  # "minggu": a week
        "Minggu ini pasukan mulai ditarik.",  # "this week" at a sentence's start
    ],
)
def test_a_dated_forward_recurring_or_week_name_is_left_alone(text: str) -> None:
    assert dated_weekdays(text, SATURDAY, "id") == text


def test_nothing_is_dated_without_a_publication_date() -> None:
    text = "Blinken memperingatkan pada hari Jumat."
    assert dated_weekdays(text, None, "id") == text
    assert dated_weekdays(text, "8 Jan 2022", "id") == text  # not ISO 8601


def evidence(text: str, published: str | None = SATURDAY) -> Evidence:
    return Evidence("d", "AS Peringatkan", published, "Antara", text, 0, len(text), 0.9, 0.9, 0)


WARNING = evidence("Blinken memperingatkan Kazakhstan pada hari Jumat.")


def test_a_when_question_reads_weekdays_dated_and_no_publication_dates() -> None:
    """Otherwise the model answers "when" with the date in the label, the publication date."""
    prompt = user_prompt("When did Blinken warn Kazakhstan?", [WARNING], "en", conflict=False)
    assert (
        "[1] (Antara) Blinken memperingatkan Kazakhstan pada hari Jumat (7 Januari 2022)." in prompt
    )
    assert "8 January" not in prompt


def test_other_questions_keep_the_publication_date_and_the_text_as_written() -> None:
    assert format_sources([WARNING], "en") == (
        "[1] (Antara, 8 January 2022) Blinken memperingatkan Kazakhstan pada hari Jumat."
    )


def test_the_check_supports_the_date_of_a_weekday_and_not_the_publication_date() -> None:
    vectors = SimpleNamespace(get=lambda texts: np.ones((len(texts), 3), dtype=np.float32))
    checker = CitationChecker(vectors, lambda s: np.ones(3, dtype=np.float32))
    check = checker.for_evidence([WARNING], "en", "When did Blinken warn Kazakhstan?")
    assert check("Blinken warned Kazakhstan on 7 January 2022 [1].").sentences
    assert not check("Blinken warned Kazakhstan on 8 January 2022 [1].").sentences
    # another question's prompt shows the text as written: no date for the check to find
    other = checker.for_evidence([WARNING], "en", "Whom did Blinken warn?")
    assert not other("Blinken warned Kazakhstan on 7 January 2022 [1].").sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("kata Jen Psaki, Rabu (5/1/2022).", "kata Jen Psaki, Rabu (5 Januari 2022)."),
        ("Pada Rabu (5/1), Peskov berkata.", "Pada Rabu (5 Januari), Peskov berkata."),
        ("(29/2) (31/2) (13/13) 5/1/2022", "(29 Februari) (31/2) (13/13) 5/1/2022"),
    ],
)
def test_a_numeric_date_is_written_out(text: str, expected: str) -> None:
    assert spelled_dates(text) == expected


def test_a_when_question_reads_numeric_dates_written_out() -> None:
    """ "5/1/2022" was read as 5 May by the model; the check reads the same text."""
    statement = evidence("Gedung Putih memantau protes, kata Jen Psaki, Rabu (5/1/2022).")
    prompt = user_prompt("When did Psaki speak?", [statement], "en", conflict=False)
    assert "Rabu (5 Januari 2022)" in prompt
    assert format_sources([statement], "en").endswith("Rabu (5/1/2022).")  # other questions


def test_the_weekdays_a_text_names_in_either_language() -> None:
    assert weekdays_in("Pada Rabu (5/1), Peskov berbicara; Blinken on Friday.") == {2, 4}
    assert weekdays_in("Protes dimulai pada hari Minggu (2/1/2022).") == {6}
    # "minggu" as a week is no Sunday
    assert weekdays_in("misi singkat beberapa hari atau minggu. Minggu ini sepi.") == set()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("On Monday (6 January 2022) they left", "On Thursday (6 January 2022) they left"),
        ("pada hari senin, 6 Januari 2022", "pada hari kamis, 6 Januari 2022"),
        ("SABTU, January 6, 2022", "KAMIS, January 6, 2022"),  # the name's language and case
        ("Kamis (6 Januari 2022)", "Kamis (6 Januari 2022)"),  # already right
        ("Monday (31 February 2022)", "Monday (31 February 2022)"),  # no such day
        ("Monday, 6 January", "Monday, 6 January"),  # no year: not a whole date
        ("on Monday the 6th", "on Monday the 6th"),
    ],
)
def test_a_weekday_beside_a_whole_date_is_that_dates(text: str, expected: str) -> None:
    assert calendar_weekdays(text) == expected


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("on Sunday (2 Januari 2022) [1]", "en", "on Sunday (2 January 2022) [1]"),
        ("on 6 Mei and 8 Agustus", "en", "on 6 May and 8 August"),
        ("pada 6 January 2022", "id", "pada 6 Januari 2022"),
        ("pada 2 Maret", "id", "pada 2 Maret"),  # already the answer's language
        ("about 2.500 Januari", "en", "about 2.500 Januari"),  # not a day
    ],
)
def test_a_month_after_a_day_is_written_in_the_answers_language(
    text: str, language: Language, expected: str
) -> None:
    assert localized_months(text, language) == expected
