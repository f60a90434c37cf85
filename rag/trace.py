"""How long each stage of answering took: one object per answer, read into ``Answer.timings``."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager


class Trace:
    """Stage timings in milliseconds since the question arrived.

    ``with trace.stage("retrieve"):`` adds the block's time to ``retrieve_ms``;
    ``trace.mark("first_token")`` records ``first_token_ms`` (the first time only).
    """

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self._ms: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        begun = time.perf_counter()
        try:
            yield
        finally:
            self.add(name, (time.perf_counter() - begun) * 1000)

    def add(self, name: str, ms: float) -> None:
        """Add ``ms`` to stage ``name`` (a stage can run in several pieces)."""
        key = f"{name}_ms"
        self._ms[key] = self._ms.get(key, 0.0) + ms

    def mark(self, event: str, at_ms: float | None = None) -> None:
        """Record when ``event`` first happened, counted from the question's arrival (now, or
        ``at_ms``)."""
        self._ms.setdefault(f"{event}_ms", self.elapsed_ms() if at_ms is None else at_ms)

    def elapsed_ms(self) -> float:
        return (time.perf_counter() - self.started) * 1000

    def timings(self) -> dict[str, float]:
        """Every stage and mark so far, plus ``total_ms``, rounded to 0.01 ms."""
        done = {**self._ms, "total_ms": self.elapsed_ms()}
        return {key: round(value, 2) for key, value in done.items()}
