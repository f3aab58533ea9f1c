"""Fetching feeds over HTTP with httpx, carefully.

Conditional GET (ETag / Last-Modified), connect and read timeouts, one deadline
over the whole fetch, a body cap counted on the decompressed bytes as they
grow, a redirect limit, an honest User-Agent, and Retry-After / Cache-Control
read for the scheduler. Private, loopback and link-local addresses are refused
unless allowed, and the check is made on the address actually connected to (so
a redirect or a DNS answer cannot smuggle a request onto the local network).

The deadline is kept below httpx, on every socket operation (resolve, connect,
TLS, each read and write, each redirect hop), and a watchdog shuts the sockets
when it passes, so a server that trickles bytes, sends empty compressed
blocks or answers its headers one byte at a time cannot hold a poll.
"""

from __future__ import annotations

import contextlib
import email.utils
import ipaddress
import re
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import httpcore
import httpx

from tracker.config import FetchSettings
from tracker.domain.feeds import FetchKind

ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.8, */*;q=0.1"
)
_REDIRECTS = (301, 302, 303, 307, 308)
_CONTROL = re.compile(r"[\x00-\x20\x7f-\x9f]")


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


_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.IPv6Network("64:ff9b:1::/48")


def embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries (mapped, 6to4, Teredo, NAT64, compatible)."""
    packed = ip.packed
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if ip in _NAT64:
        return ipaddress.IPv4Address(packed[12:])
    if ip in _NAT64_LOCAL:
        # RFC 6052 with a /48 prefix: two octets, the reserved u octet, then two more.
        return ipaddress.IPv4Address(packed[6:8] + packed[9:11])
    if packed[:12] == bytes(12) and int(ip) > 1:
        return ipaddress.IPv4Address(packed[12:])  # IPv4-compatible, ::a.b.c.d
    return None


def is_public_address(address: str) -> bool:
    ip: ipaddress.IPv4Address | ipaddress.IPv6Address = ipaddress.ip_address(
        address.split("%", 1)[0]
    )
    if isinstance(ip, ipaddress.IPv6Address):
        inner = embedded_ipv4(ip)
        if inner is not None:
            ip = inner
    return bool(ip.is_global) and not ip.is_multicast


class _Deadline:
    """One point in time after which no socket operation of a fetch may wait."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._expired = False
        self._timer = threading.Timer(seconds + 0.5, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def passed(self) -> bool:
        return self._expired or time.monotonic() >= self.end

    def bound(self, timeout: float | None, error: type[Exception]) -> float:
        left = self.end - time.monotonic()
        if left <= 0 or self._expired:
            raise error(f"fetch took longer than {self.seconds:g}s")
        return left if timeout is None else min(timeout, left)

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            if self._expired:
                sock.close()
                return
            self._sockets.append(sock)

    def _expire(self) -> None:
        # A last resort from outside the reading thread: whatever it waits on ends now.
        with self._lock:
            self._expired = True
            for sock in self._sockets:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def cancel(self) -> None:
        self._timer.cancel()


class _BoundedStream(httpcore.NetworkStream):
    """A network stream whose every operation ends by the fetch's deadline."""

    def __init__(self, inner: httpcore.NetworkStream, deadline: _Deadline) -> None:
        self._inner = inner
        self._deadline = deadline
        sock = inner.get_extra_info("socket")
        if isinstance(sock, socket.socket):
            deadline.watch(sock)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, self._deadline.bound(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, self._deadline.bound(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        bounded = self._deadline.bound(timeout, httpcore.ConnectTimeout)
        return _BoundedStream(
            self._inner.start_tls(ssl_context, server_hostname, bounded), self._deadline
        )

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


def _resolve(host: str, port: int, timeout: float) -> list[Any]:
    """getaddrinfo, given up on after ``timeout`` (the resolver has no timeout of its own)."""
    box: dict[str, Any] = {}

    def work() -> None:
        try:
            box["answers"] = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError) as exc:
            box["error"] = exc

    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise httpcore.ConnectTimeout(f"cannot resolve {host} within {timeout:g}s")
    if "error" in box:
        reason = getattr(box["error"], "strerror", None) or str(box["error"])
        raise httpcore.ConnectError(f"cannot resolve {host}: {reason}")
    return list(box["answers"])


class _GuardedBackend(httpcore.SyncBackend):
    """Connects within the deadline and, when guarding, only to public addresses,
    checking the socket's real peer."""

    def __init__(self, deadline: _Deadline, *, guard: bool) -> None:
        self.deadline = deadline
        self.guard = guard
        self.refused: tuple[str, str] | None = None  # (host asked for, address refused)

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        bound = self.deadline.bound
        answers = _resolve(host, port, bound(timeout, httpcore.ConnectTimeout))
        failure: Exception | None = None
        for *_, sockaddr in answers:
            address = str(sockaddr[0])
            if self.guard and not is_public_address(address):
                self.refused = (host, address)
                continue
            try:
                stream = super().connect_tcp(
                    address,
                    port,
                    bound(timeout, httpcore.ConnectTimeout),
                    local_address,
                    socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
                continue
            bounded = _BoundedStream(stream, self.deadline)
            peer = str(stream.get_extra_info("socket").getpeername()[0])
            if self.guard and not is_public_address(peer):
                bounded.close()
                self.refused = (host, peer)
                continue
            return bounded
        if failure is not None:
            raise failure
        refused = self.refused[1] if self.refused else "no address"
        raise httpcore.ConnectError(f"{host} is a private or local address ({refused})")


class _GuardedTransport(httpx.HTTPTransport):
    def __init__(self, ssl_context: ssl.SSLContext, backend: _GuardedBackend) -> None:
        super().__init__(verify=ssl_context)
        self.backend = backend
        # httpx has no public hook for the network backend: give the pool ours.
        self._pool = httpcore.ConnectionPool(ssl_context=ssl_context, network_backend=backend)


class _BodyTooLarge(Exception):
    pass


class _Decoder:
    """One Content-Encoding undone incrementally, never more output than asked for."""

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        self._zlib: Any = None
        self._pending = b""
        self._members = 0
        self._finished = False

    def _new(self, first: bytes) -> Any:
        if self.encoding in ("gzip", "x-gzip"):
            return zlib.decompressobj(16 + zlib.MAX_WBITS)
        # "deflate" is zlib-wrapped by the standard and raw by some servers: look.
        wrapped = len(first) >= 2 and first[0] & 0x0F == 8 and (first[0] << 8 | first[1]) % 31 == 0
        return zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)

    def feed(self, data: bytes, room: int) -> Iterator[bytes]:
        """Decompressed pieces of ``data``; stops (raising) once more than ``room`` bytes
        would come out in total."""
        if self._finished:
            return
        data = self._pending + data
        self._pending = b""
        produced = 0
        while data:
            if self._zlib is None:
                if len(data) < 2:
                    self._pending = data
                    return
                self._zlib = self._new(data)
                self._members += 1
            try:
                out = self._zlib.decompress(data, room - produced + 1)
            except zlib.error as exc:
                if self._members > 1:
                    # Bytes after a whole gzip member that are no member: padding, ignored.
                    self._finished = True
                    return
                raise ValueError(f"corrupt {self.encoding} body: {exc}") from None
            produced += len(out)
            if produced > room:
                raise _BodyTooLarge
            if out:
                yield out
            if self._zlib.eof:
                # Another gzip member may follow (concatenated streams are valid gzip).
                data = self._zlib.unused_data
                self._zlib = None
                if self.encoding == "deflate":
                    self._finished = True
                    return
            else:
                # Output below the limit means zlib took all the input it could use.
                data = self._zlib.unconsumed_tail


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
        except _BodyTooLarge:
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

    def _client(
        self, headers: Mapping[str, str]
    ) -> tuple[_Deadline, _GuardedBackend, httpx.Client]:
        s = self._settings
        deadline = _Deadline(s.total_timeout)
        backend = _GuardedBackend(deadline, guard=not s.allow_private_networks)
        transport = self._transport or _GuardedTransport(self._ssl_context(), backend)
        client = httpx.Client(
            transport=transport,
            verify=self._ssl_context(),
            timeout=httpx.Timeout(s.read_timeout, connect=s.connect_timeout),
            follow_redirects=False,
            headers=dict(headers),
        )
        return deadline, backend, client

    def _follow(self, client: httpx.Client, url: str, deadline: _Deadline, cap: int) -> FetchResult:
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
        self, exc: httpx.HTTPError, deadline: _Deadline, backend: _GuardedBackend
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
        return FetchResult("error", error=f"{type(exc).__name__}: {_first_line(exc)}")

    def _read(
        self, response: httpx.Response, deadline: _Deadline, moved: str | None, cap: int
    ) -> FetchResult:
        s = self._settings
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
                error=f"HTTP {status} {_printable(response.reason_phrase)}".rstrip(),
                retry_after=ra,
                max_age=ma,
            )
        encodings = [
            e.strip().lower()
            for e in response.headers.get("content-encoding", "").split(",")
            if e.strip() and e.strip().lower() != "identity"
        ]
        if len(encodings) > 1:
            return FetchResult(
                "error",
                status,
                error=f"refused: more than one Content-Encoding ({', '.join(encodings)})",
            )
        if encodings and encodings[0] not in ("gzip", "x-gzip", "deflate"):
            return FetchResult(
                "error", status, error=f"refused: unsupported Content-Encoding {encodings[0]!r}"
            )
        declared = response.headers.get("content-length", "")
        if not encodings and declared.isdigit() and int(declared) > cap:
            return FetchResult("error", status, error=f"body over the {cap} byte cap")
        decoder = _Decoder(encodings[0]) if encodings else None
        chunks: list[bytes] = []
        size = received = 0
        try:
            for raw in response.iter_raw():
                received += len(raw)
                if received > cap:
                    raise _BodyTooLarge
                pieces = decoder.feed(raw, cap - size) if decoder else (raw,)
                for piece in pieces:
                    size += len(piece)
                    if size > cap:
                        raise _BodyTooLarge
                    chunks.append(piece)
                if deadline.passed():
                    return FetchResult(
                        "error", status, error=f"fetch took longer than {s.total_timeout:g}s"
                    )
        except ValueError as exc:
            return FetchResult("error", status, error=str(exc))
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


def check_feed_url(url: str, *, what: str = "feed") -> str | None:
    """Why a URL cannot be a feed's (or an alert's, an article's: ``what``), or None.

    Refused: anything httpx cannot parse, whitespace or control characters anywhere
    (a header-splitting CR/LF, an escape sequence for the terminal that shows it),
    schemes other than http(s), and credentials, which would be stored and shown.
    """
    # Shown without a password; an alert's URL may carry its token in the query too.
    shown = _printable(redact_url(url, query=what == "alert"))
    if _CONTROL.search(url):
        return f"invalid URL {shown!r}: contains whitespace or control characters"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError as exc:
        return f"invalid URL {shown!r}: {exc}"
    if parts.scheme not in ("http", "https"):
        return f"invalid URL {shown!r}: only http and https {what} URLs are accepted"
    if not parts.hostname:
        return f"invalid URL {shown!r}: no host"
    if "" in parts.hostname.removesuffix(".").split(".") or len(parts.hostname) > 253:
        return f"invalid URL {shown!r}: malformed host name"
    if parts.username is not None or parts.password is not None:
        return (
            f"invalid URL {shown!r}: credentials in {_article(what)} {what} URL "
            "are refused (they would be stored and shown)"
        )
    try:
        httpx.URL(url).host  # noqa: B018 - decoding an IDNA host raises on a bad one
    except (httpx.InvalidURL, UnicodeError, ValueError) as exc:
        return f"invalid URL {shown!r}: {_first_line(exc)}"
    return None


def _article(noun: str) -> str:
    return "an" if noun[:1] in ("a", "e", "i", "o", "u") else "a"


def redact_url(url: str, *, query: bool = False) -> str:
    """``url`` fit to show: any password replaced by ``***``.

    ``query`` (a URL that may carry a token, as an alert channel's does) hides every
    query value and all of the user info too, since a token may stand as the user.
    """
    try:
        parts = urlsplit(url)
    except ValueError:
        if not query:
            return url
        # Unparsable: hide whatever could be user info, and every value after ? or &.
        return re.sub(r"([?&][^=&#]*)=[^&#]*", r"\1=***", re.sub(r"//[^/?#]*@", "//***@", url))
    netloc = parts.netloc
    if "@" in netloc:
        host = netloc.rsplit("@", 1)[1]
        netloc = f"***@{host}" if query else f"{parts.username or ''}:***@{host}"
    hidden = parts.query
    if query and hidden:
        hidden = "&".join(
            f"{pair.split('=', 1)[0]}=***" if "=" in pair else pair for pair in hidden.split("&")
        )
    if (netloc, hidden) == (parts.netloc, parts.query):
        return url
    return parts._replace(netloc=netloc, query=hidden).geturl()


def _printable(text: str) -> str:
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


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


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__
