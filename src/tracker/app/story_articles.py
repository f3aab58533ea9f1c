"""The article that starts a story, read from a file or an http(s) URL; HTML reduced to
the article's text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path

from tracker.app.article_files import read_text_file
from tracker.app.base import Tracker
from tracker.errors import InputError
from tracker.ingest.articles import HTML_ACCEPT, html_problem, main_text
from tracker.ingest.urls import check_feed_url, redact_url


@dataclass(frozen=True)
class Article:
    text: str
    title: str | None
    url: str | None
    published: datetime | None
    shown: str  # the file or (redacted) URL, to print and record

    def first_line(self) -> str:
        return next((line.strip() for line in self.text.splitlines() if line.strip()), "")[:300]


def read_article(tracker: Tracker, source: str) -> Article:
    """An article's main text from a file or an http(s) URL; HTML is reduced to the
    article's text by trafilatura (given bytes: it fetches nothing itself)."""
    headers: dict[str, str] = {}
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", source):
        shown = redact_url(source)
        problem = check_feed_url(source, what="article")
        if problem:
            raise InputError(f"{shown}: {problem}")
        result = tracker.fetcher.fetch(
            source, accept=HTML_ACCEPT, max_bytes=tracker.settings.ingest.max_file_bytes
        )
        if result.kind != "ok":
            why = result.error or result.status or result.kind
            raise InputError(f"{shown}: cannot fetch: {why}")
        raw, url = result.body, source
        headers = {k.lower(): v for k, v in result.headers.items()}
        plain = headers.get("content-type", "").startswith("text/plain")
        if (problem := html_problem(headers)) and not plain:
            raise InputError(f"{shown}: {problem}")
    else:
        raw = read_text_file(tracker, Path(source))
        url, shown = None, source
    kind = headers.get("content-type", "")
    if "html" in kind or source.lower().endswith((".html", ".htm")) or _looks_html(raw):
        return _from_html(raw, headers, url, shown)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{shown}: not UTF-8 text") from None
    return Article(text=text, title=None, url=url, published=None, shown=shown)


_SENTENCE_END = re.compile(r"[.!?:;\"'\u201d\u2019)\]]\s*$")


def unwrapped(text: str) -> str:
    """Plain text with its hard-wrapped lines joined: a line that does not end a sentence
    continues on the next (a parse of half a sentence finds no fact). A heading, a line
    ending a sentence and a blank line keep their breaks."""
    out: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if out and out[-1] and stripped and not _SENTENCE_END.search(out[-1]):
            out[-1] = f"{out[-1]} {stripped}"
        else:
            out.append(stripped)
    return "\n".join(out)


def _looks_html(raw: bytes) -> bool:
    head = raw.lstrip()[:200].lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<body" in raw[:4000].lower()


def _from_html(raw: bytes, headers: dict[str, str], url: str | None, shown: str) -> Article:
    try:
        text = main_text(raw, headers)
        import trafilatura

        meta = trafilatura.extract_metadata(raw)
    except Exception as exc:  # a page no parser can read is bad input, not a crash
        raise InputError(f"{shown}: cannot read the page: {type(exc).__name__}") from None
    if not text:
        raise InputError(f"{shown}: no article text found in the page")
    published = None
    if meta is not None and meta.date:
        try:
            published = datetime.combine(date.fromisoformat(meta.date[:10]), time(), UTC)
        except ValueError:
            published = None
    title = meta.title if meta is not None and meta.title else None
    return Article(text=text, title=title, url=url, published=published, shown=shown)
