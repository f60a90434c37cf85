"""AnswerStream: items made in a worker thread under the answering lock, consumed async."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import anyio
import pytest

from api.concurrency import AnswerStream
from rag import Answer, GenerationError


def test_a_stream_yields_every_item_then_stops() -> None:
    answer = Answer("q", "ab", "en", False)

    def produce() -> Iterator[str | Answer]:
        yield "a"
        yield "b"
        yield answer

    async def collect() -> list[str | Answer]:
        stream = AnswerStream(produce, threading.Lock())
        await stream.start()
        return [item async for item in stream]

    assert anyio.run(collect) == ["a", "b", answer]


def test_closing_a_stream_stops_the_producer_and_frees_the_lock() -> None:
    lock = threading.Lock()
    closed = threading.Event()

    def endless() -> Iterator[str | Answer]:
        try:
            while True:
                yield "x"
                time.sleep(0.005)
        finally:
            closed.set()

    async def read_three() -> list[str | Answer]:
        stream = AnswerStream(endless, lock)
        await stream.start()
        items = [await stream.__anext__() for _ in range(3)]
        stream.close()
        return items

    assert anyio.run(read_three) == ["x", "x", "x"]
    assert closed.wait(timeout=5), "the generator was not closed"
    assert lock.acquire(timeout=5), "the answering lock was not released"


def test_a_failure_before_the_first_item_is_raised_by_start() -> None:
    lock = threading.Lock()

    def failing() -> Iterator[str | Answer]:
        raise GenerationError("no model")
        yield "never"

    async def start() -> None:
        await AnswerStream(failing, lock).start()

    with pytest.raises(GenerationError, match="no model"):
        anyio.run(start)
    assert lock.acquire(timeout=5)


def test_streams_take_turns_on_the_lock() -> None:
    lock = threading.Lock()
    active: list[int] = []
    most = 0

    def produce() -> Iterator[str | Answer]:
        nonlocal most
        active.append(1)
        most = max(most, len(active))
        time.sleep(0.05)
        yield "done"
        active.pop()

    async def run_two() -> list[list[str | Answer]]:
        results: list[list[str | Answer]] = []

        async def one() -> None:
            stream = AnswerStream(produce, lock)
            await stream.start()
            results.append([item async for item in stream])

        async with anyio.create_task_group() as group:
            group.start_soon(one)
            group.start_soon(one)
        return results

    assert anyio.run(run_two) == [["done"], ["done"]]
    assert most == 1
