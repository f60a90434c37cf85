"""A question that names an outlet or a report's date (rag/scope.py)."""

from __future__ import annotations

from datetime import date

import pytest

from index import DocumentRecord
from rag.filters import Filters
from rag.question import Question
from rag.scope import QuestionScope, find_scope


def doc(doc_id: str, publisher: str | None, published: str | None) -> DocumentRecord:
    return DocumentRecord(
        doc_id, "", "T", published, publisher, None, None, (), None, (), "p", "s", "c"
    )


DOCS = [
    doc("pakuan-10", "MEDIA PAKUAN", "2022-01-10T07:15:00+07:00"),
    doc("riau-8a", None, "2022-01-08T05:06:00+07:00"),
    doc("riau-8b", None, "2022-01-08T06:38:00+07:00"),
    doc("radar", "Radartasik.com", None),
    doc("pakuan-16", "MEDIA PAKUAN", "2022-01-16T08:47:00+07:00"),
]
PAKUAN = ("pakuan-10", "pakuan-16")


@pytest.mark.parametrize(
    ("question", "text", "doc_ids"),
    [
        (
            "Siapa yang memimpin pasukan keamanan menurut Media Pakuan?",
            "Siapa yang memimpin pasukan keamanan?",
            PAKUAN,
        ),
        (
            "Menurut media pakuan, pasukan Rusia datang untuk menjaga apa?",
            "Pasukan Rusia datang untuk menjaga apa?",
            PAKUAN,
        ),
        (
            "Foto ilustrasi di dua artikel Media Pakuan itu karya siapa saja?",
            "Foto ilustrasi karya siapa saja?",
            PAKUAN,
        ),
        ("Di berita Radartasik, siapa yang membantah?", "Siapa yang membantah?", ("radar",)),
        (
            "What did the Radartasik article say about Psaki?",
            "What did say about Psaki?",
            ("radar",),
        ),
        (
            "Menurut laporan 8 Januari, AS meragukan apa?",
            "AS meragukan apa?",
            ("riau-8a", "riau-8b"),
        ),
        (
            "According to the January 16 report, who spoke for the health ministry?",
            "Who spoke for the health ministry?",
            ("pakuan-16",),
        ),
        (
            "Menurut artikel tanggal 10 Januari 2022, apa yang dikecam Blinken?",
            "Apa yang dikecam Blinken?",
            ("pakuan-10",),
        ),
        (  # an outlet and a date: the articles that match both
            "Menurut laporan Media Pakuan 16 Januari, berapa jenazah?",
            "Berapa jenazah?",
            ("pakuan-16",),
        ),
    ],
)
def test_a_named_outlet_or_report_date_scopes_the_search(
    question: str, text: str, doc_ids: tuple[str, ...]
) -> None:
    scope = find_scope(question, DOCS)
    assert scope is not None
    assert (scope.text, scope.doc_ids) == (text, doc_ids)


def test_the_scope_names_the_outlets_and_the_days() -> None:
    scope = find_scope("Menurut Media Pakuan, siapa juru bicara kementerian kesehatan?", DOCS)
    assert scope is not None and (scope.outlets, scope.days) == (("MEDIA PAKUAN",), ())
    scope = find_scope("In the 8 January article, who warned Kazakhstan?", DOCS)
    assert scope is not None and (scope.outlets, scope.days) == ((), (date(2022, 1, 8),))


@pytest.mark.parametrize(
    "question",
    [
        "Apa yang terjadi pada 5 Januari?",  # a day, not a report's
        "What happened on 8 January?",
        "Menurut laporan 9 Januari, siapa yang berbicara?",  # no article that day
        "Apa kata Reuters?",  # a wire service, not an indexed outlet
        "Menurut laporan Radartasik 16 Januari, siapa?",  # no article matches both
        "Menurut Media Pakuan?",  # nothing left to ask
        "What did Radartasik.com report about Psaki?",  # the outlet as the subject
        "Ilustrasi kerusuhan. MEDIA PAKUAN - Kerusuhan massal memuncak.",  # a pasted dateline
    ],
)
def test_no_scope_without_a_source_the_corpus_holds(question: str) -> None:
    assert find_scope(question, DOCS) is None


def test_the_stage_gives_the_search_text_filters_and_a_notice() -> None:
    stage = QuestionScope(lambda: DOCS)
    asked = "According to the January 16 report, who spoke for the health ministry?"
    question, filters = stage.run(Question(asked, asked, "en", asked), None)
    assert question.standalone == asked  # what the model reads
    assert question.searched == "Who spoke for the health ministry?"
    assert filters == Filters(doc_ids=("pakuan-16",))
    assert question.notices == (
        "Searched only the articles the question names: published 16 January 2022.",
    )
    given = Filters(doc_ids=("radar",))
    assert stage.run(Question(asked, asked, "en", asked), given) == (
        Question(asked, asked, "en", asked),
        given,
    )


TITLED = [
    DocumentRecord(doc_id, "", title, None, None, None, None, (), None, (), "p", "s", "c")
    for doc_id, title in [
        ("warns", "AS Peringatkan Kazakhstan: Sulit Membuat Pasukan Rusia Pergi"),
        ("burned", "Kediaman Presiden dan Balaikota Dibakar, Rusia Kirim Pasukan ke Kazakhstan"),
    ]
]


@pytest.mark.parametrize(
    ("question", "text", "doc_id"),
    [
        (
            "Apa yang menjadi pemicu protes menurut artikel AS Peringatkan Kazakhstan?",
            "Apa yang menjadi pemicu protes?",
            "warns",
        ),
        (
            "In the article titled 'Sulit Membuat Pasukan Rusia Pergi', who warned Kazakhstan?",
            "Who warned Kazakhstan?",
            "warns",
        ),
        (
            'Di berita "Kediaman Presiden dan Balaikota Dibakar", siapa juru bicara Rusia?',
            "Siapa juru bicara Rusia?",
            "burned",
        ),
    ],
)
def test_a_title_named_after_a_report_word_scopes_the_search(
    question: str, text: str, doc_id: str
) -> None:
    scope = find_scope(question, TITLED)
    assert scope is not None
    assert (scope.text, scope.doc_ids) == (text, (doc_id,))
    assert scope.titles == tuple(d.title for d in TITLED if d.doc_id == doc_id)


@pytest.mark.parametrize(
    "question",
    [
        "Kapan Rusia kirim pasukan ke Kazakhstan?",  # the title's words, not named as a title
        "Menurut artikel Rusia Kirim, berapa pasukan?",  # two words in a row are not enough
    ],
)
def test_title_words_alone_do_not_scope(question: str) -> None:
    assert find_scope(question, TITLED) is None
