"""Stories: each one's questions, and the actors who speak in them, read from their files."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from tracker.config.files import (
    config_file,
    nonempty_text,
    read_toml,
    shipped_config_dir,
    string_list,
    table_list,
)
from tracker.domain.story import Actor, Question
from tracker.errors import ConfigError

STORY_FILE = "story.toml"  # a single story's file, as older config directories hold it
STORIES_DIR = "stories"  # one file per story: stories/ID.toml
ACTORS_FILE = "actors.toml"


@dataclass(frozen=True)
class Story:
    """A tracked story: its questions and the actors who speak in it.

    The catalogue of every story is a ``Story`` too (``load_story``): every question of
    every story, which the extractor and the projections work from."""

    id: str
    title: str
    questions: tuple[Question, ...]
    actors: tuple[Actor, ...]
    path: Path | None = None  # the file it was read from
    seed: str | None = None  # the curated seed article it starts from, if any

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def resolve_actor(self, name: str) -> Actor | None:
        """The actor an id or any alias names (case-insensitive)."""
        wanted = name.strip().casefold()
        for actor in self.actors:
            if wanted == actor.id or wanted in (a.casefold() for a in (actor.name, *actor.aliases)):
                return actor
        return None

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(key for q in self.questions for key in q.facts)


STORY_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")


def story_files(config_dir: Path) -> tuple[Path, ...]:
    """The story files in force: the shipped ones, each replaced by the config directory's
    file of the same name, plus the config directory's own; an older ``story.toml`` in the
    config directory counts as one more."""
    chosen: dict[str, Path] = {}
    for directory in dict.fromkeys((shipped_config_dir(), config_dir)):
        folder = directory / STORIES_DIR
        if folder.is_dir():
            for path in sorted(folder.glob("*.toml")):
                chosen[path.name] = path
    legacy = config_dir / STORY_FILE
    if legacy.is_file() and config_dir != shipped_config_dir():
        chosen[STORY_FILE] = legacy
    return tuple(chosen.values())


def load_stories(config_dir: Path) -> tuple[Story, ...]:
    """Every story in force (see ``story_files``), each with the shared actors.

    Story ids are unique (a later file with an id already read replaces it, so a config
    directory's ``story.toml`` overrides the shipped story it names), and a question id
    belongs to one story only, so that an answer is never ambiguous."""
    actors_path = config_file(config_dir, ACTORS_FILE)
    actors = tuple(
        _actor(actors_path, i, raw)
        for i, raw in enumerate(table_list(actors_path, read_toml(actors_path), "actors"))
    )
    stories: dict[str, Story] = {}
    for path in story_files(config_dir):
        story = read_story_file(path, actors)
        stories[story.id] = story
    owner: dict[str, str] = {}
    for story in stories.values():
        for question in story.questions:
            if question.id in owner:
                raise ConfigError(
                    f"{story.path}: question {question.id!r} is already story "
                    f"{owner[question.id]!r}'s; question ids must be unique across stories"
                )
            owner[question.id] = story.id
    if not stories:
        raise ConfigError(f"{config_dir}: no story is configured (stories/ID.toml)")
    return tuple(stories.values())


def read_story_file(path: Path, actors: tuple[Actor, ...] = ()) -> Story:
    """One story file: ``[story]`` id and title, ``[[questions]]`` (and ``[[rules]]``,
    read with the extraction configuration)."""
    document = read_toml(path)
    header = document.get("story", {})
    if not isinstance(header, dict):
        raise ConfigError(f"{path}: story: expected a table")
    story_id = nonempty_text(path, "story.id", header.get("id"))
    if not STORY_ID.fullmatch(story_id):
        raise ConfigError(
            f"{path}: story.id: expected lowercase letters, digits and hyphens (at most 63), "
            f"got {story_id!r}"[:300]
        )
    questions = tuple(
        _question(path, i, raw) for i, raw in enumerate(table_list(path, document, "questions"))
    )
    ids = [q.id for q in questions]
    if len(ids) != len(set(ids)):
        raise ConfigError(f"{path}: questions: ids must be unique")
    seed = header.get("seed")
    return Story(
        id=story_id,
        title=nonempty_text(path, "story.title", header.get("title", story_id)),
        questions=questions,
        actors=actors,
        path=path,
        seed=None if seed is None else nonempty_text(path, "story.seed", seed),
    )


def load_story(config_dir: Path) -> Story:
    """The catalogue: every question of every story in force, with the actors. With one
    story in force, that story."""
    return catalogue(load_stories(config_dir))


def catalogue(stories: tuple[Story, ...]) -> Story:
    """Every question of these stories as one story (the one story, when there is one)."""
    if len(stories) == 1:
        return stories[0]
    return Story(
        id="*",
        title="every story",
        questions=tuple(q for story in stories for q in story.questions),
        actors=stories[0].actors,
    )


def _question(path: Path, index: int, raw: object) -> Question:
    where = f"questions[{index}]"
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: {where}: expected a table")
    combine = raw.get("combine", "any")
    if combine not in ("any", "all"):
        raise ConfigError(f"{path}: {where}.combine: expected 'any' or 'all', got {combine!r}")
    facts = string_list(path, f"{where}.facts", raw.get("facts"))
    if not facts:
        raise ConfigError(f"{path}: {where}.facts: name at least one fact key")
    return Question(
        id=nonempty_text(path, f"{where}.id", raw.get("id")),
        text=nonempty_text(path, f"{where}.text", raw.get("text")),
        facts=facts,
        combine=combine,
    )


def _actor(path: Path, index: int, raw: object) -> Actor:
    where = f"actors[{index}]"
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: {where}: expected a table")
    group = raw.get("group")
    return Actor(
        id=nonempty_text(path, f"{where}.id", raw.get("id")),
        name=nonempty_text(path, f"{where}.name", raw.get("name")),
        aliases=string_list(path, f"{where}.aliases", raw.get("aliases", [])),
        group=None if group is None else nonempty_text(path, f"{where}.group", group),
    )
