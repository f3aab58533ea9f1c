"""A document's readings as events: statements, question answers and open facts, each
with its evidence (the sentence and the source) and its producer (the rule, the config
version, the model).
"""

from __future__ import annotations

from typing import Any

from tracker.domain.events import (
    DocumentIngested,
    Evidence,
    FactAsserted,
    Producer,
    StatementReported,
    new_event,
)
from tracker.domain.log import NewEvent
from tracker.ingest.dates import Resolved, resolve_clause
from tracker.ingest.open_fact import OpenFact
from tracker.ingest.rules import ExtractionConfig
from tracker.ingest.said import Said
from tracker.ingest.verdicts import Verdict, about


def statement_event(
    config: ExtractionConfig,
    document: DocumentIngested,
    item: Said,
    index: int,
    sentence: str,
    producer: dict[str, str],
    source: dict[str, Any],
) -> NewEvent:
    """What someone said, dated by its own clause, with the questions it is about."""
    rule_id = {
        "according to": "statement.according-to",
        "headline": "statement.headline",
    }.get(item.verb, "statement.reporting-verb")
    speaker = item.speaker
    when = resolve_clause(
        item.when_text,
        sentence,
        published=document.published_at,
        tense=item.tense,
        holidays=config.holidays,
    )
    statement = StatementReported(
        statement_key=f"s{index}:{speaker.id}:{item.verb}",
        speaker=speaker.id,
        speaker_name=speaker.name,
        verb=item.verb,
        mode=item.mode,
        content=item.content,
        quote=item.quote,
        said_at=when.moment,
        said_precision=when.precision,
        evidence=Evidence(document=document.doc_id, quote=item.quote, sentence=sentence, **source),
        producer=Producer(kind="rule", rule=rule_id, **producer),
        about=tuple(dict.fromkeys(r.question for r in config.rules if about(r, item.content))),
        side=speaker.side,
        listed=speaker.actor is not None,
    )
    return new_event(
        statement,
        document.identity,
        document.content_hash,
        statement.statement_key,
        occurred_at=when.moment,
    )


def answer_event(
    document: DocumentIngested,
    verdict: Verdict,
    producer: dict[str, str],
    source: dict[str, Any],
) -> NewEvent:
    """A question's answer as an event, its id from the rule, the key and the value."""
    fact = answer(document, verdict, producer, source)
    return new_event(
        fact,
        document.identity,
        document.content_hash,
        verdict.rule.id,
        verdict.key,
        str(verdict.value),
        occurred_at=verdict.moment,
    )


def answer(
    document: DocumentIngested,
    verdict: Verdict,
    producer: dict[str, str],
    source: dict[str, Any],
) -> FactAsserted:
    """The fact a question's verdict asserts."""
    subject, predicate, *rest = verdict.key.split("/")
    return FactAsserted(
        key=verdict.key,
        subject=subject,
        predicate=predicate,
        object=rest[0] if rest else None,
        value=verdict.value,
        valid_from=verdict.moment,
        valid_precision="day" if verdict.precision == "day" else "publication",
        evidence=Evidence(
            document=document.doc_id, quote=verdict.quote, sentence=verdict.sentence, **source
        ),
        producer=Producer(kind="rule", rule=f"{verdict.rule.id}.{verdict.how}", **producer),
        polarity="positive" if verdict.value else "negative",
        modality="reported",
        text=verdict.sentence,
    )


def open_fact_asserted(
    config: ExtractionConfig,
    document: DocumentIngested,
    found: OpenFact,
    sentence: str,
    producer: dict[str, str],
    source: dict[str, Any],
) -> FactAsserted:
    """An open fact, dated by its clause (what a plan implies: by publication)."""
    if found.modality == "implied":
        when = Resolved(document.published_at, "publication")
    else:
        when = resolve_clause(
            found.when_text,
            sentence,
            published=document.published_at,
            tense=found.tense,
            holidays=config.holidays,
        )
    return FactAsserted(
        key=found.key,
        subject=found.subject,
        predicate=found.predicate,
        object=found.object,
        value=found.value,
        valid_from=when.moment,
        valid_precision="day" if when.precision == "day" else "publication",
        evidence=Evidence(document=document.doc_id, quote=found.quote, sentence=sentence, **source),
        producer=Producer(kind="rule", rule=found.rule, **producer),
        polarity="negative" if found.value is False else "positive",
        modality=found.modality,
        condition=found.condition,
        text=found.text,
    )
