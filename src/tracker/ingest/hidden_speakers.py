"""Speakers the parse hides: the subject a gerund has of its own, the person named just
before a reporting verb that has no subject, an apposition ending at the verb, the one
"who" stands for. ``speakers`` asks these when a verb's own subject is not the speaker.
"""

from __future__ import annotations

from typing import Any


def after_saying(verb: Any) -> bool:
    """ "X has turned to television after revealing he is working on a series": a gerund
    after a preposition reports when it has a clause of its own; its speaker is the subject
    of the verb the preposition hangs from."""
    return (
        verb.tag_ == "VBG"
        and verb.head.dep_ == "prep"
        and verb.head.head.pos_ in ("VERB", "AUX")
        and any(c.dep_ == "ccomp" for c in verb.children)
    )


def gerund_subject(verb: Any) -> Any | None:
    """The subject a gerund has of its own: "..., with Ambassador Bankole Adeoye outlining
    a strategy" is Adeoye's, not the sentence subject's."""
    if verb.tag_ != "VBG" or verb.dep_ not in ("advcl", "pcomp"):
        return None
    if verb.dep_ == "pcomp" and verb.head.lower_ != "with":
        return None
    return next((c for c in verb.children if c.dep_ == "nsubj" and c.i < verb.i), None)


def named_just_before(verb: Any) -> Any | None:
    """ "X is no longer part of the guarantees, Matthew Whitaker, the US ambassador, told
    reporters", parsed with "told" a conjunct of "is": a reporting verb without a subject
    of its own, right after a named person and their apposition, is that person's."""
    # (or the root, with the speaker hung on a phrase before: "Commenting on the index,
    # which ranks countries on their sectors, its chief executive, Alex Cobham, said")
    # (or a past tense hung on the apposition itself: "..., a White House official
    # confirmed on Thursday")
    apposed = verb.dep_ == "acl" and verb.tag_ == "VBD" and verb.head.dep_ == "appos"
    if (verb.dep_ not in ("conj", "ROOT") and not apposed) or any(
        c.dep_ in ("nsubj", "nsubjpass", "csubj") for c in verb.children
    ):
        return None
    if apposed:
        head = verb.head
        start = head.left_edge.i
        return head if start > verb.sent.start and verb.doc[start - 1].text == "," else None
    token = verb.doc[verb.i - 1] if verb.i > verb.sent.start else None
    if token is None:
        return None
    if token.text != ",":
        return _apposed_just_before(token)
    for back in range(verb.i - 2, max(verb.sent.start, verb.i - 16) - 1, -1):
        candidate = verb.doc[back]
        if candidate.ent_type_ != "PERSON" or candidate.pos_ != "PROPN":
            continue
        between = verb.doc[candidate.i + 1 : verb.i]
        inside = {t.i for t in candidate.subtree}
        return candidate if all(t.i in inside or t.is_punct for t in between) else None
    return None


def _apposed_just_before(token: Any) -> Any | None:
    """ "Hubs have been set up by the UK and France, the coalition of the willing said",
    parsed with the speaker an apposition of "France": the apposition ending at the verb."""
    for _ in range(4):
        if token.dep_ == "appos":
            before = token.doc[token.left_edge.i - 1] if token.left_edge.i > 0 else None
            ends = token.right_edge.i == token.i or token.doc[token.right_edge.i + 1].pos_ in (
                "VERB",
                "AUX",
            )
            return token if before is not None and before.text == "," and ends else None
        if token.head.i == token.i:
            return None
        token = token.head
    return None


def antecedent(subject: Any | None, verb: Any) -> Any | None:
    """ "..., Catherine Vautrin, who said the hub was operational": the one a relative
    pronoun stands for, also across "who has known Trump and says ..."."""
    if subject is None or subject.tag_ not in ("WP", "WDT"):
        return subject
    token = verb
    for _ in range(4):
        if token.dep_ == "relcl":
            return token.head
        if token.dep_ != "conj":
            return None
        token = token.head
    return None
