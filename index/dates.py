"""Publication dates as Indonesian news sites write them, turned into ISO 8601.

Sites write the same instant many ways: "10 Januari 2022, 07:15 WIB",
"Sabtu, 08 Januari 2022 - 05:06 WIB", "08/01/2022 06:38 WIB", "Jan 10, 2022". Times carry
the Indonesian zone name rather than an offset, so the zone becomes a fixed UTC offset
(WIB +07:00, WITA +08:00, WIT +09:00); a time without a zone stays naive rather than
pretending to know it, and a date without a time stays a plain date.

Numeric dates are read day first (08/01/2022 is 8 January), as Indonesian sites write them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

# Month names and abbreviations, Indonesian and English. Indonesian sites abbreviate August
# three ways (Agu, Agt, Ags) and sometimes spell February/November with a P.
MONTHS: dict[str, int] = {
    "januari": 1, "jan": 1, "january": 1,
    "februari": 2, "pebruari": 2, "feb": 2, "peb": 2, "february": 2,
    "maret": 3, "mar": 3, "march": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "jun": 6, "june": 6,
    "juli": 7, "jul": 7, "july": 7,
    "agustus": 8, "agu": 8, "agt": 8, "ags": 8, "aug": 8, "august": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "oct": 10, "october": 10,
    "november": 11, "nopember": 11, "nov": 11, "nop": 11,
    "desember": 12, "des": 12, "dec": 12, "december": 12,
}  # fmt: skip

# Zone names to UTC offsets in hours. Indonesia has three zones; UTC/GMT appear on wire copy.
ZONE_OFFSETS: dict[str, int] = {"wib": 7, "wita": 8, "wit": 9, "utc": 0, "gmt": 0, "z": 0}

# Day names are matched only so that they are part of the date's span (a byline's text
# before the date is then the author or rubric, without "Sabtu,").
_DAY_NAMES = (
    r"senin|selasa|rabu|kamis|jum'?at|sabtu|minggu|ahad|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday"
)
MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
"""The month names of ``MONTHS`` as a regex alternation, longest first ("januari" before "jan")."""

_DATE_RE = re.compile(
    rf"(?:\b(?:{_DAY_NAMES})\s*,?\s*)?"
    r"(?:"
    # 10 Januari 2022 / 10 Jan. 2022
    rf"(?<!\d)(?P<d1>\d{{1,2}})\s+(?P<mon1>{MONTH_NAMES})\b\.?,?\s+(?P<y1>\d{{4}})"
    # 08/01/2022, 08-01-2022, 08.01.2022 (day first)
    r"|(?<![\d/.-])(?P<d2>\d{1,2})(?P<sep>[/.-])(?P<m2>\d{1,2})(?P=sep)(?P<y2>\d{4})"
    # January 10, 2022 / Jan 10 2022
    rf"|\b(?P<mon3>{MONTH_NAMES})\b\.?\s+(?P<d3>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y3>\d{{4}})"
    # 2022-01-10 (ISO, as in front matter)
    r"|(?<![\d/.-])(?P<y4>\d{4})-(?P<m4>\d{1,2})-(?P<d4>\d{1,2})"
    r")(?!\d)"
    # Optional time: ", 07:15 WIB", " - 05:06 WIB", " pukul 07.15", "T07:15:00+07:00".
    r"(?:(?:\s*[,|@–—-]\s*|\s+|T)(?:(?:pukul|pkl\.?|jam|at)\s*)?"
    r"(?P<hour>\d{1,2})[:.](?P<minute>\d{2})(?![\d])(?:[:.](?P<second>\d{2})(?:\.\d+)?(?!\d))?"
    r"(?:\s*(?P<zone>WITA|WIT|WIB|UTC|GMT|Z)\b)?"
    r"(?:\s*(?P<offset>[+-]\d{1,2}(?::?\d{2})?)(?!\d))?"
    r")?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class FoundDate:
    """A date found in a text: its ISO 8601 form and the span ``text[start:end]`` it came from."""

    iso: str
    start: int
    end: int


def find_date(text: str) -> FoundDate | None:
    """The first valid date (with its time and zone, when given) in ``text``, or None.

    Impossible dates ("31 Februari 2022", "25:00") are skipped, not repaired.
    """
    for match in _DATE_RE.finditer(text):
        iso = _to_iso(match)
        if iso is not None:
            return FoundDate(iso=iso, start=match.start(), end=match.end())
    return None


def parse_published(text: str) -> str | None:
    """ISO 8601 for the first date in ``text`` ("2022-01-10T07:15:00+07:00"), or None.

    With a zone the result carries its offset; a time without a zone is naive
    ("2022-01-10T07:15:00"); a date without a time is just the date ("2022-01-10").
    """
    found = find_date(text)
    return found.iso if found else None


def publication_day(published: str | None) -> date | None:
    """The calendar day of a ``parse_published`` value, where the article was published (its
    own offset); None when there is none or it is not ISO 8601."""
    if not published:
        return None
    try:
        return datetime.fromisoformat(published).date()
    except ValueError:
        return None


def _to_iso(match: re.Match[str]) -> str | None:
    groups = match.groupdict()
    if groups["y1"]:
        day, month, year = int(groups["d1"]), MONTHS[groups["mon1"].casefold()], int(groups["y1"])
    elif groups["y2"]:
        day, month, year = int(groups["d2"]), int(groups["m2"]), int(groups["y2"])
    elif groups["y3"]:
        day, month, year = int(groups["d3"]), MONTHS[groups["mon3"].casefold()], int(groups["y3"])
    else:
        day, month, year = int(groups["d4"]), int(groups["m4"]), int(groups["y4"])
    # Four-digit numbers far from now are more likely counts or ids than years.
    if not 1900 <= year <= 2100:
        return None
    try:
        if groups["hour"] is None:
            return date(year, month, day).isoformat()
        stamp = datetime(
            year,
            month,
            day,
            int(groups["hour"]),
            int(groups["minute"]),
            int(groups["second"] or 0),
            tzinfo=_zone(groups["zone"], groups["offset"]),
        )
    except ValueError:
        return None
    return stamp.isoformat()


def _zone(name: str | None, offset: str | None) -> timezone | None:
    """The fixed offset for a zone name (WIB ...) or a numeric offset ("+07:00", "GMT+7")."""
    if name and name.casefold() in ("wib", "wita", "wit"):
        # The zone name is the authority; a stray number after it is not an offset.
        return timezone(timedelta(hours=ZONE_OFFSETS[name.casefold()]))
    if offset:
        sign = -1 if offset[0] == "-" else 1
        digits = offset[1:].replace(":", "")
        if len(digits) <= 2:
            hours, minutes = int(digits), 0
        else:
            hours, minutes = int(digits[:-2]), int(digits[-2:])
        if hours > 14 or minutes >= 60:
            raise ValueError(f"offset out of range: {offset}")
        return timezone(sign * timedelta(hours=hours, minutes=minutes))
    if name:
        return timezone(timedelta(hours=ZONE_OFFSETS[name.casefold()]))
    return None
