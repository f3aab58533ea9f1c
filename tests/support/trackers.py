"""Trackers built the way the application builds them, on a database URL under test."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from tracker.app import Tracker
from tracker.bootstrap import bootstrap
from tracker.config import load_settings, shipped_config_dir
from tracker.domain.documents import content_hash
from tracker.domain.events import DocumentIngested
from tracker.store.engine import make_engine
from tracker.store.migrations import upgrade


def migrated(url: str) -> str:
    """``url`` with the schema migrated to head."""
    engine = make_engine(url)
    try:
        upgrade(engine)
    finally:
        engine.dispose()
    return url


def make_tracker(
    url: str,
    *,
    fetch: dict[str, object] | None = None,
    service: dict[str, object] | None = None,
    config_dir: Path | None = None,
    articles: dict[str, object] | None = None,
    **kwargs: object,
) -> Tracker:
    settings = load_settings(
        config_dir=config_dir or shipped_config_dir(),
        environ={},
        overrides={
            "database": {"url": url},
            "fetch": fetch or {},
            "service": service or {},
            "articles": articles or {},
        },
    )
    return bootstrap(settings=settings, **kwargs)  # type: ignore[arg-type]


def article(text: str, title: str, published: datetime, **fields: Any) -> DocumentIngested:
    """A document as extraction sees it, with an identity of its own."""
    return DocumentIngested(
        doc_id="d",
        identity=f"test:{title}:{text}",
        source=fields.pop("source", "file"),
        title=title,
        content=text,
        content_hash=content_hash(title, text),
        published_at=published,
        **fields,
    )
