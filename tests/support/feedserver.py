"""A real HTTP server on 127.0.0.1 serving the shared feed files and hostile cases."""

from __future__ import annotations

import gzip
import hashlib
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

FEEDS = Path(__file__).resolve().parents[3] / "shared" / "feeds"
PAGES = Path(__file__).resolve().parents[1] / "pages"

ENTITY_BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
]>
<rss version="2.0"><channel><title>bomb</title>
<item><title>&f;</title><link>http://example.invalid/1</link></item>
</channel></rss>"""


def rss(items: list[dict[str, str]], title: str = "Test feed") -> bytes:
    body = "".join(
        "<item>" + "".join(f"<{k}>{v}</{k}>" for k, v in item.items()) + "</item>" for item in items
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{title}</title><link>http://example.invalid/</link>{body}"
        "</channel></rss>"
    ).encode()


def growing_feed(cycle: int) -> bytes:
    """More entries each cycle, and entry 0 revised every fifth cycle."""
    items = [
        {
            "guid": f"g{i}",
            "title": f"Story {i}",
            "link": f"http://news.invalid/{i}",
            "description": f"Body of story {i}.",
        }
        for i in range(10 + 2 * cycle)
    ]
    items[0]["title"] = f"Story 0, revision {cycle // 5}"
    return rss(items)


class FeedServer:
    """Routes: /feeds/NAME (the shared files, with ETag), /mutable/NAME (set by tests),
    /status/CODE, /moved/CODE/PATH (a redirect to /PATH), /redirect-loop, /html, /big,
    /gzip-bomb, /entity-bomb, /trickle, /slow, /slow-feed/NAME (a real file, sent slowly),
    /pages/NAME (the article pages in tests/pages, as text/html, each request's start and
    end kept in ``page_requests``, answered after ``page_delay`` seconds),
    /slow-mutable/NAME (a /mutable/ body, sent over about a second), /failing/NAME (500).

    ``spans`` records each request's path, arrival and end (monotonic seconds)."""

    def __init__(self) -> None:
        self.mutable: dict[str, bytes] = {}
        self.moved: dict[str, str] = {}  # path -> where a 301 sends it (set by tests)
        self.hits: dict[str, int] = {}
        self.spans: list[tuple[str, float, float]] = []
        self.big_size = 3 * 1024 * 1024
        self.page_delay = 0.0
        self.page_requests: list[tuple[str, float, float]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                server.hits[self.path] = server.hits.get(self.path, 0) + 1
                arrived = time.monotonic()
                try:
                    with suppress(BrokenPipeError, ConnectionResetError):
                        server.route(self)
                finally:
                    end = time.monotonic()
                    server.spans.append((self.path, arrived, end))
                    if self.path.startswith("/pages/"):
                        server.page_requests.append((self.path, arrived, end))

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    @staticmethod
    def send(
        handler: BaseHTTPRequestHandler,
        status: int,
        body: bytes = b"",
        headers: dict[str, str] | None = None,
    ) -> None:
        handler.send_response(status)
        merged = {"Content-Type": "application/xml", "Content-Length": str(len(body))}
        merged.update(headers or {})
        for key, value in merged.items():
            handler.send_header(key, value)
        handler.end_headers()
        if body:
            handler.wfile.write(body)

    def serve_with_etag(self, handler: BaseHTTPRequestHandler, body: bytes) -> None:
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        if handler.headers.get("If-None-Match") == etag:
            self.send(handler, 304, headers={"ETag": etag, "Content-Length": "0"})
        else:
            self.send(handler, 200, body, {"ETag": etag})

    def route(self, h: BaseHTTPRequestHandler) -> None:
        path = h.path
        if path in self.moved:
            self.send(h, 301, headers={"Location": self.moved[path], "Content-Length": "0"})
        elif path.startswith("/feeds/"):
            file = FEEDS / path.removeprefix("/feeds/")
            if not file.is_file():
                self.send(h, 404, b"not found", {"Content-Type": "text/plain"})
                return
            self.serve_with_etag(h, file.read_bytes())
        elif path.startswith("/mutable/"):
            body = self.mutable.get(path.removeprefix("/mutable/"))
            if body is None:
                self.send(h, 404, b"", {})
            else:
                self.serve_with_etag(h, body)
        elif path.startswith("/pages/"):
            page = PAGES / path.removeprefix("/pages/").split("?")[0]
            time.sleep(self.page_delay)
            if page.parent != PAGES or not page.is_file():
                self.send(h, 404, b"not found", {"Content-Type": "text/html"})
            else:
                self.send(h, 200, page.read_bytes(), {"Content-Type": "text/html"})
        elif path.startswith("/slow-mutable/"):
            body = self.mutable.get(path.removeprefix("/slow-mutable/"), b"")
            h.send_response(200)
            h.send_header("Content-Type", "application/xml")
            h.send_header("Content-Length", str(len(body)))
            h.end_headers()
            step = max(1, len(body) // 10)
            for start in range(0, len(body), step):
                h.wfile.write(body[start : start + step])
                h.wfile.flush()
                time.sleep(0.1)
        elif path.startswith("/failing/"):
            self.send(h, 500, b"failing on purpose", {"Content-Type": "text/plain"})
        elif path.startswith("/status/"):
            code = int(path.removeprefix("/status/"))
            extra = {"Retry-After": "7200"} if code in (429, 503) else {}
            self.send(h, code, b"no", {"Content-Type": "text/plain", **extra})
        elif path.startswith("/moved/"):
            code, rest = path.removeprefix("/moved/").split("/", 1)
            self.send(h, int(code), headers={"Location": f"/{rest}", "Content-Length": "0"})
        elif path == "/redirect-loop":
            self.send(h, 302, headers={"Location": "/redirect-loop", "Content-Length": "0"})
        elif path == "/redirect-private":
            self.send(
                h,
                302,
                headers={
                    "Location": self.url("/feeds/news-cbs-world-2026-02-17.xml"),
                    "Content-Length": "0",
                },
            )
        elif path == "/html":
            page = b"<!doctype html><html><head><title>Hi</title></head><body><p>Hi</p></body>"
            self.send(h, 200, page, {"Content-Type": "text/html; charset=utf-8"})
        elif path == "/big":
            self.send(h, 200, b"<rss>" + b" " * self.big_size + b"</rss>")
        elif path == "/gzip-bomb":
            bomb = gzip.compress(b"\0" * (64 * 1024 * 1024), compresslevel=9)
            self.send(h, 200, bomb, {"Content-Encoding": "gzip"})
        elif path == "/entity-bomb":
            self.send(h, 200, ENTITY_BOMB)
        elif path == "/trickle":
            h.send_response(200)
            h.send_header("Content-Type", "application/xml")
            h.send_header("Content-Length", "100000")
            h.end_headers()
            for _ in range(200):
                h.wfile.write(b" ")
                h.wfile.flush()
                time.sleep(0.1)
        elif path == "/slow":
            time.sleep(5)
            self.send(h, 200, rss([]))
        elif path.startswith("/slow-feed/"):
            body = (FEEDS / path.removeprefix("/slow-feed/")).read_bytes()
            h.send_response(200)
            h.send_header("Content-Type", "application/xml")
            h.send_header("Content-Length", str(len(body)))
            h.end_headers()
            step = max(1, len(body) // 20)
            for start in range(0, len(body), step):
                h.wfile.write(body[start : start + step])
                h.wfile.flush()
                time.sleep(0.1)
        else:
            self.send(h, 404, b"", {})

    def start(self) -> FeedServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@contextmanager
def black_hole() -> Iterator[str]:
    """A listening socket whose backlog is full: a connect to it hangs until timeout."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(0)
    fillers = []
    port = sock.getsockname()[1]
    for _ in range(4):
        filler = socket.socket()
        filler.setblocking(False)
        with suppress(BlockingIOError):
            filler.connect(("127.0.0.1", port))
        fillers.append(filler)
    try:
        yield f"http://127.0.0.1:{port}/feed.xml"
    finally:
        for filler in fillers:
            filler.close()
        sock.close()


def closed_port_url() -> str:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return f"http://127.0.0.1:{port}/feed.xml"
