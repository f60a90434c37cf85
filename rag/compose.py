"""The last stage: the ``Answer`` value, from the text, its citations and the trace."""

from __future__ import annotations

from collections.abc import Sequence

from rag.answer import Answer, Citation, Passage, RefusalReason
from rag.evidence import Evidence
from rag.generators.base import GenerationRequest
from rag.generators.extractive import ExtractiveGenerator
from rag.question import Question, Stop
from rag.trace import Trace


def compose(
    question: Question,
    text: str,
    trace: Trace,
    generator: str,
    retrieved: tuple[Passage, ...],
    *,
    citations: tuple[Citation, ...] = (),
    refused: RefusalReason | None = None,
    notices: tuple[str, ...] = (),
) -> Answer:
    """The answer to a question that reached retrieval (``notices`` add to the question's)."""
    return Answer(
        question=question.asked,
        text=text,
        language=question.language,
        refused=refused is not None,
        citations=citations,
        retrieved=retrieved,
        timings=trace.timings(),
        standalone_question=question.standalone,
        generator=generator,
        notices=question.notices + notices,
        refusal_reason=refused,
    )


def compose_stop(asked: str, stop: Stop, trace: Trace, generator: str) -> Answer:
    """The answer to a question the first stage stopped (empty, a link, nonsense, ...)."""
    return Answer(
        question=asked,
        text=stop.message,
        language=stop.language,
        refused=True,
        timings=trace.timings(),
        standalone_question=stop.text,
        generator=generator,
        notices=stop.notices,
        refusal_reason=stop.reason,
    )


def citations_for(used: Sequence[int], evidence: Sequence[Evidence]) -> tuple[Citation, ...]:
    """Citations 1..n for the evidence indices ``used`` (in order of first use)."""
    return tuple(Citation.of(n, evidence[i]) for n, i in enumerate(used, start=1))


def quote_answer(
    extractive: ExtractiveGenerator, request: GenerationRequest
) -> tuple[str, tuple[Citation, ...]]:
    """The extractive answer for ``request`` (the best evidence quoted) with its citations."""
    body, used = extractive.compose(request)
    return body, citations_for(used, request.evidence)
