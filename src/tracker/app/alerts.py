"""Use cases of alerts: deliver what the outbox holds, show each channel's state, test one."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from tracker.app.base import Tracker, _log
from tracker.errors import NotFoundError
from tracker.notify.channels import Outcome, send
from tracker.notify.config import AlertChannel
from tracker.store.alerts import Due


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def deliver_alerts(tracker: Tracker, *, limit: int = 50) -> dict[str, int]:
    """Send the pending alerts whose time has come; a failure waits, doubling each time.

    A delivery is marked sent right after its channel accepted it. Alerts carry a stable
    id (the webhook's X-Tracker-Alert-Id, the mail's Message-ID) so that a receiver can
    recognise the one copy a crash between those two steps could repeat.
    """
    channels = {c.name: c for c in tracker.alert_channels}
    counts = {"sent": 0, "failed": 0}
    for due in tracker.alerts.due(tracker.clock(), limit):
        channel = channels.get(due.channel)
        outcome = (
            Outcome(False, "channel no longer in alerts.toml")
            if channel is None
            else send(
                channel,
                due.payload,
                fetcher=tracker.fetcher,
                settings=tracker.settings.fetch,
                environ=tracker.environ,
            )
        )
        now = tracker.clock()
        if outcome.ok:
            tracker.alerts.sent(due.alert_id, due.channel, now)
            counts["sent"] += 1
            _log.info(
                "alert-sent",
                extra={"fields": {"alert": due.alert_id, "channel": due.channel}},
            )
            continue
        _retry_later(tracker, due, outcome, now)
        counts["failed"] += 1
    return counts


def _retry_later(tracker: Tracker, due: Due, outcome: Outcome, now: datetime) -> None:
    """Record a failed delivery and when to try again: the retry interval doubled per
    attempt, up to the cap, and never sooner than the channel's Retry-After."""
    service = tracker.settings.service
    cap = service.alert_max_backoff_seconds
    wait = min(cap, service.alert_retry_seconds * 2 ** min(due.attempts, 30))
    if outcome.retry_after is not None:
        wait = max(wait, min(outcome.retry_after, cap))
    error = outcome.error or "failed"
    tracker.alerts.failed(due.alert_id, due.channel, now, error, now + timedelta(seconds=wait))
    _log.warning(
        "alert-failed",
        extra={
            "fields": {
                "alert": due.alert_id,
                "channel": due.channel,
                "attempt": due.attempts + 1,
                "error": error,
                "retry_in": wait,
            }
        },
    )


def _hidden(channel: AlertChannel | None, error: str | None) -> str | None:
    # Errors stored before secrets were hidden when sending are hidden when shown.
    return channel.hide_secrets(error) if channel and error else error


def _channel_view(channel: AlertChannel, state: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": channel.name,
        "kind": channel.kind,
        "target": channel.target(),
        "stories": list(channel.stories),
        "questions": list(channel.questions),
        "since_position": state.get("since_position"),
        "pending": state.get("pending", 0),
        "sent": state.get("sent", 0),
        "failing": state.get("failing", 0),
        "last_sent_at": _iso(state.get("last_sent_at")),
        "next_attempt_at": _iso(state.get("next_attempt_at")),
        "last_error": _hidden(channel, state.get("last_error")),
        "last_error_at": _iso(state.get("last_error_at")),
    }


def list_alerts(tracker: Tracker, *, limit: int = 20) -> dict[str, Any]:
    """Each channel with its deliveries' state, and the latest alerts with theirs."""
    states = tracker.alerts.channel_states()
    channels = {c.name: c for c in tracker.alert_channels}
    recent = []
    for item in tracker.alerts.recent(limit):
        payload = item["payload"]
        recent.append(
            {
                "alert_id": payload["alert_id"],
                "position": payload["position"],
                "question": payload["question"]["id"],
                "before": payload["before"],
                "after": payload["after"],
                "since": payload["since"],
                "recorded_at": payload["recorded_at"],
                "deliveries": [
                    {
                        "channel": d["channel"],
                        "state": d["state"],
                        "attempts": d["attempts"],
                        "next_attempt_at": _iso(d["next_attempt_at"])
                        if d["state"] == "pending"
                        else None,
                        "last_error": _hidden(channels.get(d["channel"]), d["last_error"]),
                        "sent_at": _iso(d["sent_at"]),
                    }
                    for d in item["deliveries"]
                ],
            }
        )
    return {
        "channels": [_channel_view(c, states.get(c.name, {})) for c in tracker.alert_channels],
        "alerts": recent,
    }


def send_test_alert(tracker: Tracker, name: str) -> dict[str, Any]:
    """Send a test message through one channel now, outside the outbox."""
    channel = next((c for c in tracker.alert_channels if c.name == name), None)
    if channel is None:
        known = ", ".join(c.name for c in tracker.alert_channels) or "none (no alerts.toml)"
        raise NotFoundError(f"unknown alert channel {name!r}; known: {known}")
    payload = {"type": "test", "channel": name, "sent_at": tracker.clock().isoformat()}
    outcome = send(
        channel,
        payload,
        fetcher=tracker.fetcher,
        settings=tracker.settings.fetch,
        environ=tracker.environ,
    )
    return {"channel": name, "kind": channel.kind, "ok": outcome.ok, "error": outcome.error}
