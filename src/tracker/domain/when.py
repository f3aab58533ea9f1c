"""Reading the user's dates: a date alone means the end of that day, UTC."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time

END_OF_DAY = time(23, 59, 59, 999999)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_POSITION = re.compile(r"^[0-9]+$")  # ASCII: "²" is a digit to str.isdigit, not to int()


def parse_when(
    text: str, *, now: datetime, option: str, forms: str = "YYYY-MM-DD or an ISO datetime"
) -> datetime:
    """An aware UTC instant from ``YYYY-MM-DD``, an ISO datetime with offset, or ``now``.

    A datetime without an offset is refused: it could mean any of 24 hours.
    """
    raw = text.strip()
    if raw.lower() == "now":
        return now
    if _DATE.match(raw):
        try:
            return datetime.combine(date.fromisoformat(raw), END_OF_DAY, tzinfo=UTC)
        except ValueError:
            raise ValueError(f"{option}: {text!r} is not a valid date") from None
    try:
        moment = datetime.fromisoformat(raw.replace("z", "Z"))
    except ValueError:
        raise ValueError(f"{option}: cannot read {text!r}; use {forms} with offset") from None
    if moment.tzinfo is None:
        raise ValueError(
            f"{option}: {text!r} has no timezone and is ambiguous; add one, e.g. {raw}Z"
        )
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        # 9999-12-31T23:59-14:00 or 0001-01-01T00:00+14:00: a real offset, no UTC instant.
        raise ValueError(
            f"{option}: {text!r} is out of range; dates run from 0001-01-01 to 9999-12-31 UTC"
        ) from None


def parse_bound(text: str, *, now: datetime, option: str) -> datetime | int:
    """A log position (digits) or a transaction time, as ``parse_when`` reads it."""
    raw = text.strip()
    if _POSITION.match(raw):
        return int(raw)
    if _POSITION.match(raw.removeprefix("-")):
        raise ValueError(f"{option}: a log position is 0 or more, not {raw}")
    forms = "a log position, YYYY-MM-DD or an ISO datetime"
    return parse_when(text, now=now, option=option, forms=forms)
