"""Whose act a claim is: the side of its subject, its holder or the noun's owner.

"The United States said it would back ...": the pronoun is the reporting subject;
"Washington's reversal", "US backing", "its backing": the owner's side; "'We have not
deployed a single soldier,' the French minister said": the speaker's side.
"""

from __future__ import annotations

from typing import Any

from tracker.ingest import clauses
from tracker.ingest.rules import ExtractionConfig, QuestionRule, Terms
from tracker.ingest.voices import Speaker, Voices


def headline_subject(verb: Any) -> Any | None:
    """ "US signs on to ...", "Trump pledges US support": a headline's subject the parser
    read as a compound of its verb."""
    return next(
        (
            c
            for c in verb.children
            if c.dep_ in ("compound", "amod", "nmod")
            and c.i < verb.i
            and (c.pos_ == "PROPN" or c.is_title)
        ),
        None,
    )


def agent_side(verb: Any, voices: Voices, previous: Speaker | None) -> str | None:
    subject = clauses.subject_of(verb) or headline_subject(verb)
    if subject is None:
        return None
    if subject.pos_ == "PRON":
        # "The United States said it would back ...": the pronoun is the reporting subject
        token = verb
        for _ in range(4):
            if token.dep_ == "ccomp" and token.head.i != token.i:
                outer = clauses.subject_of(token.head)
                if outer is not None and outer.pos_ != "PRON":
                    speaker = voices.resolve(outer, previous)
                    return speaker.side if speaker else voices.side_in(clauses.phrase(outer))
            token = token.head
        return previous.side if previous else None
    phrase = clauses.phrase(subject)
    if subject.lemma_.lower() in _SHARES or not voices.official(phrase):
        return None  # "Sixty-one percent of Americans support ...": a public, not a side
    speaker = voices.resolve(subject, previous)
    if speaker is not None and speaker.side:
        return speaker.side
    return voices.side_in(phrase)


def own_side(verb: Any, voices: Voices) -> str | None:
    """The side the verb's subject itself names, by its head and the words that name its
    owner ("Russia's parliament", "the Kremlin", "the Russian Duma"); not by what describes
    it ("pro-Russian lawmakers", "Lithuania, Russia's neighbour", "lawmakers wary of
    Russian aggression"), nor a pronoun's reporter."""
    subject = clauses.subject_of(verb) or headline_subject(verb)
    if subject is None or subject.pos_ == "PRON":
        return None
    words = [
        t
        for t in subject.children
        if t.i < subject.i
        and t.dep_ in ("poss", "compound", "amod")
        and "-" not in t.text
        and t.doc[t.i - 1].text not in ("-", "\u2013")  # "Pro-Russian", "Kremlin-friendly"
    ]
    owned = " ".join(w.text for w in (*words, subject) if w.dep_ != "det")
    return voices.side_in(owned)


# Heads of a subject that count people rather than name an actor.
_SHARES = frozenset(
    {"percent", "%", "majority", "minority", "most", "half", "third", "quarter", "share"}
)


def holder_side(voices: Voices, verb: Any, rule: QuestionRule) -> str | None:
    """ "The Pentagon was committed to the guarantees": a passive of state ("committed
    to", "dedicated to") whose subject is not the thing holds the stance."""
    holder = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    if holder is None or not any(c.dep_ == "prep" and c.lower_ == "to" for c in verb.children):
        return None
    held = clauses.phrase(holder)
    return None if rule.objects.find(held) else voices.side_in(held)


def owner_sides(voices: Voices, noun: Any) -> list[str | None]:
    """The sides of a noun's owners: "US backing", "Washington's reversal", "its"."""
    return [
        owner_side(voices, noun)
        if o.pos_ == "PRON"
        else voices.side_in(" ".join(t.text for t in o.subtree))
        for o in noun.children
        if o.dep_ in ("poss", "compound", "amod", "nmod")
    ]


def first_owner_side(voices: Voices, noun: Any) -> str | None:
    return next((side for side in owner_sides(voices, noun) if side), None)


def owner_side(voices: Voices, noun: Any) -> str | None:
    """The side "its" or "their" stands for: the nearest subject above the noun, in
    "the United States remains committed to NATO, even as its backing ... stays frozen"."""
    token = noun
    for _ in range(6):
        if token.head.i == token.i:
            return None
        token = token.head
        if token.pos_ not in ("VERB", "AUX"):
            continue
        subject = clauses.subject_of(token)
        if subject is None or subject.i == noun.i or subject.pos_ == "PRON":
            continue
        if noun.i in {t.i for t in subject.subtree}:
            continue
        return voices.side_in(clauses.phrase(subject))
    return None


def speaker_is(config: ExtractionConfig, group: Terms, verb: Any, speaker: Speaker | None) -> bool:
    """ "'We have not deployed a single soldier,' the French minister said": a first
    person inside the speaker's words is the speaker's side."""
    if speaker is None or speaker.side is None:
        return False
    subject = clauses.subject_of(verb)
    owners = [subject] if subject is not None else []
    if subject is not None:
        owners += [c for c in subject.children if c.dep_ == "poss"]
    if not any(o.lower_ in ("we", "our", "us") for o in owners):
        return False
    words = config.sides.get(speaker.side)
    return words is not None and any(group.find(w) for w in words.words)
