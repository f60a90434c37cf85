"""Bad questions through POST /ask and /ask/stream: a JSON answer, refusal or client error,
never a 500. (Empty, blank and over-long questions as 422s are in test_http.py.)"""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.sse import parse_sse

HOSPITAL = "Berapa orang yang mencari perawatan di rumah sakit?"
PROMPT = "Please type a question about the news in the corpus."
LINK_PROMPT = (
    "The assistant does not open links. Please type a question about the news in the corpus."
)
REFUSALS = {
    "The corpus does not contain this information.",
    "Informasi tersebut tidak ditemukan dalam korpus.",
}


def _post(client: TestClient, path: str, raw_json: str) -> tuple[int, dict[str, Any]]:
    """Send ``raw_json`` as is (so escapes like \\u0000 reach the server unchanged)."""
    response = client.post(
        path, content=raw_json.encode(), headers={"content-type": "application/json"}
    )
    assert response.status_code != 500, response.text
    if path == "/ask/stream" and response.status_code == 200:
        assert response.headers["content-type"].startswith("text/event-stream")
        events = parse_sse(response.text)
        assert [name for name, _ in events][-1] == "answer"
        return 200, events[-1][1]
    assert response.headers["content-type"] == "application/json"
    return response.status_code, response.json()


def _body(question: str) -> str:
    return json.dumps({"question": question})


PATHS = pytest.mark.parametrize("path", ["/ask", "/ask/stream"])


@PATHS
@pytest.mark.parametrize(
    "raw_json",
    [
        r'{"question": "\u0000\u0007\u001b[31m\u0085"}',
        _body("🙂🔥🇰🇿"),
        _body("\u200b\u2060\ufeff"),
    ],
    ids=["controls", "emoji", "invisible"],
)
def test_a_question_without_words_gets_a_prompt(
    client: TestClient, path: str, raw_json: str
) -> None:
    status, answer = _post(client, path, raw_json)

    assert status == 200
    assert answer["refused"] is True
    assert answer["text"] == PROMPT
    assert answer["citations"] == []


@PATHS
def test_control_characters_around_a_question_are_ignored(client: TestClient, path: str) -> None:
    raw_json = r'{"question": "\u0000' + HOSPITAL + r'\u001b[0m\u0085"}'

    status, answer = _post(client, path, raw_json)

    assert status == 200
    assert answer["refused"] is False
    assert "2.600" in answer["text"]
    assert answer["standalone_question"] == HOSPITAL


@PATHS
def test_a_lone_surrogate_is_a_422_naming_the_field(client: TestClient, path: str) -> None:
    # Valid JSON, but not a Unicode string: FastAPI's own handler crashed echoing it back.
    raw_json = r'{"question": "Siapa presiden\ud800 Kazakhstan?"}'

    status, body = _post(client, path, raw_json)

    assert status == 422
    [error] = body["detail"]
    assert error["loc"] == ["body", "question"]
    assert error["type"] == "string_unicode"


@PATHS
@pytest.mark.parametrize(
    "question",
    ["https://example.com/berita/kazakhstan?id=1", "www.mediapakuan.com"],
)
def test_a_link_alone_gets_a_prompt(client: TestClient, path: str, question: str) -> None:
    status, answer = _post(client, path, _body(question))

    assert status == 200
    assert answer["refused"] is True
    assert answer["text"] == LINK_PROMPT


@PATHS
@pytest.mark.parametrize(
    "question",
    [
        "Combien de personnes ont été soignées à l'hôpital ?",
        "病院で治療を受けた人は何人ですか？",
        "Сколько человек обратились в больницу?",
    ],
    ids=["fr", "ja", "ru"],
)
def test_a_question_in_a_third_language_is_declined_in_both_languages(
    client: TestClient, path: str, question: str
) -> None:
    status, answer = _post(client, path, _body(question))

    assert status == 200
    assert answer["language"] == "en" and answer["refused"]
    assert answer["text"].startswith("The assistant answers questions in Indonesian or English")
    assert "bahasa Indonesia atau Inggris" in answer["text"] and answer["citations"] == []


@PATHS
def test_a_100_kb_question_is_a_413(client: TestClient, path: str) -> None:
    status, body = _post(client, path, _body("Berapa orang? " * 7200))

    assert status == 413
    assert body == {"detail": "request body too large: the limit is 65536 bytes"}


@PATHS
def test_a_question_over_the_assistants_limit_is_cut_and_the_user_told(
    client: TestClient, path: str
) -> None:
    question = (HOSPITAL + " ") * 30  # 1560 characters: the API takes it, the assistant cuts it

    status, answer = _post(client, path, _body(question.strip()))

    assert status == 200
    assert answer["notices"] == ["Pertanyaan dipotong menjadi 1000 karakter pertama."]
    assert len(answer["standalone_question"]) <= 1000
    assert "2.600" in answer["text"]
