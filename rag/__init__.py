"""Question answering over the indexed news corpus.

Public API (what the UI, the eval suite, the HTTP/MCP servers and other tools use)::

    from rag import Assistant
    a = Assistant.load()
    answer = a.ask("Berapa jumlah pasukan CSTO yang dikirim ke Kazakhstan?")
    answer.text, answer.citations, answer.to_dict()

    from rag import Retriever
    passages = Retriever.load().retrieve("CSTO troops", k=5, filters={"doc_id": "..."})
"""

from rag.answer import Answer, Citation, Language, Passage
from rag.assistant import Assistant
from rag.filters import FilterError, Filters
from rag.generators.errors import GenerationError
from rag.retrieval import PassageNode, Retriever
from rag.settings import GeneratorName, Settings

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
    "Retriever",
    "Settings",
]
