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

import lazy_loader

# The exports are the imports of __init__.pyi (for type checkers); they load on first use, so a
# light command (`rag stats`, `rag ingest` of an unchanged corpus) does not pay for importing
# llama-index, Chroma or a model it does not touch.
__getattr__, __dir__, __all__ = lazy_loader.attach_stub(__name__, __file__)
