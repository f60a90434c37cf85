"""The kind of answer a question asks for, and whether a text holds one."""

import pytest

from rag.answer_types import (
    answered_in_one_sentence,
    asked_amount,
    asks_about_sources,
    asks_for_countries,
    asks_for_several,
    asks_identity,
    asks_name,
    asks_when,
    asks_year,
    days_in,
    expected_answer_type,
    figures_in,
    gives_name,
    has_amount,
    has_answer_type,
    has_figure,
    is_quantity_question,
    wants_figure,
)


def test_expected_answer_type_from_question_words() -> None:
    assert expected_answer_type("Berapa jumlah korban?") == "number"
    assert expected_answer_type("How many troops?") == "number"
    assert expected_answer_type("Kapan protes dimulai?") == "date"
    assert expected_answer_type("Who is Peskov?") == "name"
    assert expected_answer_type("Mengapa warga protes?") is None
    assert expected_answer_type("Protes mulai tanggal berapa?") == "date"  # not a figure
    assert expected_answer_type("On what day did the troops arrive?") == "date"


def test_answer_type_ignores_dates_when_a_number_is_wanted() -> None:
    assert not has_answer_type("Pada Rabu (5/1), Peskov berbicara.", "number")
    assert has_answer_type("Sekitar 2.500 orang dikirim.", "number")
    assert has_answer_type("Protes dimulai pada hari Minggu (2/1/2022).", "date")


def test_quantity_questions_in_both_languages() -> None:
    assert is_quantity_question("How large was the force?")
    assert is_quantity_question("Angka korban berapa?")
    assert not is_quantity_question("Siapa korban pertama?")


def test_a_name_is_a_capitalised_word_that_does_not_open_the_sentence() -> None:
    assert has_answer_type("Juru bicara itu, Ned Price, berbicara.", "name")
    assert not has_answer_type("Pasukan itu tiba kemarin.", "name")


@pytest.mark.parametrize(
    ("question", "amount"),
    [
        ("Berapa kerugian ekonomi akibat kerusuhan?", "money"),
        ("How much did the aid cost?", "money"),
        ("What was the president's approval rating?", "percent"),
        ("Berapa persen kenaikan harga LPG?", "percent"),
        ("Why did fuel prices rise?", None),  # a money word, but no amount asked for
        ("How many troops were sent?", None),
    ],
)
def test_questions_that_ask_for_an_amount(question: str, amount: str | None) -> None:
    assert asked_amount(question) == amount


@pytest.mark.parametrize(
    ("text", "money", "percent"),
    [
        ("Kerugian mencapai Rp 5 juta.", True, False),
        ("aid worth $5 billion", True, False),
        ("sekitar 2 miliar dolar", True, False),
        ("harga naik 45 persen", True, True),  # a percentage answers "by how much" too
        ("sekitar 2.500 orang", False, False),
    ],
)
def test_amounts_in_text(text: str, money: bool, percent: bool) -> None:
    assert has_amount(text, "money") is money
    assert has_amount(text, "percent") is percent


def test_days_as_news_and_answers_write_them() -> None:
    assert days_in("Minggu (2/1/2022) dan Kamis, 6 Januari 2022") == {(2, 1), (6, 1)}
    assert days_in("on January 16, 2022 and 7 Jan") == {(16, 1), (7, 1)}
    assert days_in("sekitar 2.500 orang, 225 jenazah") == set()


def test_when_questions_in_both_languages() -> None:
    assert asks_when("Protes di Kazakhstan mulai tanggal berapa?")  # also a "berapa" question
    assert asks_when("what day did they start deploying")
    assert asks_when("On which day did Psaki speak to reporters?")
    assert expected_answer_type("Which date did the talks start on?") == "date"
    assert not asks_when("Berapa jumlah pasukan CSTO?")


@pytest.mark.parametrize(
    "question",
    [
        "Negara mana saja yang mengirim tentara?",
        "sebutin semua pejabat yang dikutip",
        "Apa aja yang terjadi hari itu?",
        "Awalnya korban luka berapa, lalu belakangan berapa?",
        "Apakah sikap Rusia berubah?",
        "What kinds of complaints came in?",
        "Give me every culprit the different sides pointed to.",
        "How many were killed, and was that number revised later?",
        "Protes mulai tanggal berapa, dan kapan pasukan masuk?",
        "Who spoke? What did they say?",
        "Did the death toll change over the week?",
    ],
)
def test_questions_that_ask_for_several_things(question: str) -> None:
    assert asks_for_several(question)


@pytest.mark.parametrize(
    "question",
    [
        "Berapa jumlah pasukan CSTO yang dikirim ke Kazakhstan?",
        "Siapa menlu Amerika yang mengkritik pengerahan pasukan?",
        "What did Blinken ask the Kazakh and CSTO forces to respect?",
        "When did the demonstrations kick off?",
        "Apa kepanjangan CSTO?",
        "What kind of city is Almaty?",  # one kind: "what kinds of" asks for a list
    ],
)
def test_a_factoid_asks_for_one_thing(question: str) -> None:
    assert not asks_for_several(question)


@pytest.mark.parametrize(
    "question",
    [
        "Negara mana saja yang mengirim pasukan?",
        "negara-negara apa yang ikut?",
        "Berapa negara yang mengirim tentara?",
        "Which countries sent troops?",
        "What other nations took part?",
        "Give me the countries that sent soldiers",
    ],
)
def test_questions_about_countries(question: str) -> None:
    assert asks_for_countries(question)


def test_a_question_that_only_mentions_countries_does_not_ask_for_them() -> None:
    assert not asks_for_countries("What did Russia learn from entering other countries?")
    assert not asks_for_countries("Apa kata negara itu?")


def test_which_countries_wants_a_list_of_them_how_many_a_number() -> None:
    assert expected_answer_type("Which countries sent troops?") == "countries"
    assert expected_answer_type("How many countries sent troops?") == "number"
    assert has_answer_type("Pasukan dari Rusia, Belarus, Armenia dan Tajikistan", "countries")
    assert not has_answer_type("Pasukan dari Rusia dan Belarus", "countries")


@pytest.mark.parametrize(
    ("text", "figures"),
    [
        ("Protes dimulai pada Minggu (2/1/2022).", {"2022"}),  # a date's day and month
        ("Pada 6 Januari 2022 sebanyak 2.500 orang", {"2022", "2500"}),
        ("On January 5, 2022, 18 were killed.", {"2022", "18"}),
        ("Protes itu terjadi pada jam 2 malam.", {"2"}),
        ("Rabu (5/1)", set()),
    ],
)
def test_figures_leave_out_the_day_and_month_of_a_date(text: str, figures: set[str]) -> None:
    assert figures_in(text) == figures


def test_a_figure_is_neither_a_date_nor_a_year() -> None:
    assert has_figure("Sebanyak 225 jenazah dikirim ke kamar mayat.")
    assert not has_figure("Seorang pria berdiri di depan Balai Kota, Kamis (6/1/2022).")
    assert not has_figure("Pada 16 Januari 2022, pasukan CSTO tetap berada di sana.")


def test_a_figure_may_be_written_in_words() -> None:
    assert has_figure("aliansi militer Eurasia dari lima bekas republik Soviet dan Rusia")
    assert has_figure("ribuan warga sipil menjadi korban")
    assert has_figure("about three days later") and has_figure("belasan orang")
    assert not has_figure("salah satu negara bekas Soviet")


def test_a_year_is_a_figure_when_the_question_asks_for_one() -> None:
    assert asks_year("Sejak tahun berapa Tokayev menjabat?") and asks_year("Since what year?")
    assert not asks_year("Berapa orang yang tewas?")
    assert has_figure("Ia menjabat sejak 2019.", years=True)
    assert not has_figure("Ia menjabat sejak 2019.")


def test_a_how_many_question_wants_a_figure_and_a_how_long_one_need_not() -> None:
    assert wants_figure("Berapa orang yang tewas?") and wants_figure("How many troops?")
    assert not wants_figure("Misi itu berlangsung berapa lama?")
    assert not wants_figure("How long was the mission meant to last?")
    assert not wants_figure("Tanggal berapa protes dimulai?")  # a date
    assert not wants_figure("Who asked the CSTO for help?")


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("Siapa nama juru bicara Kremlin?", True),
        ("Apa nama istana presiden yang dibakar?", True),
        ("Juru bicara Kremlin namanya siapa?", True),
        ("What is the name of the Russian general who led the troops?", True),
        ("What's the name of the alliance?", True),
        ("Who asked the CSTO for help?", False),  # a person, by name or by office
        ("Name the two things the State Department would watch.", False),  # a list
    ],
)
def test_a_question_may_ask_for_a_name(question: str, asks: bool) -> None:
    assert asks_name(question) is asks


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("Who is Dmitry Peskov?", True),
        ("Siapa Jen Psaki?", True),
        ("Ned Price itu siapa?", True),
        ("Siapa itu Stanislav Zas?", True),
        ("Who is the president of Kazakhstan?", False),  # a name, not who someone is
        ("Siapa yang meminta bantuan CSTO?", False),
        ("Who is Psaki talking to?", False),
    ],
)
def test_a_question_may_ask_who_a_named_person_is(question: str, asks: bool) -> None:
    assert asks_identity(question) is asks


@pytest.mark.parametrize(
    ("text", "gives"),
    [
        ("Juru bicara Kremlin adalah Dmitry Peskov [1].", True),
        ("The spokesman is Ned Price.", True),  # English words, but not Indonesian ones
        ("Sekretaris Jenderal CSTO Stanislav Zas.", True),
        ("The alliance is the CSTO.", True),  # a body's name
        # an office, a former state and a body's name in ordinary words: nobody named
        (
            "Sekretaris Jenderal aliansi bekas Soviet --Organisasi Perjanjian Keamanan Bersama--.",
            False,
        ),
        # capitalised ordinary words and an office beside a name ("Kata Sekjen ... Ned Price")
        ("Kata Sekjen --Organisasi Perjanjian Keamanan Bersama-- di Balai Kota.", False),
        ("Kata Sekjen --Organisasi Perjanjian Keamanan Bersama-- dan Ned Price.", True),
        # the question's own name, a country and a weekday
        ("Yang berdiri di depan Balai Kota Almaty di Kazakhstan, Kamis (6/1/2022).", False),
    ],
)
def test_an_answer_gives_a_name_the_question_does_not(text: str, gives: bool) -> None:
    question = "Siapa nama orang yang berdiri di depan Balai Kota Almaty?"
    assert gives_name(text, question) is gives


def test_a_question_may_ask_about_the_articles_themselves() -> None:
    assert asks_about_sources("Media mana saja yang memberitakan kerusuhan Kazakhstan?")
    assert asks_about_sources("Which outlet published the photo?")
    assert not asks_about_sources("Kantor berita apa yang mewawancarai Jen Psaki?")
    assert not asks_about_sources("Which reporter asked Psaki about the talks?")


@pytest.mark.parametrize(
    ("question", "conflict", "one"),
    [
        ("Berapa korban luka?", False, True),
        ("Berapa korban luka?", True, False),  # figures by date: one sentence each
        ("Negara mana saja yang mengirim pasukan?", False, False),
        ("Menurut dia, Kazakhstan minta tolong ke Rusia atau tidak?", False, False),
        ("Apakah Rusia mengirim pasukan?", False, False),
        ("Did the Kremlin name the US?", False, False),
        ("Who did Tokayev blame?", False, True),
        ("Is it true? Who said so?", False, False),
    ],
)
def test_a_one_fact_question_is_answered_in_one_sentence(
    question: str, conflict: bool, one: bool
) -> None:
    assert answered_in_one_sentence(question, conflict) is one
