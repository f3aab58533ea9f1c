"""Claims read from the act named as a noun: "US backing for the guarantees was
reaffirmed" (a nominal and what the sentence says of it), "the opening of the British
logistics hub" (a definite event noun: it took place), "two weeks into the ceasefire"
(time counted from a definite thing: it is there).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from tracker.ingest import clauses, moods, negations
from tracker.ingest.claim_places import in_place
from tracker.ingest.claim_sides import first_owner_side, owner_sides
from tracker.ingest.claim_words import TIME_UNITS, action_at, nominal_value, targets
from tracker.ingest.claims import Claim
from tracker.ingest.rules import ExtractionConfig, QuestionRule
from tracker.ingest.voices import Voices


class NounClaims:
    """Claims of a rule whose act a noun names."""

    def __init__(self, voices: Voices, config: ExtractionConfig) -> None:
        self.voices = voices
        self.config = config
        # words that make a thing one still to come: planned, promised, future
        self._not_yet = (
            config.planning
            | config.not_done_verbs
            | config.facts.hedges
            | {"future", "proposed", "promised", "potential", "would-be", "pledged", "new"}
        )

    def nominal(self, sent: Any, token: Any, rule: QuestionRule, title: str) -> Claim | None:
        """The act as a noun, and what the sentence says of it: "US backing for the
        guarantees was reaffirmed", "US support, restored in July", "stays frozen"."""
        if token.pos_ != "NOUN" or token.lemma_.lower() not in rule.nominals:
            return None
        own = clauses.phrase(token)
        had = _had_by_thing(token, rule)
        if had is not None:
            own = f"{own} {had}"  # "the guarantees have full American backing"
        if not rule.objects.find(own):
            return None
        if rule.agent_side is not None and rule.agent_side not in owner_sides(self.voices, token):
            return None
        verbs = [c for c in token.children if c.dep_ == "acl" and c.tag_ in ("VBN", "VBD")]
        if token.dep_ in ("nsubj", "nsubjpass") or had is not None:
            verbs.append(token.head)
        standing = any(c.dep_ == "amod" and c.lower_ in _STANDING for c in token.children)
        for verb in verbs:
            base = nominal_value(rule, verb)
            if base is None and (had is not None or _up_for(verb)):
                base = True
            if base is not None:
                break
        else:
            if not standing or token.head.pos_ not in ("VERB", "AUX"):
                return None
            # "Washington's continued backing for the guarantees shows ...": it goes on
            verb, base = token.head, True
        if not in_place(rule, verb, sent.text, title):
            return None
        mood = moods.mood(verb, sent, self.config)
        if _up_for(verb):
            if not mood.negated:
                return None  # "up for negotiation" is in doubt, not withdrawn
            mood = replace(mood, negated=False)  # "not up for negotiation": it stands
        return Claim(
            rule=rule,
            targets=targets(rule, own, sent.text),
            value=base != (mood.negated or mood.denied),
            modality="actual" if mood.denied else mood.modality,
            tense=moods.tense(verb, self.config),
            how="nominal",
            when_text=clauses.clause_text(verb),
        )

    def event_noun(self, sent: Any, token: Any, rule: QuestionRule, title: str) -> Claim | None:
        """ "the opening of the British logistics hub near Lviv": a definite event noun
        says the event took place; "the planned opening" or "the opening ... delayed" does not."""
        if token.pos_ != "NOUN":
            return None
        lemma = token.lemma_.lower()
        if lemma in rule.event_nouns:
            value = True
        elif lemma in rule.negative_event_nouns:
            value = False  # "the US withdrawal of support for the guarantees"
        else:
            return None
        if rule.agent_side is not None and first_owner_side(self.voices, token) != rule.agent_side:
            return None  # "Washington's reversal", "the US withdrawal": whose act it is
        definite = any(
            (c.dep_ == "det" and c.lower_ == "the") or c.dep_ == "poss" for c in token.children
        )  # "the opening of ...", "Britain's ratification of ..."
        if not self._taken_place(token, definite):
            return None
        own = clauses.phrase(token)
        if not rule.objects.find(own):
            return None
        verb = token.head
        while verb.dep_ in ("pobj", "prep", "dobj", "nsubj", "nsubjpass") and verb.head.i != verb.i:
            verb = verb.head
        said = self._value_in_clause(sent, token, verb, rule, value, definite)
        if said is None:
            return None
        value = said
        if not all(group.find(own) or group.find(sent.text) for group in rule.participants):
            return None
        if not in_place(rule, token, sent.text, title):
            return None
        return Claim(
            rule=rule,
            targets=targets(rule, own, sent.text),
            value=value,
            modality="actual",
            tense="past",
            how="event-noun",
            when_text=clauses.clause_text(verb) if verb.pos_ in ("VERB", "AUX") else "",
        )

    def _value_in_clause(
        self, sent: Any, token: Any, verb: Any, rule: QuestionRule, value: bool, definite: bool
    ) -> bool | None:
        """What the verb an event noun hangs on makes of the event: that it took place
        (``value``), that it was undone, or nothing."""
        if verb.pos_ not in ("VERB", "AUX"):
            # "ratification of the commitments is far from complete" says nothing
            return value if definite else None
        if moods.modality(verb, sent, self.config) != "actual":
            return None  # "will attend the opening"
        if (
            token.dep_ == "dobj"
            and token.head.i == verb.i
            and verb.lemma_.lower() in (self.config.not_done_verbs | self.config.stance_verbs)
        ):
            # "planned the deployment", "rehearsed the deployment of a brigade", "support US
            # participation in the guarantees"
            return None
        if any(action_at(verb, a) for a in rule.negative_actions):
            if token.dep_ not in ("nsubj", "nsubjpass") or negations.is_negated(verb, self.config):
                return None  # "attended the opening before it was postponed"
            return not value  # "Ratification of Italy's commitments was blocked"
        if (
            token.dep_ in ("nsubj", "nsubjpass")
            and (
                verb.lemma_.lower() in _HAPPENING
                or any(action_at(verb, a) for a in ("take place", "go ahead"))
            )
            and negations.is_negated(verb, self.config)
            and not any(
                c.dep_ in ("prep", "advcl", "npadvmod", "cc", "conj")
                or (c.dep_ == "advmod" and c.lower_ not in ("yet", "still", "ever"))
                for c in verb.children
            )
        ):
            # "the deployment of French troops has not taken place"; not "did not begin
            # until Monday", "did not happen overnight", "did not go ahead on Tuesday but"
            return not value
        return value if definite else None

    def located(self, sent: Any, token: Any, rule: QuestionRule) -> Claim | None:
        """ "the French military hub in the Odesa region", "French soldiers now in
        Ukraine": the thing itself, said to be in the rule's place, is there. Only for a
        rule with a place; not "the planned hub in Lviv", "any troops in Ukraine", nor the
        thing an act of the rule's own is done to ("the hub in Lviv has not opened")."""
        if not rule.place or token.pos_ != "NOUN" or token.lemma_.lower() not in rule.located:
            return None
        if (
            token.dep_ == "pobj"
            and token.head.lower_ in ("of", "on", "for", "toward", "towards")
            and token.head.head.lemma_.lower()
            in self._not_yet
            | _UNBUILT
            | self.config.decision_nouns
            | self.config.facts.attribute_nouns
            | rule.event_nouns
            | rule.negative_event_nouns
            | rule.nominals
        ):
            # "work on the hubs in Ukraine", "construction of the first hub"; "the opening
            # of the hub near Lviv was postponed": the act itself says what is so
            return None
        spots = [
            c
            for c in token.children
            if c.dep_ == "prep"
            and c.lower_ in ("in", "near", "outside", "at", "around", "across")
            and any(o.dep_ == "pobj" and rule.place.find(clauses.phrase(o)) for o in c.children)
        ]
        if not spots:
            return None
        definite = any(
            (c.dep_ == "det" and c.lower_ == "the") or c.dep_ == "poss" for c in token.children
        )
        now = any(g.lower_ in ("now", "already", "still") for s in spots for g in s.children)
        if not (definite or now):
            return None
        modifiers = [c for c in token.children if c.dep_ in ("amod", "compound", "acl", "nmod")]
        if any(m.lemma_.lower() in self._not_yet or m.lower_ in self._not_yet for m in modifiers):
            return None  # "the planned hub", "the promised hubs", "the future base"
        own = " ".join(t.text for t in token.subtree if t.i <= token.i)
        if not all(group.find(own) for group in rule.participants):
            return None
        if (
            rule.facts
            and all(t.requires for t in rule.facts)
            and not any(t.requires.find(own) for t in rule.facts)
        ):
            return None  # whose hub it is must be in the phrase
        verb = token.head
        while verb.dep_ in ("pobj", "prep", "conj", "appos") and verb.head.i != verb.i:
            verb = verb.head
        acts = (*rule.actions, *rule.negative_actions, *rule.presupposing)
        if any(
            action_at(v, a)
            for v in (verb, *(c for c in verb.children if c.dep_ in ("xcomp", "ccomp")))
            if v.lemma_ != "be"
            for a in acts
        ):
            # the act itself says what is so: "could not tour the hub", "the hub ... is not
            # expected to open before 2027"
            return None
        if (
            token.dep_ in ("nsubj", "nsubjpass")
            and not now
            and verb.lemma_ in ("be", "become")
            and any(c.dep_ == "acomp" and c.lower_ in _READY for c in verb.children)
            and moods.modality(verb, sent, self.config) != "actual"
        ):
            return None  # "the hubs in Ukraine would be ready within weeks of a ceasefire"
        if (
            token.dep_ in ("nsubj", "nsubjpass")
            and verb.lemma_ == "be"
            and any(
                c.dep_ == "advmod"
                and c.lower_ in ("away", "off")
                and any(g.lemma_.lower() in TIME_UNITS for g in c.children)
                for c in verb.children
            )
        ):
            return None  # "the first hub in Ukraine was weeks away"
        if verb.pos_ in ("VERB", "AUX") and (
            moods.modality(verb, sent, self.config) in _UNSURE
            or moods.under_allegation(verb, self.config)
            or any(
                c.dep_ == "acl" and c.head.lemma_.lower() in self.config.report_nouns
                for c in (verb, verb.head)
            )
        ):
            # "claimed it had destroyed the hub", "Moscow's claim to have hit the hub";
            # "Russia would strike the British hub in Lviv" still says there is one
            return None
        return Claim(
            rule=rule,
            targets=targets(rule, own, sent.text),
            value=True,
            modality="actual",
            tense="present",
            how="located",
        )

    def _taken_place(self, token: Any, definite: bool) -> bool:
        """Whether an event noun names an event, not a plan: "the opening of ...", not "the
        planned opening", "the expected launch"."""
        if not definite and not any(
            c.dep_ == "prep" and c.lower_ == "of" and c.i > token.i for c in token.children
        ):
            return False
        if token.dep_ == "pobj" and _aimed_at(token.head):
            return False  # "cleared the way for the ratification", "ahead of the opening"
        return not any(
            c.lemma_.lower() in self.config.planning or c.lower_ in self.config.planning
            for c in token.children
            if c.dep_ in ("amod", "compound", "nmod")
        )

    def anchored(self, sent: Any, token: Any, rule: QuestionRule, title: str) -> Claim | None:
        """ "Two weeks into the ceasefire", "a month after the truce", "since the ceasefire":
        time counted from a definite thing says it is there."""
        if rule.agent_side is not None or token.pos_ != "NOUN" or token.dep_ != "pobj":
            return None
        if not rule.objects.find(token.text) or not any(
            c.dep_ == "det" and c.lower_ == "the" for c in token.children
        ):
            return None
        prep = token.head
        if prep.lower_ == "with":
            # "With the ceasefire in force, ...", "with the ceasefire a week old": a thing
            # said to be in force, or to have an age, is there
            if not _in_force(token):
                return None
        elif prep.lower_ not in ("after", "since", "into"):
            return None
        else:
            # the count hangs on the preposition ("Two weeks into") or the preposition on it
            anchors = [
                prep.head,
                *(c for c in prep.children if c.dep_ in ("npadvmod", "advmod")),
            ]
            counted = prep.lower_ == "since" or any(
                a.lemma_.lower() in TIME_UNITS or a.lower_ in ("later", "on") for a in anchors
            )
            if not counted:
                return None
        if not all(group.find(sent.text) for group in rule.participants):
            return None
        if not in_place(rule, token, sent.text, title):
            return None
        return Claim(
            rule=rule,
            targets=targets(rule, sent.text, sent.text),
            value=True,
            modality="actual",
            tense="past",
            how="anchored",
        )


def _in_force(noun: Any) -> bool:
    """ "the ceasefire in force", "in place", "in effect"; "the ceasefire a week old"."""
    return any(
        (
            child.dep_ == "prep"
            and child.lower_ == "in"
            and any(g.lower_ in ("force", "place", "effect") for g in child.children)
        )
        or (
            child.dep_ == "amod"
            and child.lower_ == "old"
            and any(g.lemma_.lower() in TIME_UNITS for g in child.children)
        )
        for child in noun.children
    )


def _aimed_at(prep: Any) -> bool:
    """Whether a preposition points to what is still ahead: "pressure for", "the way
    for", "toward", and "before" or "ahead of" said of now; not "a ceremony for",
    "crowds gathered for", "shortly before the arrival of French troops, Russia struck"."""
    if prep.lower_ in ("toward", "towards"):
        return True
    if prep.lower_ == "before" or (prep.lower_ == "of" and prep.head.lower_ == "ahead"):
        return not _told_as_past(prep)
    if prep.lower_ in ("on", "over", "about") and prep.head.lemma_.lower() in _DEBATED:
        return True  # "the debate on the deployment of French troops": still a question
    if prep.lower_ != "for":
        return False
    # "pressure for the ratification", "arrangements for the arrival", "cleared the way
    # for"; not "a ceremony for the opening", "crowds gathered for it"
    if prep.head.pos_ in ("NOUN", "PROPN"):
        return prep.head.lemma_.lower() not in _MARKING
    return any(c.dep_ == "dobj" and c.lemma_.lower() in _PREPARED for c in prep.head.children)


# Nouns of a question still open: what they are "on" or "about" may not happen.
_DEBATED = frozenset(
    {"debate", "vote", "talks", "discussion", "discussions", "negotiations", "decision",
     "referendum", "consultation", "consultations", "hearing", "deliberations"}
)  # fmt: skip


def _told_as_past(token: Any) -> bool:
    """Whether the verb a phrase hangs on tells of the past: "Russia struck the port
    shortly before the arrival of French troops"."""
    for _ in range(6):
        if token.pos_ in ("VERB", "AUX"):
            return moods.told_in_past(token)
        if token.head.i == token.i:
            return False
        token = token.head
    return False


# Nouns whose "for" marks what took place: "a ceremony for the opening", "celebrations for
# the ratification", "security for the opening was provided by ...".
_MARKING = frozenset(
    {
        "ceremony",
        "celebration",
        "party",
        "reception",
        "ovation",
        "applause",
        "security",
        "praise",
        "thanks",
        "credit",
        "congratulation",
        "tribute",
        "parade",
        "concert",
        "festivity",
        "crowd",
        "guest",
    }
)


# Moods in which a thing named is not said to be there: "Will the hub in Lviv open?",
# "if the British hub in Lviv is attacked", a thriller's.
_UNSURE = frozenset({"question", "conditional", "fiction"})
# Words that say an act goes on: "Washington's continued backing", "renewed US support".
_STANDING = frozenset(
    {"continued", "continuing", "ongoing", "renewed", "unwavering", "steadfast", "full",
     "restored", "unconditional", "ironclad"}
)  # fmt: skip
# Verbs by which a thing holds an act: "the guarantees have full American backing".
_HAVING = frozenset({"have", "enjoy", "retain", "keep", "win", "receive", "secure"})
# What is still to be settled: "up for negotiation", "up for debate".
_SETTLING = frozenset({"negotiation", "debate", "discussion", "grabs", "review", "renegotiation"})


def _had_by_thing(token: Any, rule: QuestionRule) -> str | None:
    """The thing that holds an act named as a noun ("the guarantees have full American
    backing"), or None."""
    if token.dep_ != "dobj" or token.head.lemma_.lower() not in _HAVING:
        return None
    subject = clauses.subject_of(token.head)
    if subject is None or not rule.objects.find(clauses.phrase(subject)):
        return None
    return clauses.phrase(subject)


def _up_for(verb: Any) -> bool:
    """ "was not up for negotiation": a copula with "up for" what is still to settle."""
    return verb.lemma_ == "be" and any(
        g.dep_ == "pobj" and g.lemma_.lower() in _SETTLING
        for c in verb.children
        if c.lower_ == "up"
        for p in (c, *c.children)
        for g in (p, *p.children)
    )


# What a thing is once it is there: "the hubs would be ready", "will be operational".
_READY = frozenset({"ready", "operational", "open", "complete", "functional", "finished"})

# What is done toward a thing before it is there: "work on the hubs", "funding for them".
_UNBUILT = frozenset(
    {
        "work",
        "construction",
        "building",
        "plan",
        "funding",
        "preparation",
        "design",
        "search",
        "talk",
        "negotiation",
        "tender",
        "contract",
    }
)

# Verbs that say an event noun's event took place: "the opening has not happened".
_HAPPENING = frozenset(
    {"happen", "occur", "begin", "start", "proceed", "materialise", "materialize"}
)

# What a verb readies for what comes after: "paved the way for", "laid the ground for".
_PREPARED = frozenset({"way", "path", "ground", "groundwork", "stage", "road", "scene"})
