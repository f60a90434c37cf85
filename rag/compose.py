"""The last stage: the ``Answer`` value, from the text, its citations and the trace."""

from __future__ import annotations

from collections.abc import Sequence

from rag.answer import Answer, Citation, Language, Passage, RefusalReason
from rag.evidence import Evidence
from rag.generators.base import GenerationRequest
from rag.generators.extractive import ExtractiveGenerator
from rag.trace import Trace


def compose(
    asked: str,
    text: str,
    language: Language,
    trace: Trace,
    *,
    refused: RefusalReason | None = None,
    citations: tuple[Citation, ...] = (),
    retrieved: tuple[Passage, ...] = (),
    standalone: str = "",
    generator: str = "",
    notices: tuple[str, ...] = (),
) -> Answer:
    return Answer(
        question=asked,
        text=text,
        language=language,
        refused=refused is not None,
        citations=citations,
        retrieved=retrieved,
        timings=trace.timings(),
        standalone_question=standalone,
        generator=generator,
        notices=notices,
        refusal_reason=refused,
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
