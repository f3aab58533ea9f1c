"""Alert deliveries: which channel has sent which alert, and when to try again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from tracker.errors import StorageError
from tracker.store.engine import translated, write_transaction
from tracker.store.schema import alert_channels, alert_deliveries, alerts


@dataclass(frozen=True)
class Due:
    alert_id: str
    channel: str
    attempts: int
    payload: dict[str, Any]


class AlertStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def _read(self, query: Any) -> list[Any]:
        with translated(self.engine, "cannot read alerts"), self.engine.connect() as conn:
            return list(conn.execute(query))

    def due(self, now: datetime, limit: int = 50) -> list[Due]:
        """Pending deliveries whose time has come, oldest change first."""
        d, a = alert_deliveries.c, alerts.c
        rows = self._read(
            sa.select(d.alert_id, d.channel, d.attempts, a.payload)
            .join(alerts, alerts.c.alert_id == d.alert_id)
            .where(d.state == "pending", d.next_attempt_at <= now)
            .order_by(d.position, d.channel)
            .limit(limit)
        )
        return [Due(r.alert_id, r.channel, r.attempts, r.payload) for r in rows]

    def sent(self, alert_id: str, channel: str, now: datetime) -> None:
        self._update(
            alert_id,
            channel,
            state="sent",
            sent_at=now,
            last_attempt_at=now,
            attempts=alert_deliveries.c.attempts + 1,
        )

    def failed(
        self, alert_id: str, channel: str, now: datetime, error: str, retry_at: datetime
    ) -> None:
        self._update(
            alert_id,
            channel,
            last_attempt_at=now,
            last_error=error[:1000],
            next_attempt_at=retry_at,
            attempts=alert_deliveries.c.attempts + 1,
        )

    def _update(self, alert_id: str, channel: str, **values: Any) -> None:
        d = alert_deliveries.c
        try:
            with write_transaction(self.engine) as conn:
                conn.execute(
                    sa.update(alert_deliveries)
                    .where(d.alert_id == alert_id, d.channel == channel)
                    .values(**values)
                )
        except StorageError as exc:
            raise StorageError(f"cannot record an alert delivery: {exc}") from None

    def channel_states(self) -> dict[str, dict[str, Any]]:
        """Per channel: since which position it has alerts, and its deliveries' state."""
        d = alert_deliveries.c
        failing = sa.and_(d.state == "pending", d.attempts > 0)
        counts = self._read(
            sa.select(
                d.channel,
                sa.func.sum(sa.case((d.state == "pending", 1), else_=0)).label("pending"),
                sa.func.sum(sa.case((d.state == "sent", 1), else_=0)).label("sent"),
                sa.func.sum(sa.case((failing, 1), else_=0)).label("failing"),
                sa.func.max(d.sent_at).label("last_sent_at"),
                sa.func.min(sa.case((d.state == "pending", d.next_attempt_at))).label("next"),
            ).group_by(d.channel)
        )
        errors = self._read(
            sa.select(d.channel, d.last_error, d.last_attempt_at)
            .where(failing)
            .order_by(d.last_attempt_at)
        )
        starts = self._read(sa.select(alert_channels.c.name, alert_channels.c.since_position))
        found: dict[str, dict[str, Any]] = {
            name: {"since_position": since} for name, since in starts
        }
        for row in counts:
            found.setdefault(row.channel, {}).update(
                pending=int(row.pending or 0),
                sent=int(row.sent or 0),
                failing=int(row.failing or 0),
                last_sent_at=row.last_sent_at,
                next_attempt_at=row.next,
            )
        for row in errors:
            found.setdefault(row.channel, {}).update(
                last_error=row.last_error, last_error_at=row.last_attempt_at
            )
        return found

    def recent(self, limit: int) -> list[dict[str, Any]]:
        """The latest alerts, newest first, with each channel's delivery."""
        a, d = alerts.c, alert_deliveries.c
        rows = self._read(sa.select(a.alert_id, a.payload).order_by(a.position.desc()).limit(limit))
        out = []
        for alert_id, payload in rows:
            deliveries = self._read(
                sa.select(
                    d.channel, d.state, d.attempts, d.next_attempt_at, d.last_error, d.sent_at
                )
                .where(d.alert_id == alert_id)
                .order_by(d.channel)
            )
            out.append({"payload": payload, "deliveries": [dict(r._mapping) for r in deliveries]})
        return out
