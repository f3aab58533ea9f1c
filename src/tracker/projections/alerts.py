"""The alerts outbox: each change of a question's answer, derived from the log.

For each FactAsserted or FactRetracted, the answer of every question behind its key is
computed as the log stood just before and just after that event (by position, at the
latest valid time). A change is an alert row, and, in the same transaction, a pending
delivery for each channel that wants it; the runner moves the checkpoint with them, so
a crash loses no alert and a second run adds none.

Deliveries are not the projection's rows: a rebuild drops and re-derives the alerts
with the same ids and leaves the deliveries, so nothing is sent twice. A channel added
later gets the changes from the first events applied after it appeared; when the
projection itself is new (alerts turned on for an older log), every channel starts at
the log's end: the backlog is history, not news.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Connection

from tracker.domain.events import FactAsserted, FactRetracted
from tracker.domain.story import Answer, Question, decide
from tracker.notify.config import AlertChannel
from tracker.projections.evidence import evidence_of
from tracker.projections.pages import Page
from tracker.projections.timeline import END_OF_TIME, TimelineReader, held_at
from tracker.store.driver import Driver
from tracker.store.schema import alerts

_ALERT_IDS = uuid.UUID("6f1d3c52-3e0b-4c55-9f1e-2b8a5d0c7e41")
_WORDS = {True: "yes", False: "no", None: "unknown"}


class FactsBehind(Exception):
    """The facts projection has not reached these events yet; alerts wait for it."""


def alert_id(question: str, position: int) -> str:
    return str(uuid.uuid5(_ALERT_IDS, f"{question}@{position}"))


class AlertsProjection:
    name = "alerts"
    tables = (alerts,)

    def __init__(
        self,
        driver: Driver,
        stories: Sequence[tuple[str, str, Sequence[Question]]],
        channels: Sequence[AlertChannel],
        reader: TimelineReader,
        clock: Callable[[], datetime],
    ) -> None:
        self._d = driver
        # (story id, story title, question) for every question of every story
        self._questions = tuple(
            (story_id, title, question)
            for story_id, title, questions in stories
            for question in questions
        )
        # Which of them each fact key moves: most events move none, and are passed over.
        self._by_key: dict[str, list[int]] = {}
        for n, (_, _, question) in enumerate(self._questions):
            for key in dict.fromkeys(question.facts):
                self._by_key.setdefault(key, []).append(n)
        self._channels = tuple(channels)
        self._reader = reader
        self._clock = clock

    def apply(self, conn: Connection, page: Page) -> None:
        d = self._d
        with d.cursor(conn) as cursor:
            since = self._channel_starts(cursor, page.after)
            last_change = page.last_of(FactAsserted.TYPE, FactRetracted.TYPE)
            if last_change is None:
                return
            if self._checkpoint(cursor, "facts") < last_change:
                raise FactsBehind("the facts projection is behind; alerts wait for it")
            # A question's answer after one of its events is its answer before the next.
            last: dict[int, Answer] = {}
            for position, key, stored_at in self._changes(cursor, page):
                recorded_at = d.read_time(stored_at)
                assert recorded_at is not None  # set on every row the changes come from
                for n in self._by_key[key]:
                    story_id, title, question = self._questions[n]
                    before = last.get(n)
                    if before is None:
                        before = self._answer(cursor, question, position - 1)
                    change = (position, recorded_at)
                    last[n] = self._one(cursor, change, (story_id, title), question, since, before)

    def _changes(self, cursor: Any, page: Page) -> list[tuple[int, str, Any]]:
        """(position, key, recorded_at) of the page's events that changed a question's
        key, from the timeline the facts projection wrote: its assertions, and its
        retractions that withdrew one (any other retraction changes no answer). No
        payload is decoded, and most events, on no question's key, are never seen."""
        if not self._by_key:
            return []
        d = self._d
        m = d.mark
        keys = tuple(self._by_key)
        bounds = (page.after, page.upto)
        sql = (
            "SELECT position, key, recorded_at FROM fact_timeline "
            f"WHERE key IN ({d.marks(len(keys))}) AND position > {m} AND position <= {m}"
        )
        params: tuple[Any, ...] = (*keys, *bounds)
        if page.has(FactRetracted.TYPE):
            sql += (
                " UNION ALL SELECT retracted_position, key, retracted_at FROM fact_timeline "
                f"WHERE key IN ({d.marks(len(keys))}) AND retracted_position > {m} "
                f"AND retracted_position <= {m}"
            )
            params = (*params, *keys, *bounds)
        cursor.execute(f"{sql} ORDER BY 1", params)
        return list(cursor.fetchall())

    def _checkpoint(self, cursor: Any, name: str) -> int:
        cursor.execute(
            f"SELECT position FROM projection_checkpoints WHERE name = {self._d.mark}", (name,)
        )
        row = cursor.fetchone()
        return int(row[0]) if row else 0

    def _channel_starts(self, cursor: Any, after: int) -> dict[str, int]:
        """Each configured channel's start, registering new ones: a channel gets the changes
        of the events this projection has not applied yet, unless the projection itself is
        new (an older log, or a first run), when it starts at the log's end: the backlog is
        history, not news."""
        d = self._d
        if not self._channels:
            return {}
        if self._checkpoint(cursor, self.name) > 0:
            end = after
        else:
            cursor.execute("SELECT coalesce(max(position), 0) FROM events")
            end = cursor.fetchone()[0]
        for channel in self._channels:
            cursor.execute(
                "INSERT INTO alert_channels (name, since_position, created_at) "
                f"VALUES ({d.marks(3)}) ON CONFLICT (name) DO NOTHING",
                (channel.name, end, d.time(self._clock())),
            )
        cursor.execute("SELECT name, since_position FROM alert_channels")
        return {name: position for name, position in cursor.fetchall()}

    def _one(
        self,
        cursor: Any,
        change: tuple[int, datetime],
        story: tuple[str, str],
        question: Question,
        since: dict[str, int],
        before: Answer,
    ) -> Answer:
        """The answer after the event at ``change`` (its position and recorded_at); an
        alert when it differs from ``before``."""
        d = self._d
        position, recorded_at = change
        story_id, story_title = story
        after = self._answer(cursor, question, position)
        if before.value is after.value:
            return after
        identity = alert_id(question.id, position)
        payload = {
            "type": "answer-changed",
            "alert_id": identity,
            "story": {"id": story_id, "title": story_title},
            "question": {"id": question.id, "text": question.text},
            "before": before.value,
            "after": after.value,
            "before_text": _WORDS[before.value],
            "after_text": _WORDS[after.value],
            "since": after.since.isoformat() if after.since else None,
            "position": position,
            "recorded_at": recorded_at.isoformat(),
            "evidence": [evidence_of(a) for a in after.evidence],
        }
        cursor.execute(
            "INSERT INTO alerts (alert_id, position, story, question, recorded_at, payload) "
            f"VALUES ({d.marks(5)}, {d.json_mark})",
            (
                identity,
                position,
                story_id,
                question.id,
                d.time(recorded_at),
                d.json(payload),
            ),
        )
        self._queue(cursor, identity, change, (story_id, question.id), since)
        return after

    def _queue(
        self,
        cursor: Any,
        identity: str,
        change: tuple[int, datetime],
        about: tuple[str, str],
        since: dict[str, int],
    ) -> None:
        """A pending delivery of the alert on every channel that wants its story and
        question and had not yet passed its position when it was set up."""
        d = self._d
        position, recorded_at = change
        for channel in self._channels:
            if channel.wants(*about) and position > since.get(channel.name, position):
                cursor.execute(
                    "INSERT INTO alert_deliveries (alert_id, channel, position, state, "
                    f"attempts, next_attempt_at) VALUES ({d.marks(6)}) "
                    "ON CONFLICT (alert_id, channel) DO NOTHING",
                    (identity, channel.name, position, "pending", 0, d.time(recorded_at)),
                )

    def _answer(self, cursor: Any, question: Question, upto: int) -> Answer:
        """The answer as the log stood at position ``upto``, at the latest valid time:
        a few index seeks per key, not a fold of the keys' histories."""
        held = [
            held_at(cursor, self._reader, key, END_OF_TIME, END_OF_TIME, upto=upto)
            for key in question.facts
        ]
        return decide(question, [h for h in held if h is not None])
