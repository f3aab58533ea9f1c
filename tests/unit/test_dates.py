"""How the user's dates and log positions are read. No database, no clock."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tracker.domain.when import parse_bound, parse_when

NOW = datetime(2026, 1, 7, 9, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("now", NOW),
        (" NOW ", NOW),
        ("2026-01-06", datetime(2026, 1, 6, 23, 59, 59, 999999, tzinfo=UTC)),  # end of day
        ("2026-01-06T10:00:00Z", datetime(2026, 1, 6, 10, tzinfo=UTC)),
        ("2026-01-06t10:00:00z", datetime(2026, 1, 6, 10, tzinfo=UTC)),
        ("2026-01-06T12:00:00+02:00", datetime(2026, 1, 6, 10, tzinfo=UTC)),
    ],
)
def test_a_date_or_datetime_is_an_aware_utc_instant(text: str, expected: datetime) -> None:
    got = parse_when(text, now=NOW, option="--at")
    assert got == expected
    assert got.utcoffset() is not None and got.utcoffset().total_seconds() == 0  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026-02-30", "not a valid date"),
        ("yesterday", "cannot read"),
        ("2026-01-06T10:00:00", "no timezone"),
        ("9999-12-31T23:59:00-14:00", "out of range"),
    ],
)
def test_an_unreadable_date_names_the_option(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=f"^--at: .*{message}"):
        parse_when(text, now=NOW, option="--at")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0", 0),
        (" 42 ", 42),
        ("2026-01-06", datetime(2026, 1, 6, 23, 59, 59, 999999, tzinfo=UTC)),
        ("now", NOW),
    ],
)
def test_a_bound_is_a_position_or_a_time(text: str, expected: int | datetime) -> None:
    assert parse_bound(text, now=NOW, option="--since") == expected


@pytest.mark.parametrize(("text", "message"), [("-3", "0 or more"), ("²", "cannot read")])
def test_a_bad_bound_says_why(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_bound(text, now=NOW, option="--since")
