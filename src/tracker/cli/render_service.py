"""Feeds, polls, alerts and the service's processes, as text."""

from __future__ import annotations

from typing import Any


def feeds(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return "no feeds; add one with `tracker feeds add URL`"
    lines = []
    for f in rows:
        health = (
            "GONE (410), not polled"
            if f["state"] == "gone"
            else (f"failing x{f['consecutive_failures']}" if f["consecutive_failures"] else "ok")
        )
        lines.append(f"{f['name']}  {f['url']}")
        if f["added_url"] != f["url"]:
            lines.append(f"    moved permanently from {f['added_url']}")
        lines.append(
            f"    every {f['every_seconds']}s ({f['origin']}), {health}, "
            f"last success {f['last_success_at'] or 'never'}, "
            f"next due {f['next_due_at'] or '-'}"
        )
        if f["last_error"]:
            lines.append(f"    last error ({f['last_error_at']}): {f['last_error']}")
        if f["tags"] or f["full_text"]:
            options = [f"tags: {', '.join(f['tags'])}"] if f["tags"] else []
            options += ["reads linked articles (full text)"] if f["full_text"] else []
            lines.append("    " + "; ".join(options))
    return "\n".join(lines)


def feed_added(f: dict[str, Any]) -> str:
    return f"following {f['name']} ({f['url']}), every {f['every_seconds']}s"


def feed_removed(f: dict[str, Any]) -> str:
    return f"removed {f['name']} ({f['url']})"


def opml_import(view: dict[str, Any]) -> str:
    lines = [
        f"{view['file']}: {len(view['added'])} added, "
        f"{len(view['already_present'])} already present, {len(view['refused'])} refused"
    ]
    for f in view["added"]:
        tags = f" [{', '.join(f['tags'])}]" if f["tags"] else ""
        lines.append(f"  added {f['name']} ({f['url']}){tags}")
    for f in view["already_present"]:
        lines.append(f"  already present: {f['url']} (feed {f['feed']})")
    for f in view["refused"]:
        lines.append(f"  refused {f['name'] or '(unnamed)'} ({f['url']}): {f['reason']}")
    return "\n".join(lines)


def polls(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return "no feeds to poll"
    lines = []
    for r in rows:
        status = f" HTTP {r['status']}" if r["status"] else ""
        detail = f": {r['error']}" if r["error"] else ""
        lines.append(
            f"{r['feed']}: {r['outcome']}{status}, {r['entries']} entries, "
            f"{r['new']} new, {r['revised']} revised{detail}"
        )
        if r.get("articles"):
            read = r["articles"]
            lines.append(f"    articles: {read['read']} read, {read['not_read']} not read")
        if r["moved_to"]:
            lines.append(f"    moved permanently to {r['moved_to']}; polled there from now on")
        if r["warning"]:
            lines.append(f"    warning: {r['warning']}")
    return "\n".join(lines)


def alerts(view: dict[str, Any]) -> str:
    if not view["channels"]:
        lines = ["no alert channels; declare them in alerts.toml in the config directory"]
    else:
        lines = ["channels:"]
    for c in view["channels"]:
        health = f"failing x{c['failing']}" if c["failing"] else "ok"
        lines.append(f"  {c['name']} ({c['kind']}) {c['target']}")
        lines.append(
            f"    {health}, {c['sent']} sent, {c['pending']} pending, "
            f"last sent {c['last_sent_at'] or 'never'}"
            + (f", next attempt {c['next_attempt_at']}" if c["pending"] else "")
        )
        if c["last_error"]:
            lines.append(f"    last error ({c['last_error_at']}): {c['last_error']}")
    if view["alerts"]:
        lines.append("latest alerts:")
    words = {True: "yes", False: "no", None: "unknown"}
    for a in view["alerts"]:
        lines.append(
            f"  #{a['position']} {a['question']}: {words[a['before']]} -> {words[a['after']]}"
        )
        for d in a["deliveries"]:
            lines.append(
                f"    {d['channel']}: {d['state']} after {d['attempts']} attempts"
                + (f" ({d['last_error']})" if d["state"] == "pending" and d["last_error"] else "")
            )
    return "\n".join(lines)


def alert_test(v: dict[str, Any]) -> str:
    if v["ok"]:
        return f"test message sent through {v['channel']} ({v['kind']})"
    return f"test message through {v['channel']} failed: {v['error']}"


def service_status(view: dict[str, Any]) -> str:
    lines = [f"database {view['database']}", f"service: {view['state']}"]
    if view["processes"]:
        lines.append("processes:")
    for p in view["processes"]:
        lead = f", leader since {p['leader_since'][:19]}" if p["leader"] else ""
        lines.append(
            f"  {p['state']}: pid {p['pid']} on {p['host']} (run {p['run']}), started "
            f"{p['since'][:19]}, last heartbeat {p['heartbeat_at'][:19]}, "
            f"{p['feeds_claimed']} feeds claimed{lead}"
        )
    if "since" in view and view["stopped_at"]:
        lines.append(
            f"last run: pid {view['pid']} on {view['host']}, started {view['since'][:19]}, "
            f"stopped {view['stopped_at'][:19]} ({view['stop_reason']})"
        )
    if view["recent_polls"]:
        lines.append("recent polls:")
    for p in view["recent_polls"]:
        detail = f": {p['error']}" if p["error"] else ""
        lines.append(
            f"  {p['started_at'][:19]} {p['feed']}: {p['outcome']}, {p['new']} new, "
            f"{p['revised']} revised{detail}"
        )
    return "\n".join(lines)
