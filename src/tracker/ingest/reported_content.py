"""What a reporting verb reports: its clause, else the main clause it hangs off, else what
follows it, cut where another speaker's words or a silence begin."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

OBJECT_PRONOUNS = frozenset({"him", "her", "them", "it", "us", "me", "you", "this", "that"})
_CONTRASTS = frozenset({"but", "while", "whereas", "yet"})


def answered(verb: Any, outer: Any) -> bool:
    """Whether ``verb``, joined by "but" to the clause ``outer`` reports, is another
    speaker's report in the same tense: "Trump says the club is worth $50m but the
    appraiser says it is worth $19m". The parse hangs it on the reported clause."""
    return (
        verb.dep_ == "conj"
        and verb.lemma_ == outer.lemma_
        and verb.tag_ == outer.tag_
        and any(c.dep_ == "nsubj" for c in verb.children)
        and any(c.dep_ == "cc" and c.lower_ in _CONTRASTS for c in verb.head.children)
    )


def _joined(tokens: list[Any]) -> str:
    """Tokens as text, a space where a cut left two words touching: "Europe, he said,
    would" is "Europe would", not "Europewould"."""
    out: list[str] = []
    for before, token in zip([None, *tokens], tokens, strict=False):
        if before is not None and token.i != before.i + 1 and not before.whitespace_:
            out.append(" ")
        out.append(token.text_with_ws)
    return "".join(out)


def _rest_of_sentence(sent: Any, verb: Any) -> str:
    """The sentence without the verb of saying and all it governs."""
    own = {t.i for t in verb.subtree}
    return _joined([t for t in sent if t.i not in own]).strip(" ,.-—")


def content_subject(verb: Any, subject: Any | None) -> Any | None:
    """A subject of ``verb`` before the speaker's, cut off from it by a comma: what
    was said, in "No French soldier in Ukraine, Paris says"."""
    if subject is None or subject.head.i != verb.i:
        return None
    for child in verb.children:
        if (
            child.dep_ in ("nsubj", "nsubjpass")
            and child.i < subject.i
            and child.right_edge.i + 1 < subject.left_edge.i
            and verb.doc[child.right_edge.i + 1].text == ","
        ):
            return child
    return None


def reported_content(
    sent: Any,
    verb: Any,
    subject: Any | None,
    silent: frozenset[str],
    second: Callable[[Any], bool] = lambda _: False,
    attributes: bool = False,
) -> str:
    """What a reporting verb reports: its clause, else the main clause it hangs off, else
    what follows it ("accused Washington of meddling"); not a ``second`` report of the
    same speaker that the parser hung on the verb ("... and warned that ..."). A verb that
    ``attributes`` the sentence around it ("..., Zakharova told her weekly briefing")
    reports the rest of the sentence."""
    doc = sent.doc
    if attributes:
        return _rest_of_sentence(sent, verb)
    for dep in ("ccomp", "xcomp"):
        clause = next(
            (
                c
                for c in verb.children
                # not the aside the speaker was read from: "Peskov, asked about X, said ..."
                if c.dep_ == dep and not (subject is not None and subject.head.i == c.i)
            ),
            None,
        )
        if clause is not None:
            # "said X was stoking tension, but made no mention of Y": the speaker's silence
            # hung on the reported clause is not part of what was said
            # "says the club is worth $50m but the appraiser says ...": the other speaker's
            # words are theirs
            cut = {
                t.i
                for c in clause.children
                if c.dep_ == "conj"
                and (
                    (
                        c.lemma_.lower() in silent
                        and not any(g.dep_ in ("nsubj", "nsubjpass") for g in c.children)
                    )
                    or answered(c, verb)
                    or second(c)
                )
                for t in (*c.subtree, *(g for g in clause.children if g.dep_ == "cc"))
            }
            # "said the hub opened by Britain near Lviv was "a legitimate target"", parsed
            # as two clauses of the verb: the words run to the end of the last that
            # follows on without a mark of its own
            end = clause.right_edge.i
            for c in verb.children:
                if second(c):
                    cut.update(t.i for t in c.subtree)
                    cut.add(c.i - 1)  # its "and"
                    cut.update(t.i for t in clause.children if t.dep_ == "cc")
                elif (
                    clause.i > verb.i
                    and c.i > clause.i
                    and (
                        c.dep_ == dep
                        or (
                            c.dep_ == "advcl"
                            and c.left_edge.i == end + 1
                            and not any(g.dep_ in ("mark", "nsubj") for g in c.children)
                        )
                    )
                ):
                    end = max(end, c.right_edge.i)
                    # "..., prompting London to summon the ambassador": the reporter's
                    cut.update(
                        t.i
                        for g in c.children
                        if g.dep_ == "advcl" and g.tag_ == "VBG" and doc[g.i - 1].text == ","
                        for t in (doc[g.i - 1], *g.subtree)
                    )
            words = [t.text_with_ws for t in doc[clause.left_edge.i : end + 1] if t.i not in cut]
            return "".join(words).strip(" ,")
    fronted = content_subject(verb, subject)
    if fronted is not None:
        # "Not a single French soldier in Ukraine, Paris says": the parser made the words
        # said a second subject of the verb
        return _joined(list(doc[fronted.left_edge.i : fronted.right_edge.i + 1])).strip(" ,.")
    if (
        subject is not None
        and subject.dep_ == "appos"
        and verb.dep_ in ("conj", "acl")
        # not "..., the embassy called the force "a provocation"": its words follow it
        and not any(c.dep_ == "oprd" and c.i > verb.i for c in verb.children)
    ):
        # "Hubs have been set up by the UK and France, the coalition said in a statement":
        # what comes before the speaker
        return _joined(list(doc[sent.start : subject.left_edge.i])).strip(" ,.-—")
    if verb.dep_ in ("parataxis", "ccomp", "advcl") and any(
        c.dep_ == "dobj" and c.i > verb.i for c in verb.children
    ):
        # "the ministry has issued no statement on the force, a review found": its object
        return str(doc[verb.i + 1 : verb.right_edge.i + 1].text).strip(" ,.")
    if verb.dep_ in ("parataxis", "ccomp", "advcl") and verb.head.i != verb.i:
        # "Plan is a dead end, Kremlin says": the rest of the sentence is what was said
        return _rest_of_sentence(sent, verb)
    start = verb.i + 1
    if subject is not None and subject.i > verb.i:
        start = subject.right_edge.i + 1
    passive = next((c for c in verb.children if c.dep_ == "nsubjpass" and c.i < verb.i), None)
    if passive is not None and subject is not None and subject.head.dep_ == "agent":
        # "The arrival of French troops was condemned by Russia's foreign ministry as ...":
        # what was condemned, and how
        what = _joined(list(doc[passive.left_edge.i : passive.right_edge.i + 1]))
        rest = str(doc[start : verb.right_edge.i + 1].text) if verb.right_edge.i >= start else ""
        return f"{what.strip()} {rest.strip(' ,.:')}".strip()
    if verb.right_edge.i >= start:
        return str(doc[start : verb.right_edge.i + 1].text).strip(" ,.:")
    before = [t.text_with_ws for t in sent if t.i < verb.left_edge.i]
    return "".join(before).strip(" ,.-—")
