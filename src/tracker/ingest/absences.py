"""Claims that a thing is not there: "Talks ended without a ceasefire", "There is still
no ceasefire", "No ceasefire yet", "With no ceasefire in sight, ...".
"""

from __future__ import annotations

from typing import Any

from tracker.ingest import clauses, moods
from tracker.ingest.claim_places import in_place
from tracker.ingest.claim_sides import agent_side
from tracker.ingest.claim_words import action_at, in_phrase, targets
from tracker.ingest.claims import Claim
from tracker.ingest.rules import ExtractionConfig, QuestionRule
from tracker.ingest.voices import Voices


class Absences:
    """Claims of a rule that its thing is missing."""

    def __init__(self, voices: Voices, config: ExtractionConfig) -> None:
        self.voices = voices
        self.config = config

    def without(self, sent: Any, token: Any, rule: QuestionRule, title: str) -> Claim | None:
        """ "Talks ended without a ceasefire", "citing the lack of a ceasefire"; "No ceasefire
        has been reached" is an action."""
        if token.dep_ != "prep":
            return None
        # "the lack of a ceasefire", not "the lack of respect for the ceasefire"; "promised
        # to set up military hubs ..., there is still no sign of them"
        lacked = [o for o in token.children if o.dep_ == "pobj"]
        before = sent.doc[sent.start : token.i].text
        pointed = [o for o in lacked if o.lower_ in ("them", "it") and rule.objects.find(before)]
        no_sign = token.head.lemma_.lower() in ("sign", "trace") and any(
            c.dep_ == "det" and c.lower_ == "no" for c in token.head.children
        )
        lacking = (
            token.lower_ == "of"
            and (token.head.lemma_.lower() in ("lack", "absence") or no_sign)
            and (any(rule.objects.find(o.text) for o in lacked) or bool(pointed))
        )
        if token.lower_ != "without" and not lacking:
            return None
        what = " ".join(t.text for t in token.subtree)
        if pointed:
            what = f"{what} {' '.join(rule.objects.find(before))}"
        if not rule.objects.find(what):
            return None
        verb = token.head
        if lacking:
            verb = verb.head  # "citing the lack of", "in the absence of"
            # "citing renewed fighting and the lack of ...": through the list to its verb
            while verb.dep_ in ("pobj", "prep", "conj", "dobj") and verb.head.i != verb.i:
                if verb.pos_ in ("VERB", "AUX"):
                    break
                verb = verb.head
        if verb.pos_ not in ("VERB", "AUX"):
            return None
        acts = [c for c in token.children if c.dep_ == "pcomp" and c.pos_ == "VERB"]
        if acts and not any(action_at(acts[0], a) for a in (*rule.actions, *rule.negative_actions)):
            return None  # "broke for the summer without ratifying the guarantees" backs nothing
        if rule.agent_side is not None and (agent_side(verb, self.voices, None) != rule.agent_side):
            return None
        if not all(group.find(what) or group.find(sent.text) for group in rule.participants):
            return None
        if not in_place(rule, verb, sent.text, title, denied=True):
            return None
        mood = moods.mood(verb, sent, self.config)
        if mood.negated and not (lacking and no_sign):  # "there is no sign of" is its own "no"
            return None  # "did not end without a deal" says nothing plain
        return Claim(
            rule=rule,
            targets=targets(rule, what, sent.text),
            value=False,
            modality=mood.modality,
            tense=moods.tense(verb, self.config),
            how="without",
            when_text=clauses.clause_text(verb),
        )

    def none_left(self, sent: Any, token: Any, rule: QuestionRule, title: str) -> Claim | None:
        """ "There is still no ceasefire", "No ceasefire yet": the thing does not exist."""
        if token.pos_ not in ("NOUN", "PROPN") or not rule.objects.find(token.text):
            return None
        if rule.agent_side is not None:
            return None  # no guarantees at all says nothing of who backs them
        if not _negated_noun(token, self.config.negators):
            return None  # "no ceasefire", "not a single hub"
        # "no ceasefire, no ratification and not a single French soldier": the first of
        # the coordinated phrases says where they all stand
        anchor = token
        while anchor.dep_ == "conj" and anchor.head.i != anchor.i:
            anchor = anchor.head
        token_dep = anchor.dep_
        head = anchor.head
        # "Not a single French soldier in Ukraine, Paris says", however the parser hangs it
        # ("no French soldier ..., the institute said": "no X" is never who speaks)
        said = head.lemma_.lower() in self.config.reporting_verbs and (
            token_dep in ("ccomp", "dobj", "npadvmod", "nsubj")
        )
        # "With no ceasefire in sight, ..."
        absolute = token_dep == "pobj" and head.lower_ == "with"
        if not (
            token_dep == "ROOT"
            or said
            or absolute
            or (head.lemma_ == "be" and token_dep in ("attr", "nsubj"))
        ):
            return None
        if not all(group.find(sent.text) for group in rule.participants):
            return None
        if not in_place(rule, token if said else head, sent.text, title, denied=True):
            return None
        modality = (
            "actual"
            if token_dep == "ROOT" or said or absolute
            else moods.modality(head, sent, self.config)
        )
        return Claim(
            rule=rule,
            targets=targets(rule, sent.text, sent.text),
            value=False,
            modality=modality,
            tense=moods.tense(head, self.config),
            how="none-left",
        )


def _negated_noun(token: Any, negators: frozenset[str]) -> bool:
    """Whether the noun's own phrase denies it: "no ceasefire", "not a single hub"."""
    return any(
        (
            (c.dep_ == "det" and c.lower_ in negators)
            or (c.i < token.i and c.lower_ in ("no", "not") and c.dep_ in ("neg", "advmod", "det"))
        )
        and in_phrase(c, token)
        for c in token.subtree
    )
