"""Sending one alert to one channel: a signed webhook, an ntfy topic, or mail over SMTP.

HTTP goes through the feed fetcher (timeouts, one deadline, the address check on the
connected socket, private addresses only when ``fetch.allow_private_networks`` says
so). SMTP is checked the same way before a word is sent, and STARTTLS is required
before credentials or the message. Nothing here raises on a failed send: it returns
why, and the caller retries later.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

import certifi
import orjson

from tracker.config import FetchSettings
from tracker.ingest.addresses import is_public_address
from tracker.ingest.fetch import Fetcher
from tracker.notify.config import AlertChannel

SIGNATURE_HEADER = "X-Tracker-Signature"
ALERT_ID_HEADER = "X-Tracker-Alert-Id"


@dataclass(frozen=True)
class Outcome:
    ok: bool
    error: str | None = None
    retry_after: float | None = None


def signature(secret: str, body: bytes) -> str:
    """The webhook signature header's value: HMAC-SHA256 of the exact body sent."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def summary(payload: Mapping[str, Any]) -> tuple[str, str]:
    """A title and a plain-text body for people (ntfy and mail)."""
    if payload.get("type") == "test":
        return "tracker: test message", f"A test message for channel {payload['channel']}."
    question = payload["question"]
    since = (payload.get("since") or "")[:10]
    title = f"{question['text']} {payload['before_text']} -> {payload['after_text'].upper()}"
    lines = [
        f"{question['text']}",
        f"Answer: {payload['before_text']} -> {payload['after_text']}"
        + (f" (since {since})" if since else ""),
        f"Story: {payload['story']['title']}",
    ]
    for item in payload.get("evidence", []):
        words = item.get("sentence") or item.get("quote") or item.get("text")
        if words:
            lines.append(f"Evidence: {words}")
        source = item.get("source") or {}
        if source.get("title") or source.get("url"):
            lines.append(
                "Source: " + " ".join(filter(None, (source.get("title"), source.get("url"))))
            )
    return title, "\n".join(lines)


def send(
    channel: AlertChannel,
    payload: Mapping[str, Any],
    *,
    fetcher: Fetcher,
    settings: FetchSettings,
    environ: Mapping[str, str],
) -> Outcome:
    """Send ``payload`` (an alert's JSON, or a test message) to ``channel``."""
    try:
        if channel.kind == "webhook":
            outcome = _webhook(channel, payload, fetcher, environ)
        elif channel.kind == "ntfy":
            outcome = _ntfy(channel, payload, fetcher, environ)
        else:
            outcome = _email(channel, payload, settings, environ)
    except _MissingSecret as exc:
        return Outcome(False, str(exc))
    if outcome.error is None:
        return outcome
    # What is stored, logged and printed carries no token from the channel's URL.
    return Outcome(outcome.ok, channel.hide_secrets(outcome.error), outcome.retry_after)


class _MissingSecret(Exception):
    pass


def _secret(environ: Mapping[str, str], name: str) -> str:
    value = environ.get(name)
    if not value:
        raise _MissingSecret(f"environment variable {name} is not set")
    return value


def _http(result: Any) -> Outcome:
    if result.kind == "ok":
        return Outcome(True)
    return Outcome(False, result.error, result.retry_after)


def _webhook(
    channel: AlertChannel, payload: Mapping[str, Any], fetcher: Fetcher, environ: Mapping[str, str]
) -> Outcome:
    assert channel.url is not None and channel.secret_env is not None
    body = orjson.dumps(dict(payload))
    headers = {
        "Content-Type": "application/json",
        SIGNATURE_HEADER: signature(_secret(environ, channel.secret_env), body),
        ALERT_ID_HEADER: str(payload.get("alert_id", "test")),
    }
    return _http(fetcher.post(channel.url, body, headers))


def _ntfy(
    channel: AlertChannel, payload: Mapping[str, Any], fetcher: Fetcher, environ: Mapping[str, str]
) -> Outcome:
    assert channel.url is not None
    title, text = summary(payload)
    tags = ["tracker", str(payload.get("after_text") or payload.get("type") or "alert")]
    headers = {
        "Title": _header(title),
        "Tags": _header(",".join(tags)),
        ALERT_ID_HEADER: str(payload.get("alert_id", "test")),
    }
    if channel.priority is not None:
        headers["Priority"] = str(channel.priority)
    if channel.token_env:
        headers["Authorization"] = "Bearer " + _secret(environ, channel.token_env)
    return _http(fetcher.post(channel.url, text.encode(), headers))


def _header(text: str) -> str:
    """One header line: no CR/LF, and non-ASCII text as an RFC 2047 encoded word."""
    flat = " ".join(text.split())[:250]
    if flat.isascii():
        return flat
    return "=?utf-8?b?" + base64.b64encode(flat.encode()).decode() + "?="


def _email(
    channel: AlertChannel,
    payload: Mapping[str, Any],
    settings: FetchSettings,
    environ: Mapping[str, str],
) -> Outcome:
    assert channel.host is not None and channel.sender is not None
    username = _secret(environ, channel.username_env) if channel.username_env else None
    password = _secret(environ, channel.password_env) if channel.password_env else None
    title, text = summary(payload)
    message = EmailMessage()
    message["Subject"] = " ".join(title.split())
    message["From"] = channel.sender
    message["To"] = ", ".join(channel.to)
    # The same alert always has the same id: a second copy is recognisably one.
    message["Message-ID"] = f"<{payload.get('alert_id', 'test')}@tracker.invalid>"
    message.set_content(text)
    context = ssl.create_default_context(cafile=channel.ca_file or certifi.where())
    try:
        # Connecting reads the greeting and sends nothing; the peer is checked before EHLO.
        with smtplib.SMTP(channel.host, channel.port, timeout=settings.read_timeout) as smtp:
            peer = str(smtp.sock.getpeername()[0]) if smtp.sock else ""
            if not settings.allow_private_networks and not is_public_address(peer):
                return Outcome(
                    False,
                    f"refused: {channel.host} is a private or local address ({peer}); "
                    "fetch.allow_private_networks allows it",
                )
            smtp.ehlo()
            if not smtp.has_extn("starttls"):
                return Outcome(False, f"{channel.host} does not offer STARTTLS; nothing sent")
            smtp.starttls(context=context)
            smtp.ehlo()
            if username is not None and password is not None:
                smtp.login(username, password)
            smtp.send_message(message)
    except (smtplib.SMTPException, OSError, ValueError) as exc:
        return Outcome(False, f"{type(exc).__name__}: {_first_line(exc)}")
    return Outcome(True)


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0][:300] if lines else type(exc).__name__
