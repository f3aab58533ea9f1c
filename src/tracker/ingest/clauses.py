"""What a clause says about its verb's arguments: its words, its phrases, who did it.

Read from spaCy's dependency parse (``nsubj``, ``agent``, ``relcl``, ``conj``): the
clause without the clauses hanging off it, a noun phrase without its relative clause, the
subject a verb has or shares. Whether the verb happened is in ``negations`` and
``moods``.
"""

from __future__ import annotations

from typing import Any

# Children that open a clause of their own: their words are not this verb's arguments.
CLAUSE_DEPS = frozenset({"ccomp", "advcl", "relcl", "parataxis", "xcomp", "csubj", "acl"})
SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj", "expl")


def clause_text(verb: Any) -> str:
    """The verb with its own arguments, without the clauses hanging off it."""
    return " ".join(t.text for t in clause_tokens(verb))


def clause_tokens(verb: Any) -> list[Any]:
    skip: set[int] = set()
    # "France was ready to lead a force": what the adjective governs is another clause too
    owners = [verb, *(c for c in verb.children if c.dep_ in ("acomp", "oprd", "attr"))]
    for owner in owners:
        for child in owner.children:
            if child.dep_ in CLAUSE_DEPS or (
                child.dep_ == "conj" and child.pos_ in ("VERB", "AUX")
            ):
                skip.update(t.i for t in child.subtree)
    return [t for t in verb.subtree if t.i not in skip]


def argument_text(verb: Any) -> str:
    """The verb's subject and objects, inherited subject included; for a relative clause
    ("the ceasefire it signed", "hubs that France set up") the noun it qualifies."""
    parts = [clause_text(verb)]
    subject = subject_of(verb)
    if subject is not None and subject.head.i != verb.i:
        parts.append(phrase(subject))
    qualifier = verb
    if verb.dep_ == "xcomp" and verb.head.dep_ == "relcl":
        qualifier = verb.head  # "the guarantees, which Washington stopped backing"
    if qualifier.dep_ in ("relcl", "acl") and qualifier.head.i != qualifier.i:
        # "Opening of first UK-French hub delayed": the noun with its own phrase
        parts.append(phrase(qualifier.head))
        noun = qualifier.head
        for _ in range(4):
            # "the ceasefire between Russia and Ukraine, which came into force", the clause
            # hung on "Russia": the noun the phrase belongs to; "the guarantees drawn up
            # in Paris, which Washington endorsed", through the participle
            if noun.dep_ not in ("pobj", "conj", "prep", "acl") or noun.head.i == noun.i:
                break
            noun = noun.head
            if noun.pos_ in ("NOUN", "PROPN") and noun.dep_ != "conj":
                parts.append(noun.text)
                break
    deps = {c.dep_ for c in verb.children}
    if "auxpass" in deps and "nsubjpass" not in deps:
        # A passive whose subject the parser hung elsewhere: "The guarantees agreed in
        # Paris have been ratified" read with "agreed" as the main verb.
        parts.append(verb.doc[verb.sent.start : verb.i].text)
    if not deps & {"dobj", "attr", "nsubjpass", "prep", "acomp"}:
        # "supports the security framework for Ukraine agreed in Paris", the object read
        # as the subject of a clause of its own
        for child in verb.children:
            if child.dep_ == "ccomp":
                subject = next((c for c in child.children if c.dep_ == "nsubj"), None)
                if subject is not None and subject.i > verb.i:
                    parts.append(phrase(subject))
                    if child.i == subject.right_edge.i + 1:
                        # "supports the security guarantees its allies agreed": the noun
                        # itself read as that clause's verb
                        parts.append(child.text)
    doc = verb.doc
    for prep in verb.children:
        if prep.dep_ != "prep" or any(c.dep_ == "pobj" for c in prep.children):
            continue
        # 'stood "firmly behind" the guarantees agreed in Paris': the preposition's object
        # read as the subject of the clause that follows
        for token in doc[prep.right_edge.i + 1 : min(prep.right_edge.i + 6, verb.sent.end)]:
            if token.dep_ in ("nsubj", "nsubjpass") and token.head.i > token.i:
                parts.append(phrase(token))
                break
            if token.pos_ not in ("PUNCT", "DET", "ADJ", "NOUN", "PROPN"):
                break
    return " ".join(parts)


def phrase(token: Any) -> str:
    """A noun phrase without its relative clauses or appositives' clauses."""
    skip: set[int] = set()
    for child in token.children:
        if child.dep_ in ("relcl", "acl", "advcl", "punct") and child.i > token.i:
            skip.update(t.i for t in child.subtree)
    return " ".join(t.text for t in token.subtree if t.i not in skip).strip(" ,")


def subject_of(verb: Any) -> Any | None:
    """Who does the verb: its subject, the passive agent, else the subject it shares."""
    for find in (
        _agent,
        _own_subject,
        _reduced_subject,
        _noun_owner,
        _as_subject,
        _stranded_subject,
        _shared_subject,
        _first_to,
    ):
        found = find(verb)
        if found is not None:
            return found
    return None


def _first_to(verb: Any) -> Any | None:
    """ "Denmark became the first country to ratify", "the latest director to turn his
    hand to TV": the infinitive that qualifies a noun a copula says of someone is done by
    that someone."""
    said_of = _said_of(verb)
    return _own_subject(said_of[1]) if said_of is not None and verb.dep_ == "relcl" else None


def _said_of(verb: Any) -> tuple[Any, Any] | None:
    """The noun an infinitive qualifies and the verb that says the noun of someone: "became
    the first country to ratify" gives (country, became)."""
    if not any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
        return None
    if verb.dep_ == "relcl" and verb.head.dep_ == "attr" and verb.head.i != verb.i:
        return verb.head, verb.head.head
    if verb.dep_ in ("advcl", "xcomp"):  # the parser may hang it on the copula
        noun = next((c for c in verb.head.children if c.dep_ == "attr" and c.i < verb.i), None)
        return (noun, verb.head) if noun is not None else None
    return None


_RANKS = frozenset({"first", "second", "third", "fourth", "fifth", "last", "latest", "only"})


def ranked_first_to(verb: Any) -> bool:
    """ "became the first country to ratify": an infinitive on a ranked noun said of
    someone tells what they did; "the next country to ratify" does not."""
    said_of = _said_of(verb)
    if said_of is None:
        return False
    noun, copula = said_of
    return copula.lemma_ in ("be", "become") and (
        noun.lower_ in _RANKS  # "became the first to ratify"
        or any(c.lower_ in _RANKS for c in noun.children if c.dep_ in ("amod", "advmod"))
    )


def _agent(verb: Any) -> Any | None:
    for child in verb.children:
        if child.dep_ == "agent":
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    return pobj
    return None


def _own_subject(verb: Any) -> Any | None:
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    if not subjects and verb.tag_ == "VBD" and not any(c.dep_ == "auxpass" for c in verb.children):
        # "Zelensky, speaking in Kyiv, called on allies", the name read as a passive subject
        # of a verb in the active past
        subjects = [c for c in verb.children if c.dep_ == "nsubjpass" and c.i < verb.i]
    if not subjects:
        return None
    # the nearest: "As of Tuesday, the eve of Christmas, Moscow had not ..." misparsed
    # with two subjects
    before = [c for c in subjects if c.i < verb.i]
    after = [c for c in subjects if c.i > verb.i]
    if before and after and any(t.text == ":" for t in verb.doc[before[-1].i : verb.i]):
        # "Sudan: AU steps up push, says Bankole Adeoye": the label before the colon
        # is no subject
        return after[0]
    return before[-1] if before else subjects[0]


def _reduced_subject(verb: Any) -> Any | None:
    for child in verb.children:
        # "the hubs promised to Ukraine remain on paper" misparsed with "promised" as a
        # clause of its own: its subject is this verb's
        # (tagged a past tense too: "the hubs promised to Ukraine remain on paper")
        if (
            child.dep_ == "advcl"
            and child.tag_ in ("VBN", "VBD")
            and child.i < verb.i
            and not any(g.dep_ == "mark" for g in child.children)
        ):
            reduced = next((g for g in child.children if g.dep_ == "nsubj"), None)
            if reduced is not None and not any(
                g.dep_ in ("aux", "auxpass") for g in child.children
            ):
                return reduced
    return None


def _as_subject(verb: Any) -> Any | None:
    """ "Sirens fell silent as a ceasefire came into force": the parser reads "as" as a
    preposition and hangs "came" on "fell"; the preposition's object is the subject."""
    if verb.dep_ != "conj" or verb.i == verb.sent.start:
        return None
    if any(c.dep_ in ("nsubj", "nsubjpass", "cc") for c in verb.children):
        return None
    token = verb.doc[verb.i - 1]
    for _ in range(8):
        if token.dep_ == "prep" and token.lower_ in ("as", "while", "after", "before", "until"):
            return next((c for c in token.children if c.dep_ == "pobj"), None)
        if token.head.i == token.i or token.head.i > verb.i:
            return None
        token = token.head
    return None


def _noun_owner(verb: Any) -> Any | None:
    """ "Washington's decision to withdraw", "the US decision to drop": the noun's owner."""
    if verb.dep_ != "acl" or verb.head.i == verb.i:
        return None
    owner = next((c for c in verb.head.children if c.dep_ == "poss"), None)
    if owner is None and verb.tag_ == "VB":
        owner = next(
            (c for c in verb.head.children if c.dep_ == "compound" and c.pos_ == "PROPN"),
            None,
        )
    return owner


def _stranded_subject(verb: Any) -> Any | None:
    """ "The allies pledged security guarantees and the United States backed the
    framework": the parser may join the second subject to the first object, and the second
    verb to the first; the name just before the verb is its subject."""
    if verb.dep_ != "conj" or verb.tag_ not in ("VBD", "VBZ", "VBP") or verb.i == 0:
        return None
    before = verb.doc[verb.i - 1]
    if before.dep_ != "conj" or before.ent_type_ not in ("GPE", "ORG", "PERSON", "NORP"):
        return None
    return before if before.head.i in {t.i for t in verb.head.subtree} else None


def _shared_subject(verb: Any) -> Any | None:
    token = verb
    for _ in range(4):
        if token is not verb and token.dep_ == "acl":
            # "Washington's decision to stop backing the guarantees": the noun's owner
            return _noun_owner(token)
        if token.head.i == token.i or not (
            token.dep_ in ("conj", "xcomp", "advcl")
            or (token.dep_ == "acomp" and token.pos_ == "VERB")  # "is broadly holding"
            or reduced_main(token)
        ):
            break
        token = token.head
        for child in token.children:
            if child.dep_ == "nsubj":
                return child
    return None


def reduced_main(verb: Any) -> bool:
    """A finite verb the parser hung under a participle: in "the hubs promised to Ukraine
    remain on paper", "remain" is the main verb and "promised" qualifies the hubs."""
    if verb.dep_ not in ("xcomp", "ccomp") or verb.head.tag_ not in ("VBD", "VBN"):
        return False
    if any(c.dep_ in ("nsubj", "nsubjpass", "mark") for c in verb.children):
        return False
    if verb.tag_ in ("VB", "VBP", "VBZ"):
        return not any(c.dep_ == "aux" for c in verb.children)
    # "None of the guarantees agreed in Paris has been ratified": the perfect passive
    # right after the participle's phrase, whose subject is the finite verb's
    return (
        verb.tag_ == "VBN"
        and any(c.dep_ == "auxpass" for c in verb.children)
        and any(c.dep_ == "aux" and c.tag_ in ("VBZ", "VBP", "VBD") for c in verb.children)
        and any(c.dep_ == "nsubj" and c.i < verb.head.i for c in verb.head.children)
    )


# Verbs that take whom they move and a "to" clause: "urged the UN to act".
_MOVING = frozenset({"urge", "ask", "tell", "order", "press", "encourage", "advise", "invite"})


def urged(verb: Any) -> bool:
    """A headline's passive without its auxiliary: in "UN urged to launch ..." the UN is
    the one urged, not the one speaking; with no one urged the verb is not active."""
    return (
        (verb.tag_ == "VBN" or verb.lemma_.lower() in _MOVING)
        and not any(c.dep_ in ("aux", "auxpass", "agent", "dobj", "dative") for c in verb.children)
        and any(
            c.dep_ == "xcomp" and any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children)
            for c in verb.children
        )
    )


def time_words(token: Any) -> str:
    """The words that date the act itself: the time phrases of its verb and of the verbs a
    participle or a conjunct hangs on ("Eleven years ago today, leaders agreed on a
    ceasefire ..., signed by Kyiv"); not those of a relative clause or an apposition ("a war
    that began in 2022", "unthinkable a year ago")."""
    words: list[str] = []
    node = token
    # "A ceasefire signed in February 2015 was broken within days": the thing's own date
    things = [
        c for c in token.children if c.dep_ in ("nsubj", "nsubjpass", "dobj") and c.pos_ == "NOUN"
    ]
    words += [time_words(a) for t in things for a in t.children if a.dep_ == "acl"]
    for _ in range(8):
        if node.pos_ in ("VERB", "AUX"):
            words += [
                " ".join(t.text for t in child.subtree)
                for child in node.children
                if child.dep_ in ("npadvmod", "advmod")
                or (
                    child.dep_ == "prep"
                    and any(
                        o.dep_ == "pobj"
                        and (
                            o.ent_type_ == "DATE"
                            or o.like_num
                            or any(g.like_num for g in o.children if g.dep_ == "nummod")
                        )
                        for o in child.children
                    )
                )
            ]
        if node.dep_ in ("relcl", "advcl", "ccomp", "parataxis", "appos") or node.head.i == node.i:
            break
        if node.dep_ == "conj" and any(c.dep_ in SUBJECT_DEPS for c in node.children):
            break  # "A year ago nobody believed it, but French troops are now there"
        node = node.head
    return " ".join(words)
