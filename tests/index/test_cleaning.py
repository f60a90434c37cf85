from __future__ import annotations

import pytest

from index.cleaning import (
    is_blank_char,
    is_boilerplate_line,
    is_section_end,
    normalize_whitespace,
    split_trailing_credits,
    trim_span,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("kata\u00a0 Jen Psaki", "kata Jen Psaki"),  # NBSP next to a space (seed 003)
        ("\u00a0\u00a0\u00a0 Jen Psaki menambahkan", "Jen Psaki menambahkan"),
        ("10\u202fpersen", "10 persen"),  # narrow NBSP
        ("Kazakh\u200bstan", "Kazakhstan"),  # zero-width space deleted, not spaced
        ("a \u200b b", "a b"),
        ("\ufeffJudul", "Judul"),
        ("satu\tdua\t\ttiga", "satu dua tiga"),
        ("baris satu\nbaris dua\r\n", "baris satu baris dua"),
        ("  banyak     spasi  ", "banyak spasi"),
        ("\u00a0", ""),
        ("", ""),
    ],
)
def test_normalize_whitespace(text: str, expected: str) -> None:
    assert normalize_whitespace(text) == expected


def test_trim_span_moves_offsets_past_blanks_and_zero_width() -> None:
    text = "\u00a0 \u200bIsi paragraf.\t\n"
    start, end = trim_span(text, 0, len(text))
    assert text[start:end] == "Isi paragraf."


def test_trim_span_of_blank_text_is_empty() -> None:
    start, end = trim_span("ab \u00a0\t cd", 2, 6)
    assert start == end


def test_is_blank_char() -> None:
    assert is_blank_char("\u00a0")
    assert is_blank_char("\u200b")
    assert not is_blank_char("x")


@pytest.mark.parametrize(
    "line",
    [
        "Baca Juga: Diduga Grogi, Mobil Avanza Tercebur ke Rawa Tepi Jalan Ogan Ilir",
        "BACA JUGA: Jadwal Acara TV Hari Ini",
        "Baca juga - Harga Cabai Turun",
        "Lihat Juga: Video Banjir",
        "Tags",
        "Tag:",
        "Terkini",
        "Terpopuler",
        "Terkait",
        "Artikel Pilihan",
        "Kabar Daerah",
        "FOLLOW US",
        "Berita Terkait",
        "• News",
        "» Internasional",
        "Home > News > Dunia",
        "Tuliskan Komentar anda dari account Facebook",
        "Cek Berita dan Artikel yang lain di Google News",
        "Ikuti berita terkini dari Kabar Kota di WhatsApp Channel",
        "x",
        "X",
        "***",
        "* * *",
        "-----",
        "Sumber:",
        "Editor :",
        "Advertisement",
        "Bagikan",
        "  Terpopuler\u00a0 ",
    ],
)
def test_boilerplate_lines(line: str) -> None:
    assert is_boilerplate_line(line)


@pytest.mark.parametrize(
    "line",
    [
        "",
        # Starts like a section heading but is a paragraph (seed 001).
        "Terkait perkembangan terkini di Kazakhstan, Amerika Serikat mengatakan sedang memantau.",
        "Tags yang dipakai warganet ramai dibicarakan sejak Senin.",
        "Berita itu menyebar lewat Google News dan media sosial lainnya.",
        "Baca juga " + "kata " * 40,  # too long for a cross-link
        "Sumber: Reuters",  # a credit line: metadata, not chrome
        "Editor: Adi Ramadhan",
        "Ilustarasi kerusuhan di Kazakhstan. /Pexels/Maurício Mascaro",
        "x-ray",
        "AS",
        "News",
    ],
)
def test_content_lines(line: str) -> None:
    assert not is_boilerplate_line(line)


def test_section_end_only_for_closing_sections() -> None:
    assert is_section_end("Tags")
    assert is_section_end("Terpopuler:")
    assert is_section_end("FOLLOW US")
    assert not is_section_end("Baca Juga: Harga Cabai Turun")
    assert not is_section_end("Advertisement")
    assert not is_section_end("Terkait perkembangan terkini di Kazakhstan.")


@pytest.mark.parametrize(
    ("text", "kept", "credits"),
    [
        ("Soviet yang terdiri dari Rusia juga.***", "Soviet yang terdiri dari Rusia juga.", ()),
        ("pada hari Kamis.(AA)", "pada hari Kamis.", ("AA",)),
        ("menurut laporan Russian Today. (sal)", "menurut laporan Russian Today.", ("sal",)),
        ('"kata dia." (ant/rdn) ***', '"kata dia."', ("ant/rdn",)),
        ("Akhir cerita. (AFP) (sal)", "Akhir cerita.", ("AFP", "sal")),
        ("(AA)", "", ("AA",)),
        # Not credits: an acronym mid-sentence, a date, a caption credit, plain text.
        ("Organisasi Perjanjian Keamanan Kolektif (CSTO)", None, ()),
        ("Terjadi pada Rabu (5/1/2022).", None, ()),
        ("Pasukan dikerahkan. (foto: odkb-csto.org)", None, ()),
        ("Paragraf biasa.  ", "Paragraf biasa.", ()),
    ],
)
def test_split_trailing_credits(text: str, kept: str | None, credits: tuple[str, ...]) -> None:
    end, found = split_trailing_credits(text)
    assert text[:end] == (text.rstrip() if kept is None else kept)
    assert found == credits
