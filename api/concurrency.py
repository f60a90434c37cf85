"""One ``Assistant`` shared by concurrent requests.

Retrieval runs concurrently (the retriever and embedder lock what they share); answering is
serialised by one lock, since a generator (a llama.cpp context, say) is not safe to use from
two threads at once. Blocking work runs in worker threads, never on the event loop.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Unpack

import anyio.to_thread

from rag import Answer, Assistant, Passage
from rag.assistant import AskOptions

_END = object()


@dataclass(frozen=True)
class _Failed:
    error: Exception


class SharedAssistant:
    """Thread-safe entry points to one ``Assistant``: retrieve freely, answer one at a time."""

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant
        self._answering = threading.Lock()

    def retrieve(self, query: str, k: int, filters: dict[str, Any] | None = None) -> list[Passage]:
        nodes = self.assistant.retriever.retrieve(query, k=k, filters=filters)
        return [node.to_passage() for node in nodes]

    def ask(
        self,
        question: str,
        history: Sequence[tuple[str, str]] = (),
        **options: Unpack[AskOptions],
    ) -> Answer:
        with self._answering:
            return self.assistant.ask(question, history, **options)

    async def stream(
        self,
        question: str,
        history: Sequence[tuple[str, str]] = (),
        **options: Unpack[AskOptions],
    ) -> AnswerStream:
        """Start answering in a worker thread; return once the first item is ready.

        A failure before the first item (a generator that is not configured, say) is raised
        here, so an HTTP handler can still answer with a proper status code.
        """

        def produce() -> Iterator[str | Answer]:
            return self.assistant.stream(question, history, **options)

        stream = AnswerStream(produce, self._answering)
        await stream.start()
        return stream


class AnswerStream:
    """The items of ``Assistant.stream`` (text deltas, then the ``Answer``), made in a thread.

    Iterate with ``async for``; call ``close()`` when done early (a client went away): the
    producer stops at its next item and releases the answering lock.
    """

    def __init__(self, produce: Callable[[], Iterator[str | Answer]], lock: threading.Lock) -> None:
        self._items: queue.SimpleQueue[object] = queue.SimpleQueue()
        self._stop = threading.Event()
        self._head: object = None
        self._finished = False
        self._thread = threading.Thread(
            target=self._run, args=(produce, lock), name="rag-api-answer", daemon=True
        )

    def _run(self, produce: Callable[[], Iterator[str | Answer]], lock: threading.Lock) -> None:
        try:
            with lock:
                if self._stop.is_set():
                    return
                items = produce()
                try:
                    for item in items:
                        self._items.put(item)
                        if self._stop.is_set():
                            break
                finally:
                    close = getattr(items, "close", None)
                    if close is not None:
                        close()
        except Exception as exc:
            self._items.put(_Failed(exc))
        finally:
            self._items.put(_END)

    async def start(self) -> None:
        self._thread.start()
        try:
            self._head = await self._next_raw()
            if isinstance(self._head, _Failed):
                raise self._head.error
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        self._stop.set()

    def __aiter__(self) -> AnswerStream:
        return self

    async def __anext__(self) -> str | Answer:
        if self._head is not None:
            item, self._head = self._head, None
        else:
            item = await self._next_raw()
        if item is _END:
            raise StopAsyncIteration
        if isinstance(item, _Failed):
            raise item.error
        assert isinstance(item, str | Answer)
        return item

    async def _next_raw(self) -> object:
        if self._finished:
            return _END
        try:
            item = self._items.get_nowait()
        except queue.Empty:
            # Abandoned on cancellation: the producer always ends with _END, so the waiting
            # thread returns soon after close().
            item = await anyio.to_thread.run_sync(self._items.get, abandon_on_cancel=True)
        if item is _END or isinstance(item, _Failed):
            self._finished = True
        return item
