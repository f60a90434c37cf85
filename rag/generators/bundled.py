"""The bundled generator: a GGUF model run in-process by llama.cpp (xllamacpp) on the CPU.

One engine (an ``xllamacpp.Server``) is loaded per (model file, n_ctx, n_threads) and process, and
shared by every ``BundledLLM`` built with the same three values. The engine has a single slot
(``n_parallel = 1``): concurrent requests are queued by llama.cpp's own task queue and run one
after the other, which is also what 2 CPU cores can do. Keeping one slot also keeps its KV cache
warm, so with ``cache_prompt`` a request that starts with the same tokens as the previous one
(the fixed system prompt) only evaluates the new part.

How llama.cpp lays out the weights (its extra buffer types or not) is chosen per machine by
``rag.generators.runtime``, by trials in child processes, since one choice can crash.

xllamacpp also opens an HTTP listener on a random 127.0.0.1 port that this module never uses; it
is locked with a random API key so nothing else on the machine can drive the model through it.
"""

from __future__ import annotations

import logging
import queue
import secrets
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from llama_index.core.bridge.pydantic import Field

from rag.generators.errors import GenerationError
from rag.generators.openai_compat import ChatCompletionsLLM
from rag.generators.runtime import ExtraBuffers, RuntimeChoice, choose_runtime

logger = logging.getLogger(__name__)

# Slot states kept in RAM for prompts that come back (llama.cpp's default is 8 GiB).
CACHE_RAM_MIB = 256
_LOG_QUIET = -1  # llama.cpp's log threshold: nothing, not even its errors (ours say more)
_LOG_VERBOSE = 3  # llama.cpp's own default


@dataclass(frozen=True)
class Engine:
    """A loaded model; ``load_seconds`` is how long the load took."""

    server: Any  # xllamacpp.Server
    model_path: Path
    n_ctx: int
    n_threads: int
    load_seconds: float
    runtime: RuntimeChoice


_ENGINES: dict[tuple[str, int, int, str], Engine] = {}
_ENGINES_LOCK = threading.Lock()


def _check_gguf(model_path: Path) -> None:
    try:
        with model_path.open("rb") as f:
            magic = f.read(4)
    except OSError as exc:
        raise GenerationError(f"Cannot read the model file {model_path}: {exc}") from exc
    if magic != b"GGUF":
        raise GenerationError(
            f"{model_path} is not a GGUF model file (it starts with {magic!r}). "
            "Use the file rag.model_files.ensure_model_file assembles, or another GGUF file."
        )


def _load(
    model_path: Path, n_ctx: int, n_threads: int, verbose: bool, extra_buffers: ExtraBuffers
) -> Engine:
    import xllamacpp  # deferred: importing it costs time and is only needed to generate

    _check_gguf(model_path)
    started = time.perf_counter()
    runtime = choose_runtime(model_path, n_threads, extra_buffers)
    params = xllamacpp.CommonParams()
    params.model.path = str(model_path)
    params.n_ctx = n_ctx
    params.n_parallel = 1
    params.cpuparams.n_threads = n_threads
    params.cpuparams_batch.n_threads = n_threads
    params.cache_prompt = True
    params.cache_ram_mib = CACHE_RAM_MIB
    runtime.config.apply(params)
    # Read the weights instead of memory-mapping them. With extra buffers, llama.cpp repacks the
    # Q4_K tensors into its own CPU buffer; with mmap, the file pages read for that stayed
    # resident too, so the process held both copies: 2,025 MiB peak against 1,430 MiB read, for
    # the 1.5B model (2-core CPU). The cost of reading: two processes no longer share the
    # weights' pages.
    params.load_mode = xllamacpp.llama_load_mode.LLAMA_LOAD_MODE_NONE
    params.verbosity = _LOG_VERBOSE if verbose else _LOG_QUIET
    params.api_keys = [secrets.token_urlsafe(24)]  # locks the unused HTTP listener
    try:
        server = xllamacpp.Server(params)
    except Exception as exc:
        raise GenerationError(
            f"llama.cpp could not load the model {model_path} (n_ctx={n_ctx}, "
            f"n_threads={n_threads}, {runtime.config.label}): {exc}. Check that the file is "
            "complete and that there is enough memory; pass verbose=True to see llama.cpp's log."
        ) from exc
    seconds = time.perf_counter() - started
    return Engine(server, model_path, n_ctx, n_threads, seconds, runtime)


def get_engine(
    model_path: Path,
    n_ctx: int,
    n_threads: int,
    verbose: bool = False,
    extra_buffers: ExtraBuffers = "off",
) -> Engine:
    """The process-wide engine for these settings, loading it on first use (thread-safe)."""
    key = (str(Path(model_path).resolve()), n_ctx, n_threads, extra_buffers)
    with _ENGINES_LOCK:
        engine = _ENGINES.get(key)
        if engine is None:
            engine = _load(Path(key[0]), n_ctx, n_threads, verbose, extra_buffers)
            _ENGINES[key] = engine
            logger.info(
                "loaded %s in %.1f s (%s)",
                model_path,
                engine.load_seconds,
                engine.runtime.describe(),
            )
        return engine


def unload_engines() -> None:
    """Drop every cached engine (frees the model once no request is running on it)."""
    with _ENGINES_LOCK:
        _ENGINES.clear()


class _Failed:
    def __init__(self, exc: BaseException) -> None:
        self.exc = exc


_END = object()


class BundledLLM(ChatCompletionsLLM):
    """A llama-index LLM running a local GGUF chat model in-process on the CPU.

    ``chat``/``stream_chat`` apply the model's own chat template (from the GGUF) to the messages;
    ``complete``/``stream_complete`` send the prompt as one user message (after ``system_prompt``
    if set). Every call streams underneath, so a stream that loops on the same short segment is
    stopped (``finish_reason == "repetition"``). ``additional_kwargs`` of the last response carry
    llama.cpp's ``timings`` (prompt_n, cache_n, prompt_ms, predicted_n, predicted_ms, ...) and
    ``usage``. Engine failures raise ``GenerationError``.
    """

    model_path: Path
    n_threads: int = Field(default=2, ge=1)
    n_ctx: int = Field(default=4096, ge=256)
    repeat_penalty: float = Field(default=1.1, gt=0.0, description="1.0 disables it.")
    cache_prompt: bool = Field(
        default=True, description="Reuse the KV cache of the previous request's common prefix."
    )
    verbose: bool = Field(default=False, description="Let llama.cpp log to stderr.")
    extra_buffers: ExtraBuffers = Field(
        default="off",
        description="llama.cpp's extra buffer types: 'off', 'on', 'auto' (tried per machine).",
    )

    def __init__(
        self,
        model_path: Path,
        *,
        n_threads: int = 2,
        n_ctx: int = 4096,
        max_tokens: int = 256,
        temperature: float = 0.0,
        repeat_penalty: float = 1.1,
        cache_prompt: bool = True,
        max_repeats: int = 4,
        verbose: bool = False,
        extra_buffers: ExtraBuffers = "off",
        **kwargs: Any,
    ) -> None:
        model_path = Path(model_path)
        if not model_path.is_file():
            raise ValueError(f"model_path {model_path} is not a file")
        fields: dict[str, Any] = {
            "model_path": model_path,
            "n_threads": n_threads,
            "n_ctx": n_ctx,
            "max_tokens": max_tokens,
            "temperature": temperature,
            "repeat_penalty": repeat_penalty,
            "cache_prompt": cache_prompt,
            "max_repeats": max_repeats,
            "verbose": verbose,
            "extra_buffers": extra_buffers,
        }
        super().__init__(**fields, **kwargs)

    @classmethod
    def class_name(cls) -> str:
        return "BundledLLM"

    def load(self) -> Engine:
        """Load the model now (otherwise the first request does); returns the shared engine."""
        return get_engine(
            self.model_path, self.n_ctx, self.n_threads, self.verbose, self.extra_buffers
        )

    def _describe(self) -> str:
        return f"the bundled model {self.model_path.name}"

    def _context_window(self) -> int:
        return self.n_ctx

    def _model_name(self) -> str:
        return self.model_path.stem

    def _request_defaults(self) -> dict[str, Any]:
        return {
            **super()._request_defaults(),
            "repeat_penalty": self.repeat_penalty,
            "cache_prompt": self.cache_prompt,
        }

    def _stream_request(self, request: dict[str, Any]) -> Iterator[dict[str, Any]]:
        """Run the request on a worker thread (the engine call blocks) and yield its chunks.

        Closing this generator makes the engine stop at its next token and waits for that, so
        the engine is free for the next request and no thread outlives the request. The worker
        is not a daemon thread: at interpreter exit Python waits for it rather than killing it
        inside llama.cpp (which aborts the process with "FATAL: exception not rethrown").
        """
        server = self.load().server
        chunks: queue.Queue[object] = queue.Queue()
        cancelled = threading.Event()

        def on_chunk(chunk: dict[str, Any]) -> bool:
            chunks.put(chunk)
            return cancelled.is_set()  # True tells llama.cpp to stop this request

        def run() -> None:
            try:
                server.handle_chat_completions(request, on_chunk)
            except BaseException as exc:  # surfaced to the consumer below
                chunks.put(_Failed(exc))
            finally:
                chunks.put(_END)

        worker = threading.Thread(target=run, name="bundled-llm-request", daemon=False)
        worker.start()
        try:
            while (item := chunks.get()) is not _END:
                if isinstance(item, _Failed):
                    raise GenerationError(
                        f"{self._describe()} rejected the request: {item.exc}"
                    ) from item.exc
                if isinstance(item, dict):
                    yield item
        finally:
            cancelled.set()
            worker.join()
