import pytest

from rag.counted import asked_kind, counts_in, miscounted, off_question

PASSAGE = (
    "Kazakhstan telah mengonfirmasi angka kematian, di antaranya 26 kematian dari bandit "
    "bersenjata, dan 18 petugas keamanan tewas. Sebanyak 225 jenazah dikirim ke kamar mayat, "
    "19 di antaranya adalah petugas penegak hukum. Lebih dari 2.600 orang dirawat."
)


def test_a_figure_counts_the_kind_named_after_it_in_either_language() -> None:
    counts = counts_in(PASSAGE)
    assert counts["26"] == {"other_side"} and counts["18"] == {"forces"}
    assert counts["225"] == {"bodies"} and counts["19"] == {"forces"}
    assert counts["2600"] == set()  # "orang": anyone
    assert counts_in("19 of them were police officers.")["19"] == {"forces"}
    assert counts_in("26 anak-anak tewas")["26"] == {"children"}


def test_where_the_words_after_name_no_kind_the_clause_before_may() -> None:
    text = "Pasukan penjaga perdamaian secara keseluruhan akan berjumlah sekitar 2.500 orang."
    assert counts_in(text)["2500"] == {"forces"}
    # the clause ends at a comma: "Almaty," does not lend its subject to the next figure
    assert counts_in("Polisi berjaga di Almaty, 2.600 orang dirawat.")["2600"] == set()


@pytest.mark.parametrize(
    "sentence, wrong",
    [
        ("26 children were among the dead.", ["26"]),
        ("26 Russian soldiers were killed and 18 were wounded.", ["26"]),
        ("225 members of the security forces were killed.", ["225"]),
        ("26 armed bandits and 18 security officers were killed.", []),
        ("26 protesters were killed.", []),  # the other side, in other words
        ("26 people were killed.", []),  # people: anyone
        ("About 2,600 people were treated.", []),
        ("19 police officers were among the 225 bodies.", []),
        ("99 children died.", []),  # a figure no passage gives: the number check's business
    ],
)
def test_an_answer_figure_must_count_what_the_passage_figure_counts(
    sentence: str, wrong: list[str]
) -> None:
    assert miscounted(sentence, [PASSAGE]) == wrong


def test_one_passage_that_counts_the_same_kind_is_enough() -> None:
    other = "Sebanyak 26 anak dirawat di rumah sakit."
    assert miscounted("26 children were treated.", [PASSAGE, other]) == []


def test_a_figure_whose_passage_names_no_kind_needs_the_kind_named_in_the_passage() -> None:
    hospital = (
        "Asel Artakshinova mengatakan lebih dari 2.600 orang mencari perawatan di rumah sakit, "
        "yang 67 dalam kondisi serius."
    )
    assert counts_in(hospital)["67"] == set()
    assert miscounted("67 children were among the dead.", [hospital]) == ["67"]
    assert miscounted("67 people were in serious condition.", [hospital]) == []
    assert miscounted("67 anak dirawat.", [hospital + " Di antaranya anak-anak."]) == []


def test_a_figure_with_a_unit_of_time_after_it_is_a_span_of_time() -> None:
    assert counts_in("Keadaan darurat berlaku selama 225 hari.")["225"] == {"time"}
    assert counts_in("The mission lasted 3 weeks.")["3"] == {"time"}
    # "225 hari" is not backed by "225 jenazah", nor "2 minggu" by "2 minggu" of something else
    assert miscounted("Keadaan darurat berlaku selama 225 hari.", [PASSAGE]) == ["225"]
    assert miscounted("Misi itu berlangsung 3 minggu.", ["Misi itu berlangsung 3 minggu."]) == []
    # only right after the figure: "26 ... pada hari Kamis" still counts the dead
    assert counts_in("26 bandit tewas pada hari Kamis.")["26"] == {"other_side"}


def test_a_date_counts_nothing() -> None:
    assert counts_in("Pada 16 Januari 2022 pasukan CSTO mulai dikerahkan.") == {}
    assert counts_in("On January 6 troops arrived.") == {}
    assert counts_in("Protes dimulai pada hari Minggu (2/1/2022).") == {}


@pytest.mark.parametrize(
    "question, kind",
    [
        ("Berapa orang yang ditahan aparat setelah kerusuhan?", {"detainees"}),
        ("How many people did the authorities detain?", {"detainees"}),
        ("How many of those were police or soldiers?", {"forces"}),
        ("how many children were among the dead", {"children"}),
        ("How many people died?", set()),
        ("How many countries sent troops?", set()),  # it counts countries
        ("Who sent troops?", set()),  # no "how many"
        ("Misi itu berlangsung berapa lama?", {"time"}),
        ("How many days later did Tokayev ask for help?", {"time"}),
        ("How many people died in the first days?", set()),  # a unit later is no kind
    ],
)
def test_a_quantity_question_counts_the_first_kind_named_after_its_cue(
    question: str, kind: set[str]
) -> None:
    assert asked_kind(question) == kind


def test_a_figure_that_counts_another_kind_does_not_answer_the_question() -> None:
    question = "Berapa orang yang ditahan aparat setelah kerusuhan?"
    copied = "225 jenazah dikirim ke kamar mayat, 19 di antaranya adalah petugas penegak hukum."
    assert off_question(copied, [PASSAGE], question)
    # one figure of the asked kind is enough: the sentence answers with its 19
    assert not off_question(copied, [PASSAGE], "Berapa di antaranya polisi?")
    # a question that names no kind, or asks no quantity, is not judged here
    assert not off_question(copied, [PASSAGE], "Berapa orang yang tewas?")
    assert not off_question(copied, [PASSAGE], "Apa yang terjadi di kamar mayat?")
    assert not off_question("Mereka ditahan.", [PASSAGE], question)  # no figure to judge


def test_a_how_long_question_is_answered_by_a_span_of_time() -> None:
    force = "Misi itu diharapkan berlangsung beberapa hari, dengan sekitar 2.500 orang."
    question = "Misi pasukan itu rencananya berlangsung berapa lama?"
    assert off_question("Misi itu berlangsung sekitar 2.500 orang [1].", [force], question)
    assert not off_question("Misi itu berlangsung beberapa hari [1].", [force], question)
    spans = "Keadaan darurat berlaku selama 14 hari."
    assert not off_question("Keadaan darurat berlaku 14 hari.", [spans], "Berapa lama?")


def test_a_figure_must_stand_beside_the_countries_that_qualify_what_is_counted() -> None:
    force = "Pasukan penjaga perdamaian akan berjumlah sekitar 2.500 orang."
    contributors = force + " Pasukan dari Rusia dan Belarus mulai dikerahkan."
    assert off_question(
        "Belarus sent 2,500 soldiers.", [force], "How many soldiers did Belarus send?"
    )
    assert not off_question(
        "Belarus sent 2,500 soldiers.", [contributors], "How many soldiers did Belarus send?"
    )
    # a country after a preposition of place is where they went, in any case
    for question in (
        "Berapa tentara yang dikirim ke Kazakhstan?",
        "berapa tentara yg ke kazakhstan",
    ):
        assert not off_question("Sekitar 2.500 orang.", [force], question)
    # with no kind asked, a country is where it happened, not whose figure it is
    assert not off_question("26 orang tewas.", [PASSAGE], "Berapa orang yang tewas di Armenia?")


def test_each_occurrence_of_a_figure_in_a_passage_counts_on_its_own() -> None:
    # the interior ministry's 18 injured protesters and the 18 officers killed, one passage
    passage = (
        "Kementerian Dalam Negeri Kazakh mengumumkan bahwa 26 pengunjuk rasa telah kehilangan "
        "nyawa mereka, dan 18 lainnya terluka. Setidaknya 18 petugas keamanan tewas."
    )
    question = "According to the Kazakh interior ministry, how many protesters were injured?"
    assert not off_question("18 protesters were injured.", [passage], question)
    assert miscounted("18 protesters were injured.", [passage]) == []
    # an occurrence that names its kind still binds it: no children in this passage
    assert miscounted("18 children were injured.", [passage]) == ["18"]
    # the sentence's own figures are one set of kinds, as before
    assert counts_in(passage)["18"] == {"forces"}
