"""A llama-index LLM whose reply is given: for tests of what the assistant does with it."""

from __future__ import annotations

import re
from typing import Any

from llama_index.core.llms import (
    CompletionResponse,
    CompletionResponseGen,
    CustomLLM,
    LLMMetadata,
)
from llama_index.core.llms.callbacks import llm_completion_callback


class ScriptedLLM(CustomLLM):
    """Always replies ``reply``; streams it a word (with its spacing) at a time."""

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
        text = ""
        for delta in re.findall(r"\s*\S+", self.reply):
            text += delta
            yield CompletionResponse(text=text, delta=delta)
