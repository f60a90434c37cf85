"""The HTTP API in process (TestClient): each endpoint, the limits, the errors, the token."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Iterator
from typing import Any, cast

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from api import ApiConfigError, ApiSettings
from api.http import create_app, make_server, serve
from api.models import AnswerOut
from api.settings import LOOPBACK_HOSTS, is_loopback, load_api_settings
from rag import Answer, Assistant, FilterError, GenerationError
from tests.api.sse import parse_sse

HOSPITAL = "Berapa orang mencari perawatan di rumah sakit?"
TOKEN = "test-token-0123456789abcdef"
DOC_KAZAKHSTAN = "004_94ce680aa1d7413e"  # MEDIA PAKUAN, 2022-01-16
DOC_BLINKEN = "000_5af2c4d53b4ab9d2"  # MEDIA PAKUAN, 2022-01-10


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _without_timings(answer: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in answer.items() if key != "timings"}


def _assert_span_round_trips(assistant: Assistant, item: dict[str, Any]) -> None:
    doc = assistant.document(item["doc_id"])
    assert doc is not None
    assert _collapse(doc.raw[item["start"] : item["end"]]) == _collapse(item["text"])


# -- /retrieve ----------------------------------------------------------------------------
def test_retrieve_returns_the_retrievers_passages_with_exact_spans(
    client: TestClient, assistant: Assistant
) -> None:
    response = client.post("/retrieve", json={"query": "CSTO", "k": 3})

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    passages = response.json()["passages"]
    expected = [node.to_passage().to_dict() for node in assistant.retriever.retrieve("CSTO", k=3)]
    assert passages == expected
    assert len(passages) == 3
    assert all("CSTO" in p["text"] for p in passages)
    assert [p["score"] for p in passages] == sorted((p["score"] for p in passages), reverse=True)
    for passage in passages:
        _assert_span_round_trips(assistant, passage)


def test_retrieve_defaults_to_five_passages(client: TestClient) -> None:
    response = client.post("/retrieve", json={"query": "Kazakhstan"})

    assert response.status_code == 200
    assert len(response.json()["passages"]) == 5


def test_retrieve_filters_by_document(client: TestClient) -> None:
    body = {"query": "CSTO", "k": 50, "filters": {"doc_id": DOC_KAZAKHSTAN}}
    passages = client.post("/retrieve", json=body).json()["passages"]

    assert len(passages) == 8  # every chunk of the article, none of the others
    assert {p["doc_id"] for p in passages} == {DOC_KAZAKHSTAN}


def test_retrieve_filters_by_publication_date(client: TestClient) -> None:
    filters = {"published_from": "2022-01-10", "published_to": "2022-01-16"}
    passages = client.post(
        "/retrieve", json={"query": "pasukan", "k": 50, "filters": filters}
    ).json()["passages"]

    # 000 (10 Jan) and 004 (16 Jan); 001 and 002 are from 8 Jan, 003 has no date.
    assert {p["doc_id"] for p in passages} == {DOC_BLINKEN, DOC_KAZAKHSTAN}
    assert len(passages) == 6 + 8


# -- /ask ---------------------------------------------------------------------------------
def test_ask_answers_with_a_citation_of_the_article(
    client: TestClient, assistant: Assistant
) -> None:
    response = client.post("/ask", json={"question": HOSPITAL})

    assert response.status_code == 200
    body = response.json()
    assert body["refused"] is False
    assert body["generator"] == "extractive"
    assert body["language"] == "id"
    assert body["citations"], body
    assert "2.600 orang" in body["citations"][0]["text"]
    assert body["citations"][0]["doc_id"] == DOC_KAZAKHSTAN
    assert "[1]" in body["text"]
    for citation in body["citations"]:
        _assert_span_round_trips(assistant, citation)
    expected = assistant.ask(HOSPITAL).to_dict()
    assert set(body) == set(expected)
    assert _without_timings(body) == _without_timings(expected)


def test_ask_uses_the_history_for_a_follow_up(client: TestClient, assistant: Assistant) -> None:
    history = [
        {"role": "user", "content": "Berapa jumlah pasukan CSTO yang dikirim ke Kazakhstan?"},
        {"role": "assistant", "content": "Sekitar 2.500 orang [1]."},
    ]
    question = "Siapa yang memimpinnya?"

    body = client.post("/ask", json={"question": question, "history": history}).json()

    pairs = [(turn["role"], turn["content"]) for turn in history]
    expected = assistant.ask(question, pairs).to_dict()
    assert body["standalone_question"] == expected["standalone_question"]
    assert body["standalone_question"] != question
    assert _without_timings(body) == _without_timings(expected)


def test_ask_accepts_a_question_of_the_maximum_length(client: TestClient) -> None:
    question = ("CSTO " * 400)[:2000]

    response = client.post("/ask", json={"question": question})

    assert response.status_code == 200
    assert len(response.json()["notices"]) == 1  # the assistant cut it to its own limit


# -- /ask/stream --------------------------------------------------------------------------
def test_ask_stream_sends_deltas_then_the_answer(client: TestClient, assistant: Assistant) -> None:
    with client.stream("POST", "/ask/stream", json={"question": HOSPITAL}) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        events = parse_sse(response.read().decode("utf-8"))

    names = [name for name, _ in events]
    assert names[-1] == "answer"
    assert names[:-1] and set(names[:-1]) == {"delta"}
    answer = events[-1][1]
    assert "".join(data["text"] for _, data in events[:-1]) == answer["text"]
    assert answer["citations"]
    assert _without_timings(answer) == _without_timings(assistant.ask(HOSPITAL).to_dict())


# -- invalid input ------------------------------------------------------------------------
def _ask(**fields: Any) -> dict[str, Any]:
    return {"question": "q", **fields}


def _filtered(**filters: Any) -> dict[str, Any]:
    return {"query": "CSTO", "filters": filters}


@pytest.mark.parametrize(
    ("path", "body", "loc"),
    [
        ("/ask", {"question": ""}, ["body", "question"]),
        ("/ask", {"question": "   \n"}, ["body", "question"]),
        ("/ask", {"question": "a" * 2001}, ["body", "question"]),
        ("/ask", {}, ["body", "question"]),
        ("/ask", _ask(top_k=0), ["body", "top_k"]),
        ("/ask", _ask(generator="gpt-4"), ["body", "generator"]),
        ("/ask", _ask(topk=3), ["body", "topk"]),
        ("/ask", _ask(history=[{"role": "user", "content": "x"}] * 21), ["body", "history"]),
        (
            "/ask",
            _ask(history=[{"role": "system", "content": "x"}]),
            ["body", "history", 0, "role"],
        ),
        ("/ask/stream", {"question": ""}, ["body", "question"]),
        ("/retrieve", {"query": "CSTO", "k": 0}, ["body", "k"]),
        ("/retrieve", {"query": "CSTO", "k": 51}, ["body", "k"]),
        ("/retrieve", {"query": "CSTO", "k": "lima"}, ["body", "k"]),
        (
            "/retrieve",
            _filtered(published_from="2022-13-01"),
            ["body", "filters", "published_from"],
        ),
        ("/retrieve", _filtered(published_to="kemarin"), ["body", "filters", "published_to"]),
        ("/retrieve", _filtered(author="x"), ["body", "filters", "author"]),
        ("/retrieve", _filtered(doc_ids=[""]), ["body", "filters", "doc_ids", 0]),
        (
            "/retrieve",
            _filtered(published_from="2022-01-10", published_to="2022-01-01"),
            ["body", "filters"],
        ),
    ],
)
def test_invalid_input_is_a_422_naming_the_field(
    client: TestClient, path: str, body: dict[str, Any], loc: list[Any]
) -> None:
    response = client.post(path, json=body)

    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/json"
    errors = response.json()["detail"]
    assert loc in [error["loc"] for error in errors]
    assert all(error["msg"] for error in errors)


def test_malformed_json_is_a_422(client: TestClient) -> None:
    response = client.post(
        "/ask", content=b'{"question": ', headers={"content-type": "application/json"}
    )

    assert response.status_code == 422
    assert response.json()["detail"][0]["type"] == "json_invalid"


@pytest.mark.parametrize(
    ("content_type", "status"), [("application/json", 400), ("text/plain", 422), ("", 422)]
)
def test_a_body_that_is_not_utf8_gets_a_json_client_error(
    client: TestClient, content_type: str, status: int
) -> None:
    # FastAPI's own 422 handler crashed on these bytes (it echoes the input).
    response = client.post("/ask", content=b"\x80\xff", headers={"content-type": content_type})

    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    assert response.json()["detail"]


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity"])
def test_a_non_finite_number_is_a_422(client: TestClient, number: str) -> None:
    # Python's JSON parser accepts these; echoing them back must not break the response.
    body = f'{{"query": "CSTO", "k": {number}}}'.encode()

    response = client.post("/retrieve", content=body, headers={"content-type": "application/json"})

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "k"]


def test_unknown_path_is_a_json_404(client: TestClient) -> None:
    response = client.get("/nope")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}


# -- body size ----------------------------------------------------------------------------
def _padded_body(size: int) -> bytes:
    body = json.dumps({"query": "CSTO", "k": 1}).encode()
    return body[:-1] + b" " * (size - len(body)) + b"}"


def test_a_body_at_the_limit_is_served(client: TestClient) -> None:
    body = _padded_body(64 * 1024)

    response = client.post("/retrieve", content=body, headers={"content-type": "application/json"})

    assert response.status_code == 200


def test_a_body_over_the_limit_is_a_413(client: TestClient) -> None:
    body = _padded_body(64 * 1024 + 1)

    response = client.post("/retrieve", content=body, headers={"content-type": "application/json"})

    assert response.status_code == 413
    assert response.json() == {"detail": "request body too large: the limit is 65536 bytes"}


def test_a_streamed_body_over_the_limit_is_a_413(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:  # no Content-Length: chunked transfer
        yield b'{"query": "CSTO", "k": 1' + b" " * 40_000
        yield b" " * 40_000 + b"}"

    response = client.post(
        "/retrieve", content=chunks(), headers={"content-type": "application/json"}
    )

    assert response.status_code == 413
    assert response.json() == {"detail": "request body too large: the limit is 65536 bytes"}


# -- /documents, /health, /openapi.json -----------------------------------------------------
def test_documents_lists_the_corpus(client: TestClient, assistant: Assistant) -> None:
    response = client.get("/documents")

    assert response.status_code == 200
    expected = [
        {
            "doc_id": d.doc_id,
            "title": d.title,
            "published": d.published,
            "publisher": d.publisher,
            "author": d.author,
            "sources": list(d.sources),
            "n_chunks": d.n_chunks,
        }
        for d in assistant.documents()
    ]
    assert response.json() == {"documents": expected}
    assert len(expected) == 5


def test_health_counts_documents_and_chunks(client: TestClient, assistant: Assistant) -> None:
    response = client.get("/health")

    assert response.status_code == 200
    chunks = sum(d.n_chunks for d in assistant.documents())
    body = response.json()
    assert {k: body[k] for k in ("status", "documents", "chunks")} == {
        "status": "ok",
        "documents": 5,
        "chunks": chunks,
    }
    # idle unless a test before this one started the shared assistant's model
    assert body["model"] in {"idle", "loading", "ready", "failed"}
    assert isinstance(body["model_detail"], str)
    assert chunks == 33


def test_openapi_describes_the_endpoints_and_limits(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()

    assert set(spec["paths"]) == {"/retrieve", "/ask", "/ask/stream", "/documents", "/health"}
    schemas = spec["components"]["schemas"]
    k = schemas["RetrieveRequest"]["properties"]["k"]
    assert (k["minimum"], k["maximum"], k["default"]) == (1, 50, 5)
    assert schemas["AskRequest"]["properties"]["question"]["maxLength"] == 2000
    assert schemas["AskRequest"]["properties"]["history"]["maxItems"] == 20
    assert schemas["AskRequest"]["additionalProperties"] is False
    stream_ok = spec["paths"]["/ask/stream"]["post"]["responses"]["200"]
    assert "text/event-stream" in stream_ok["content"]
    assert {"401", "413", "422", "500", "503"} <= set(spec["paths"]["/ask"]["post"]["responses"])


def test_answer_model_mirrors_answer_to_dict() -> None:
    # A field added to Answer.to_dict() must be added to the response model too.
    assert set(AnswerOut.model_fields) == set(Answer("q", "t", "id", False).to_dict())


# -- errors from the assistant (a stand-in assistant) ----------------------------------------
class FakeAssistant:
    """Duck-types the parts of ``Assistant`` the API uses; fails or records on demand."""

    def __init__(
        self,
        error: Exception | None = None,
        deltas: tuple[str, ...] = (),
        stream_error: Exception | None = None,
        delay: float = 0.0,
    ) -> None:
        self.error = error
        self.deltas = deltas
        self.stream_error = stream_error
        self.delay = delay
        self.retriever = self
        self.active = 0
        self.most_active = 0
        self._count = threading.Lock()

    def retrieve(self, query: str, k: int | None = None, filters: Any = None) -> list[Any]:
        if self.error:
            raise self.error
        return []

    def documents(self) -> list[Any]:
        return []

    def ask(self, question: str, history: Any = (), **options: Any) -> Answer:
        with self._count:
            self.active += 1
            self.most_active = max(self.most_active, self.active)
        try:
            time.sleep(self.delay)
            if self.error:
                raise self.error
            return Answer(question, "ok", "en", False)
        finally:
            with self._count:
                self.active -= 1

    def stream(self, question: str, history: Any = (), **options: Any) -> Iterator[str | Answer]:
        if self.error:
            raise self.error
        yield from self.deltas
        if self.stream_error:
            raise self.stream_error
        yield Answer(question, "".join(self.deltas), "en", False)


def _client_for(fake: FakeAssistant, **settings: Any) -> TestClient:
    app = create_app(cast(Assistant, fake), ApiSettings(token=None, **settings))
    return TestClient(app)


def test_generation_error_is_a_503() -> None:
    error = GenerationError("the openai generator needs RAG_OPENAI_BASE_URL")
    client = _client_for(FakeAssistant(error=error))

    for path in ("/ask", "/ask/stream"):
        response = client.post(path, json={"question": "q"})

        assert response.status_code == 503
        assert response.headers["content-type"] == "application/json"
        assert response.json() == {
            "detail": "generator unavailable: the openai generator needs RAG_OPENAI_BASE_URL"
        }


def test_filter_error_is_a_422_naming_the_filter() -> None:
    error = FilterError("filter 'published_from' must be a date like 2022-01-08, got 'x'")
    client = _client_for(FakeAssistant(error=error))

    response = client.post("/retrieve", json={"query": "q"})

    assert response.status_code == 422
    [detail] = response.json()["detail"]
    assert detail["loc"] == ["body", "filters"]
    assert "published_from" in detail["msg"]


def test_an_unexpected_error_is_a_500_without_details(caplog: pytest.LogCaptureFixture) -> None:
    client = _client_for(FakeAssistant(error=RuntimeError("secret path /home/x")))

    with caplog.at_level(logging.ERROR, logger="api.http"):
        for path, body in (("/ask", {"question": "q"}), ("/retrieve", {"query": "q"})):
            response = client.post(path, json=body)

            assert response.status_code == 500
            assert response.json() == {"detail": "internal error"}
    assert "secret path" not in response.text
    assert any("unhandled error on POST /retrieve" in r.getMessage() for r in caplog.records)
    assert any(r.exc_info for r in caplog.records)  # the traceback is logged


def test_a_failure_mid_stream_ends_with_an_error_event() -> None:
    fake = FakeAssistant(deltas=("Satu ", "dua"), stream_error=RuntimeError("secret"))
    client = _client_for(fake)

    with client.stream("POST", "/ask/stream", json={"question": "q"}) as response:
        assert response.status_code == 200
        events = parse_sse(response.read().decode("utf-8"))

    assert events == [
        ("delta", {"text": "Satu "}),
        ("delta", {"text": "dua"}),
        ("error", {"detail": "internal error"}),
    ]


def test_answers_are_generated_one_at_a_time() -> None:
    fake = FakeAssistant(delay=0.05)
    app = create_app(cast(Assistant, fake), ApiSettings(token=None))
    statuses: list[int] = []

    def ask() -> None:
        with TestClient(app) as client:
            statuses.append(client.post("/ask", json={"question": "q"}).status_code)

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert statuses == [200] * 4
    assert fake.most_active == 1


# -- the token ------------------------------------------------------------------------------
GUARDED = [
    ("POST", "/retrieve", {"query": "CSTO", "k": 1}),
    ("POST", "/ask", {"question": HOSPITAL}),
    ("POST", "/ask/stream", {"question": HOSPITAL}),
    ("GET", "/documents", None),
    ("GET", "/openapi.json", None),
]


@pytest.fixture(scope="module")
def guarded_client(assistant: Assistant) -> Iterator[TestClient]:
    with TestClient(create_app(assistant, ApiSettings(token=SecretStr(TOKEN)))) as client:
        yield client


@pytest.mark.parametrize(("method", "path", "body"), GUARDED)
def test_with_a_token_every_endpoint_but_health_requires_it(
    guarded_client: TestClient, method: str, path: str, body: dict[str, Any] | None
) -> None:
    for headers in (
        {},
        {"Authorization": "Bearer wrong-token"},
        {"Authorization": f"Basic {TOKEN}"},
    ):
        response = guarded_client.request(method, path, json=body, headers=headers)

        assert response.status_code == 401
        assert response.headers["www-authenticate"] == "Bearer"
        assert "Authorization: Bearer" in response.json()["detail"]

    response = guarded_client.request(
        method, path, json=body, headers={"Authorization": f"Bearer {TOKEN}"}
    )
    assert response.status_code == 200


def test_with_a_token_health_stays_open(guarded_client: TestClient) -> None:
    assert guarded_client.get("/health").status_code == 200


def test_the_token_comes_from_rag_api_token(
    monkeypatch: pytest.MonkeyPatch, assistant: Assistant
) -> None:
    monkeypatch.setenv("RAG_API_TOKEN", TOKEN)

    client = TestClient(create_app(assistant))

    assert client.get("/documents").status_code == 401
    assert client.get("/documents", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200


def test_a_short_token_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ApiConfigError, match="RAG_API_TOKEN must be at least 16 characters"):
        load_api_settings("secret")
    monkeypatch.setenv("RAG_API_TOKEN", "secret")
    with pytest.raises(ApiConfigError, match="RAG_API_TOKEN must be at least 16 characters"):
        load_api_settings()


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.8.9.10", True),
        ("localhost", True),
        ("::1", True),
        ("[::1]", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.20", False),
        ("example.org", False),
        ("", False),
    ],
)
def test_is_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_serve_refuses_a_public_bind_without_a_token(
    monkeypatch: pytest.MonkeyPatch, fresh_settings: Any
) -> None:
    monkeypatch.delenv("RAG_API_TOKEN", raising=False)

    with pytest.raises(
        ApiConfigError, match=r"refusing to listen on 0\.0\.0\.0:8000.*RAG_API_TOKEN"
    ):
        serve(fresh_settings, host="0.0.0.0", port=8000)
    assert not fresh_settings.data_dir.exists()  # refused before loading anything


def test_make_server_requires_a_token_off_loopback(assistant: Assistant) -> None:
    with pytest.raises(ApiConfigError, match="without a bearer token"):
        make_server(assistant, "0.0.0.0", 8000, ApiSettings(token=None))

    server = make_server(assistant, "0.0.0.0", 8000, ApiSettings(token=SecretStr(TOKEN)))
    assert (server.config.host, server.config.port) == ("0.0.0.0", 8000)


def test_allowed_hosts_turn_away_other_host_headers(assistant: Assistant) -> None:
    app = create_app(assistant, ApiSettings(token=None, allowed_hosts=LOOPBACK_HOSTS))

    assert TestClient(app, base_url="http://127.0.0.1:8000").get("/health").status_code == 200
    assert TestClient(app, base_url="http://localhost:8000").get("/health").status_code == 200
    response = TestClient(app, base_url="http://rebound.example").get("/health")
    assert response.status_code == 400
    assert "rebound.example" in response.json()["detail"]
