import pytest

from rag.small_talk import small_talk, without_small_talk


@pytest.mark.parametrize(
    ("text", "kind", "language"),
    [
        ("halo", "greeting", "id"),
        ("Halo kak!", "greeting", "id"),
        ("Selamat pagi, apa kabar?", "greeting", "id"),
        ("assalamualaikum", "greeting", "id"),
        ("Siapa kamu?", "greeting", "id"),
        ("Hi there 👋", "greeting", "en"),
        ("good morning!", "greeting", "en"),
        ("What can you do?", "greeting", "en"),
        ("help", "greeting", "en"),
        ("What is this about?", "about", "en"),
        ("What can I ask?", "about", "en"),
        ("What articles do you have?", "about", "en"),
        ("ini tentang apa sih?", "about", "id"),
        ("Artikel ini tentang apa?", "about", "id"),
        ("ringkas semua artikel", "about", "id"),
        ("Summarize the articles", "about", "en"),
        ("artikel apa saja yang ada?", "about", "id"),
        ("Apa isi korpus ini?", "about", "id"),
        ("terima kasih!", "thanks", "id"),
        ("makasih banyak kak 🙏", "thanks", "id"),
        ("Terima kasih atas jawabannya.", "thanks", "id"),
        ("Thank you so much!!", "thanks", "en"),
        ("thanks for the help", "thanks", "en"),
        ("thanks, bye", "goodbye", "en"),
        ("sampai jumpa", "goodbye", "id"),
    ],
)
def test_a_message_that_is_only_small_talk_is_told_by_kind_and_language(
    text: str, kind: str, language: str
) -> None:
    said = small_talk(text)
    assert said is not None and (said.kind, said.language) == (kind, language)


def test_words_of_no_language_leave_the_language_open() -> None:
    for text in ("ok", "Hey!", "oke sip"):
        said = small_talk(text)
        assert said is not None and said.language is None


@pytest.mark.parametrize(
    "text",
    [
        "Halo, siapa presiden Kazakhstan?",
        "Thanks, and how many troops were sent?",
        "thanks for the answer about the CSTO",
        "Who helped Kazakhstan?",  # "help" inside a question
        "hiking",  # a phrase at the start of a longer word
        "Apa kabar terbaru soal CSTO?",
        "CSTO",
        # asking what the corpus says about something is a question about the news
        "What is this about Tokayev?",
        "Tentang apa protes itu?",
        "What can I ask about the CSTO?",
        "tentang apa?",  # after an answer: "about what?", a follow-up
        "What is it about?",  # "it": the last answer's subject
        "Ringkas artikel tentang Blinken",  # a summary of something: a question
        "",
    ],
)
def test_a_question_is_not_small_talk(text: str) -> None:
    assert small_talk(text) is None


def test_small_talk_and_its_reply_leave_the_conversation() -> None:
    turns = [
        ("user", "halo"),
        ("assistant", "Halo! ..."),
        ("user", "Siapa yang meminta bantuan CSTO?"),
        ("assistant", "Tokayev [1]."),
        ("user", "thanks!"),
        ("assistant", "You're welcome."),
    ]
    assert without_small_talk(turns) == turns[2:4]
