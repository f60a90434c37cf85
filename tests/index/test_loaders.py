from __future__ import annotations

import hashlib
import pickle
from pathlib import Path

import pytest

from index.loaders import (
    LEGACY_ENCODING_WARNING,
    MAX_FILE_BYTES,
    SUPPORTED_SUFFIXES,
    LoadedFile,
    LoadError,
    discover,
    html_to_text,
    load_file,
)

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def reason_for(path: Path) -> str:
    with pytest.raises(LoadError) as caught:
        load_file(path)
    assert caught.value.path == path
    assert str(caught.value) == f"{path}: {caught.value.reason}"
    return caught.value.reason


def test_supported_suffixes() -> None:
    assert frozenset({".txt", ".md", ".markdown", ".html", ".htm"}) == SUPPORTED_SUFFIXES


def test_loads_a_seed() -> None:
    path = SEEDS / "000_5af2c4d53b4ab9d2.txt"
    loaded = load_file(path)
    assert loaded.path == path
    assert loaded.doc_id == "000_5af2c4d53b4ab9d2"
    assert loaded.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert loaded.warnings == ()
    assert loaded.raw.startswith("Rusia Bantu Redakan Kerusuhan di Kazakhstan")
    assert "Maurício Mascaro" in loaded.raw


def test_utf8_file(tmp_path: Path) -> None:
    path = write(tmp_path / "berita.txt", "Judul\n\nIsi berita Maurício.\n".encode())
    assert load_file(path) == LoadedFile(
        path=path,
        doc_id="berita",
        raw="Judul\n\nIsi berita Maurício.\n",
        sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
        warnings=(),
    )


def test_empty_file(tmp_path: Path) -> None:
    assert reason_for(write(tmp_path / "kosong.txt", b"")) == "file is empty."


def test_whitespace_only_file(tmp_path: Path) -> None:
    path = write(tmp_path / "spasi.md", " \n\t\r\n\u00a0\n".encode())
    assert reason_for(path) == "contains only whitespace."


def test_binary_file_with_nul_bytes(tmp_path: Path) -> None:
    path = write(tmp_path / "gambar.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert "binary" in reason_for(path)


def test_binary_file_of_control_characters(tmp_path: Path) -> None:
    path = write(tmp_path / "data.txt", bytes(range(1, 9)) * 50 + b"teks")
    assert "binary" in reason_for(path)


def test_latin1_file_is_decoded_with_a_warning(tmp_path: Path) -> None:
    text = "Maurício Mascaro – «Pexels»\r\nJosé"
    path = write(tmp_path / "lama.txt", text.encode("cp1252"))
    loaded = load_file(path)
    assert loaded.raw == "Maurício Mascaro – «Pexels»\nJosé"
    assert loaded.warnings == (LEGACY_ENCODING_WARNING,)
    assert LEGACY_ENCODING_WARNING == "decoded as cp1252/latin-1, not UTF-8"


def test_bytes_undefined_in_cp1252_fall_back_to_latin1(tmp_path: Path) -> None:
    path = write(tmp_path / "lama.txt", b"Caf\xe9 \x81ok")
    loaded = load_file(path)
    assert loaded.raw == "Café \x81ok"
    assert loaded.warnings == (LEGACY_ENCODING_WARNING,)


def test_utf8_bom_is_stripped(tmp_path: Path) -> None:
    path = write(tmp_path / "bom.txt", b"\xef\xbb\xbfJudul\nIsi")
    loaded = load_file(path)
    assert loaded.raw == "Judul\nIsi"
    assert loaded.warnings == ()


def test_utf16_with_bom_is_text(tmp_path: Path) -> None:
    path = write(tmp_path / "unicode.txt", "Judul\r\nIsi berita".encode("utf-16"))
    assert load_file(path).raw == "Judul\nIsi berita"


def test_line_endings_become_newlines(tmp_path: Path) -> None:
    path = write(tmp_path / "crlf.txt", b"Judul\r\n\r\nParagraf satu.\rParagraf dua.\r\n")
    assert load_file(path).raw == "Judul\n\nParagraf satu.\nParagraf dua.\n"


def test_html_drops_scripts_and_page_furniture(tmp_path: Path) -> None:
    html = """<!DOCTYPE html>
<html><head><title>Judul - Situs</title><style>p { color: red }</style></head>
<body>
  <header><a href="/">Situs Berita</a></header>
  <nav><a>Home</a> <a>News</a></nav>
  <article>
    <h1>Judul   Berita</h1>
    <p>Paragraf <b>pertama</b>
       berlanjut.</p>
    <script>var iklan = "jangan tampil";</script>
    <p>Baris satu<br>baris dua</p>
    <figure><img src="a.jpg"><figcaption>Foto: Warga (ANTARA)</figcaption></figure>
    <!-- komentar tersembunyi -->
  </article>
  <aside>Terpopuler</aside>
  <form><input name="q"><button>Cari</button></form>
  <footer>Hak cipta</footer>
  <noscript>Aktifkan JavaScript</noscript>
</body></html>"""
    path = write(tmp_path / "halaman.html", html.encode())
    loaded = load_file(path)
    assert loaded.raw == (
        "Judul Berita\n\nParagraf pertama berlanjut.\n\nBaris satu\nbaris dua\n\n"
        "Foto: Warga (ANTARA)\n"
    )
    assert loaded.doc_id == "halaman"


def test_html_keeps_the_header_of_an_article() -> None:
    html = "<header>Situs</header><article><header><h1>Judul</h1></header><p>Isi.</p></article>"
    assert html_to_text(html) == "Judul\n\nIsi.\n"


def test_html_uses_the_page_title_without_h1() -> None:
    html = "<html><head><title>Judul  Halaman</title></head><body><p>Isi.</p></body></html>"
    assert html_to_text(html) == "Judul Halaman\n\nIsi.\n"


def test_html_without_text(tmp_path: Path) -> None:
    path = write(tmp_path / "kosong.htm", b"<html><script>alert(1)</script><nav>Menu</nav></html>")
    assert reason_for(path).startswith("HTML has no readable text")


def test_missing_path(tmp_path: Path) -> None:
    assert reason_for(tmp_path / "tidak-ada.txt") == "file not found; check the path."


def test_folder_is_not_a_file(tmp_path: Path) -> None:
    assert reason_for(tmp_path) == "is a folder, not a file."


def test_unsupported_suffix(tmp_path: Path) -> None:
    path = write(tmp_path / "laporan.pdf", b"%PDF-1.4")
    assert reason_for(path) == (
        "unsupported file type '.pdf'; supported types are .htm, .html, .markdown, .md, .txt."
    )


def test_suffix_case_does_not_matter(tmp_path: Path) -> None:
    path = write(tmp_path / "BERITA.TXT", b"Judul\nIsi")
    assert load_file(path).doc_id == "BERITA"


def test_too_large(tmp_path: Path) -> None:
    path = write(tmp_path / "besar.txt", b"a" * (MAX_FILE_BYTES + 1))
    assert reason_for(path) == (
        "file is too large (5.0 MB; the limit is 5 MB). Split it into one file per article."
    )


def test_load_error_pickles() -> None:
    err = LoadError(Path("a.txt"), "file is empty.")
    copy = pickle.loads(pickle.dumps(err))
    assert (copy.path, copy.reason, str(copy)) == (err.path, err.reason, "a.txt: file is empty.")


def test_discover_expands_folders(tmp_path: Path) -> None:
    root = tmp_path / "berita"
    write(root / "b.txt", b"b")
    write(root / "a.md", b"a")
    write(root / "sub" / "c.html", b"<p>c</p>")
    write(root / "sub" / "d.markdown", b"d")
    write(root / "sub" / "e.HTM", b"<p>e</p>")
    write(root / "catatan.pdf", b"%PDF")  # unsupported inside a folder: skipped quietly
    write(root / ".tersembunyi.txt", b"x")  # hidden file
    write(root / ".git" / "config.txt", b"x")  # inside a hidden folder
    files, errors = discover([root])
    assert errors == []
    assert files == [
        root / "a.md",
        root / "b.txt",
        root / "sub" / "c.html",
        root / "sub" / "d.markdown",
        root / "sub" / "e.HTM",
    ]


def test_discover_reports_missing_and_unsupported_and_removes_duplicates(tmp_path: Path) -> None:
    article = write(tmp_path / "satu.txt", b"satu")
    other = write(tmp_path / "lain" / "dua.txt", b"dua")
    pdf = write(tmp_path / "x.pdf", b"%PDF")
    missing = tmp_path / "hilang.txt"
    files, errors = discover(
        [article, tmp_path / "lain", missing, pdf, tmp_path / "." / "satu.txt", other]
    )
    assert files == [article, other]
    assert [(e.path, e.reason) for e in errors] == [
        (missing, "file or folder not found; check the path."),
        (
            pdf,
            "unsupported file type '.pdf'; supported types are .htm, .html, .markdown, .md, .txt.",
        ),
    ]


def test_discover_resolved_lists_real_paths_once(tmp_path: Path) -> None:
    real = tmp_path / "real"
    article = write(real / "berita" / "satu.txt", b"satu")
    other = write(real / "berita" / "dua.md", b"dua")
    outside = write(tmp_path / "luar" / "tiga.txt", b"tiga")
    (real / "berita" / "tautan.txt").symlink_to(outside)  # a linked file: its target
    (real / "berita" / "folder-tautan").symlink_to(
        tmp_path / "luar"
    )  # a linked folder: not entered
    alias = tmp_path / "alias"
    alias.symlink_to(real)
    files, errors = discover([alias / "berita", article, tmp_path / "luar"], resolve=True)
    assert errors == []
    assert files == [other.resolve(), article.resolve(), outside.resolve()]
    as_reached, _ = discover([alias / "berita"])
    assert as_reached == [alias / "berita" / n for n in ("dua.md", "satu.txt", "tautan.txt")]


def test_discover_accepts_an_explicit_hidden_file(tmp_path: Path) -> None:
    hidden = write(tmp_path / ".draft.txt", b"draft")
    assert discover([hidden]) == ([hidden], [])


def test_discover_seeds() -> None:
    files, errors = discover([SEEDS])
    assert errors == []
    assert [f.name for f in files] == sorted(p.name for p in SEEDS.glob("*.txt"))
