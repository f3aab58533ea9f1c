"""Fetching feeds over HTTP with httpx, carefully.

Conditional GET (ETag / Last-Modified), connect and read timeouts, one deadline
over the whole fetch, a body cap counted on the decompressed bytes as they
grow (`bodies.py`), a redirect limit, an honest User-Agent, and Retry-After /
Cache-Control read for the scheduler. The sockets under it (`sockets.py`) end by
the deadline and connect only to public addresses unless private ones are allowed.
"""

from __future__ import annotations

import email.utils
import re
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpx

from tracker.config import FetchSettings
from tracker.domain.feeds import FetchKind
from tracker.ingest.bodies import BodyTooLarge, read_body
from tracker.ingest.sockets import Deadline, GuardedBackend, GuardedTransport
from tracker.ingest.urls import check_feed_url, first_line, printable

ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.8, */*;q=0.1"
)
_REDIRECTS = (301, 302, 303, 307, 308)


@dataclass(frozen=True)
class FetchResult:
    kind: FetchKind
    status: int | None = None
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None
    retry_after: float | None = None
    max_age: float | None = None
    error: str | None = None
    # Where the feed now lives, when every redirect on the way said so permanently.
    moved_to: str | None = None


class Fetcher:
    def __init__(
        self, settings: FetchSettings, *, transport: httpx.BaseTransport | None = None
    ) -> None:
        self._settings = settings
        self._transport = transport
        self._ssl: ssl.SSLContext | None = None

    def _ssl_context(self) -> ssl.SSLContext:
        # Loading the CA bundle costs milliseconds: once per fetcher, not per poll.
        if self._ssl is None:
            self._ssl = httpx.create_ssl_context()
        return self._ssl

    def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: str = ACCEPT,
        max_bytes: int | None = None,
    ) -> FetchResult:
        """GET a feed (or, with its own ``accept`` and a smaller ``max_bytes``, the page an
        entry links to); every failure comes back as a result of kind "error", never raised."""
        problem = check_feed_url(url)
        if problem:
            return FetchResult("error", error=problem)
        s = self._settings
        cap = min(s.max_bytes, max_bytes or s.max_bytes)
        headers = {"User-Agent": s.user_agent, "Accept": accept, "Accept-Encoding": "gzip, deflate"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        deadline, backend, client = self._client(headers)
        try:
            with client:
                return self._follow(client, url, deadline, cap)
        except httpx.HTTPError as exc:
            return self._failure(exc, deadline, backend)
        except BodyTooLarge:
            return FetchResult("error", error=f"body over the {cap} byte cap (decompressed)")
        finally:
            deadline.cancel()

    def post(self, url: str, body: bytes, headers: Mapping[str, str]) -> FetchResult:
        """POST ``body`` under a fetch's rules: timeouts, one deadline, the address check
        on the connected socket; redirects are not followed and the answer's body is not
        read. Every failure comes back as a result of kind "error", never raised."""
        problem = check_feed_url(url, what="alert")
        if problem:
            return FetchResult("error", error=problem)
        deadline, backend, client = self._client({"User-Agent": self._settings.user_agent})
        try:
            with client, client.stream("POST", url, content=body, headers=dict(headers)) as answer:
                status = answer.status_code
                retry_after = _retry_after(answer.headers.get("retry-after"))
        except httpx.HTTPError as exc:
            return self._failure(exc, deadline, backend)
        finally:
            deadline.cancel()
        if 200 <= status < 300:
            return FetchResult("ok", status)
        return FetchResult("error", status, error=f"HTTP {status}", retry_after=retry_after)

    def _client(self, headers: Mapping[str, str]) -> tuple[Deadline, GuardedBackend, httpx.Client]:
        s = self._settings
        deadline = Deadline(s.total_timeout)
        backend = GuardedBackend(deadline, guard=not s.allow_private_networks)
        transport = self._transport or GuardedTransport(self._ssl_context(), backend)
        client = httpx.Client(
            transport=transport,
            verify=self._ssl_context(),
            timeout=httpx.Timeout(s.read_timeout, connect=s.connect_timeout),
            follow_redirects=False,
            headers=dict(headers),
        )
        return deadline, backend, client

    def _follow(self, client: httpx.Client, url: str, deadline: Deadline, cap: int) -> FetchResult:
        """GET ``url``, following redirects one hop at a time without reading their bodies."""
        request = client.build_request("GET", url)
        statuses: list[int] = []
        while True:
            response = client.send(request, stream=True)
            try:
                if response.status_code in _REDIRECTS and response.next_request is not None:
                    statuses.append(response.status_code)
                    if len(statuses) > self._settings.max_redirects:
                        return FetchResult(
                            "error", error=f"more than {self._settings.max_redirects} redirects"
                        )
                    request = response.next_request
                    problem = check_feed_url(str(request.url))
                    if problem:
                        return FetchResult(
                            "error", response.status_code, error=f"redirect: {problem}"
                        )
                    continue
                moved = None
                if statuses and all(code in (301, 308) for code in statuses):
                    moved = str(response.url) if str(response.url) != url else None
                return self._read(response, deadline, moved, cap)
            finally:
                response.close()

    def _failure(
        self, exc: httpx.HTTPError, deadline: Deadline, backend: GuardedBackend
    ) -> FetchResult:
        s = self._settings
        if deadline.passed():
            return FetchResult("error", error=f"fetch took longer than {s.total_timeout:g}s")
        if isinstance(exc, httpx.ConnectTimeout):
            return FetchResult("error", error=f"connect timeout after {s.connect_timeout:g}s")
        if isinstance(exc, httpx.ReadTimeout):
            return FetchResult("error", error=f"read timeout after {s.read_timeout:g}s")
        if backend.refused and "private or local" in str(exc):
            host, address = backend.refused
            return FetchResult(
                "error",
                error=(
                    f"refused: {host} is a private or local address ({address}); "
                    "fetch.allow_private_networks allows it"
                ),
            )
        return FetchResult("error", error=f"{type(exc).__name__}: {first_line(exc)}")

    def _read(
        self, response: httpx.Response, deadline: Deadline, moved: str | None, cap: int
    ) -> FetchResult:
        ra = _retry_after(response.headers.get("retry-after"))
        ma = _max_age(response.headers.get("cache-control"))
        status = response.status_code
        if status == 304:
            return FetchResult("not_modified", status, retry_after=ra, max_age=ma, moved_to=moved)
        if status == 410:
            return FetchResult(
                "gone", status, error="410 Gone: the feed was removed", retry_after=ra, max_age=ma
            )
        if status >= 300 or status < 200:
            return FetchResult(
                "error",
                status,
                error=f"HTTP {status} {printable(response.reason_phrase)}".rstrip(),
                retry_after=ra,
                max_age=ma,
            )
        try:
            body = read_body(response, cap, deadline)
        except ValueError as exc:
            return FetchResult("error", status, error=str(exc))
        return FetchResult(
            "ok",
            status,
            body,
            headers={k.lower(): v for k, v in response.headers.items()},
            etag=response.headers.get("etag"),
            last_modified=response.headers.get("last-modified"),
            retry_after=ra,
            max_age=ma,
            moved_to=moved,
        )


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value[:12])
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    try:
        return max(0.0, (when - datetime.now(UTC)).total_seconds())
    except OverflowError:
        return None


def _max_age(value: str | None) -> float | None:
    if not value:
        return None
    match = re.search(r"(?:^|[,\s])max-age\s*=\s*\"?(\d{1,12})", value, re.IGNORECASE)
    return float(match.group(1)) if match else None
