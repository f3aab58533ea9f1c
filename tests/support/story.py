"""Facts and events written by hand, a clock moved by hand, and the stored views as data."""

from __future__ import annotations

from datetime import datetime, timedelta

from tracker.app import Tracker
from tracker.domain.events import Evidence, FactAsserted, Producer, new_event
from tracker.domain.log import NewEvent
from tracker.projections.runner import table_rows

MOSCOW_KEY = "moscow/commented-on/paris-meeting"


class Clock:
    """A transaction-time clock the test moves by hand."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


def fact(key: str, value: object, valid_from: datetime, doc: str = "test-doc") -> FactAsserted:
    subject, predicate, *rest = key.split("/")
    return FactAsserted(
        key=key,
        subject=subject,
        predicate=predicate,
        object=rest[0] if rest else None,
        value=value,  # type: ignore[arg-type]
        valid_from=valid_from,
        valid_precision="day",
        evidence=Evidence(document=doc, quote=f"quote for {key}"),
        producer=Producer(kind="rule", rule="test"),
    )


def assert_event(tracker: Tracker, item: FactAsserted, tag: str) -> NewEvent:
    event = new_event(item, "test", tag, item.key, occurred_at=item.valid_from)
    tracker.log.append(f"doc:test-{tag}", [event])
    return event


def dump(tracker: Tracker) -> dict[str, list[dict[str, object]]]:
    """Every projection table's rows, but for when each was last written."""
    with tracker.engine.connect() as conn:
        return {
            table.name: [
                {k: v for k, v in row.items() if k != "updated_at"}
                for row in table_rows(conn, table)
            ]
            for projection in tracker.runner.projections
            for table in projection.tables
        }
