"""The read-only HTTP API: a real `tracker serve` on 127.0.0.1, compared with the CLI."""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.cli import run
from support.webserve import get, get_json, serving

STORY = "paris-summit-2026"
KNOWN = "2099-01-01"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('api') / 'tracker.db'}"
    assert run("--db", url, "seed").returncode == 0
    feed = "http://127.0.0.1:9/feed.xml"
    assert run("--db", url, "feeds", "add", feed, "--name", "local").returncode == 0
    return url


@pytest.fixture(scope="module")
def api(seeded: str) -> Iterator[str]:
    with serving(seeded) as base:
        yield base


def cli_json(db: str, *args: str) -> object:
    result = run("--db", db, *args, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize(
    ("path", "command"),
    [
        ("/api/stories", ["stories"]),
        (
            f"/api/stories/{STORY}/state?at=2026-01-06&known_at={KNOWN}",
            ["state", "--at", "2026-01-06", "--known-at", KNOWN],
        ),
        (
            f"/api/stories/{STORY}/questions/moscow-commented?at=2026-01-05&known_at={KNOWN}",
            ["ask", "moscow-commented", "--at", "2026-01-05", "--known-at", KNOWN],
        ),
        (
            f"/api/stories/{STORY}/history/moscow-commented?known_at={KNOWN}",
            ["history", "moscow-commented", "--known-at", KNOWN],
        ),
        (
            f"/api/stories/{STORY}/history/united-states/backs/security-guarantees",
            ["history", "united-states/backs/security-guarantees"],
        ),
        (
            f"/api/stories/{STORY}/replay?since=30&until=40",
            ["replay", "--since", "30", "--until", "40"],
        ),
        (
            f"/api/stories/{STORY}/statements?by=russia&at=2026-01-06&known_at={KNOWN}",
            ["statements", "--by", "russia", "--at", "2026-01-06", "--known-at", KNOWN],
        ),
        ("/api/feeds", ["feeds", "list"]),
        ("/api/status", ["status"]),
    ],
)
def test_each_endpoint_answers_what_the_cli_prints_as_json(
    seeded: str, api: str, path: str, command: list[str]
) -> None:
    assert get_json(api + path) == cli_json(seeded, *command)


def test_at_and_known_at_change_the_answer(api: str) -> None:
    ask = f"{api}/api/stories/{STORY}/questions/moscow-commented"
    assert get_json(ask + "?at=2026-01-05")["answer"] is None
    on_the_day = get_json(ask + "?at=2026-01-06T12:00Z")
    assert on_the_day["answer"] is False and on_the_day["since"].startswith("2026-01-06")
    assert on_the_day["evidence"][0]["key"] == "moscow/commented-on/paris-meeting"
    # Before anything was recorded, the tracker knew nothing.
    assert get_json(ask + "?at=2026-01-06&known_at=2026-01-01")["answer"] is None
    history = get_json(f"{api}/api/stories/{STORY}/history/moscow-commented?known_at=2026-01-01")
    assert history["changes"] == []
    early = get_json(f"{api}/api/stories/{STORY}/statements?known_at=2026-01-01")
    assert early == [] and len(get_json(f"{api}/api/stories/{STORY}/statements")) == 12


def test_the_openapi_description_lists_every_endpoint(api: str) -> None:
    spec = get_json(api + "/api/openapi.json")
    paths = set(spec["paths"])
    assert {
        "/api/stories",
        "/api/stories/{story_id}",
        "/api/stories/{story_id}/state",
        "/api/stories/{story_id}/questions/{question}",
        "/api/stories/{story_id}/history/{subject}",
        "/api/stories/{story_id}/replay",
        "/api/stories/{story_id}/statements",
        "/api/feeds",
        "/api/status",
    } <= paths
    for path, operations in spec["paths"].items():
        assert set(operations) == {"get"}, path
    state_params = {
        p["name"] for p in spec["paths"]["/api/stories/{story_id}/state"]["get"]["parameters"]
    }
    assert {"at", "known_at"} <= state_params


@pytest.mark.parametrize(
    ("path", "status", "message"),
    [
        (f"/api/stories/{STORY}/state?at=yesterday-ish", 400, "at: cannot read"),
        (f"/api/stories/{STORY}/state?known_at=2026-01-06T10:00", 400, "no timezone"),
        (f"/api/stories/{STORY}/state?at=2026-02-30", 400, "not a valid date"),
        (f"/api/stories/{STORY}/state?at=%00%1b[31m", 400, "at: cannot read"),
        (f"/api/stories/{STORY}/state?at=" + "9" * 5000, 400, "at: cannot read"),
        (f"/api/stories/{STORY}/replay?since=soon", 400, "since: cannot read"),
        (f"/api/stories/{STORY}?at=9999-12-31T23:59:59-14:00", 400, "at: '9999"),
        (f"/api/stories/{STORY}/state?known_at=0001-01-01T00:00:00%2B14:00", 400, "known_at:"),
        (f"/api/stories/{STORY}/questions/moscow-commented?at=9999-12-31T23:59-14:00", 400, "at:"),
        (
            f"/api/stories/{STORY}/history/moscow-commented?known_at=9999-12-31T23:59-14:00",
            400,
            "out",
        ),
        (f"/api/stories/{STORY}/replay?until=0001-01-01T00:00%2B14:00", 400, "until: '0001"),
        (f"/api/stories/{STORY}/statements?at=0001-01-01T00:00%2B14:00", 400, "out of range"),
        (f"/api/stories/{STORY}/questions/nope", 404, "unknown question 'nope'"),
        (f"/api/stories/{STORY}/questions/{'q' * 5000}", 404, "unknown question 'qqq"),
        (f"/api/stories/{STORY}/statements?by={'b' * 5000}", 400, "unknown actor"),
        (f"/api/stories/{STORY}/history/no/such/key", 404, "neither a question nor"),
        (f"/api/stories/{STORY}/statements?by=nobody-at-all", 400, "unknown actor"),
        ("/api/stories/another-story/state", 404, "unknown story 'another-story'"),
        ("/api/feeds?known_at=2026-01-06", 400, "present only"),
        ("/api/status?at=2026-01-06", 400, "present only"),
        ("/api/no-such-thing", 404, "Not Found"),
    ],
)
def test_bad_requests_get_one_clear_message_and_a_4xx(
    api: str, path: str, status: int, message: str
) -> None:
    code, headers, body = get(api + path)
    assert code == status, body
    assert headers["content-type"] == "application/json"
    error = json.loads(body)["error"]
    assert message in error and "\n" not in error and "Traceback" not in error
    assert len(error) < 300


def test_a_date_with_no_utc_instant_gets_an_error_page_not_a_500(api: str) -> None:
    for query in ("at=9999-12-31T23:59:59-14:00", "known_at=0001-01-01T00:00:00%2B14:00"):
        code, headers, body = get(f"{api}/stories/{STORY}?{query}")
        assert code == 400, body[:300]
        assert headers["content-type"].startswith("text/html") and b"out of range" in body


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_no_endpoint_writes(api: str, method: str) -> None:
    for path in (f"/api/stories/{STORY}/state", "/api/feeds", f"/stories/{STORY}"):
        request = urllib.request.Request(api + path, method=method, data=b"{}")
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=30)
        assert refused.value.code == 405


def test_reading_every_endpoint_leaves_the_log_and_feeds_as_they_were(
    seeded: str, tmp_path: Path
) -> None:
    # A feeds.toml the CLI would add from is not applied by the read-only service.
    config = tmp_path / "config"
    config.mkdir()
    (config / "feeds.toml").write_text('[[feeds]]\nurl = "http://127.0.0.1:9/other.xml"\n')
    before = cli_json(seeded, "events", "--limit", "1000")
    with serving(seeded, {"TRACKER_CONFIG": str(config)}) as base:
        for path in (
            f"/api/stories/{STORY}",
            f"/api/stories/{STORY}/state",
            f"/api/stories/{STORY}/replay",
            "/api/feeds",
            "/api/status",
            f"/stories/{STORY}",
        ):
            assert get(base + path)[0] == 200, path
        assert [f["name"] for f in get_json(base + "/api/feeds")] == ["local"]
    assert cli_json(seeded, "events", "--limit", "1000") == before


def test_a_host_that_is_not_loopback_is_refused(api: str) -> None:
    # A page elsewhere that rebinds its own name to 127.0.0.1 must not read the service.
    code, _headers, body = get(api + "/api/stories", {"Host": "attacker.example:8080"})
    assert code == 400 and b"loopback Host" in body
    for host in ("localhost:1", "127.0.0.1", "[::1]:8080"):
        assert get(api + "/api/stories", {"Host": host})[0] == 200, host


def test_responses_forbid_framing_and_sniffing(api: str) -> None:
    _code, headers, _body = get(f"{api}/stories/{STORY}")
    assert headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert "script-src" not in headers["content-security-policy"]  # default-src 'none'


@pytest.mark.parametrize(
    ("args", "status", "message"),
    [
        (["--port", "70000"], 2, "'--port': 70000 is not in the range"),
        (["--port", "http"], 2, "'--port'"),
        (["--port", "-1"], 2, "'--port'"),
        (["--host", "no-such-host.invalid"], 2, "--host: cannot listen on"),
        (["--host", "127.0.0.1 --evil"], 2, "--host: cannot listen on"),
    ],
)
def test_bad_serve_options_are_one_line(
    seeded: str, args: list[str], status: int, message: str
) -> None:
    result = run("--db", seeded, "serve", *args)
    assert result.returncode == status, result.stderr
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_a_taken_port_is_one_line(seeded: str) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        result = run("--db", seeded, "serve", "--port", port)
    assert result.returncode == 1
    assert (
        result.stderr.strip() == f"error: cannot listen on 127.0.0.1:{port}: Address already in use"
    )


def test_serve_on_a_missing_database_creates_nothing(tmp_path: Path) -> None:
    path = tmp_path / "missing.db"
    result = run("--db", f"sqlite:///{path}", "serve", "--port", "0")
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert not path.exists()


def test_quoted_path_segments_reach_the_key(api: str) -> None:
    key = urllib.parse.quote("united-states/backs/security-guarantees", safe="")
    view = get_json(f"{api}/api/stories/{STORY}/history/{key}")
    assert view["keys"] == ["united-states/backs/security-guarantees"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    path=st.sampled_from(
        [
            "/api/stories/{s}/state?at={a}&known_at={b}",
            "/api/stories/{s}/questions/{a}?at={b}",
            "/api/stories/{s}/history/{a}?known_at={b}",
            "/api/stories/{s}/replay?since={a}&until={b}",
            "/api/stories/{s}/statements?by={a}&at={b}",
            "/api/stories/{a}?at={b}",
            "/stories/{s}?at={a}&known_at={b}",
            "/api/feeds?at={a}",
        ]
    ),
    a=st.text(max_size=40),
    b=st.text(max_size=40),
)
def test_any_query_gets_an_answer_or_one_clear_4xx(api: str, path: str, a: str, b: str) -> None:
    quote = urllib.parse.quote
    url = api + path.format(s=STORY, a=quote(a, safe=""), b=quote(b, safe=""))
    code, headers, body = get(url)
    assert code in (200, 400, 404), (code, body[:300])
    if code != 200 and headers["content-type"] == "application/json":
        error = json.loads(body)["error"]
        assert error and "\n" not in error and "Traceback" not in error
    assert b"Traceback" not in body
