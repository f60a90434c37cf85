from __future__ import annotations

import pytest

from index.sentences import Sentence, split_sentences


def texts(raw: str) -> list[str]:
    return [s.text for s in split_sentences(raw, 0, len(raw))]


def test_date_in_parentheses_does_not_end_a_sentence() -> None:
    raw = (
        "Seorang pria berdiri di depan Balai Kota Almaty, Kamis (6/1/2022). "
        "Massa membakar gedung itu."
    )
    assert split_sentences(raw, 0, len(raw)) == [
        Sentence(0, 66, "Seorang pria berdiri di depan Balai Kota Almaty, Kamis (6/1/2022)."),
        Sentence(67, 93, "Massa membakar gedung itu."),
    ]


def test_short_date_in_parentheses() -> None:
    raw = "Pada Rabu (5/1), juru bicara Dmitry Peskov berbicara. Kazakhstan mampu mengatasinya."
    assert texts(raw) == [
        "Pada Rabu (5/1), juru bicara Dmitry Peskov berbicara.",
        "Kazakhstan mampu mengatasinya.",
    ]


def test_date_and_time_mid_sentence() -> None:
    raw = "Kamis (6/1/2022) pukul 05.06 WIB, massa menyerbu. Gedung terbakar."
    assert texts(raw) == ["Kamis (6/1/2022) pukul 05.06 WIB, massa menyerbu.", "Gedung terbakar."]


def test_numbers_with_separators() -> None:
    raw = "Sebanyak 2.500 pasukan dikirim. Sekitar 1,5 juta warga terdampak."
    assert texts(raw) == ["Sebanyak 2.500 pasukan dikirim.", "Sekitar 1,5 juta warga terdampak."]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "Dr. Asel Artakshinova mengatakan 2.600 orang dirawat. Sebanyak 67 orang kritis.",
            ["Dr. Asel Artakshinova mengatakan 2.600 orang dirawat.", "Sebanyak 67 orang kritis."],
        ),
        (
            "Prof. Dr. Budi, S.H., M.H. hadir. Acara dimulai.",
            ["Prof. Dr. Budi, S.H., M.H. hadir.", "Acara dimulai."],
        ),
        (
            "Presiden AS tiba di Jakarta pada 10 Jan. 2022 lalu. Ia disambut.",
            ["Presiden AS tiba di Jakarta pada 10 Jan. 2022 lalu.", "Ia disambut."],
        ),
        (
            "Pasukan dari Rusia, Belarus, dll. Mereka tiba Kamis.",
            ["Pasukan dari Rusia, Belarus, dll.", "Mereka tiba Kamis."],
        ),
        (
            "U.S. troops arrived. They left.",
            ["U.S. troops arrived.", "They left."],
        ),
    ],
    ids=["Dr", "Prof-SH-MH", "Jan", "dll-at-end", "U.S."],
)
def test_abbreviations(raw: str, expected: list[str]) -> None:
    assert texts(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "Harganya Rp. 5.000 per liter. Naik lagi.",
            ["Harganya Rp. 5.000 per liter.", "Naik lagi."],
        ),
        (
            "Ia tinggal di Jl. Sudirman No. 5 Jakarta. Rumahnya besar.",
            ["Ia tinggal di Jl. Sudirman No. 5 Jakarta.", "Rumahnya besar."],
        ),
        (
            "Bpk. Joko datang. Ibu Ani pergi.",
            ["Bpk. Joko datang.", "Ibu Ani pergi."],
        ),
        (
            "Pasukan dari Rusia, Belarus, dll. juga datang. Mereka tiba Kamis.",
            ["Pasukan dari Rusia, Belarus, dll. juga datang.", "Mereka tiba Kamis."],
        ),
    ],
    ids=["Rp", "Jl", "Bpk", "dll-mid-sentence"],
)
def test_indonesian_abbreviations_do_not_end_a_sentence(raw: str, expected: list[str]) -> None:
    """Fails today: sentencex's "id" rules split after "Rp.", "Jl.", "Bpk." and before a
    lower-case word following "dll."."""
    assert texts(raw) == expected


def test_offsets_point_into_the_whole_text() -> None:
    raw = "JUDUL\n\nKalimat satu.   Kalimat dua!\n\nEKOR"
    assert split_sentences(raw, 7, 35) == [
        Sentence(7, 20, "Kalimat satu."),
        Sentence(23, 35, "Kalimat dua!"),
    ]
    for sentence in split_sentences(raw, 7, 35):
        assert raw[sentence.start : sentence.end] == sentence.text


def test_whitespace_is_trimmed_and_normalised() -> None:
    raw = "  Kata\u00a0pertama\ndi sini.\u00a0 Kata kedua?  "
    assert split_sentences(raw, 0, len(raw)) == [
        Sentence(2, 23, "Kata pertama di sini."),
        Sentence(25, 36, "Kata kedua?"),
    ]


def test_blank_lines_between_sentences() -> None:
    raw = "Ia tiba.\n\nLalu pergi."
    assert split_sentences(raw, 0, len(raw)) == [
        Sentence(0, 8, "Ia tiba."),
        Sentence(10, 21, "Lalu pergi."),
    ]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Ia tewas. ***", [Sentence(0, 13, "Ia tewas. ***")]),
        ("Selesai. (AA)", [Sentence(0, 13, "Selesai. (AA)")]),
        ("Satu. 2. Tiga.", [Sentence(0, 8, "Satu. 2."), Sentence(9, 14, "Tiga.")]),
    ],
    ids=["stars", "credit", "list-number"],
)
def test_fragments_are_glued_to_the_sentence_before(raw: str, expected: list[Sentence]) -> None:
    assert split_sentences(raw, 0, len(raw)) == expected


def test_quotes_stay_with_their_sentence() -> None:
    raw = '"Ini serangan," katanya. "Kami siap."'
    assert texts(raw) == ['"Ini serangan," katanya.', '"Kami siap."']


@pytest.mark.parametrize("raw", ["", "   \n\t "])
def test_blank_text_has_no_sentences(raw: str) -> None:
    assert split_sentences(raw, 0, len(raw)) == []
