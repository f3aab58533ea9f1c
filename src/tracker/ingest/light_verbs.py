"""Light verbs and efforts: clauses whose noun, not their verb, says what is done.

"maintained a guarded stance on the ceasefire" is ``stance-on/ceasefire`` = "guarded";
"X represents an effort by A to forge Y" says X aims at Y, and A would forge Y.
"""

from __future__ import annotations

from typing import Any

from tracker.ingest.open_fact import OpenFact, fact, flat, verb_words
from tracker.ingest.participants import Context, Name, Participants, prep_objects
from tracker.ingest.voices import slug

# The prepositions a light verb's noun takes its matter with: "a stance on X".
_MATTER = ("on", "for", "about", "over", "against", "to", "toward", "towards", "with")


def light(
    names: Participants,
    verb: Any,
    subject: Name,
    obj: Any,
    value: bool,
    base: dict[str, Any],
    ctx: Context,
) -> list[OpenFact]:
    """ "maintained a guarded stance on the ceasefire" -> stance-on/ceasefire = "guarded"."""
    found: list[OpenFact] = []
    quality = [
        c.lower_
        for c in obj.children
        if c.dep_ == "amod" and c.lower_ not in names.words.vague_modifiers
    ]
    after = [c for c in verb.children if c.dep_ == "prep" and c.i > obj.i]
    for prep in [*obj.children, *after]:
        if prep.dep_ != "prep" or prep.lower_ not in _MATTER:
            continue
        for pobj in (c for c in prep.children if c.dep_ == "pobj"):
            predicate = slug(f"{obj.lemma_} {prep.lower_}")
            fact_value: bool | str = ", ".join(quality) if quality and value else value
            for each in names.things(pobj, ctx):
                text = (
                    f"{subject.text} {verb_words(verb)} "
                    + flat(" ".join(t.text for t in obj.subtree))
                    + ("" if prep.head.i == obj.i else f" {prep.text} {each.text}")
                )
                found.append(
                    fact(subject, predicate, each, fact_value, "open.light-verb", base, text)
                )
    return found


def effort(
    names: Participants, subject: Name, noun: Any, value: bool, base: dict[str, Any], ctx: Context
) -> list[OpenFact]:
    """ "X represents an effort by A to forge Y": X aims at Y, and A would forge Y."""
    found: list[OpenFact] = []
    for acl in (c for c in noun.children if c.dep_ == "acl" and c.pos_ == "VERB"):
        agents = prep_objects(noun, ("by",))
        for obj in (c for c in acl.children if c.dep_ == "dobj"):
            for each in names.things(obj, ctx):
                text = f"{subject.text} aims at {each.text}"
                found.append(fact(subject, "aims-at", each, value, "open.effort", base, text))
                for agent in agents:
                    for who in names.things(agent, ctx):
                        text = f"{who.text} seek to {acl.text} {each.text}"
                        planned = {**base, "modality": "planned"}
                        aims = "aims-to-" + acl.lower_
                        found.append(fact(who, aims, each, value, "open.effort", planned, text))
    return found
