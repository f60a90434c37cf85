"""Bad questions through ``Assistant.ask`` (extractive, seeded corpus): each gets a clear
answer, a refusal or a prompt to ask again, never an exception.

The plain cases ("", "   ", "\\x00\\x07", "🙂🙂🙂") and a long repeated question are in
test_assistant.py; these are the rest.
"""

from __future__ import annotations

import re
import unicodedata

import pytest

from index.cleaning import normalize_whitespace
from rag import Answer, Assistant
from rag.messages import MESSAGES
from tests.conftest import SEEDS

HOSPITAL_ID = "Berapa orang yang mencari perawatan di rumah sakit?"
DOC_KAZAKHSTAN = "004_94ce680aa1d7413e"
PROMPTS = {
    "Please type a question about the news in the corpus.",
    "Silakan tulis pertanyaan tentang berita di korpus.",
}
LINK_PROMPTS = {
    "The assistant does not open links. Please type a question about the news in the corpus.",
    "Asisten tidak membuka tautan. Tulis pertanyaan tentang berita di korpus.",
}
REFUSALS = {
    "The corpus does not contain this information.",
    "Informasi tersebut tidak ditemukan dalam korpus.",
}
NONSENSE = set(MESSAGES["nonsense"].values())
OTHER_LANGUAGE = "The assistant answers questions in Indonesian or English ("
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def _is_clear(assistant: Assistant, answer: Answer) -> None:
    """A refusal or prompt with nothing cited, or an answer whose citations hold."""
    assert answer.language in ("id", "en")
    assert answer.text.strip()
    if answer.refused:
        assert answer.citations == ()
        assert answer.text in PROMPTS | LINK_PROMPTS | REFUSALS | NONSENSE or (
            answer.text.startswith(OTHER_LANGUAGE)
        )
        return
    assert answer.citations
    assert "[1]" in answer.text
    for c in answer.citations:
        doc = assistant.document(c.doc_id)
        assert doc is not None
        assert normalize_whitespace(doc.raw[c.start : c.end]) == c.text


@pytest.mark.parametrize(
    "question",
    [
        "\t\n\r\x0b\x0c",
        "\u00a0\u3000\u2003",  # no-break, ideographic and em spaces
        "\u200b\u200b\u2060\ufeff",  # characters that render as nothing
        "\x1b[31m\x1b[0m\x85\x9b",  # terminal escapes, C1 controls
        "?!...;:-",
        "🇰🇿🔥💥",
        "👍🏽👨‍👩‍👧",
        "❓" * 50,
    ],
)
def test_questions_without_words_get_a_prompt(assistant: Assistant, question: str) -> None:
    answer = assistant.ask(question)

    assert answer.refused
    assert answer.text in PROMPTS
    assert answer.citations == () and answer.retrieved == ()
    assert "retrieve_ms" not in answer.timings  # nothing was searched


@pytest.mark.parametrize(
    "question",
    [
        f"\x00{HOSPITAL_ID}\x07",
        HOSPITAL_ID.replace(" ", "\x1b[31m "),
        HOSPITAL_ID.replace(" ", "\x85", 2).replace("rumah", "rumah\x9b"),
        HOSPITAL_ID.replace("perawatan", "pera\u200bwatan").replace("sakit", "sa\u202ekit"),
        HOSPITAL_ID.replace("rumah", "rumah\ud800"),  # a lone surrogate
        f"🏥 {HOSPITAL_ID} 🙏",
    ],
    ids=["c0", "ansi", "c1", "invisible", "surrogate", "emoji"],
)
def test_control_and_invisible_characters_do_not_change_the_answer(
    assistant: Assistant, question: str
) -> None:
    answer = assistant.ask(question)

    assert not answer.refused
    assert "2.600" in answer.text
    assert answer.citations[0].doc_id == DOC_KAZAKHSTAN
    assert not _UNSAFE.search(answer.standalone_question)
    assert answer.standalone_question.replace("🏥 ", "").replace(" 🙏", "") == HOSPITAL_ID
    _is_clear(assistant, answer)


@pytest.mark.parametrize(
    "question",
    [
        "https://example.com/berita/kazakhstan?id=1",
        "http://127.0.0.1:8000/ask",
        "www.mediapakuan.com",
        "mediapakuan.pikiran-rakyat.com/internasional/pr-123",
        "  <https://a.example/x>   https://b.example/y  ",
        "ftp://files.example.org/berita.txt",
    ],
)
def test_a_link_alone_gets_a_prompt_not_an_answer(assistant: Assistant, question: str) -> None:
    answer = assistant.ask(question)

    assert answer.refused
    assert answer.text in LINK_PROMPTS
    assert answer.citations == () and answer.retrieved == ()


def test_a_question_that_mentions_a_link_is_answered(assistant: Assistant) -> None:
    answer = assistant.ask(f"{HOSPITAL_ID} (sumber: https://mediapakuan.example/berita)")

    assert not answer.refused
    assert "2.600" in answer.text


@pytest.mark.parametrize(
    "question",
    [
        "Combien de personnes ont été soignées à l'hôpital ?",
        "¿Cuántas personas buscaron tratamiento en el hospital?",
        "Wie viele Menschen suchten Hilfe im Krankenhaus?",
        "病院で治療を受けた人は何人ですか？",
        "有多少人在医院接受治疗？",
        "Сколько человек обратились в больницу?",
        "كم عدد الأشخاص الذين طلبوا العلاج في المستشفى؟",
    ],
    ids=["fr", "es", "de", "ja", "zh", "ru", "ar"],
)
def test_a_question_in_a_third_language_is_declined_in_both_languages(
    assistant: Assistant, question: str
) -> None:
    answer = assistant.ask(question)

    _is_clear(assistant, answer)
    assert answer.refused and answer.text.startswith(OTHER_LANGUAGE)
    assert "bahasa Indonesia atau Inggris" in answer.text
    assert answer.retrieved == ()  # declined before any search
    assert answer.notices == ()


def _hundred_kb(text: str) -> str:
    return (text * (100_000 // len(text) + 1))[:100_000]


@pytest.mark.parametrize(
    ("question", "answered"),
    [
        # The question, then a pasted article: what is quoted depends on the article's start.
        (HOSPITAL_ID + " " + _hundred_kb((SEEDS / f"{DOC_KAZAKHSTAN}.txt").read_text()), None),
        (_hundred_kb("Berapa orang yang mencari perawatan di rumah sakit? "), True),
        ("x" * 100_000, None),  # one 100 KB "word": cut mid-word
        (_hundred_kb("🙂"), False),
        (_hundred_kb("\x00 "), False),
    ],
    ids=["question+article", "repeated", "one-word", "emoji", "controls"],
)
def test_100_kb_questions_are_cut_and_the_user_told(
    assistant: Assistant, question: str, answered: bool | None
) -> None:
    assert len(question) == 100_000 or question.startswith(HOSPITAL_ID)
    limit = assistant.settings.max_question_chars

    answer = assistant.ask(question)

    assert len(answer.standalone_question) <= limit
    cut = f"{limit} karakter pertama" if answer.language == "id" else f"first {limit} characters"
    if answered is False:  # nothing left to ask: the prompt, and no cut notice needed
        assert answer.refused and answer.text in PROMPTS
    else:
        assert len(answer.notices) == 1 and cut in answer.notices[0]
        _is_clear(assistant, answer)
    if answered:
        assert not answer.refused
        assert "2.600" in answer.text


def test_a_question_at_the_limit_is_not_cut(assistant: Assistant) -> None:
    limit = assistant.settings.max_question_chars
    question = (HOSPITAL_ID + " ") * (limit // (len(HOSPITAL_ID) + 1))
    question = question + "x" * (limit - len(question))
    assert len(question) == limit

    answer = assistant.ask(question)

    assert answer.notices == ()
    assert len(answer.standalone_question) == limit


def test_cut_questions_end_on_a_word_boundary(assistant: Assistant) -> None:
    question = "Berapa jumlah pasukan CSTO yang dikirim ke Kazakhstan?"
    answer = assistant.ask(_hundred_kb(question + " "))

    assert answer.notices
    assert set(answer.standalone_question.split()) <= set(question.split(" "))


def test_the_question_is_echoed_unchanged(assistant: Assistant) -> None:
    question = f"\x00{HOSPITAL_ID}\u202e"

    answer = assistant.ask(question)

    assert answer.question == question
    assert unicodedata.normalize("NFC", answer.standalone_question) == HOSPITAL_ID


def test_a_question_that_is_not_a_string_is_a_type_error(assistant: Assistant) -> None:
    with pytest.raises(TypeError, match="question must be a string, got bytes"):
        assistant.ask(b"Berapa orang?")  # type: ignore[arg-type]
