"""Active clauses: who does what to what, "established military hubs across Ukraine".

The subject does the verb as written (with its modal: ``will-establish``) to each
conjunct of its object; where the clause puts it is a fact of its own. A verb without
an object says what it does through its infinitive ("agreed to provide X with Y") or
its first preposition ("warned against X": a stance, by the ``stance_verbs`` table).
Gatherings, light verbs and efforts read the same clause their own way.
"""

from __future__ import annotations

from typing import Any

from tracker.ingest.claim_places import PLACE_PREPS
from tracker.ingest.gatherings import attendance
from tracker.ingest.light_verbs import effort, light
from tracker.ingest.open_fact import OpenFact, fact, modal, predicate, verb_words
from tracker.ingest.participants import Context, Name, Participants, of_object, prep_objects
from tracker.ingest.voices import slug


def active(
    names: Participants,
    verb: Any,
    subject: Name,
    negated: bool,
    base: dict[str, Any],
    ctx: Context,
) -> list[OpenFact]:
    """The facts ``subject`` does by ``verb``: to its objects, else through it, and where."""
    value = not negated
    attended = attendance(names, verb, subject, value, base, ctx)
    if attended is not None:
        return attended
    objects = [c for c in verb.children if c.dep_ in ("dobj",)]
    found = _done_to(names, verb, objects, subject, value, base, ctx)
    if not objects:
        found += _through(names, verb, subject, value, base, ctx)
    if objects:
        found += _where(names, verb, subject, value, base, ctx)
    return found


def _done_to(
    names: Participants,
    verb: Any,
    objects: list[Any],
    subject: Name,
    value: bool,
    base: dict[str, Any],
    ctx: Context,
) -> list[OpenFact]:
    """ "A established military hubs": a/will-establish/military-hubs, each conjunct."""
    words = names.words
    lemma = verb.lemma_.lower()
    said = verb_words(verb)
    found: list[OpenFact] = []
    for obj in objects:
        head = obj.lemma_.lower()
        if lemma in words.light_verbs:
            lit = light(names, verb, subject, obj, value, base, ctx)
            if lit:
                found += lit
                continue
        if head in words.effort_nouns and (
            lemma in words.linking_verbs or lemma in words.naming_verbs
        ):
            found += effort(names, subject, obj, value, base, ctx)
        for each in names.things(obj, ctx):
            text = f"{subject.text} {said} {each.text}"
            found.append(fact(subject, predicate(verb), each, value, "open.clause", base, text))
    return found


def _where(
    names: Participants,
    verb: Any,
    subject: Name,
    value: bool,
    base: dict[str, Any],
    ctx: Context,
) -> list[OpenFact]:
    """ "established military hubs across Ukraine": where, as a fact of its own."""
    said = verb_words(verb)
    found: list[OpenFact] = []
    for prep in verb.children:
        if prep.dep_ != "prep" or prep.lower_ not in PLACE_PREPS:
            continue
        for pobj in (c for c in prep.children if c.dep_ == "pobj"):
            if pobj.ent_type_ not in ("GPE", "LOC", "FAC"):
                continue
            for each in names.things(pobj, ctx):
                text = f"{subject.text} {said} {prep.text} {each.text}"
                where = predicate(verb, prep.lower_)
                found.append(fact(subject, where, each, value, "open.place", base, text))
    return found


def _through(
    names: Participants,
    verb: Any,
    subject: Name,
    value: bool,
    base: dict[str, Any],
    ctx: Context,
) -> list[OpenFact]:
    """A verb without an object: through its infinitive ("agreed to provide X with Y"),
    else its first preposition ("warned against X", "met in Paris"), else alone."""
    said = verb_words(verb)
    found: list[OpenFact] = []
    xcomp = next((c for c in verb.children if c.dep_ == "xcomp" and c.pos_ == "VERB"), None)
    if xcomp is not None:
        return _infinitive(names, verb, xcomp, subject, value, base, ctx)
    if any(c.dep_ in ("ccomp", "csubj") for c in verb.children):
        return found  # what was said or thought is read as its own clause
    for prep in verb.children:
        if prep.dep_ != "prep":
            continue
        pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
        if pobj is None:
            continue
        stance = _stance(names, verb, prep)
        if stance is not None:
            pobj = _acted_on(names, pobj)
        for each in names.things(pobj, ctx):
            text = f"{subject.text} {said} {prep.text} {each.text}"
            said_of = stance or predicate(verb, prep.lower_)
            rule = "open.stance" if stance else "open.clause"
            found.append(fact(subject, said_of, each, value, rule, base, text))
        return found
    if verb.lemma_.lower() in names.config.reporting_verbs:
        return found
    text = f"{subject.text} {said}"
    found.append(fact(subject, predicate(verb), None, value, "open.clause", base, text))
    return found


def _infinitive(
    names: Participants,
    verb: Any,
    xcomp: Any,
    subject: Name,
    value: bool,
    base: dict[str, Any],
    ctx: Context,
) -> list[OpenFact]:
    """ "agreed to provide Ukraine with support": a/agreed/support."""
    said = verb_words(verb)
    found: list[OpenFact] = []
    lemma = xcomp.lemma_.lower()
    things: list[Any] = []
    if lemma in names.words.giving_verbs:
        things = prep_objects(xcomp, ("with",))
    if not things:
        things = [c for c in xcomp.children if c.dep_ == "dobj"]
    for thing in things:
        for each in names.things(thing, ctx):
            text = f"{subject.text} {said} to {xcomp.text} {each.text}"
            found.append(fact(subject, predicate(verb), each, value, "open.infinitive", base, text))
    return found


def _stance(names: Participants, verb: Any, prep: Any) -> str | None:
    """ "warned against X" -> opposes, by the ``stance_verbs`` table (modal kept)."""
    prt = [c.lower_ for c in verb.children if c.dep_ == "prt"]
    phrase = " ".join([verb.lemma_.lower(), *prt, prep.lower_])
    stance = names.words.stance_verbs.get(phrase)
    if stance is None:
        return None
    return slug(" ".join([*modal(verb), stance]))


def _acted_on(names: Participants, noun: Any) -> Any:
    """ "the deployment of troops" -> the troops: what an act noun is done to."""
    if noun.lemma_.lower() not in names.words.event_nouns:
        return noun
    done_to = of_object(noun)
    return done_to if done_to is not None else noun
