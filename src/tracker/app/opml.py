"""Use cases of OPML files: follow the feeds another reader exports, export ours."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Any

from tracker.app.article_files import read_input
from tracker.app.base import Tracker
from tracker.app.feeds import declared_feeds, default_feed_name, feed_url_problem
from tracker.domain.documents import bounded
from tracker.domain.feeds import clean_tags, parse_every
from tracker.errors import InputError
from tracker.ingest.opml import (
    MAX_OPML_BYTES,
    ExportedFeed,
    OpmlError,
    OutlineFeed,
    read_opml,
    write_opml,
)
from tracker.ingest.urls import redact_url
from tracker.store.feeds import NewFeed
from tracker.store.schema import NAME_LENGTH


def import_opml(tracker: Tracker, path: Path) -> dict[str, Any]:
    """Follow every feed an OPML file lists, keeping its folders and categories as tags.

    Each outline's URL passes the same check as `feeds add`. Feeds already followed are
    left as they are and reported, so importing twice adds nothing; an outline that is
    refused is reported with its reason and the others are still added (in one
    transaction). A file that is not OPML, or is hostile, adds nothing.
    """
    data = read_input(path, MAX_OPML_BYTES, "the OPML file limit")
    try:
        outlines = read_opml(data)
    except OpmlError as exc:
        raise InputError(f"{path}: {exc}") from None
    existing = tracker.feeds.all()
    followed = {f.url: f.name for f in existing} | {f.added_url: f.name for f in existing}
    names = {f.name for f in existing}
    default_every = tracker.settings.service.default_every_seconds
    new: list[NewFeed] = []
    present: list[dict[str, Any]] = []
    refused: list[dict[str, Any]] = []
    for item in outlines.feeds:
        shown = {"name": item.name, "url": redact_url(item.url)}
        try:
            every, tags = _options(item, default_every)
        except ValueError as exc:
            refused.append({**shown, "reason": str(exc)})
            continue
        if item.url in followed:
            present.append({**shown, "feed": followed[item.url]})
            continue
        name = _unique_name(item.name, item.url, names)
        names.add(name)
        followed[item.url] = name
        new.append(NewFeed(name, item.url, every, tags, item.full_text))
    tracker.feeds.add_many(new, origin="opml", now=tracker.clock())
    return {
        "file": str(path),
        "title": outlines.title,
        "added": [
            {"name": f.name, "url": f.url, "tags": list(f.tags), "full_text": f.full_text}
            for f in new
        ],
        "already_present": present,
        "refused": refused,
    }


def _options(item: OutlineFeed, default_every: int) -> tuple[int, tuple[str, ...]]:
    """The outline's poll interval and tags, or ValueError saying why it is refused."""
    if problem := feed_url_problem(item.url):
        raise ValueError(problem)
    every = default_every
    if item.every is not None:
        try:
            every = parse_every(item.every)
        except ValueError as exc:
            raise ValueError(f"tracker:every: {exc}") from None
    try:
        tags = clean_tags(item.tags)
    except ValueError as exc:
        raise ValueError(f"category: {exc}") from None
    return every, tags


def _unique_name(wanted: str | None, url: str, taken: set[str]) -> str:
    """The outline's own name when free, else that name numbered; from the URL when absent."""
    if not wanted:
        return default_feed_name(url, taken)
    base, _ = bounded(wanted, NAME_LENGTH - 8)
    name, n = base, 2
    while name in taken:
        name, n = f"{base} ({n})", n + 1
    return name


def export_opml(tracker: Tracker) -> bytes:
    """Every followed feed as an OPML 2.0 document, with tags, interval and full-text option.

    URLs are written as `feeds list` shows them: a password a feed was once added with
    is never written out.
    """
    feeds = [
        ExportedFeed(f.name, redact_url(f.url), f.tags, f.every_seconds, f.full_text)
        for f in declared_feeds(tracker)
    ]
    return write_opml("tracker feeds", feeds, created=tracker.clock())


def save_export(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all (a temporary file renamed over it)."""
    directory = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise InputError(f"{path}: is a directory")
    try:
        fd, temporary = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise InputError(f"{path}: cannot write: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise InputError(f"{path}: cannot write: {exc.strerror}") from None
