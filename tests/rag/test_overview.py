"""What the corpus holds, for "What is this about?"."""

from __future__ import annotations

import pytest

from index import DocumentRecord
from rag import Assistant
from rag.overview import TITLES_SHOWN, corpus_overview


def _doc(title: str, published: str | None, publisher: str | None) -> DocumentRecord:
    return DocumentRecord(
        title, "", title, published, publisher, None, None, (), None, (), "p", "s", "c"
    )


def test_the_articles_are_counted_dated_and_named_latest_first() -> None:
    docs = [
        _doc("Rusia Kirim Pasukan", "2022-01-08T05:06:00+07:00", None),
        _doc("Kerusuhan Memuncak", "2022-01-16T08:47:00+07:00", "MEDIA PAKUAN"),
        _doc("AS Bantah Berperan", None, "Radartasik.com"),
    ]
    said = corpus_overview(docs, "en")
    assert said.startswith(
        "The corpus holds 3 news articles published 8–16 January 2022 by MEDIA PAKUAN and "
        "Radartasik.com:\n- “Kerusuhan Memuncak” (MEDIA PAKUAN, 16 January 2022)\n- “Rusia "
        "Kirim Pasukan” (8 January 2022)\n- “AS Bantah Berperan” (Radartasik.com)\nAsk about"
    )
    assert corpus_overview(docs, "id").startswith(
        "Korpus berisi 3 artikel berita terbitan 8–16 Januari 2022 dari MEDIA PAKUAN dan "
        "Radartasik.com:"
    )


def test_days_in_different_months_are_given_whole() -> None:
    docs = [_doc("A", "2021-12-30T10:00:00+07:00", None), _doc("B", "2022-01-02", None)]
    assert "published 30 December 2021–2 January 2022:" in corpus_overview(docs, "en")


def test_beyond_the_latest_titles_the_rest_are_counted() -> None:
    docs = [_doc(f"Judul {i}", f"2022-01-{i + 1:02d}", None) for i in range(TITLES_SHOWN + 3)]
    said = corpus_overview(docs, "id")
    assert f"“Judul {TITLES_SHOWN + 2}”" in said and "“Judul 0”" not in said
    assert said.splitlines()[-2] == "- dan 3 lainnya"


def test_an_empty_corpus_says_how_to_fill_it() -> None:
    assert "rag ingest" in corpus_overview([], "en")
    assert "Tambah artikel" in corpus_overview([], "id")


@pytest.mark.parametrize(
    ("question", "opening"),
    [
        ("What is this about?", "The corpus holds 5 news articles"),
        ("artikel apa saja yang ada?", "Korpus berisi 5 artikel berita"),
    ],
)
def test_asked_what_the_corpus_holds_the_assistant_tells_it(
    assistant: Assistant, question: str, opening: str
) -> None:
    answer = assistant.ask(question)
    assert answer.text.startswith(opening)
    assert answer.refusal_reason == "small_talk"  # no search, no model
