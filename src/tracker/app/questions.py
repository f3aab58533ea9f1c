"""Adding a question to a story's file, with the rule that answers it from feeds, checked
as the tracker will read it before the file is replaced."""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tracker.app.base import Tracker
from tracker.app.stories import pick, staged_file, toml_string, writable_config_dir
from tracker.config import STORIES_DIR, load_stories, read_story_file
from tracker.errors import ConfigError, InputError
from tracker.ingest.extraction_config import load_extraction_config

_QUESTION_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")
_KEY_PART = re.compile(r"[a-z0-9][a-z0-9-]{0,80}")


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
    staged = staged_file(target, text)
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
        f"id = {toml_string(new.id)}",
        f"text = {toml_string(new.text.strip())}",
        f"facts = [{', '.join(toml_string(k) for k in new.facts)}]",
    ]
    if new.combine != "any":
        lines.append(f"combine = {toml_string(new.combine)}")
    kind = _rule_kind(new)
    if kind is not None:
        lines += [
            "",
            "[[rules]]",
            f"id = {toml_string(new.id + '.' + kind)}",
            f"question = {toml_string(new.id)}",
            f"kind = {toml_string(kind)}",
            f"fact = {toml_string(new.facts[0])}",
        ]
        lists = {
            "actions": new.actions,
            "negative_actions": new.negative_actions,
            "objects": new.objects,
            "topics": new.topics,
        }
        for name, values in lists.items():
            if values:
                lines.append(f"{name} = [{', '.join(toml_string(v) for v in values)}]")
        if new.agent:
            lines.append(f"agent_side = {toml_string(new.agent)}")
        if new.side:
            lines.append(f"side = {toml_string(new.side)}")
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
