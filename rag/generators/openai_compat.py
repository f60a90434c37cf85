"""Generators that speak the OpenAI chat-completions protocol.

``ChatCompletionsLLM`` holds what every such backend shares: building the request from llama-index
messages, turning streamed chunks into llama-index responses, and cutting off a stream that keeps
repeating the same short segment (small models sometimes loop on "[1] [2] [3]" until the token
limit). Subclasses only move request and chunk dicts: ``OpenAICompatibleLLM`` over HTTP (llama.cpp
server, vLLM, Ollama, ...), ``rag.generators.bundled.BundledLLM`` in-process through xllamacpp.

``OpenAICompatibleLLM`` leaves HTTP, SSE parsing and error types to the official ``openai`` SDK.
llama-index's ``OpenAILike`` wraps the same SDK but is an LLM class of its own: using it would mean
giving up this base class, which the bundled engine shares (the repetition guard, one request
body, the finish reason and usage on the last piece).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import httpx2
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

if TYPE_CHECKING:
    import openai

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
    ``extra_body``. Unreachable servers, timeouts, HTTP errors and malformed streams raise
    ``GenerationError`` naming the URL.

    HTTP, SSE parsing and the error types come from the ``openai`` SDK; its default retries are
    off (``max_retries=0``): one answer can take a CPU server minutes, so a retry after a timeout
    would multiply the wait, and the chat shows the error so the user can ask again.
    """

    base_url: str = Field(description="API root, e.g. http://127.0.0.1:8080/v1")
    model: str = Field(description="Model name sent in each request.")
    api_key: str | None = Field(default=None, repr=False, exclude=True)
    timeout: float = Field(default=120.0, gt=0, description="Seconds to wait for each read.")
    max_retries: int = Field(default=0, ge=0, description="The SDK's retries of a failed call.")
    context_window: int = Field(default=4096, ge=1)
    extra_body: dict[str, Any] = Field(default_factory=dict)

    _client: openai.OpenAI = PrivateAttr()
    _headers: dict[str, Any] = PrivateAttr()

    def __init__(
        self,
        base_url: str,
        model: str,
        *,
        api_key: str | None = None,
        timeout: float = 120.0,
        max_retries: int = 0,
        max_tokens: int = 256,
        temperature: float = 0.0,
        context_window: int = 4096,
        extra_body: dict[str, Any] | None = None,
        max_repeats: int = 4,
        http_client: httpx2.Client | None = None,
        **kwargs: Any,
    ) -> None:
        if not base_url.startswith(("http://", "https://")):
            raise ValueError(f"base_url must start with http:// or https://, got {base_url!r}")
        fields: dict[str, Any] = {
            "base_url": base_url.rstrip("/"),
            "model": model,
            "api_key": api_key,
            "timeout": timeout,
            "max_retries": max_retries,
            "max_tokens": max_tokens,
            "temperature": temperature,
            "context_window": context_window,
            "extra_body": dict(extra_body or {}),
            "max_repeats": max_repeats,
        }
        super().__init__(**fields, **kwargs)
        # Imported here: BundledLLM imports this module for the base class, and importing the
        # SDK costs ~0.4 s that the bundled path never needs.
        import openai

        # The SDK reads OPENAI_API_KEY, OPENAI_ORG_ID and OPENAI_PROJECT_ID when not given
        # them; none of those belongs to a self-hosted server, so with no key of ours the
        # client gets a placeholder and every request omits the three headers.
        self._client = openai.OpenAI(
            base_url=self.base_url,
            api_key=api_key or "unused",
            timeout=timeout,
            max_retries=max_retries,
            http_client=http_client,
        )
        self._headers = {"OpenAI-Organization": openai.omit, "OpenAI-Project": openai.omit}
        if not api_key:
            self._headers["Authorization"] = openai.omit

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

    def _create(self, request: dict[str, Any], **headers: str) -> Any:
        """One chat-completions call; ``request`` is the body ``build_request`` made.

        Only model, messages and stream go through the SDK's typed arguments: the rest is sent
        as built (``extra_body``), so llama.cpp's own keys and ``max_tokens`` (which the SDK
        would rather call ``max_completion_tokens``) reach the server unchanged.
        """
        body = dict(request)
        typed: dict[str, Any] = {"model": body.pop("model"), "messages": body.pop("messages")}
        if body.pop("stream", False):
            typed["stream"] = True  # absent otherwise, as in the body ``build_request`` made
        return self._client.chat.completions.create(
            **typed, extra_body=body, extra_headers={**self._headers, **headers}
        )

    def _failure(self, exc: Exception) -> GenerationError:
        """``exc`` (an SDK or JSON error) as a message that names the endpoint and what to do."""
        import openai

        if isinstance(exc, openai.APITimeoutError):
            cause = type(exc.__cause__ or exc).__name__
            return GenerationError(
                f"{self._describe()} did not answer within {self.timeout:g} s ({cause}). "
                "Is the server overloaded, or the timeout too short?"
            )
        if isinstance(exc, openai.APIConnectionError):
            if isinstance(exc.__cause__, httpx2.ConnectError):
                return GenerationError(
                    f"Cannot connect to {self._describe()}: {exc.__cause__}. "
                    "Is the server running and the base URL right?"
                )
            return GenerationError(
                f"The connection to {self._describe()} broke off: {exc.__cause__ or exc!r}. "
                "Is the server still running?"
            )
        if isinstance(exc, openai.APIStatusError):
            detail = _error_detail(exc) or exc.response.reason_phrase
            return GenerationError(
                f"{self._describe()} answered HTTP {exc.status_code}: {detail.rstrip('.')}. "
                f"{_http_hint(exc.status_code)}"
            )
        if isinstance(exc, openai.APIError):  # an error event in the stream
            return GenerationError(f"{self._describe()} failed: {_error_detail(exc)}")
        if isinstance(exc, json.JSONDecodeError):
            return GenerationError(
                f"{self._describe()} sent data that is not JSON: {exc.doc[:200]!r}. "
                "Is the base URL an OpenAI-compatible API root (often ending in /v1)?"
            )
        return GenerationError(f"Request to {self._describe()} failed: {exc!r}")

    def _chat_request(self, messages: Sequence[ChatMessage], **kwargs: Any) -> Generated:
        import openai

        request = self.build_request(messages, stream=False, **kwargs)
        try:
            completion = self._create(request)
        except (openai.OpenAIError, json.JSONDecodeError) as exc:
            raise self._failure(exc) from exc
        # The SDK hands back a body that was not JSON as a plain string.
        if isinstance(completion, str):
            raise GenerationError(
                f"{self._describe()} sent a response that is not JSON: {completion[:200]!r}"
            )
        data = completion.to_dict()
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
        import openai

        try:
            with self._create(request, Accept="text/event-stream") as stream:
                for chunk in stream:
                    # Chunks the SDK could not read as objects (a bare list, a string) carry
                    # no text: skipped, as the old hand-written reader did.
                    if isinstance(chunk, openai.BaseModel):
                        yield chunk.to_dict()
        except (openai.OpenAIError, json.JSONDecodeError) as exc:
            raise self._failure(exc) from exc

    def close(self) -> None:
        """Close the HTTP connection pool."""
        self._client.close()


def _error_detail(exc: openai.APIError) -> str:
    """The server's own message in ``exc`` (JSON error object or plain text), on one line."""
    body = exc.body
    if isinstance(body, dict):
        detail = error_message({"error": body}) or ""
    elif isinstance(body, str):
        detail = body
    else:
        detail = exc.message
    return " ".join(detail.split())[:500]


def _http_hint(status: int) -> str:
    """What to check after an HTTP error ``status``."""
    if status in (401, 403):
        return "Check the API key (RAG_OPENAI_API_KEY)."
    if status == 404:
        return "Check the base URL (RAG_OPENAI_BASE_URL) and the model name (RAG_OPENAI_MODEL)."
    if status == 429:
        return "The server is busy: wait a little and ask again."
    if status >= 500:
        return "The server failed: its log says why."
    return "The server refused the request: see its message."
