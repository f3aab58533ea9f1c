"""The JSON an answer shows for each assertion behind it, and the source it cites."""

from __future__ import annotations

from typing import Any

from tracker.domain.events import (
    Evidence,
)
from tracker.domain.story import Assertion


def source_of(evidence: Evidence) -> dict[str, Any] | None:
    """The source a person can follow: headline, link, feed, publication time."""
    if evidence.title is None and evidence.url is None:
        return None
    return {
        "title": evidence.title,
        "url": evidence.url,
        "feed": evidence.feed,
        "published_at": evidence.published_at.isoformat() if evidence.published_at else None,
    }


def evidence_of(assertion: Assertion) -> dict[str, Any]:
    fact = assertion.fact
    return {
        "assertion_id": assertion.assertion_id,
        "key": assertion.key,
        "value": assertion.value,
        "valid_from": assertion.valid_from.isoformat(),
        "recorded_at": assertion.recorded_at.isoformat(),
        "position": assertion.position,
        "document": fact.evidence.document,
        "quote": fact.evidence.quote,
        "sentence": fact.evidence.sentence,
        "text": fact.text,
        "modality": fact.modality,
        "producer": fact.producer.rule or fact.producer.kind,
        "source": source_of(fact.evidence),
        # set on an editor's correction: who made it and why
        "by": fact.by,
        "reason": fact.reason,
    }
