"""The kind of answer a question asks for, and whether a text holds one."""

from rag.answer_types import expected_answer_type, has_answer_type, is_quantity_question


def test_expected_answer_type_from_question_words() -> None:
    assert expected_answer_type("Berapa jumlah korban?") == "number"
    assert expected_answer_type("How many troops?") == "number"
    assert expected_answer_type("Kapan protes dimulai?") == "date"
    assert expected_answer_type("Who is Peskov?") == "name"
    assert expected_answer_type("Mengapa warga protes?") is None


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
