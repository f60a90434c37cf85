from types import SimpleNamespace

import numpy as np
import pytest

from rag.citations import (
    SIMILARITY_CACHE_SIZE,
    CitationChecker,
    first_sentence,
    normalize_numbers,
    settled_prefix,
    split_answer,
    verify_citations,
)
from rag.evidence import Evidence
from rag.names import unknown_names

EVIDENCE = [
    "Pasukan penjaga perdamaian secara keseluruhan akan berjumlah sekitar 2.500 orang.",
    "Lebih dari 2.600 orang mencari perawatan dari rumah sakit sekitar.",
    "Presiden Kassym-Jomart Tokayev meminta bantuan dari CSTO.",
]


def test_valid_citation_is_kept_and_renumbered() -> None:
    result = verify_citations("About 2,600 people sought treatment [2].", EVIDENCE, "en")
    assert result.text == "About 2,600 people sought treatment [1]."
    assert result.used == (1,)
    assert (result.removed_markers, result.recited, result.dropped) == (0, 0, 0)


def test_marker_pointing_to_no_passage_is_removed_and_sentence_recited() -> None:
    result = verify_citations("The force would number about 2.500 troops [7].", EVIDENCE, "en")
    assert result.text == "The force would number about 2,500 troops [1]."
    assert result.used == (0,)
    assert result.removed_markers == 1
    assert result.recited == 1


def test_wrong_number_for_the_cited_passage_is_recited_to_the_passage_holding_it() -> None:
    result = verify_citations("Sekitar 2.600 orang dirawat [1].", EVIDENCE, "id")
    assert result.text == "Sekitar 2.600 orang dirawat [1]."
    assert result.used == (1,)  # evidence 2 holds 2.600, not evidence 1
    assert result.recited == 1


def test_number_found_in_no_passage_drops_the_sentence() -> None:
    result = verify_citations(
        "About 2,500 troops were sent [1]. Some 9,999 people died [2].", EVIDENCE, "en"
    )
    assert result.text == "About 2,500 troops were sent [1]."
    assert result.dropped == 1


def test_uncited_claim_with_facts_gets_the_passage_that_holds_them() -> None:
    result = verify_citations("Tokayev asked the CSTO for help.", EVIDENCE, "en")
    assert result.text == "Tokayev asked the CSTO for help [1]."
    assert result.used == (2,)


def test_uncited_sentence_without_facts_uses_similarity_or_is_dropped() -> None:
    never = verify_citations(
        "It was a difficult week.", EVIDENCE, "en", similarity=lambda s: [0.1, 0.2, 0.3]
    )
    assert never.text == "" and never.dropped == 1
    close = verify_citations(
        "It was a difficult week.", EVIDENCE, "en", similarity=lambda s: [0.9, 0.5, 0.4]
    )
    assert close.text == "It was a difficult week [1]."


def test_markers_leading_the_next_sentence_belong_to_the_previous_one() -> None:
    assert split_answer("First 2.500. [1] Second [2][3].") == [
        ("First 2.500.", [1]),
        ("Second.", [2, 3]),
    ]
    assert split_answer("One [1, 2].") == [("One.", [1, 2])]


def test_a_marker_standing_as_the_subject_becomes_the_sentence_citation() -> None:
    # Removing the markers alone left "and both report that ..., but adds that ...".
    answer = (
        "[2] and [3] both report that 26 people were killed, but [3] adds that 18 were hurt. "
        "[1] also mentions that 18 people were killed."
    )
    assert split_answer(answer) == [
        ("26 people were killed, but 18 were hurt.", [2, 3, 3]),
        ("18 people were killed.", [1]),
    ]
    assert split_answer("Tokayev meminta bantuan [1], dan [2] menjelaskan bahwa 225 tewas.") == [
        ("Tokayev meminta bantuan, dan 225 tewas.", [1, 2])
    ]
    assert split_answer("Then [2] and [3] report that 18 were hurt.") == [
        ("Then 18 were hurt.", [2, 3])
    ]
    assert split_answer("Kemudian [2] menyebutkan bahwa 18 orang terluka.") == [
        ("Kemudian 18 orang terluka.", [2])
    ]
    # Nothing but the attribution: nothing is left of the sentence.
    assert split_answer("X 2.500 [1]. [2] said that .") == [("X 2.500.", [1])]
    # A reporting verb with a name for its subject is the sentence's own.
    assert split_answer("The ministry said that 26 people died [1].") == [
        ("The ministry said that 26 people died.", [1])
    ]


def test_number_formats_follow_the_answer_language() -> None:
    assert normalize_numbers("2.500 troops, 2, 600 people", "en") == "2,500 troops, 2,600 people"
    assert normalize_numbers("2,500 pasukan", "id") == "2.500 pasukan"
    assert normalize_numbers("on 15.01.2022 at 1.5%", "en") == "on 15.01.2022 at 1.5%"


def test_a_year_or_a_day_before_a_comma_is_not_a_split_thousands_group() -> None:
    # "2022, 225" joined into "2022,225" made the figure unfindable, and the answer was dropped.
    assert normalize_numbers("Pada 16 Januari 2022, 225 jenazah", "id") == (
        "Pada 16 Januari 2022, 225 jenazah"
    )
    assert normalize_numbers("On January 5, 200 people left", "en") == (
        "On January 5, 200 people left"
    )
    evidence = ["MEDIA PAKUAN, 16 Januari 2022 Selama keadaan darurat, 225 jenazah dikirim."]
    checked = verify_citations("Pada 16 Januari 2022, 225 jenazah dikirim [1].", evidence, "id")
    assert checked.text == "Pada 16 Januari 2022, 225 jenazah dikirim [1]."


def test_country_named_in_another_language_is_checked_against_the_evidence() -> None:
    evidence = ["Pasukan dari Rusia, Belarus, Armenia, Tajikistan, dan Kirgistan mulai dikerahkan."]
    ok = verify_citations("Troops came from Russia and Kyrgyzstan [1].", evidence, "en")
    assert ok.text == "Troops came from Russia and Kyrgyzstan [1]."
    invented = verify_citations("Troops came from Russia and Bulgaria [1].", evidence, "en")
    assert invented.text == "" and invented.dropped == 1


def test_filler_without_facts_is_dropped_even_with_a_marker() -> None:
    result = verify_citations(
        "Tentu saja [1]! Sekitar 2.500 orang dikirim [1].",
        EVIDENCE,
        "id",
        similarity=lambda s: [0.7, 0.6, 0.65],
    )
    assert result.text == "Sekitar 2.500 orang dikirim [1]."
    assert result.dropped == 1


@pytest.mark.parametrize("filler", ["Tentu saja [1].", "Of course [2].", "Ya [1]."])
def test_a_one_or_two_word_sentence_is_filler_however_similar(filler: str) -> None:
    result = verify_citations(
        f"{filler} Sekitar 2.500 orang dikirim [1].",
        EVIDENCE,
        "id",
        similarity=lambda s: [0.95, 0.95, 0.95],  # e5 finds short text close to anything
    )
    assert result.text == "Sekitar 2.500 orang dikirim [1]."
    assert result.dropped == 1


def test_a_cited_passage_without_the_sentences_facts_loses_its_marker() -> None:
    """A small model cites every source it was shown: "[1][3]" where only [1] has 2.500."""
    result = verify_citations("Pasukannya sekitar 2.500 orang [1][3].", EVIDENCE, "id")
    assert result.text == "Pasukannya sekitar 2.500 orang [1]."  # not kept for "Pasukannya"
    assert result.used == (0,)


def test_every_cited_passage_holding_all_the_facts_stays() -> None:
    evidence = [*EVIDENCE, "Tokayev mengatakan 2.500 personel CSTO akan ditarik."]
    result = verify_citations("Sekitar 2.500 orang dikirim [1][4].", evidence, "id")
    assert result.used == (0, 3)
    needed = verify_citations("Tokayev asked for 2,500 troops [3][1].", EVIDENCE, "en")
    assert needed.used == (2, 0)  # each holds a fact the other lacks


def test_facts_the_question_states_do_not_keep_a_citation() -> None:
    evidence = [
        "Seorang juru bicara kementerian kesehatan, Asel Artakshinova, berbicara.",
        "Presiden Kazakhstan meminta bantuan militer.",
    ]
    answer = "Asel Artakshinova spoke for Kazakhstan's health ministry [1][2]."
    asked = verify_citations(
        answer, evidence, "en", question="Who spoke for Kazakhstan's health ministry?"
    )
    assert asked.text == "Asel Artakshinova spoke for Kazakhstan's health ministry [1]."
    # without the question, "Kazakhstan" is a fact only passage 2 holds
    assert verify_citations(answer, evidence, "en").used == (0, 1)


def test_a_sentence_without_facts_keeps_only_the_cited_passages_it_resembles() -> None:
    result = verify_citations(
        "It was a difficult week [1][2][3].", EVIDENCE, "en", similarity=lambda s: [0.9, 0.5, 0.85]
    )
    assert result.text == "It was a difficult week [1][2]."
    assert result.used == (0, 2)


def test_a_marker_used_as_the_source_name_takes_its_phrase_along() -> None:
    result = verify_citations("According to [2], 2,600 people sought treatment.", EVIDENCE, "en")
    assert result.text == "2,600 people sought treatment [1]."
    inner = verify_citations("Sekitar 2.500 orang dikirim, menurut [1].", EVIDENCE, "id")
    assert inner.text == "Sekitar 2.500 orang dikirim [1]."
    assert split_answer("Menurut [1] [2], Tokayev meminta bantuan.") == [
        ("Tokayev meminta bantuan.", [1, 2])
    ]


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        # The model wrote "According to source [1], ..."; the marker went and left "According
        # to source, 19 of the 225 bodies ...". Such openings: 24 of 390 recorded drafts.
        (
            "According to source [1], 19 of the 225 bodies were police or soldiers.",
            ("19 of the 225 bodies were police or soldiers.", [1]),
        ),
        (
            "According to sources [1] and [2], Blinken and Ned Price spoke.",
            ("Blinken and Ned Price spoke.", [1, 2]),
        ),
        (
            "According to the sources, 67 people were in a serious condition [1].",
            ("67 people were in a serious condition.", [1]),
        ),
        (
            "Based on the sources provided, Tokayev asked for help [2].",
            ("Tokayev asked for help.", [2]),
        ),
        # the English several-things prompt's word in an Indonesian answer
        (
            "Dalam sources, demonstran membakar istana presiden [1].",
            ("Demonstran membakar istana presiden.", [1]),
        ),
        ("Berdasarkan sumber, 225 jenazah dikirim [1].", ("225 jenazah dikirim.", [1])),
        # a person or an event named as the source stays
        (
            "Menurut Peskov, Kazakhstan mampu menyelesaikan masalahnya sendiri [1].",
            ("Menurut Peskov, Kazakhstan mampu menyelesaikan masalahnya sendiri.", [1]),
        ),
        (
            "Dalam kerusuhan, demonstran membakar istana presiden [1].",
            ("Dalam kerusuhan, demonstran membakar istana presiden.", [1]),
        ),
    ],
)
def test_an_opening_that_names_the_sources_in_general_goes(
    answer: str, expected: tuple[str, list[int]]
) -> None:
    assert split_answer(answer) == [expected]


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        # Markers as the sentence's last words: without them it ended "sources,,, and."
        (
            "Kazakhstan is mentioned in multiple sources, [1], [2], and [3].",
            ("Kazakhstan is mentioned in multiple sources.", [1, 2, 3]),
        ),
        ("Hal itu disebutkan dalam [1] dan [2].", ("Hal itu disebutkan.", [1, 2])),
        ("The figure is given in [2].", ("The figure is given.", [2])),
        (
            "Tokayev gave orders to the security forces, [1][2].",
            ("Tokayev gave orders to the security forces.", [1, 2]),
        ),
        # A list inside the sentence keeps its words: each item had its own source.
        (
            "Troops came from Russia [1], Belarus [2] and Armenia [3].",
            ("Troops came from Russia, Belarus and Armenia.", [1, 2, 3]),
        ),
    ],
)
def test_a_trailing_marker_list_becomes_the_sentence_citation(
    answer: str, expected: tuple[str, list[int]]
) -> None:
    assert split_answer(answer) == [expected]


def test_a_name_in_an_office_its_passage_does_not_give_is_dropped() -> None:
    evidence = [
        "Menteri Luar Negeri AS Antony Blinken memperingatkan Kazakhstan pada hari Jumat.",
        "Seorang juru bicara kementerian kesehatan, Asel Artakshinova, mengatakan 2.600 orang "
        "dirawat.",
    ]
    wrong = verify_citations(
        "Antony Blinken spoke for the health ministry [1].",
        evidence,
        "en",
        question="Who spoke for the health ministry?",
    )
    assert wrong.text == "" and wrong.dropped == 1
    right = verify_citations(
        "Asel Artakshinova, a health ministry spokeswoman, spoke for it [2].",
        evidence,
        "en",
        question="Who spoke for the health ministry?",
    )
    assert right.text == "Asel Artakshinova, a health ministry spokeswoman, spoke for it [1]."
    assert verify_citations(
        "Blinken, the US Secretary of State, warned Kazakhstan [1].", evidence, "en"
    ).text.endswith("[1].")
    # The office's own capitalised words are no name to bind it with: Ned Price is the
    # State Department's spokesman, and the interior ministry is in another passage.
    ministries = [
        "kata juru bicara Departemen Luar Negeri AS, Ned Price.",
        "Kementerian Dalam Negeri Kazakh mengumumkan bahwa 26 pengunjuk rasa tewas.",
    ]
    assert not verify_citations(
        "Juru bicara Kementerian Dalam Negeri Kazakhstan adalah Ned Price [1].",
        ministries,
        "id",
        question="Siapa juru bicara Kementerian Dalam Negeri Kazakhstan?",
    ).sentences
    # An office of an institution binds to no person: the Kremlin is not a name.
    kremlin = ["Juru bicara Kremlin, Dmitry Peskov, mengatakan Kazakhstan mampu sendiri."]
    assert verify_citations(
        "The Kremlin spokesman said Kazakhstan could cope alone [1].", kremlin, "en"
    ).text.endswith("[1].")


def test_a_person_given_another_countrys_office_is_dropped() -> None:
    """Every fact of "The Russian foreign minister is Antony Blinken" is in its passage, but
    the passage makes him the US's (``rag.offices``)."""
    evidence = [
        "Menteri Luar Negeri AS Antony Blinken memperingatkan Kazakhstan pada hari Jumat.",
        "Presiden Kazakh Kassym-Jomart Tokayev meminta bantuan Rusia.",
    ]
    asked = "Who is the Russian foreign minister?"
    wrong = verify_citations(
        "The Russian foreign minister is Antony Blinken [1].", evidence, "en", question=asked
    )
    assert wrong.text == "" and wrong.dropped == 1
    right = verify_citations(
        "Kazakh President Kassym-Jomart Tokayev asked Russia for help [2].",
        evidence,
        "en",
        question="Who asked Russia for help?",
    )
    assert right.text == "Kazakh President Kassym-Jomart Tokayev asked Russia for help [1]."


def test_a_name_with_a_particle_in_its_passage_supports_the_name() -> None:
    evidence = ["Pihak Rusia menanggapi bahwa AS-lah yang harus merenungkan intervensinya."]
    checked = verify_citations("Russia said the US should reflect [1].", evidence, "en")
    assert checked.text == "Russia said the US should reflect [1]."


def test_a_figure_that_counts_something_else_in_its_passage_is_dropped() -> None:
    evidence = [
        "Kazakhstan mengonfirmasi 26 kematian dari bandit bersenjata, dan 18 petugas keamanan "
        "tewas.",
        "Pasukan penjaga perdamaian akan berjumlah sekitar 2.500 orang.",
    ]
    absent = verify_citations(
        "26 children were among the dead [1]. 2,500 children died [2].",
        evidence,
        "en",
        question="How many children were among the dead?",
    )
    assert absent.text == "" and absent.dropped == 2
    right = verify_citations(
        "26 armed bandits and 18 security officers were killed [1]. The force was about "
        "2,500 troops [2].",
        evidence,
        "en",
        question="How many were killed, and how large was the force?",
    )
    assert right.dropped == 0 and right.text.count("[") == 2


def test_an_acronym_spelled_out_as_another_body_is_dropped() -> None:
    passage = ["Tokayev meminta bantuan dari Organisasi Perjanjian Keamanan Kolektif (CSTO)."]
    wrong = "CSTO stands for Organization for Security and Cooperation in Europe [1]."
    right = "CSTO stands for the Collective Security Treaty Organization [1]."
    question = "what does CSTO stand for"
    assert verify_citations(wrong, passage, "en", question=question).text == ""
    assert verify_citations(right, passage, "en", question=question).text == right


def test_the_kremlin_spokesman_is_the_one_the_passage_calls_the_presidents() -> None:
    passage = [
        "Pada Rabu (5/1), juru bicara presiden Rusia, Dmitry Peskov mengatakan bahwa "
        "Kazakhstan mampu menyelesaikan masalahnya sendiri."
    ]
    answer = "The Kremlin spokesman is Dmitry Peskov [1]."
    assert verify_citations(
        answer, passage, "en", question="Who is the Kremlin spokesman?"
    ).text == (answer)


def test_a_repeated_sentence_is_dropped() -> None:
    result = verify_citations(
        "About 2,500 troops were sent [1]. About 2,500 troops were sent [1].", EVIDENCE, "en"
    )
    assert result.text == "About 2,500 troops were sent [1]."
    assert result.dropped == 1


def test_a_quotation_of_a_passage_pins_the_citation_to_that_passage() -> None:
    evidence = [
        "Tokayev meminta bantuan militer Rusia.",
        'Tokayev memerintahkan pasukan untuk "melepaskan tembakan tanpa peringatan."',
    ]
    # Both passages name Tokayev; only the second holds the quoted words.
    answer = 'Tokayev ordered the troops to "melepaskan tembakan tanpa peringatan" [1].'
    result = verify_citations(answer, evidence, "en")
    assert result.used == (1,)
    assert result.recited == 1
    # Two quoted words are too few to pin anything; a translated quotation is no fact to check.
    assert verify_citations('Tokayev said "tanpa peringatan" [1].', evidence, "en").used == (0,)
    translated = verify_citations(
        'Tokayev ordered them to "fire without warning" [1].', evidence, "en"
    )
    assert translated.used == (0,)


def test_a_recited_sentence_cites_the_passage_for_what_it_adds_to_the_question() -> None:
    evidence = [
        "Presiden Kassym-Jomart Tokayev berbicara di Almaty.",
        "Tokayev mengatakan 2.500 personel CSTO akan ditarik.",
    ]
    # "Almaty" is in the question: the uncited sentence goes to the passage with the figure.
    result = verify_citations(
        "In Almaty, Tokayev said 2,500 troops would leave.",
        evidence,
        "en",
        question="What did Tokayev say in Almaty?",
    )
    assert result.used == (1,)
    assert verify_citations(
        "In Almaty, Tokayev said 2,500 troops would leave.", evidence, "en"
    ).used == (0, 1)


@pytest.mark.parametrize(
    ("streamed", "settled"),
    [
        ("About 2,600 people [1].", ""),  # the last sentence may still get words or a marker
        ("About 2,600 people. ", ""),
        ("About 2,600 people. [1", ""),  # a marker being written belongs to it
        ("About 2,600 people. [1] ", ""),
        ("About 2,600 people. [1] The", ""),  # "[1] also mentions ..." would be the next's
        ("About 2,600 people. [1] The toll", "About 2,600 people. [1] "),
        ("About 2,600 people. [1] also mentions", ""),
        ("A [1]. B [2]. C", "A [1]. B [2]. "),
        ("A [1].\n\nB", "A [1].\n\n"),
        ("About 2.600 orang", ""),  # a decimal point is no sentence end
    ],
)
def test_a_sentence_is_settled_once_the_next_has_begun(streamed: str, settled: str) -> None:
    assert settled_prefix(streamed) == settled


@pytest.mark.parametrize(
    "answer",
    [
        "Some 9,999 died [1]. About 2,500 troops were sent. [1] About 2,600 people [2].",
        "About 2,500 troops were sent [1]. [2] also mentions that 2,600 people were treated.",
    ],
)
def test_the_check_of_a_settled_prefix_starts_the_check_of_the_whole(answer: str) -> None:
    for end in range(len(answer) + 1):
        prefix = verify_citations(settled_prefix(answer[:end]), EVIDENCE, "en").text
        assert verify_citations(answer, EVIDENCE, "en").text.startswith(prefix)


def test_the_check_of_one_answer_embeds_each_sentence_once_and_keeps_a_bounded_number() -> None:
    evidence = [Evidence("d", "T", None, None, t, 0, len(t), 0.9, 0.9, 0) for t in EVIDENCE]
    asked: list[str] = []

    def embed_query(sentence: str) -> np.ndarray:
        asked.append(sentence)
        return np.ones(3, dtype=np.float32)

    vectors = SimpleNamespace(get=lambda texts: np.ones((len(texts), 3), dtype=np.float32))
    check = CitationChecker(vectors, embed_query).for_evidence(evidence, "en", "Why?")

    check("It was a difficult week [1].")
    check("It was a difficult week [1]. Nobody slept that night [2].")
    assert asked == ["It was a difficult week.", "Nobody slept that night."]

    many = [f"It was a {chr(97 + i // 26)}{chr(97 + i % 26)} day [1]." for i in range(300)]
    check(" ".join(many))
    assert len(asked) == 2 + 300
    asked.clear()
    check("It was a difficult week [1].")  # pushed out by 300 newer sentences
    check(many[-1])  # still kept
    assert asked == ["It was a difficult week."]
    assert SIMILARITY_CACHE_SIZE == 256


def test_a_nationality_of_a_country_the_evidence_names_is_not_invented() -> None:
    """English answers say "Belarusian troops" for the passage's "pasukan dari Belarus"."""

    known = {"pasukan", "dari", "rusia", "belarus", "armenia", "tajikistan", "kirgistan"}
    sentence = "Russian, Belarusian, Armenian, Tajik and Kyrgyz troops began deploying."
    assert unknown_names(sentence, known) == []
    # a country is a fact to find in the cited passage, by any of its forms
    passage = ["Pasukan dari Rusia, Belarus, Armenia, Tajikistan, dan Kirgistan mulai dikerahkan."]
    assert verify_citations(f"{sentence[:-1]} [1].", passage, "en").sentences
    assert not verify_citations("Uzbek troops began deploying [1].", passage, "en").sentences


def test_a_city_is_not_made_a_capital_its_passage_does_not_call_it() -> None:
    passage = ["Kerusuhan massal di Kazakhstan mengarah dari barat ke kota terbesar, Almaty."]
    assert verify_citations("Kota terbesar Kazakhstan adalah Almaty [1].", passage, "id").sentences
    assert not verify_citations("Ibu kota Kazakhstan adalah Almaty [1].", passage, "id").sentences
    assert not verify_citations("The capital of Kazakhstan is Almaty [1].", passage, "en").sentences


@pytest.mark.parametrize(
    ("sentence", "restates"),
    [
        ("Tokayev's approach to the crackdown changed as the crisis went on.", True),
        ("The Kremlin did not name the US in its statements.", False),  # "not" answers it
        ("Yes, his approach changed.", False),
        ("He ordered the troops to shoot.", False),  # "shoot" is the answer
    ],
)
def test_a_sentence_that_only_restates_the_question_is_told_apart(
    sentence: str, restates: bool
) -> None:
    from rag.citations import _restates

    question = (
        "Did Tokayev's approach to the crackdown change as the crisis went on, "
        "and did the Kremlin name the US in its statements?"
    )
    assert _restates(sentence, question) is restates


@pytest.mark.parametrize(
    ("sentence", "restates"),
    [
        ("Psaki said the US would keep giving Kyiv.", True),  # "said" is "say"
        ("Psaki said the US would keep giving Kyiv defence aid.", False),
    ],
)
def test_an_irregular_verb_form_is_no_answer_either(sentence: str, restates: bool) -> None:
    from rag.citations import _restates

    question = "What did Psaki say the US would keep giving Kyiv?"
    assert _restates(sentence, question) is restates


@pytest.mark.parametrize(
    ("sentence", "question", "restates"),
    [
        # words Sastrawi lists as stopwords can be the whole answer
        (
            "Menurut Kemhan Rusia, pesawat-pesawat yang mengangkut tentaranya akan kembali.",
            "Menurut Kemhan Rusia, bagaimana nasib pesawat-pesawat yang mengangkut tentaranya?",
            False,
        ),
        ("Ada lima negara yang mengirim pasukan.", "Berapa negara yang mengirim pasukan?", False),
        ("Misi itu berlangsung beberapa hari.", "Berapa lama misi itu berlangsung?", False),
        ("Misi itu berlangsung lama.", "Berapa lama misi itu berlangsung?", True),
    ],
)
def test_an_indonesian_answer_in_stopwords_is_not_a_restatement(
    sentence: str, question: str, restates: bool
) -> None:
    from rag.citations import _restates

    assert _restates(sentence, question) is restates


@pytest.mark.parametrize(
    ("sentence", "question", "about_sources", "restates"),
    [
        # that the sources speak of what was asked is no answer to it
        ("Kazakhstan is mentioned in the sources.", "Kazakhstan", False, True),
        ("Almaty disebutkan dalam artikel.", "Almaty", False, True),
        ("Almaty is the largest city of Kazakhstan.", "Almaty", False, False),
        # unless the question asks about the sources themselves
        ("Psaki is mentioned in the article.", "Which article names Psaki?", True, False),
    ],
)
def test_a_sentence_about_the_sources_only_is_a_restatement(
    sentence: str, question: str, about_sources: bool, restates: bool
) -> None:
    from rag.citations import _restates

    assert _restates(sentence, question, about_sources=about_sources) is restates


def test_an_answer_that_only_says_the_sources_mention_the_question_is_dropped() -> None:
    evidence = ["Protes di Kazakhstan dimulai pada 2 Januari karena harga gas naik."]
    answer = "Kazakhstan is mentioned in [1]."
    assert verify_citations(answer, evidence, "en", question="Kazakhstan").text == ""
    assert verify_citations(answer, evidence, "en", question="Apa itu CSTO?").text != ""


@pytest.mark.parametrize(
    ("answer", "language", "expected"),
    [
        # the weekday is repaired once the date is written out, and the sentence kept
        (
            "The protests began on Monday (2/1/2022) [1].",
            "en",
            "The protests began on Sunday (2 January 2022) [1].",
        ),
        (
            "Protes dimulai pada Minggu (2/1/2022) [1].",
            "id",
            "Protes dimulai pada Minggu (2 Januari 2022) [1].",
        ),
    ],
)
def test_a_numeric_date_in_an_answer_is_written_out(
    answer: str, language: str, expected: str
) -> None:
    evidence = ["Protes dimulai pada Minggu (2/1/2022) di kota Zhanaozen."]
    assert verify_citations(answer, evidence, language).text == expected  # type: ignore[arg-type]


DATED = [
    "Protes dimulai pada Minggu (2/1/2022) di kota Zhanaozen.",
    "Pasukan CSTO mulai dikerahkan pada hari Kamis.",
]
LABELLED = [f"(MEDIA PAKUAN, 16 Januari 2022) {text}" for text in DATED]


@pytest.mark.parametrize(
    ("answer", "kept"),
    [
        ("Protes dimulai pada 16 Januari 2022 [1].", False),  # the label's date, not the event's
        ("Protes dimulai pada 2 Januari 2022 [1].", True),  # the text's "(2/1/2022)"
        ("The protests began on January 2, 2022 [1].", True),
        ("The protests began on 16 January 2022 [2].", False),
    ],
)
def test_a_when_answer_takes_its_date_from_the_text_not_the_publication_date(
    answer: str, kept: bool
) -> None:
    result = verify_citations(
        answer, LABELLED, "id", question="Kapan protes dimulai?", bodies=DATED
    )
    assert bool(result.sentences) is kept


@pytest.mark.parametrize(
    ("answer", "kept"),
    [
        ("Pada 16 Januari 2022, protes dimulai di Zhanaozen [1].", False),  # the label's
        ("Pada 2 Januari 2022, protes dimulai di Zhanaozen [1].", True),  # the text's
        ("The protests began in Zhanaozen [1].", True),  # no date to check
    ],
)
def test_a_date_comes_from_the_text_whatever_the_question(answer: str, kept: bool) -> None:
    # asked "where", the model still dates the event with the label's publication date
    result = verify_citations(
        answer, LABELLED, "id", question="Di kota mana protes dimulai?", bodies=DATED
    )
    assert bool(result.sentences) is kept


def test_a_figure_is_not_backed_by_the_day_of_a_date() -> None:
    # "Minggu (2/1/2022)" gives a date, not a 2 for the hour of a curfew
    result = verify_citations(
        "Protes itu terjadi pada jam 2 malam [1].",
        LABELLED,
        "id",
        question="Mulai jam berapa jam malam berlaku?",
        bodies=DATED,
    )
    assert not result.sentences


def test_a_date_the_question_gives_needs_no_source() -> None:
    result = verify_citations(
        "Pada 16 Januari 2022 pasukan CSTO mulai dikerahkan [2].",
        LABELLED,
        "id",
        question="Apa yang terjadi pada 16 Januari 2022, kapan pasukan dikerahkan?",
        bodies=DATED,
    )
    assert result.sentences


CAPTIONED = [
    "Seorang pria berdiri di depan gedung Balai Kota Almaty yang terbakar, Kamis (6/1/2022).",
    "Lebih dari 2.600 orang mencari perawatan dari rumah sakit sekitar.",
    'Pasukan itu diharapkan menjadi misi singkat "beberapa hari atau minggu".',
    "Pasukan dari Rusia, Belarus, Armenia, Tajikistan, dan Kirgistan mulai dikerahkan.",
]


@pytest.mark.parametrize(
    ("answer", "question", "text"),
    [
        # a caption copied for a death toll the articles never give: no figure, no answer
        (
            "Seorang pria berdiri di depan gedung Balai Kota Almaty yang terbakar [1].",
            "Berapa orang yang tewas saat bandara direbut kembali?",
            "",
        ),
        # the figure comes first; a sentence after it needs none
        (
            "Lebih dari 2.600 orang dirawat [2]. Balai Kota Almaty terbakar [1].",
            "Berapa orang yang dirawat di rumah sakit?",
            "Lebih dari 2.600 orang dirawat [1]. Balai Kota Almaty terbakar [2].",
        ),
        # a sentence before the figure answers something else
        (
            "Balai Kota Almaty terbakar [1]. Lebih dari 2.600 orang dirawat [2].",
            "Berapa orang yang dirawat di rumah sakit?",
            "Lebih dari 2.600 orang dirawat [1].",
        ),
        # a list of the countries counts them
        (
            "Rusia, Belarus, Armenia, Tajikistan, dan Kirgistan mengirim pasukan [4].",
            "Berapa negara yang mengirim pasukan?",
            "Rusia, Belarus, Armenia, Tajikistan, dan Kirgistan mengirim pasukan [1].",
        ),
        # "how long" may be answered without a figure
        (
            "Misi itu diharapkan berlangsung beberapa hari atau minggu [3].",
            "Misi pasukan itu rencananya berlangsung berapa lama?",
            "Misi itu diharapkan berlangsung beberapa hari atau minggu [1].",
        ),
    ],
)
def test_a_how_many_answer_starts_with_a_figure(answer: str, question: str, text: str) -> None:
    result = verify_citations(answer, CAPTIONED, "id", question=question)
    assert result.text == text


def test_an_answer_to_a_name_question_starts_with_a_name() -> None:
    passages = [
        "Seorang pria berdiri di depan gedung Balai Kota Almaty yang terbakar, Kamis (6/1/2022).",
        "Juru bicara Kremlin Dmitry Peskov mengatakan Kazakhstan dapat menyelesaikan masalahnya.",
    ]
    question = "Siapa nama pria yang berdiri di depan Balai Kota Almaty?"
    restated = "Pria itu adalah pria yang berdiri di depan gedung Balai Kota Almaty, Kamis [1]."
    assert not verify_citations(restated, passages, "id", question=question).sentences
    named = "Juru bicara Kremlin adalah Dmitry Peskov [2]."
    asked = "Siapa nama juru bicara Kremlin?"
    assert verify_citations(named, passages, "id", question=asked).text == (
        "Juru bicara Kremlin adalah Dmitry Peskov [1]."
    )
    # without a name asked for, the same sentence stands
    plain = "Siapa yang berdiri di depan Balai Kota Almaty?"
    assert verify_citations(restated, passages, "id", question=plain).sentences


def test_who_someone_is_is_answered_by_an_office_the_passages_give() -> None:
    """Where a passage gives the person an office, the answer must give one: the 1.5B model
    otherwise tells who someone is from its own knowledge, in words that pass as facts."""
    passages = [
        "Juru bicara Presiden Joe Biden membantah. Gedung Putih sedang memantau protes, kata "
        "Jen Psaki kepada wartawan, Rabu (5/1/2022).",
        "Menteri Luar Negeri AS Antony Blinken mengkritik perintah tembak di tempat.",
    ]
    question = "Who is Jen Psaki?"
    assert not verify_citations(
        "Jen Psaki is a journalist [1].", passages, "en", question=question
    ).sentences
    office = "Antony Blinken is the US Secretary of State [2]."
    assert verify_citations(office, passages, "en", question="Who is Antony Blinken?").sentences
    # an office the passages do not give him is dropped as before
    wrong = "Antony Blinken is the President of the United States [2]."
    assert not verify_citations(wrong, passages, "en", question="Who is Antony Blinken?").sentences
    # of someone whose passages give no office, the gazetteer knows none to ask for
    coach = ["Pelatih Shin Tae-yong memanggil 30 pemain ke pemusatan latihan."]
    answer = "Shin Tae-yong adalah pelatih yang memanggil 30 pemain [1]."
    assert verify_citations(answer, coach, "id", question="Siapa Shin Tae-yong?").sentences
    # asked something else about him, no office is due
    asked = "What did Antony Blinken criticise?"
    said = "Antony Blinken criticised the order to shoot [2]."
    assert verify_citations(said, passages, "en", question=asked).sentences


def test_the_outlet_in_a_label_is_no_fact_of_the_story() -> None:
    body = "Psaki mengatakan kepada wartawan bahwa klaim Rusia itu salah."
    labelled = [f"Radartasik.com, 8 Januari 2022 {body}"]
    invented = "Kantor berita yang mewawancarai Psaki adalah Radartasik.com [1]."
    question = "Kantor berita apa yang mewawancarai Jen Psaki?"
    checked = verify_citations(invented, labelled, "id", question=question, bodies=[body])
    assert not checked.sentences
    # asked about the articles themselves, the outlet is the answer
    outlets = "Media apa yang memberitakan pernyataan Psaki?"
    answer = "Pernyataan Psaki diberitakan oleh Radartasik.com [1]."
    assert verify_citations(answer, labelled, "id", question=outlets, bodies=[body]).sentences
    # the outlet given as the source, or named by the question, is no invention
    claim = "Apa kata Psaki soal klaim Rusia?"
    attributed = "Menurut Radartasik.com, Psaki mengatakan klaim Rusia itu salah [1]."
    assert verify_citations(attributed, labelled, "id", question=claim, bodies=[body]).sentences
    named = "Apa kata Psaki kepada wartawan, menurut laporan Radartasik?"
    said = "Radartasik melaporkan Psaki mengatakan klaim Rusia itu salah [1]."
    assert verify_citations(said, labelled, "id", question=named, bodies=[body]).sentences


def test_a_weekday_must_be_the_one_its_passage_names() -> None:
    deployed = ["Pasukan dari Rusia dan Belarus mulai dikerahkan pada hari Kamis (6 Januari 2022)."]
    question = "On which day of the week did the troops start deploying?"
    wrong = "On Monday the troops started deploying [1]."
    right = "On Thursday (6 January 2022) the troops started deploying [1]."
    assert not verify_citations(wrong, deployed, "en", question=question).sentences
    assert verify_citations(right, deployed, "en", question=question).text == right
    # beside a whole date, the weekday is the calendar's: repaired, not held against it
    misnamed = "On Monday (6 January 2022) the troops started deploying [1]."
    assert verify_citations(misnamed, deployed, "en", question=question).text == right
    # and an English answer's month is English, as the sources' dates are checked either way
    copied = "On Thursday (6 Januari 2022) the troops started deploying [1]."
    assert verify_citations(copied, deployed, "en", question=question).text == right
    # a weekday the question gives needs no source
    asked = "What happened on Monday?"
    assert verify_citations(
        "On Monday the troops deployed [1].", deployed, "en", question=asked
    ).sentences


def test_a_speaker_must_say_it_in_some_passage() -> None:
    passages = [
        'kata juru bicara Departemen Luar Negeri AS, Ned Price: "Kami memiliki pertanyaan."',
        "Psaki mengatakan AS akan terus memberikan bantuan pertahanan ke Ukraina.",
    ]
    question = "What did Ned Price say the US would do if the Russian troops stayed?"
    # Ned Price is named by the question, Ukraine by Psaki's passage: both facts are held,
    # but nowhere does Price say it
    moved = "Ned Price said the US would provide military aid to Ukraine [2]."
    assert not verify_citations(moved, passages, "en", question=question).sentences
    psaki = "Psaki said the US would keep giving defence aid to Ukraine [2]."
    assert verify_citations(psaki, passages, "en", question=question).text == (
        "Psaki said the US would keep giving defence aid to Ukraine [1]."
    )


def test_a_sentence_that_tells_a_worked_example_s_story_is_dropped() -> None:
    """The prompt's examples are about a flood and a bus accident; the 1.5B model carried the
    accident into an answer about protests. The same words pass where a source uses them."""
    passage = ["Protes damai atas harga energi memuncak menjadi kerusuhan massal."]
    question = "Kenapa warga Kazakhstan protes?"
    leaked = "Warga protes karena harga energi yang tinggi dan kecelakaan bus [1]."
    assert verify_citations(leaked, passage, "id", question=question).text == ""
    kept = "Warga protes karena harga energi yang tinggi [1]."
    assert verify_citations(kept, passage, "id", question=question).text == kept
    told = [
        "Sebuah bus mengalami kecelakaan saat membawa pengunjuk rasa yang memprotes harga energi."
    ]
    answer = "Pengunjuk rasa memprotes harga energi, dan sebuah bus mengalami kecelakaan [1]."
    assert verify_citations(answer, told, "id", question=question).sentences
    flood = "Thousands were evacuated after the flood [1]."
    assert not verify_citations(flood, passage, "en").sentences
    assert verify_citations(flood, ["Ribuan warga mengungsi setelah banjir."], "en").sentences


def test_the_first_sentence_alone_keeps_its_citations_renumbered() -> None:
    both = verify_citations(
        "Tokayev asked the CSTO for help [3]. About 2,600 people sought treatment [2].",
        EVIDENCE,
        "en",
    )
    first = first_sentence(both)
    assert first.text == "Tokayev asked the CSTO for help [1]."
    assert first.used == (2,) and len(first.sentences) == 1
    assert first.dropped == both.dropped + 1
