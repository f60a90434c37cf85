"""Countries, organisations and offices, in English and Indonesian."""

from __future__ import annotations

import pytest

from rag.gazetteer import countries_in, entities_in, other_forms, unnamed_in


def _names(text: str) -> list[str]:
    return sorted(entry[0] for entry in entities_in(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("How did Russia react?", ["russia"]),
        ("Bagaimana sikap Rusia dan Belarus?", ["belarus", "russia"]),
        ("What did the Americans say?", ["united states"]),  # a plural form
        ("who said it?", []),  # the question word is not the WHO
        # Offices are entities too, in either language.
        ("The State Department spokesman said so", ["foreign ministry", "spokesperson"]),
        ("kata juru bicara Kementerian Luar Negeri", ["foreign ministry", "spokesperson"]),
        ("Presiden Kazakhstan Tokayev", ["kazakhstan", "president"]),
        # The longer form is the office named: a vice president is not a president.
        ("Who became vice president?", ["vice president"]),
        ("the health ministry's spokeswoman", ["health ministry", "spokesperson"]),
        # Indonesia by what its press calls it and its citizens, "RI" only in capitals
        ("Ada wni yang jadi korban?", ["indonesia"]),
        ("tanggapan Kementerian Luar Negeri RI", ["foreign ministry", "indonesia"]),
        ("kata KBRI di Astana", ["indonesia"]),
        ("seperti dikutip RIA, kata ri", []),
    ],
)
def test_entities_and_offices_in_either_language(text: str, expected: list[str]) -> None:
    assert _names(text) == expected


def test_other_forms_are_the_corpus_forms_the_question_does_not_use() -> None:
    vocabulary = frozenset({"kementerian", "kesehatan", "juru", "bicara", "rusia"})

    def in_corpus(form: str) -> bool:
        return all(word in vocabulary for word in form.split())

    forms = other_forms("Who was the health ministry spokesman in Russia?", in_corpus)
    assert set(forms) == {"kementerian kesehatan", "juru bicara", "rusia"}
    # the corpus uses none of the English forms, and the question's own form is not repeated
    assert other_forms("Siapa juru bicara Rusia?", in_corpus) == []
    assert other_forms("Who was the spokesman?", lambda form: False) == []


def test_countries_in_counts_countries_not_bodies_or_offices() -> None:
    assert countries_in("Pasukan dari Rusia, Belarus, Armenia, Tajikistan, dan Kirgistan") == 5
    assert countries_in("Russia and Rusia, and the CSTO, NATO and the White House") == 1
    assert countries_in("Menteri Luar Negeri Amerika Serikat") == 1  # the office is no country
    assert countries_in("Russian, Belarusian and Tajik troops") == 3  # nationalities too
    # a former state is named, but a passage of "lima bekas republik Soviet" lists no countries
    assert countries_in("aliansi dari lima bekas republik Soviet dan Rusia di Kazakhstan") == 2


def test_the_kremlin_stands_for_the_russian_president_but_is_not_named_by_him() -> None:
    from rag.gazetteer import entities_in, other_forms

    kremlin = entities_in("Siapa juru bicara Kremlin?")[-1]
    assert "presiden rusia" in kremlin
    # "Presiden Rusia" in a text names the office and the country, not the Kremlin
    assert kremlin not in entities_in("Presiden Rusia Vladimir Putin berbicara.")
    # the search also looks for the articles' form
    assert "presiden rusia" in other_forms("Who is the Kremlin spokesman?", lambda f: True)


def test_unnamed_in_is_what_the_question_names_and_the_text_does_not() -> None:
    question = "Siapa juru bicara Kementerian Dalam Negeri Kazakhstan?"
    text = "Juru bicara Departemen Luar Negeri AS, Ned Price, mengatakan Kazakhstan ..."
    assert [entry[0] for entry in unnamed_in(text, question)] == ["interior ministry"]
    # any form counts: the English office for the Indonesian one
    assert unnamed_in("The Kazakh interior ministry spokesman said ...", question) == []
    # an office a person holds may go unsaid where the passage names the person
    spokeswoman = "Kapan juru bicara Gedung Putih mengatakan itu?"
    assert unnamed_in("Jen Psaki dari Gedung Putih mengatakan ...", spokeswoman) == []


def test_a_name_with_a_particle_is_a_mention() -> None:
    # "AS-lah yang harus merenungkan intervensinya sendiri": the US, with "-lah"
    assert [e[0] for e in entities_in("AS-lah yang harus")] == ["united states"]
    assert [e[0] for e in entities_in("Rusia-pun setuju")] == ["russia"]
    # a compound is not the name alone
    assert entities_in("pembicaraan AS-Rusia") == []
