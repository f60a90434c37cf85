"""Loading the model in the background when a server starts, and telling how far it got.

The bundled model takes seconds to load (longer on a machine's first start, when llama.cpp's
configuration is tried out: rag/generators/runtime.py). A server (chat, HTTP, MCP) starts the
load as it starts, so the first question does not wait for it; a question asked meanwhile
waits for the load to finish (the engine's own lock), and the chat says so.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

logger = logging.getLogger(__name__)

ModelState = Literal["idle", "loading", "ready", "failed"]


@dataclass(frozen=True)
class ModelStatus:
    """Where the default generator's model stands."""

    state: ModelState
    detail: str = ""  # ready: how it runs; failed: why
    seconds: float = 0.0  # how long the load took, or has taken so far


class WarmUp:
    """Runs ``load`` once, on a daemon thread; ``status`` can be read at any time."""

    def __init__(self, load: Callable[[], str]) -> None:
        self._load = load
        self._lock = threading.Lock()
        self._state: ModelState = "idle"
        self._detail = ""
        self._started = 0.0
        self._seconds = 0.0
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Begin loading (once; later calls do nothing)."""
        with self._lock:
            if self._thread is not None:
                return
            self._state, self._started = "loading", time.perf_counter()
            self._thread = threading.Thread(target=self._run, name="model-warm-up", daemon=True)
            self._thread.start()

    def wait(self, timeout: float | None = None) -> ModelStatus:
        """Block until the load is over (or ``timeout`` seconds); the status then."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
        return self.status

    @property
    def status(self) -> ModelStatus:
        with self._lock:
            seconds = self._seconds
            if self._state == "loading":
                seconds = time.perf_counter() - self._started
            return ModelStatus(self._state, self._detail, round(seconds, 1))

    def _run(self) -> None:
        try:
            detail = self._load()
            state: ModelState = "ready"
        except Exception as exc:  # reported by status; the first question reports it again
            logger.warning("loading the model failed: %s", exc)
            detail, state = str(exc), "failed"
        with self._lock:
            self._state, self._detail = state, detail
            self._seconds = time.perf_counter() - self._started
        logger.info("model %s in %.1f s: %s", state, self._seconds, detail)
