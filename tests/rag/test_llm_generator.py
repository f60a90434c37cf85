"""LLMGenerator: what it keeps of a model's condensed follow-up question."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest
from llama_index.core.llms import (
    CompletionResponse,
    CompletionResponseGen,
    CustomLLM,
    LLMMetadata,
)
from llama_index.core.llms.callbacks import llm_completion_callback

from rag.generators.base import LLMGenerator

HISTORY: Sequence[tuple[str, str]] = [
    ("user", "Who asked the CSTO for help?"),
    ("assistant", "President Kassym-Jomart Tokayev asked the CSTO for help [1]."),
]
QUESTION = "How many troops did they send?"


class Scripted(CustomLLM):
    """A model that always replies with ``reply``."""

    reply: str = ""

    @property
    def metadata(self) -> LLMMetadata:
        return LLMMetadata()

    @llm_completion_callback()
    def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        return CompletionResponse(text=self.reply)

    @llm_completion_callback()
    def stream_complete(
        self, prompt: str, formatted: bool = False, **kwargs: Any
    ) -> CompletionResponseGen:
        yield CompletionResponse(text=self.reply, delta=self.reply)


def condensed(reply: str) -> str | None:
    return LLMGenerator(Scripted(reply=reply), "scripted").condense(QUESTION, HISTORY)


def test_a_rewrite_that_resolves_the_question_is_kept() -> None:
    assert condensed('"How many troops did the CSTO send to Kazakhstan?"\n') == (
        "How many troops did the CSTO send to Kazakhstan?"
    )


@pytest.mark.parametrize(
    "reply",
    [
        QUESTION,
        "how many troops did they send",  # the same words: case and punctuation aside
        "",
        "x" * (3 * len(QUESTION) + 201),  # ran on
    ],
)
def test_an_unchanged_empty_or_runaway_rewrite_is_refused(reply: str) -> None:
    # None: the assistant then falls back to rule_based_standalone, which adds the last
    # turn's names to the question.
    assert condensed(reply) is None
