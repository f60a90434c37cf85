"""The ``plain`` baseline: our retrieval, its top chunks passed whole, a plain prompt.

What a 40-line pipeline does with the same model: the top ``K`` chunks of our hybrid
retrieval, numbered, and "answer from the sources, cite [n]". No evidence selection, no
refusal gate, no citation check: the model's text is the answer, and each ``[n]`` it writes
cites chunk ``n``. It shows what the stages between retrieval and the text add.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence

from evals.baselines import PipelineSystem
from rag import Answer, Assistant, Citation, GeneratorName, detect_language
from rag.markers import markers

K = 4
PROMPT = """Answer the question using only the numbered sources below. \
Answer briefly, in {language}, and cite the sources you use like [1].

Sources:
{sources}

Question: {question}"""
NOT_FOUND_RE = re.compile(r"\b(not (?:found|mentioned|contain)|tidak (?:ditemukan|disebutkan))")
_LANGUAGES = {"id": "Indonesian", "en": "English"}


class PlainSystem(PipelineSystem):
    """Top-``K`` chunks whole, a plain prompt, the model's text as it comes."""

    sources = ("rag/retrieval.py", "rag/fusion.py", "rag/generators", "index", "evals/plain.py")
    assistant_stages = False  # whole chunks, no gate

    def __init__(self, assistant: Assistant, generator: GeneratorName) -> None:
        super().__init__("plain", assistant, generator)

    def ask(self, question: str, history: Sequence[tuple[str, str]]) -> Answer:
        from llama_index.core.base.llms.types import ChatMessage, MessageRole

        from rag.generators.factory import make_generator

        started = time.perf_counter()
        language = detect_language(question)
        passages = [p.to_passage() for p in self.assistant.retriever.search(question, k=K).passages]
        retrieved_at = time.perf_counter()
        chosen = make_generator(self.assistant.settings, self.generator)
        llm = getattr(chosen, "llm", None)
        if llm is None:  # the extractive generator: quote the top chunk
            text = f"{passages[0].text} [1]" if passages else ""
        else:
            sources = "\n".join(f"[{i}] {p.text}" for i, p in enumerate(passages, start=1))
            prompt = PROMPT.format(
                language=_LANGUAGES[language], sources=sources, question=question
            )
            reply = llm.chat([ChatMessage(role=MessageRole.USER, content=prompt)])
            text = (reply.message.content or "").strip()
        done = time.perf_counter()
        cited = [n for n in markers(text) if 1 <= n <= len(passages)]
        citations = tuple(Citation.of(n, passages[n - 1]) for n in dict.fromkeys(cited))
        return Answer(
            question=question,
            text=text,
            language=language,
            refused=bool(NOT_FOUND_RE.search(text)) and len(text) < 160,
            citations=citations,
            retrieved=tuple(passages),
            timings={
                "retrieve_ms": round((retrieved_at - started) * 1000, 2),
                "generate_ms": round((done - retrieved_at) * 1000, 2),
                "total_ms": round((done - started) * 1000, 2),
            },
            standalone_question=question,
            generator=self.generator,
        )
