"""What a noun phrase asserts on its own: appositions, listed qualities, acts, promises.

"Starmer, the prime minister" -> starmer/role; "illegal, coercive and deceptive
activities" -> activities/described-as; "the alleged Ukrainian attack on X" ->
ukraine/attack/x, alleged; "the commitment from A involves Y" -> a/pledged/y.
"""

from __future__ import annotations

from typing import Any

from tracker.ingest import clauses
from tracker.ingest.fact_mood import reported
from tracker.ingest.open_fact import OpenFact, clause_part, fact, flat
from tracker.ingest.participants import Context, Name, Participants, prep_objects, some
from tracker.ingest.voices import slug

# The prepositions an act noun takes what it is done to with: "an attack on X".
_ACTED_ON = ("on", "against", "of", "to", "into", "in")


def noun_facts(names: Participants, noun: Any, ctx: Context) -> list[OpenFact]:
    """What a noun phrase asserts on its own: appositions, listed qualities, acts."""
    found: list[OpenFact] = []
    base = {
        "modality": "reported" if reported(noun.head, names.config) else "asserted",
        "quote": flat(" ".join(t.text for t in noun.subtree)),
        "tense": "past",
        "when_text": "",
        "condition": None,
    }
    if noun.dep_ == "appos" and noun.head.pos_ in ("PROPN", "NOUN"):
        owner = names.name(noun.head, ctx)
        if owner is not None and not any(t.ent_type_ == "DATE" for t in noun.subtree):
            words = flat(" ".join(t.text for t in noun.subtree if not clause_part(t, noun)))
            text = f"{owner.text} is {words}"
            found.append(fact(owner, "role", None, words, "open.apposition", base, text))
    found += _qualities(names, noun, base, ctx)
    if noun.lemma_.lower() in names.words.event_nouns:
        found += _act(names, noun, base, ctx)
    return found


def _qualities(
    names: Participants, noun: Any, base: dict[str, Any], ctx: Context
) -> list[OpenFact]:
    """ "illegal, coercive, aggressive, and deceptive activities": described as those."""
    words = names.words
    qualities = [
        c
        for c in noun.children
        if c.dep_ == "amod"
        and c.i < noun.i
        and c.lower_ not in words.vague_modifiers
        and c.lower_ not in words.hedges
        and c.ent_type_ not in ("NORP", "ORDINAL")
    ]
    if len(qualities) < 2:
        return []
    listed = any(
        t.text == "," or t.lower_ == "and" for t in noun.doc[qualities[0].i : qualities[-1].i]
    )
    # "illegal, coercive, aggressive, and deceptive activities": the list's conjuncts
    qualities += [c for q in qualities for c in q.children if c.dep_ == "conj" and c.pos_ == "ADJ"]
    qualities.sort(key=lambda t: t.i)
    named = names.name(noun, ctx)
    if not listed or named is None:
        return []
    said = ", ".join(q.text for q in qualities)
    bare = flat(
        " ".join(t.text for t in noun.subtree if t.i >= qualities[-1].i + 1 and t.i <= noun.i)
    )
    text = f"{bare} are described as {said}"
    return [fact(named, "described-as", None, said, "open.qualities", base, text)]


def _act(names: Participants, noun: Any, base: dict[str, Any], ctx: Context) -> list[OpenFact]:
    """ "the alleged Ukrainian attack on X" -> ukraine/attack/x, alleged."""
    agents: list[Name] = []
    for child in noun.children:
        if child.dep_ in ("amod", "compound") and child.i < noun.i:
            side = names.side(child.text) or (
                names.voices.side_in(child.text) if child.ent_type_ in ("NORP", "GPE") else None
            )
            if side is not None:
                agents.append(Name(side, child.text))
        elif child.dep_ == "poss":
            agents += some(names.name(child, ctx))
        elif child.dep_ == "prep" and child.lower_ == "by":
            for pobj in (c for c in child.children if c.dep_ == "pobj"):
                agents += names.things(pobj, ctx)
    if not agents:
        return []
    hedged = any(c.dep_ == "amod" and c.lower_ in names.words.hedges for c in noun.children)
    if hedged:
        base = {**base, "modality": "alleged"}
    found: list[OpenFact] = []
    for prep in noun.children:
        if prep.dep_ != "prep" or prep.lower_ not in _ACTED_ON:
            continue
        for pobj in (c for c in prep.children if c.dep_ == "pobj"):
            for each in names.things(pobj, ctx):
                for agent in agents:
                    text = f"{agent.text} {noun.lemma_} {prep.text} {each.text}"
                    found.append(fact(agent, slug(noun.lemma_), each, True, "open.act", base, text))
    return found


def promise(
    names: Participants, verb: Any, negated: bool, base: dict[str, Any], ctx: Context
) -> list[OpenFact]:
    """ "The commitment from the allies involves a support package": the allies pledged
    it. A promise named as a noun, and a verb saying what it holds."""
    subject = clauses.subject_of(verb)
    lemma = verb.lemma_.lower()
    words = names.words
    if (
        subject is None
        or subject.lemma_.lower() not in words.promise_nouns
        or lemma not in words.state_verbs | words.linking_verbs
    ):
        return []
    makers = [
        *prep_objects(subject, ("from", "by", "of")),
        *(c for c in subject.children if c.dep_ == "poss"),
    ]
    who = [n for m in makers for n in (names.things(m, ctx) if m.pos_ != "PRON" else [])]
    found: list[OpenFact] = []
    for obj in (c for c in verb.children if c.dep_ in ("dobj", "attr")):
        for what in names.things(obj, ctx):
            for maker in who:
                text = f"{maker.text} pledged {what.text}"
                found.append(fact(maker, "pledged", what, not negated, "open.promise", base, text))
    return found
