from __future__ import annotations

from dataclasses import FrozenInstanceError
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.articles import Article, Block, parse_article
from index.cleaning import normalize_whitespace
from index.loaders import load_file

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
SEED_IDS = [
    "000_5af2c4d53b4ab9d2",
    "001_2ab3f1254791b14d",
    "002_ad13a3f56d3b263b",
    "003_53e9011b749ad847",
    "004_94ce680aa1d7413e",
]


def seed(doc_id: str) -> Article:
    loaded = load_file(SEEDS / f"{doc_id}.txt")
    return parse_article(loaded.raw, loaded.doc_id)


def paragraphs(article: Article) -> list[str]:
    return [b.text for b in article.blocks if b.kind == "paragraph"]


def captions(article: Article) -> list[str]:
    return [b.text for b in article.blocks if b.kind == "caption"]


# --- The five seeds ----------------------------------------------------------------------------

EXPECTED: dict[str, dict[str, Any]] = {
    "000_5af2c4d53b4ab9d2": {
        "title": "Rusia Bantu Redakan Kerusuhan di Kazakhstan, AS Kecam Aksi Penembakan",
        "published": "2022-01-10T07:15:00+07:00",
        "publisher": "MEDIA PAKUAN",
        "author": None,
        "editor": "Adi Ramadhan",
        "sources": ("Reuters",),
        "category": None,
        "captions": ["Ilustarasi kerusuhan di Kazakhstan. /Pexels/Maurício Mascaro"],
        "paragraphs": 11,
        "first": (
            "Menteri Luar Negeri Amerika Serikat, Antony Blinken mengatakan bahwa Washington "
            "sedang mencari jawaban dari para pejabat Kazakhstan terkait keperluan pasukan "
            "keamanan."
        ),
        "last": (
            "Kementerian Rusia mengatakan bahwa penempatan pasukannya itu adalah tanggapan yang "
            "sah atas permintaan Kazakhstan dalam dukungan Organisasi Perjanjian Keamanan "
            "Kolektif (CSTO) yang merupakan aliansi negara-negara bekas Soviet yang terdiri dari "
            "Rusia juga."
        ),
    },
    "001_2ab3f1254791b14d": {
        "title": "Kediaman Presiden dan Balaikota Dibakar, Rusia Kirim Pasukan ke Kazakhstan",
        "published": "2022-01-08T05:06:00+07:00",
        "publisher": None,
        "author": None,
        "editor": "Hary B Koriun",
        "sources": ("AFP", "Reuters", "JPNN"),
        "category": "Internasional",
        "captions": [
            "Seorang pria berdiri di depan gedung Balai Kota Almaty yang terbakar akibat "
            "diserang massa perusuh di Kazakhstan, Kamis (6/1/2022). (REUTERS/DAILY MAIL)"
        ],
        "paragraphs": 11,
        "first": (
            '"Ini adalah serangan pada warga kami yang meminta saya untuk membantu mereka '
            'segera," katanya.'
        ),
        "last": (
            "Kedatangan cepat pasukan Rusia menunjukkan kesediaan Kremlin untuk menjaga "
            "pengaruhnya di negara bekas bagian Uni Soviet itu dengan kekuatan."
        ),
    },
    "002_ad13a3f56d3b263b": {
        "title": "AS Peringatkan Kazakhstan: Sulit Membuat Pasukan Rusia Pergi",
        "published": "2022-01-08T06:38:00+07:00",
        "publisher": None,
        "author": "Akhyar Zein",
        "editor": None,
        "sources": ("AA",),
        "category": None,
        "captions": [
            "Kontingen Pasukan Penjaga Perdamaian Kolektif CSTO dikerahkan ke Republik "
            "Kazakhstan (foto: odkb-csto.org)"
        ],
        "paragraphs": 9,
        "first": (
            "Menteri Luar Negeri AS Antony Blinken memperingatkan Kazakhstan pada hari Jumat "
            'bahwa akan memiliki waktu yang "sulit" untuk membuat pasukan Rusia yang diundang ke '
            "negara itu untuk memadamkan kerusuhan dan pergi."
        ),
        "last": (
            "Setidaknya 18 petugas keamanan tewas dalam kekerasan yang sedang berlangsung di "
            "negara itu, kementerian mengumumkan pada hari Kamis."
        ),
    },
    "003_53e9011b749ad847": {
        "title": "AS Bantah Berperan Dalam Pemberontakan Kazakhstan",
        "published": None,
        "publisher": "Radartasik.com",
        "author": None,
        "editor": None,
        "sources": (),
        "category": None,
        "captions": [],
        "paragraphs": 11,
        "first": (
            "Juru bicara Presiden Joe Biden telah membantah bahwa pemerintah AS berada di balik "
            "protes kekerasan yang telah mengguncang Kazakhstan minggu ini, mengklaim bahwa "
            '"orang Rusia" yang tidak disebutkan namanya telah salah menuduh Washington memicu '
            "keributan."
        ),
        "last": (
            "Sementara itu Presiden Vladimir Putin sedang mencari pakta keamanan dengan blok NATO "
            "yang dipimpin AS, ia secara khusus menjamin tidak ada ekspansi lebih lanjut ke timur "
            "menurut laporan Russian Today."
        ),
    },
    "004_94ce680aa1d7413e": {
        "title": "Kerusuhan Semakin Memuncak, Kazakhstan Minta Bantuan Rusia dan CSTO",
        "published": "2022-01-16T08:47:00+07:00",
        "publisher": "MEDIA PAKUAN",
        "author": None,
        "editor": "Adi Ramadhan",
        "sources": ("Aljazeera",),
        "category": None,
        "captions": ["Ilustarasi kerusuhan di Kazakhstan. /Pexels/Vitalina"],
        "paragraphs": 12,
        "first": (
            "Kerusuhan massal telah memuncak dari pengunjuk rasa di Kazakhstan dimulai dengan "
            "aksi protes damai atas harga energi, yang memaksa pihak Kazakhstan meminta bantuan "
            "militer dari Rusia dalam menjaga perdamaian di sana."
        ),
        "last": (
            "Rusia juga tidak mengetahui jelas, apakah pasukan negara-negara CSTO lainnya tetap "
            "berada di Kazakhstan atau tidak untuk menyeimbangkan keamanan di sana."
        ),
    },
}


@pytest.mark.parametrize("doc_id", SEED_IDS)
def test_seed_metadata(doc_id: str) -> None:
    article = seed(doc_id)
    expected = EXPECTED[doc_id]
    assert article.doc_id == doc_id
    assert article.title == expected["title"]
    assert article.published == expected["published"]
    assert article.publisher == expected["publisher"]
    assert article.author == expected["author"]
    assert article.editor == expected["editor"]
    assert article.sources == expected["sources"]
    assert article.category == expected["category"]


@pytest.mark.parametrize("doc_id", SEED_IDS)
def test_seed_blocks(doc_id: str) -> None:
    article = seed(doc_id)
    expected = EXPECTED[doc_id]
    assert captions(article) == expected["captions"]
    texts = paragraphs(article)
    assert len(texts) == expected["paragraphs"]
    assert texts[0] == expected["first"]
    assert texts[-1] == expected["last"]
    assert article.body == "\n\n".join(texts)


@pytest.mark.parametrize("doc_id", SEED_IDS)
def test_seed_offsets_round_trip(doc_id: str) -> None:
    article = seed(doc_id)
    assert article.blocks
    previous_end = 0
    for block in article.blocks:
        assert normalize_whitespace(article.raw[block.start : block.end]) == block.text
        assert not article.raw[block.start].isspace()
        assert not article.raw[block.end - 1].isspace()
        assert block.start >= previous_end  # reading order, no overlap
        previous_end = block.end


FORBIDDEN = [
    "Baca Juga",
    "Terpopuler",
    "FOLLOW US",
    "Tags",
    "Editor:",
    "Sumber:",
    "Google News",
    "Tuliskan Komentar",
    "WIB",
    "***",
]


@pytest.mark.parametrize("doc_id", SEED_IDS)
def test_seed_blocks_hold_no_boilerplate(doc_id: str) -> None:
    article = seed(doc_id)
    for block in article.blocks:
        for marker in FORBIDDEN:
            assert marker not in block.text, (marker, block.text)
        assert block.text.strip().lower() != "x"
        assert block.text != article.title
        assert block.text != "• News"


def test_seed_000_drops_the_alt_text_repeated_before_the_caption() -> None:
    article = seed("000_5af2c4d53b4ab9d2")
    assert "Ilustarasi kerusuhan di Kazakhstan." not in [b.text for b in article.blocks]


def test_seed_000_dateline_is_cut_from_the_span_not_the_text() -> None:
    article = seed("000_5af2c4d53b4ab9d2")
    first = next(b for b in article.blocks if b.kind == "paragraph")
    assert article.raw[first.start - len("MEDIA PAKUAN - ") : first.start] == "MEDIA PAKUAN - "


def test_seed_002_caption_follows_the_title_on_the_same_line() -> None:
    article = seed("002_ad13a3f56d3b263b")
    caption = article.blocks[0]
    assert caption.kind == "caption"
    line_start = article.raw.rfind("\n", 0, caption.start) + 1
    assert article.raw[line_start : caption.start].strip() == article.title


def test_seed_002_and_003_trailing_credits_are_cut() -> None:
    last_002 = seed("002_ad13a3f56d3b263b").blocks[-1]
    assert last_002.text.endswith("pada hari Kamis.")
    last_003 = seed("003_53e9011b749ad847").blocks[-1]
    assert last_003.text.endswith("Russian Today.")


def test_seed_003_paragraph_indented_with_nbsp() -> None:
    article = seed("003_53e9011b749ad847")
    assert paragraphs(article)[2].startswith("Jen Psaki menambahkan: “Ada beberapa klaim gila")


def test_seed_001_paragraph_starting_with_a_section_word_is_kept() -> None:
    texts = paragraphs(seed("001_2ab3f1254791b14d"))
    assert any(t.startswith("Terkait perkembangan terkini di Kazakhstan") for t in texts)


# --- Other outlets and formats -----------------------------------------------------------------


def test_front_matter_is_metadata_not_a_block() -> None:
    raw = """---
title: "Banjir Jakarta Surut"
published: 2022-01-10T07:15:00+07:00
publisher: Kabar Kota
author: Siti Aminah
editor: Budi
category: Metropolitan
sources: [ANTARA, reuters]
---

# Banjir Jakarta Surut

Banjir di Jakarta mulai surut pada Senin pagi.
"""
    article = parse_article(raw, "banjir")
    assert article.title == "Banjir Jakarta Surut"
    assert article.published == "2022-01-10T07:15:00+07:00"
    assert article.publisher == "Kabar Kota"
    assert article.author == "Siti Aminah"
    assert article.editor == "Budi"
    assert article.category == "Metropolitan"
    assert article.sources == ("ANTARA", "Reuters")
    assert [b.text for b in article.blocks] == ["Banjir di Jakarta mulai surut pada Senin pagi."]


def test_front_matter_yaml_list_and_date_only() -> None:
    raw = "---\ntitle: Judul Berita\ndate: 2022-01-10\nsources:\n  - AFP\n  - AP\n---\nIsi.\n"
    article = parse_article(raw, "d")
    assert (article.title, article.published, article.sources) == (
        "Judul Berita",
        "2022-01-10",
        ("AFP", "AP"),
    )
    assert article.body == "Isi."


def test_a_horizontal_rule_is_not_front_matter() -> None:
    article = parse_article("---\nJudul Berita\n\nIsi paragraf.\n---\n", "d")
    assert (article.title, article.body) == ("Judul Berita", "Isi paragraf.")


def test_byline_with_author_label_and_wita() -> None:
    raw = (
        "Harga Beras Naik\n"
        "Oleh: Budi Santoso | Senin, 10 Jan 2022 pukul 07.15 WITA\n\n"
        "MAKASSAR - Harga beras naik 10 persen.\n"
    )
    article = parse_article(raw, "beras")
    assert article.author == "Budi Santoso"
    assert article.published == "2022-01-10T07:15:00+08:00"
    assert article.publisher is None  # MAKASSAR is a city
    assert article.body == "Harga beras naik 10 persen."


def test_byline_with_oleh_without_colon() -> None:
    raw = "Judul Berita Ini\nOleh Akhyar Zein - Sabtu, 08/01/2022 06:38 WIB\n\nIsi berita.\n"
    article = parse_article(raw, "d")
    assert (article.author, article.published) == ("Akhyar Zein", "2022-01-08T06:38:00+07:00")


def test_lead_starting_with_the_title_words_is_a_paragraph() -> None:
    raw = "Banjir Jakarta Surut\n\nBanjir Jakarta surut pada Senin pagi setelah hujan.\n"
    article = parse_article(raw, "d")
    assert [(b.kind, b.text) for b in article.blocks] == [
        ("paragraph", "Banjir Jakarta surut pada Senin pagi setelah hujan.")
    ]


def test_all_caps_title_followed_by_its_date_is_the_title() -> None:
    article = parse_article("BANJIR MELANDA JAKARTA\n10 Januari 2022\n\nIsi.\n", "d")
    assert (article.title, article.category, article.published) == (
        "BANJIR MELANDA JAKARTA",
        None,
        "2022-01-10",
    )


def test_byline_with_outlet_domain() -> None:
    raw = "Judul Berita Ini\nKompas.com - 10/01/2022, 07:15 WIB\n\nIsi berita.\n"
    article = parse_article(raw, "d")
    assert article.publisher == "Kompas.com"
    assert article.published == "2022-01-10T07:15:00+07:00"


def test_rubric_with_two_capitalised_words_is_not_an_author() -> None:
    raw = "Judul Berita Ini\nLuar Negeri | 10 Januari 2022\n\nIsi berita.\n"
    article = parse_article(raw, "d")
    assert (article.author, article.category) == (None, "Luar Negeri")


@pytest.mark.parametrize(
    ("opening", "publisher", "sources"),
    [
        ("JAKARTA, KOMPAS.com - ", "KOMPAS.com", ()),
        ("JAKARTA (Reuters) -- ", None, ("Reuters",)),
        ("Jakarta, CNN Indonesia -- ", "CNN Indonesia", ()),
        ("TEMPO.CO, Jakarta - ", "TEMPO.CO", ()),
        ("Radartasik.com, ", "Radartasik.com", ()),
        ("BANDUNG - ", None, ()),
    ],
)
def test_datelines(opening: str, publisher: str | None, sources: tuple[str, ...]) -> None:
    raw = f"Judul Berita Ini\n\n{opening}Harga beras naik.\n\nParagraf kedua.\n"
    article = parse_article(raw, "d")
    assert article.publisher == publisher
    assert article.sources == sources
    first = article.blocks[0]
    assert first.text == "Harga beras naik."
    assert raw[: first.start].endswith(opening)


def test_a_sentence_with_a_dash_is_not_a_dateline() -> None:
    raw = "Judul Berita Ini\n\nPresiden Joko Widodo - yang baru tiba - langsung rapat.\n"
    article = parse_article(raw, "d")
    assert article.body == "Presiden Joko Widodo - yang baru tiba - langsung rapat."
    assert article.publisher is None


def test_date_in_the_body_is_not_the_publication_date() -> None:
    raw = "Judul Berita Ini\n\nPada Sabtu, 15 Januari 2022, warga berkumpul di alun-alun kota.\n"
    assert parse_article(raw, "d").published is None


def test_body_caption_and_footer_section() -> None:
    raw = (
        "Judul Berita Ini\n\n"
        "Paragraf satu.\n\n"
        "Foto: Pedagang beras di Pasar Induk, Senin (10/1/2022).\n\n"
        "Paragraf dua. (AFP/Reuters)\n\n"
        "Berita Terkait\n\n"
        "Harga Cabai Turun Drastis\n\n"
        "Editor: Siti\n"
    )
    article = parse_article(raw, "d")
    assert [(b.kind, b.text) for b in article.blocks] == [
        ("paragraph", "Paragraf satu."),
        ("caption", "Foto: Pedagang beras di Pasar Induk, Senin (10/1/2022)."),
        ("paragraph", "Paragraf dua."),
    ]
    assert article.sources == ("AFP", "Reuters")
    assert article.editor == "Siti"


def test_credit_line_with_several_labels() -> None:
    raw = "Judul Berita Ini\n\nIsi.\n\nPenulis: Ani Lestari | Editor: Budi Hartono\n"
    article = parse_article(raw, "d")
    assert (article.author, article.editor) == ("Ani Lestari", "Budi Hartono")


def test_hard_wrapped_paragraph_is_one_block() -> None:
    raw = "Judul Berita Ini\n\nBanjir di Jakarta mulai surut\npada Senin pagi.\nWarga pulang.\n"
    article = parse_article(raw, "d")
    assert paragraphs(article) == [
        "Banjir di Jakarta mulai surut pada Senin pagi.",
        "Warga pulang.",
    ]
    first = article.blocks[0]
    assert article.raw[first.start : first.end] == "Banjir di Jakarta mulai surut\npada Senin pagi."


def test_markdown_heading_and_image() -> None:
    raw = (
        "# Judul Berita Ini\n\nIsi.\n\n## Latar\n\nLanjutan.\n\n"
        "![Warga membersihkan rumah](a.jpg)\n"
    )
    article = parse_article(raw, "d")
    assert article.title == "Judul Berita Ini"
    assert [(b.kind, b.text) for b in article.blocks] == [
        ("paragraph", "Isi."),
        ("paragraph", "Latar"),
        ("paragraph", "Lanjutan."),
        ("caption", "Warga membersihkan rumah"),
    ]


def test_date_above_the_title() -> None:
    article = parse_article("Senin, 10 Januari 2022\n\nJudul Berita Ini\n\nIsi.\n", "d")
    assert (article.title, article.published, article.body) == (
        "Judul Berita Ini",
        "2022-01-10",
        "Isi.",
    )


def test_text_without_a_title_line_is_titled_by_doc_id() -> None:
    long_paragraph = "Kalimat yang cukup panjang untuk sebuah paragraf berita. " * 8
    article = parse_article(long_paragraph + "\n", "catatan-01")
    assert article.title == "catatan-01"
    assert article.body == normalize_whitespace(long_paragraph)


def test_all_boilerplate_gives_no_blocks() -> None:
    article = parse_article("Judul Saja\n\nTags\n\nTerpopuler\n\nx", "d")
    assert article.title == "Judul Saja"
    assert article.blocks == ()
    assert article.body == ""


def test_block_validation_and_frozen() -> None:
    with pytest.raises(ValueError, match="start < end"):
        Block(kind="paragraph", start=5, end=5, text="")
    with pytest.raises(ValueError, match="kind"):
        Block(kind="table", start=0, end=1, text="x")  # type: ignore[arg-type]
    block = Block(kind="caption", start=0, end=1, text="x")
    with pytest.raises(FrozenInstanceError):
        block.start = 3  # type: ignore[misc]


# Pieces of real pages, so random texts exercise the header, caption and credit rules.
_PIECES = st.sampled_from(
    [
        "\n",
        "\n\n",
        " ",
        "\u00a0",
        "\u200b",
        "\t",
        "Judul Berita Panjang Sekali",
        "KAZAKHSTAN RUSUH",
        "Akhyar Zein | Sabtu, 08/01/2022 06:38 WIB",
        "- 10 Januari 2022, 07:15 WIB",
        "MEDIA PAKUAN - ",
        "Radartasik.com, ",
        "Isi paragraf.",
        "kalimat tanpa titik",
        " /Pexels/Vitalina",
        "(foto: odkb-csto.org)",
        "(REUTERS/DAILY MAIL)",
        "Baca Juga: Lain",
        "Editor: Adi",
        "Sumber: AFP/Reuters",
        "Tags",
        "x",
        "***",
        "(AA)",
        "(sal)",
        "---",
        "title: Judul",
        "# ",
        "![alt](a.jpg)",
    ]
)


@settings(max_examples=300, deadline=None, database=None)
@given(st.lists(st.one_of(_PIECES, st.text(max_size=8)), max_size=40))
def test_any_text_gives_blocks_that_round_trip(pieces: list[str]) -> None:
    raw = "".join(pieces)
    article = parse_article(raw, "acak")
    assert article.title
    previous_end = 0
    for block in article.blocks:
        assert block.text
        assert normalize_whitespace(raw[block.start : block.end]) == block.text
        assert not raw[block.start].isspace() and not raw[block.end - 1].isspace()
        assert block.start >= previous_end
        previous_end = block.end
