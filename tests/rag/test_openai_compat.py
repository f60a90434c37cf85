"""OpenAICompatibleLLM against httpx2.MockTransport (the openai SDK's HTTP client) and a tiny
local HTTP server."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx2
import pytest
from llama_index.core.llms import ChatMessage, MessageRole

from rag.generators.errors import GenerationError
from rag.generators.openai_compat import OpenAICompatibleLLM, repeated_tail
from rag.model_files import MODELS, ModelFileError, ensure_model_file

ROOT = Path(__file__).resolve().parents[2]

BASE_URL = "http://generator.test/v1"


def _chunk(content: str | None = None, finish: str | None = None, **extra: Any) -> dict[str, Any]:
    delta = {} if content is None else {"content": content}
    return {"choices": [{"index": 0, "delta": delta, "finish_reason": finish}], **extra}


def _sse(*events: dict[str, Any] | str) -> bytes:
    lines = []
    for event in events:
        payload = event if isinstance(event, str) else json.dumps(event)
        lines.append(f"data: {payload}\n\n")
    return "".join(lines).encode()


class Recorder:
    """A MockTransport handler that records requests and answers with a fixed response."""

    def __init__(self, respond: Callable[[httpx2.Request], httpx2.Response]) -> None:
        self.respond = respond
        self.requests: list[httpx2.Request] = []

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(request)
        return self.respond(request)

    def body(self, i: int = -1) -> dict[str, Any]:
        return json.loads(self.requests[i].content)


def _llm(recorder: Recorder, **kwargs: Any) -> OpenAICompatibleLLM:
    client = httpx2.Client(transport=httpx2.MockTransport(recorder))
    return OpenAICompatibleLLM(BASE_URL, "qwen-test", http_client=client, **kwargs)


def _json_answer(text: str) -> Callable[[httpx2.Request], httpx2.Response]:
    def respond(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(
            200,
            json={
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": text},
                        "finish_reason": "stop",
                    }
                ],
                "usage": {"prompt_tokens": 12, "completion_tokens": 3},
            },
        )

    return respond


def _sse_answer(body: bytes, status: int = 200) -> Callable[[httpx2.Request], httpx2.Response]:
    def respond(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(status, headers={"content-type": "text/event-stream"}, content=body)

    return respond


def test_chat_posts_messages_and_returns_the_answer() -> None:
    recorder = Recorder(_json_answer("Jakarta [1]."))
    llm = _llm(recorder, api_key="sk-secret", max_tokens=64)

    response = llm.chat(
        [
            ChatMessage(role=MessageRole.SYSTEM, content="Jawab singkat."),
            ChatMessage(role=MessageRole.USER, content="Apa ibu kota Indonesia?"),
        ]
    )

    assert response.message.content == "Jakarta [1]."
    assert response.additional_kwargs["finish_reason"] == "stop"
    assert response.additional_kwargs["usage"] == {"prompt_tokens": 12, "completion_tokens": 3}
    request = recorder.requests[0]
    assert str(request.url) == "http://generator.test/v1/chat/completions"
    assert request.headers["authorization"] == "Bearer sk-secret"
    assert recorder.body() == {
        "model": "qwen-test",
        "messages": [
            {"role": "system", "content": "Jawab singkat."},
            {"role": "user", "content": "Apa ibu kota Indonesia?"},
        ],
        "max_tokens": 64,
        "temperature": 0.0,
    }


def test_complete_sends_system_prompt_and_known_overrides_only() -> None:
    recorder = Recorder(_json_answer("ok"))
    llm = _llm(recorder, extra_body={"repeat_penalty": 1.1})
    llm.system_prompt = "Be brief."

    assert llm.complete("Q?", formatted=True, max_tokens=5, stop=["\n"], bogus=1).text == "ok"

    body = recorder.body()
    assert body["messages"] == [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "Q?"},
    ]
    assert body["max_tokens"] == 5
    assert body["stop"] == ["\n"]
    assert body["repeat_penalty"] == 1.1
    assert "bogus" not in body and "formatted" not in body
    assert "authorization" not in recorder.requests[0].headers


def test_stream_chat_reads_sse_deltas_that_join_to_the_full_text() -> None:
    body = b": keep-alive comment\n\n" + _sse(
        {"choices": [{"index": 0, "delta": {"role": "assistant"}, "finish_reason": None}]},
        _chunk("Sekitar "),
        _chunk("2.500 orang"),
        _chunk(" [1]."),
        _chunk(finish="stop"),
        {"choices": [], "usage": {"completion_tokens": 4}},
        "[DONE]",
    )
    recorder = Recorder(_sse_answer(body))
    llm = _llm(recorder)

    pieces = list(llm.stream_chat([ChatMessage(role=MessageRole.USER, content="Berapa?")]))

    deltas = [p.delta for p in pieces]
    assert deltas[:3] == ["Sekitar ", "2.500 orang", " [1]."]
    assert "".join(d or "" for d in deltas) == "Sekitar 2.500 orang [1]."
    assert pieces[-1].message.content == "Sekitar 2.500 orang [1]."
    assert pieces[-1].additional_kwargs["finish_reason"] == "stop"
    assert pieces[-1].additional_kwargs["usage"] == {"completion_tokens": 4}
    sent = recorder.body()
    assert sent["stream"] is True
    assert recorder.requests[0].headers["accept"] == "text/event-stream"


def test_stream_complete_yields_accumulated_text() -> None:
    recorder = Recorder(_sse_answer(_sse(_chunk("a"), _chunk("b"), _chunk(finish="length"))))
    pieces = list(_llm(recorder).stream_complete("x"))
    assert [p.text for p in pieces] == ["a", "ab", "ab"]
    assert pieces[-1].additional_kwargs["finish_reason"] == "length"


def test_repetition_guard_stops_a_looping_stream() -> None:
    loop = [_chunk(token) for _ in range(30) for token in ("[1]", " [2]", " [3]", " ")]
    recorder = Recorder(_sse_answer(_sse(*loop, _chunk(finish="length"))))

    last = list(_llm(recorder, max_repeats=4).stream_complete("x"))[-1]

    assert last.additional_kwargs["finish_reason"] == "repetition"
    assert last.text.count("[1]") <= 5
    unguarded = list(_llm(recorder, max_repeats=0).stream_complete("x"))[-1]
    assert unguarded.text == "[1] [2] [3] " * 30
    assert unguarded.additional_kwargs["finish_reason"] == "length"


def test_http_error_names_url_status_and_server_message() -> None:
    def respond(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(500, json={"error": {"message": "boom", "type": "server_error"}})

    llm = _llm(Recorder(respond))
    with pytest.raises(GenerationError) as info:
        llm.complete("x")
    message = str(info.value)
    assert "http://generator.test/v1/chat/completions" in message
    assert "HTTP 500" in message
    assert "boom" in message


def test_http_error_while_streaming_raises() -> None:
    llm = _llm(Recorder(_sse_answer(b"model not found", status=404)))
    with pytest.raises(GenerationError, match=r"HTTP 404: model not found\. Check the base URL"):
        list(llm.stream_complete("x"))


def test_error_chunk_in_stream_raises() -> None:
    body = _sse(_chunk("a"), {"error": {"message": "context full", "type": "exceed_context"}})
    llm = _llm(Recorder(_sse_answer(body)))
    with pytest.raises(GenerationError, match="context full"):
        list(llm.stream_complete("x"))


def test_non_json_stream_line_raises() -> None:
    llm = _llm(Recorder(_sse_answer(b"data: {not json\n\n")))
    with pytest.raises(GenerationError, match="not JSON"):
        list(llm.stream_complete("x"))


def test_unexpected_response_shape_raises() -> None:
    llm = _llm(Recorder(lambda r: httpx2.Response(200, json={"object": "list"})))
    with pytest.raises(GenerationError, match="unexpected response"):
        llm.complete("x")


def test_body_that_is_not_json_raises() -> None:
    page = Recorder(lambda r: httpx2.Response(200, text="<html>proxy login</html>"))
    with pytest.raises(GenerationError, match=r"not JSON: '<html>proxy login</html>'"):
        _llm(page).complete("x")
    json_type = {"content-type": "application/json"}
    broken = Recorder(lambda r: httpx2.Response(200, headers=json_type, text="{x"))
    with pytest.raises(GenerationError, match=r"not JSON: '\{x'"):
        _llm(broken).complete("x")


def test_without_a_key_no_openai_credentials_from_the_environment_are_sent(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-real-openai-key")
    monkeypatch.setenv("OPENAI_ORG_ID", "org-real")
    monkeypatch.setenv("OPENAI_PROJECT_ID", "proj-real")
    recorder = Recorder(_json_answer("ok"))

    assert _llm(recorder).complete("x").text == "ok"
    assert _llm(recorder, api_key="sk-local").complete("x").text == "ok"

    without_key, with_key = (request.headers for request in recorder.requests)
    assert "authorization" not in without_key
    assert with_key["authorization"] == "Bearer sk-local"
    for headers in (without_key, with_key):
        assert "openai-organization" not in headers
        assert "openai-project" not in headers


def test_failed_calls_are_not_retried_unless_asked() -> None:
    def respond(request: httpx2.Request) -> httpx2.Response:
        # retry-after-ms keeps the SDK's back-off short when it does retry
        return httpx2.Response(503, headers={"retry-after-ms": "1"}, text="Loading model")

    once = Recorder(respond)
    with pytest.raises(GenerationError, match="HTTP 503: Loading model"):
        _llm(once).complete("x")
    assert len(once.requests) == 1
    twice = Recorder(respond)
    with pytest.raises(GenerationError, match="HTTP 503"):
        _llm(twice, max_retries=1).complete("x")
    assert len(twice.requests) == 2


def test_connection_refused_names_the_url() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    llm = OpenAICompatibleLLM(f"http://127.0.0.1:{port}/v1", "m", timeout=5)
    with pytest.raises(GenerationError) as info:
        llm.complete("x")
    assert f"http://127.0.0.1:{port}/v1/chat/completions" in str(info.value)
    assert "Cannot connect" in str(info.value)


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if self.path == "/slow/chat/completions":
            time.sleep(1.0)
        self.send_response(200)
        if self.path == "/broken/chat/completions":  # one chunk, then the server goes away
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Content-Length", "100000")
            self.end_headers()
            self.wfile.write(_sse(_chunk("Halo")))
            self.wfile.flush()
            return
        if body.get("stream"):
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            for token in ("Halo", " dunia"):
                self.wfile.write(_sse(_chunk(token)))
                self.wfile.flush()
            self.wfile.write(_sse(_chunk(finish="stop"), "[DONE]"))
        else:
            data = json.dumps({"choices": [{"message": {"content": "Halo dunia"}}]}).encode()
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # the timeout test hangs up on purpose: no traceback on stderr


@pytest.fixture
def local_server() -> Iterator[str]:
    server = _QuietServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_real_http_server_chat_and_stream(local_server: str) -> None:
    llm = OpenAICompatibleLLM(local_server + "/v1/", "m", timeout=5)
    assert llm.url == local_server + "/v1/chat/completions"
    assert llm.complete("x").text == "Halo dunia"
    deltas = [p.delta for p in llm.stream_complete("x")]
    assert deltas == ["Halo", " dunia", ""]


def test_timeout_names_the_url_and_the_limit(local_server: str) -> None:
    llm = OpenAICompatibleLLM(local_server + "/slow", "m", timeout=0.2)
    with pytest.raises(GenerationError) as info:
        llm.complete("x")
    assert local_server + "/slow/chat/completions" in str(info.value)
    assert "within 0.2 s" in str(info.value)


def test_stream_cut_off_midway_names_the_url(local_server: str) -> None:
    llm = OpenAICompatibleLLM(local_server + "/broken", "m", timeout=5)
    with pytest.raises(GenerationError) as info:
        list(llm.stream_complete("x"))
    assert local_server + "/broken/chat/completions" in str(info.value)
    assert "broke off" in str(info.value)


def test_constructor_validates_and_hides_the_key() -> None:
    with pytest.raises(ValueError, match="http"):
        OpenAICompatibleLLM("localhost:8080/v1", "m")
    with pytest.raises(ValueError):
        OpenAICompatibleLLM(BASE_URL, "m", max_tokens=0)
    llm = OpenAICompatibleLLM(BASE_URL, "m", api_key="sk-secret", context_window=8192)
    assert "sk-secret" not in repr(llm)
    assert llm.metadata.context_window == 8192
    assert llm.metadata.is_chat_model
    assert llm.metadata.model_name == "m"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[1] [2] [3] [1] [2] [3] [1] [2] [3] [1] [2] [3] ", "[1] [2] [3] "),
        ("jawab: " + "[1] " * 4, "[1] "),
        ("x" + "-" * 16, "-"),
        ("Dia berkata: ha ha ha ha ", None),  # too short a span to count
        ("Harga naik 100.000 menjadi 1.000.000 rupiah...", None),
        ("[1] [2] [3] [1] [2] [3] [1] [2] [3]", None),  # three times only
        ("", None),
    ],
)
def test_repeated_tail(text: str, expected: str | None) -> None:
    assert repeated_tail(text, min_repeats=4) == expected


# --- slow: a real llama.cpp server (xllamacpp's own HTTP listener) -----------------------------


@pytest.fixture(scope="module")
def llama_server_url() -> Iterator[str]:
    xllamacpp = pytest.importorskip("xllamacpp")
    try:
        path = ensure_model_file(MODELS["qwen2.5-coder-0.5b"], ROOT / ".rag")
    except ModelFileError as exc:
        if "not installed" in str(exc):
            pytest.skip(str(exc))
        raise
    params = xllamacpp.CommonParams()
    params.model.path = str(path)
    params.n_ctx = 1024
    params.n_parallel = 1
    params.cpuparams.n_threads = 2
    params.cpuparams_batch.n_threads = 2
    params.verbosity = -1
    params.api_keys = ["test-key"]
    server = xllamacpp.Server(params)
    try:
        yield server.listening_address
    finally:
        del server


@pytest.mark.slow
def test_real_llama_cpp_server_chat_stream_and_auth(llama_server_url: str) -> None:
    llm = OpenAICompatibleLLM(
        llama_server_url + "/v1", "qwen", api_key="test-key", max_tokens=24, timeout=120
    )

    text = llm.complete("Apa ibu kota Indonesia? Jawab singkat.").text
    pieces = list(llm.stream_complete("Sebutkan tiga kota besar di Pulau Jawa."))

    assert text.strip()
    assert len(pieces) > 3
    assert "".join(p.delta or "" for p in pieces) == pieces[-1].text
    assert pieces[-1].text.strip()
    assert pieces[-1].additional_kwargs["finish_reason"] in {"stop", "length"}
    wrong_key = OpenAICompatibleLLM(llama_server_url + "/v1", "qwen", api_key="nope")
    with pytest.raises(GenerationError, match="HTTP 401"):
        wrong_key.complete("x")
