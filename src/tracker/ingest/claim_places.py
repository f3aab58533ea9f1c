"""Where a clause puts its act, and whether that is a rule's place.

"stationed in Romania, not in Ukraine" is not in Ukraine; "the hubs promised in Paris
have yet to be built" are built nowhere; "French troops are in Odesa" says where they
are only because it names a place.
"""

from __future__ import annotations

from typing import Any

from tracker.ingest import clauses
from tracker.ingest.claim_words import action_at, holds
from tracker.ingest.dates import MONTHS, WEEKDAYS
from tracker.ingest.rules import QuestionRule

PLACE_PREPS = frozenset(
    {
        "in",
        "to",
        "into",
        "inside",
        "across",
        "on",
        "at",
        "throughout",
        "near",
        "outside",
        "around",
        "along",
        "within",
    }
)


def named_places(verb: Any) -> list[str]:
    """Places the clause puts its verb in ("in Romania", "to Ukraine"): named places, or
    proper nouns after a place preposition when no entity was looked for."""
    found = []
    tokens = clauses.clause_tokens(verb)
    # a place is the verb's, or its subject's or object's: not that of "planners in London"
    # in "remain on paper, with planners in London ... waiting"
    owners = {verb.i} | {
        c.i for c in verb.children if c.dep_ in ("nsubj", "nsubjpass", "dobj", "attr", "oprd")
    }
    # "the hubs it pledged in Paris": a place inside a relative clause is another verb's
    nested = {
        t.i
        for token in tokens
        if token.dep_ in ("relcl", "acl") and token.i != verb.i
        for t in token.subtree
    }
    for token in tokens:
        if token.dep_ != "pobj" or token.head.lower_ not in PLACE_PREPS or token.i in nested:
            continue
        if token.head.head.i not in owners:
            continue
        if token.ent_type_ in ("GPE", "LOC"):
            ent = next((e for e in token.doc.ents if e.start <= token.i < e.end), None)
            found.append(ent.text if ent is not None else token.text)
        elif (
            token.pos_ == "PROPN"
            and token.ent_type_ not in ("PERSON", "ORG", "DATE", "NORP")
            and token.lower_ not in WEEKDAYS
            and token.lower_ not in MONTHS
        ):
            # "near Bila Tserkva": the name with the words compounded into it
            start = min([token.i, *(c.i for c in token.children if c.dep_ == "compound")])
            found.append(str(token.doc[start : token.i + 1].text))
    if verb.lemma_.lower() in _PLACE_AS_OBJECT:
        # "French troops left Mali in 2022", "entered Ukraine": the place is the object
        found += [
            c.text
            for c in verb.children
            if c.dep_ == "dobj"
            and (c.ent_type_ in ("GPE", "LOC") or (c.pos_ == "PROPN" and c.ent_type_ != "DATE"))
            and c.i not in nested
        ]
    return found


# Verbs of moving whose object is the place: "left Mali", "entered Ukraine".
_PLACE_AS_OBJECT = frozenset({"leave", "quit", "exit", "evacuate", "enter", "reach", "cross"})


# Verbs that only say where something is: "French troops are in Odesa", "remain there".
PRESENCE = frozenset({"be", "remain", "stay", "have", "keep", "serve", "operate", "spend"})


def placed(verb: Any, rule: QuestionRule) -> bool:
    """A verb of presence says something of the rule's place only when it names a place
    of its own: not "French troops were ready to leave for Ukraine", "the force remains
    on paper", "troops are still at their bases in France"."""
    if verb.lemma_.lower() not in PRESENCE or any(
        " " in a and action_at(verb, a) for a in (*rule.actions, *rule.negative_actions)
    ):
        return True
    if named_places(verb) or any(c.lower_ in ("there", "here") for c in verb.children):
        return True
    # "France now has 1,200 soldiers stationed in Ukraine": the place of what it has
    return any(
        named_places(a)
        for c in verb.children
        if c.dep_ in ("dobj", "attr", "nsubj")
        for a in c.children
        if a.dep_ in ("acl", "relcl")
    )


def placed_elsewhere(sent: Any, rule: QuestionRule) -> bool:
    """Whether ``sent`` puts the rule's act, done to its thing, in a place that is not the
    rule's: the lead's "has opened a military logistics hub in south-eastern Poland" below
    "Britain opens military logistics hub to speed aid to Ukraine"."""
    if not rule.place:
        return False
    inside = outside = False
    for token in sent:
        if token.pos_ not in ("VERB", "AUX") or not any(action_at(token, a) for a in rule.actions):
            continue
        places = named_places(token)
        if places and rule.objects.find(clauses.argument_text(token)):
            if all(rule.place.find(p) for p in places):
                inside = True  # "... and a second hub near Lviv": the lead says both
            else:
                outside = True
    return outside and not inside


def headline_places(tokens: list[Any]) -> list[str]:
    """Proper names after a place preposition in a headline: "hub in Poland"."""
    return [
        t.text
        for t, before in zip(tokens[1:], tokens, strict=False)
        if before.lower_ in PLACE_PREPS
        and t.pos_ == "PROPN"
        and t.ent_type_ not in ("PERSON", "ORG", "DATE")
        and t.lower_ not in WEEKDAYS
        and t.lower_ not in MONTHS
    ]


def in_place(
    rule: QuestionRule, verb: Any, sentence: str, title: str, denied: bool = False
) -> bool:
    """Whether the clause is in the rule's place. Denied, an act needs no place named:
    "the hubs promised in Paris have yet to be built" are built nowhere; a place
    named must still be the rule's ("has not opened its hub in Poland")."""
    if not rule.place:
        return True
    places = named_places(verb)
    if places:
        # "stationed in Romania, not in Ukraine" is not in Ukraine
        return all(rule.place.find(p) for p in places)
    if holds(rule.place, sentence, title):
        return True
    if not denied:
        return False
    # "no plans to redeploy troops to Mali": the place of the verb the thing hangs on
    movers = {
        t.head.i: t.head
        for t in clauses.clause_tokens(verb)
        if t.head.i != verb.i and t.head.pos_ == "VERB" and rule.objects.find(t.text)
    }
    # any name counts here, whatever entity the model took it for ("to Mali" as a person)
    named = [
        o.text
        for m in movers.values()
        for prep in m.children
        if prep.dep_ == "prep" and prep.lower_ in PLACE_PREPS
        for o in prep.children
        if o.dep_ == "pobj" and o.pos_ == "PROPN" and o.ent_type_ != "DATE"
    ]
    return all(rule.place.find(p) for p in named)
