"""Feed bytes to typed entries. No feedparser object leaves this module.

feedparser is given the bytes and the response headers, never a URL, so it
never fetches anything itself.
"""

from __future__ import annotations

import calendar
import html
import re
import time
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import feedparser

from tracker.domain.documents import plain_text
from tracker.errors import TrackerError


class FeedParseError(TrackerError):
    """The bytes are not a feed that yields any entry."""


@dataclass(frozen=True, slots=True)
class FeedEntry:
    guid: str | None
    link: str | None
    title: str
    summary: str
    content: str
    author: str | None
    published: datetime | None  # aware UTC, or None when the feed gives no usable date


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    entries: tuple[FeedEntry, ...]
    warning: str | None  # a bozo feed that still yielded entries


class _Text(HTMLParser):
    """Visible text of an HTML fragment (feed summaries and content are HTML)."""

    _BLOCK = frozenset(
        {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "blockquote"}
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(fragment: str) -> str:
    if "<" not in fragment and "&" not in fragment:
        return fragment.strip()
    parser = _Text()
    try:
        parser.feed(fragment)
        parser.close()
    except Exception:
        return html.unescape(re.sub(r"<[^>]+>", " ", fragment)).strip()
    text = "".join(parser.parts)
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line).strip()


def _when(entry: Mapping[str, Any]) -> datetime | None:
    for field in ("published_parsed", "updated_parsed", "created_parsed"):
        if field not in entry:
            continue
        with warnings.catch_warnings():  # feedparser warns about its own key aliasing
            warnings.simplefilter("ignore", DeprecationWarning)
            value = entry.get(field)
        if isinstance(value, time.struct_time):
            try:
                return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
            except (OverflowError, ValueError, OSError):
                continue
    return None


def _content(entry: Mapping[str, Any]) -> str:
    """The text of an entry's content parts, each once: a feed may carry the same text
    as two parts (NDTV's description and content:encoded), and a statement read twice
    would be counted twice."""
    parts = entry.get("content") or []
    texts: dict[str, str] = {}
    for part in parts:
        if isinstance(part, Mapping):
            text = html_to_text(str(part.get("value", "")))
            texts.setdefault(" ".join(text.split()), text)
    return "\n\n".join(t for t in texts.values() if t)


def parse_feed(body: bytes, headers: Mapping[str, str]) -> ParsedFeed:
    """Parse feed bytes; a feed with no entries and a parse error is a FeedParseError."""
    wanted = {
        k.lower(): v
        for k, v in headers.items()
        if k.lower() in ("content-type", "content-language", "content-location")
    }
    wanted.pop("content-location", None)  # a URL: feedparser would resolve links against it
    try:
        result = feedparser.parse(
            body, response_headers=wanted, sanitize_html=True, resolve_relative_uris=False
        )
    except (ValueError, LookupError, TypeError) as exc:
        # feedparser's own decoding gives up on some byte soup (bad charsets, NULs).
        raise FeedParseError(f"not a usable feed: {_describe(exc)}") from None
    problem = result.get("bozo_exception") if result.get("bozo") else None
    entries = []
    dropped: list[str] = []
    for raw in result.get("entries", []):
        title = plain_text(html_to_text(str(raw.get("title", ""))))
        summary = plain_text(html_to_text(str(raw.get("summary", ""))))
        content = plain_text(_content(raw))
        link = _web_link(raw.get("link"), dropped)
        guid = plain_text(str(raw.get("id") or "")) or None
        if not (title or summary or content or link):
            continue  # nothing to keep
        author = plain_text(str(raw.get("author") or "")) or None
        entries.append(
            FeedEntry(
                guid=guid,
                link=link,
                title=title,
                summary=summary,
                content=content,
                author=author,
                published=_when(raw),
            )
        )
    if not entries:
        if problem is not None:
            raise FeedParseError(f"not a usable feed: {_describe(problem)}")
        version = result.get("version")
        if not version:
            raise FeedParseError("not a feed: no RSS, Atom or RDF document found")
    warnings_ = [_describe(problem)] if problem is not None else []
    if dropped:
        warnings_.append(
            f"dropped {len(dropped)} entry link(s) that are not http(s): "
            + ", ".join(sorted(set(dropped)))
        )
    return ParsedFeed(entries=tuple(entries), warning="; ".join(warnings_) or None)


def _web_link(raw: object, dropped: list[str]) -> str | None:
    """An http(s) or relative link, else None (a javascript: or data: link is never kept);
    the scheme of each link dropped is added to ``dropped``."""
    link = plain_text(str(raw or "")).strip()
    if not link:
        return None
    try:
        scheme = urlsplit(link).scheme.lower()
    except ValueError:
        scheme = "malformed"
    if scheme in ("http", "https", "") and not any(ch.isspace() for ch in link):
        return link  # a relative link names no scheme to run
    dropped.append(f"{scheme[:20]}:" if scheme.isalnum() else "malformed")
    return None


def _describe(problem: object) -> str:
    text = str(problem).strip().splitlines()
    return f"{type(problem).__name__}: {text[0] if text else ''}".rstrip(": ")
