"""Bad corpus files in one ingest batch: each is skipped with a named reason, decoded with a
warning, or ingested once, and the good files of the batch are indexed all the same.

test_ingest.py covers missing, empty, NUL-byte binary, latin-1 and .pdf files and duplicates
one at a time; this file mixes every kind in a single folder, and checks that nothing of an
HTML page's scripts, styles or event handlers reaches the stores.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from index.ingest import IngestReport, Skipped, ingest
from index.loaders import LEGACY_ENCODING_WARNING
from index.stores import Stores
from tests.index.test_ingest import (
    BANJIR,
    CABAI,
    KERETA,
    analyze,
    as_dict,
    assert_consistent,
    bm25_top,
    chunk_ids_of,
    report_of,
    settings,
)

SECRET = "kodeRahasiaSkrip"  # text that only the page's scripts and styles contain
HTML_PAGE = f"""<!DOCTYPE html>
<html><head>
<title>Gempa Guncang Cianjur - Situs Berita</title>
<script>var token = "{SECRET}"; document.write("{SECRET}");</script>
<script src="https://tracker.example/t.js"></script>
<style>body {{ background: url("{SECRET}.png") }}</style>
</head>
<body onload="alert('{SECRET}')">
<nav><a href="/">Beranda</a> <a href="/news">News</a></nav>
<article>
  <h1>Gempa Magnitudo 5,6 Guncang Cianjur</h1>
  <p>Dewi Lestari | Kamis, 06/01/2022 11:00 WIB</p>
  <p onclick="steal('{SECRET}')">CIANJUR - Gempa bermagnitudo 5,6 mengguncang Kabupaten
     Cianjur pada Kamis pagi dan merusak 318 rumah warga di tiga kecamatan.</p>
  <script>console.log("{SECRET}")</script>
  <p>BPBD mendirikan tenda darurat bagi 740 pengungsi di lapangan desa.</p>
  <noscript>Aktifkan JavaScript {SECRET}</noscript>
  <p>Seorang warga menulis &lt;script&gt;alert(1)&lt;/script&gt; di papan posko.</p>
</article>
<iframe src="https://ads.example/{SECRET}"></iframe>
<footer>Hak cipta</footer>
</body></html>
"""
CP1252_ARTICLE = """Harga Kopi Gayo Naik di Takengon

Putri Ananda | Jumat, 07/01/2022 09:00 WIB

TAKENGON – Harga kopi arabika Gayo di tingkat petani naik menjadi Rp 85.000 per kilogram, \
kata “Pak Müller”, pembeli dari Jerman.

Petani di Bener Meriah menyebut panen turun karena hujan.
"""

UTF16_ARTICLE = """Pelabuhan Tanjung Priok Perpanjang Jam Layanan

Agus Salim | Senin, 10/01/2022 07:45 WIB

JAKARTA - Pelabuhan Tanjung Priok memperpanjang jam layanan peti kemas hingga pukul 23.00.

Pengelola menyebut antrean truk berkurang separuh dalam sepekan.
"""


@dataclass(frozen=True)
class Batch:
    folder: Path
    stores: Stores
    report: IngestReport


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Batch]:
    """Two good articles ingested first, then one folder holding every kind of bad file."""
    root = tmp_path_factory.mktemp("bad_files")
    stores = Stores.open(settings(root / "data"))
    first = root / "first"
    first.mkdir()
    (first / "banjir.txt").write_text(BANJIR, encoding="utf-8")
    ingest(stores, [first])

    folder = root / "batch"
    folder.mkdir()
    files: dict[str, bytes] = {
        "cabai.txt": CABAI.encode(),  # good
        "kosong.txt": b"",
        "spasi.md": " \n\t\r\n\u00a0\n".encode(),
        "gambar.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20,
        "acak.md": bytes(range(1, 9)) * 64,  # binary without NUL bytes
        "kereta.txt": KERETA.encode("latin-1"),
        "kopi.txt": CP1252_ARTICLE.encode("cp1252"),
        "unicode.txt": UTF16_ARTICLE.encode("utf-16"),
        "gempa.html": HTML_PAGE.encode(),
        "skrip.htm": f"<html><script>{SECRET}</script><nav>Menu</nav></html>".encode(),
        "salinan-banjir.txt": BANJIR.encode(),  # a copy of an article already ingested
        "zz-salinan-cabai.md": CABAI.encode(),  # a copy of an article in this batch
        "laporan.pdf": b"%PDF-1.4",  # not an article type: ignored inside a folder
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    report = ingest(stores, [folder])
    yield Batch(folder, stores, report)
    stores.close()
    shutil.rmtree(root, ignore_errors=True)


def test_each_bad_file_gets_its_reason_and_the_rest_is_ingested(batch: Batch) -> None:
    f = batch.folder
    assert as_dict(batch.report) == report_of(
        added=("cabai", "gempa", "kereta", "kopi", "unicode"),
        skipped=(
            Skipped(
                str(f / "acak.md"),
                "looks like a binary file (mostly control characters), not text.",
            ),
            Skipped(
                str(f / "gambar.txt"), "looks like a binary file (it contains NUL bytes), not text."
            ),
            Skipped(str(f / "kosong.txt"), "file is empty."),
            Skipped(str(f / "salinan-banjir.txt"), "duplicate of the already ingested banjir"),
            Skipped(
                str(f / "skrip.htm"),
                "HTML has no readable text once scripts, styles and menus are removed.",
            ),
            Skipped(str(f / "spasi.md"), "contains only whitespace."),
            Skipped(str(f / "zz-salinan-cabai.md"), "duplicate of the already ingested cabai"),
        ),
        warnings=(
            f"{f / 'kereta.txt'}: {LEGACY_ENCODING_WARNING}",
            f"{f / 'kopi.txt'}: {LEGACY_ENCODING_WARNING}",
        ),
        embedded_chunks=5,
    )
    docs = [d.doc_id for d in batch.stores.docstore.documents()]
    assert sorted(docs) == ["banjir", "cabai", "gempa", "kereta", "kopi", "unicode"]
    assert_consistent(batch.stores)


@pytest.mark.parametrize(
    ("doc_id", "expected"),
    [
        ("kereta", "André Wijaya"),
        ("kopi", "TAKENGON – Harga kopi arabika Gayo"),
        ("kopi", "“Pak Müller”"),
        ("unicode", "Pelabuhan Tanjung Priok memperpanjang jam layanan"),
    ],
)
def test_legacy_encodings_are_decoded_not_mangled(batch: Batch, doc_id: str, expected: str) -> None:
    doc = batch.stores.docstore.document(doc_id)
    assert doc is not None
    assert expected in doc.raw
    assert "\ufffd" not in doc.raw and "Ã" not in doc.raw


def test_a_duplicate_is_indexed_once(batch: Batch) -> None:
    hits = batch.stores.lexical.query(analyze("Sungai Garang meluap"), k=10)
    assert {h.chunk_id for h in hits} == chunk_ids_of(batch.stores, "banjir")
    texts = [d.raw for d in batch.stores.docstore.documents()]
    assert sum("Sungai Garang" in t for t in texts) == 1
    assert bm25_top(batch.stores, "cabai rawit Bandung") in chunk_ids_of(batch.stores, "cabai")


def test_html_keeps_the_story_and_drops_scripts_styles_and_handlers(batch: Batch) -> None:
    doc = batch.stores.docstore.document("gempa")
    assert doc is not None
    assert doc.title == "Gempa Magnitudo 5,6 Guncang Cianjur"
    assert doc.published is not None and doc.published.startswith("2022-01-06")
    assert "merusak 318 rumah warga" in doc.raw
    assert "740 pengungsi" in doc.raw
    # What the page showed as text is kept as text: the escaped tag is data, not markup.
    assert "menulis <script>alert(1)</script> di papan posko" in doc.raw
    for dropped in (SECRET, "tracker.example", "ads.example", "onclick", "Beranda", "Hak cipta"):
        assert dropped not in doc.raw
    chunks = batch.stores.docstore.chunks_of("gempa")
    assert chunks and all(SECRET not in c.text for c in chunks)


def test_script_text_is_not_searchable(batch: Batch) -> None:
    assert batch.stores.lexical.query(analyze(SECRET), k=5) == []
    secret = SECRET.lower()
    tokens = [t for _, chunk_tokens in batch.stores.docstore.iter_tokens() for t in chunk_tokens]
    assert tokens and not any(secret in t for t in tokens)
