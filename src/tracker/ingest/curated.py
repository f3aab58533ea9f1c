"""Hand-curated story data: an article and every fact in it, written down as data."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from tracker.config import read_toml
from tracker.domain.documents import content_hash, document_id, stream_for
from tracker.domain.events import (
    DocumentIngested,
    Evidence,
    FactAsserted,
    Producer,
    StatementReported,
    new_event,
)
from tracker.domain.log import NewEvent
from tracker.errors import ConfigError

STORIES = Path(__file__).resolve().parent.parent / "stories"
SEED = STORIES / "paris-summit-2026-01-06.toml"
CURATED = Producer(kind="curated")


@dataclass(frozen=True)
class CuratedStory:
    stream: str
    document: DocumentIngested
    facts: tuple[FactAsserted, ...]
    statements: tuple[StatementReported, ...]

    def events(self) -> list[NewEvent]:
        """The document, then its facts and statements, with ids stable across runs."""
        doc = self.document
        occurred = doc.published_at
        out = [new_event(doc, doc.identity, doc.content_hash, occurred_at=occurred)]
        out += [
            new_event(f, doc.identity, doc.content_hash, f.key, occurred_at=f.valid_from)
            for f in self.facts
        ]
        out += [
            new_event(s, doc.identity, doc.content_hash, s.statement_key, occurred_at=s.said_at)
            for s in self.statements
        ]
        return out


def load_curated(path: Path = SEED) -> CuratedStory:
    data = read_toml(path)
    header = _table(path, data, "document")
    article_path = path.parent / _str(path, header, "article")
    try:
        article = article_path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{article_path}: cannot read: {exc.strerror}") from None
    published = _day(path, "document.published", header["published"])
    identity = _str(path, header, "identity")
    doc_id = document_id(identity)
    document = DocumentIngested(
        doc_id=doc_id,
        identity=identity,
        source="seed",
        title=_str(path, header, "title"),
        content=article,
        content_hash=content_hash(header["title"], article),
        published_at=published,
        published_precision="day",
    )
    source = Evidence(document=doc_id, title=document.title, published_at=published)
    facts = tuple(
        _fact(path, i, raw, source, published) for i, raw in enumerate(data.get("facts", []))
    )
    statements = tuple(
        _statement(path, i, raw, source, published)
        for i, raw in enumerate(data.get("statements", []))
    )
    return CuratedStory(stream_for(doc_id), document, facts, statements)


def _table(path: Path, data: dict[str, Any], name: str) -> dict[str, Any]:
    table = data.get(name)
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: missing [{name}]")
    return table


def _str(path: Path, table: dict[str, Any], key: str, where: str = "") -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value:
        raise ConfigError(f"{path}: {where}{key}: expected a non-empty string")
    return value


def _day(path: Path, where: str, raw: object) -> datetime:
    # A curated day starts at midnight UTC: it holds for any instant of that day.
    if isinstance(raw, date) and not isinstance(raw, datetime):
        return datetime.combine(raw, time(0), tzinfo=UTC)
    if isinstance(raw, str):
        try:
            return datetime.combine(date.fromisoformat(raw), time(0), tzinfo=UTC)
        except ValueError:
            pass
    raise ConfigError(f"{path}: {where}: expected a date YYYY-MM-DD, got {raw!r}")


def _fact(
    path: Path, index: int, raw: dict[str, Any], source: Evidence, published: datetime
) -> FactAsserted:
    where = f"facts[{index}]."
    key = _str(path, raw, "key", where)
    parts = key.split("/")
    if not 2 <= len(parts) <= 3 or not all(parts):
        raise ConfigError(f"{path}: {where}key: {key!r} is not subject/predicate[/object]")
    valid_from = (
        _day(path, where + "valid_from", raw["valid_from"]) if "valid_from" in raw else published
    )
    return FactAsserted(
        key=key,
        subject=parts[0],
        predicate=parts[1],
        object=parts[2] if len(parts) == 3 else None,
        value=raw.get("value"),
        valid_from=valid_from,
        valid_precision="day",
        evidence=replace(source, quote=_str(path, raw, "quote", where)),
        producer=CURATED,
        polarity=raw.get("polarity", "positive"),
        modality=raw.get("modality", "asserted"),
        condition=raw.get("condition"),
        text=_str(path, raw, "text", where),
    )


def _statement(
    path: Path, index: int, raw: dict[str, Any], source: Evidence, published: datetime
) -> StatementReported:
    where = f"statements[{index}]."
    return StatementReported(
        statement_key=_str(path, raw, "key", where),
        speaker=_str(path, raw, "speaker", where),
        speaker_name=_str(path, raw, "speaker_name", where),
        verb=_str(path, raw, "verb", where),
        mode=_str(path, raw, "mode", where),
        content=_str(path, raw, "content", where),
        quote=raw.get("quote"),
        said_at=published,
        # "undated": reported as a standing position; the article's day is when we saw it.
        said_precision=raw.get("said_precision", "day"),
        evidence=replace(source, sentence=_str(path, raw, "sentence", where)),
        producer=CURATED,
        about=tuple(raw.get("about", ())),
    )


def statements_recovered(story: CuratedStory, extracted: list[NewEvent]) -> int:
    """How many curated statements an extraction found, from the right speaker."""
    said = [e.data for e in extracted if e.type == "StatementReported"]

    def same(curated: str, found: str) -> bool:
        return bool(curated) and (found in curated or curated in found)

    return sum(
        any(
            x["speaker"] == s.speaker and same(s.evidence.sentence or "", x["evidence"]["sentence"])
            for x in said
        )
        for s in story.statements
    )
