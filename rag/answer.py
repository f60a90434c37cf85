"""The values an answer is made of: retrieved passages, citations, the answer itself.

These cross module and process boundaries (UI, HTTP, MCP, eval reports), so they are
frozen dataclasses with a JSON-ready ``to_dict``. Everything that points into an article is
a ``SourceSpan``: a retrieved ``Passage``, the ``Evidence`` the model reads and a ``Citation``
of the answer carry one and the same provenance fields.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any, Literal

Language = Literal["id", "en"]
RefusalReason = Literal[
    "not_found",
    "unconfirmed",
    "nonsense",
    "other_language",
    "empty",
    "link_only",
    "task",
    "small_talk",
    "vague",
]
"""Why an answer is a refusal: the corpus does not hold it (``not_found``), nothing the model
wrote held up against the sources (``unconfirmed``), or the question could not be asked
(``task``: a request to write a poem, a song or a joke, which no article answers), or
nothing was asked (``small_talk``: a greeting, thanks, a goodbye, answered in kind;
``vague``: question words alone, "berapa", "how many?")."""
Stage = Literal["searching", "reading", "loading_model", "writing"]


@dataclass(frozen=True)
class SourceSpan:
    """A text and where it sits: ``raw[start:end]`` of article ``doc_id``, with the article's
    title, outlet and publication date (ISO 8601, when known)."""

    doc_id: str
    title: str
    published: str | None
    publisher: str | None
    text: str
    start: int
    end: int

    @property
    def span(self) -> SourceSpan:
        """The provenance alone (of a passage, evidence or citation)."""
        return SourceSpan(**{f.name: getattr(self, f.name) for f in fields(SourceSpan)})

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Passage(SourceSpan):
    """A retrieved chunk of an article, with its retrieval score."""

    chunk_id: str
    score: float


@dataclass(frozen=True)
class Citation(SourceSpan):
    """Citation ``[n]`` of an answer: the exact evidence text and where it sits in the article."""

    n: int

    @classmethod
    def of(cls, n: int, source: SourceSpan) -> Citation:
        return cls(n=n, **asdict(source.span))


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
    refusal_reason: RefusalReason | None = None
    # What the model wrote before the citation check kept, repaired or dropped its sentences
    # ("" without a model): for the eval's records and debugging, not shown to the asker.
    draft: str = ""

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
            "refusal_reason": self.refusal_reason,
            "draft": self.draft,
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
            refusal_reason=data.get("refusal_reason"),
            draft=data.get("draft", ""),
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
