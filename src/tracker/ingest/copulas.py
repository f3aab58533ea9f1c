"""Copulas and participles: what a thing is, is like, or had done to it.

"X is a Y" -> x/role = "a Y"; "X remains unspecified" -> x/described-as; "the size of X
remains unspecified" -> x/size (``attribute_nouns``); "X is committed to Y" ->
x/committed-to/y; "a meeting held in Paris" -> meeting/held-in/paris.
"""

from __future__ import annotations

from typing import Any

from tracker.ingest import clauses
from tracker.ingest.open_fact import OpenFact, clause_part, fact, flat, verb_words
from tracker.ingest.participants import Context, Name, Participants, conjuncts, of_object
from tracker.ingest.voices import slug


def copula(
    names: Participants, verb: Any, negated: bool, base: dict[str, Any], ctx: Context
) -> list[OpenFact]:
    """ "X is a Y" -> x/role = "a Y"; "X remains unspecified" -> x/described-as; "the
    size of X remains unspecified" -> x/size; "X is contingent on Y" -> x/contingent-on/y."""
    subject = clauses.subject_of(verb)
    if subject is None or subject.dep_ == "expl":
        return []
    found: list[OpenFact] = []
    owners = _owned(names, subject, ctx)
    for complement in verb.children:
        if complement.dep_ not in ("attr", "acomp", "oprd"):
            continue
        words = flat(" ".join(t.text for t in complement.subtree if not clause_part(t, complement)))
        noun = complement.pos_ in ("NOUN", "PROPN")
        if complement.dep_ == "acomp" and not owners:
            held = _held(names, verb, subject, complement, words, negated, base, ctx)
            if held is not None:
                found += held
                if found:
                    return found
        targets = owners or [
            (who, "role" if noun else "described-as") for who in names.named_subjects(subject, ctx)
        ]
        for who, predicate in targets:
            text = f"{clauses.phrase(subject)} {verb_words(verb)} {words}"
            if negated:
                what = Name(names.slug(complement, ctx) if noun else slug(words), words)
                found.append(fact(who, predicate, what, False, "open.copula", base, text))
            else:
                found.append(fact(who, predicate, None, words, "open.copula", base, text))
    return found


def _held(
    names: Participants,
    verb: Any,
    subject: Any,
    complement: Any,
    words: str,
    negated: bool,
    base: dict[str, Any],
    ctx: Context,
) -> list[OpenFact] | None:
    """ "X is committed to Y": x/committed-to/y, by the complement's first preposition;
    None when the complement takes none."""
    found: list[OpenFact] = []
    preps = [c for c in complement.children if c.dep_ == "prep"]
    if not preps:
        return None
    prep = preps[0]
    for pobj in (c for c in prep.children if c.dep_ == "pobj"):
        for who in names.named_subjects(subject, ctx):
            for each in names.things(pobj, ctx):
                predicate = slug(f"{complement.lower_} {prep.lower_}")
                text = f"{who.text} {verb_words(verb)} {words}"
                found.append(fact(who, predicate, each, not negated, "open.copula", base, text))
    return found


def _owned(names: Participants, subject: Any, ctx: Context) -> list[tuple[Name, str]]:
    """ "the size of such a force and finer details" -> (force, size), (force, details)."""
    pairs: list[tuple[Name, str]] = []
    owner: Name | None = None
    attributes = names.words.attribute_nouns
    for each in conjuncts(subject):
        if each.lemma_.lower() not in attributes:
            return []
        of = of_object(each)
        if of is not None:
            owner = names.name(of, ctx)
        if owner is None:
            return []
        pairs.append((owner, _attribute(names, each)))
        if of is not None:
            # "the size of such a force and finer details", the conjunct hung on "force"
            for conj in of.children:
                if conj.dep_ == "conj" and conj.lemma_.lower() in attributes:
                    pairs.append((owner, _attribute(names, conj)))
    return pairs


def _attribute(names: Participants, noun: Any) -> str:
    parts = [noun.lower_]
    for child in sorted(noun.children, key=lambda t: -t.i):
        if (
            child.i < noun.i
            and child.dep_ in ("amod", "compound")
            and (child.lower_ not in names.words.vague_modifiers)
        ):
            parts.insert(0, child.lower_)
            break
    return slug(" ".join(parts))


def participle(
    names: Participants, verb: Any, negated: bool, base: dict[str, Any], ctx: Context
) -> list[OpenFact]:
    """ "a meeting held in Paris" -> meeting/held-in/paris; "a development aimed at
    ending the war" -> development/aimed-at/ending-the-war."""
    noun = verb.head
    found: list[OpenFact] = []
    owners = names.things(noun, ctx) if noun.pos_ in ("NOUN", "PROPN") else []
    for prep in (c for c in verb.children if c.dep_ == "prep"):
        targets: list[Name] = []
        for child in prep.children:
            if child.dep_ == "pobj":
                targets += names.things(child, ctx)
            elif child.dep_ == "pcomp":
                words = flat(" ".join(t.text for t in child.subtree))
                targets.append(Name(slug(words), words))
        for owner in owners:
            for each in targets:
                text = f"{owner.text} {verb.text} {prep.text} {each.text}"
                predicate = slug(f"{verb.lower_} {prep.lower_}")
                found.append(
                    fact(owner, predicate, each, not negated, "open.participle", base, text)
                )
        break
    return found
