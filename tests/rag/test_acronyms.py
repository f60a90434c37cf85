from rag.acronyms import (
    acronyms_in,
    expansions,
    find_acronyms,
    long_form_spans,
    with_acronym,
)
from rag.retrieval import Retriever


def test_long_form_before_the_acronym_is_found() -> None:
    text = (
        "Tokayev meminta Organisasi Perjanjian Keamanan Kolektif (CSTO) untuk membantu. "
        "Ia juga bertemu Menteri Luar Negeri (Menlu) dan kepala Badan Intelijen Negara (BIN)."
    )
    found = find_acronyms([text])
    assert found["csto"] == ("Organisasi Perjanjian Keamanan Kolektif",)
    assert found["bin"] == ("Badan Intelijen Negara",)
    # one upper-case letter: "Menlu", "Kemendagri" (and "Jokowi") are left alone
    assert "menlu" not in found


def test_acronym_before_its_long_form_and_connectors() -> None:
    found = find_acronyms(
        ["Pernyataan OSCE (Organization for Security and Co-operation in Europe) keluar."]
    )
    assert found["osce"] == ("Organization for Security and Co-operation in Europe",)


def test_not_a_definition() -> None:
    found = find_acronyms(
        [
            "Ia berkata, (AS) tidak hadir.",  # nothing capitalised right before
            "Harga naik pesat (BBM).",  # a single lower-case word before
            "Kata Tokayev, (CSTO) datang.",  # a comma in between
        ]
    )
    assert found == {}


def test_expansions_match_whole_words_in_any_case() -> None:
    acronyms = {"csto": ("Organisasi Perjanjian Keamanan Kolektif",)}
    assert expansions("Berapa pasukan csto?", acronyms) == [
        "Organisasi Perjanjian Keamanan Kolektif"
    ]
    assert expansions("Berapa pasukan CSTOX?", acronyms) == []


def test_expansions_read_an_acronym_in_a_possessive_or_before_a_hyphen() -> None:
    """As the dense side does (``acronyms_in``): "CSTO's" and "CSTO-nya" use the CSTO."""
    acronyms = {"csto": ("Organisasi Perjanjian Keamanan Kolektif",)}
    for question in ("What did the CSTO's chief say?", "Siapa pemimpin CSTO-nya?"):
        assert expansions(question, acronyms) == ["Organisasi Perjanjian Keamanan Kolektif"]


def test_retriever_query_terms_add_the_corpus_long_form(retriever: Retriever) -> None:
    terms = retriever.query_terms("Berapa jumlah pasukan CSTO yang dikirim ke Kazakhstan?")
    assert terms[:2] == retriever.analyzer("Berapa jumlah pasukan CSTO")
    assert {"organisasi", "aman", "kolektif"} <= set(terms)
    assert len(terms) == len(set(terms))
    assert retriever.query_terms("Berapa korban tewas?") == retriever.analyzer(
        "Berapa korban tewas?"
    )


def test_retriever_query_terms_add_the_corpus_forms_of_gazetteer_names(
    retriever: Retriever,
) -> None:
    """An English question's offices and countries get their Indonesian forms, as the
    articles write them, for BM25 and for the evidence overlap."""
    question = "Who spoke for Kazakhstan's health ministry?"
    terms, own = retriever.query_terms(question), retriever.analyzer(question)
    assert terms[: len(own)] == own
    assert set(retriever.analyzer("kementerian kesehatan")) <= set(terms)
    assert len(terms) == len(set(terms))


CSTO = ("Organisasi Perjanjian Keamanan Kolektif",)


def test_a_long_form_or_a_one_word_variant_of_it_is_found() -> None:
    text = (
        "Aliansi --Organisasi Perjanjian Keamanan Bersama-- "
        "dan Organisasi Perjanjian Keamanan Kolektif"
    )
    spans = long_form_spans(text, CSTO)
    assert [text[a:b].strip("-") for a, b in spans] == [
        "Organisasi Perjanjian Keamanan Bersama",
        "Organisasi Perjanjian Keamanan Kolektif",
    ]
    # two words differ, another first word, lower-case words: other names, or none
    assert long_form_spans("Organisasi Kerja Sama Kolektif", CSTO) == []
    assert long_form_spans("Dewan Perjanjian Keamanan Kolektif", CSTO) == []
    assert long_form_spans("organisasi perjanjian keamanan kolektif", CSTO) == []
    assert long_form_spans("Badan Intelijen", ("Badan Intelijen",)) == []  # too short to vary


def test_with_acronym_marks_long_forms_only_where_the_acronym_is_missing() -> None:
    assert with_acronym("Organisasi Perjanjian Keamanan Bersama akan mengirim", "CSTO", CSTO) == (
        "Organisasi Perjanjian Keamanan Bersama (CSTO) akan mengirim"
    )
    assert (
        with_acronym("Organisasi Perjanjian Keamanan Kolektif (CSTO) mengirim", "CSTO", CSTO)
        is None
    )
    assert with_acronym("Pasukan itu tiba pada hari Kamis.", "CSTO", CSTO) is None


def test_a_chunk_that_names_the_csto_only_by_its_long_form_is_found_by_the_acronym(
    retriever: Retriever,
) -> None:
    """The sentence with the CSTO's size calls it "Organisasi Perjanjian Keamanan Bersama";
    without reading it as CSTO, eight chunks that define the CSTO outrank it (10th)."""
    question = "How many CSTO troops?"

    def top5(r: Retriever) -> list[str]:
        return [p.node.get_content() for p in r.search(question, k=5).passages]

    assert any("2.500 orang" in text for text in top5(retriever))
    plain = Retriever(
        retriever.stores, retriever.settings.model_copy(update={"acronym_context": False})
    )
    assert not any("2.500 orang" in text for text in top5(plain))


def test_a_question_about_countries_finds_the_passage_that_lists_them(
    retriever: Retriever,
) -> None:
    """ "Pasukan dari Rusia, Belarus, Armenia, Tajikistan, dan Kirgistan mulai dikerahkan"
    shares no word with the question but the alliance's name (6th without the list ranking)."""
    question = "Which countries sent troops to Kazakhstan through the CSTO?"

    def top5(r: Retriever) -> list[str]:
        return [p.node.get_content() for p in r.search(question, k=5).passages]

    assert "Tajikistan" in top5(retriever)[0]
    unranked = retriever.settings.model_copy(update={"country_list_weight": 0.0})
    assert not any("Tajikistan" in text for text in top5(Retriever(retriever.stores, unranked)))


def test_acronyms_in_a_question_as_it_writes_them() -> None:
    acronyms = {"csto": CSTO, "bin": ("Badan Intelijen Negara",)}
    assert acronyms_in("How big was the CSTO's force?", acronyms) == {"CSTO": CSTO}
    assert acronyms_in("berapa pasukan csto?", acronyms) == {"CSTO": CSTO}
    assert acronyms_in("Siapa kepala Bin?", acronyms) == {"Bin": ("Badan Intelijen Negara",)}
    assert acronyms_in("Berapa korban tewas?", acronyms) == {}
