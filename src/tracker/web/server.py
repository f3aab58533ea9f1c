"""`tracker serve`: bind the address ourselves, then hand the socket to uvicorn.

Binding first turns a bad host or a taken port into one clear line before any
server starts, and lets ``--port 0`` take a free port that is then printed.
"""

from __future__ import annotations

import ipaddress
import socket

import uvicorn

from tracker.app import Tracker
from tracker.errors import InputError, TrackerError
from tracker.web.api import create_app


def listen(host: str, port: int) -> socket.socket:
    """A listening socket on ``host``:``port`` (a name, or an IPv4 or IPv6 address)."""
    try:
        found = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE | socket.AI_NUMERICSERV
        )
    except (OSError, UnicodeError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise InputError(f"--host: cannot listen on {host!r}: {reason}") from None
    family, kind, proto, _, address = found[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError as exc:
        sock.close()
        raise TrackerError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    return sock


def is_loopback(sock: socket.socket) -> bool:
    return ipaddress.ip_address(str(sock.getsockname()[0]).split("%", 1)[0]).is_loopback


def address_of(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in str(host) else str(host)
    return f"http://{shown}:{port}"


def serve(tracker: Tracker, sock: socket.socket) -> None:
    """Answer requests on ``sock`` until SIGINT or SIGTERM."""
    web = create_app(tracker, loopback_only=is_loopback(sock))
    config = uvicorn.Config(
        web,
        log_level="warning",
        access_log=False,
        server_header=False,
        proxy_headers=False,
        lifespan="off",
    )
    uvicorn.Server(config).run(sockets=[sock])
