"""Whether a clause says its verb did not happen, or sits inside what someone denied.

Read from spaCy's dependency parse (``neg``, ``det``, ``xcomp``) with the word lists in
config as the vocabulary: "has not signed", "no soldier has crossed", "has yet to sign",
"refused to sign" are negated; "denied that troops had arrived" is denied.
"""

from __future__ import annotations

from typing import Any

from tracker.ingest.clauses import reduced_main
from tracker.ingest.rules import ExtractionConfig


def _negator(token: Any, config: ExtractionConfig) -> bool:
    if token.dep_ == "neg":
        return True
    if token.lower_ in config.negators and token.dep_ in ("det", "advmod", "neg", "preconj"):
        return True
    # "no longer": the negation hangs off the adverb
    return token.dep_ == "advmod" and any(c.dep_ == "neg" for c in token.children)


def _quoted_after(verb: Any, word: Any) -> bool:
    """ "replied: "Categorically not."": a word after a colon that follows the verb is
    what was said, not the verb's own."""
    return word.i > verb.i and any(t.text == ":" for t in verb.doc[verb.i : word.i])


def still_to(verb: Any) -> bool:
    """ "UK, France still to open hubs": not done yet."""
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children) and any(
        c.lower_ in ("still", "yet") for c in verb.children
    )


def is_negated(verb: Any, config: ExtractionConfig) -> bool:
    """The verb is said not to have happened."""
    if any(_negator(c, config) and not _quoted_after(verb, c) for c in verb.children):
        return True
    if still_to(verb):
        return True
    owned = list(verb.children)
    if reduced_main(verb):
        # "None of the guarantees agreed in Paris has been ratified": the subject hangs on
        # the participle the parser made the main verb
        owned += [c for c in verb.head.children if c.dep_ == "nsubj"]
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    if len(subjects) > 1:
        # "Not a single French soldier in Ukraine, Paris says", "No French soldiers in
        # Ukraine yet, says Macron": the first "subject" is what was said, and its "not"
        # is its own; "No comment on Paris summit, says Kremlin" is silence all the same
        owned = [
            c
            for c in owned
            if c not in subjects[:-1]
            or c.lemma_.lower() in config.light_objects
            or c.lower_ in ("nothing", "none")
        ]
    for child in owned:
        # "No French soldier has crossed", "no ceasefire was signed"
        if child.dep_ in ("nsubj", "nsubjpass") and _misread_mention(verb, child, config):
            continue
        if child.dep_ in ("nsubj", "nsubjpass", "dobj", "attr") and any(
            g.lower_ in config.negators
            and g.i < child.i
            and g.dep_ in ("det", "neg", "advmod", "preconj")
            for g in child.subtree
        ):
            return True  # "no soldier", "not a single parliament", "not one of the countries"
        if child.dep_ == "dobj" and child.lower_ in ("nothing", "none"):
            return True
        if child.dep_ in ("nsubj", "nsubjpass"):
            # "None of the countries has ratified"; "not a single soldier" where the parser
            # hung the "not" on the phrase before
            before = child.left_edge.i - 1
            if child.lower_ in config.negators or (
                before >= verb.sent.start and child.doc[before].lower_ in ("not", "never")
            ):
                return True
    head = verb.head
    if verb.dep_ in ("xcomp", "ccomp") and head.i != verb.i:
        # "has yet to sign", "is still to sign"
        if any(c.lower_ == "yet" for c in (*head.children, *verb.children)):
            return True
        # "refused to sign", "declined to comment", "failed to reach"
        if head.lemma_.lower() in config.refusal_verbs and verb.dep_ == "xcomp":
            return not is_negated(head, config)  # "did not refuse to sign" is not a refusal
        if verb.dep_ == "xcomp" and is_negated(head, config):
            return True
    return verb.dep_ == "conj" and head.i != verb.i and is_negated_shared(head, verb, config)


def _misread_mention(verb: Any, subject: Any, config: ExtractionConfig) -> bool:
    """ "He made no mention of the troops stationed under the ceasefire agreed in
    August": the parser makes "mention" the subject of "agreed"; "no" is the mention's."""
    return (
        subject.lemma_.lower() in config.light_objects
        and verb.lemma_.lower() not in config.silence_verbs
        and subject.head.i == verb.i
        and verb.doc[verb.i - 1].i != subject.i
        and any(t.dep_ == "pobj" for t in subject.subtree)
        # "No comment on Paris summit, says Kremlin": what was said, not a misread mention
        and sum(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children) == 1
    )


def is_negated_shared(head: Any, verb: Any, config: ExtractionConfig) -> bool:
    """'did not meet or sign': a negation before a coordination covers both verbs."""
    return any(c.dep_ == "neg" and c.i < head.i for c in head.children) and not any(
        c.dep_ in ("nsubj", "aux") for c in verb.children
    )


def is_denied(verb: Any, config: ExtractionConfig) -> bool:
    """Inside what someone denied: "denied that troops had arrived", "dismissed reports that"."""
    token = verb
    for _ in range(6):
        if token.head.i == token.i:
            return False
        came_from = token
        token = token.head
        lemma = token.lemma_.lower()
        if lemma in config.deny_verbs and came_from.dep_ in ("ccomp", "dobj", "acl", "xcomp"):
            return not is_negated(token, config)
        if token.pos_ == "NOUN" and lemma in config.report_nouns:
            owner = token.head
            if owner.lemma_.lower() in (config.deny_verbs | config.dismiss_verbs):
                return True
    return False
