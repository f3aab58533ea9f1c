"""Passive clauses: what was done to what, and by whom when the sentence says.

"Hubs were established by France" -> france/established/hubs; "the delegation was
represented by A and B" -> delegation/included/a (a member passive); "the force is
designed to deter" -> force/purpose = "deter"; "French soldiers were deployed in
Odesa" -> france/deployed/soldiers, and where; with no one named, the thing itself:
"hubs will be established" -> hubs/will-be-established.
"""

from __future__ import annotations

from typing import Any

from tracker.ingest import clauses
from tracker.ingest.claim_places import PLACE_PREPS
from tracker.ingest.gatherings import delegation
from tracker.ingest.open_fact import OpenFact, fact, flat, modal, verb_words
from tracker.ingest.participants import Context, Name, Participants, some
from tracker.ingest.voices import slug


def passive(
    names: Participants,
    verb: Any,
    negated: bool,
    base: dict[str, Any],
    ctx: Context,
    gathering: Name | None,
) -> list[OpenFact]:
    """The facts of a passive ``verb``; ``gathering`` is the last one said to be attended."""
    value = not negated
    lemma = verb.lemma_.lower()
    patients = [c for c in verb.children if c.dep_ == "nsubjpass"]
    if not patients:
        subject = clauses.subject_of(verb)
        patients = [subject] if subject is not None and subject.dep_ != "pobj" else []
    agents = [
        pobj
        for agent in verb.children
        if agent.dep_ == "agent"
        for pobj in agent.children
        if pobj.dep_ == "pobj"
    ]
    patient_names = [n for p in patients for n in names.things(p, ctx)] if patients else []
    if patients and patients[0].pos_ == "PRON":
        patient_names = some(names.name(patients[0], ctx))
    if agents:
        found: list[OpenFact] = []
        if lemma in names.words.member_passives and patients:
            found += delegation(names, patients[0], gathering, not negated, base)
        return found + _by_agents(names, verb, agents, patient_names, value, base, ctx)
    if lemma in names.words.purpose_verbs:
        meant = _purpose(verb, patient_names, base)
        if meant is not None:
            return meant
    found = []
    for patient in patients:
        found += _done_to(names, verb, patient, patient_names, value, base, ctx)
    return found


def _by_agents(
    names: Participants,
    verb: Any,
    agents: list[Any],
    patient_names: list[Name],
    value: bool,
    base: dict[str, Any],
    ctx: Context,
) -> list[OpenFact]:
    """ "Hubs were established by France": france/established/hubs; a member passive
    ("was represented by A") says who the thing included."""
    found: list[OpenFact] = []
    member = verb.lemma_.lower() in names.words.member_passives
    for agent in agents:
        for who in names.things(agent, ctx):
            for what in patient_names:
                if member:
                    text = f"{what.text} included {who.text}"
                    found.append(fact(what, "included", who, value, "open.member", base, text))
                else:
                    text = f"{who.text} {verb.text} {what.text}"
                    predicate = slug(" ".join([*modal(verb), verb.lower_]))
                    found.append(fact(who, predicate, what, value, "open.passive", base, text))
    return found


def _purpose(verb: Any, patient_names: list[Name], base: dict[str, Any]) -> list[OpenFact] | None:
    """ "The force is designed to deter": force/purpose = "deter"; None without a purpose."""
    xcomp = next((c for c in verb.children if c.dep_ == "xcomp"), None)
    if xcomp is None:
        return None
    found = []
    purpose = flat(" ".join(t.text for t in xcomp.subtree)).removeprefix("to ")
    for what in patient_names:
        text = f"{what.text} is meant to {purpose}"
        found.append(fact(what, "purpose", None, purpose, "open.purpose", base, text))
    return found


def _done_to(
    names: Participants,
    verb: Any,
    patient: Any,
    patient_names: list[Name],
    value: bool,
    base: dict[str, Any],
    ctx: Context,
) -> list[OpenFact]:
    """What was done to ``patient`` with no agent named: by its nation ("French
    soldiers were deployed"), else to the thing itself, with the preposition it takes."""
    found: list[OpenFact] = []
    lemma = verb.lemma_.lower()
    said = verb_words(verb)
    nation = _nation(names, patient)
    for what in names.things(patient, ctx) if patient.pos_ != "PRON" else patient_names:
        if nation is not None:
            predicate = slug(" ".join([*modal(verb), lemma]))
            if not modal(verb):
                predicate = slug(verb.lower_)
            doer = Name(nation, nation)
            text = f"{clauses.phrase(patient)} {said}"
            found.append(fact(doer, predicate, what, value, "open.passive", base, text))
            found += _places(names, verb, doer, predicate, value, base, ctx, said)
            continue
        found += _undergone(names, verb, what, value, base, ctx)
    return found


def _undergone(
    names: Participants, verb: Any, what: Name, value: bool, base: dict[str, Any], ctx: Context
) -> list[OpenFact]:
    """ "Hubs will be established in Odesa": hubs/will-be-established-in/odesa."""
    found: list[OpenFact] = []
    predicate = slug(" ".join([*modal(verb), "be", verb.lower_]))
    text = f"{what.text} {verb_words(verb)}"
    prep_found = False
    for prep in verb.children:
        if prep.dep_ == "prep" and prep.lower_ not in names.words.condition_preps:
            for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                for each in names.things(pobj, ctx):
                    prep_found = True
                    found.append(
                        fact(
                            what,
                            f"{predicate}-{slug(prep.lower_)}",
                            each,
                            value,
                            "open.passive",
                            base,
                            f"{text} {prep.text} {each.text}",
                        )
                    )
            break
    if not prep_found:
        found.append(fact(what, predicate, None, value, "open.passive", base, text))
    return found


def _places(
    names: Participants,
    verb: Any,
    doer: Name,
    predicate: str,
    value: bool,
    base: dict[str, Any],
    ctx: Context,
    said: str,
) -> list[OpenFact]:
    found = []
    for prep in verb.children:
        if prep.dep_ != "prep" or prep.lower_ not in PLACE_PREPS:
            continue
        for pobj in (c for c in prep.children if c.dep_ == "pobj"):
            for each in names.things(pobj, ctx):
                text = f"{doer.text} {said} {prep.text} {each.text}"
                where = f"{predicate}-{slug(prep.lower_)}"
                found.append(fact(doer, where, each, value, "open.place", base, text))
    return found


def _nation(names: Participants, patient: Any) -> str | None:
    """ "French soldiers" were deployed by France."""
    if patient.lemma_.lower() not in names.words.national_forces:
        return None
    for child in patient.children:
        if child.dep_ in ("amod", "compound", "poss") and child.i < patient.i:
            side = names.side(child.text) or names.voices.side_in(child.text)
            if side is not None and side != "other":
                return side
    return None
