"""BundledLLM: a fake engine for the streaming/cancel/error plumbing (fast), the real 0.5B
model for generation (slow)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from llama_index.core.llms import ChatMessage, MessageRole

from rag.generators import bundled
from rag.generators.bundled import BundledLLM, Engine
from rag.generators.errors import GenerationError
from rag.generators.runtime import RuntimeChoice, RuntimeConfig
from rag.model_files import MODELS, ModelFileError, ensure_model_file

ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = ROOT / ".rag"  # gitignored; the assembled model is reused across runs


# --- fast: the plumbing around the engine, with a fake xllamacpp.Server ------------------------


def _chunk(content: str | None = None, finish: str | None = None) -> dict[str, Any]:
    delta = {} if content is None else {"content": content}
    return {"choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}


class FakeServer:
    """Calls the callback like xllamacpp does (one chunk per "token" time), and stops when the
    callback returns True."""

    def __init__(self, chunks: list[dict[str, Any]], error: Exception | None = None) -> None:
        self.chunks = chunks
        self.error = error
        self.requests: list[dict[str, Any]] = []
        self.delivered = 0
        self.stopped_early = False

    def handle_chat_completions(
        self, request: dict[str, Any], callback: Callable[[dict[str, Any]], bool]
    ) -> None:
        self.requests.append(request)
        if self.error is not None:
            raise self.error
        for chunk in self.chunks:
            time.sleep(0.002)
            self.delivered += 1
            if callback(chunk):
                self.stopped_early = True
                return


@pytest.fixture
def gguf(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.gguf"
    path.write_bytes(b"GGUF" + b"\0" * 60)
    return path


def _with_fake(monkeypatch: pytest.MonkeyPatch, gguf: Path, server: FakeServer) -> BundledLLM:
    engine = Engine(server, gguf, 4096, 2, 0.0, RuntimeChoice(RuntimeConfig(False), "test", ""))
    monkeypatch.setattr(bundled, "get_engine", lambda *args, **kwargs: engine)
    return BundledLLM(gguf, max_tokens=32, repeat_penalty=1.2)


def test_the_engine_reads_the_weights_instead_of_mapping_them(
    monkeypatch: pytest.MonkeyPatch, gguf: Path
) -> None:
    """Mapped weights stay resident beside llama.cpp's repacked copy (~600 MiB more RSS)."""
    import xllamacpp

    seen: list[Any] = []

    def fake_server(params: Any) -> FakeServer:
        seen.append(params)
        return FakeServer([])

    monkeypatch.setattr(xllamacpp, "Server", fake_server)
    engine = bundled._load(gguf, 1024, 2, verbose=False, extra_buffers="on")
    assert engine.server is not None
    (params,) = seen
    assert params.load_mode == xllamacpp.llama_load_mode.LLAMA_LOAD_MODE_NONE
    assert (params.n_ctx, params.cache_ram_mib) == (1024, bundled.CACHE_RAM_MIB)


@pytest.mark.parametrize("setting, plain", [("on", False), ("off", True)])
def test_the_engine_loads_with_the_configuration_chosen(
    monkeypatch: pytest.MonkeyPatch, gguf: Path, setting: str, plain: bool
) -> None:
    import xllamacpp

    seen: list[Any] = []
    monkeypatch.setattr(xllamacpp, "Server", lambda params: seen.append(params) or FakeServer([]))
    engine = bundled._load(gguf, 1024, 2, verbose=False, extra_buffers=setting)  # type: ignore[arg-type]
    assert seen[0].no_extra_bufts is plain
    assert engine.runtime.config == RuntimeConfig(extra_buffers=not plain)


def test_chat_sends_the_messages_and_generation_settings(
    monkeypatch: pytest.MonkeyPatch, gguf: Path
) -> None:
    server = FakeServer([_chunk("Ibu kota"), _chunk(" Jakarta."), _chunk(finish="stop")])
    llm = _with_fake(monkeypatch, gguf, server)

    response = llm.chat(
        [
            ChatMessage(role=MessageRole.SYSTEM, content="Jawab singkat."),
            ChatMessage(role=MessageRole.USER, content="Apa ibu kota Indonesia?"),
        ]
    )

    assert response.message.content == "Ibu kota Jakarta."
    assert response.additional_kwargs["finish_reason"] == "stop"
    request = server.requests[0]
    assert request["messages"] == [
        {"role": "system", "content": "Jawab singkat."},
        {"role": "user", "content": "Apa ibu kota Indonesia?"},
    ]
    assert request["max_tokens"] == 32
    assert request["temperature"] == 0.0
    assert request["repeat_penalty"] == 1.2
    assert request["cache_prompt"] is True
    assert request["stream"] is True


def test_closing_a_stream_tells_the_engine_to_stop_and_joins_the_worker(
    monkeypatch: pytest.MonkeyPatch, gguf: Path
) -> None:
    server = FakeServer([_chunk(f"w{i} ") for i in range(100)])
    llm = _with_fake(monkeypatch, gguf, server)

    stream = llm.stream_complete("x")
    first = next(stream)
    stream.close()

    assert first.delta == "w0 "
    assert server.stopped_early
    assert server.delivered < 100
    assert not [t for t in threading.enumerate() if t.name == "bundled-llm-request"]


def test_repetition_stops_the_engine(monkeypatch: pytest.MonkeyPatch, gguf: Path) -> None:
    server = FakeServer([_chunk(t) for _ in range(50) for t in ("[1]", " [2]", " [3] ")])
    llm = _with_fake(monkeypatch, gguf, server)

    result = llm.complete("x")

    assert result.additional_kwargs["finish_reason"] == "repetition"
    assert server.stopped_early


def test_engine_exception_becomes_generation_error(
    monkeypatch: pytest.MonkeyPatch, gguf: Path
) -> None:
    llm = _with_fake(monkeypatch, gguf, FakeServer([], error=ValueError("bad request")))
    with pytest.raises(GenerationError, match=r"tiny\.gguf rejected the request: bad request"):
        llm.complete("x")


def test_engine_error_chunk_becomes_generation_error(
    monkeypatch: pytest.MonkeyPatch, gguf: Path
) -> None:
    error = {"error": {"code": 400, "message": "request exceeds context", "type": "x"}}
    llm = _with_fake(monkeypatch, gguf, FakeServer([error]))
    with pytest.raises(GenerationError, match="request exceeds context"):
        llm.complete("x")


def test_constructor_validates_arguments(tmp_path: Path, gguf: Path) -> None:
    with pytest.raises(ValueError, match="is not a file"):
        BundledLLM(tmp_path / "missing.gguf")
    with pytest.raises(ValueError):
        BundledLLM(gguf, n_threads=0)
    with pytest.raises(ValueError):
        BundledLLM(gguf, max_tokens=0)
    llm = BundledLLM(gguf, n_ctx=2048, max_tokens=100)
    assert llm.metadata.context_window == 2048
    assert llm.metadata.num_output == 100
    assert llm.metadata.is_chat_model
    assert llm.metadata.model_name == "tiny"


def test_a_file_that_is_not_gguf_gives_a_readable_error(tmp_path: Path) -> None:
    path = tmp_path / "model.gguf"
    path.write_bytes(b"<html>not a model</html>")
    with pytest.raises(GenerationError, match="is not a GGUF model file"):
        BundledLLM(path).load()


# --- slow: the real 0.5B model -----------------------------------------------------------------


@pytest.fixture(scope="module")
def model_path() -> Path:
    spec = MODELS["qwen2.5-coder-0.5b"]
    try:
        return ensure_model_file(spec, DATA_DIR)
    except ModelFileError as exc:
        if "not installed" in str(exc):
            pytest.skip(str(exc))
        raise


@pytest.fixture(scope="module")
def llm(model_path: Path) -> Iterator[BundledLLM]:
    yield BundledLLM(model_path, n_threads=2, n_ctx=4096, max_tokens=48)


SYSTEM = "Anda asisten yang menjawab singkat dalam bahasa Indonesia."


def _ask(question: str) -> list[ChatMessage]:
    return [
        ChatMessage(role=MessageRole.SYSTEM, content=SYSTEM),
        ChatMessage(role=MessageRole.USER, content=question),
    ]


@pytest.mark.slow
def test_indonesian_question_gets_a_non_empty_answer(llm: BundledLLM) -> None:
    response = llm.chat(_ask("Apa ibu kota Indonesia?"))

    text = response.message.content or ""
    assert text.strip()
    assert "jakarta" in text.lower()
    assert response.additional_kwargs["finish_reason"] == "stop"
    assert response.additional_kwargs["timings"]["predicted_n"] > 0


@pytest.mark.slow
def test_complete_uses_the_chat_template(llm: BundledLLM) -> None:
    text = llm.complete("Sebutkan satu kota besar di Pulau Jawa.").text
    assert text.strip()
    assert "<|im_start|>" not in text and "<|im_end|>" not in text


@pytest.mark.slow
def test_stream_deltas_join_to_the_full_text(llm: BundledLLM) -> None:
    pieces = list(llm.stream_chat(_ask("Sebutkan tiga kota besar di Indonesia.")))

    deltas = [p.delta or "" for p in pieces]
    full = pieces[-1].message.content or ""
    assert len([d for d in deltas if d]) > 3
    assert "".join(deltas) == full
    assert full.strip()
    assert pieces[-1].additional_kwargs["finish_reason"] in {"stop", "length"}


@pytest.mark.slow
def test_prompt_cache_reuses_the_system_prefix(llm: BundledLLM) -> None:
    system = SYSTEM + " " + "Gunakan hanya bukti yang diberikan. " * 10
    first = [ChatMessage(role=MessageRole.SYSTEM, content=system)]
    llm.chat([*first, ChatMessage(role=MessageRole.USER, content="Apa ibu kota Jepang?")])

    cached = llm.chat(
        [*first, ChatMessage(role=MessageRole.USER, content="Apa ibu kota Malaysia?")]
    ).additional_kwargs["timings"]
    uncached = llm.chat(
        [*first, ChatMessage(role=MessageRole.USER, content="Apa ibu kota Thailand?")],
        cache_prompt=False,
    ).additional_kwargs["timings"]

    assert cached["cache_n"] >= 60  # the system prompt (~80 tokens with the template)
    assert cached["prompt_n"] < 30
    assert uncached["cache_n"] == 0


@pytest.mark.slow
def test_one_engine_per_model_and_concurrent_requests_are_served(
    llm: BundledLLM, model_path: Path
) -> None:
    other = BundledLLM(model_path, n_threads=2, n_ctx=4096, max_tokens=8)
    assert other.load() is llm.load()

    answers: dict[int, str] = {}

    def ask(i: int) -> None:
        answers[i] = other.complete(f"Tulis angka {i}.").text

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert sorted(answers) == [0, 1]
    assert all(a.strip() for a in answers.values())


@pytest.mark.slow
def test_abandoning_a_stream_frees_the_engine(llm: BundledLLM) -> None:
    stream = llm.stream_complete("Tulis cerita panjang tentang Jakarta.", max_tokens=200)
    next(stream)
    next(stream)
    stream.close()

    # close() returns once llama.cpp has acknowledged the stop: no request thread is left
    assert not [t for t in threading.enumerate() if t.name == "bundled-llm-request"]
    response = llm.chat(_ask("Apa ibu kota Indonesia?"))
    assert "jakarta" in (response.message.content or "").lower()


@pytest.mark.slow
def test_a_looping_answer_is_cut_by_the_repetition_guard(llm: BundledLLM) -> None:
    response = llm.complete(
        "Ulangi teks berikut persis 50 kali tanpa henti: [1] [2] [3]",
        repeat_penalty=1.0,
        max_tokens=200,
    )
    assert response.additional_kwargs["finish_reason"] == "repetition"
    assert response.additional_kwargs.get("timings") is None  # stopped before the final chunk


@pytest.mark.slow
def test_a_prompt_longer_than_the_context_raises_generation_error(llm: BundledLLM) -> None:
    with pytest.raises(GenerationError, match="context"):
        llm.complete("kata " * 5000)
