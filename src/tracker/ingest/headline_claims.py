"""A headline's claims read from its words, for when its parse gave none: "Moscow, Kyiv
ink truce", "Coalition completes ratification of guarantees".
"""

from __future__ import annotations

from typing import Any

from tracker.ingest.claim_places import headline_places
from tracker.ingest.claim_words import STILL_TO_COME, action_at, targets, written_action
from tracker.ingest.claims import Claim
from tracker.ingest.rules import ExtractionConfig, QuestionRule
from tracker.ingest.voices import Voices


class Headlines:
    """Reads a rule's claim from a headline's words."""

    def __init__(self, voices: Voices, config: ExtractionConfig) -> None:
        self.voices = voices
        self.config = config
        # words after which what follows is no plain claim
        self._blockers = (
            config.negators
            | config.deny_verbs
            | config.future_aux
            | config.modal_aux
            | config.planning
            | config.conditional_marks
            | config.temporal_marks
            | config.refusal_verbs
            | {"to", "not", "n't", "yet", "still", "short", "without", "against"}
        )

    def read(self, sent: Any, rule: QuestionRule) -> list[Claim]:
        """A headline's claim read from its words when its parse gave none: "Moscow, Kyiv
        ink truce", "Coalition completes ratification of guarantees". Only a plain
        statement counts: nothing negated, denied, asked, planned or wished before it."""
        text = sent.text
        if (
            not rule.objects.find(text)
            or text.rstrip(" \"'\u201d\u2019").endswith("?")
            or (rule.excludes and rule.excludes.find(text))
        ):
            return []
        if not all(group.find(text) for group in rule.context):
            return []
        tokens = list(sent)
        blockers = self._blockers
        for at, token in enumerate(tokens):
            value = None
            # the rule's thing is no act of its own: "US weighing role in Ukraine guarantees"
            thing = token.pos_ == "NOUN" and rule.objects.find(token.lower_)
            if token.pos_ in ("VERB", "NOUN", "AUX", "ADJ") and not thing:
                value = written_action(rule, tokens, at)
            if value is None:
                if (
                    token.lower_ in ("still", "yet")
                    and at + 1 < len(tokens)
                    and written_action(rule, tokens, at + 1) is False
                ):
                    continue  # "Guarantees still unratified": still not done, said plainly
                if (token.lower_ in blockers or token.lemma_.lower() in blockers) and (
                    token.dep_ not in ("amod", "compound", "pobj", "poss", "nsubj", "dobj")
                ):
                    return []  # what follows is no plain claim; the parse has had its say
                continue
            if _imperative(tokens, at):
                return []  # "Opinion: Ratify the guarantees, or they are worthless": a call
            following = tokens[at + 1 : at + 3]
            if following and following[0].lower_ == "to" and following[-1].pos_ == "VERB":
                return []  # "agrees to ratify"
            if [t.lower_ for t in following] == ["or", "not"]:
                return []  # "Ratified Or Not, Paris Guarantees Are 'Not Worth The Paper'"
            if any(t.lower_ in STILL_TO_COME for t in tokens[at + 1 :]):
                return []  # "Canadian vote on Ukraine commitments expected by spring"
            if not self._fits(rule, tokens, at, text):
                continue
            return [
                Claim(
                    rule=rule,
                    targets=targets(rule, text, text),
                    value=value,
                    modality="actual",
                    tense="present",
                    how="headline",
                )
            ]
        return []

    def _fits(self, rule: QuestionRule, tokens: list[Any], at: int, text: str) -> bool:
        """Whether the headline, with its action at ``at``, names the rule's thing, side,
        participants and place."""
        before = " ".join(t.text for t in tokens[:at])
        after = " ".join(t.text for t in tokens[at:])
        if not rule.objects.find(after) and not rule.objects.find(before):
            return False
        if rule.agent_side is not None and self.voices.side_in(before) != rule.agent_side:
            return False
        if rule.step_agents.find(before) and any(
            action_at(tokens[at], a) for a in rule.step_actions
        ):
            return False  # "Italy's cabinet approves Ukraine guarantees bill"
        if not all(group.find(text) for group in rule.participants):
            return False
        if rule.place and not rule.place.find(text):
            return False
        # "UK and France open logistics hub in Poland to supply Ukraine"
        return not (rule.place and not all(rule.place.find(p) for p in headline_places(tokens)))


def _imperative(tokens: list[Any], at: int) -> bool:
    """Whether the action word opens the headline, or its part after a colon or dash, in
    its bare form with no subject: an order or a call ("Ratify the guarantees")."""
    token = tokens[at]
    opens = at == 0 or tokens[at - 1].text in (":", "-", "\u2013", "\u2014")
    # "Ratify guarantees now, Zelensky tells allies", where the parser makes the verb a
    # compound of its object
    bare = token.tag_ == "VB" or (
        token.dep_ == "compound" and token.lower_ == token.lemma_.lower() and at == 0
    )
    return opens and bare and not any(c.dep_ in ("nsubj", "nsubjpass") for c in token.children)
