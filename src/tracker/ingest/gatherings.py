"""Gatherings and who attended them: "brought together leaders from A and B", "the
summit drew delegations from A", "A attended the summit in Paris", and "the US delegation
was represented by B" after a gathering was named (the United States attended it).

Every fact here is ``gathering/attended-by/who``, whichever way the sentence puts it.
"""

from __future__ import annotations

from typing import Any

from tracker.ingest.open_fact import OpenFact, fact
from tracker.ingest.participants import Context, Name, Participants, prep_objects


def attendance(
    names: Participants, verb: Any, subject: Name, value: bool, base: dict[str, Any], ctx: Context
) -> list[OpenFact] | None:
    """Who attended what, by a gathering verb, an attending noun or an attending verb;
    None when the verb says nothing of it."""
    objects = [c for c in verb.children if c.dep_ in ("dobj",)]
    if _gathers(names, verb):
        return _gathered(names, verb, objects, subject, value, base, ctx)
    found = _sent(names, objects, subject, value, base, ctx)
    if found:
        return found
    found = _attended(names, verb, objects, subject, value, base, ctx)
    if found:
        return found
    return None


def delegation(
    names: Participants, noun: Any, gathering: Name | None, value: bool, base: dict[str, Any]
) -> list[OpenFact]:
    """ "The US delegation was represented by A": the United States attended the
    gathering last said to be attended."""
    if noun.lemma_.lower() not in names.words.attending_nouns or gathering is None:
        return []
    found = []
    for child in noun.children:
        if child.dep_ in ("compound", "amod", "poss") and child.i < noun.i:
            side = names.side(child.text)
            if side is None and child.ent_type_ in ("NORP", "GPE"):
                side = names.voices.side_in(child.text)
            if side is not None and side != "other":
                text = f"{gathering.text} was attended by {child.text}"
                who = Name(side, child.text)
                found.append(
                    fact(gathering, "attended-by", who, value, "open.attending", base, text)
                )
    return found


def _gathers(names: Participants, verb: Any) -> bool:
    """Whether the verb (with its particle or an adverb) brings people together."""
    lemma = verb.lemma_.lower()
    prt = " ".join(c.lower_ for c in verb.children if c.dep_ == "prt")
    adverbs = " ".join(c.lower_ for c in verb.children if c.dep_ == "advmod")
    phrase = f"{lemma} {prt}".strip()
    return phrase in names.words.gathering_verbs or any(
        f"{lemma} {a}" in names.words.gathering_verbs for a in adverbs.split()
    )


def _gathered(
    names: Participants,
    verb: Any,
    objects: list[Any],
    subject: Name,
    value: bool,
    base: dict[str, Any],
    ctx: Context,
) -> list[OpenFact]:
    """ "brought together leaders from A, B and C": the gathering was attended by each."""
    found = []
    for obj in objects:
        people = [obj]
        if obj.lemma_.lower() in names.words.people_nouns:
            # "brought together leaders from A, B and C", the "from" hung on the verb
            people = prep_objects(verb, ("from", "of")) or people
        for each in [n for p in people for n in names.things(p, ctx)]:
            text = f"{subject.text} was attended by {each.text}"
            found.append(fact(subject, "attended-by", each, value, "open.gathering", base, text))
    return found


def _sent(
    names: Participants,
    objects: list[Any],
    subject: Name,
    value: bool,
    base: dict[str, Any],
    ctx: Context,
) -> list[OpenFact]:
    """ "the summit drew delegations from A and B": attended by A and B."""
    found: list[OpenFact] = []
    for obj in objects:
        if obj.lemma_.lower() in names.words.attending_nouns:
            for prep in obj.children:
                if prep.dep_ == "prep" and prep.lower_ in ("from", "of", "by"):
                    for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                        for each in names.things(pobj, ctx):
                            text = f"{subject.text} was attended by {each.text}"
                            found.append(
                                fact(
                                    subject,
                                    "attended-by",
                                    each,
                                    value,
                                    "open.attending",
                                    base,
                                    text,
                                )
                            )
            if found:
                return found
    return found


def _attended(
    names: Participants,
    verb: Any,
    objects: list[Any],
    subject: Name,
    value: bool,
    base: dict[str, Any],
    ctx: Context,
) -> list[OpenFact]:
    """ "A attended the summit", "A took part in the talks": the event attended by A."""
    lemma = verb.lemma_.lower()
    found: list[OpenFact] = []
    attending = [a for a in names.words.attending_verbs if a.split()[0] == lemma]
    if attending:
        places = prep_objects(verb, ("in", "at"))
        events = objects if not any(a.endswith(" in") for a in attending) else []
        for event in [*events, *places]:
            for each in names.things(event, ctx):
                text = f"{each.text} was attended by {subject.text}"
                found.append(
                    fact(each, "attended-by", subject, value, "open.attending", base, text)
                )
    return found
