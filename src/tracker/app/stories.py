"""Many stories: which one a command means, what part of the log is a story's, and starting
a story from an article (its questions: ``questions.py``).

A fact is a fact about the world, kept once under its key; a story is the questions asked
of those facts and the documents it follows. So one document can move several stories,
and a story's facts are those its questions name plus those its own documents assert.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from tracker.app.article_files import bounded_document_parts
from tracker.app.base import Tracker
from tracker.app.story_articles import Article, read_article, unwrapped
from tracker.config import (
    STORIES_DIR,
    STORY_ID,
    Story,
    shipped_config_dir,
)
from tracker.domain.documents import content_hash, document_id, stream_for
from tracker.domain.events import DocumentIngested, StoryStarted, from_data, new_event
from tracker.domain.log import NO_STREAM, RecordedEvent, StreamBatch
from tracker.errors import ConcurrencyError, ConfigError, InputError, NotFoundError
from tracker.ingest.curated import STORIES, load_curated

STORY_STREAM = "story-"


def story_stream(story_id: str) -> str:
    return STORY_STREAM + story_id


# -- which story ----------------------------------------------------------------------


def seed_document(story: Story) -> str | None:
    """The id of the curated document a story is seeded with (``[story] seed``)."""
    if story.seed is None:
        return None
    path = STORIES / f"{story.seed}.toml"
    if not path.is_file():
        raise ConfigError(f"{story.path}: story.seed: no curated story {story.seed!r}")
    return _curated_document(path)


@cache
def _curated_document(path: Path) -> str:
    # Read once per process: every read command asks which stories the database holds.
    return load_curated(path).document.doc_id


def starts(tracker: Tracker, story: Story) -> list[StoryStarted]:
    """How the story was begun in this database (``stories add``), if it was."""
    out = []
    for event in tracker.log.read_stream(story_stream(story.id)):
        if event.type == StoryStarted.TYPE:
            out.append(from_data(StoryStarted, event.data))
    return out


def held(tracker: Tracker) -> list[Story]:
    """The configured stories this database holds: begun by ``stories add``, or seeded."""
    out = []
    for story in tracker.stories:
        if starts(tracker, story):
            out.append(story)
            continue
        doc = seed_document(story)
        if doc is not None and tracker.log.read_stream(stream_for(doc)):
            out.append(story)
    return out


def pick(tracker: Tracker, story_id: str | None) -> Story:
    """The story a command means: the one named, else the only one the database holds
    (or the only one configured); else an error listing them."""
    names = ", ".join(s.id for s in tracker.stories)
    if story_id is not None:
        for story in tracker.stories:
            if story.id == story_id:
                return story
        raise NotFoundError(f"unknown story {story_id!r}; known: {names}")
    if len(tracker.stories) == 1:
        return tracker.stories[0]
    holding = held(tracker)
    if len(holding) == 1:
        return holding[0]
    there = ", ".join(s.id for s in holding) if holding else names
    raise InputError(f"several stories; name one with --story: {there}")


# -- what is a story's ------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """What of the log belongs to one story. ``everything``: the database holds only
    this story, so all of it is the story's (as it was before there were several)."""

    story: Story
    everything: bool
    documents: frozenset[str]

    @property
    def keys(self) -> frozenset[str]:
        return self.story.keys

    @property
    def question_ids(self) -> frozenset[str]:
        return frozenset(q.id for q in self.story.questions)

    def fact(self, key: str, document: str | None) -> bool:
        return self.everything or key in self.keys or document in self.documents

    def statement(self, about: Iterable[str], document: str | None) -> bool:
        return (
            self.everything or document in self.documents or not self.question_ids.isdisjoint(about)
        )

    def event(self, event: RecordedEvent) -> bool:
        if self.everything:
            return True
        data = event.data
        if event.type in ("FactAsserted", "FactRetracted"):
            document = (data.get("evidence") or {}).get("document")
            key = str(data.get("key"))
            return self.fact(key, document)
        if event.type == "StatementReported":
            return self.statement(
                data.get("about") or (), (data.get("evidence") or {}).get("document")
            )
        if event.type in ("DocumentIngested", "DocumentRevised"):
            return data.get("doc_id") in self.documents
        if event.type == StoryStarted.TYPE:
            return data.get("story_id") == self.story.id
        return False


def scope(tracker: Tracker, story: Story) -> Scope:
    """The story's documents: those it was begun or seeded with, and every document that
    asserted one of its questions' facts."""
    others = [s for s in held(tracker) if s.id != story.id]
    if not others:
        return Scope(story, True, frozenset())
    documents = {start.doc_id for start in starts(tracker, story)}
    seeded = seed_document(story)
    if seeded is not None:
        documents.add(seeded)
    for key in story.keys:
        for assertion, _ in tracker.queries.history(key):
            documents.add(assertion.fact.evidence.document)
    return Scope(story, False, frozenset(documents))


# -- starting a story ---------------------------------------------------------------------


def writable_config_dir(tracker: Tracker) -> Path:
    """Where new story files go: the config directory in use, or ./config when the shipped
    copy is in use (never the installed package)."""
    directory = tracker.settings.config_dir
    if directory.resolve() == shipped_config_dir().resolve():
        directory = Path("config")
    return directory


def add_story(
    tracker: Tracker,
    source: str,
    *,
    story_id: str,
    title: str | None = None,
    published: datetime | None = None,
) -> dict[str, Any]:
    """Start a story from an article file or URL: the article becomes a document, every
    fact and statement found in it is appended with it, and ``stories/ID.toml`` is written
    (no questions yet: ``tracker questions add``)."""
    _refuse_taken(tracker, story_id)
    article = read_article(tracker, source)
    document = _story_document(tracker, article, source, title=title, published=published)
    stream = stream_for(document.doc_id)
    if tracker.log.read_stream(stream):
        raise InputError(f"{source}: this article is already stored (document {document.doc_id})")
    extracted = tracker.extractor.every_fact(document)
    started = StoryStarted(
        story_id=story_id, title=document.title, doc_id=document.doc_id, source=article.shown
    )
    path = _new_story_file(tracker, story_id)
    first = new_event(
        document, document.identity, document.content_hash, occurred_at=document.published_at
    )
    _append_with_file(
        tracker,
        [
            StreamBatch(stream, (first, *extracted), NO_STREAM),
            StreamBatch(
                story_stream(story_id),
                (new_event(started, story_id, occurred_at=tracker.clock()),),
                NO_STREAM,
            ),
        ],
        path,
        story_file_text(story_id, document.title, article.shown),
        story_id,
    )
    tracker.runner.catch_up()
    return {
        "story": story_id,
        "title": document.title,
        "config": str(path),
        "document": document.doc_id,
        "source": article.shown,
        "facts": sum(1 for e in extracted if e.type == "FactAsserted"),
        "statements": sum(1 for e in extracted if e.type == "StatementReported"),
        "truncated_chars": document.truncated_chars,
    }


def _refuse_taken(tracker: Tracker, story_id: str) -> None:
    """An InputError when ``story_id`` is malformed or a story already has it."""
    if not STORY_ID.fullmatch(story_id):
        raise InputError(
            f"--id: expected lowercase letters, digits and hyphens (at most 63), got {story_id!r}"
        )
    if any(s.id == story_id for s in tracker.stories):
        raise InputError(f"story {story_id!r} already exists")
    if tracker.log.read_stream(story_stream(story_id)):
        raise InputError(f"story {story_id!r} already exists in this database")


def _new_story_file(tracker: Tracker, story_id: str) -> Path:
    """Where the new story's file goes; an InputError when a file is already there."""
    path = writable_config_dir(tracker) / STORIES_DIR / f"{story_id}.toml"
    if path.exists():
        raise InputError(f"{path}: already exists; choose another --id or remove the file")
    return path


def _story_document(
    tracker: Tracker,
    article: Article,
    source: str,
    *,
    title: str | None,
    published: datetime | None,
) -> DocumentIngested:
    """The article as the story's first document: its headline given, found in the page,
    or its first line, as `tracker ingest` reads a plain text."""
    heading = (title or article.title or "").strip()
    text = article.text
    if not heading:
        heading = article.first_line()
        text = text.strip().split("\n", 1)[1] if "\n" in text.strip() else text
    if not heading or not text.strip():
        raise InputError(f"{source}: no text found in it")
    heading, body, cut = bounded_document_parts(tracker, heading, unwrapped(text))
    identity = f"link:{article.url}" if article.url else content_hash(heading, body)
    return DocumentIngested(
        doc_id=document_id(identity),
        identity=identity,
        source="url" if article.url else "file",
        title=heading,
        content=body,
        content_hash=content_hash(heading, None, body, article.url),
        published_at=published or article.published or tracker.clock(),
        published_precision="instant" if published or article.published else "first-seen",
        url=article.url,
        truncated_chars=cut,
    )


def _append_with_file(
    tracker: Tracker, batches: list[StreamBatch], path: Path, text: str, story_id: str
) -> None:
    """Append the story's events, then put its file in place: no file without its events."""
    staged = staged_file(path, text)
    try:
        try:
            tracker.log.append_batches(batches)
        except ConcurrencyError:
            raise InputError(f"story {story_id!r} or this article was added meanwhile") from None
        os.replace(staged, path)
    finally:
        if staged.exists():
            staged.unlink()


def story_file_text(story_id: str, title: str, source: str) -> str:
    return (
        f"# Started by `tracker stories add` from {toml_string(source)}.\n"
        "# Questions: `tracker questions add --story "
        f"{story_id} ...` (or [[questions]] by hand, as in the\n"
        "# shipped paris-summit-2026.toml); rules for feeds: [[rules]], see extraction.toml.\n\n"
        f"[story]\nid = {toml_string(story_id)}\ntitle = {toml_string(title)}\n"
    )


def toml_string(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(text, ensure_ascii=False)


def staged_file(path: Path, text: str) -> Path:
    """Write ``text`` beside ``path`` under a temporary name, to be moved into place."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".new")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
    except OSError as exc:
        raise InputError(f"{path.parent}: cannot write: {exc.strerror}") from None
    return Path(name)
