"""Days in news text as a small model reads them: weekday names dated by the article's
publication date, and numeric dates written out.

News writes the days of the last week by their names: "Blinken memperingatkan pada hari
Jumat" in an article published on Saturday 8 January 2022 means Friday 7 January. A small
model asked "when" answers with a date it can see, and the only one beside that sentence was
the article's publication date in its source label ("January 8, 2022" for that Friday). So
for a "when" question the model reads the sources with each such weekday dated, "pada hari
Jumat (7 Januari 2022)", and without publication dates in their labels (``rag.prompts``);
the citation check reads every passage dated the same way, so that date is supported. The
article itself stays as written: citations quote it.

Measured on dev (`rag eval --split dev --systems ours`, bundled, stop 28): dating the weekdays
with the labels' dates kept changed no answer (stop 27); with the labels' dates dropped for
"when" questions as well, 40 -> 41 of 88 right and no answer lost.

Numeric dates are day/month, as Indonesian news writes them: "Rabu (5/1/2022)". The model
read that as 5 May ("The statement by Jen Psaki was made on 5 May 2022"), and the check then
refused the answer; written out, "Rabu (5 Januari 2022)", it is one date in either reading.

The rule is the reporting convention (a weekday names the latest such day on or before the
publication date). A name that already carries a date ("Rabu (5/1)", "Sabtu, 8 Januari
2022"), that points forward ("Senin depan", "next Monday") or that recurs ("setiap Jumat")
is left alone, as is every name when the article's date is unknown.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from index.dates import MONTH_NAMES, MONTHS, publication_day
from rag.answer import Language
from rag.messages import MONTHS_IN, format_day

_WEEKDAYS: dict[str, int] = {
    "senin": 0, "selasa": 1, "rabu": 2, "kamis": 3, "jumat": 4, "jum'at": 4, "sabtu": 5,
    "minggu": 6, "ahad": 6,
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6,
}  # fmt: skip

# "Minggu" is also "week" ("minggu ini", "beberapa minggu"): only the capitalised word or
# "hari minggu" names the day. The other names are taken in any case.
_NAME_RE = re.compile(
    r"(?<![\w'])(?P<hari>hari\s+)?(?P<name>" + "|".join(_WEEKDAYS) + r")(?![\w'])",
    re.IGNORECASE,
)
# "Minggu ini / lalu / depan / ke-2" at a sentence's start is a week, not a Sunday.
_WEEK_AFTER_RE = re.compile(r"\s+(?:ini|lalu|depan|ke-?\d|pertama|kedua|terakhir)\b", re.IGNORECASE)
_TIME_OF_DAY = r"(?:\s+(?:pagi|siang|sore|malam|dini\s+hari|morning|afternoon|evening|night))?"
# A date already beside the name: "(5/1)", ", 8 Januari 2022", "8 Januari".
_DATED_AFTER_RE = re.compile(
    _TIME_OF_DAY + r"\s*(?:\(\s*\d{1,2}/\d{1,2}|,?\s*\d{1,2}[\s/]+(?:\d{1,2}\b|[^\W\d_]{3,}))",
    re.IGNORECASE,
)
_FORWARD_AFTER_RE = re.compile(
    _TIME_OF_DAY + r"\s+(?:depan|mendatang|besok|yang\s+akan\s+datang)\b", re.IGNORECASE
)
_BEFORE_RE = re.compile(
    r"\b(?:next|coming|this|every|each|setiap|tiap|sampai|hingga|until|by)\s+(?:hari\s+)?$",
    re.IGNORECASE,
)


def weekdays_in(text: str) -> set[int]:
    """The weekdays ``text`` names, in either language (Monday is 0); "minggu" only where it
    is the day, not the week."""
    return {
        _WEEKDAYS[match.group("name").lower()]
        for match in _NAME_RE.finditer(text)
        if not _is_week(text, match)
    }


def _is_week(text: str, match: re.Match[str]) -> bool:
    """Is this "minggu" the week ("beberapa minggu", "Minggu ini"), not Sunday?"""
    name = match.group("name")
    return name.lower() == "minggu" and (
        not (name[0].isupper() or match.group("hari"))
        or bool(_WEEK_AFTER_RE.match(text, match.end()))
    )


def dated_weekdays(text: str, published: str | None, language: Language) -> str:
    """``text`` with the date after each weekday name that refers back from ``published``
    (ISO 8601): "pada hari Jumat" -> "pada hari Jumat (7 Januari 2022)" (the date in
    ``language``). ``text`` unchanged when the publication date is unknown."""
    day = publication_day(published)
    if day is None:
        return text
    pieces: list[str] = []
    last = 0
    for match in _NAME_RE.finditer(text):
        name = match.group("name")
        if _is_week(text, match):
            continue
        after = text[match.end() :]
        before = text[max(0, match.start() - 20) : match.start()]
        if (
            _DATED_AFTER_RE.match(after)
            or _FORWARD_AFTER_RE.match(after)
            or _BEFORE_RE.search(before)
        ):
            continue
        back = (day.weekday() - _WEEKDAYS[name.lower()]) % 7
        pieces.append(text[last : match.end()])
        pieces.append(f" ({format_day(day - timedelta(days=back), language)})")
        last = match.end()
    pieces.append(text[last:])
    return "".join(pieces)


# "(5/1/2022)", "(5/1)": day/month[/year] in brackets, as Indonesian news dates an event.
_NUMERIC_DATE_RE = re.compile(r"\((\d{1,2})/(\d{1,2})(?:/(\d{4}))?\)")


def spelled_dates(text: str) -> str:
    """``text`` with each bracketed day/month[/year] date written out in Indonesian: "Rabu
    (5/1/2022)" -> "Rabu (5 Januari 2022)", "(8/1)" -> "(8 Januari)". Impossible days and
    months stay as written."""

    def spell(match: re.Match[str]) -> str:
        day, month, year = int(match[1]), int(match[2]), match[3]
        try:  # without a year, any leap year tells a possible day from an impossible one
            written = format_day(date(int(year or 2000), month, day), "id")
        except ValueError:
            return match[0]
        return f"({written if year else written.rsplit(' ', 1)[0]})"

    return _NUMERIC_DATE_RE.sub(spell, text)


_NAMES: dict[Language, tuple[str, ...]] = {
    "id": ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
_ENGLISH_NAMES = frozenset(name.lower() for name in _NAMES["en"])
# A weekday name with a whole date beside it: "Monday (6 January 2022)", "Kamis, 6 Januari
# 2022", "Thursday, January 6, 2022".
_NAMED_DATE_RE = re.compile(
    r"(?<![\w'])(?P<name>" + "|".join(_WEEKDAYS) + r")(?![\w'])\s*[(,]?\s*"
    rf"(?:(?P<d1>\d{{1,2}})\s+(?P<m1>{MONTH_NAMES})\.?,?\s+(?P<y1>\d{{4}})"
    rf"|(?P<m2>{MONTH_NAMES})\.?\s+(?P<d2>\d{{1,2}}),?\s+(?P<y2>\d{{4}}))(?!\d)",
    re.IGNORECASE,
)


def calendar_weekdays(text: str) -> str:
    """``text`` with each weekday name that stands beside a whole date made that date's
    weekday, in the name's language and case: the model copies "Kamis (6 Januari 2022)" as
    "Monday (6 January 2022)", and the check then refuses a sentence whose date is right. A
    date that does not exist leaves its name alone."""

    def fix(match: re.Match[str]) -> str:
        name = match["name"]
        try:
            weekday = date(
                int(match["y1"] or match["y2"]),
                MONTHS[(match["m1"] or match["m2"]).lower()],
                int(match["d1"] or match["d2"]),
            ).weekday()
        except ValueError:
            return match[0]
        if _WEEKDAYS[name.lower()] == weekday:
            return match[0]
        right = _NAMES["en" if name.lower() in _ENGLISH_NAMES else "id"][weekday]
        if name.islower():
            right = right.lower()
        elif name.isupper():
            right = right.upper()
        return right + match[0][len(name) :]

    return _NAMED_DATE_RE.sub(fix, text)


# A day and a month name as the answer's other language writes it: "2 Januari 2022" in an
# English answer (the model copies the sources' dates), "6 January" in an Indonesian one.
_FULL_MONTH_NAMES = "|".join(name for names in MONTHS_IN.values() for name in names)
_DAY_MONTH_RE = re.compile(
    r"(?<![\w.])(?P<day>\d{1,2})\s+(?P<month>" + _FULL_MONTH_NAMES + r")(?![\w'])",
    re.IGNORECASE,
)


def localized_months(text: str, language: Language) -> str:
    """``text`` with the month name after each day written in ``language``: "2 Januari 2022"
    -> "2 January 2022" in English. The date itself is left as it is."""

    def localize(match: re.Match[str]) -> str:
        name = MONTHS_IN[language][MONTHS[match["month"].lower()] - 1]
        return f"{match['day']} {name}"

    return _DAY_MONTH_RE.sub(localize, text)
