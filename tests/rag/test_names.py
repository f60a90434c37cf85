"""Names in text, and whether known words hold them."""

from __future__ import annotations

import pytest

from rag.names import fuzzy_in, names_inside, people_in, people_meant, unknown_names


def test_a_sentence_opener_is_not_taken_for_a_name() -> None:
    assert names_inside("Pasukan itu dikirim oleh Rusia. Tokayev meminta bantuan.") == ["Rusia"]


@pytest.mark.parametrize(
    ("name", "words", "expected"),
    [
        ("rusia", {"russia"}, True),  # a letter dropped
        ("tokayev", {"tokaev"}, True),  # the other transliteration, one letter more
        ("almaty", {"almaty"}, True),
        ("price", {"prize"}, True),  # one letter changed counts too
        ("kazakstan", {"kasakhstan"}, False),  # two edits
        ("tokayev", {"tokayevich"}, False),
        ("iran", {"iraq"}, False),  # under 5 letters: exact only
        ("iran", {"iran"}, True),
        ("kassym-jomart", {"kassym", "jomart"}, True),  # every part present
        ("almaty", set(), False),
    ],
)
def test_a_name_matches_a_word_at_most_one_edit_away(
    name: str, words: set[str], expected: bool
) -> None:
    assert fuzzy_in(name, words) is expected


def test_a_hyphenated_name_of_the_evidence_is_not_invented() -> None:
    known = {"presiden", "kazakhstan", "kassym-jomart", "tokayev"}
    assert unknown_names("The head of state was Kassym-Jomart Tokayev.", known) == []
    assert unknown_names("The head of state was Nursultan Nazarbayev.", known) == [
        "Nursultan",
        "Nazarbayev",
    ]


def test_a_rare_word_is_a_name_a_common_one_is_not() -> None:
    # "Ministry" and "Interior" are English words the Indonesian corpus lacks, not names
    assert unknown_names("What did the Interior Ministry say about Lavrov?", set()) == ["Lavrov"]


def test_people_are_runs_of_capitalised_words_that_name_no_body_or_office() -> None:
    text = (
        "Presiden Kazakh, Kassym-Jomart Tokayev meminta bantuan CSTO. Gedung Putih memantau.\n"
        "Kata juru bicara Departemen Luar Negeri, Ned Price."
    )
    assert people_in(text) == ["Kassym-Jomart Tokayev", "Ned Price"]
    # an acronym names a body: "US-led" was taken for the person a follow-up's "he" meant
    assert people_in("He said Putin seeks a pact with the US-led NATO bloc, RIA said.") == ["Putin"]


def test_a_sentence_means_the_full_name_it_gives_in_part_or_refers_back_to() -> None:
    people = ["Kassym-Jomart Tokayev", "Ned Price", "Blinken"]
    assert people_meant("Kassym telah memerintah polisi setempat.", "", people) == [
        "Kassym-Jomart Tokayev"
    ]
    before = "Kata juru bicara Departemen Luar Negeri AS, Ned Price. "
    assert people_meant('"Kami akan mengawasi," tambahnya.', before, people) == ["Ned Price"]
    before = "Blinken berbicara kepada wartawan. "
    assert people_meant("Dia lebih lanjut meminta pasukan Kazakh.", before, people) == ["Blinken"]
    # no pronoun, no part of a full name: no one
    assert people_meant("Pasukan itu mulai dikerahkan.", before, people) == []
