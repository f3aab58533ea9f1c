"""A hostile HTTP server on 127.0.0.1: the feed server's routes, and servers that attack.

Every endless endpoint ends by itself: none sends for longer than ``ENDLESS_SECONDS``.
"""

from __future__ import annotations

import gzip
import time
import zlib
from functools import cache
from http.server import BaseHTTPRequestHandler

from support.feedserver import FeedServer, rss

ENDLESS_SECONDS = 60.0


@cache
def stacked_gzip_bomb() -> bytes:
    """gzip of gzip of 256 MiB of zeros: a few kilobytes on the wire."""
    inner = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = bytes(1024 * 1024)
    once = b"".join(inner.compress(block) for _ in range(256)) + inner.flush()
    return gzip.compress(once, compresslevel=9)


@cache
def deflate_bomb() -> bytes:
    """Raw deflate of 256 MiB of zeros."""
    squeeze = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    block = bytes(1024 * 1024)
    return b"".join(squeeze.compress(block) for _ in range(256)) + squeeze.flush()


def huge_entry_feed(chars: int = 1_200_000) -> bytes:
    """One entry whose text is over spaCy's 1,000,000-character limit."""
    sentence = "The Kremlin declined to comment on the Paris meeting on Tuesday. "
    text = (sentence * (chars // len(sentence) + 1))[:chars]
    return rss(
        [
            {"guid": "huge-1", "title": "A very long entry", "description": text},
            {"guid": "small-1", "title": "A short entry", "description": "Short."},
        ]
    )


NASTY_ITEMS = [
    {"guid": "nul-1", "title": "Raw\x00NUL in a title", "description": "body\x00text &#0; end"},
    {"guid": "esc-1", "title": "\x1b]0;pwned\x07Escape \x1b[31mred", "description": "\x9bplain"},
    {"guid": "js-1", "title": "Script link", "link": "javascript:alert(1)"},
    {"guid": "data-1", "title": "Data link", "link": "data:text/html,&lt;b&gt;x&lt;/b&gt;"},
    {"guid": "ok-1", "title": "Fine link", "link": "https://example.com/fine"},
]


class HostileServer(FeedServer):
    """FeedServer routes plus /hostile/...: stacked-gzip, deflate-bomb, empty-blocks,
    slow-headers, slow-hops/N, endless, huge-entry, nasty, dup-guid."""

    def __init__(self) -> None:
        super().__init__()
        self.flips = 0
        # Clients hang up on these endpoints by design: no traceback for each.
        self.httpd.handle_error = lambda *_: None  # type: ignore[method-assign]

    def route(self, h: BaseHTTPRequestHandler) -> None:
        path = h.path
        if not path.startswith("/hostile/"):
            super().route(h)
            return
        name = path.removeprefix("/hostile/")
        if name == "stacked-gzip":
            self.send(h, 200, stacked_gzip_bomb(), {"Content-Encoding": "gzip, gzip"})
        elif name == "deflate-bomb":
            self.send(h, 200, deflate_bomb(), {"Content-Encoding": "deflate"})
        elif name == "empty-blocks":
            self._empty_blocks(h)
        elif name == "slow-headers":
            self._slow_headers(h)
        elif name.startswith("slow-hops/"):
            hops = int(name.removeprefix("slow-hops/"))
            time.sleep(1.5)  # each hop under the read timeout, all of them over the deadline
            if hops > 0:
                where = f"/hostile/slow-hops/{hops - 1}"
                self.send(h, 302, headers={"Location": where, "Content-Length": "0"})
            else:
                self.send(h, 200, rss([{"guid": "hop", "title": "Arrived"}]))
        elif name == "endless":
            self._endless(h)
        elif name == "huge-entry":
            self.send(h, 200, huge_entry_feed())
        elif name == "nasty":
            self.send(h, 200, rss(NASTY_ITEMS))
        elif name == "dup-guid":
            # Two items under one GUID, in swapped order on every request, and one item twice.
            self.flips += 1
            pair = [
                {"guid": "same", "title": "First of two", "link": "http://example.invalid/1"},
                {"guid": "same", "title": "Second of two", "link": "http://example.invalid/2"},
            ]
            twice = {"guid": "twice", "title": "Said twice", "link": "http://example.invalid/t"}
            self.send(h, 200, rss([*(pair if self.flips % 2 else pair[::-1]), twice, twice]))
        else:
            self.send(h, 404, b"", {})

    @staticmethod
    def _empty_blocks(h: BaseHTTPRequestHandler) -> None:
        """A gzip stream of empty flush blocks: bytes keep coming, nothing comes out."""
        h.send_response(200)
        h.send_header("Content-Type", "application/xml")
        h.send_header("Content-Encoding", "gzip")
        h.send_header("Connection", "close")
        h.end_headers()
        squeeze = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
        h.wfile.write(squeeze.compress(b"") + squeeze.flush(zlib.Z_SYNC_FLUSH))
        until = time.monotonic() + ENDLESS_SECONDS
        while time.monotonic() < until:
            # An empty stored block, not final: zlib writes nothing when asked to flush twice.
            h.wfile.write(b"\x00\x00\x00\xff\xff")
            h.wfile.flush()
            time.sleep(0.05)
        h.close_connection = True

    @staticmethod
    def _slow_headers(h: BaseHTTPRequestHandler) -> None:
        """The status line and headers, one byte every 0.3 s."""
        head = b"HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\n" + b"X-Pad: " + b"a" * 400
        until = time.monotonic() + ENDLESS_SECONDS
        for byte in head:
            if time.monotonic() > until:
                break
            h.wfile.write(bytes([byte]))
            h.wfile.flush()
            time.sleep(0.3)
        h.close_connection = True

    @staticmethod
    def _endless(h: BaseHTTPRequestHandler) -> None:
        """A 200 whose body never ends: a few bytes every 0.2 s."""
        h.send_response(200)
        h.send_header("Content-Type", "application/xml")
        h.send_header("Connection", "close")
        h.end_headers()
        h.wfile.write(b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>')
        until = time.monotonic() + ENDLESS_SECONDS
        while time.monotonic() < until:
            h.wfile.write(b"<!-- -->")
            h.wfile.flush()
            time.sleep(0.2)
        h.close_connection = True
