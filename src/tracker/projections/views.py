"""The stored views a tracker keeps, in the order the runner applies them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tracker.domain.story import Question
from tracker.projections.documents import DocumentsProjection
from tracker.projections.facts import FactsProjection
from tracker.projections.statements import StatementsProjection
from tracker.projections.timeline import TimelineReader
from tracker.store.driver import Driver


def projections_for(
    driver: Driver, questions: Sequence[Question], reader: TimelineReader
) -> list[Any]:
    return [
        FactsProjection(driver, questions, reader),
        StatementsProjection(driver),
        DocumentsProjection(driver),
    ]
