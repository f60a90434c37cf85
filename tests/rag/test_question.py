"""Stage 1: a question cleaned, its language told, stopped when it cannot be asked at all."""

from __future__ import annotations

import pytest

from rag.messages import message
from rag.question import Question, QuestionPreparer, Stop, is_nonsense

VOCABULARY = frozenset({"csto", "tokayev", "almaty", "pasukan", "kazakhstan"})


def _prepare(text: str, history: list[tuple[str, str]] | None = None, condense=None):  # type: ignore[no-untyped-def]
    return QuestionPreparer(200, 6, lambda: VOCABULARY).run(text, history or [], condense)


@pytest.mark.parametrize(
    "text",
    [
        "asdfgh jkl zzz",
        "lorem ipsum dolor sit amet",
        "xkcd qqq",
        "brrrr zzzt",
        "asdfgh qwerty",
        "Asdfgh Qwerty",  # capitals make no names without a question
        "12345",
        "2.600?",
    ],
)
def test_nonsense_stops_before_retrieval(text: str) -> None:
    stopped = _prepare(text)
    assert isinstance(stopped, Stop) and stopped.reason == "nonsense"
    assert "could not be understood" in stopped.message or "tidak dapat" in stopped.message


@pytest.mark.parametrize(
    "text",
    [
        "berapa pasukn csto yg dikirm",  # typos keep more than half of the words
        "CSTO peacekeepers?",
        "Tokayev?",
        "kerusuhannya di mana",  # known by its stem
        "How many people sought hospital treatment?",
        "Siapa Stanislav Zas?",  # a name the corpus lacks: looked up, and not found
    ],
)
def test_real_questions_are_not_nonsense(text: str) -> None:
    assert not is_nonsense(text, VOCABULARY)
    assert isinstance(_prepare(text), Question)


def test_a_third_language_is_declined_in_english_naming_it() -> None:
    stopped = _prepare("Welche Länder haben Soldaten nach Kasachstan geschickt?")
    assert isinstance(stopped, Stop) and stopped.reason == "other_language"
    assert stopped.language == "en" and "(German is not supported)" in stopped.message


def test_a_link_is_left_out_of_what_is_searched() -> None:
    question = _prepare("Berapa pasukan CSTO? (sumber: https://x.example/berita)")
    assert isinstance(question, Question)
    assert question.language == "id"
    assert "https" not in question.standalone and "sumber" in question.standalone


def test_a_followup_is_condensed_by_the_model_or_by_rule() -> None:
    history = [("user", "Siapa presiden Kazakhstan?"), ("assistant", "Kassym-Jomart Tokayev [1].")]
    by_model = _prepare("Apa perintahnya?", history, lambda q, turns: "Apa perintah Tokayev?")
    assert isinstance(by_model, Question) and by_model.standalone == "Apa perintah Tokayev?"
    by_rule = _prepare("Apa perintahnya?", history, lambda q, turns: None)
    assert isinstance(by_rule, Question) and "Tokayev" in by_rule.standalone
    assert by_rule.is_followup
    assert by_model.answered == by_model.standalone  # the model is asked the rewrite


def test_a_followup_given_context_is_searched_with_it_and_asked_as_written() -> None:
    """No rewrite and no one person to name: the search gets the last turn's names and
    question; the model gets the question, which it would otherwise answer the last one."""
    history = [
        ("user", "Apa yang memicu kerusuhan di Kazakhstan?"),
        ("assistant", "Kenaikan harga LPG di Kazakhstan [1]."),
    ]
    question = _prepare("Negara mana kirim pasukan?", history, lambda q, turns: None)
    assert isinstance(question, Question)
    assert question.searched.startswith("Negara mana kirim pasukan? (")
    assert "memicu kerusuhan" in question.searched
    assert question.answered == "Negara mana kirim pasukan?"


def test_an_overlong_question_is_cut_with_a_notice() -> None:
    question = _prepare("Berapa pasukan CSTO " * 30)
    assert isinstance(question, Question)
    assert len(question.text) <= 200 and question.notices


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("berapa", "id"),
        ("Siapa saja?", "id"),
        ("Berapa lama?", "id"),
        ("how many?", "en"),
        ("Why", "en"),
    ],
)
def test_question_words_alone_ask_for_a_whole_question(text: str, language: str) -> None:
    stopped = _prepare(text)
    assert isinstance(stopped, Stop) and stopped.reason == "vague"
    assert stopped.message == message("vague", language)  # type: ignore[arg-type]


def test_question_words_alone_in_a_conversation_are_a_followup() -> None:
    history = [("user", "Siapa yang meminta bantuan CSTO?"), ("assistant", "Tokayev [1].")]
    question = _prepare("Kenapa?", history, lambda q, turns: "Kenapa Tokayev meminta bantuan?")
    assert isinstance(question, Question)
    assert question.standalone == "Kenapa Tokayev meminta bantuan?"


@pytest.mark.parametrize("text", ["Apa yang terjadi?", "What happened?", "Apa saja yang terjadi?"])
def test_a_broad_question_is_not_vague(text: str) -> None:
    prepared = _prepare(text)
    assert not (isinstance(prepared, Stop) and prepared.reason == "vague")


def test_nonsense_after_a_question_is_not_taken_for_a_followup() -> None:
    history = [("user", "Berapa pasukan CSTO?"), ("assistant", "Sekitar 2.500 orang [1].")]
    stopped = _prepare("asdfgh qwerty", history, lambda q, turns: "Berapa pasukan CSTO?")
    assert isinstance(stopped, Stop) and stopped.reason == "nonsense"


def test_nonsense_is_answered_in_the_language_of_the_conversation() -> None:
    # lingua takes "asdfgh qwerty" for English; the asker has been writing Indonesian
    indonesian = [("user", "Berapa pasukan CSTO?"), ("assistant", "Sekitar 2.500 orang [1].")]
    stopped = _prepare("asdfgh qwerty", indonesian)
    assert isinstance(stopped, Stop) and stopped.language == "id"
    assert stopped.message == message("nonsense", "id")
    english = [("user", "How many CSTO troops?"), ("assistant", "About 2,500 [1].")]
    stopped = _prepare("wkwkwk jdksla", english)
    assert isinstance(stopped, Stop) and stopped.language == "en"
    # a real question keeps its own language
    question = _prepare("What did Tokayev order?", indonesian)
    assert isinstance(question, Question) and question.language == "en"


@pytest.mark.parametrize("text", ["almaty", "Almaty?", "kazakhstan " * 50])
def test_a_keyword_search_in_the_corpus_words_goes_on(text: str) -> None:
    assert isinstance(_prepare(text), Question)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Write me a poem about Kazakhstan", "en"),
        ("Tell me a joke about the CSTO", "en"),
        ("Compose a song about the protests in Almaty", "en"),
        ("Buatkan pantun tentang Almaty", "id"),
        ("tolong tulis puisi tentang kerusuhan di Kazakhstan", "id"),
        ("Please, write a poem about the CSTO", "en"),
        ("Can you please write me a song about Almaty?", "en"),
    ],
)
def test_a_request_for_verse_a_song_or_a_joke_is_declined(text: str, language: str) -> None:
    stopped = _prepare(text)
    assert isinstance(stopped, Stop) and stopped.reason == "task"
    assert stopped.language == language
    assert ("poems" in stopped.message) if language == "en" else ("puisi" in stopped.message)


@pytest.mark.parametrize(
    "text",
    [
        "Tell me the story of the protests in Kazakhstan",
        "Buatkan ringkasan berita tentang CSTO",
        "What did the CSTO say about the song of the protesters?",  # no request to write one
        "Did Psaki make jokes about the Russian claims?",  # asked about, not asked for
    ],
)
def test_a_request_about_the_news_goes_on(text: str) -> None:
    assert isinstance(_prepare(text), Question)


def test_a_greeting_is_answered_in_kind_in_its_own_language() -> None:
    stopped = _prepare("halo")
    assert isinstance(stopped, Stop) and stopped.reason == "small_talk"
    assert (stopped.language, stopped.message) == ("id", message("greeting", "id"))
    stopped = _prepare("Hi there!")
    assert isinstance(stopped, Stop) and stopped.message == message("greeting", "en")


def test_thanks_after_an_answer_is_not_taken_for_a_followup() -> None:
    """A short message after an answer reads as a follow-up by its length; thanks asks
    nothing, so nothing is searched or asked of the model."""
    turns = [("user", "Berapa pasukan CSTO?"), ("assistant", "Sekitar 2.500 orang [1].")]
    asked: list[str] = []
    stopped = _prepare("makasih!", turns, condense=lambda q, t: asked.append(q) or None)
    assert isinstance(stopped, Stop) and stopped.message == message("thanks", "id")
    assert asked == []
    # words of no language ("ok") are answered in the conversation's
    english = [("user", "How many CSTO troops?"), ("assistant", "About 2,500 [1].")]
    stopped = _prepare("ok", english)
    assert isinstance(stopped, Stop) and stopped.message == message("thanks", "en")


def test_a_followup_after_thanks_leans_on_the_question_before() -> None:
    turns = [
        ("user", "Siapa yang meminta bantuan CSTO?"),
        ("assistant", "Presiden Kazakhstan, Kassym-Jomart Tokayev meminta bantuan CSTO [1]."),
        ("user", "makasih"),
        ("assistant", message("thanks", "id")),
    ]
    question = _prepare("Berapa pasukan yang dikirim?", turns)
    assert isinstance(question, Question)
    assert "Tokayev" in question.searched and "makasih" not in question.searched
    # after small talk alone there is nothing to follow up on
    greeted = [("user", "halo"), ("assistant", message("greeting", "id"))]
    question = _prepare("Berapa pasukan yang dikirim?", greeted)
    assert isinstance(question, Question) and not question.is_followup


@pytest.mark.parametrize(
    ("text", "searched"),
    [
        ("tell me about the protests", "the protests"),
        ("Can you tell me more about Tokayev?", "Tokayev?"),
        ("What do the articles say about the CSTO troops?", "the CSTO troops?"),
        ("ceritakan tentang protes", "protes"),
        ("Jelasin dong soal CSTO", "CSTO"),
        ("info tentang korban tewas", "korban tewas"),
        # a question, or a request for something the news tells, stays whole
        ("Tell me the story of the protests", "Tell me the story of the protests"),
        ("Apa yang terjadi di Almaty?", "Apa yang terjadi di Almaty?"),
        ("tell me about", "tell me about"),
    ],
)
def test_a_request_opening_is_not_searched_for(text: str, searched: str) -> None:
    prepared = _prepare(text)
    assert isinstance(prepared, Question)
    assert prepared.searched == searched
    assert prepared.answered == text  # the model reads the request whole
    assert not prepared.is_followup
