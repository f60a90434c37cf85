"""The values an answer is made of: retrieved passages, citations, the answer itself.

These cross module and process boundaries (UI, HTTP, MCP, eval reports), so they are
frozen dataclasses with a JSON-ready ``to_dict``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Language = Literal["id", "en"]
Stage = Literal["searching", "reading", "loading_model", "writing"]


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk of an article; ``raw[start:end]`` of the article is its source span."""

    chunk_id: str
    doc_id: str
    title: str
    published: str | None
    publisher: str | None
    text: str
    score: float
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Citation:
    """Citation ``[n]`` of an answer: the exact evidence text and where it sits in the article."""

    n: int
    doc_id: str
    title: str
    published: str | None
    publisher: str | None
    text: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Answer:
    """What the assistant says, with everything needed to check it."""

    question: str
    text: str
    language: Language
    refused: bool
    citations: tuple[Citation, ...] = ()
    retrieved: tuple[Passage, ...] = ()
    timings: dict[str, float] = field(default_factory=dict)
    standalone_question: str = ""
    generator: str = ""
    notices: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "text": self.text,
            "language": self.language,
            "refused": self.refused,
            "citations": [c.to_dict() for c in self.citations],
            "retrieved": [p.to_dict() for p in self.retrieved],
            "timings": dict(self.timings),
            "standalone_question": self.standalone_question,
            "generator": self.generator,
            "notices": list(self.notices),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Answer:
        """The inverse of ``to_dict`` (for answers stored as JSON)."""
        return cls(
            question=data["question"],
            text=data["text"],
            language=data["language"],
            refused=bool(data["refused"]),
            citations=tuple(Citation(**c) for c in data.get("citations", [])),
            retrieved=tuple(Passage(**p) for p in data.get("retrieved", [])),
            timings={k: float(v) for k, v in data.get("timings", {}).items()},
            standalone_question=data.get("standalone_question", ""),
            generator=data.get("generator", ""),
            notices=tuple(data.get("notices", [])),
        )


@dataclass(frozen=True)
class Progress:
    """What the assistant is doing before (and while) the answer's text comes.

    ``searching``: retrieval runs. ``reading``: the passages are found (``sources``, best
    first) and ``shown`` of them go to the model. ``loading_model``: the model is still
    loading (a server's first seconds). ``writing``: the model writes.
    """

    stage: Stage
    sources: tuple[Passage, ...] = ()
    shown: int = 0
