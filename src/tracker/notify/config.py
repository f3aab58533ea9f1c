"""alerts.toml: the channels answer changes are sent to, checked when read.

Secrets are never in the file: a channel names the environment variables that hold
them (``secret_env``, ``token_env``, ``username_env``, ``password_env``), read when a
message is sent, and never shown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from tracker.config import read_toml
from tracker.errors import ConfigError
from tracker.ingest.urls import check_feed_url, redact_url

ALERTS_FILE = "alerts.toml"
KINDS = ("webhook", "ntfy", "email")
_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,99}$")
_ENV = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,199}$")
_ADDRESS = re.compile(r"^[^\s@<>,;\"]+@[^\s@<>,;\"]+$")
_KEYS = {
    "webhook": {"url", "secret_env"},
    "ntfy": {"url", "token_env", "priority"},
    "email": {"host", "port", "sender", "to", "username_env", "password_env", "ca_file"},
}


@dataclass(frozen=True)
class AlertChannel:
    name: str
    kind: str  # webhook | ntfy | email
    stories: tuple[str, ...] = ()  # empty: every story
    questions: tuple[str, ...] = ()  # empty: every question
    url: str | None = None
    secret_env: str | None = None
    token_env: str | None = None
    priority: int | None = None
    host: str | None = None
    port: int = 587
    sender: str | None = None
    to: tuple[str, ...] = ()
    username_env: str | None = None
    password_env: str | None = None
    ca_file: str | None = None

    def wants(self, story: str, question: str) -> bool:
        return (not self.stories or story in self.stories) and (
            not self.questions or question in self.questions
        )

    def target(self) -> str:
        """Where it sends, fit to show: a token in the URL's query (or user info) hidden."""
        if self.kind == "email":
            return f"smtp://{self.host}:{self.port} to {', '.join(self.to)}"
        return redact_url(self.url, query=True) if self.url else ""

    def hide_secrets(self, text: str) -> str:
        """``text`` (an error from sending) with this channel's URL and its query values
        shown as ``target`` shows them."""
        if not self.url:
            return text
        text = text.replace(self.url, redact_url(self.url, query=True))
        parts = urlsplit(self.url)
        secrets = [pair.split("=", 1)[1] for pair in parts.query.split("&") if "=" in pair]
        secrets.append(parts.netloc.rsplit("@", 1)[0] if "@" in parts.netloc else "")
        for secret in sorted(secrets, key=len, reverse=True):
            if len(secret) >= 4:
                text = text.replace(secret, "***").replace(unquote(secret), "***")
        return text


def load_alert_channels(config_dir: Path) -> tuple[AlertChannel, ...]:
    """The channels of ``alerts.toml`` in the config directory (none when it is absent)."""
    path = config_dir / ALERTS_FILE
    if not path.is_file():
        return ()
    document = read_toml(path)
    unknown = set(document) - {"channels"}
    if unknown:
        raise ConfigError(f"{path}: unknown key {sorted(unknown)[0]!r}; expected [[channels]]")
    raw_channels = document.get("channels", [])
    if not isinstance(raw_channels, list):
        raise ConfigError(f"{path}: channels: expected an array of tables")
    channels = [_channel(path, i, raw) for i, raw in enumerate(raw_channels)]
    names = [c.name for c in channels]
    for name in names:
        if names.count(name) > 1:
            raise ConfigError(f"{path}: channel name {name!r} is used twice")
    return tuple(channels)


def _channel(path: Path, index: int, raw: object) -> AlertChannel:
    where = f"{path}: channels[{index}]"
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: expected a table")
    name, kind = raw.get("name"), raw.get("kind")
    if not isinstance(name, str) or not _NAME.match(name):
        raise ConfigError(
            f"{where}.name: expected lower-case letters, digits, - _ . (got {name!r})"
        )
    if kind not in KINDS:
        raise ConfigError(f"{where}.kind: expected one of {', '.join(KINDS)}, got {kind!r}")
    allowed = _KEYS[kind] | {"name", "kind", "stories", "questions"}
    for key in raw:
        if key not in allowed:
            raise ConfigError(f"{where}: unknown key {key!r} for a {kind} channel")
    values: dict[str, Any] = {"name": name, "kind": kind}
    for key in ("stories", "questions", "to"):
        if key in raw:
            values[key] = _strings(f"{where}.{key}", raw[key])
    for key in ("secret_env", "token_env", "username_env", "password_env"):
        if key in raw:
            value = raw[key]
            if not isinstance(value, str) or not _ENV.match(value):
                raise ConfigError(
                    f"{where}.{key}: expected the name of an environment variable, not its value"
                )
            values[key] = value
    if kind in ("webhook", "ntfy"):
        url = raw.get("url")
        problem = check_feed_url(url, what="alert") if isinstance(url, str) else "expected a URL"
        if problem:
            raise ConfigError(f"{where}.url: {problem}")
        values["url"] = url
    if kind == "webhook" and "secret_env" not in values:
        raise ConfigError(f"{where}.secret_env: a webhook is signed; name the variable")
    if kind == "ntfy" and "priority" in raw:
        priority = raw["priority"]
        if not isinstance(priority, int) or isinstance(priority, bool) or not 1 <= priority <= 5:
            raise ConfigError(f"{where}.priority: expected 1 to 5, got {priority!r}")
        values["priority"] = priority
    if kind == "email":
        _email(where, raw, values)
    return AlertChannel(**values)


def _email(where: str, raw: dict[str, Any], values: dict[str, Any]) -> None:
    host = raw.get("host")
    if not isinstance(host, str) or not host.strip() or any(c.isspace() for c in host):
        raise ConfigError(f"{where}.host: expected a host name, got {host!r}")
    port = raw.get("port", 587)
    if not isinstance(port, int) or isinstance(port, bool) or not 1 <= port <= 65535:
        raise ConfigError(f"{where}.port: expected 1 to 65535, got {port!r}")
    sender = raw.get("sender")
    if not isinstance(sender, str) or not _ADDRESS.match(sender):
        raise ConfigError(f"{where}.sender: expected an address, got {sender!r}")
    to = values.get("to", ())
    if not to or not all(_ADDRESS.match(a) for a in to):
        raise ConfigError(f"{where}.to: expected one or more addresses")
    if ("username_env" in values) != ("password_env" in values):
        raise ConfigError(f"{where}: username_env and password_env go together")
    if "ca_file" in raw:
        if not isinstance(raw["ca_file"], str) or not Path(raw["ca_file"]).is_file():
            raise ConfigError(f"{where}.ca_file: not a file: {raw['ca_file']!r}")
        values["ca_file"] = raw["ca_file"]
    values.update(host=host, port=port, sender=sender)


def _strings(where: str, raw: object) -> tuple[str, ...]:
    if not isinstance(raw, list) or not all(isinstance(i, str) and i.strip() for i in raw):
        raise ConfigError(f"{where}: expected a list of non-empty strings")
    return tuple(raw)
