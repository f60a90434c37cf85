"""Generators: the LLMs that write answers (bundled GGUF, or an OpenAI-compatible server)."""
