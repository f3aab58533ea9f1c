"""The story page in a real browser: Debian's chromium, driven by Playwright, against a
real `tracker serve` on 127.0.0.1 and a real `tracker run` polling a feed on 127.0.0.1."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from support.cli import run
from support.feedserver import FeedServer, rss
from support.waiting import wait_for
from support.webserve import get_json, serving

from tracker.web.pages import web_link

STORY = "paris-summit-2026"
SERVICE_ENV = {
    "TRACKER_FETCH_ALLOW_PRIVATE_NETWORKS": "1",
    "TRACKER_SERVICE_CATCH_UP_SECONDS": "1",
    "TRACKER_SERVICE_RECONCILE_SECONDS": "1",
    "TRACKER_SERVICE_JITTER_SECONDS": "0",
}
HOSTILE_TITLE = "<script>window.owned = 1</script> Kremlin rejects Paris guarantees"
STATEMENT = (
    "Kremlin spokesman Dmitry Peskov said on Wednesday that the security guarantees agreed "
    "at the Paris meeting were unacceptable to Moscow."
)
# No break opportunity for 300 characters: the page must wrap it, not scroll sideways.
LONG_WORD = "Kremlin" + "x" * 300


def _chromium() -> str:
    found = os.environ.get("TRACKER_TEST_CHROMIUM") or shutil.which("chromium")
    if not found:
        message = "no chromium for the browser tests (Debian package: chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's chromium, headless; nothing is downloaded."""
    executable = _chromium()
    from playwright.sync_api import sync_playwright

    args = [
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
    ]
    if os.geteuid() == 0:
        args.append("--no-sandbox")  # chromium refuses its sandbox to root
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=args)
        yield launched
        launched.close()


@dataclass
class Site:
    db: str
    base: str
    feed: str
    server: FeedServer
    logs: Path
    published: bool = False

    def page(self, query: str = "") -> str:
        return f"{self.base}/stories/{STORY}{query}"

    @property
    def article(self) -> str:
        return self.server.url("/articles/kremlin-1")

    def publish_and_catch_up(self) -> None:
        """The feed publishes a Kremlin statement under a hostile headline; `tracker run`
        polls it and catches up, and the API (what the page reads) says so."""
        if self.published:
            return
        entries = [
            {
                # Escaped twice: the log gets the literal characters "<script>".
                "title": HOSTILE_TITLE.replace("<", "&amp;lt;").replace(">", "&amp;gt;"),
                "link": self.article,
                "guid": f"{self.feed}-1",
                "description": STATEMENT,
                "pubDate": "Wed, 07 Jan 2026 10:00:00 GMT",
            },
            {
                "title": f"Peskov on {LONG_WORD}",
                "link": self.server.url("/articles/" + "y" * 200),
                "guid": f"{self.feed}-2",
                "description": f"Kremlin spokesman Dmitry Peskov said on Wednesday that "
                f"{LONG_WORD} was the word of the day.",
                "pubDate": "Wed, 07 Jan 2026 11:00:00 GMT",
            },
        ]
        self.server.mutable[self.feed] = rss(entries, title="Wire")
        base = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
        with (self.logs / "service.log").open("w") as log:
            service = subprocess.Popen(
                [sys.executable, "-m", "tracker", "--db", self.db, "run"],
                env={**base, **SERVICE_ENV},
                stdout=subprocess.DEVNULL,
                stderr=log,
            )
            try:
                ask = f"{self.base}/api/stories/{STORY}/questions/moscow-commented"
                wait_for(lambda: get_json(ask)["answer"] is True, seconds=180, every=0.5)
            finally:
                service.send_signal(signal.SIGTERM)
                service.wait(timeout=90)
        self.published = True


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, server: FeedServer) -> Iterator[Site]:
    """The seeded story behind `tracker serve`, with a feed on 127.0.0.1 that has said
    nothing yet."""
    where = tmp_path_factory.mktemp("page")
    db = f"sqlite:///{where / 'tracker.db'}"
    feed = f"kremlin-{uuid.uuid4().hex[:8]}"
    server.mutable[feed] = rss([], title="Wire")
    assert run("--db", db, "seed").returncode == 0
    added = run("--db", db, "feeds", "add", server.url(f"/mutable/{feed}"), "--name", "wire")
    assert added.returncode == 0, added.stderr
    with serving(db) as base:
        yield Site(db, base, feed, server, where)


@pytest.fixture
def published(site: Site) -> Site:
    site.publish_and_catch_up()
    return site


def answer_on(page: Any, question: str) -> str:
    return str(page.get_attribute(f"#q-{question}", "data-answer"))


def test_the_page_shows_the_seeded_answers(site: Site, browser: Any) -> None:
    page = browser.new_page()
    page.goto(site.page())
    assert page.title().startswith("Security guarantees for Ukraine")
    assert answer_on(page, "moscow-commented") == "no"
    assert answer_on(page, "us-backs-guarantees") == "yes"
    moscow = page.locator("#q-moscow-commented")
    assert moscow.locator(".answer").inner_text() == "NO"
    assert "since 2026-01-06" in moscow.inner_text()
    assert "Moscow had not issued any specific comments" in moscow.inner_text()
    timeline = page.locator("#timeline")
    assert timeline.locator("li.statement").count() == 12
    assert timeline.locator("li.answer").count() >= 6
    assert "wire" in page.locator("#feeds").inner_text()
    page.close()


def test_after_the_service_catches_up_a_reload_shows_the_new_answer_and_its_evidence(
    site: Site, browser: Any
) -> None:
    page = browser.new_page()
    page.goto(site.page())
    assert answer_on(page, "moscow-commented") in ("no", "yes")
    site.publish_and_catch_up()
    page.reload()
    assert answer_on(page, "moscow-commented") == "yes"
    moscow = page.locator("#q-moscow-commented")
    assert "since 2026-01-07" in moscow.inner_text()
    assert STATEMENT in moscow.inner_text()
    link = moscow.locator(".source a").first
    assert link.get_attribute("href") == site.article
    assert "Kremlin rejects Paris guarantees" in link.inner_text()
    changes = page.locator("#timeline li.answer", has_text="Has Moscow commented")
    assert [c.inner_text().split("\n")[0][:10] for c in changes.all()] == [
        "2026-01-06",
        "2026-01-07",
    ]
    page.close()


def test_a_hostile_feed_title_renders_as_text(published: Site, browser: Any) -> None:
    page = browser.new_page()
    page.goto(published.page())
    # The headline is shown, markup and all, as characters; no element came of it.
    assert HOSTILE_TITLE in page.locator("#q-moscow-commented").inner_text()
    assert page.locator("body script").count() == 0
    assert page.evaluate("typeof window.owned") == "undefined"
    page.close()


def test_the_date_pickers_change_the_answers(published: Site, browser: Any) -> None:
    page = browser.new_page()
    page.goto(published.page())
    expected = [
        ("2026-01-05", "", "unknown"),
        ("2026-01-06", "", "no"),
        ("2026-01-07", "", "yes"),
        # Valid on the 7th, but as the tracker knew it before anything was recorded.
        ("2026-01-07", "2026-01-01", "unknown"),
    ]
    for at, known_at, answer in expected:
        page.fill("input[name=at]", at)
        page.fill("input[name=known_at]", known_at)
        page.click("form.when button[type=submit]")
        page.wait_for_load_state()
        assert answer_on(page, "moscow-commented") == answer, (at, known_at)
        assert page.input_value("input[name=at]") == at
        assert f"at={at}" in page.url
    page.close()


@pytest.mark.parametrize(("width", "height"), [(360, 640), (390, 844), (1366, 768)])
def test_no_horizontal_scroll_on_a_phone_or_a_laptop(
    published: Site, browser: Any, width: int, height: int
) -> None:
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(published.page())
    assert LONG_WORD[:50] in page.locator("#timeline").inner_text()
    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner
    page.close()


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://example.org/a?b=1", "https://example.org/a?b=1"),
        ("http://127.0.0.1:8080/x", "http://127.0.0.1:8080/x"),
        ("javascript:alert(1)", None),
        ("JAVASCRIPT:alert(1)", None),
        ("data:text/html,<script>", None),
        ("//evil.example/", None),
        ("http://", None),
        ("http://[::1", None),
        (None, None),
    ],
)
def test_only_http_links_are_made(url: str | None, shown: str | None) -> None:
    assert web_link(url) == shown
