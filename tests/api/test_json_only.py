"""The API answers in JSON only: every endpoint and every error (400 ... 503), and corpus
text holding ``<script>`` comes back as a JSON string, never as markup.

(The chat UI's escaping of the same text is tested in tests/ui/test_browser.py.)
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, cast

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from api.http import create_app
from api.settings import LOOPBACK_HOSTS, ApiSettings
from rag import Assistant, GenerationError, Settings
from tests.api.sse import parse_sse

HOSPITAL = "Berapa orang mencari perawatan di rumah sakit?"
TOKEN = "test-token-0123456789abcdef"
JSON = "application/json"
EVENTS = "text/event-stream"


def _too_big() -> bytes:
    body = json.dumps({"query": "CSTO", "k": 1}).encode()
    return body[:-1] + b" " * (64 * 1024) + b"}"


# (method, path, JSON body or raw bytes, expected status, expected media type)
REQUESTS: list[tuple[str, str, Any, int, str]] = [
    ("GET", "/health", None, 200, JSON),
    ("GET", "/documents", None, 200, JSON),
    ("GET", "/openapi.json", None, 200, JSON),
    ("POST", "/retrieve", {"query": "CSTO", "k": 2}, 200, JSON),
    ("POST", "/ask", {"question": HOSPITAL}, 200, JSON),
    ("POST", "/ask/stream", {"question": HOSPITAL}, 200, EVENTS),
    ("GET", "/docs", None, 404, JSON),
    ("GET", "/redoc", None, 404, JSON),
    ("GET", "/docs/oauth2-redirect", None, 404, JSON),
    ("GET", "/nope", None, 404, JSON),
    ("GET", "/documents/000_5af2c4d53b4ab9d2", None, 404, JSON),
    ("GET", "/ask", None, 405, JSON),
    ("GET", "/ask/stream", None, 405, JSON),
    ("GET", "/retrieve", None, 405, JSON),
    ("POST", "/health", {}, 405, JSON),
    ("PUT", "/documents", {}, 405, JSON),
    ("DELETE", "/documents", None, 405, JSON),
    ("OPTIONS", "/ask", None, 405, JSON),
    ("POST", "/retrieve", _too_big(), 413, JSON),
    ("POST", "/ask", {}, 422, JSON),
    ("POST", "/ask", {"question": "a" * 2001}, 422, JSON),
    ("POST", "/ask/stream", {"question": " "}, 422, JSON),
    ("POST", "/retrieve", {"query": "CSTO", "k": "<script>"}, 422, JSON),
    ("POST", "/ask", b'{"question": "<script>', 422, JSON),
    ("POST", "/ask", b"\x80\xff", 400, JSON),
]


def _send(client: TestClient, method: str, path: str, body: Any) -> Any:
    if isinstance(body, bytes):
        headers = {"content-type": "application/json"}
        return client.request(method, path, content=body, headers=headers)
    return client.request(method, path, json=body)


def _assert_json_only(response: Any, status: int, media_type: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].split(";")[0] == media_type
    assert response.headers["x-content-type-options"] == "nosniff"
    assert not response.text.lstrip().startswith("<")
    if media_type == JSON:
        data = response.json()
        assert isinstance(data, dict)
        if status >= 400:
            assert data["detail"]
    else:
        events = parse_sse(response.text)
        assert events and events[-1][0] == "answer"


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "media_type"),
    REQUESTS,
    ids=[f"{m} {p} {s}" for m, p, _, s, _ in REQUESTS],
)
def test_every_response_is_json(
    client: TestClient, method: str, path: str, body: Any, status: int, media_type: str
) -> None:
    response = _send(client, method, path, body)

    _assert_json_only(response, status, media_type)


def test_a_trailing_slash_redirect_has_no_body(client: TestClient) -> None:
    response = client.get("/health/", follow_redirects=False)

    assert response.status_code == 307
    assert response.content == b""
    assert response.headers["location"].endswith("/health")


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/documents", None),
        ("POST", "/ask", {"question": HOSPITAL}),
        ("POST", "/ask/stream", {"question": HOSPITAL}),
        ("GET", "/openapi.json", None),
    ],
)
def test_401_without_the_token_is_json(
    assistant: Assistant, method: str, path: str, body: Any
) -> None:
    client = TestClient(create_app(assistant, ApiSettings(token=SecretStr(TOKEN))))

    _assert_json_only(_send(client, method, path, body), 401, JSON)


def test_400_for_a_foreign_host_header_is_json(assistant: Assistant) -> None:
    app = create_app(assistant, ApiSettings(token=None, allowed_hosts=LOOPBACK_HOSTS))
    client = TestClient(app, base_url="http://<script>.example")

    _assert_json_only(client.get("/health"), 400, JSON)


class BrokenAssistant:
    """Fails on every call, as a corrupted store or a bug would."""

    def __init__(self, error: Exception) -> None:
        self.error = error

    @property
    def retriever(self) -> Any:
        raise self.error

    def documents(self) -> Any:
        raise self.error

    def ask(self, *args: Any, **kwargs: Any) -> Any:
        raise self.error

    def stream(self, *args: Any, **kwargs: Any) -> Iterator[Any]:
        raise self.error
        yield  # a generator, like Assistant.stream


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/health", None),
        ("GET", "/documents", None),
        ("POST", "/retrieve", {"query": "CSTO"}),
        ("POST", "/ask", {"question": "q"}),
        ("POST", "/ask/stream", {"question": "q"}),
    ],
)
@pytest.mark.parametrize(
    ("error", "status"),
    [(RuntimeError("<script>alert(1)</script> at /home/x"), 500), (GenerationError("down"), 503)],
    ids=["500", "503"],
)
def test_server_errors_are_json(
    method: str, path: str, body: Any, error: Exception, status: int
) -> None:
    app = create_app(cast(Assistant, BrokenAssistant(error)), ApiSettings(token=None))
    client = TestClient(app, raise_server_exceptions=False)

    response = _send(client, method, path, body)

    _assert_json_only(response, status, JSON)
    assert "<script>" not in response.text


# -- corpus text with markup comes back as data -------------------------------------------------
XSS_TITLE = "Peretas Sisipkan <script>alert('kabar')</script> ke Situs Pemkot Bogor"
XSS_ARTICLE = f"""{XSS_TITLE}

Dimas Pratama | Rabu, 12/01/2022 13:10 WIB

BOGOR - Peretas menyisipkan kode <script>alert('kabar')</script> dan tag <img src=x \
onerror="alert(2)"> ke halaman pengumuman situs Pemerintah Kota Bogor pada Selasa malam.

Dinas Komunikasi dan Informatika Bogor menyebut situs itu dipulihkan dalam 3 jam & tidak ada \
data warga yang bocor.
"""
MARKUP = "<script>alert('kabar')</script>"


@pytest.fixture(scope="module")
def xss_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    corpus = tmp_path_factory.mktemp("xss_corpus")
    (corpus / "peretas.txt").write_text(XSS_ARTICLE, encoding="utf-8")
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("xss") / "data", generator="extractive", seeds_dir=corpus
    )
    assistant = Assistant.load(settings)  # indexes the corpus: the data dir is empty
    with TestClient(create_app(assistant, ApiSettings(token=None))) as client:
        yield client


def test_documents_return_a_title_with_markup_as_a_json_string(xss_client: TestClient) -> None:
    response = xss_client.get("/documents")

    _assert_json_only(response, 200, JSON)
    [document] = response.json()["documents"]
    assert document["title"] == XSS_TITLE


def test_retrieve_returns_markup_in_passages_as_json_strings(xss_client: TestClient) -> None:
    response = xss_client.post("/retrieve", json={"query": "peretas situs pemkot", "k": 5})

    _assert_json_only(response, 200, JSON)
    texts = [p["text"] for p in response.json()["passages"]]
    assert any(MARKUP in t for t in texts)
    assert any('onerror="alert(2)"' in t for t in texts)


@pytest.mark.parametrize("path", ["/ask", "/ask/stream"])
def test_answers_quote_markup_as_json_strings(xss_client: TestClient, path: str) -> None:
    question = "Kode apa yang disisipkan peretas ke situs Pemkot Bogor?"

    response = xss_client.post(path, json={"question": question})

    if path == "/ask":
        _assert_json_only(response, 200, JSON)
        answer = response.json()
    else:
        _assert_json_only(response, 200, EVENTS)
        answer = parse_sse(response.text)[-1][1]
    assert not answer["refused"]
    assert MARKUP in answer["text"]
    assert any(MARKUP in c["text"] for c in answer["citations"])
