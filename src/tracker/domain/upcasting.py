"""Upcasters: each lifts one event type's payload from schema N to N+1."""

from __future__ import annotations

from tracker.domain.log import JSON, Upcasters


def fact_asserted_v1_to_v2(data: JSON) -> JSON:
    """Schema 1 held ``valid_from`` as a bare date; schema 2 is an instant plus its precision.

    A bare date meant "from the start of that day, UTC", known to the day.
    """
    lifted = dict(data)
    valid_from = str(lifted["valid_from"])
    if len(valid_from) == 10:
        valid_from = f"{valid_from}T00:00:00+00:00"
    lifted["valid_from"] = valid_from
    lifted.setdefault("valid_precision", "day")
    return lifted


UPCASTERS = Upcasters({("FactAsserted", 1): fact_asserted_v1_to_v2})
