"""Feed decisions that only process data: entry identity, link normalisation, the schedule.

No clock is read here; ``now`` is always an argument.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Query parameters that track the reader, not name the article.
TRACKING_PARAMETERS = re.compile(
    r"^(utm_\w+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|igshid|yclid|_ga|ref|ref_src|"
    r"cmpid|ocid|ns_mchannel|ns_source|ns_campaign|ns_linkname|ns_fee|at_medium|at_campaign)$",
    re.IGNORECASE,
)


def normalise_link(link: str) -> str:
    """A link with tracking parameters, fragment and default port removed, host lowercased."""
    parts = urlsplit(link.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not TRACKING_PARAMETERS.match(k)
    ]
    return urlunsplit((scheme, host, parts.path or "/", urlencode(sorted(query)), ""))


def feed_host(url: str) -> str:
    """The host a feed's requests go to, as politeness counts them (no port, lowercased)."""
    return (urlsplit(url.strip()).hostname or "")[:255]


def entry_identity(
    feed_url: str,
    *,
    guid: str | None,
    link: str | None,
    title: str | None,
    published: datetime | None,
) -> str:
    """GUID (scoped to its feed: many feeds number them 1, 2, 3), else link, else a hash."""
    if guid and guid.strip():
        return f"guid:{normalise_link(feed_url)} {guid.strip()}"
    if link and link.strip():
        return f"link:{normalise_link(link)}"
    basis = f"{title or ''}\x1f{published.isoformat() if published else ''}"
    return f"hash:{normalise_link(feed_url)} {hashlib.sha256(basis.encode()).hexdigest()[:32]}"


def parse_every(text: str) -> int:
    """``15m``, ``2h``, ``90s``, ``1d`` or plain seconds, as seconds (at least 60)."""
    match = re.fullmatch(r"\s*(\d{1,12})\s*([smhd]?)\s*", text.lower())
    if not match:
        raise ValueError(f"cannot read interval {text!r}; use e.g. 15m, 2h, 1d")
    seconds = int(match.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[match.group(2)]
    if seconds < 60:
        raise ValueError(f"interval {text!r} is under a minute; feeds are not polled that often")
    if seconds > MAX_EVERY_SECONDS:
        raise ValueError(f"interval {text!r} is over a month; poll at least monthly")
    return seconds


MAX_EVERY_SECONDS = 31 * 86400


# What one fetch of a feed came to; a poll record keeps it.
FetchKind = Literal["ok", "not_modified", "gone", "error"]
# Where a followed feed came from: `feeds add`, config/feeds.toml, or an OPML import.
FeedOrigin = Literal["cli", "config", "opml"]


@dataclass(frozen=True, slots=True)
class PollOutcome:
    """What one fetch said, as the schedule needs it."""

    kind: FetchKind
    retry_after: float | None = None
    max_age: float | None = None


@dataclass(frozen=True, slots=True)
class Schedule:
    next_due: datetime
    consecutive_failures: int
    active: bool


def next_schedule(
    outcome: PollOutcome,
    *,
    now: datetime,
    every: int,
    failures: int,
    max_backoff: int,
) -> Schedule:
    """When to poll next: the feed's interval, stretched by the server's hints within bounds,
    and doubled per consecutive failure up to ``max_backoff``; 410 Gone stops polling."""
    if outcome.kind == "gone":
        return Schedule(now, failures, active=False)
    if outcome.kind == "error":
        failures += 1
        wait = min(every * 2 ** min(failures, 20), max_backoff)
        if outcome.retry_after is not None:
            wait = max(wait, min(outcome.retry_after, max_backoff))
        return Schedule(now + timedelta(seconds=wait), failures, active=True)
    wait = every
    if outcome.max_age is not None:
        wait = max(every, min(int(outcome.max_age), max_backoff))
    return Schedule(now + timedelta(seconds=wait), 0, active=True)


@dataclass(frozen=True, slots=True)
class Feed:
    """A feed and its polling state, as stored."""

    id: int
    name: str
    url: str
    added_url: str
    every_seconds: int
    origin: FeedOrigin
    active: bool
    etag: str | None
    last_modified: str | None
    next_due_at: datetime
    consecutive_failures: int
    last_success_at: datetime | None
    last_error: str | None
    last_error_at: datetime | None
    last_status: int | None
    created_at: datetime
    # Labels from a reader's folders and categories, or given by hand; "a/b" is a path.
    tags: tuple[str, ...] = ()
    # Read each new entry's linked article instead of the feed's summary.
    full_text: bool = False
    host: str = ""
    claimed_by: int | None = None
    claimed_until: datetime | None = None


MAX_TAGS = 32
TAG_LENGTH = 200
_SPACE = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def clean_tag(text: str) -> str:
    """A tag as stored: whitespace collapsed, no control characters, no commas (OPML
    separates categories with them), a slash path without empty segments ("" if none)."""
    text = _CONTROL.sub(" ", text).replace(",", " ")
    segments = (_SPACE.sub(" ", part).strip() for part in text.split("/"))
    return "/".join(part for part in segments if part)


def clean_tags(raw: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Each tag cleaned, empty ones dropped, repeats kept once in first-seen order.

    Raises ValueError when there are more than ``MAX_TAGS`` or one is over ``TAG_LENGTH``.
    """
    tags = tuple(dict.fromkeys(tag for tag in map(clean_tag, raw) if tag))
    if len(tags) > MAX_TAGS:
        raise ValueError(f"more than {MAX_TAGS} tags")
    for tag in tags:
        if len(tag) > TAG_LENGTH:
            raise ValueError(f"tag {tag[:40]!r}... over {TAG_LENGTH} characters")
    return tags
