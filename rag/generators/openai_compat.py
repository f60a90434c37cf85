"""Generators that speak the OpenAI chat-completions protocol.

``ChatCompletionsLLM`` holds what every such backend shares: building the request from llama-index
messages, turning streamed chunks into llama-index responses, and cutting off a stream that keeps
repeating the same short segment (small models sometimes loop on "[1] [2] [3]" until the token
limit). Subclasses only move request and chunk dicts: ``OpenAICompatibleLLM`` over HTTP (llama.cpp
server, vLLM, Ollama, ...), ``rag.generators.bundled.BundledLLM`` in-process through xllamacpp.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx
from llama_index.core.base.llms.types import (
    ChatMessage,
    ChatResponse,
    ChatResponseGen,
    CompletionResponse,
    CompletionResponseGen,
    LLMMetadata,
    MessageRole,
)
from llama_index.core.bridge.pydantic import Field, PrivateAttr
from llama_index.core.llms.callbacks import llm_chat_callback, llm_completion_callback
from llama_index.core.llms.custom import CustomLLM

from rag.generators.errors import GenerationError

# Request keys a caller may pass through ``complete(..., **kwargs)`` / ``chat(..., **kwargs)``.
# Anything else llama-index passes along (``formatted``, ...) is not sent.
REQUEST_KEYS = frozenset(
    {
        "max_tokens",
        "temperature",
        "top_p",
        "top_k",
        "min_p",
        "stop",
        "seed",
        "frequency_penalty",
        "presence_penalty",
        "repeat_penalty",
        "repeat_last_n",
        "cache_prompt",
        "response_format",
        "grammar",
    }
)

REPETITION_MAX_PERIOD = 64
REPETITION_MIN_SPAN = 16


def repeated_tail(
    text: str,
    min_repeats: int,
    max_period: int = REPETITION_MAX_PERIOD,
    min_span: int = REPETITION_MIN_SPAN,
) -> str | None:
    """The segment that ``text`` ends with ``min_repeats`` times in a row, if any.

    Periods of 1..``max_period`` characters are tried; a short period must also cover at least
    ``min_span`` characters, so "..." or "100" do not count. Returns None when there is no loop.
    """
    if min_repeats < 2:
        raise ValueError(f"min_repeats must be >= 2, got {min_repeats}")
    n = len(text)
    for period in range(1, min(max_period, n // min_repeats) + 1):
        repeats = max(min_repeats, -(-min_span // period))
        if repeats * period > n:
            continue
        segment = text[n - period :]
        if text.endswith(segment * repeats):
            return segment
    return None


@dataclass
class Generated:
    """Generation state after each streamed piece; ``done`` on the last one."""

    delta: str
    text: str
    done: bool = False
    info: dict[str, Any] = field(default_factory=dict)


def messages_payload(messages: Sequence[ChatMessage]) -> list[dict[str, str]]:
    """llama-index messages as OpenAI ``messages`` (text content only)."""
    payload = []
    for message in messages:
        role = message.role.value if isinstance(message.role, MessageRole) else str(message.role)
        payload.append({"role": role, "content": message.content or ""})
    return payload


def error_message(chunk: Any) -> str | None:
    """The error a response or chunk carries, in any of the shapes servers use; else None."""
    if not isinstance(chunk, dict):
        return None
    error = chunk.get("error")
    if error is None:
        return None
    if isinstance(error, dict):
        message = str(error.get("message") or json.dumps(error, ensure_ascii=False))
        kind = error.get("type") or error.get("code")
        return f"{message} ({kind})" if kind else message
    return str(error)


class ChatCompletionsLLM(CustomLLM):
    """A llama-index LLM over an OpenAI-style chat-completions engine.

    Subclasses implement ``_stream_request`` (yield chunk dicts for a ``stream: true`` request,
    raising ``GenerationError`` on failure) and ``_describe`` (names the engine in errors); they
    may override ``_chat_request`` with a non-streaming call. Every public method sends the
    messages through the model's own chat template (``is_chat_model``).
    """

    max_tokens: int = Field(default=256, ge=1, description="Tokens to generate at most.")
    temperature: float = Field(default=0.0, ge=0.0, description="0 samples greedily.")
    max_repeats: int = Field(
        default=4,
        ge=0,
        description="Stop a stream whose text ends with the same short segment this many times "
        "in a row (0 disables the check).",
    )

    # --- what subclasses provide -------------------------------------------------------------

    def _describe(self) -> str:
        raise NotImplementedError

    def _stream_request(self, request: dict[str, Any]) -> Iterator[dict[str, Any]]:
        raise NotImplementedError

    def _context_window(self) -> int:
        raise NotImplementedError

    def _model_name(self) -> str:
        raise NotImplementedError

    def _request_defaults(self) -> dict[str, Any]:
        return {"max_tokens": self.max_tokens, "temperature": self.temperature}

    # --- shared machinery --------------------------------------------------------------------

    @property
    def metadata(self) -> LLMMetadata:
        return LLMMetadata(
            context_window=self._context_window(),
            num_output=self.max_tokens,
            is_chat_model=True,
            model_name=self._model_name(),
        )

    def build_request(
        self, messages: Sequence[ChatMessage], *, stream: bool, **kwargs: Any
    ) -> dict[str, Any]:
        """The request body for ``messages``; known ``kwargs`` override the defaults."""
        request: dict[str, Any] = {"messages": messages_payload(messages)}
        request.update(self._request_defaults())
        request.update({k: v for k, v in kwargs.items() if k in REQUEST_KEYS and v is not None})
        if stream:
            request["stream"] = True
            request["stream_options"] = {"include_usage": True}
        return request

    def generate(self, messages: Sequence[ChatMessage], **kwargs: Any) -> Iterator[Generated]:
        """Stream the answer to ``messages``; the last item has ``done`` and the run's info.

        ``info`` holds ``finish_reason`` ("stop", "length", or "repetition" when the repetition
        guard cut the stream), and ``usage``/``timings`` when the engine reports them.
        """
        request = self.build_request(messages, stream=True, **kwargs)
        text = ""
        info: dict[str, Any] = {"finish_reason": None}
        chunks = self._stream_request(request)
        try:
            for chunk in chunks:
                message = error_message(chunk)
                if message is not None:
                    raise GenerationError(f"{self._describe()} failed: {message}")
                for key in ("usage", "timings", "model"):
                    if chunk.get(key):
                        info[key] = chunk[key]
                choices = chunk.get("choices") or []
                if not choices:
                    continue
                choice = choices[0]
                if choice.get("finish_reason"):
                    info["finish_reason"] = choice["finish_reason"]
                delta = (choice.get("delta") or {}).get("content") or ""
                if not delta:
                    continue
                text += delta
                yield Generated(delta=delta, text=text)
                if self.max_repeats and repeated_tail(text, self.max_repeats) is not None:
                    info["finish_reason"] = "repetition"
                    break
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()
        yield Generated(delta="", text=text, done=True, info=info)

    def _chat_request(self, messages: Sequence[ChatMessage], **kwargs: Any) -> Generated:
        """The whole answer at once; by default collected from ``generate``."""
        result = Generated(delta="", text="")
        for piece in self.generate(messages, **kwargs):
            result = piece
        return result

    def _user_messages(self, prompt: str) -> list[ChatMessage]:
        return self._extend_messages([ChatMessage(role=MessageRole.USER, content=prompt)])

    @llm_chat_callback()
    def chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        result = self._chat_request(messages, **kwargs)
        return ChatResponse(
            message=ChatMessage(role=MessageRole.ASSISTANT, content=result.text),
            raw=result.info,
            additional_kwargs=dict(result.info),
        )

    @llm_chat_callback()
    def stream_chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponseGen:
        def gen() -> ChatResponseGen:
            for piece in self.generate(messages, **kwargs):
                yield ChatResponse(
                    message=ChatMessage(role=MessageRole.ASSISTANT, content=piece.text),
                    delta=piece.delta,
                    raw=piece.info if piece.done else None,
                    additional_kwargs=dict(piece.info),
                )

        return gen()

    @llm_completion_callback()
    def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        result = self._chat_request(self._user_messages(prompt), **kwargs)
        return CompletionResponse(
            text=result.text, raw=result.info, additional_kwargs=dict(result.info)
        )

    @llm_completion_callback()
    def stream_complete(
        self, prompt: str, formatted: bool = False, **kwargs: Any
    ) -> CompletionResponseGen:
        messages = self._user_messages(prompt)

        def gen() -> CompletionResponseGen:
            for piece in self.generate(messages, **kwargs):
                yield CompletionResponse(
                    text=piece.text,
                    delta=piece.delta,
                    raw=piece.info if piece.done else None,
                    additional_kwargs=dict(piece.info),
                )

        return gen()


class OpenAICompatibleLLM(ChatCompletionsLLM):
    """Any OpenAI-compatible chat-completions endpoint: llama.cpp server, vLLM, Ollama, ...

    ``base_url`` is the API root that ``/chat/completions`` hangs off, usually ending in ``/v1``
    (``http://127.0.0.1:8080/v1`` for llama.cpp's server, ``http://127.0.0.1:11434/v1`` for
    Ollama). ``chat``/``complete`` make one non-streaming request; ``stream_*`` read SSE.
    Server-specific options (llama.cpp's ``repeat_penalty``, ``cache_prompt``) go in
    ``extra_body``. Connection errors, HTTP errors and timeouts raise ``GenerationError`` naming
    the URL.
    """

    base_url: str = Field(description="API root, e.g. http://127.0.0.1:8080/v1")
    model: str = Field(description="Model name sent in each request.")
    api_key: str | None = Field(default=None, repr=False, exclude=True)
    timeout: float = Field(default=120.0, gt=0, description="Seconds to wait for each read.")
    context_window: int = Field(default=4096, ge=1)
    extra_body: dict[str, Any] = Field(default_factory=dict)

    _client: httpx.Client = PrivateAttr()

    def __init__(
        self,
        base_url: str,
        model: str,
        *,
        api_key: str | None = None,
        timeout: float = 120.0,
        max_tokens: int = 256,
        temperature: float = 0.0,
        context_window: int = 4096,
        extra_body: dict[str, Any] | None = None,
        max_repeats: int = 4,
        http_client: httpx.Client | None = None,
        **kwargs: Any,
    ) -> None:
        if not base_url.startswith(("http://", "https://")):
            raise ValueError(f"base_url must start with http:// or https://, got {base_url!r}")
        fields: dict[str, Any] = {
            "base_url": base_url.rstrip("/"),
            "model": model,
            "api_key": api_key,
            "timeout": timeout,
            "max_tokens": max_tokens,
            "temperature": temperature,
            "context_window": context_window,
            "extra_body": dict(extra_body or {}),
            "max_repeats": max_repeats,
        }
        super().__init__(**fields, **kwargs)
        self._client = http_client or httpx.Client(timeout=httpx.Timeout(timeout))

    @classmethod
    def class_name(cls) -> str:
        return "OpenAICompatibleLLM"

    @property
    def url(self) -> str:
        return f"{self.base_url}/chat/completions"

    def _describe(self) -> str:
        return f"the generator at {self.url} (model {self.model!r})"

    def _context_window(self) -> int:
        return self.context_window

    def _model_name(self) -> str:
        return self.model

    def _request_defaults(self) -> dict[str, Any]:
        return {"model": self.model, **super()._request_defaults(), **self.extra_body}

    def _headers(self) -> dict[str, str]:
        headers = {"Accept": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        return headers

    def _failure(self, exc: Exception) -> GenerationError:
        if isinstance(exc, httpx.TimeoutException):
            return GenerationError(
                f"{self._describe()} did not answer within {self.timeout:g} s "
                f"({type(exc).__name__}). Is the server overloaded, or the timeout too short?"
            )
        if isinstance(exc, httpx.ConnectError):
            return GenerationError(
                f"Cannot connect to {self._describe()}: {exc or type(exc).__name__}. "
                "Is the server running and the base URL right?"
            )
        return GenerationError(f"Request to {self._describe()} failed: {exc!r}")

    def _http_error(self, response: httpx.Response, body: str) -> GenerationError:
        try:
            detail = error_message(json.loads(body)) or body
        except ValueError:
            detail = body
        detail = " ".join(detail.split())[:500] or response.reason_phrase
        return GenerationError(f"{self._describe()} answered HTTP {response.status_code}: {detail}")

    def _chat_request(self, messages: Sequence[ChatMessage], **kwargs: Any) -> Generated:
        request = self.build_request(messages, stream=False, **kwargs)
        try:
            response = self._client.post(self.url, json=request, headers=self._headers())
        except httpx.HTTPError as exc:
            raise self._failure(exc) from exc
        if response.status_code >= 400:
            raise self._http_error(response, response.text)
        try:
            data = response.json()
        except ValueError as exc:
            raise GenerationError(
                f"{self._describe()} sent a response that is not JSON: {response.text[:200]!r}"
            ) from exc
        message = error_message(data)
        if message is not None:
            raise GenerationError(f"{self._describe()} failed: {message}")
        try:
            choice = data["choices"][0]
            text = choice["message"].get("content") or ""
        except (KeyError, IndexError, TypeError, AttributeError) as exc:
            raise GenerationError(
                f"{self._describe()} sent an unexpected response (no choices[0].message): "
                f"{json.dumps(data)[:300]}"
            ) from exc
        info: dict[str, Any] = {"finish_reason": choice.get("finish_reason")}
        for key in ("usage", "timings", "model"):
            if data.get(key):
                info[key] = data[key]
        return Generated(delta=text, text=text, done=True, info=info)

    def _stream_request(self, request: dict[str, Any]) -> Iterator[dict[str, Any]]:
        headers = {**self._headers(), "Accept": "text/event-stream"}
        try:
            with self._client.stream("POST", self.url, json=request, headers=headers) as response:
                if response.status_code >= 400:
                    raise self._http_error(response, response.read().decode("utf-8", "replace"))
                for line in response.iter_lines():
                    data = sse_data(line)
                    if data is None:
                        continue
                    if data == "[DONE]":
                        return
                    try:
                        chunk = json.loads(data)
                    except ValueError as exc:
                        raise GenerationError(
                            f"{self._describe()} streamed a line that is not JSON: {data[:200]!r}"
                        ) from exc
                    if isinstance(chunk, dict):
                        yield chunk
        except httpx.HTTPError as exc:
            raise self._failure(exc) from exc

    def close(self) -> None:
        """Close the HTTP connection pool."""
        self._client.close()


def sse_data(line: str) -> str | None:
    """The payload of an SSE ``data:`` line; None for comments, other fields and blank lines."""
    if not line.startswith("data:"):
        return None
    return line[5:].strip()
