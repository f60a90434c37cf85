"""The extractive generator: no model; the answer quotes the best evidence, cited.

Instant, never invents anything, and the fallback when a generated answer fails citation
checks. It cannot translate: an English question gets the Indonesian sentence quoted,
introduced in English.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from rag.evidence import Evidence
from rag.followups import Turn
from rag.generators.base import GenerationRequest
from rag.messages import message
from rag.prompts import source_label


class ExtractiveGenerator:
    name = "extractive"
    uses_llm = False

    def __init__(self, max_quotes: int = 2) -> None:
        self.max_quotes = max_quotes

    def stream(self, request: GenerationRequest) -> Iterator[str]:
        yield self.answer(request)

    def answer(self, request: GenerationRequest) -> str:
        return self.compose(request)[0]

    def compose(self, request: GenerationRequest) -> tuple[str, list[int]]:
        """The answer text, and the evidence index behind each citation number (from 1)."""
        chosen = self.quotes(request)
        parts = []
        for n, (_, evidence) in enumerate(chosen, start=1):
            intro = message(
                "quote_intro", request.language, source=source_label(evidence, request.language)
            )
            parts.append(f'{intro}"{evidence.text}" [{n}]')
        return "\n".join(parts), [index for index, _ in chosen]

    def quotes(self, request: GenerationRequest) -> list[tuple[int, Evidence]]:
        """The evidence the answer quotes (its index, itself): three when sources disagree."""
        return pick_quotes(request.evidence, 3 if request.conflict else self.max_quotes)

    def condense(self, question: str, history: Sequence[Turn]) -> str | None:
        return None

    def warm_up(self) -> str:
        return "extractive: no model"

    def complete(self, prompt: str) -> str:
        return ""


def pick_quotes(evidence: Sequence[Evidence], limit: int) -> list[tuple[int, Evidence]]:
    """The best sentence, plus runners-up that score close to it (within 0.03)."""
    if not evidence:
        return []
    best = evidence[0].score
    return [(i, e) for i, e in enumerate(evidence[:limit]) if i == 0 or e.score >= best - 0.03]
