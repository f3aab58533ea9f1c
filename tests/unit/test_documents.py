"""A document seen again: nothing, its first event, or a revision; identity from a feed
entry; text bounded and fingerprinted. No database."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from tracker.domain.documents import bounded, content_hash, current_document, plan_document
from tracker.domain.events import DocumentIngested, DocumentRevised, decode
from tracker.domain.feeds import entry_identity, normalise_link
from tracker.domain.log import NewEvent, RecordedEvent
from tracker.domain.story import fold

PUBLISHED = datetime(2026, 1, 6, 12, tzinfo=UTC)
FIRST = DocumentIngested(
    doc_id="d1",
    identity="link:https://news.example/a",
    source="feed",
    title="Allies meet in Paris",
    content="Leaders met.",
    content_hash=content_hash("Allies meet in Paris", "Leaders met."),
    published_at=PUBLISHED,
)


def recorded(events: list[NewEvent]) -> list[RecordedEvent]:
    """``events`` as the log would hand them back from one stream."""
    return [
        RecordedEvent(
            position=n,
            stream="doc:d1",
            version=n,
            type=event.type,
            schema_version=event.schema_version,
            data=event.data,
            occurred_at=event.occurred_at,
            recorded_at=PUBLISHED + timedelta(hours=n),
            stored_id=event.event_id,
        )
        for n, event in enumerate(events, start=1)
    ]


def edited(title: str, content: str = "Leaders met.") -> DocumentIngested:
    return replace(FIRST, title=title, content=content, content_hash=content_hash(title, content))


def test_a_new_document_is_its_first_event() -> None:
    event, now = plan_document(FIRST, [])
    assert event is not None and event.type == "DocumentIngested"
    assert decode(recorded([event])[0]) == FIRST == now


@pytest.mark.parametrize(
    ("edits", "expected_types", "title"),
    [
        ([FIRST], ["DocumentIngested"], FIRST.title),  # the same again appends nothing
        ([edited("Allies meet in Paris ")], ["DocumentIngested"], FIRST.title),  # whitespace
        ([edited("Allies met in Paris")], ["DocumentIngested", "DocumentRevised"], "Allies met"),
        (
            [edited("B"), edited("Allies meet in Paris")],  # A -> B -> A is two revisions
            ["DocumentIngested", "DocumentRevised", "DocumentRevised"],
            "Allies meet",
        ),
    ],
)
def test_a_document_seen_again_appends_only_what_changed(
    edits: list[DocumentIngested], expected_types: list[str], title: str
) -> None:
    first, _ = plan_document(FIRST, [])
    assert first is not None
    log = [first]
    for incoming in edits:
        event, now = plan_document(incoming, recorded(log))
        if event is not None:
            log.append(event)
        assert now.content_hash == incoming.content_hash
    assert [e.type for e in log] == expected_types
    assert len({e.event_id for e in log}) == len(log)
    current = current_document(recorded(log))
    assert current is not None and current.title.startswith(title)


def test_a_revision_names_only_the_fields_that_changed() -> None:
    first, _ = plan_document(FIRST, [])
    assert first is not None
    event, now = plan_document(edited("Allies met", "Leaders met again."), recorded([first]))
    assert event is not None
    revision = decode(recorded([first, event])[1])
    assert isinstance(revision, DocumentRevised)
    assert revision.changes == {"title": "Allies met", "content": "Leaders met again."}
    assert revision.previous_hash == FIRST.content_hash
    assert (now.title, now.content) == ("Allies met", "Leaders met again.")


@pytest.mark.parametrize(
    ("link", "expected"),
    [
        ("https://News.Example/a?utm_source=x&id=2&fbclid=y#top", "https://news.example/a?id=2"),
        ("http://news.example:80/a", "http://news.example/a"),
        ("https://news.example:443", "https://news.example/"),
        ("https://news.example:8443/a", "https://news.example:8443/a"),
        ("https://news.example/a?b=2&a=1", "https://news.example/a?a=1&b=2"),
    ],
)
def test_a_link_is_normalised_without_tracking(link: str, expected: str) -> None:
    assert normalise_link(link) == expected


FEED = "https://news.example/rss"


@pytest.mark.parametrize(
    ("guid", "link", "title", "prefix"),
    [
        (" 42 ", "https://news.example/a", "T", "guid:https://news.example/rss 42"),
        ("", "https://news.example/a?utm_medium=x", "T", "link:https://news.example/a"),
        (None, "  ", "T", "hash:https://news.example/rss "),
    ],
)
def test_an_entry_is_known_by_guid_else_link_else_hash(
    guid: str | None, link: str, title: str, prefix: str
) -> None:
    identity = entry_identity(FEED, guid=guid, link=link, title=title, published=PUBLISHED)
    assert identity.startswith(prefix)
    if prefix.startswith("hash:"):
        other = entry_identity(FEED, guid=guid, link=link, title="U", published=PUBLISHED)
        assert other != identity and len(identity) == len(prefix) + 32


@pytest.mark.parametrize(
    ("text", "limit", "kept", "cut"),
    [
        ("short", 10, "short", 0),
        ("one two three", 9, "one two", 6),  # cut at a word
        ("x" * 30, 10, "x" * 10, 20),  # no word near: cut at the limit
    ],
)
def test_text_is_bounded_at_a_word(text: str, limit: int, kept: str, cut: int) -> None:
    assert bounded(text, limit) == (kept, cut)


def test_a_fingerprint_ignores_spacing_but_not_field_boundaries() -> None:
    assert content_hash("a  b", "c") == content_hash(" a b ", "c")
    assert content_hash("ab", "c") != content_hash("a", "bc")
    assert content_hash(None, "c") == content_hash("", "c")


def test_the_fold_applies_a_revision_as_the_stream_does() -> None:
    first, _ = plan_document(FIRST, [])
    assert first is not None
    moved = replace(edited("Allies met", "Leaders met again."), url="https://news.example/b")
    event, _ = plan_document(moved, recorded([first]))
    assert event is not None
    history = recorded([first, event])
    folded = fold(history).documents[FIRST.doc_id]
    assert folded == current_document(history)
    assert (folded.title, folded.url) == ("Allies met", "https://news.example/b")
