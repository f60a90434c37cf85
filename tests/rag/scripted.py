"""A llama-index LLM whose reply is given: for tests of what the assistant does with it."""

from __future__ import annotations

import re
from typing import Any

from llama_index.core.bridge.pydantic import Field
from llama_index.core.llms import (
    CompletionResponse,
    CompletionResponseGen,
    CustomLLM,
    LLMMetadata,
)
from llama_index.core.llms.callbacks import llm_completion_callback


class ScriptedLLM(CustomLLM):
    """Replies ``reply`` (after the ``first`` replies, one per call, if given); streams it a
    word (with its spacing) at a time. ``prompts`` records what it was asked."""

    reply: str = ""
    first: list[str] = Field(default_factory=list)
    prompts: list[str] = Field(default_factory=list)

    def _next(self, prompt: str) -> str:
        self.prompts.append(prompt)
        return self.first.pop(0) if self.first else self.reply

    @property
    def metadata(self) -> LLMMetadata:
        return LLMMetadata()

    @llm_completion_callback()
    def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        return CompletionResponse(text=self._next(prompt))

    @llm_completion_callback()
    def stream_complete(
        self, prompt: str, formatted: bool = False, **kwargs: Any
    ) -> CompletionResponseGen:
        text = ""
        for delta in re.findall(r"\s*\S+", self._next(prompt)):
            text += delta
            yield CompletionResponse(text=text, delta=delta)
