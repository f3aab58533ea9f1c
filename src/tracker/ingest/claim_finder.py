"""The claim finder: each rule's claims in a sentence, by the first reading that finds one.

A verb that does a rule's action (``actions``; ``negative_actions`` say it is undone;
``presupposing`` ones say the thing exists), with the rule's thing in its clause or
around it, done by the rule's side and participants, in its place; else the act as a
noun, time counted from it, "without" it or none of it left. A clause of background
gives way to the clause it hangs on.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from tracker.ingest import clauses, moods
from tracker.ingest.absences import Absences
from tracker.ingest.claim_places import in_place, named_places, placed
from tracker.ingest.claim_sides import (
    agent_side,
    headline_subject,
    holder_side,
    own_side,
    speaker_is,
)
from tracker.ingest.claim_words import (
    STILL_TO_COME,
    action_at,
    holds,
    outside_time,
    participant_words,
    stands_for_object,
    targets,
)
from tracker.ingest.claims import Claim
from tracker.ingest.headline_claims import Headlines
from tracker.ingest.noun_claims import NounClaims
from tracker.ingest.rules import ExtractionConfig, QuestionRule, Terms
from tracker.ingest.voices import Speaker, Voices


def _overruled(token: Any, claim: Claim, found: list[tuple[Any, Claim]]) -> bool:
    """Whether a clause of background is overruled by the clause it hangs on: in "Having
    withdrawn its support in March, Washington now backs the guarantees again" the
    sentence says what holds now."""
    for later in token.children:
        # "Ratification had been delayed twice, but on Thursday MPs approved it": what
        # the sentence says after "but" is what holds
        contrast = later.dep_ == "conj" and any(
            c.dep_ == "cc" and c.lower_ in ("but", "yet")
            for c in (*token.children, *later.children)
        )
        if contrast and any(
            other.value != claim.value and other.rule is claim.rule and t.i == later.i
            for t, other in found
        ):
            return True
    head = token
    for _ in range(8):
        if head.dep_ == "advcl" and head.head.i != head.i:
            main = head.head
            return any(
                other.value != claim.value and other.rule is claim.rule and t.i == main.i
                for t, other in found
            )
        if head.head.i == head.i:
            return False
        head = head.head
    return False


class ClaimFinder:
    """Finds the claims of a rule in a sentence: an action, or the act named as a noun,
    time counted from it, "without" it, or none of it left."""

    def __init__(self, voices: Voices, config: ExtractionConfig) -> None:
        self.voices = voices
        self.config = config
        self.nouns = NounClaims(voices, config)
        self.absences = Absences(voices, config)
        self.headlines = Headlines(voices, config)

    def find(
        self,
        sent: Any,
        rule: QuestionRule,
        title: str,
        previous: Speaker | None,
        document: str = "",
        own_place: bool = False,
    ) -> list[Claim]:
        """Claims of ``rule`` in ``sent``; ``title`` holds the headline and the sentences
        around this one, where the thing a rule is about may be named; ``document`` the
        whole text, where its context may be ("Ukraine" said once, in the lede). With
        ``own_place``, only acts whose verb names their place."""
        sentence = sent.text
        if not rule.objects.find(title):
            return []  # nothing the rule is about, here or around (``title`` holds this one)
        # another war's, another kind's: "India welcomed the ceasefire signed by Russia and
        # Ukraine" keeps the act whose own words name this story's parties and no other's
        excluded = rule.excludes.find(sentence) if rule.excludes else []
        if excluded and not _parties(sent, excluded):
            return []  # "in a first reading", "a gas hub": the sentence is of another kind
        if not all(
            holds(group, sentence, title) or _named_elsewhere(group, rule, document)
            for group in rule.context
        ):
            return []
        found: list[tuple[Any, Claim]] = []
        for token in sent:
            claim = self._action(sent, token, rule, title, previous)
            if own_place:
                if claim is not None and named_places(token):
                    found.append((token, claim))
                continue
            if claim is None:
                claim = self.nouns.nominal(sent, token, rule, title)
            if claim is None:
                claim = self.nouns.event_noun(sent, token, rule, title)
            if claim is None:
                claim = self.nouns.anchored(sent, token, rule, title)
            if claim is None:
                claim = self.nouns.located(sent, token, rule)
            if claim is None:
                claim = self.absences.without(sent, token, rule, title)
            if claim is None:
                claim = self.absences.none_left(sent, token, rule, title)
            if claim is not None:
                found.append((token, claim))
        if excluded:
            found = [(t, c) for t, c in found if _only_ours(t, rule)]
        found = [(t, replace(c, dated=clauses.time_words(t))) for t, c in found]
        if any(claim.how != "located" for _, claim in found):
            # "the UK-French hubs in Ukraine have yet to open": what the sentence says of
            # the thing outright beats what its phrase takes for granted
            found = [(token, claim) for token, claim in found if claim.how != "located"]
        return [claim for token, claim in found if not _overruled(token, claim, found)]

    def in_headline(self, sent: Any, rule: QuestionRule) -> list[Claim]:
        """A headline's claim read from its words when its parse gave none."""
        return self.headlines.read(sent, rule)

    def _action(
        self, sent: Any, token: Any, rule: QuestionRule, title: str, previous: Speaker | None
    ) -> Claim | None:
        if token.pos_ not in ("VERB", "AUX") and not (
            token.dep_ == "ROOT" and token.pos_ == "NOUN" and headline_subject(token) is not None
        ):
            return None  # a verb, or a headline's verb read as a noun: "Trump pledges ..."
        if token.pos_ == "NOUN" and any(t.lower_ in STILL_TO_COME for t in sent if t.i > token.i):
            return None  # "Canadian vote on Ukraine commitments expected by spring"
        # "exist only on paper" before "exist": the longer, negative reading wins
        verbal = _verb_read_as_compound(token)
        undoing = any(action_at(token, a) for a in rule.negative_actions)
        if undoing and (_ended_by_itself(token, rule) or _partly(token, rule)):
            # "the ceasefire collapsed": there was one ("has not collapsed": it holds);
            # "withdrew part of its contingent": the rest are still there
            base = False if moods.mood(token, sent, self.config).negated else None
        elif verbal is not None:
            # "Ottawa delays vote on ...": "vote" is what the headline's verb acts on
            if not any(action_at(verbal, a) for a in rule.negative_actions):
                return None
            base = False
        elif undoing:
            base = False
        elif any(action_at(token, a) for a in rule.actions):
            base = True
        elif any(action_at(token, a) for a in rule.presupposing):
            base = None  # "visited the hub": it exists; "did not visit it" says nothing
        else:
            return None
        if _bare_be(token, rule) or _a_step(token, rule):
            return None
        if base is False and _leaving_for(token):
            return None  # "French troops left for Ukraine": on their way there
        clause = _clause_about(token, rule, title)
        if clause is None or _acts_on_a_reply(token, self.config.reaction_nouns):
            return None
        if _a_maxim(token, rule):
            return None  # "nothing is agreed until everything is agreed"
        if base is None and not _thing_itself(token, rule):
            return None
        if not self._done_by(token, rule, clause, previous):
            return None
        mood = moods.mood(token, sent, self.config)
        undone = base is not None and base == (mood.negated or mood.denied)
        if not in_place(rule, token, sent.text, title, denied=undone):
            return None
        presupposed = base is None
        if base is None:
            if mood.negated or mood.denied:
                return None
            base = True
        value = base != (mood.negated or mood.denied)
        # what someone denied is a claim about what is, whatever the mood of the denial
        modality = "actual" if mood.denied and mood.modality != "question" else mood.modality
        if modality == "modal" and moods.backshifted(token, self.config):
            modality = "future"  # "said the US would back them": the "will" that was said
        if presupposed and modality in _PRESUPPOSITION_HOLDS and _definite_thing(token, rule):
            # "accused Kyiv of violating the ceasefire", "Moscow would keep to the truce":
            # what the verb does to "the ceasefire" may not be so; that there is one is
            modality = "actual"
        if (
            modality == "future"
            and value
            and token.lemma_.lower() in _GOING_ON
            and not _on_condition(token)
        ):
            # "French troops will remain in Ukraine": to remain, they are there now
            modality = "actual"
        return Claim(
            rule=rule,
            targets=targets(rule, clause, sent.text),
            value=value,
            modality=modality,
            tense=moods.tense(token, self.config),
            how="action",
            when_text=clauses.clause_text(token),
        )

    def _done_by(
        self, token: Any, rule: QuestionRule, clause: str, previous: Speaker | None
    ) -> bool:
        """Whether the rule's participants take part, its side acts, and the verb puts the
        act in a place when the rule wants one."""
        if rule.participants:
            taking_part = participant_words(token, rule, clause)
            if not all(
                group.find(taking_part) or speaker_is(self.config, group, token, previous)
                for group in rule.participants
            ):
                return False
        if (
            rule.agent_side is not None
            and (agent_side(token, self.voices, previous) or holder_side(self.voices, token, rule))
            != rule.agent_side
        ):
            return False
        if rule.outside_sides and own_side(token, self.voices) in rule.outside_sides:
            return False
        return not (rule.place and not placed(token, rule))


def _ended_by_itself(token: Any, rule: QuestionRule) -> bool:
    """ "The ceasefire collapsed", not "ceasefire talks collapsed": an act that is both
    undoing and presupposing in the rule, done by the thing itself (the head of the active
    subject)."""
    if any(c.dep_ in ("auxpass", "nsubjpass") for c in token.children):
        return False
    subject = next((c for c in token.children if c.dep_ == "nsubj"), None)
    return (
        subject is not None
        and bool(rule.objects.find(subject.text))
        and any(action_at(token, a) for a in rule.presupposing)
    )


# What names a share of a force: "withdrew part of its contingent".
_SHARES = frozenset({"part", "portion", "half", "some", "most", "third", "quarter", "bulk"})


def _partly(token: Any, rule: QuestionRule) -> bool:
    """ "began withdrawing part of its 2,000-strong contingent": a share of the thing
    taken out; not "rejected part of the ceasefire plan"."""
    if token.lemma_.lower() not in _REMOVING:
        return False
    return any(
        c.dep_ == "dobj"
        and c.lemma_.lower() in _SHARES
        and any(
            g.dep_ == "prep" and g.lower_ == "of" and rule.objects.find(clauses.phrase(g))
            for g in c.children
        )
        for c in token.children
    )


# Verbs that take people out of a place.
_REMOVING = frozenset({"withdraw", "pull", "recall", "evacuate"})


def _verb_read_as_compound(token: Any) -> Any:
    """ "Ottawa delays vote on Ukraine commitments", parsed with "vote" as the verb and
    "delays" as its compound: the verb in the present or past before it."""
    return next(
        (
            c
            for c in token.children
            if c.dep_ == "compound" and c.tag_ in ("VBZ", "VBD") and c.i == token.i - 1
        ),
        None,
    )


def _leaving_for(token: Any) -> bool:
    """ "left for Ukraine", "departed for Kyiv": "for" names where they go, not what
    they leave."""
    return (
        token.lemma_.lower() in ("leave", "depart")
        and any(c.dep_ == "prep" and c.lower_ == "for" for c in token.children)
        and not any(c.dep_ == "dobj" for c in token.children)  # "left Ukraine for home"
    )


def _a_step(token: Any, rule: QuestionRule) -> bool:
    """Whether the verb is a step toward the act: by who cannot complete it ("Italy's
    cabinet approved a bill ratifying ...", "a committee voted to ..."), or passing the
    text on to who acts next ("..., sending it to the Senate")."""
    if not rule.step_agents and not rule.step_to:
        return False
    if token.dep_ == "xcomp" and token.head.i != token.i:
        token = token.head  # "voted to ratify": the vote is the step
    if not any(action_at(token, a) for a in rule.step_actions):
        return False
    doer = clauses.subject_of(token)
    if doer is not None and rule.step_agents.find(clauses.phrase(doer)):
        return True
    # "passed the bill ... by a wide margin, sending it to the Senate"
    return any(
        t.dep_ == "pobj" and t.head.lower_ == "to" and rule.step_to.find(clauses.phrase(t))
        for c in token.children
        if c.dep_ in ("advcl", "conj") and c.lemma_.lower() in _SENDING
        for t in c.subtree
    )


# Verbs that pass a text on to whoever acts next.
_SENDING = frozenset({"send", "refer", "forward", "return", "pass", "hand", "move"})


def _bare_be(token: Any, rule: QuestionRule) -> bool:
    """Whether ``token`` is a bare "be" that says nothing of the rule's thing."""
    # "are far from a ceasefire": a "be" the rule names, either way, is no bare "be"
    bare_be = token.lemma_ == "be" and not any(
        action_at(token, a) for a in (*rule.actions, *rule.negative_actions) if a.startswith("be ")
    )
    if bare_be and not any(
        rule.objects.find(" ".join(t.text for t in c.subtree if t.i <= c.i))
        for c in token.children
        if c.dep_ in ("nsubj", "attr")
    ):
        return True  # "there was no comment on the arrival of troops" is about a comment
    # "the French soldiers in Ukraine were not peacekeepers" says what they are
    return bare_be and any(
        c.dep_ == "attr" and not rule.objects.find(clauses.phrase(c)) for c in token.children
    )


def _acts_on_a_reply(token: Any, replies: frozenset[str]) -> bool:
    """ "Europe awaits Moscow's reaction to the guarantees": the verb acts on a reply, not
    on the thing the reply is about."""
    return any(
        c.dep_ in ("dobj", "nsubjpass") and c.lemma_.lower() in replies for c in token.children
    )


def _named_elsewhere(group: Terms, rule: QuestionRule, document: str) -> bool:
    """Whether the document names the context away from the sentence in words that are
    not the rule's thing itself: "Ukraine" in the lede; not "Our security guarantee is
    NATO", quoted after "Norway ratifies security agreement"."""
    return any(not rule.objects.find(term) for term in group.find(document))


def _clause_about(token: Any, rule: QuestionRule, title: str) -> str | None:
    """The words of the verb's clause that name the rule's thing (outside its phrases of
    time), with the thing named around when the clause only points to it; else None."""
    clause, timed = outside_time(token, clauses.argument_text(token))
    for prep in token.children:
        if prep.dep_ == "prep" and prep.lower_ in ("as", "without"):
            # "a warning officials dismissed as an attempt to relitigate the truce": what
            # the thing acted on is called is not the thing; "talks concluded without
            # agreement on a ceasefire" did not conclude one
            clause = clause.replace(" ".join(t.text for t in prep.subtree), " ")
    if rule.objects.find(timed) and not rule.objects.find(clause):
        return None  # "construction has not begun, two weeks after the ceasefire"
    if not rule.objects.find(clause):
        # "No country has yet ratified them", "Nothing has been ratified": the thing is
        # the one the sentences around name
        # "the US was withdrawing its backing": the act as a noun, of the thing around
        nominal = any(
            c.dep_ == "dobj" and c.lemma_.lower() in rule.nominals for c in token.children
        )
        if not ((stands_for_object(token) or nominal) and rule.objects.find(title)):
            return None
        clause = f"{clause} {' '.join(rule.objects.find(title))}"
    return clause


def _a_maxim(verb: Any, rule: QuestionRule) -> bool:
    """A rule of how things go, not news: a verb in the present that names none of the
    rule's things, with an "until" or "unless" clause ("nothing is agreed until
    everything is agreed")."""
    words = set(moods.aux_words(verb))
    present = verb.tag_ in ("VBZ", "VBP") or (
        verb.tag_ == "VBN" and bool(words) and words <= {"is", "are"}
    )
    return (
        present
        and not rule.objects.find(clauses.argument_text(verb))
        and any(
            c.dep_ == "advcl"
            and any(g.dep_ == "mark" and g.lower_ in ("until", "unless") for g in c.children)
            for c in verb.children
        )
    )


def _on_condition(verb: Any) -> bool:
    """ "If deployed, French troops will remain for years": a clause the verb waits on."""
    return any(
        c.dep_ == "advcl" and any(g.dep_ == "mark" and g.lower_ in _CONDITIONS for g in c.children)
        for c in verb.children
    )


_CONDITIONS = frozenset({"if", "unless", "once", "when", "until", "after", "provided"})

# Verbs whose future says the state holds now: "will remain", "will stay on".
_GOING_ON = frozenset({"remain", "stay"})

# Moods under which a verb's definite object still exists: an accusation, a modal, a will.
_PRESUPPOSITION_HOLDS = frozenset({"nominal", "modal", "future", "possible"})
# Determiners of whichever thing there may be: "monitoring any ceasefire".
_WHICHEVER = ("any", "whatever")


def _parties(sent: Any, terms: list[str]) -> bool:
    """Whether each excluded word the sentence holds names a party to something (a place,
    a people, a body), not a kind of act or thing."""
    for term in terms:
        first = term.split()[0].casefold()
        named = [t for t in sent if t.lower_ == first]
        if not named or not all(
            t.pos_ == "PROPN" or t.ent_type_ in ("GPE", "NORP", "LOC", "ORG") for t in named
        ):
            return False
    return True


# Verbs of a reaction to a thing: what they act on must be the thing itself, not a plan
# or proposal named after it.
_REACTIONS = frozenset({"welcome", "hail", "praise", "applaud", "celebrate"})


def _named_by_head(noun: Any, rule: QuestionRule) -> bool:
    """Whether the noun itself is the rule's thing: its head and the words compounded
    with it end one of the rule's objects ("the ceasefire", "the ceasefire agreement");
    not a thing about it ("the ceasefire proposal")."""
    words = [t for t in noun.children if t.dep_ == "compound" and t.i < noun.i]
    name = " ".join([*(t.text for t in words), noun.text])
    return any(term.casefold().split()[-1] == noun.lower_ for term in rule.objects.find(name))


def _only_ours(token: Any, rule: QuestionRule) -> bool:
    """Whether an act's own words (its clause, and the noun it qualifies) name the rule's
    context and nothing the rule excludes."""
    own = clauses.argument_text(token)
    return (
        bool(rule.context)
        and all(group.find(own) for group in rule.context)
        and not rule.excludes.find(own)
    )


def _definite_thing(token: Any, rule: QuestionRule) -> bool:
    """Whether the rule's thing the verb acts on is a definite one: "the ceasefire",
    "Moscow's truce"; not "a ceasefire", "any truce"."""
    return any(
        c.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj")
        and rule.objects.find(clauses.phrase(c))
        and any(
            (g.dep_ == "det" and g.lower_ in ("the", "this", "that")) or g.dep_ == "poss"
            for g in c.children
        )
        for c in (
            *token.children,
            *(g for p in token.children if p.dep_ == "prep" for g in p.children),
        )
    )


def _thing_itself(token: Any, rule: QuestionRule) -> bool:
    """Whether a presupposing verb acts on the rule's thing itself ("visited the hub"),
    and on the one its facts name."""
    held = [
        c
        for c in token.children
        if c.dep_ in ("nsubj", "nsubjpass", "dobj")
        and rule.objects.find(clauses.phrase(c))
        and (token.lemma_.lower() not in _REACTIONS or _named_by_head(c, rule))
    ]
    if not held:
        # the hub itself must be visited, not "troops at their base"; the ceasefire
        # welcomed, not "the ceasefire proposal"
        return False
    if any(g.dep_ == "det" and g.lower_ in (*_WHICHEVER, "no") for c in held for g in c.children):
        return False  # "a US role in monitoring any ceasefire": whichever there may be
    things = [clauses.phrase(c) for c in held]
    named = [t.requires for t in rule.facts if t.requires]
    # "a base near Rivne houses French troops": whose base, unsaid
    return not (named and not any(n.find(thing) for n in named for thing in things))
