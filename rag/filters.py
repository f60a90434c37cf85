"""Metadata filters on retrieval: documents, outlets, a published-date range."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from index import DocumentRecord

# Articles are dated in Indonesian time; a bare date in a filter means a WIB calendar day.
_WIB = timezone(timedelta(hours=7))


class FilterError(ValueError):
    """A filter value is malformed; the message names the field."""


@dataclass(frozen=True)
class Filters:
    doc_ids: tuple[str, ...] | None = None
    publishers: tuple[str, ...] | None = None
    published_from: date | None = None
    published_to: date | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Filters | None:
        """Build from ``{"doc_id"|"doc_ids", "publisher"|"publishers", "published_from",
        "published_to"}``; ``None`` or ``{}`` means no filter."""
        if not data:
            return None
        known = {"doc_id", "doc_ids", "publisher", "publishers", "published_from", "published_to"}
        unknown = set(data) - known
        if unknown:
            raise FilterError(f"unknown filter field(s) {sorted(unknown)}; known: {sorted(known)}")
        return cls(
            doc_ids=_strings(data, "doc_id", "doc_ids"),
            publishers=_strings(data, "publisher", "publishers"),
            published_from=_date(data.get("published_from"), "published_from"),
            published_to=_date(data.get("published_to"), "published_to"),
        )

    @property
    def empty(self) -> bool:
        return not (self.doc_ids or self.publishers or self.published_from or self.published_to)

    def to_chroma_where(self) -> dict[str, Any] | None:
        clauses: list[dict[str, Any]] = []
        if self.doc_ids:
            clauses.append({"doc_id": {"$in": list(self.doc_ids)}})
        if self.publishers:
            clauses.append({"publisher": {"$in": list(self.publishers)}})
        if self.published_from:
            clauses.append({"published_ts": {"$gte": _ts(self.published_from, start=True)}})
        if self.published_to:
            clauses.append({"published_ts": {"$lte": _ts(self.published_to, start=False)}})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}

    def accepts(self, doc: DocumentRecord) -> bool:
        if self.doc_ids and doc.doc_id not in self.doc_ids:
            return False
        if self.publishers and doc.publisher not in self.publishers:
            return False
        if self.published_from or self.published_to:
            if not doc.published:
                return False
            ts = datetime.fromisoformat(doc.published)
            if ts.tzinfo is None:
                ts = ts.replace(tzinfo=_WIB)
            if self.published_from and ts.timestamp() < _ts(self.published_from, start=True):
                return False
            if self.published_to and ts.timestamp() > _ts(self.published_to, start=False):
                return False
        return True


def _strings(data: dict[str, Any], one: str, many: str) -> tuple[str, ...] | None:
    values: list[Any] = []
    if data.get(one) is not None:
        values.append(data[one])
    if data.get(many) is not None:
        if not isinstance(data[many], list | tuple):
            raise FilterError(f"filter {many!r} must be a list of strings")
        values.extend(data[many])
    if not values:
        return None
    if not all(isinstance(v, str) and v for v in values):
        raise FilterError(f"filter {one!r}/{many!r} takes non-empty strings")
    return tuple(values)


def _date(value: Any, name: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError as exc:
        raise FilterError(f"filter {name!r} must be a date like 2022-01-08, got {value!r}") from exc


def _ts(day: date, *, start: bool) -> int:
    moment = datetime.combine(day, time.min if start else time.max, tzinfo=_WIB)
    return int(moment.timestamp())
