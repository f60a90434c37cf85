"""Names in text, and whether known words hold them."""

from __future__ import annotations

import pytest

from rag.names import fuzzy_in, names_inside, unknown_names


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
