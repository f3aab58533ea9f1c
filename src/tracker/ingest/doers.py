"""Who does what a clause says: its subject, an effort's agent, or who reports it.

"X represents an effort by A to forge Y, ... while preparing for Z": A prepares, not X.
"Russian officials stated that ...": the officials hold what the clause says.
"""

from __future__ import annotations

from typing import Any

from tracker.ingest import clauses
from tracker.ingest.participants import Context, Name, Participants, prep_objects, some


def subjects(names: Participants, verb: Any, ctx: Context) -> list[Name]:
    """Who does ``verb``: an effort's agent, else what its subject names."""
    agents = effort_agents(names, verb, ctx)
    if agents:
        return agents
    subject = clauses.subject_of(verb)
    if subject is None:
        return []
    if subject.head.i == verb.i and subject.dep_ == "pobj":
        return []  # a passive's agent is read by passives
    return names.things(subject, ctx) if subject.pos_ != "PRON" else some(names.name(subject, ctx))


def effort_agents(names: Participants, verb: Any, ctx: Context) -> list[Name]:
    """ "X represents an effort by A to forge Y, ... while preparing for Z": A prepares,
    not X; the participles hanging on the naming verb share the effort's agent."""
    token = verb
    while token.dep_ == "advcl" and token.tag_ == "VBG" and token.head.i != token.i:
        token = token.head
    if token.i == verb.i or token.lemma_.lower() not in names.words.naming_verbs:
        return []
    for effort in (c for c in token.children if c.dep_ in ("dobj", "attr")):
        if effort.lemma_.lower() in names.words.effort_nouns:
            return [n for pobj in prep_objects(effort, ("by",)) for n in names.things(pobj, ctx)]
    return []


def holders(names: Participants, verb: Any, ctx: Context) -> list[Name]:
    """Who is reported saying the verb's clause: "Russian officials stated that ..."."""
    token = verb
    for _ in range(6):
        if token.head.i == token.i:
            return []
        came, token = token, token.head
        if came.dep_ == "ccomp" and token.lemma_.lower() in names.config.reporting_verbs:
            return subjects(names, token, ctx)
        if came.dep_ not in ("ccomp", "conj"):
            return []
    return []
