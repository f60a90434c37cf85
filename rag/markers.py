"""The assistant's citation markers, ``[1]``, ``[2, 3]``, ``[1; 4]``: one pattern for the
citation check, the follow-up rewrite, the chat's links and the eval's metrics."""

from __future__ import annotations

import re

MARKER_RE = re.compile(r"\[(\d+(?:\s*[,;]\s*\d+)*)\]")
_SEPARATOR_RE = re.compile(r"\s*[,;]\s*")


def markers(text: str) -> list[int]:
    """The numbers of ``text``'s markers, in order, one per reference: ``"[1] x [2,3]"`` ->
    1, 2, 3."""
    return [int(n) for group in MARKER_RE.findall(text) for n in _SEPARATOR_RE.split(group)]
