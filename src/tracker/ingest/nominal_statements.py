"""Statements named as nouns: "a Russian defence ministry claim that ...", "according to
the Kremlin", and silence given as news ("no comment from the Kremlin", "kept its
counsel")."""

from __future__ import annotations

from typing import Any

from tracker.ingest import clauses, moods, negations
from tracker.ingest.rules import ExtractionConfig
from tracker.ingest.said import SILENCE_NOUNS, Said, span_of
from tracker.ingest.voices import Speaker, Voices

# Verbs whose object is a statement still awaited: "waiting for confirmation that".
_AWAITED = frozenset(
    {
        "await",
        "wait",
        "seek",
        "request",
        "need",
        "demand",
        "want",
        "expect",
        "ask",
        "press",
        "push",
        "call",
        "hope",
        "urge",
    }
)
# Verbs whose object, a reply, was drawn from its author by their subject.
_DRAWING = frozenset({"draw", "prompt", "provoke", "trigger", "elicit", "spark", "earn"})


class NominalStatements:
    """What a sentence says was said, or not said, without a reporting verb of its own."""

    def __init__(self, voices: Voices, config: ExtractionConfig) -> None:
        self.voices = voices
        self.config = config

    def find(self, sent: Any, previous: Speaker | None, quote: str | None) -> list[Said]:
        return (
            self._claimed(sent, previous, quote)
            + self._according_to(sent, previous, quote)
            + self._silence(sent, previous)
            + self._reaction(sent, previous)
        )

    def _reaction(self, sent: Any, previous: Speaker | None) -> list[Said]:
        """ "The ratification drew a sharp response from Moscow": the reply's author
        spoke about what drew it (the verb's subject), or about what its "to" phrase names
        ("Moscow's reaction to the Paris guarantees, ..., shows")."""
        found = []
        for token in sent:
            if token.pos_ != "NOUN" or token.lemma_.lower() not in self.config.reaction_nouns:
                continue
            if any(c.dep_ == "det" and c.lower_ in self.config.negators for c in token.children):
                continue  # "no response from the Kremlin" is a silence, read as one
            source = next(
                (c for c in token.children if c.dep_ == "prep" and c.lower_ == "from"), None
            )
            author = (
                next((c for c in source.children if c.dep_ == "pobj"), None) if source else None
            )
            to = next((c for c in token.children if c.dep_ == "prep" and c.lower_ == "to"), None)
            if to is not None and all(c.pos_ == "PRON" for c in to.children if c.dep_ == "pobj"):
                to = None  # "the Democrats' response to it": to what, the text said before
            if author is None and to is not None:
                # "Moscow's reaction to the Paris guarantees"
                author = next((c for c in token.children if c.dep_ == "poss"), None)
            if author is None:
                continue
            verb = token.head
            # the reply is there only as what a verb of drawing brought, as the subject of
            # what it did, or in "there was": not "waiting for", "requested", "hoped for"
            drawn = token.dep_ == "dobj" and verb.lemma_.lower() in _DRAWING
            there = token.dep_ == "attr" and any(c.dep_ == "expl" for c in verb.children)
            acting = token.dep_ in ("nsubj", "nsubjpass") and (
                verb.lemma_.lower() not in self.config.not_done_verbs
            )
            if not (drawn or there or acting) or negations.is_negated(verb, self.config):
                continue  # "have not drawn a response from Moscow" is a silence
            what = to
            if what is None and drawn:
                what = next((c for c in verb.children if c.dep_ == "nsubj"), None)
            if what is None:
                continue
            speaker = self.voices.resolve(author, previous)
            if speaker is None:
                continue
            content = sent.doc[what.left_edge.i : what.right_edge.i + 1].text
            found.append(
                Said(
                    speaker=speaker,
                    verb=token.lemma_.lower(),
                    mode="reported",
                    content=" ".join(content.split()),
                    tense=moods.tense(verb, self.config),
                    modality=moods.modality(verb, sent, self.config),
                    speaker_span=span_of(author, sent),
                    spoken=True,
                )
            )
        return found

    def _claimed(self, sent: Any, previous: Speaker | None, quote: str | None) -> list[Said]:
        """ "a Russian defence ministry claim that French troops were deployed", "Moscow's
        warning that ...": a statement named as a noun, with its owner and its clause."""
        found = []
        for token in sent:
            if token.pos_ != "NOUN" or token.lemma_.lower() not in self.config.said_nouns:
                continue
            clause = next(
                (
                    c
                    for c in token.children
                    if c.dep_ in ("acl", "ccomp")
                    and any(g.dep_ == "mark" and g.lower_ == "that" for g in c.children)
                ),
                None,
            )
            owner = next(
                (
                    c
                    for c in reversed(list(token.lefts))
                    if c.dep_ in ("poss", "compound") and c.pos_ in ("NOUN", "PROPN")
                ),
                None,
            )
            if owner is None:
                # "accusations from five European countries that ...", "claims by Kyiv that"
                owner = next(
                    (
                        g
                        for c in token.children
                        if c.dep_ == "prep" and c.lower_ in ("from", "by")
                        for g in c.children
                        if g.dep_ == "pobj"
                    ),
                    None,
                )
            if clause is None or owner is None or self._not_made(token):
                continue
            speaker = self.voices.resolve(owner, previous)
            if speaker is None:
                continue
            content = str(sent.doc[clause.left_edge.i : clause.right_edge.i + 1].text)
            found.append(
                Said(
                    speaker=speaker,
                    verb=token.lemma_.lower(),
                    mode="reported",
                    content=" ".join(content.split()),
                    quote=quote,
                    tense=moods.tense(clause, self.config),
                    modality="question" if sent.text.strip().endswith("?") else "actual",
                    speaker_span=span_of(owner, sent),
                    spoken=True,
                )
            )
        return found

    def _not_made(self, noun: Any) -> bool:
        """ "no confirmation from the Kremlin that ...", "seeking a pledge from Washington
        that ...", "waiting for confirmation from Moscow": a statement not made, only
        wanted."""
        if any(c.dep_ == "det" and c.lower_ in self.config.negators for c in noun.children):
            return True
        governor = None
        if noun.dep_ in ("dobj", "nsubjpass"):
            governor = noun.head
        elif noun.dep_ == "pobj" and noun.head.lower_ == "for":
            governor = noun.head.head
        if governor is None:
            return False
        return governor.lemma_.lower() in _AWAITED

    def _according_to(self, sent: Any, previous: Speaker | None, quote: str | None) -> list[Said]:
        found = []
        for token in sent:
            if token.lower_ != "according" or token.i + 1 >= sent.end:
                continue
            to = sent.doc[token.i + 1]
            pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
            if to.lower_ != "to" or pobj is None:
                continue
            if any(
                a.lemma_.lower() in self.config.reporting_verbs
                and a.lemma_.lower() not in self.config.clause_verbs
                and any(
                    c.dep_ == "nsubj" and self.voices.resolve(c, None) is not None
                    for c in a.children
                )
                and not negations.is_negated(a, self.config)
                for a in token.ancestors
            ):
                continue  # "Peskov said ..., according to Interfax": Interfax is the source
            speaker = self.voices.resolve(pobj, previous)
            if speaker is None:
                continue
            own = set(range(token.i, pobj.right_edge.i + 1))
            ancestors = {a.i for a in token.ancestors}
            for other in sent:
                # "..., but Zelensky called it a success": another voice's words
                if (
                    other.i not in ancestors
                    and other.dep_ in ("conj", "advcl", "parataxis")
                    and other.lemma_.lower() in self.config.reporting_verbs
                    and any(c.dep_ == "nsubj" for c in other.children)
                ):
                    own.update(t.i for t in other.subtree)
                    own.update(c.i for c in other.head.children if c.dep_ == "cc" and c.i < other.i)
            rest = "".join(t.text_with_ws for t in sent if t.i not in own).strip(" ,.")
            found.append(
                Said(
                    speaker=speaker,
                    verb="according to",
                    mode="direct" if quote else "reported",
                    # the whole of what is attributed, of which a quotation may be part:
                    # "According to the embassy, the plan to set up hubs amounts to "..."
                    content=" ".join((rest or quote or "").split()),
                    quote=quote,
                    tense=moods.tense(sent.root, self.config),
                    modality="question" if sent.text.strip().endswith("?") else "actual",
                    speaker_span=span_of(pobj, sent),
                )
            )
        return found

    def _silence(self, sent: Any, previous: Speaker | None) -> list[Said]:
        """ "There was no comment from the Kremlin"; "Moscow has remained silent"."""
        found = []
        for token in sent:
            speaker_token = None
            if token.lemma_.lower() in SILENCE_NOUNS and any(
                c.dep_ == "det" and c.lower_ in self.config.negators for c in token.children
            ):
                source = next(
                    (c for c in token.children if c.dep_ == "prep" and c.lower_ in ("from", "by")),
                    None,
                )
                if source is not None:
                    speaker_token = next((c for c in source.children if c.dep_ == "pobj"), None)
            elif (
                token.lower_ == "silent"
                and token.dep_ in ("acomp", "oprd")
                and token.head.dep_ != "relcl"  # "Moscow, which stayed silent for two days,"
            ):
                speaker_token = clauses.subject_of(token.head)
            if speaker_token is None and self._keeps_silent(token):
                # "The Kremlin has kept its counsel", "remained tight-lipped"
                speaker_token = clauses.subject_of(token)
            if speaker_token is None:
                continue
            speaker = self.voices.resolve(speaker_token, previous)
            if speaker is None:
                continue
            found.append(
                Said(
                    speaker=speaker,
                    verb="silent",
                    mode="reported",
                    content=" ".join(sent.text.split()),
                    tense=moods.tense(sent.root, self.config),
                    negated=True,
                    speaker_span=span_of(speaker_token, sent),
                )
            )
        return found

    def _keeps_silent(self, verb: Any) -> bool:
        """Whether a silence phrase ("kept its counsel") begins at this verb."""
        if verb.pos_ not in ("VERB", "AUX"):
            return False
        rest = verb.doc[verb.i : min(verb.i + 4, verb.sent.end)].text
        found = self.config.silence_phrases.find(rest)
        return bool(found) and rest.casefold().startswith(found[0].split()[0])
