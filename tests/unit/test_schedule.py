"""When a feed is polled next, and how its interval is written. No database, no clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tracker.domain.feeds import MAX_EVERY_SECONDS, PollOutcome, next_schedule, parse_every

NOW = datetime(2026, 1, 6, 12, tzinfo=UTC)
HOUR = 3600
DAY = 86400


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("60", 60),
        ("90s", 90),
        ("15m", 900),
        (" 2H ", 7200),
        ("1d", DAY),
        ("31d", MAX_EVERY_SECONDS),
    ],
)
def test_an_interval_is_read_as_seconds(text: str, seconds: int) -> None:
    assert parse_every(text) == seconds


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "cannot read"),
        ("15 minutes", "cannot read"),
        ("-5m", "cannot read"),
        ("1.5h", "cannot read"),
        ("59s", "under a minute"),
        ("0", "under a minute"),
        ("32d", "over a month"),
        ("9" * 12 + "d", "over a month"),
    ],
)
def test_a_bad_interval_says_why(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_every(text)


@pytest.mark.parametrize(
    ("outcome", "failures", "wait", "failures_after", "active"),
    [
        (PollOutcome("ok"), 0, HOUR, 0, True),
        (PollOutcome("ok"), 3, HOUR, 0, True),  # a success clears the failures
        (PollOutcome("not_modified"), 2, HOUR, 0, True),
        (PollOutcome("ok", max_age=2 * HOUR), 0, 2 * HOUR, 0, True),  # Cache-Control stretches
        (PollOutcome("ok", max_age=60), 0, HOUR, 0, True),  # ... but never shortens
        (PollOutcome("ok", max_age=30 * DAY), 0, DAY, 0, True),  # ... within the cap
        (PollOutcome("error"), 0, 2 * HOUR, 1, True),
        (PollOutcome("error"), 1, 4 * HOUR, 2, True),
        (PollOutcome("error"), 4, DAY, 5, True),  # 32 h, capped at a day
        (PollOutcome("error"), 1000, DAY, 1001, True),  # no overflow after many
        (PollOutcome("error", retry_after=10 * HOUR), 0, 10 * HOUR, 1, True),  # Retry-After
        (PollOutcome("error", retry_after=60), 0, 2 * HOUR, 1, True),  # never sooner
        (PollOutcome("error", retry_after=9 * DAY), 0, DAY, 1, True),  # within the cap
        (PollOutcome("gone"), 2, 0, 2, False),  # 410 stops polling
    ],
)
def test_the_next_poll_follows_interval_hints_and_backoff(
    outcome: PollOutcome, failures: int, wait: int, failures_after: int, active: bool
) -> None:
    schedule = next_schedule(outcome, now=NOW, every=HOUR, failures=failures, max_backoff=DAY)
    assert schedule.next_due == NOW + timedelta(seconds=wait)
    assert schedule.consecutive_failures == failures_after
    assert schedule.active is active
