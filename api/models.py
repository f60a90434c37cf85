"""Request and response bodies of the HTTP API and the MCP tools.

Requests are strict (unknown fields are rejected, every size is bounded) so bad input fails
with a 422 naming the field before it reaches the assistant. Responses mirror the ``to_dict``
of ``rag``'s values field for field.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from rag import Answer, Citation, FilterError, Filters, Passage
from rag.answer import RefusalReason

MAX_QUESTION_CHARS = 2000
MAX_TURN_CHARS = 8000
MAX_HISTORY_TURNS = 20
MAX_K = 50
MAX_FILTER_VALUES = 100
MAX_NAME_CHARS = 200


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must contain more than whitespace")
    return value


Name = Annotated[str, Field(min_length=1, max_length=MAX_NAME_CHARS)]
Text = Annotated[
    str, Field(min_length=1, max_length=MAX_QUESTION_CHARS), AfterValidator(_not_blank)
]


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SearchFilters(_Request):
    """Metadata filters; every given field must match (a list matches any of its values)."""

    doc_id: Name | None = Field(default=None, description="One document id (the file stem).")
    doc_ids: list[Name] | None = Field(default=None, max_length=MAX_FILTER_VALUES)
    publisher: Name | None = Field(default=None, description="One outlet, e.g. 'MEDIA PAKUAN'.")
    publishers: list[Name] | None = Field(default=None, max_length=MAX_FILTER_VALUES)
    published_from: date | None = Field(
        default=None, description="First publication day (YYYY-MM-DD, Indonesian time)."
    )
    published_to: date | None = Field(
        default=None, description="Last publication day (YYYY-MM-DD, Indonesian time)."
    )

    @model_validator(mode="after")
    def _check(self) -> SearchFilters:
        if self.published_from and self.published_to and self.published_from > self.published_to:
            raise ValueError("published_from is after published_to")
        try:
            Filters.from_dict(self.to_dict())
        except FilterError as exc:  # the rag rules beyond the schema; the message names the field
            raise ValueError(str(exc)) from exc
        return self

    def to_dict(self) -> dict[str, Any]:
        """The filter dict ``rag`` takes (``Filters.from_dict``)."""
        return self.model_dump(exclude_none=True)


class RetrieveRequest(_Request):
    query: Text = Field(description="Search text.")
    k: int = Field(default=5, ge=1, le=MAX_K, description="Number of passages.")
    filters: SearchFilters | None = None


class Turn(_Request):
    role: Literal["user", "assistant"]
    content: str = Field(max_length=MAX_TURN_CHARS)


class AskRequest(_Request):
    question: Text = Field(description="The question, in Indonesian or English.")
    history: list[Turn] = Field(
        default_factory=list,
        max_length=MAX_HISTORY_TURNS,
        description="Earlier turns of the conversation, oldest first.",
    )
    generator: Literal["extractive", "bundled", "openai"] | None = Field(
        default=None, description="Override the server's generator for this question."
    )
    top_k: int | None = Field(default=None, ge=1, le=MAX_K, description="Passages retrieved.")
    filters: SearchFilters | None = None

    def history_pairs(self) -> list[tuple[str, str]]:
        return [(turn.role, turn.content) for turn in self.history]


class AnswerOut(BaseModel):
    """``Answer.to_dict()``: the answer with its citations, the retrieved passages, timings."""

    question: str
    text: str
    language: Literal["id", "en"]
    refused: bool
    # rag's own value types: pydantic validates and describes the dataclasses themselves, so
    # the provenance fields are declared once (rag.answer.SourceSpan).
    citations: list[Citation]
    retrieved: list[Passage]
    timings: dict[str, float]
    standalone_question: str
    generator: str
    notices: list[str]
    refusal_reason: RefusalReason | None = Field(
        default=None,
        description="Why a refusal: the corpus does not hold the answer, nothing the model "
        "wrote held up, the question could not be asked, or nothing was asked (small talk, "
        "answered in kind); null when answered.",
    )
    draft: str = Field(
        default="",
        description="What the model wrote before the citation check kept, repaired or dropped "
        "its sentences (empty without a model); for debugging, not for display.",
    )

    @classmethod
    def from_answer(cls, answer: Answer) -> AnswerOut:
        return cls.model_validate(answer.to_dict())


class SearchResult(BaseModel):
    passages: list[Passage]


class DocumentOut(BaseModel):
    doc_id: str
    title: str
    published: str | None
    publisher: str | None
    author: str | None
    sources: list[str]
    n_chunks: int


class DocumentsResponse(BaseModel):
    documents: list[DocumentOut]


class HealthResponse(BaseModel):
    status: Literal["ok"]
    documents: int
    chunks: int
    model: Literal["idle", "loading", "ready", "failed"] = Field(
        description="The default generator's model: still loading right after the server "
        "starts, then ready (or failed, with the reason in model_detail)."
    )
    model_detail: str = ""


class DeltaEvent(BaseModel):
    """``event: delta`` of /ask/stream: the next piece of the answer text."""

    text: str


class ErrorResponse(BaseModel):
    """Every non-422 error, and ``event: error`` of /ask/stream."""

    detail: str
