"""How a claim's action is written, and what of a clause a rule's terms may look at.

An action is a verb lemma with the words it takes ("set up", "take effect", "exist only
on paper"); a headline may spell it in any form of its verb ("inks", "ratified").
"""

from __future__ import annotations

from typing import Any

from tracker.ingest import clauses
from tracker.ingest.rules import FactTarget, QuestionRule, Terms


def action_at(token: Any, action: str) -> bool:
    words = action.split()
    if token.lemma_.lower() != words[0] and token.lower_ != words[0]:
        return False
    if len(words) == 1:
        return True
    following = [t.lower_ for t in token.doc[token.i + 1 : token.i + 6] if t.head.i in (token.i,)]
    # "brought the hub at Odesa into operation": a particle's or preposition's own object
    following += [g.lower_ for c in token.children if c.dep_ in ("prep", "prt") for g in c.children]
    following += [c.lower_ for c in token.children if c.dep_ in ("prep", "prt")]
    # the words next to it, with room for an adverb: "are still on the drawing board"
    following += [t.lower_ for t in token.doc[token.i + 1 : token.i + len(words) + 2]]
    return all(w in following for w in words[1:])


# Words after a headline's act that put it ahead: "vote ... expected by spring".
STILL_TO_COME = frozenset(
    {"expected", "due", "planned", "scheduled", "slated", "likely", "possible", "mooted"}
)
# Units time is counted in: "two weeks into the ceasefire".
TIME_UNITS = frozenset({"day", "week", "month", "year", "hour", "fortnight", "decade"})
# Verbs that say a state goes on: "US support for the guarantees remains"; and what a
# state that goes on is said to be: "US support for the guarantees was as firm as ever".
HOLDING = frozenset(
    {
        "remain", "continue", "stay", "hold", "stand", "persist", "endure", "lock",
        "firm", "solid", "intact", "unchanged", "unwavering", "steadfast", "ironclad",
        "undiminished", "unshaken", "unconditional",
    }
)  # fmt: skip


def participant_words(verb: Any, rule: QuestionRule, clause: str) -> str:
    """The words of ``clause`` that can name who takes part: the subject, and arguments
    naming the rule's object; not another noun's modifiers ("British troops have been
    manning the UK-French hub" says nothing of French troops)."""
    subject = clauses.subject_of(verb)
    arguments = [c for c in verb.children if c.dep_ in ("dobj", "attr", "nsubjpass", "dative")]
    arguments += [
        o for p in verb.children if p.dep_ == "prep" for o in p.children if o.dep_ == "pobj"
    ]
    kept = [a for a in arguments if rule.objects.find(clauses.phrase(a))]
    listed = ""
    if (
        verb.dep_ in ("relcl", "acl")
        and verb.head.dep_ == "conj"
        and verb.head.head.i != verb.head.i
    ):
        # "2,400 French soldiers and 1,100 British troops stationed across Ukraine"
        listed = clauses.phrase(verb.head.head)
    if subject is None and not kept:
        return f"{clause} {listed}"
    dropped = {
        t.i
        for a in arguments
        if a not in kept and (subject is None or a.i != subject.i)
        for t in a.subtree
    }
    words = [t.text for t in clauses.clause_tokens(verb) if t.i not in dropped]
    if subject is not None:
        words.append(clauses.phrase(subject))
        if verb.dep_ == "conj" and any(
            t.dep_ == "poss" and t.lower_ in ("its", "their") for t in subject.subtree
        ):
            # "France's force remains on standby, and not one of its soldiers has crossed"
            earlier = clauses.subject_of(verb.head)
            if earlier is not None:
                words.append(clauses.phrase(earlier))
    if verb.dep_ in ("relcl", "acl") and verb.head.i != verb.i:
        words.append(clauses.phrase(verb.head))  # "the French soldiers who arrived"
    return " ".join([*words, listed])


TIME_PREPS = frozenset({"after", "before", "since", "until", "during", "following", "till"})


def outside_time(verb: Any, clause: str) -> tuple[str, str]:
    """``clause`` without the verb's phrases of time, and those phrases: in "has not
    begun, two weeks after the ceasefire" the ceasefire is when, not what; so in "rejected
    calls for Britain to start building hubs before a ceasefire", however deep."""
    timed = [
        " ".join(t.text for t in c.subtree)
        for c in verb.subtree
        if (c.dep_ == "prep" and c.lower_ in TIME_PREPS and c.i != verb.i)
        or (c.dep_ == "npadvmod" and c.head.i == verb.i)
    ]
    for text in timed:
        clause = clause.replace(text, " ", 1)
    return clause, " ".join(timed)


def in_phrase(token: Any, noun: Any) -> bool:
    """Whether ``token`` belongs to ``noun``'s own phrase: not to a verb's clause under it,
    as the "not" of "Rubio: US will not back Ukraine guarantees" read as one noun phrase."""
    for _ in range(8):
        if token.i == noun.i:
            return True
        token = token.head
        if token.i != noun.i and token.pos_ in ("VERB", "AUX"):
            return False
    return False


def _forms(word: str) -> set[str]:
    """A verb's written forms, for a headline the parser misreads: ratify, ratifies,
    ratified; ink, inks, inked; complete, completes, completed."""
    forms = {word, word + "s", word + "es", word + "ed", word + "d", word + "ing"}
    if word.endswith("y"):
        forms |= {word[:-1] + "ies", word[:-1] + "ied"}
    if word.endswith("e"):
        forms.add(word[:-1] + "ing")
    return forms


def _written_at(tokens: list[Any], at: int, action: str) -> int:
    """How many tokens from ``at`` spell ``action`` in any form of its first word (0: none)."""
    first, *rest = action.split()
    token = tokens[at]
    if token.lower_ not in _forms(first) and token.lemma_.lower() != first:
        return 0
    words = [t.lower_ for t in tokens[at + 1 : at + 1 + len(rest)]]
    return 1 + len(rest) if words == rest else 0


def written_action(rule: QuestionRule, tokens: list[Any], at: int) -> bool | None:
    """What the action spelled from ``at`` says (False: undone), or None when none is."""
    for actions, meaning in (
        (rule.negative_actions, False),
        (rule.actions, True),
        (rule.presupposing, True),
    ):
        for action in actions:
            # "be operational": a headline drops its "is"
            if _written_at(tokens, at, action.removeprefix("be ")):
                return meaning
    return None


_STAND_INS = frozenset({"it", "them", "they", "nothing", "none", "this", "these", "that", "those"})


def stands_for_object(verb: Any) -> bool:
    """Whether the verb's object (or passive subject) is a pronoun or "nothing", or the
    verb has none at all ("not one country has ratified yet")."""
    args = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
    particles = [c for c in verb.children if c.dep_ in ("advmod", "prt")]
    if not args and any(
        c.dep_ == "prep"
        and c.lower_ in ("from", "of", "to", "on", "for")
        and any(g.dep_ == "pobj" and g.lower_ not in _STAND_INS for g in c.children)
        for w in (verb, *particles)
        for c in w.children
    ):
        return False  # "walking away from peace" names what it walks away from
    if not args:
        # only when denied: "has not ratified yet" leaves out what is plain from the context;
        # "diplomacy began" does not
        return any(c.dep_ == "neg" or c.lower_ == "yet" for c in verb.children) or any(
            c.dep_ == "nsubj"
            and any(g.dep_ == "det" and g.lower_ in ("no", "not") for g in c.subtree)
            for c in verb.children
        )
    # "not backing that deal anymore": a demonstrative points to the thing named around
    return all(
        a.lower_ in _STAND_INS
        or any(
            c.dep_ == "det" and c.lower_ in ("that", "this", "those", "these") for c in a.children
        )
        for a in args
    )


def holds(terms: Terms, *texts: str) -> bool:
    """Whether any of ``texts`` holds one of ``terms``."""
    return any(terms.find(text) for text in texts if text)


def targets(rule: QuestionRule, clause: str, sentence: str) -> tuple[FactTarget, ...]:
    """The rule's fact keys a claim answers: those the clause (else the sentence) names."""
    named = tuple(t for t in rule.facts if t.requires and t.requires.find(clause))
    if not named:
        named = tuple(t for t in rule.facts if t.requires and t.requires.find(sentence))
    return named or tuple(t for t in rule.facts if not t.requires) or rule.facts


def nominal_value(rule: QuestionRule, verb: Any) -> bool | None:
    """What a verb (or its complement) says of the act it is about: "was reaffirmed",
    "remains", "stays frozen"; None when it says neither."""
    if verb.pos_ not in ("VERB", "AUX", "ADJ"):
        return None
    words = [
        verb,
        *(c for c in verb.children if c.dep_ in ("acomp", "oprd", "xcomp", "prep", "advmod")),
    ]
    if any(any(action_at(w, a) for a in rule.negative_actions) for w in words):
        return False
    if any(
        w.lemma_.lower() in HOLDING or any(action_at(w, a) for a in rule.actions) for w in words
    ):
        return True
    if _named_as_thing(verb):
        return True
    return None


# What a copula's noun calls an act without saying it is there: "US support is an open
# question", "a thing of the past".
_NOT_THERE = frozenset(
    {
        "question",
        "issue",
        "mystery",
        "doubt",
        "thing",
        "matter",
        "myth",
        "illusion",
        "fiction",
        "hope",
        "wish",
        "aim",
        "goal",
        "condition",
        "demand",
        "prospect",
        "possibility",
    }
)


def _named_as_thing(verb: Any) -> bool:
    """ "American support for the guarantees was the missing piece": what the act is
    called presupposes it is there."""
    if verb.lemma_ != "be" or any(c.dep_ == "neg" for c in verb.children):
        return False
    attrs = [c for c in verb.children if c.dep_ == "attr" and c.pos_ == "NOUN"]
    return bool(attrs) and not any(
        a.lemma_.lower() in _NOT_THERE
        or any(c.dep_ == "det" and c.lower_ == "no" for c in a.children)
        for a in attrs
    )
