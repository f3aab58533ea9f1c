"""A page of the log as projections take it: counted first, payloads only when asked.

A catch-up page is every event in ``after < position <= upto``. The runner learns
from the database how many events of each type and schema version the page holds;
a projection decodes the payloads of the types it folds in Python, and a projection
that works in SQL over the page's range decodes none.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from tracker.domain.log import RecordedEvent
from tracker.store.log import EventLog

# Payloads decoded at once: a bound on memory whatever the size of a page.
DECODED_AT_ONCE = 10_000


class Page:
    """Consecutive events of the log, ``after < position <= upto``.

    Appends are gap-safe, so once the runner has seen the events up to ``upto`` no
    other event can appear in the range: SQL bounded by it sees exactly these events.
    """

    __slots__ = ("_kinds", "_log", "after", "upto")

    def __init__(
        self, log: EventLog, after: int, kinds: Sequence[tuple[str, int, int, int]]
    ) -> None:
        self._log = log
        self.after = after
        # (type, schema version, how many, last position)
        self._kinds = tuple(kinds)
        self.upto = max((last for _, _, _, last in self._kinds), default=after)

    @classmethod
    def read(cls, log: EventLog, after: int, limit: int) -> Page:
        """The next ``limit`` events after ``after``."""
        return cls(log, after, log.tally(after, limit=limit))

    def __len__(self) -> int:
        return sum(count for _, _, count, _ in self._kinds)

    @property
    def types(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(kind for kind, _, _, _ in self._kinds))

    def has(self, *types: str) -> bool:
        return any(kind in types for kind, _, _, _ in self._kinds)

    def schemas(self, type_: str) -> set[int]:
        """The schema versions the page's events of this type are stored at."""
        return {version for kind, version, _, _ in self._kinds if kind == type_}

    def last_of(self, *types: str) -> int | None:
        """The position of the page's last event of these types."""
        return max((last for kind, _, _, last in self._kinds if kind in types), default=None)

    def chunks(self, *types: str) -> Iterator[list[RecordedEvent]]:
        """The page's events of these types in log order, decoded and upcast a bounded
        number at a time: a page may be large, since only what is asked for is decoded."""
        if not self.has(*types):
            return
        after = self.after
        while found := self._log.read_after(
            after, limit=DECODED_AT_ONCE, types=types, until=self.upto
        ):
            yield found
            after = found[-1].position

    def events(self, *types: str) -> Iterator[RecordedEvent]:
        for chunk in self.chunks(*types):
            yield from chunk

    def past(self, position: int) -> Page:
        """What of the page lies after ``position`` (a projection's checkpoint)."""
        if position <= self.after:
            return self
        if position >= self.upto:
            return Page(self._log, position, ())
        return Page(self._log, position, self._log.tally(position, until=self.upto))

    def one_by_one(self) -> Iterator[Page]:
        """The page an event at a time, to find the one a projection cannot apply."""
        after = self.after
        while after < self.upto:
            one = Page(self._log, after, self._log.tally(after, limit=1))
            yield one
            after = one.upto
