"""The generator interface: evidence in, answer text (streamed) out.

``LLMGenerator`` drives any llama-index LLM (the bundled llama.cpp model, an
OpenAI-compatible endpoint, or a user's own); ``ExtractiveGenerator`` quotes evidence and
needs no model at all.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

from llama_index.core.base.llms.types import ChatMessage, MessageRole
from llama_index.core.llms import LLM

from rag.answer import Language
from rag.evidence import Evidence
from rag.followups import (
    Turn,
    drops_a_name,
    history_text,
    points_at_conversation,
    still_points_back,
)
from rag.generators.errors import GenerationError
from rag.language import detect_language
from rag.prompts import CONDENSE_PROMPT, EXAMPLES, SYSTEM_PROMPT, several_prompt, user_prompt


@dataclass(frozen=True)
class GenerationRequest:
    """What the model answers from. ``conflict``: the sources give the asked figure
    differently; ``several``: the question asks for several things (a list, two things, a
    change over time), which is asked in a prompt of its own (``rag.prompts.SEVERAL_PROMPT``)."""

    question: str
    language: Language
    evidence: tuple[Evidence, ...]
    conflict: bool = False
    several: bool = False
    # The answer is its first checked sentence (``answer_types.answered_in_one_sentence``):
    # the 1.5B model pads a one-fact answer with more of its sources ("19 people were in a
    # very serious condition [2]." after the right figure), and what it adds was not asked.
    one_sentence: bool = False


class Generator(Protocol):
    name: str
    uses_llm: bool

    def stream(self, request: GenerationRequest) -> Iterator[str]: ...

    def condense(self, question: str, history: Sequence[Turn]) -> str | None: ...

    def warm_up(self) -> str:
        """Load what answering needs now; return how it runs, for logs and status."""
        ...

    def complete(self, prompt: str) -> str:
        """The model's reply to one user message (empty without a model)."""
        ...


class LLMGenerator:
    """Answers with a llama-index LLM through chat messages (system + user)."""

    uses_llm = True

    def __init__(self, llm: LLM, name: str) -> None:
        self.llm = llm
        self.name = name

    def messages(self, request: GenerationRequest) -> list[ChatMessage]:
        if request.several:
            prompt = several_prompt(request.question, request.evidence, request.language)
            return [ChatMessage(role=MessageRole.USER, content=prompt)]
        examples = [
            ChatMessage(role=role, content=text)
            for question, answer in EXAMPLES
            for role, text in ((MessageRole.USER, question), (MessageRole.ASSISTANT, answer))
        ]
        return [
            ChatMessage(role=MessageRole.SYSTEM, content=SYSTEM_PROMPT),
            *examples,
            ChatMessage(
                role=MessageRole.USER,
                content=user_prompt(
                    request.question, request.evidence, request.language, request.conflict
                ),
            ),
        ]

    def warm_up(self) -> str:
        load = getattr(self.llm, "load", None)  # an in-process model (BundledLLM) has one
        if not callable(load):
            return f"{self.name}: nothing to load"
        engine = load()
        self._prime()
        runtime = getattr(engine, "runtime", None)
        return runtime.describe() if runtime is not None else f"{self.name}: loaded"

    def _prime(self) -> None:
        """Evaluate the fixed prefix of every answer prompt (the system prompt and the worked
        examples, ~400 tokens) now, one token generated, so the model's cache holds it when
        the first question comes: that question then reads only its sources and question
        (about 2 s less for it on 2 cores). An optimisation only: a failure is left to the
        first question to report."""
        with contextlib.suppress(GenerationError):
            self.llm.chat(self.messages(GenerationRequest("", "en", ())), max_tokens=1)

    def stream(self, request: GenerationRequest) -> Iterator[str]:
        for chunk in self.llm.stream_chat(self.messages(request)):
            if chunk.delta:
                yield chunk.delta

    def complete(self, prompt: str) -> str:
        response = self.llm.chat([ChatMessage(role=MessageRole.USER, content=prompt)])
        return response.message.content or ""

    def condense(self, question: str, history: Sequence[Turn]) -> str | None:
        prompt = CONDENSE_PROMPT.format(history=history_text(history), question=question)
        response = self.llm.chat([ChatMessage(role=MessageRole.USER, content=prompt)])
        text = (response.message.content or "").strip().strip('"').splitlines()
        rewritten = text[0].strip() if text else ""
        # A rewrite that lost the question or ran on is worse than none, and so is the
        # question given back unchanged: its pronoun still points nowhere, where the
        # rule-based form (the caller's fallback) at least adds the last turn's names.
        if not rewritten or len(rewritten) > 3 * len(question) + 200:
            return None
        if _words(rewritten) == _words(question) or points_at_conversation(rewritten):
            return None
        if still_points_back(rewritten, question) or drops_a_name(rewritten, question):
            return None
        # The 1.5B model sometimes translates instead of rewriting ("Negara mana kirim
        # pasukan?" after an English turn became "Which country sent troops?", then refused):
        # the asker's words are worth more than a translation of them.
        if detect_language(rewritten) != detect_language(question):
            return None
        return rewritten


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())
