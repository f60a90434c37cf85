"""Loading the model in the background: status while loading, when ready, when it failed."""

from __future__ import annotations

import threading

from rag.generators.warmup import WarmUp


def test_the_status_follows_the_load() -> None:
    release = threading.Event()

    def load() -> str:
        release.wait(5)
        return "plain buffers, native"

    warm = WarmUp(load)
    assert warm.status.state == "idle"
    warm.start()
    warm.start()  # a second start does not load twice
    assert warm.status.state == "loading"
    release.set()
    status = warm.wait(5)
    assert (status.state, status.detail) == ("ready", "plain buffers, native")


def test_a_failed_load_is_reported_not_raised() -> None:
    def load() -> str:
        raise RuntimeError("model file missing")

    warm = WarmUp(load)
    warm.start()
    status = warm.wait(5)
    assert (status.state, status.detail) == ("failed", "model file missing")
