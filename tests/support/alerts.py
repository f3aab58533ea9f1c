"""Alert channels pointed at the peers in support.alertpeers, and the service's settings."""

from __future__ import annotations

from pathlib import Path

from support.alertpeers import MAIL_PASSWORD, MAIL_USER, Receiver, SmtpServer

SECRET = "hook-secret-5c2e"
TOKEN = "ntfy-token-77aa"
ENV = {
    "TRACKER_FETCH_ALLOW_PRIVATE_NETWORKS": "1",
    "TRACKER_SERVICE_CATCH_UP_SECONDS": "1",
    "TRACKER_SERVICE_RECONCILE_SECONDS": "1",
    "TRACKER_SERVICE_ALERTS_SECONDS": "1",
    "TRACKER_SERVICE_ALERT_RETRY_SECONDS": "1",
    "TRACKER_EXTRACT_ENABLED": "0",
    "ALERT_HOOK_SECRET": SECRET,
    "ALERT_NTFY_TOKEN": TOKEN,
    "ALERT_MAIL_USER": MAIL_USER,
    "ALERT_MAIL_PASSWORD": MAIL_PASSWORD,
}
SECRETS = (SECRET, TOKEN, MAIL_PASSWORD)
KREMLIN = (
    "Kremlin spokesman Dmitry Peskov said on Wednesday that the security guarantees agreed "
    "at the Paris meeting were unacceptable to Moscow."
)


def config(directory: Path, receiver: Receiver, smtp: SmtpServer | None = None) -> Path:
    directory.mkdir(exist_ok=True)
    text = f"""
[[channels]]
name = "hook"
kind = "webhook"
url = "{receiver.url("/hook")}"
secret_env = "ALERT_HOOK_SECRET"
questions = ["moscow-commented"]

[[channels]]
name = "phone"
kind = "ntfy"
url = "{receiver.url("/topic")}"
token_env = "ALERT_NTFY_TOKEN"
stories = ["paris-summit-2026"]
"""
    if smtp is not None:
        text += f"""
[[channels]]
name = "mail"
kind = "email"
host = "127.0.0.1"
port = {smtp.port}
sender = "tracker@example.org"
to = ["desk@example.org"]
username_env = "ALERT_MAIL_USER"
password_env = "ALERT_MAIL_PASSWORD"
ca_file = "{smtp.ca_file}"
"""
    (directory / "alerts.toml").write_text(text)
    return directory
