"""Fetching feeds over HTTP with httpx, carefully.

Conditional GET (ETag / Last-Modified), connect, read and whole-fetch timeouts,
a body cap counted after decompression, a redirect limit, an honest
User-Agent, and Retry-After / Cache-Control read for the scheduler. Private,
loopback and link-local addresses are refused unless allowed, and the check
is made on the address actually connected to (so a redirect or a DNS answer
cannot smuggle a request onto the local network).
"""

from __future__ import annotations

import email.utils
import ipaddress
import re
import socket
import ssl
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import httpcore
import httpx

from tracker.config import FetchSettings

ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.8, */*;q=0.1"
)


@dataclass(frozen=True)
class FetchResult:
    kind: str  # ok | not_modified | gone | error
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


def is_public_address(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return bool(ip.is_global) and not ip.is_multicast


class _GuardedBackend(httpcore.SyncBackend):
    """Connects only to public addresses, checking the socket's real peer."""

    def __init__(self) -> None:
        self.refused: str | None = None

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        try:
            answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror as exc:
            raise httpcore.ConnectError(f"cannot resolve {host}: {exc.strerror}") from None
        failure: Exception | None = None
        for *_, sockaddr in answers:
            address = str(sockaddr[0])
            if not is_public_address(address):
                self.refused = address
                continue
            try:
                stream = super().connect_tcp(address, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
                continue
            peer = str(stream.get_extra_info("socket").getpeername()[0])
            if not is_public_address(peer):
                stream.close()
                self.refused = peer
                continue
            return stream
        if failure is not None:
            raise failure
        raise httpcore.ConnectError(f"{host} is a private or local address ({self.refused})")


class _GuardedTransport(httpx.HTTPTransport):
    def __init__(self, ssl_context: ssl.SSLContext) -> None:
        super().__init__(verify=ssl_context)
        self.backend = _GuardedBackend()
        # httpx has no public hook for the network backend: give the pool ours.
        self._pool = httpcore.ConnectionPool(ssl_context=ssl_context, network_backend=self.backend)


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
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult:
        """GET a feed; every failure comes back as a result of kind "error", never raised."""
        problem = check_feed_url(url)
        if problem:
            return FetchResult("error", error=problem)
        s = self._settings
        guarded = None
        transport = self._transport
        if transport is None and not s.allow_private_networks:
            transport = guarded = _GuardedTransport(self._ssl_context())
        headers = {"User-Agent": s.user_agent, "Accept": ACCEPT, "Accept-Encoding": "gzip, deflate"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        timeout = httpx.Timeout(s.read_timeout, connect=s.connect_timeout)
        deadline = time.monotonic() + s.total_timeout
        try:
            with (
                httpx.Client(
                    transport=transport,
                    verify=self._ssl_context(),
                    timeout=timeout,
                    follow_redirects=True,
                    max_redirects=s.max_redirects,
                    headers=headers,
                ) as client,
                client.stream("GET", url) as response,
            ):
                return self._read(response, deadline)
        except httpx.TooManyRedirects:
            return FetchResult("error", error=f"more than {s.max_redirects} redirects")
        except httpx.ConnectTimeout:
            return FetchResult("error", error=f"connect timeout after {s.connect_timeout:g}s")
        except httpx.ReadTimeout:
            return FetchResult("error", error=f"read timeout after {s.read_timeout:g}s")
        except httpx.HTTPError as exc:
            if guarded is not None and guarded.backend.refused and "private or local" in str(exc):
                return FetchResult(
                    "error",
                    error=(
                        f"refused: {urlsplit(url).hostname} is a private or local address "
                        f"({guarded.backend.refused}); fetch.allow_private_networks allows it"
                    ),
                )
            return FetchResult("error", error=f"{type(exc).__name__}: {_first_line(exc)}")

    def _read(self, response: httpx.Response, deadline: float) -> FetchResult:
        s = self._settings
        ra = _retry_after(response.headers.get("retry-after"))
        ma = _max_age(response.headers.get("cache-control"))
        status = response.status_code
        moved = _moved_to(response)
        if status == 304:
            return FetchResult("not_modified", status, retry_after=ra, max_age=ma, moved_to=moved)
        if status == 410:
            return FetchResult(
                "gone", status, error="410 Gone: the feed was removed", retry_after=ra, max_age=ma
            )
        if status >= 400 or status < 200:
            return FetchResult(
                "error",
                status,
                error=f"HTTP {status} {response.reason_phrase}",
                retry_after=ra,
                max_age=ma,
            )
        declared = response.headers.get("content-length")
        if (
            declared
            and declared.isdigit()
            and int(declared) > s.max_bytes
            and not response.headers.get("content-encoding")
        ):
            return FetchResult("error", status, error=f"body over the {s.max_bytes} byte cap")
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():  # decompressed: the cap counts what we keep
            size += len(chunk)
            if size > s.max_bytes:
                return FetchResult(
                    "error", status, error=f"body over the {s.max_bytes} byte cap (decompressed)"
                )
            if time.monotonic() > deadline:
                return FetchResult(
                    "error", status, error=f"fetch took longer than {s.total_timeout:g}s"
                )
            chunks.append(chunk)
        return FetchResult(
            "ok",
            status,
            b"".join(chunks),
            headers={k.lower(): v for k, v in response.headers.items()},
            etag=response.headers.get("etag"),
            last_modified=response.headers.get("last-modified"),
            retry_after=ra,
            max_age=ma,
            moved_to=moved,
        )


def _moved_to(response: httpx.Response) -> str | None:
    """The final URL if every redirect followed was permanent (301, 308), else None.

    One temporary hop anywhere in the chain means the old address is still the one to ask.
    """
    hops = response.history
    if hops and all(hop.status_code in (301, 308) for hop in hops):
        final = str(response.url)
        if final != str(hops[0].request.url):
            return final
    return None


def check_feed_url(url: str) -> str | None:
    """Why a URL cannot be a feed's, or None."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError as exc:
        return f"invalid URL {url!r}: {exc}"
    if parts.scheme not in ("http", "https"):
        return f"invalid URL {url!r}: only http and https feeds are fetched"
    if not parts.hostname:
        return f"invalid URL {url!r}: no host"
    return None


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _max_age(value: str | None) -> float | None:
    if not value:
        return None
    match = re.search(r"(?:^|[,\s])max-age\s*=\s*\"?(\d+)", value, re.IGNORECASE)
    return float(match.group(1)) if match else None


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__
