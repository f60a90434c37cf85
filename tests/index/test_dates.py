from __future__ import annotations

from datetime import date

import pytest

from index.dates import FoundDate, find_date, parse_published, publication_day


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The formats of the seed articles.
        ("10 Januari 2022, 07:15 WIB", "2022-01-10T07:15:00+07:00"),
        ("- 10 Januari 2022, 07:15 WIB", "2022-01-10T07:15:00+07:00"),
        ("Sabtu, 08 Januari 2022 - 05:06 WIB", "2022-01-08T05:06:00+07:00"),
        ("Internasional | Sabtu, 08 Januari 2022 - 05:06 WIB", "2022-01-08T05:06:00+07:00"),
        ("Akhyar Zein | Sabtu, 08/01/2022 06:38 WIB", "2022-01-08T06:38:00+07:00"),
        ("16 Januari 2022, 08:47 WIB", "2022-01-16T08:47:00+07:00"),
        # The other Indonesian zones.
        ("10 Januari 2022 07:15 WITA", "2022-01-10T07:15:00+08:00"),
        ("10 Januari 2022 07:15 WIT", "2022-01-10T07:15:00+09:00"),
        ("Kamis, 5 Mei 2022 pukul 19.30 WIB", "2022-05-05T19:30:00+07:00"),
        # No zone: naive time; no time: plain date.
        ("10 Januari 2022, 07:15", "2022-01-10T07:15:00"),
        ("10 Januari 2022", "2022-01-10"),
        ("Senin, 10 Januari 2022", "2022-01-10"),
        ("08-01-2022", "2022-01-08"),
        # Indonesian abbreviations, with and without a dot.
        ("3 Jan 2022", "2022-01-03"),
        ("3 Feb 2022", "2022-02-03"),
        ("3 Mar 2022", "2022-03-03"),
        ("3 Apr 2022", "2022-04-03"),
        ("3 Mei 2022", "2022-05-03"),
        ("3 Jun 2022", "2022-06-03"),
        ("3 Jul 2022", "2022-07-03"),
        ("3 Agu 2022", "2022-08-03"),
        ("3 Agt 2022", "2022-08-03"),
        ("3 Ags 2022", "2022-08-03"),
        ("3 Sep 2022", "2022-09-03"),
        ("3 Okt. 2022", "2022-10-03"),
        ("3 Nov 2022", "2022-11-03"),
        ("3 Des 2022 10:00 WIB", "2022-12-03T10:00:00+07:00"),
        ("17 AGUSTUS 1945", "1945-08-17"),
        # English month names, day first and month first.
        ("10 January 2022", "2022-01-10"),
        ("January 10, 2022 07:15 GMT", "2022-01-10T07:15:00+00:00"),
        ("Monday, Dec 5, 2022", "2022-12-05"),
        # ISO, as front matter writes it.
        ("2022-01-10", "2022-01-10"),
        ("2022-01-10T07:15:00+07:00", "2022-01-10T07:15:00+07:00"),
        ("2022-01-10 07:15", "2022-01-10T07:15:00"),
        # A date inside a longer text: the first one counts.
        ("Diperbarui 12 Maret 2021, 14:02 WIB oleh admin", "2021-03-12T14:02:00+07:00"),
        ("29 Februari 2024", "2024-02-29"),
    ],
)
def test_parse_published(text: str, expected: str) -> None:
    assert parse_published(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Tanpa tanggal sama sekali",
        "31 Februari 2022",
        "29 Februari 2023",
        "32 Januari 2022",
        "31/04/2022",
        "10/13/2022",
        "10 Brumaire 2022",
        "10 Januari 22",
        "10 Januari 0999",
        "10 Januari 2022 25:00 WIB",
        "Pada Rabu (5/1), kata dia",
        "2.600 orang dan 18 petugas",
    ],
)
def test_parse_published_rejects(text: str) -> None:
    assert parse_published(text) is None


def test_invalid_time_makes_the_date_invalid() -> None:
    # A broken time is not silently dropped: the whole stamp is untrustworthy.
    assert parse_published("10 Januari 2022, 07:75 WIB") is None


def test_a_count_after_the_date_is_not_a_time() -> None:
    assert parse_published("10 Januari 2022, 15.000 orang mengungsi") == "2022-01-10"


def test_skips_an_impossible_date_for_a_later_valid_one() -> None:
    assert parse_published("31 Februari 2022 atau 1 Maret 2022") == "2022-03-01"


def test_find_date_gives_the_span_including_day_name_and_zone() -> None:
    text = "Akhyar Zein | Sabtu, 08/01/2022 06:38 WIB"
    found = find_date(text)
    assert found == FoundDate(iso="2022-01-08T06:38:00+07:00", start=14, end=len(text))
    assert text[found.start : found.end] == "Sabtu, 08/01/2022 06:38 WIB"


def test_find_date_none() -> None:
    assert find_date("Tidak ada tanggal") is None


def test_publication_day_is_the_day_where_the_article_was_published() -> None:
    assert publication_day("2022-01-16T00:30:00+07:00") == date(2022, 1, 16)  # not UTC's 15th
    assert publication_day("2022-01-10") == date(2022, 1, 10)
    assert publication_day(None) is None
    assert publication_day("10 Januari 2022") is None  # not ISO 8601
