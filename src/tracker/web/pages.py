"""The story pages: server-rendered with Jinja2, autoescaped, no script.

Text from feeds reaches a page only through autoescaping, and a link only when it
is http(s): a feed cannot put markup or a ``javascript:`` link on the page.
"""

from __future__ import annotations

from datetime import datetime
from importlib.resources import files
from typing import Any
from urllib.parse import urlsplit

import jinja2
from fastapi import FastAPI, Query
from starlette.responses import HTMLResponse, RedirectResponse, Response

from tracker import app
from tracker.app import Tracker

_templates = jinja2.Environment(
    loader=jinja2.PackageLoader("tracker.web", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def web_link(url: Any) -> str | None:
    """``url`` when a browser may follow it (http or https with a host), else None."""
    if not isinstance(url, str):
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme in ("http", "https") and parts.hostname else None


def day(value: str | None) -> str:
    return value[:10] if value else ""


def moment(value: str | None) -> str:
    """An ISO instant as people read it: the day, and the time when it is not midnight."""
    if not value:
        return ""
    instant = datetime.fromisoformat(value)
    if (instant.hour, instant.minute) in ((0, 0), (23, 59)):
        return instant.strftime("%Y-%m-%d")
    return instant.strftime("%Y-%m-%d %H:%M UTC")


_templates.filters.update(web_link=web_link, day=day, moment=moment)


def render(name: str, code: int = 200, **context: Any) -> HTMLResponse:
    return HTMLResponse(_templates.get_template(name).render(**context), status_code=code)


def error_page(status: int, message: str) -> Response:
    return render("error.html", status, status=status, message=message)


def _stylesheet() -> bytes:
    return files("tracker.web").joinpath("static/style.css").read_bytes()


def add_routes(api: FastAPI, tracker: Tracker) -> None:
    from tracker.web.api import clocks

    css = _stylesheet()

    @api.get("/", include_in_schema=False)
    def home() -> Response:
        return RedirectResponse("/stories", status_code=303)

    @api.get("/static/style.css", include_in_schema=False)
    def stylesheet() -> Response:
        return Response(css, media_type="text/css", headers={"Cache-Control": "max-age=300"})

    @api.get("/stories", include_in_schema=False)
    def stories() -> Response:
        return render("stories.html", stories=app.stories(tracker))

    @api.get("/stories/{story_id}", include_in_schema=False)
    def story(
        story_id: str, at: str | None = Query(None), known_at: str | None = Query(None)
    ) -> Response:
        view = app.story_view(tracker, story_id, **clocks(tracker, at, known_at))
        return render(
            "story.html",
            view=view,
            chosen_at=_picked(at),
            chosen_known_at=_picked(known_at),
        )


def _picked(value: str | None) -> str:
    """What a date picker shows: the day asked for, or blank for now."""
    text = (value or "").strip()
    return text[:10] if len(text) >= 10 and text[4] == "-" else ""
