"""The trace of one answer: stage times and first events."""

import time

from rag.trace import Trace


def test_stages_add_up_and_marks_keep_the_first_time() -> None:
    trace = Trace()
    with trace.stage("verify"):
        time.sleep(0.002)
    with trace.stage("verify"):
        time.sleep(0.002)
    trace.mark("first_text")
    first = trace.timings()["first_text_ms"]
    time.sleep(0.002)
    trace.mark("first_text")
    timings = trace.timings()
    assert timings["verify_ms"] >= 4
    assert timings["first_text_ms"] == first
    assert timings["total_ms"] >= timings["first_text_ms"]
