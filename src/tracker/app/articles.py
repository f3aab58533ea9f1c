"""Use case of full-text feeds: read the article a new entry links to, politely and within
the poll's bounds, and fall back to the feed's summary when it cannot be read."""

from __future__ import annotations

import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from tracker.app.base import Tracker
from tracker.ingest.articles import HTML_ACCEPT, HostBusy, html_problem, main_text


@dataclass(frozen=True, slots=True)
class ArticleText:
    """What reading one linked article gave: its main text, or why there is none."""

    url: str
    text: str | None
    error: str | None


class ArticleReads:
    """The articles one poll of one feed reads: each link once, at most
    ``articles.per_poll`` of them, started within ``articles.budget_seconds``.

    Kept for the whole poll, so planning again after a concurrent writer reads nothing twice.
    """

    def __init__(self, tracker: Tracker) -> None:
        self._tracker = tracker
        settings = tracker.settings.articles
        self._left = settings.per_poll
        self._until = time.monotonic() + settings.budget_seconds
        self._done: dict[str, ArticleText] = {}

    @property
    def read(self) -> int:
        return sum(1 for a in self._done.values() if a.text is not None)

    @property
    def failures(self) -> list[ArticleText]:
        return [a for a in self._done.values() if a.text is None]

    def article(self, link: str, *, longer_than: int = 0) -> ArticleText:
        """The main text of the page at ``link``, or why it was not read. Never raises.

        A text no longer than ``longer_than`` characters (the feed's own) is not taken:
        a page that says less than the feed is no article.
        """
        if link not in self._done:
            self._done[link] = ArticleText(link, *self._text(link, longer_than))
        return self._done[link]

    def _text(self, link: str, longer_than: int) -> tuple[str | None, str | None]:
        tracker = self._tracker
        settings = tracker.settings.articles
        if tracker.stopping.is_set():
            return None, "not read: the service is stopping"
        if self._left <= 0:
            return None, f"not read: {settings.per_poll} articles already asked for in this poll"
        if time.monotonic() >= self._until:
            return None, f"not read: the poll's {settings.budget_seconds:g}s for articles spent"
        self._left -= 1
        host = urlsplit(link).hostname or ""
        try:
            with tracker.pacer.turn(host, until=self._until):
                fetched = tracker.fetcher.fetch(
                    link, accept=HTML_ACCEPT, max_bytes=settings.max_bytes
                )
        except HostBusy as exc:
            return None, f"not read: {exc}"
        if fetched.kind != "ok":
            return None, fetched.error or f"HTTP {fetched.status}"
        if problem := html_problem(fetched.headers):
            return None, problem
        try:
            text = main_text(fetched.body, fetched.headers)
        except Exception as exc:  # a page the HTML parser chokes on is that page's failure
            return None, f"cannot read the page: {type(exc).__name__}"
        if text is None:
            return None, "no article text found in the page"
        if len(text) <= longer_than:
            return None, "the page's main text is no longer than the feed's"
        return text, None
