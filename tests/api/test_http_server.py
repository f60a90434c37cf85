"""The API behind a real uvicorn server on a free loopback port, queried with httpx."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import uvicorn
from pydantic import SecretStr

from api import ApiSettings
from api.http import make_server
from rag import Assistant
from tests.api.sse import parse_sse

pytestmark = pytest.mark.slow

HOSPITAL = "Berapa orang mencari perawatan di rumah sakit?"
TOKEN = "test-token-0123456789abcdef"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _running(server: uvicorn.Server) -> Iterator[str]:
    thread = threading.Thread(target=server.run, name="uvicorn-test", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive(), "the server thread died while starting"
        assert time.monotonic() < deadline, "the server did not start within 30 s"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{server.config.port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)
        assert not thread.is_alive(), "the server did not stop"


@pytest.fixture(scope="module")
def guarded_url(assistant: Assistant) -> Iterator[str]:
    settings = ApiSettings(token=SecretStr(TOKEN))
    yield from _running(make_server(assistant, "127.0.0.1", _free_port(), settings))


@pytest.fixture(scope="module")
def open_url(assistant: Assistant) -> Iterator[str]:
    yield from _running(make_server(assistant, "127.0.0.1", _free_port(), ApiSettings(token=None)))


def test_real_server_serves_the_api_behind_the_token(guarded_url: str) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    with httpx.Client(base_url=guarded_url, timeout=60) as http:
        health = http.get("/health").json()
        assert {k: health[k] for k in ("status", "documents", "chunks")} == {
            "status": "ok",
            "documents": 5,
            "chunks": 33,
        }
        assert http.post("/retrieve", json={"query": "CSTO"}).status_code == 401

        passages = http.post("/retrieve", json={"query": "CSTO", "k": 2}, headers=auth).json()
        assert len(passages["passages"]) == 2

        answer = http.post("/ask", json={"question": HOSPITAL}, headers=auth).json()
        assert answer["citations"] and "2.600 orang" in answer["citations"][0]["text"]

        with http.stream("POST", "/ask/stream", json={"question": HOSPITAL}, headers=auth) as r:
            assert r.status_code == 200
            assert r.headers["content-type"].startswith("text/event-stream")
            events = parse_sse(r.read().decode("utf-8"))
        assert [name for name, _ in events][-1] == "answer"
        assert events[-1][1]["text"] == answer["text"]

        too_big = b'{"query": "CSTO"' + b" " * 70_000 + b"}"
        response = http.post(
            "/retrieve", content=too_big, headers={**auth, "content-type": "application/json"}
        )
        assert response.status_code == 413
        assert response.json()["detail"].startswith("request body too large")


def test_real_server_on_loopback_without_token_only_answers_loopback_hosts(open_url: str) -> None:
    with httpx.Client(base_url=open_url, timeout=60) as http:
        assert http.post("/retrieve", json={"query": "CSTO", "k": 1}).status_code == 200

        rebound = http.get("/health", headers={"Host": "attacker.example"})

        assert rebound.status_code == 400
        assert "attacker.example" in rebound.json()["detail"]
