"""The article a feed entry links to: polite turns per host, and its main text.

Fetching goes through the feed ``Fetcher`` (its deadline, cap and address check);
this module only paces requests per host and reduces the HTML to the article's
text with trafilatura, which is handed bytes and never a URL to fetch.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import Message

from tracker.domain.documents import plain_text

HTML_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.1"
_HTML_TYPES = ("text/html", "application/xhtml+xml", "application/xml", "text/xml", "")


class HostBusy(Exception):
    """No turn at a host came free before the caller's deadline."""


@dataclass
class _Host:
    lock: threading.Lock = field(default_factory=threading.Lock)
    free_at: float = 0.0


class HostPacer:
    """One request at a time per host, and ``delay`` seconds from the end of one request
    to a host to the start of the next. One pacer serves every poll in a process."""

    def __init__(
        self,
        delay: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        stopping: threading.Event | None = None,
    ) -> None:
        self.delay = delay
        self._clock = clock
        # Waiting on an event, not sleeping: a stopping service ends the wait at once.
        self._stopping = stopping or threading.Event()
        self._guard = threading.Lock()
        self._hosts: dict[str, _Host] = {}

    def _host(self, name: str) -> _Host:
        with self._guard:
            if len(self._hosts) > 1024:
                now = self._clock()
                for key, host in list(self._hosts.items()):
                    if host.free_at <= now and not host.lock.locked():
                        del self._hosts[key]
            return self._hosts.setdefault(name, _Host())

    @contextmanager
    def turn(self, host: str, *, until: float) -> Iterator[None]:
        """Hold ``host``'s turn for one request. Raises ``HostBusy`` when it cannot start
        by ``until`` (a ``clock`` reading) or the process is stopping."""
        record = self._host(host.lower())
        if not record.lock.acquire(timeout=max(0.0, until - self._clock())):
            raise HostBusy(f"{host} stayed busy with other requests")
        try:
            wait = record.free_at - self._clock()
            if wait > 0 and self._clock() + wait > until:
                raise HostBusy(f"no turn at {host} in time")
            if self._stopping.wait(max(0.0, wait)):
                raise HostBusy("stopping")
            try:
                yield
            finally:
                record.free_at = self._clock() + self.delay
        finally:
            record.lock.release()


def _charset(headers: Mapping[str, str]) -> str | None:
    message = Message()
    message["content-type"] = headers.get("content-type", "")
    charset = message.get_param("charset")
    return charset.strip().lower() if isinstance(charset, str) and charset.strip() else None


def html_problem(headers: Mapping[str, str]) -> str | None:
    """Why a response is not a page to read an article from, or None."""
    kind = headers.get("content-type", "").split(";")[0].strip().lower()
    if kind not in _HTML_TYPES:
        return f"not an HTML page ({kind})"
    return None


def main_text(body: bytes, headers: Mapping[str, str]) -> str | None:
    """The main text of an article page (navigation, comments, footers dropped), or None
    when trafilatura finds none. Paragraphs are kept apart by newlines."""
    # Loaded on first use: lxml and trafilatura's models cost the CLI's other commands.
    import trafilatura

    for name in ("trafilatura", "htmldate", "justext", "courlan"):
        # Their warnings ("discarding data") would reach stderr through logging's last
        # resort; why a page gave no text is recorded on its document instead.
        quiet = logging.getLogger(name)
        if not quiet.handlers:
            quiet.addHandler(logging.NullHandler())

    markup: str | bytes = body
    charset = _charset(headers)
    if charset:
        try:
            markup = body.decode(charset)
        except (LookupError, UnicodeDecodeError):
            markup = body  # a wrong label: let trafilatura look at the bytes
    text = trafilatura.extract(
        markup,
        output_format="txt",
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_links=False,
        favor_precision=True,
        with_metadata=False,
        deduplicate=False,
    )
    if not text:
        return None
    cleaned = plain_text(text).strip()
    return cleaned or None
