"""The application: JSON endpoints under /api, story pages, and how errors are answered.

No route writes to the log or the feeds table. Reads bring the projections up to
the end of the log first, as the CLI's read commands do (derived rows only).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Awaitable, Callable
from datetime import datetime
from importlib.metadata import version
from typing import Annotated, Any

import orjson
from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import Response

from tracker import app
from tracker.app import Tracker
from tracker.domain.when import parse_bound, parse_when
from tracker.errors import InputError, NotFoundError, TrackerError, shown
from tracker.web import pages

# What every response carries: no sniffing, no framing, no referrer sent to sources.
_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
        "base-uri 'none'; frame-ancestors 'none'"
    ),
}
_LOOPBACK_NAMES = {"localhost", "localhost."}

At = Annotated[
    str | None,
    Query(
        description="Valid time: what was true then. YYYY-MM-DD is the end of that day, "
        "UTC; a datetime needs an offset. Default: now."
    ),
]
KnownAt = Annotated[
    str | None,
    Query(description="Transaction time: only what had been recorded by then. Default: now."),
]


class JSON(Response):
    """JSON as the CLI prints it (datetimes as ISO text), without pydantic in the way."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content, default=str)


def error(status: int, message: str) -> JSON:
    return JSON({"error": message}, status_code=status)


def when(tracker: Tracker, name: str, value: str | None) -> datetime | None:
    """A query's date, as the CLI reads ``--at``; empty (a form's blank field) is absent."""
    if value is None or not value.strip():
        return None
    try:
        return parse_when(value, now=tracker.clock(), option=name)
    except ValueError as exc:
        raise InputError(str(exc)) from None


def clocks(tracker: Tracker, at: str | None, known_at: str | None) -> dict[str, Any]:
    """``at`` and ``known_at`` as the use cases take them."""
    return {"at": when(tracker, "at", at), "known_at": when(tracker, "known_at", known_at)}


def _bound(tracker: Tracker, name: str, value: str | None) -> datetime | int | None:
    if value is None or not value.strip():
        return None
    try:
        return parse_bound(value, now=tracker.clock(), option=name)
    except ValueError as exc:
        raise InputError(str(exc)) from None


def _present_only(at: str | None, known_at: str | None, what: str) -> None:
    if (at or "").strip() or (known_at or "").strip():
        raise InputError(
            f"{what} are kept for the present only: at and known_at are not accepted here"
        )


def create_app(tracker: Tracker, *, loopback_only: bool = True) -> FastAPI:
    """The web application over one tracker, shared by every request.

    ``loopback_only`` (the server is bound to a loopback address) refuses requests
    whose Host is not a loopback name, so a web page elsewhere cannot reach this
    service through a DNS name it rebinds to 127.0.0.1.
    """
    api = FastAPI(
        title="tracker",
        version=version("tracker"),
        description="Read-only: the story's answers, facts, statements and history, at any "
        "valid time (`at`) as known at any transaction time (`known_at`). The shapes are "
        "those of the command line's `--json`.",
        openapi_url="/api/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    _errors(api)

    _guard(api, loopback_only=loopback_only)
    _story_routes(api, tracker)
    _record_routes(api, tracker)
    _operation_routes(api, tracker)
    pages.add_routes(api, tracker)
    return api


def _guard(api: FastAPI, *, loopback_only: bool) -> None:
    """Every response gets the security headers; with ``loopback_only``, a request whose
    Host is no loopback name gets a 400."""

    @api.middleware("http")
    async def guard(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Any:
        if loopback_only and not _loopback_host(request.headers.get("host", "")):
            response: Response = error(400, "this service answers only to a loopback Host")
        else:
            response = await call_next(request)
        response.headers.update(_HEADERS)
        return response


def _story_routes(api: FastAPI, tracker: Tracker) -> None:
    """The stories, a story's page and state, and a question's answer."""

    @api.get("/api/stories", response_class=JSON, summary="The stories followed (`stories`)")
    def list_stories() -> JSON:
        return JSON(app.stories(tracker))

    @api.get("/api/stories/{story_id}", response_class=JSON, summary="A story's page, as data")
    def story(story_id: str, at: At = None, known_at: KnownAt = None) -> JSON:
        return JSON(app.story_view(tracker, story_id, **clocks(tracker, at, known_at)))

    @api.get("/api/stories/{story_id}/state", response_class=JSON, summary="`state --json`")
    def state(story_id: str, at: At = None, known_at: KnownAt = None) -> JSON:
        return JSON(app.state(tracker, story=story_id, **clocks(tracker, at, known_at)))

    @api.get(
        "/api/stories/{story_id}/questions/{question}",
        response_class=JSON,
        summary="`ask QUESTION --json`",
    )
    def ask(story_id: str, question: str, at: At = None, known_at: KnownAt = None) -> JSON:
        return JSON(app.ask(tracker, question, story=story_id, **clocks(tracker, at, known_at)))


def _record_routes(api: FastAPI, tracker: Tracker) -> None:
    """What changed and who said what: history, replay, statements."""

    @api.get(
        "/api/stories/{story_id}/history/{subject:path}",
        response_class=JSON,
        summary="`history KEY-OR-QUESTION --json`",
    )
    def history(story_id: str, subject: str, at: At = None, known_at: KnownAt = None) -> JSON:
        return JSON(app.history(tracker, subject, story=story_id, **clocks(tracker, at, known_at)))

    @api.get("/api/stories/{story_id}/replay", response_class=JSON, summary="`replay --json`")
    def replay(
        story_id: str,
        since: Annotated[str | None, Query(description="A position or recorded time.")] = None,
        until: Annotated[str | None, Query(description="A position or recorded time.")] = None,
        at: At = None,
        known_at: KnownAt = None,
    ) -> JSON:
        steps = app.replay(
            tracker,
            since=_bound(tracker, "since", since),
            until=_bound(tracker, "until", until),
            story=story_id,
            **clocks(tracker, at, known_at),
        )
        return JSON(list(steps))

    @api.get(
        "/api/stories/{story_id}/statements",
        response_class=JSON,
        summary="`statements [--by ACTOR] --json`",
    )
    def statements(
        story_id: str,
        by: Annotated[str | None, Query(description="An actor id or alias, or a side.")] = None,
        at: At = None,
        known_at: KnownAt = None,
    ) -> JSON:
        return JSON(app.statements(tracker, by=by, story=story_id, **clocks(tracker, at, known_at)))


def _operation_routes(api: FastAPI, tracker: Tracker) -> None:
    """The feeds and the service, as they are now."""

    @api.get("/api/feeds", response_class=JSON, summary="`feeds list --json`")
    def feeds(at: At = None, known_at: KnownAt = None) -> JSON:
        _present_only(at, known_at, "feeds and their health")
        return JSON(app.list_feeds(tracker, declared=False))

    @api.get("/api/status", response_class=JSON, summary="`status --json`")
    def status(at: At = None, known_at: KnownAt = None) -> JSON:
        _present_only(at, known_at, "the service's status and polls")
        return JSON(app.service_status(tracker))


def _loopback_host(header: str) -> bool:
    host = header.strip().lower()
    if host.startswith("["):
        host = host[1 : host.find("]")] if "]" in host else ""
    elif host.count(":") == 1:
        host = host.split(":", 1)[0]
    if host in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _errors(api: FastAPI) -> None:
    """Our errors as one message and a 4xx (5xx when the database failed); never a traceback."""

    def answer(request: Request, status: int, message: str) -> Response:
        message = shown(message)
        if request.url.path.startswith("/api"):
            return error(status, message)
        return pages.error_page(status, message)

    @api.exception_handler(NotFoundError)
    async def not_found(request: Request, exc: NotFoundError) -> Response:
        return answer(request, 404, str(exc))

    @api.exception_handler(InputError)
    async def bad_input(request: Request, exc: InputError) -> Response:
        return answer(request, 400, str(exc))

    @api.exception_handler(TrackerError)
    async def failed(request: Request, exc: TrackerError) -> Response:
        status = 400 if exc.exit_code == 2 else 503
        return answer(request, status, str(exc))

    @api.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        problems = exc.errors()
        first = problems[0] if problems else {}
        where = ".".join(str(part) for part in first.get("loc", ()) if part != "query")
        return answer(request, 400, f"{where}: {first.get('msg', 'invalid')}".lstrip(": "))

    @api.exception_handler(HTTPException)
    async def http(request: Request, exc: HTTPException) -> Response:
        return answer(request, exc.status_code, str(exc.detail))

    @api.exception_handler(Exception)
    async def bug(request: Request, exc: Exception) -> Response:
        return answer(request, 500, "internal error; the service's log has the details")
