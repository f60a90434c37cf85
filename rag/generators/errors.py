"""The one error a generator raises."""

from __future__ import annotations


class GenerationError(RuntimeError):
    """The generator could not produce text; the message says what failed and what to do."""
