from rag.acronyms import expansions, find_acronyms
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
