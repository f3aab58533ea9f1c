"""When a sentence says something happened, resolved against the publication time.

Absolute dates, "yesterday"/"today", weekday names read by the verb's tense
("on Tuesday" in a Wednesday story is the day before; "on Friday" with "will"
is the Friday to come), and named days from a holiday table in config. What
cannot be resolved is the publication time, and the precision says so.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
WEEKDAYS = {
    name: i
    for i, name in enumerate(
        ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    )
}

_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_ISO = re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b")
_MONTH_DAY = re.compile(
    _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(?P<year>\d{4}))?\b", re.IGNORECASE
)
_DAY_MONTH = re.compile(
    r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + r"(?:,?\s+(?P<year>\d{4}))?\b",
    re.IGNORECASE,
)
_RELATIVE = re.compile(
    r"\b(yesterday|today|tonight|this morning|this afternoon|this evening|"
    r"earlier today|last night|tomorrow)\b",
    re.IGNORECASE,
)
# "Tuesday's summit" names another event's day, not this one's
_WEEKDAY = re.compile(r"\b(?P<wd>" + "|".join(WEEKDAYS) + r")\b(?!['\u2019]s)", re.IGNORECASE)
_OFFSETS = {"yesterday": -1, "last night": -1, "tomorrow": 1}


_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15,
    "twenty": 20, "thirty": 30, "fifty": 50, "a few": 3, "a couple of": 2, "several": 3,
    "many": 5,
}  # fmt: skip
# "eleven years ago", "a decade ago"; "eleven years ago today" is an anniversary
_AGO = re.compile(
    r"\b(?P<n>\d+|" + "|".join(sorted(_NUMBERS, key=len, reverse=True)) + r")\s+"
    r"(?P<unit>years?|decades?)\s+ago\b(?:\s+(?:today|this\s+week|this\s+month)\b)?",
    re.IGNORECASE,
)
# ("since last year" runs to now)
_LAST_YEAR = re.compile(r"(?<!since )\blast\s+year\b", re.IGNORECASE)
_IN_YEAR = re.compile(
    r"\b(?:in|back\s+in|during|of)\s+(?:early\s+|late\s+|mid-?)?(?:"
    + _MONTH
    + r"\s+)?(?P<year>(?:19|20)\d\d)\b(?!\s*(?:GMT|UTC|CET|EET|MSK|hours|hrs|local|h\b))",
    re.IGNORECASE,
)


def _latest(text: str, published: date) -> date | None:
    """The latest day the words that date an act can mean, when they reach back a year or
    more ("a decade ago", "last year", "in 2015", "on 12 February 2015"); None when they do
    not, or when they also name a day near publication ("on Tuesday")."""
    found: list[date] = []
    for m in _AGO.finditer(text):
        n = int(m["n"]) if m["n"].isdigit() else _NUMBERS[m["n"].lower()]
        years = n * 10 if m["unit"].lower().startswith("decade") else n
        found.append(published - timedelta(days=365 * years))
    if _LAST_YEAR.search(text):
        found.append(date(published.year - 1, 12, 31))
    found += [date(int(m["year"]), 12, 31) for m in _IN_YEAR.finditer(text)]
    for pattern in (_MONTH_DAY, _DAY_MONTH):
        for m in pattern.finditer(text):
            if m["year"]:
                found_day = _with_year(
                    MONTHS[m["month"].lower()], int(m["day"]), m["year"], published
                )
                if found_day is not None:
                    found.append(found_day)
    if not found:
        return None
    rest = _AGO.sub(" ", text)
    noon = datetime.combine(published, time(12), tzinfo=UTC)
    yearless = not any(m["year"] for p in (_MONTH_DAY, _DAY_MONTH) for m in p.finditer(rest))
    if yearless and resolve_when(rest, published=noon).precision == "day":
        return None  # "in 2015 and again on Tuesday": the act is now too
    return max(found)


def in_years_past(dated: str, *, published: datetime, since: date | None = None) -> bool:
    """Whether the words that date an act put it before the story began (``since``; else
    before the year of publication): "Eleven years ago today, leaders ... agreed in Minsk
    on a ceasefire" is the story's past, not its news."""
    day0 = published.astimezone(UTC).date()
    latest = _latest(dated, day0) if dated else None
    if latest is None:
        return False
    return latest < since if since is not None else latest.year < day0.year


@dataclass(frozen=True, slots=True)
class Resolved:
    moment: datetime
    precision: str  # day | publication


def _day(value: date) -> datetime:
    return datetime.combine(value, time(0), tzinfo=UTC)


def _with_year(month: int, day: int, year: str | None, published: date) -> date | None:
    try:
        if year:
            return date(int(year), month, day)
        guess = date(published.year, month, day)
    except ValueError:
        return None
    # A date without a year, far after publication, was last year's (December in January).
    if guess - published > timedelta(days=31):
        guess = guess.replace(year=guess.year - 1)
    return guess


def resolve_when(
    text: str,
    *,
    published: datetime,
    tense: str = "past",
    holidays: Mapping[str, str] | None = None,
) -> Resolved:
    """The day ``text`` places its event on, else the publication time."""
    day0 = published.astimezone(UTC).date()
    if match := _ISO.search(text):
        try:
            found = date(int(match["y"]), int(match["m"]), int(match["d"]))
            return Resolved(_day(found), "day")
        except ValueError:
            pass
    for pattern in (_MONTH_DAY, _DAY_MONTH):
        for match in pattern.finditer(text):
            month = MONTHS[match["month"].lower()]
            found_day = _with_year(month, int(match["day"]), match["year"], day0)
            if found_day is not None:
                return Resolved(_day(found_day), "day")
    lowered = text.lower()
    for phrase in sorted(holidays or {}, key=len, reverse=True):
        if re.search(r"\b" + re.escape(phrase) + r"\b", lowered):
            value = (holidays or {})[phrase]
            try:
                found = (
                    date.fromisoformat(value)
                    if len(value) == 10
                    else date(day0.year, int(value[:2]), int(value[3:5]))
                )
            except ValueError:
                continue
            return Resolved(_day(found), "day")
    if match := _RELATIVE.search(text):
        word = match.group(1).lower()
        return Resolved(_day(day0 + timedelta(days=_OFFSETS.get(word, 0))), "day")
    if match := _WEEKDAY.search(text):
        weekday = WEEKDAYS[match["wd"].lower()]
        if tense == "future":
            delta = (weekday - day0.weekday()) % 7 or 7
            found = day0 + timedelta(days=delta)
        else:
            found = day0 - timedelta(days=(day0.weekday() - weekday) % 7)
        return Resolved(_day(found), "day")
    return Resolved(published.astimezone(UTC), "publication")


# "signed in Istanbul a day earlier", "the previous day", "two days before": counted back
# from the day the sentence gives, else from publication
# ("two days before the summit" counts from the summit: "before" must end its phrase)
_ENDS = r"(?=\s*(?:[,.;:)\"'\u2019\u201d]|$|and\b|but\b))"
_EARLIER = re.compile(
    r"\b(?:(?P<n>a|one|two|three|four|five|six|seven)\s+(?P<unit>days?|weeks?)\s+"
    r"(?:earlier(?!\s+than)|before" + _ENDS + r")|the\s+(?:previous|preceding)\s+day|"
    r"the\s+day\s+before" + _ENDS + r")",
    re.IGNORECASE,
)


def _counted_back(
    text: str, sentence: str, published: datetime, holidays: Mapping[str, str]
) -> Resolved | None:
    """The day ``text`` counts back to ("a day earlier"), from the sentence's own day."""
    match = _EARLIER.search(text)
    if match is None:
        return None
    n = _NUMBERS[(match["n"] or "a").lower()]
    days = n * 7 if (match["unit"] or "day").lower().startswith("week") else n
    rest = _EARLIER.sub(" ", sentence)
    anchor = resolve_when(rest, published=published, holidays=holidays)
    start = anchor.moment if anchor.precision == "day" else _day(published.astimezone(UTC).date())
    return Resolved(start - timedelta(days=days), "day")


def resolve_clause(
    own: str,
    sentence: str,
    *,
    published: datetime,
    tense: str,
    holidays: Mapping[str, str],
) -> Resolved:
    """The day the verb's own clause gives ("signed ... on Thursday"), else the sentence's."""
    # only the clause's own "a day earlier" counts: another clause's is another event's
    back = _counted_back(own, sentence, published, holidays) if own else None
    if back is not None:
        return back
    for text in (own, sentence) if own else (sentence,):
        when = resolve_when(text, published=published, tense=tense, holidays=holidays)
        if when.precision == "day":
            return when
    return when
