"""The question rules of the stories' files (and of ``extraction.toml``, older layouts):
each ``[[rules]]`` table read, checked and turned into a ``QuestionRule``."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from tracker.errors import ConfigError
from tracker.ingest.config_tables import ConfigTable
from tracker.ingest.rules import KINDS, FactTarget, QuestionRule, Terms


def question_rules(
    documents: list[tuple[Path, dict[str, Any]]], questions: frozenset[str] | None
) -> list[QuestionRule]:
    """Every file's rules in order, each id used once across all of them."""
    rules: list[QuestionRule] = []
    for source, document in documents:
        raw_rules = document.get("rules", [])
        if not isinstance(raw_rules, list):
            raise ConfigError(f"{source}: rules: expected an array of tables")
        since = _since(source, document)
        found = [
            replace(question_rule(source, i, raw, questions), since=since)
            for i, raw in enumerate(raw_rules)
        ]
        seen = {r.id for r in rules}
        for rule in found:
            if rule.id in seen:
                raise ConfigError(f"{source}: rule {rule.id!r}: rule ids must be unique")
            seen.add(rule.id)
        rules += found
    return rules


def _since(source: Path, document: dict[str, Any]) -> date | None:
    """``[story] since``: the day the story began, when its file gives one."""
    story = document.get("story")
    value = story.get("since") if isinstance(story, dict) else None
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ConfigError(f"{source}: story.since: expected a date (YYYY-MM-DD)")


def question_rule(
    path: Path, index: int, raw: Any, questions: frozenset[str] | None
) -> QuestionRule:
    where = f"rules[{index}]."
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: rules[{index}]: expected a table")
    r = ConfigTable(path, raw, where)
    rule_id = r.text("id")
    question = r.text("question")
    kind = r.text("kind", "statement")
    if rule_id is None or question is None:
        raise ConfigError(f"{path}: {where}id and question are required")
    if kind not in KINDS:
        raise ConfigError(f"{path}: {where}kind: expected one of {', '.join(KINDS)}")
    if questions is not None and question not in questions:
        raise ConfigError(f"{path}: {where}question: no question {question!r} in any story")
    facts = _fact_targets(path, where, raw, r)
    ambiguous = {
        str(word).lower(): Terms.of(r.strings_of(f"ambiguous.{word}", near))
        for word, near in r.table_of("ambiguous").items()
    }
    rule = QuestionRule(
        id=rule_id,
        question=question,
        kind=kind,
        facts=tuple(facts),
        side=r.text("side"),
        topics=Terms.of(r.strings("topics")),
        ambiguous=ambiguous,
        actions=tuple(a.lower() for a in r.strings("actions")),
        negative_actions=tuple(a.lower() for a in r.strings("negative_actions")),
        presupposing=tuple(a.lower() for a in r.strings("presupposing")),
        nominals=r.lemmas("nominals"),
        event_nouns=r.lemmas("event_nouns"),
        negative_event_nouns=r.lemmas("negative_event_nouns"),
        objects=Terms.of(r.strings("objects")),
        agent_side=r.text("agent_side"),
        participants=r.groups("participants"),
        place=Terms.of(r.strings("place")),
        context=r.groups("context"),
        excludes=Terms.of(r.strings("excludes")),
        true_when=r.modalities("true_when", ("actual",)),
        false_when=r.modalities("false_when", ("actual",)),
        step_agents=Terms.of(r.strings("step_agents")),
        step_actions=tuple(a.lower() for a in r.strings("step_actions")),
        step_to=Terms.of(r.strings("step_to")),
        located=r.lemmas("located"),
        outside_sides=frozenset(r.strings("outside_sides")),
    )
    if kind == "statement" and (rule.side is None or not rule.topics):
        raise ConfigError(f"{path}: {where}a statement rule needs side and topics")
    if kind == "event" and (not rule.actions or not rule.objects):
        raise ConfigError(f"{path}: {where}an event rule needs actions and objects")
    return rule


def _fact_targets(path: Path, where: str, raw: Any, r: ConfigTable) -> list[FactTarget]:
    """The fact keys a rule asserts: ``fact``, then each ``[[facts]]``; at least one."""
    facts: list[FactTarget] = []
    single = r.text("fact")
    if single:
        facts.append(FactTarget(single, Terms.of(())))
    for j, target in enumerate(raw.get("facts", [])):
        t = ConfigTable(path, target if isinstance(target, dict) else {}, f"{where}facts[{j}].")
        key = t.text("key")
        if key is None:
            raise ConfigError(f"{path}: {where}facts[{j}].key: missing")
        facts.append(FactTarget(key, Terms.of(t.strings("requires"))))
    for target in facts:
        if len(target.key.split("/")) not in (2, 3) or not all(target.key.split("/")):
            raise ConfigError(
                f"{path}: {where}fact {target.key!r}: expected subject/predicate[/object]"
            )
    if not facts:
        raise ConfigError(f"{path}: {where}fact: a rule needs a fact key (fact or [[facts]])")
    return facts
