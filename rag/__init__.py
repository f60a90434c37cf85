"""Question answering over the indexed news corpus.

Public API (what the UI, the eval suite, the HTTP/MCP servers and other tools use)::

    from rag import Assistant
    a = Assistant.load()
    answer = a.ask("Berapa jumlah pasukan CSTO yang dikirim ke Kazakhstan?")
    answer.text, answer.citations, answer.to_dict()

    from rag import Retriever
    passages = Retriever.load().retrieve("CSTO troops", k=5, filters={"doc_id": "..."})
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rag.answer import Answer, Citation, Language, Passage, Progress
    from rag.assistant import Assistant
    from rag.filters import FilterError, Filters
    from rag.generators.errors import GenerationError
    from rag.language import detect_language
    from rag.retrieval import PassageNode, Retriever
    from rag.settings import GeneratorName, Settings

# Exports load on first use, so a light command (`rag stats`, `rag ingest` of an unchanged
# corpus) does not pay for importing llama-index, Chroma or a model it does not touch.
_EXPORTS = {
    "Answer": "rag.answer",
    "Assistant": "rag.assistant",
    "Citation": "rag.answer",
    "FilterError": "rag.filters",
    "Filters": "rag.filters",
    "GenerationError": "rag.generators.errors",
    "GeneratorName": "rag.settings",
    "Language": "rag.answer",
    "Passage": "rag.answer",
    "Progress": "rag.answer",
    "PassageNode": "rag.retrieval",
    "Retriever": "rag.retrieval",
    "Settings": "rag.settings",
    "detect_language": "rag.language",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "Answer",
    "Assistant",
    "Citation",
    "FilterError",
    "Filters",
    "GenerationError",
    "GeneratorName",
    "Language",
    "Passage",
    "PassageNode",
    "Progress",
    "Retriever",
    "Settings",
    "detect_language",
]
