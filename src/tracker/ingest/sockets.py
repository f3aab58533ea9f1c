"""The sockets under httpx: every operation bounded by one deadline, every peer checked.

The deadline is kept below httpx, on every socket operation (resolve, connect,
TLS, each read and write, each redirect hop), and a watchdog shuts the sockets
when it passes, so a server that trickles bytes, sends empty compressed
blocks or answers its headers one byte at a time cannot hold a poll. Private,
loopback and link-local addresses are refused unless allowed, and the check is
made on the address actually connected to (so a redirect or a DNS answer cannot
smuggle a request onto the local network).
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import threading
import time
from collections.abc import Iterable
from typing import Any

import httpcore
import httpx

from tracker.ingest.addresses import is_public_address


class Deadline:
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


class BoundedStream(httpcore.NetworkStream):
    """A network stream whose every operation ends by the fetch's deadline."""

    def __init__(self, inner: httpcore.NetworkStream, deadline: Deadline) -> None:
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
        return BoundedStream(
            self._inner.start_tls(ssl_context, server_hostname, bounded), self._deadline
        )

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


def resolve(host: str, port: int, timeout: float) -> list[Any]:
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


class GuardedBackend(httpcore.SyncBackend):
    """Connects within the deadline and, when guarding, only to public addresses,
    checking the socket's real peer."""

    def __init__(self, deadline: Deadline, *, guard: bool) -> None:
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
        answers = resolve(host, port, bound(timeout, httpcore.ConnectTimeout))
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
            bounded = BoundedStream(stream, self.deadline)
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


class GuardedTransport(httpx.HTTPTransport):
    def __init__(self, ssl_context: ssl.SSLContext, backend: GuardedBackend) -> None:
        super().__init__(verify=ssl_context)
        self.backend = backend
        # httpx has no public hook for the network backend: give the pool ours.
        self._pool = httpcore.ConnectionPool(ssl_context=ssl_context, network_backend=backend)
