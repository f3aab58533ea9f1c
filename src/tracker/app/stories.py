"""Many stories: which one a command means, what part of the log is a story's, starting a
story from an article, and adding a question to one.

A fact is a fact about the world, kept once under its key; a story is the questions asked
of those facts and the documents it follows. So one document can move several stories,
and a story's facts are those its questions name plus those its own documents assert.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from functools import cache
from pathlib import Path
from typing import Any

from tracker.app.base import Tracker
from tracker.app.feeds import bounded_document_parts, read_text_file
from tracker.config import (
    STORIES_DIR,
    STORY_ID,
    Story,
    load_stories,
    read_story_file,
    shipped_config_dir,
)
from tracker.domain.documents import content_hash, document_id, stream_for
from tracker.domain.events import DocumentIngested, StoryStarted, from_data, new_event
from tracker.domain.log import NO_STREAM, RecordedEvent, StreamBatch
from tracker.errors import ConcurrencyError, ConfigError, InputError, NotFoundError
from tracker.ingest.articles import HTML_ACCEPT, html_problem, main_text
from tracker.ingest.curated import STORIES, load_curated
from tracker.ingest.fetch import check_feed_url, redact_url
from tracker.ingest.rules import load_extraction_config

STORY_STREAM = "story-"
_QUESTION_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")
_KEY_PART = re.compile(r"[a-z0-9][a-z0-9-]{0,80}")


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
    if not STORY_ID.fullmatch(story_id):
        raise InputError(
            f"--id: expected lowercase letters, digits and hyphens (at most 63), got {story_id!r}"
        )
    if any(s.id == story_id for s in tracker.stories):
        raise InputError(f"story {story_id!r} already exists")
    if tracker.log.read_stream(story_stream(story_id)):
        raise InputError(f"story {story_id!r} already exists in this database")
    article = read_article(tracker, source)
    heading = (title or article.title or "").strip()
    text = article.text
    if not heading:
        # a plain text's first line is its headline, as `tracker ingest` reads it
        heading = article.first_line()
        text = text.strip().split("\n", 1)[1] if "\n" in text.strip() else text
    if not heading or not text.strip():
        raise InputError(f"{source}: no text found in it")
    heading, body, cut = bounded_document_parts(tracker, heading, unwrapped(text))
    when = published or article.published or tracker.clock()
    identity = f"link:{article.url}" if article.url else content_hash(heading, body)
    document = DocumentIngested(
        doc_id=document_id(identity),
        identity=identity,
        source="url" if article.url else "file",
        title=heading,
        content=body,
        content_hash=content_hash(heading, None, body, article.url),
        published_at=when,
        published_precision="instant" if published or article.published else "first-seen",
        url=article.url,
        truncated_chars=cut,
    )
    stream = stream_for(document.doc_id)
    if tracker.log.read_stream(stream):
        raise InputError(f"{source}: this article is already stored (document {document.doc_id})")
    extracted = tracker.extractor.every_fact(document)
    started = StoryStarted(
        story_id=story_id, title=heading, doc_id=document.doc_id, source=article.shown
    )
    directory = writable_config_dir(tracker)
    path = directory / STORIES_DIR / f"{story_id}.toml"
    if path.exists():
        raise InputError(f"{path}: already exists; choose another --id or remove the file")
    text = story_file_text(story_id, heading, article.shown)
    staged = _stage(path, text)
    try:
        batches = [
            StreamBatch(
                stream,
                (
                    new_event(document, identity, document.content_hash, occurred_at=when),
                    *extracted,
                ),
                NO_STREAM,
            ),
            StreamBatch(
                story_stream(story_id),
                (new_event(started, story_id, occurred_at=tracker.clock()),),
                NO_STREAM,
            ),
        ]
        try:
            tracker.log.append_batches(batches)
        except ConcurrencyError:
            raise InputError(f"story {story_id!r} or this article was added meanwhile") from None
        os.replace(staged, path)
    finally:
        if staged.exists():
            staged.unlink()
    tracker.runner.catch_up()
    facts = [e for e in extracted if e.type == "FactAsserted"]
    return {
        "story": story_id,
        "title": heading,
        "config": str(path),
        "document": document.doc_id,
        "source": article.shown,
        "facts": len(facts),
        "statements": sum(1 for e in extracted if e.type == "StatementReported"),
        "truncated_chars": cut,
    }


def story_file_text(story_id: str, title: str, source: str) -> str:
    return (
        f"# Started by `tracker stories add` from {_toml(source)}.\n"
        "# Questions: `tracker questions add --story "
        f"{story_id} ...` (or [[questions]] by hand, as in the\n"
        "# shipped paris-summit-2026.toml); rules for feeds: [[rules]], see extraction.toml.\n\n"
        f"[story]\nid = {_toml(story_id)}\ntitle = {_toml(title)}\n"
    )


def _toml(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(text, ensure_ascii=False)


def _stage(path: Path, text: str) -> Path:
    """Write ``text`` beside ``path`` under a temporary name, to be moved into place."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".new")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
    except OSError as exc:
        raise InputError(f"{path.parent}: cannot write: {exc.strerror}") from None
    return Path(name)


@dataclass(frozen=True)
class Article:
    text: str
    title: str | None
    url: str | None
    published: datetime | None
    shown: str  # the file or (redacted) URL, to print and record

    def first_line(self) -> str:
        return next((line.strip() for line in self.text.splitlines() if line.strip()), "")[:300]


def read_article(tracker: Tracker, source: str) -> Article:
    """An article's main text from a file or an http(s) URL; HTML is reduced to the
    article's text by trafilatura (given bytes: it fetches nothing itself)."""
    headers: dict[str, str] = {}
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", source):
        shown = redact_url(source)
        problem = check_feed_url(source, what="article")
        if problem:
            raise InputError(f"{shown}: {problem}")
        result = tracker.fetcher.fetch(
            source, accept=HTML_ACCEPT, max_bytes=tracker.settings.ingest.max_file_bytes
        )
        if result.kind != "ok":
            why = result.error or result.status or result.kind
            raise InputError(f"{shown}: cannot fetch: {why}")
        raw, url = result.body, source
        headers = {k.lower(): v for k, v in result.headers.items()}
        plain = headers.get("content-type", "").startswith("text/plain")
        if (problem := html_problem(headers)) and not plain:
            raise InputError(f"{shown}: {problem}")
    else:
        raw = read_text_file(tracker, Path(source))
        url, shown = None, source
    kind = headers.get("content-type", "")
    if "html" in kind or source.lower().endswith((".html", ".htm")) or _looks_html(raw):
        return _from_html(raw, headers, url, shown)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{shown}: not UTF-8 text") from None
    return Article(text=text, title=None, url=url, published=None, shown=shown)


_SENTENCE_END = re.compile(r"[.!?:;\"'\u201d\u2019)\]]\s*$")


def unwrapped(text: str) -> str:
    """Plain text with its hard-wrapped lines joined: a line that does not end a sentence
    continues on the next (a parse of half a sentence finds no fact). A heading, a line
    ending a sentence and a blank line keep their breaks."""
    out: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if out and out[-1] and stripped and not _SENTENCE_END.search(out[-1]):
            out[-1] = f"{out[-1]} {stripped}"
        else:
            out.append(stripped)
    return "\n".join(out)


def _looks_html(raw: bytes) -> bool:
    head = raw.lstrip()[:200].lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<body" in raw[:4000].lower()


def _from_html(raw: bytes, headers: dict[str, str], url: str | None, shown: str) -> Article:
    try:
        text = main_text(raw, headers)
        import trafilatura

        meta = trafilatura.extract_metadata(raw)
    except Exception as exc:  # a page no parser can read is bad input, not a crash
        raise InputError(f"{shown}: cannot read the page: {type(exc).__name__}") from None
    if not text:
        raise InputError(f"{shown}: no article text found in the page")
    published = None
    if meta is not None and meta.date:
        try:
            published = datetime.combine(date.fromisoformat(meta.date[:10]), time(), UTC)
        except ValueError:
            published = None
    title = meta.title if meta is not None and meta.title else None
    return Article(text=text, title=title, url=url, published=published, shown=shown)


# -- questions -----------------------------------------------------------------------------


@dataclass(frozen=True)
class NewQuestion:
    id: str
    text: str
    facts: tuple[str, ...]
    combine: str = "any"
    # an event rule, when given: verbs and objects, optionally the doer's side
    actions: tuple[str, ...] = ()
    negative_actions: tuple[str, ...] = ()
    objects: tuple[str, ...] = ()
    agent: str | None = None
    # a statement rule, when given: who speaks (a side) and what about
    side: str | None = None
    topics: tuple[str, ...] = ()


def add_question(tracker: Tracker, story_id: str | None, new: NewQuestion) -> dict[str, Any]:
    """Add a question (and its rule, when one is given) to a story's file, checked as the
    tracker will read it before the file is replaced."""
    story = pick(tracker, story_id)
    if not _QUESTION_ID.fullmatch(new.id):
        raise InputError(
            f"--id: expected lowercase letters, digits and hyphens (at most 63), got {new.id!r}"
        )
    if not new.text.strip():
        raise InputError("--text: the question's text is empty")
    if not new.facts:
        raise InputError("--fact: name at least one fact key (subject/predicate[/object])")
    for key in new.facts:
        parts = key.split("/")
        if len(parts) not in (2, 3) or not all(_KEY_PART.fullmatch(p) for p in parts):
            raise InputError(
                f"--fact: expected subject/predicate[/object] in lowercase words joined by "
                f"hyphens, got {key!r}"
            )
    if new.combine not in ("any", "all"):
        raise InputError(f"--combine: expected any or all, got {new.combine!r}")
    if any(q.id == new.id for s in tracker.stories for q in s.questions):
        raise InputError(f"question {new.id!r} already exists")
    assert story.path is not None
    directory = writable_config_dir(tracker)
    target = directory / STORIES_DIR / story.path.name
    try:
        current = story.path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{story.path}: cannot read: {exc.strerror}") from None
    text = current.rstrip("\n") + "\n\n" + question_text(new)
    staged = _stage(target, text)
    try:
        _check(tracker, target, staged)
        os.replace(staged, target)
    finally:
        if staged.exists():
            staged.unlink()
    return {
        "story": story.id,
        "question": new.id,
        "config": str(target),
        "facts": list(new.facts),
        "rule": _rule_kind(new),
    }


def _rule_kind(new: NewQuestion) -> str | None:
    if new.actions or new.objects or new.agent or new.negative_actions:
        return "event"
    if new.side or new.topics:
        return "statement"
    return None


def question_text(new: NewQuestion) -> str:
    lines = [
        "[[questions]]",
        f"id = {_toml(new.id)}",
        f"text = {_toml(new.text.strip())}",
        f"facts = [{', '.join(_toml(k) for k in new.facts)}]",
    ]
    if new.combine != "any":
        lines.append(f"combine = {_toml(new.combine)}")
    kind = _rule_kind(new)
    if kind is not None:
        lines += [
            "",
            "[[rules]]",
            f"id = {_toml(new.id + '.' + kind)}",
            f"question = {_toml(new.id)}",
            f"kind = {_toml(kind)}",
            f"fact = {_toml(new.facts[0])}",
        ]
        lists = {
            "actions": new.actions,
            "negative_actions": new.negative_actions,
            "objects": new.objects,
            "topics": new.topics,
        }
        for name, values in lists.items():
            if values:
                lines.append(f"{name} = [{', '.join(_toml(v) for v in values)}]")
        if new.agent:
            lines.append(f"agent_side = {_toml(new.agent)}")
        if new.side:
            lines.append(f"side = {_toml(new.side)}")
    return "\n".join(lines) + "\n"


def _check(tracker: Tracker, target: Path, staged: Path) -> None:
    """Read the configuration as it will be with ``staged`` in place of ``target``."""
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        config = tracker.settings.config_dir
        for name in ("actors.toml", "extraction.toml"):
            if (config / name).is_file():
                (root / name).write_bytes((config / name).read_bytes())
        (root / STORIES_DIR).mkdir()
        for source in (config / STORIES_DIR, target.parent):
            if source.is_dir():
                for path in source.glob("*.toml"):
                    (root / STORIES_DIR / path.name).write_bytes(path.read_bytes())
        (root / STORIES_DIR / target.name).write_bytes(staged.read_bytes())
        try:
            stories = load_stories(root)
            questions = frozenset(q.id for s in stories for q in s.questions)
            load_extraction_config(root, questions)
            read_story_file(root / STORIES_DIR / target.name)
        except ConfigError as exc:
            message = str(exc).replace(str(root / STORIES_DIR), str(target.parent))
            raise InputError(f"the question is refused: {message}") from None
