"""Preconditions: "X is contingent on Y", "X is only possible after Y is agreed", "X can
be done once Y is reached": X requires Y. Reported, it is the speaker's position: they
require Y for (or before) X.
"""

from __future__ import annotations

from typing import Any

from tracker.ingest import clauses
from tracker.ingest.doers import holders
from tracker.ingest.open_fact import OpenFact, fact, modal
from tracker.ingest.participants import Context, Participants, prep_objects

_MAY = frozenset({"can", "could", "may", "might"})


def preconditions(
    names: Participants, verb: Any, negated: bool, base: dict[str, Any], ctx: Context
) -> list[OpenFact]:
    """What the verb's subject requires, as the thing's need or its holder's position."""
    needed, order = _needed(names, verb)
    subject = next((c for c in verb.children if c.dep_ == "nsubjpass"), clauses.subject_of(verb))
    if not needed or subject is None or subject.dep_ == "expl":
        return []
    wanting = names.named_subjects(subject, ctx)
    held_by = holders(names, verb, ctx)
    found: list[OpenFact] = []
    for need in (n for token in needed for n in names.things(token, ctx)):
        for what in wanting:
            if not held_by:
                text = f"{what.text} requires {need.text}"
                found.append(
                    fact(what, "requires", need, not negated, "open.precondition", base, text)
                )
            for who in held_by:
                text = f"{who.text} holds that {what.text} requires {need.text}"
                predicate = f"requires-{need.slug}-{order}"
                found.append(
                    fact(who, predicate, what, not negated, "open.precondition", base, text)
                )
    return found


def _needed(names: Participants, verb: Any) -> tuple[list[Any], str]:
    """The tokens naming what is needed, and whether it is needed "for" or "before"."""
    words = names.words
    needed: list[Any] = []
    order = "for"
    for word in [verb, *(c for c in verb.children if c.dep_ == "acomp")]:
        if word.lemma_.lower() in words.precondition_words:
            needed += prep_objects(word, ("on", "upon"))
    possible = bool(_MAY & set(modal(verb))) or any(
        c.dep_ == "acomp" and c.lemma_.lower() in words.possible_words for c in verb.children
    )
    if not needed and possible:
        for clause in (c for c in verb.children if c.dep_ == "advcl"):
            if any(
                m.dep_ in ("mark", "advmod") and m.lower_ in words.precondition_marks
                for m in clause.children
            ):
                needed += [c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")]
                order = "before"
    return needed, order
