"""Generated hostile input: mutated feeds, arbitrary article text, arbitrary options.

Nothing may raise an unhandled exception: a failure is a recorded parse error or a
one-line message with a non-zero exit.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.cli import invoke
from support.feedserver import FEEDS

from tracker.config import load_story, shipped_config_dir
from tracker.domain.documents import content_hash
from tracker.domain.events import DocumentIngested
from tracker.ingest.extract import RuleExtractor, load_extraction_config
from tracker.ingest.parse import FeedParseError, parse_feed

SAMPLES = {p.name: p.read_bytes() for p in sorted(FEEDS.iterdir()) if p.name != "MANIFEST.txt"}
SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@st.composite
def mutated_feed(draw: st.DrawFn) -> bytes:
    body = SAMPLES[draw(st.sampled_from(sorted(SAMPLES)))]
    how = draw(st.sampled_from(["truncate", "flip", "splice", "reencode", "garbage"]))
    if how == "truncate":
        return body[: draw(st.integers(0, len(body)))]
    if how == "flip":
        data = bytearray(body)
        for _ in range(draw(st.integers(1, 50))):
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
        return bytes(data)
    if how == "splice":
        at = draw(st.integers(0, len(body)))
        return body[:at] + draw(st.binary(max_size=300)) + body[at:]
    if how == "reencode":
        text = body.decode("utf-8", errors="replace")
        encoding = draw(st.sampled_from(["utf-16", "latin-1", "cp1251", "utf-32"]))
        return text.encode(encoding, errors="replace")
    return draw(st.binary(max_size=2000))


@SETTINGS
@given(
    body=mutated_feed(),
    content_type=st.sampled_from(
        ["application/xml", "text/html", "application/rss+xml; charset=koi8-r", "text/plain", ""]
    ),
)
def test_mutated_feeds_parse_or_fail_with_a_recorded_reason(body: bytes, content_type: str) -> None:
    try:
        parsed = parse_feed(body, {"content-type": content_type} if content_type else {})
    except FeedParseError as exc:
        # A reason a person can read in a feed's last_error: one line, saying which failure.
        reason = str(exc)
        assert reason.startswith(("not a usable feed: ", "not a feed: ")), reason
        assert "\n" not in reason
        return
    for entry in parsed.entries:
        assert entry.published is None or entry.published.tzinfo is not None
        assert isinstance(entry.title, str) and isinstance(entry.content, str)


@pytest.fixture(scope="module")
def extractor() -> RuleExtractor:
    directory = shipped_config_dir()
    return RuleExtractor(load_story(directory), load_extraction_config(directory))


WORDS = st.sampled_from(
    [
        "Peskov",
        "said",
        "the",
        "Kremlin",
        "has",
        "not",
        "commented",
        "on",
        "Paris",
        '"',
        "“",
        "”",
        "troops",
        "Tuesday",
        "yesterday",
        "January",
        "31",
        "2026-02-30",
        "according",
        "to",
        "Lavrov",
        ".",
        ",",
        "\n",
        "Zelensky",
        "declined",
        "comment",
        "will",
        "never",
        "«",
        "»",
    ]
)


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    text=st.one_of(st.text(max_size=400), st.lists(WORDS, max_size=60).map(" ".join)),
    title=st.text(max_size=80),
)
def test_extraction_takes_any_text(extractor: RuleExtractor, text: str, title: str) -> None:
    document = DocumentIngested(
        doc_id="d",
        identity=f"fuzz:{title}:{text}",
        source="file",
        title=title,
        content=text,
        content_hash=content_hash(title, text),
        published_at=datetime(2026, 1, 8, tzinfo=UTC),
    )
    for event in extractor.extract(document):
        assert event.occurred_at.tzinfo is not None
        if event.type == "FactAsserted":
            assert event.data["value"] in (True, False)


# -- every command's options, in-process, through the real entry point -----------------


@pytest.fixture(scope="module")
def seeded_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'tracker.db'}"
    code, err = invoke(["--db", url, "seed"])
    assert code == 0, err
    return url


NASTY = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            "",
            "-1",
            "0",
            "now",
            "2026-01-06",
            "2026-01-06T10:00",
            "9999-99-99",
            "2026-01-06T10:00+25:00",
            "1e309",
            "--json",
            "\x00",
            "moscow-commented",
            "Kremlin",
            "99999999999999999999",
        ]
    ),
)
COMMANDS = st.sampled_from(
    [
        ["ask", "{a}"],
        ["ask", "moscow-commented", "--at", "{a}"],
        ["ask", "moscow-commented", "--known-at", "{a}", "--at", "{b}"],
        ["state", "--at", "{a}"],
        ["state", "--known-at", "{a}"],
        ["history", "{a}"],
        ["replay", "--since", "{a}", "--until", "{b}"],
        ["events", "--limit", "{a}"],
        ["events", "--stream", "{a}", "--type", "{b}"],
        ["events", "--after", "{a}"],
        ["statements", "--by", "{a}"],
        ["rebuild", "--projection", "{a}"],
        ["feeds", "add", "{a}", "--every", "{b}"],
        ["feeds", "remove", "{a}"],
        ["poll", "--feed", "{a}"],
        ["ingest", "{a}", "--published", "{b}"],
        ["db", "{a}"],
        ["{a}"],
    ]
)


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(command=COMMANDS, a=NASTY, b=NASTY)
def test_every_command_meets_bad_options_with_one_line_and_a_status(
    seeded_db: str, command: list[str], a: str, b: str
) -> None:
    args = [part.replace("{a}", a).replace("{b}", b) for part in command]
    if "\x00" in "".join(args):
        args = [arg.replace("\x00", "") for arg in args]
    code, err = invoke(["--db", seeded_db, *args])
    assert "Traceback" not in err
    if code != 0:
        assert code in (1, 2) and len(err.strip().splitlines()) <= 1, err
    assert Path(seeded_db.removeprefix("sqlite:///")).is_file()
