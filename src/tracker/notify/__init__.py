"""Alert channels: what alerts.toml declares, and sending to a webhook, an ntfy topic or SMTP."""
