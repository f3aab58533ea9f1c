"""The mood of a fact's clause: negated or not, how sure (modality), on what condition.

``clauses`` reads polarity and mood; here they become an open fact's modality: a
condition ("if a ceasefire is achieved", "under a peace deal" for what will be) makes
it conditional, a clause under a reporting verb is reported, and a question is no fact.
"""

from __future__ import annotations

from typing import Any

from tracker.ingest import moods
from tracker.ingest.open_fact import flat
from tracker.ingest.rules import ExtractionConfig


def fact_mood(
    verb: Any, sent: Any, config: ExtractionConfig
) -> tuple[bool, str, str | None] | None:
    """(negated, modality, condition) of the verb's clause; None for a question."""
    mood = moods.mood(verb, sent, config)
    if mood.modality == "question":
        return None
    negated = mood.negated or mood.denied
    condition = _condition(verb, mood.modality, config)
    if condition is not None:
        modality = "conditional"
    elif mood.modality == "future":
        modality = "future"
    elif mood.modality in ("modal", "possible"):
        modality = "possible"
    elif mood.modality == "planned":
        modality = "planned"
    elif mood.modality == "conditional":
        modality = "conditional"
    elif reported(verb, config):
        modality = "reported"
    else:
        modality = "asserted"
    return negated, modality, condition


def reported(verb: Any, config: ExtractionConfig) -> bool:
    """Whether the verb's clause is what a reporting verb above it says."""
    token = verb
    for _ in range(6):
        if token.head.i == token.i:
            return False
        came, token = token, token.head
        if came.dep_ in ("ccomp", "xcomp") and (token.lemma_.lower() in config.reporting_verbs):
            return True
    return False


def _condition(verb: Any, modality: str, config: ExtractionConfig) -> str | None:
    token = verb
    for _ in range(6):
        for child in token.children:
            if child.dep_ == "advcl" and any(
                m.dep_ == "mark" and m.lower_ in config.conditional_marks for m in child.children
            ):
                return flat(" ".join(t.text for t in child.subtree))
        if token.head.i == token.i or token.dep_ not in ("conj", "xcomp", "ccomp", "advcl"):
            break
        token = token.head
    if modality in ("future", "modal", "possible", "conditional"):
        for child in verb.children:
            if (
                child.dep_ == "prep"
                and child.lower_ in config.facts.condition_preps
                and any(c.dep_ in ("pobj", "pcomp") for c in child.children)
            ):
                return flat(" ".join(t.text for t in child.subtree))
    return None
