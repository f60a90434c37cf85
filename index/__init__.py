"""From files to stores: read and clean articles, chunk, embed, write Chroma + BM25.

This package knows nothing about questions; ``rag`` builds on it.
"""

from __future__ import annotations

import lazy_loader

# The exports are the imports of __init__.pyi (for type checkers); they load on first use, so a
# light command (`rag stats`, `rag ingest` of an unchanged corpus) does not pay for importing
# llama-index, Chroma or a model it does not touch.
__getattr__, __dir__, __all__ = lazy_loader.attach_stub(__name__, __file__)
