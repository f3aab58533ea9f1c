"""Read results as text: stories, answers, state, history, replay, events, statements,
corrections, and the log's administration."""

from __future__ import annotations

import json
from typing import Any


def schema_status(payload: dict[str, Any]) -> str:
    state = "up to date"
    if not payload["up_to_date"]:
        state = (
            "behind; migrated on its next use by any command (or `tracker db upgrade`)"
            if payload["migrates_itself"]
            else "behind; run `tracker db upgrade`"
        )
    return (
        f"database {payload['database']}\n"
        f"schema {payload['current'] or '(none)'}, head {payload['head']}: {state}"
    )


def projection_status(rows: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"{r['name']:<12} position {r['position']} (behind {r['behind']})"
        + (f" STOPPED: {r['error']}" if r["error"] else "")
        for r in rows
    )


def rebuilt(counts: dict[str, int]) -> str:
    return "rebuilt: " + ", ".join(f"{k} ({v} events)" for k, v in counts.items())


def caught_up(counts: dict[str, int]) -> str:
    return "caught up: " + ", ".join(f"{k} ({v} events)" for k, v in counts.items())


def stories(rows: list[dict[str, Any]]) -> str:
    lines = []
    for story in rows:
        held = "" if story["in_database"] else " (not in this database yet)"
        lines.append(f"{story['id']}: {story['title']} ({len(story['questions'])} questions){held}")
        for q in story["questions"]:
            since = f" since {q['since'][:10]}" if q["since"] else ""
            lines.append(f"  {q['id']:<28} {q['answer_text'].upper()}{since}")
    return "\n".join(lines)


def story_added(v: dict[str, Any]) -> str:
    return (
        f"story {v['story']} started from {v['source']}: {v['facts']} facts, "
        f"{v['statements']} statements; questions go in {v['config']} "
        f"(tracker questions add --story {v['story']} ...)"
    )


def question_added(v: dict[str, Any]) -> str:
    return f"question {v['question']} added to story {v['story']} in {v['config']}" + (
        f" (with an {v['rule']} rule)" if v["rule"] else ""
    )


def seeded(result: dict[str, Any]) -> str:
    if result["appended"] == 0:
        return (
            f"already seeded: nothing appended ({result['already_stored']} events "
            f"of {result['stream']} are in the log)"
        )
    return (
        f"seeded {result['stream']}: {result['appended']} events appended "
        f"({result['facts']} facts, {result['statements']} statements, 1 document)"
    )


def ingested(v: dict[str, Any]) -> str:
    return (
        f"{v['outcome']}: {v['stream']}, {v['appended']} events appended, "
        f"{v['statements']} statements" + "".join(f"\n  fact {f}" for f in v["facts"])
    )


def _yes_no(view: dict[str, Any]) -> str:
    since = f" since {view['since'][:10]}" if view["since"] else ""
    return f"{view['answer_text'].upper()}{since}"


def _source_line(source: dict[str, Any] | None, indent: str) -> list[str]:
    """Where a claim comes from, on one line: headline, feed, publication day and link."""
    if not source:
        return []
    where = ", ".join(filter(None, (source.get("feed"), (source.get("published_at") or "")[:10])))
    words = [f'"{source["title"]}"' if source.get("title") else None]
    words += [f"({where})" if where else None, source.get("url")]
    return [indent + "source: " + " ".join(w for w in words if w)]


def answer(view: dict[str, Any]) -> str:
    lines = [
        f"{view['question']}: {view['text']}",
        f"  answer: {_yes_no(view)}",
        f"  at {view['at']}, as known at {view['known_at']}",
    ]
    for item in view["evidence"]:
        lines.append(
            f"  evidence: {item['key']} = {json.dumps(item['value'])} "
            f"(valid from {item['valid_from'][:10]}, {item['modality']}, "
            f"{item['producer']})"
        )
        if item["quote"]:
            lines.append(f'    "{item["quote"]}"')
        elif item.get("sentence"):
            lines.append(f"    sentence: {item['sentence']}")
        lines += _source_line(item.get("source"), "    ")
    return "\n".join(lines)


def state(view: dict[str, Any]) -> str:
    lines = [f"state at {view['at']}, as known at {view['known_at']}", "", "questions:"]
    for item in view["answers"]:
        lines.append(f"  {item['question']:<28} {_yes_no(item)}")
        for evidence in item["evidence"][:1]:
            lines += _source_line(evidence.get("source"), " " * 31)
    lines += ["", f"facts ({len(view['facts'])}):"]
    for fact in view["facts"]:
        condition = f" [if {fact['condition']}]" if fact["condition"] else ""
        lines.append(
            f"  {fact['key']} = {json.dumps(fact['value'])}"
            f" ({fact['modality']}, from {fact['valid_from'][:10]}){condition}"
        )
    return "\n".join(lines)


def history(view: dict[str, Any]) -> str:
    lines = [f"history of {view['subject']} ({', '.join(view['keys'])})"]
    for change in view["changes"]:
        answer = ""
        if "answer_after" in change:
            words = {True: "yes", False: "no", None: "unknown"}
            answer = f"  -> answer {words[change['answer_after']]}"
        lines.append(
            f"  #{change['position']} recorded {change['recorded_at'][:19]} {change['kind']} "
            f"{change['key']} = {json.dumps(change['value'])} valid from "
            f"{change['valid_from'][:10]} ({change['producer']}){answer}"
        )
        if change.get("reason"):
            by = f" by {change['by']}" if change.get("by") else ""
            lines.append(f"      {change['kind']}{by}: {change['reason']}")
        if change["kind"] == "retracted":
            continue  # the assertion's words are on its own line above
        if change.get("quote"):
            lines.append(f'      "{change["quote"]}"')
        elif change.get("sentence"):
            lines.append(f"      sentence: {change['sentence']}")
        lines += _source_line(change.get("source"), "      ")
    return "\n".join(lines)


def replay(steps: list[dict[str, Any]]) -> str:
    lines = []
    for step in steps:
        lines.append(
            f"#{step['position']} {step['recorded_at'][:19]} {step['type']}: {step['summary']}"
        )
        for change in step["changes"]:
            what = change.get("question") or change.get("fact")
            kind = "answer" if "question" in change else "fact"
            lines.append(
                f"    {kind} {what}: {json.dumps(change['before'])} -> "
                f"{json.dumps(change['after'])}"
            )
    return "\n".join(lines)


def events(found: list[dict[str, Any]]) -> str:
    lines = []
    for e in found:
        key = e["data"].get("key") or e["data"].get("statement_key") or e["data"].get("title")
        lines.append(
            f"#{e['position']} {e['stream']} v{e['version']} {e['type']} "
            f"(occurred {e['occurred_at'][:10]}): {key}"
        )
    return "\n".join(lines)


def statements(found: list[dict[str, Any]], by: str | None) -> str:
    lines = [] if found else ["no statements" + (f" by {by}" if by else "")]
    for item in found:
        words = (
            f'"{item["quote"]}"' if item["mode"] == "direct" and item["quote"] else item["content"]
        )
        side = f", {item['side']}" if item.get("side") else ""
        lines.append(
            f"{item['said_at'][:10]} {item['speaker_name']} ({item['speaker']}{side}) "
            f"{item['verb']}: {words}"
        )
        lines += _source_line(item.get("source"), "    ")
    return "\n".join(lines)


def correction(view: dict[str, Any]) -> str:
    if view["correction"] == "retracted":
        lines = [
            f"retracted {view['assertion_id']}: {view['key']} = {json.dumps(view['value'])} "
            f"(valid from {view['valid_from'][:10]})"
        ]
    else:
        lines = [
            f"asserted {view['key']} = {json.dumps(view['value'])} "
            f"valid from {view['valid_from'][:19]}: {view['event_id']}"
        ]
    lines.append(
        f"  #{view['position']} in {view['stream']}, recorded {view['recorded_at'][:19]}, "
        f"by {view['by']}: {view['reason']}"
    )
    for change in view["answers"]:
        moved = (
            f"{change['before_text']} -> {change['after_text']}"
            if change["before"] is not change["after"]
            else f"still {change['after_text']}"
        )
        lines.append(f"  answer {change['question']}: {moved}")
    if not view["answers"]:
        lines.append("  no question asks about this key")
    return "\n".join(lines)
