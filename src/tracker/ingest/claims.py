"""Who did what to what: claims a question can turn on, with polarity and modality.

An event rule names actions (verb lemmas, "set up", "take effect"), the objects one of
them must act on, who must do it (``agent_side``), who must take part
(``participants``, in the clause), where (``place``: any place the clause names must be
one of these), and ``context`` the sentence or headline must hold. Only the
modalities a rule lists answer it: by default what happened, or is said not to have.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tracker.ingest import clauses
from tracker.ingest.dates import MONTHS, WEEKDAYS
from tracker.ingest.rules import ExtractionConfig, FactTarget, QuestionRule, Terms
from tracker.ingest.voices import Speaker, Voices

PLACE_PREPS = frozenset(
    {"in", "to", "into", "inside", "across", "on", "at", "throughout", "near", "outside"}
)


@dataclass(frozen=True, slots=True)
class Claim:
    rule: QuestionRule
    targets: tuple[FactTarget, ...]
    value: bool
    modality: str
    tense: str
    how: str  # action | nominal | event-noun | anchored | without | none-left | headline
    when_text: str = ""  # the verb's own clause, where its date is ("signed ... on Thursday")


def _action_at(token: Any, action: str) -> bool:
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


def _headline_subject(verb: Any) -> Any | None:
    """ "US signs on to ...", "Trump pledges US support": a headline's subject the parser
    read as a compound of its verb."""
    return next(
        (
            c
            for c in verb.children
            if c.dep_ in ("compound", "amod", "nmod")
            and c.i < verb.i
            and (c.pos_ == "PROPN" or c.is_title)
        ),
        None,
    )


def _agent_side(verb: Any, voices: Voices, previous: Speaker | None) -> str | None:
    subject = clauses.subject_of(verb) or _headline_subject(verb)
    if subject is None:
        return None
    if subject.pos_ == "PRON":
        # "The United States said it would back ...": the pronoun is the reporting subject
        token = verb
        for _ in range(4):
            if token.dep_ == "ccomp" and token.head.i != token.i:
                outer = clauses.subject_of(token.head)
                if outer is not None and outer.pos_ != "PRON":
                    speaker = voices.resolve(outer, previous)
                    return speaker.side if speaker else voices.side_in(clauses.phrase(outer))
            token = token.head
        return previous.side if previous else None
    speaker = voices.resolve(subject, previous)
    if speaker is not None and speaker.side:
        return speaker.side
    return voices.side_in(clauses.phrase(subject))


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


def _places(verb: Any) -> list[str]:
    """Places the clause puts its verb in ("in Romania", "to Ukraine"): named places, or
    proper nouns after a place preposition when no entity was looked for."""
    found = []
    tokens = clauses.clause_tokens(verb)
    # a place is the verb's, or its subject's or object's: not that of "planners in London"
    # in "remain on paper, with planners in London ... waiting"
    owners = {verb.i} | {
        c.i for c in verb.children if c.dep_ in ("nsubj", "nsubjpass", "dobj", "attr", "oprd")
    }
    # "the hubs it pledged in Paris": a place inside a relative clause is another verb's
    nested = {
        t.i
        for token in tokens
        if token.dep_ in ("relcl", "acl") and token.i != verb.i
        for t in token.subtree
    }
    for token in tokens:
        if token.dep_ != "pobj" or token.head.lower_ not in PLACE_PREPS or token.i in nested:
            continue
        if token.head.head.i not in owners:
            continue
        if token.ent_type_ in ("GPE", "LOC"):
            ent = next((e for e in token.doc.ents if e.start <= token.i < e.end), None)
            found.append(ent.text if ent is not None else token.text)
        elif (
            token.pos_ == "PROPN"
            and token.ent_type_ not in ("PERSON", "ORG", "DATE", "NORP")
            and token.lower_ not in WEEKDAYS
            and token.lower_ not in MONTHS
        ):
            # "near Bila Tserkva": the name with the words compounded into it
            start = min([token.i, *(c.i for c in token.children if c.dep_ == "compound")])
            found.append(str(token.doc[start : token.i + 1].text))
    return found


# Verbs that only say where something is: "French troops are in Odesa", "remain there".
PRESENCE = frozenset({"be", "remain", "stay", "have", "keep", "serve", "operate", "spend"})


def _placed(verb: Any, rule: QuestionRule) -> bool:
    """A verb of presence says something of the rule's place only when it names a place
    of its own: not "French troops were ready to leave for Ukraine", "the force remains
    on paper", "troops are still at their bases in France"."""
    if verb.lemma_.lower() not in PRESENCE or any(
        " " in a and _action_at(verb, a) for a in (*rule.actions, *rule.negative_actions)
    ):
        return True
    if _places(verb) or any(c.lower_ in ("there", "here") for c in verb.children):
        return True
    # "France now has 1,200 soldiers stationed in Ukraine": the place of what it has
    return any(
        _places(a)
        for c in verb.children
        if c.dep_ in ("dobj", "attr", "nsubj")
        for a in c.children
        if a.dep_ in ("acl", "relcl")
    )


def _taking_part(verb: Any, rule: QuestionRule, clause: str) -> str:
    """The words of ``clause`` that can name who takes part: the subject, and arguments
    naming the rule's object; not another noun's modifiers ("British troops have been
    manning the UK-French hub" says nothing of French troops)."""
    subject = clauses.subject_of(verb)
    arguments = [c for c in verb.children if c.dep_ in ("dobj", "attr", "nsubjpass", "dative")]
    arguments += [
        o for p in verb.children if p.dep_ == "prep" for o in p.children if o.dep_ == "pobj"
    ]
    kept = [a for a in arguments if rule.objects.find(clauses.phrase(a))]
    if subject is None and not kept:
        return clause
    dropped = {
        t.i
        for a in arguments
        if a not in kept and (subject is None or a.i != subject.i)
        for t in a.subtree
    }
    words = [t.text for t in clauses.clause_tokens(verb) if t.i not in dropped]
    if subject is not None:
        words.append(clauses.phrase(subject))
    if verb.dep_ in ("relcl", "acl") and verb.head.i != verb.i:
        words.append(clauses.phrase(verb.head))  # "the French soldiers who arrived"
    return " ".join(words)


TIME_PREPS = frozenset({"after", "before", "since", "until", "during", "following", "till"})


def _outside_time(verb: Any, clause: str) -> tuple[str, str]:
    """``clause`` without the verb's phrases of time, and those phrases: in "has not
    begun, two weeks after the ceasefire" the ceasefire is when, not what."""
    timed = [
        " ".join(t.text for t in c.subtree)
        for c in verb.children
        if (c.dep_ == "prep" and c.lower_ in TIME_PREPS) or c.dep_ == "npadvmod"
    ]
    for text in timed:
        clause = clause.replace(text, " ", 1)
    return clause, " ".join(timed)


def _in_phrase(token: Any, noun: Any) -> bool:
    """Whether ``token`` belongs to ``noun``'s own phrase: not to a verb's clause under it,
    as the "not" of "Rubio: US will not back Ukraine guarantees" read as one noun phrase."""
    for _ in range(8):
        if token.i == noun.i:
            return True
        token = token.head
        if token.i != noun.i and token.pos_ in ("VERB", "AUX"):
            return False
    return False


def _overruled(token: Any, claim: Claim, found: list[tuple[Any, Claim]]) -> bool:
    """Whether a clause of background is overruled by the clause it hangs on: in "Having
    withdrawn its support in March, Washington now backs the guarantees again" the
    sentence says what holds now."""
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


_STAND_INS = frozenset({"it", "them", "they", "nothing", "none", "this", "these", "that", "those"})


def _stands_for_object(verb: Any) -> bool:
    """Whether the verb's object (or passive subject) is a pronoun or "nothing", or the
    verb has none at all ("not one country has ratified yet")."""
    args = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
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


def _headline_places(tokens: list[Any]) -> list[str]:
    """Proper names after a place preposition in a headline: "hub in Poland"."""
    return [
        t.text
        for t, before in zip(tokens[1:], tokens, strict=False)
        if before.lower_ in PLACE_PREPS
        and t.pos_ == "PROPN"
        and t.ent_type_ not in ("PERSON", "ORG", "DATE")
        and t.lower_ not in WEEKDAYS
        and t.lower_ not in MONTHS
    ]


def _holds(terms: Terms, *texts: str) -> bool:
    return any(terms.find(text) for text in texts if text)


class ClaimFinder:
    def __init__(self, voices: Voices, config: ExtractionConfig) -> None:
        self.voices = voices
        self.config = config

    def find(
        self,
        sent: Any,
        rule: QuestionRule,
        title: str,
        previous: Speaker | None,
        document: str = "",
    ) -> list[Claim]:
        """Claims of ``rule`` in ``sent``; ``title`` holds the headline and the sentences
        around this one, where the thing a rule is about may be named; ``document`` the
        whole text, where its context may be ("Ukraine" said once, in the lede)."""
        sentence = sent.text
        if not rule.objects.find(title):
            return []  # nothing the rule is about, here or around (``title`` holds this one)
        if rule.excludes and rule.excludes.find(sentence):
            return []
        if not all(_holds(group, sentence, title, document) for group in rule.context):
            return []
        found: list[tuple[Any, Claim]] = []
        for token in sent:
            claim = self._action(sent, token, rule, title, previous)
            if claim is None:
                claim = self._nominal(sent, token, rule, title)
            if claim is None:
                claim = self._event_noun(sent, token, rule, title)
            if claim is None:
                claim = self._anchored(sent, token, rule, title)
            if claim is None:
                claim = self._without(sent, token, rule, title)
            if claim is None:
                claim = self._none_left(sent, token, rule, title)
            if claim is not None:
                found.append((token, claim))
        return [claim for token, claim in found if not _overruled(token, claim, found)]

    def _targets(self, rule: QuestionRule, clause: str, sentence: str) -> tuple[FactTarget, ...]:
        named = tuple(t for t in rule.facts if t.requires and t.requires.find(clause))
        if not named:
            named = tuple(t for t in rule.facts if t.requires and t.requires.find(sentence))
        return named or tuple(t for t in rule.facts if not t.requires) or rule.facts

    def _where(
        self, rule: QuestionRule, verb: Any, sentence: str, title: str, denied: bool = False
    ) -> bool:
        """Whether the clause is in the rule's place. Denied, an act needs no place named:
        "the hubs promised in Paris have yet to be built" are built nowhere; a place
        named must still be the rule's ("has not opened its hub in Poland")."""
        if not rule.place:
            return True
        places = _places(verb)
        if places:
            # "stationed in Romania, not in Ukraine" is not in Ukraine
            return all(rule.place.find(p) for p in places)
        if _holds(rule.place, sentence, title):
            return True
        if not denied:
            return False
        # "no plans to redeploy troops to Mali": the place of the verb the thing hangs on
        movers = {
            t.head.i: t.head
            for t in clauses.clause_tokens(verb)
            if t.head.i != verb.i and t.head.pos_ == "VERB" and rule.objects.find(t.text)
        }
        # any name counts here, whatever entity the model took it for ("to Mali" as a person)
        named = [
            o.text
            for m in movers.values()
            for prep in m.children
            if prep.dep_ == "prep" and prep.lower_ in PLACE_PREPS
            for o in prep.children
            if o.dep_ == "pobj" and o.pos_ == "PROPN" and o.ent_type_ != "DATE"
        ]
        return all(rule.place.find(p) for p in named)

    def _action(
        self, sent: Any, token: Any, rule: QuestionRule, title: str, previous: Speaker | None
    ) -> Claim | None:
        if token.pos_ not in ("VERB", "AUX") and not (
            token.dep_ == "ROOT" and token.pos_ == "NOUN" and _headline_subject(token) is not None
        ):
            return None  # a verb, or a headline's verb read as a noun: "Trump pledges ..."
        # "exist only on paper" before "exist": the longer, negative reading wins
        if any(_action_at(token, a) for a in rule.negative_actions):
            base = False
        elif any(_action_at(token, a) for a in rule.actions):
            base = True
        elif any(_action_at(token, a) for a in rule.presupposing):
            base = None  # "visited the hub": it exists; "did not visit it" says nothing
        else:
            return None
        # "are far from a ceasefire": a "be" the rule names, either way, is no bare "be"
        bare_be = token.lemma_ == "be" and not any(
            _action_at(token, a)
            for a in (*rule.actions, *rule.negative_actions)
            if a.startswith("be ")
        )
        if bare_be and not any(
            rule.objects.find(" ".join(t.text for t in c.subtree if t.i <= c.i))
            for c in token.children
            if c.dep_ in ("nsubj", "attr")
        ):
            return None  # "there was no comment on the arrival of troops" is about a comment
        if bare_be and any(
            c.dep_ == "attr" and not rule.objects.find(clauses.phrase(c)) for c in token.children
        ):
            return None  # "the French soldiers in Ukraine were not peacekeepers" says what they are
        clause, timed = _outside_time(token, clauses.argument_text(token))
        if rule.objects.find(timed) and not rule.objects.find(clause):
            return None  # "construction has not begun, two weeks after the ceasefire"
        if not rule.objects.find(clause):
            # "No country has yet ratified them", "Nothing has been ratified": the thing is
            # the one the sentences around name
            # "the US was withdrawing its backing": the act as a noun, of the thing around
            nominal = any(
                c.dep_ == "dobj" and c.lemma_.lower() in rule.nominals for c in token.children
            )
            if not ((_stands_for_object(token) or nominal) and rule.objects.find(title)):
                return None
            clause = f"{clause} {' '.join(rule.objects.find(title))}"
        if base is None:
            things = [
                clauses.phrase(c)
                for c in token.children
                if c.dep_ in ("nsubj", "nsubjpass", "dobj") and rule.objects.find(clauses.phrase(c))
            ]
            if not things:
                return None  # the hub itself must be visited, not "troops at their base"
            named = [t.requires for t in rule.facts if t.requires]
            if named and not any(n.find(thing) for n in named for thing in things):
                return None  # "a base near Rivne houses French troops": whose base, unsaid
        if rule.participants:
            taking_part = _taking_part(token, rule, clause)
            if not all(
                group.find(taking_part) or self._speaker_is(group, token, previous)
                for group in rule.participants
            ):
                return None
        if (
            rule.agent_side is not None
            and (_agent_side(token, self.voices, previous) or self._holder_side(token, rule))
            != rule.agent_side
        ):
            return None
        if rule.place and not _placed(token, rule):
            return None
        mood = clauses.mood(token, sent, self.config)
        undone = base is not None and base == (mood.negated or mood.denied)
        if not self._where(rule, token, sent.text, title, denied=undone):
            return None
        if base is None:
            if mood.negated or mood.denied:
                return None
            base = True
        value = base != (mood.negated or mood.denied)
        # what someone denied is a claim about what is, whatever the mood of the denial
        modality = "actual" if mood.denied and mood.modality != "question" else mood.modality
        return Claim(
            rule=rule,
            targets=self._targets(rule, clause, sent.text),
            value=value,
            modality=modality,
            tense=clauses.tense(token, self.config),
            how="action",
            when_text=clauses.clause_text(token),
        )

    def in_headline(self, sent: Any, rule: QuestionRule) -> list[Claim]:
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
        config = self.config
        blockers = (
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
        for at, token in enumerate(tokens):
            value = None
            if token.pos_ in ("VERB", "NOUN", "AUX", "ADJ"):
                value = self._written_action(rule, tokens, at)
            if value is None:
                if (
                    token.lower_ in ("still", "yet")
                    and at + 1 < len(tokens)
                    and self._written_action(rule, tokens, at + 1) is False
                ):
                    continue  # "Guarantees still unratified": still not done, said plainly
                if (token.lower_ in blockers or token.lemma_.lower() in blockers) and (
                    token.dep_ not in ("amod", "compound", "pobj", "poss", "nsubj", "dobj")
                ):
                    return []  # what follows is no plain claim; the parse has had its say
                continue
            following = tokens[at + 1 : at + 3]
            if following and following[0].lower_ == "to" and following[-1].pos_ == "VERB":
                return []  # "agrees to ratify"
            before = " ".join(t.text for t in tokens[:at])
            after = " ".join(t.text for t in tokens[at:])
            if not rule.objects.find(after) and not rule.objects.find(before):
                continue
            if rule.agent_side is not None and self.voices.side_in(before) != rule.agent_side:
                continue
            if not all(group.find(text) for group in rule.participants):
                continue
            if rule.place and not rule.place.find(text):
                continue
            if rule.place and not all(rule.place.find(p) for p in _headline_places(tokens)):
                continue  # "UK and France open logistics hub in Poland to supply Ukraine"
            return [
                Claim(
                    rule=rule,
                    targets=self._targets(rule, text, text),
                    value=value,
                    modality="actual",
                    tense="present",
                    how="headline",
                )
            ]
        return []

    def _event_noun(self, sent: Any, token: Any, rule: QuestionRule, title: str) -> Claim | None:
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
        if rule.agent_side is not None and self._first_owner_side(token) != rule.agent_side:
            return None  # "Washington's reversal", "the US withdrawal": whose act it is
        definite = any(
            (c.dep_ == "det" and c.lower_ == "the") or c.dep_ == "poss" for c in token.children
        )  # "the opening of ...", "Britain's ratification of ..."
        if not definite and not any(
            c.dep_ == "prep" and c.lower_ == "of" and c.i > token.i for c in token.children
        ):
            return None
        if any(
            c.lemma_.lower() in self.config.planning or c.lower_ in self.config.planning
            for c in token.children
            if c.dep_ in ("amod", "compound", "nmod")
        ):
            return None  # "the planned opening", "the expected launch"
        own = clauses.phrase(token)
        if not rule.objects.find(own):
            return None
        verb = token.head
        while verb.dep_ in ("pobj", "prep", "dobj", "nsubj", "nsubjpass") and verb.head.i != verb.i:
            verb = verb.head
        if verb.pos_ in ("VERB", "AUX") and clauses.modality(verb, sent, self.config) != "actual":
            return None  # "will attend the opening"
        if verb.pos_ in ("VERB", "AUX") and any(_action_at(verb, a) for a in rule.negative_actions):
            if token.dep_ not in ("nsubj", "nsubjpass") or clauses.is_negated(verb, self.config):
                return None  # "attended the opening before it was postponed"
            value = not value  # "Ratification of Italy's commitments was blocked"
        elif not definite:
            return None  # "ratification of the commitments is far from complete" says nothing
        if not all(group.find(own) or group.find(sent.text) for group in rule.participants):
            return None
        if not self._where(rule, token, sent.text, title):
            return None
        return Claim(
            rule=rule,
            targets=self._targets(rule, own, sent.text),
            value=value,
            modality="actual",
            tense="past",
            how="event-noun",
            when_text=clauses.clause_text(verb) if verb.pos_ in ("VERB", "AUX") else "",
        )

    def _anchored(self, sent: Any, token: Any, rule: QuestionRule, title: str) -> Claim | None:
        """ "Two weeks into the ceasefire", "a month after the truce", "since the ceasefire":
        time counted from a definite thing says it is there."""
        if rule.agent_side is not None or token.pos_ != "NOUN" or token.dep_ != "pobj":
            return None
        if not rule.objects.find(token.text) or not any(
            c.dep_ == "det" and c.lower_ == "the" for c in token.children
        ):
            return None
        prep = token.head
        if prep.lower_ not in ("after", "since", "into"):
            return None
        # the count hangs on the preposition ("Two weeks into") or the preposition on it
        anchors = [prep.head, *(c for c in prep.children if c.dep_ in ("npadvmod", "advmod"))]
        counted = prep.lower_ == "since" or any(
            a.lemma_.lower() in TIME_UNITS or a.lower_ in ("later", "on") for a in anchors
        )
        if not counted:
            return None
        if not all(group.find(sent.text) for group in rule.participants):
            return None
        if not self._where(rule, token, sent.text, title):
            return None
        return Claim(
            rule=rule,
            targets=self._targets(rule, sent.text, sent.text),
            value=True,
            modality="actual",
            tense="past",
            how="anchored",
        )

    @staticmethod
    def _written_action(rule: QuestionRule, tokens: list[Any], at: int) -> bool | None:
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

    def _nominal(self, sent: Any, token: Any, rule: QuestionRule, title: str) -> Claim | None:
        """The act as a noun, and what the sentence says of it: "US backing for the
        guarantees was reaffirmed", "US support, restored in July", "stays frozen"."""
        if token.pos_ != "NOUN" or token.lemma_.lower() not in rule.nominals:
            return None
        own = clauses.phrase(token)
        if not rule.objects.find(own):
            return None
        if rule.agent_side is not None and rule.agent_side not in self._owner_sides(token):
            return None
        verbs = [c for c in token.children if c.dep_ == "acl" and c.tag_ in ("VBN", "VBD")]
        if token.dep_ in ("nsubj", "nsubjpass"):
            verbs.append(token.head)
        for verb in verbs:
            base = self._nominal_value(rule, verb)
            if base is not None:
                break
        else:
            return None
        if not self._where(rule, verb, sent.text, title):
            return None
        mood = clauses.mood(verb, sent, self.config)
        return Claim(
            rule=rule,
            targets=self._targets(rule, own, sent.text),
            value=base != (mood.negated or mood.denied),
            modality="actual" if mood.denied else mood.modality,
            tense=clauses.tense(verb, self.config),
            how="nominal",
            when_text=clauses.clause_text(verb),
        )

    def _holder_side(self, verb: Any, rule: QuestionRule) -> str | None:
        """ "The Pentagon was committed to the guarantees": a passive of state ("committed
        to", "dedicated to") whose subject is not the thing holds the stance."""
        holder = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
        if holder is None or not any(c.dep_ == "prep" and c.lower_ == "to" for c in verb.children):
            return None
        held = clauses.phrase(holder)
        return None if rule.objects.find(held) else self.voices.side_in(held)

    def _owner_sides(self, noun: Any) -> list[str | None]:
        """The sides of a noun's owners: "US backing", "Washington's reversal", "its"."""
        return [
            self._owner_side(noun)
            if o.pos_ == "PRON"
            else self.voices.side_in(" ".join(t.text for t in o.subtree))
            for o in noun.children
            if o.dep_ in ("poss", "compound", "amod", "nmod")
        ]

    def _first_owner_side(self, noun: Any) -> str | None:
        return next((side for side in self._owner_sides(noun) if side), None)

    def _owner_side(self, noun: Any) -> str | None:
        """The side "its" or "their" stands for: the nearest subject above the noun, in
        "the United States remains committed to NATO, even as its backing ... stays frozen"."""
        token = noun
        for _ in range(6):
            if token.head.i == token.i:
                return None
            token = token.head
            if token.pos_ not in ("VERB", "AUX"):
                continue
            subject = clauses.subject_of(token)
            if subject is None or subject.i == noun.i or subject.pos_ == "PRON":
                continue
            if noun.i in {t.i for t in subject.subtree}:
                continue
            return self.voices.side_in(clauses.phrase(subject))
        return None

    def _nominal_value(self, rule: QuestionRule, verb: Any) -> bool | None:
        """What a verb (or its complement) says of the act it is about: "was reaffirmed",
        "remains", "stays frozen"; None when it says neither."""
        if verb.pos_ not in ("VERB", "AUX", "ADJ"):
            return None
        words = [
            verb,
            *(c for c in verb.children if c.dep_ in ("acomp", "oprd", "xcomp", "prep", "advmod")),
        ]
        if any(any(_action_at(w, a) for a in rule.negative_actions) for w in words):
            return False
        if any(
            w.lemma_.lower() in HOLDING or any(_action_at(w, a) for a in rule.actions)
            for w in words
        ):
            return True
        return None

    def _speaker_is(self, group: Terms, verb: Any, speaker: Speaker | None) -> bool:
        """ "'We have not deployed a single soldier,' the French minister said": a first
        person inside the speaker's words is the speaker's side."""
        if speaker is None or speaker.side is None:
            return False
        subject = clauses.subject_of(verb)
        owners = [subject] if subject is not None else []
        if subject is not None:
            owners += [c for c in subject.children if c.dep_ == "poss"]
        if not any(o.lower_ in ("we", "our", "us") for o in owners):
            return False
        words = self.config.sides.get(speaker.side)
        return words is not None and any(group.find(w) for w in words.words)

    def _without(self, sent: Any, token: Any, rule: QuestionRule, title: str) -> Claim | None:
        """ "Talks ended without a ceasefire"; "No ceasefire has been reached" is an action."""
        if token.lower_ != "without" or token.dep_ != "prep":
            return None
        what = " ".join(t.text for t in token.subtree)
        if not rule.objects.find(what):
            return None
        verb = token.head
        if verb.pos_ not in ("VERB", "AUX"):
            return None
        acts = [c for c in token.children if c.dep_ == "pcomp" and c.pos_ == "VERB"]
        if acts and not any(
            _action_at(acts[0], a) for a in (*rule.actions, *rule.negative_actions)
        ):
            return None  # "broke for the summer without ratifying the guarantees" backs nothing
        if rule.agent_side is not None and (
            _agent_side(verb, self.voices, None) != rule.agent_side
        ):
            return None
        if not all(group.find(what) or group.find(sent.text) for group in rule.participants):
            return None
        if not self._where(rule, verb, sent.text, title, denied=True):
            return None
        mood = clauses.mood(verb, sent, self.config)
        if mood.negated:
            return None  # "did not end without a deal" says nothing plain
        return Claim(
            rule=rule,
            targets=self._targets(rule, what, sent.text),
            value=False,
            modality=mood.modality,
            tense=clauses.tense(verb, self.config),
            how="without",
            when_text=clauses.clause_text(verb),
        )

    def _none_left(self, sent: Any, token: Any, rule: QuestionRule, title: str) -> Claim | None:
        """ "There is still no ceasefire", "No ceasefire yet": the thing does not exist."""
        if token.pos_ not in ("NOUN", "PROPN") or not rule.objects.find(token.text):
            return None
        if rule.agent_side is not None:
            return None  # no guarantees at all says nothing of who backs them
        negators = self.config.negators
        if not any(
            (
                (c.dep_ == "det" and c.lower_ in negators)
                or (
                    c.i < token.i
                    and c.lower_ in ("no", "not")
                    and c.dep_ in ("neg", "advmod", "det")
                )
            )
            and _in_phrase(c, token)
            for c in token.subtree
        ):
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
        if not self._where(rule, token if said else head, sent.text, title, denied=True):
            return None
        modality = (
            "actual"
            if token_dep == "ROOT" or said or absolute
            else clauses.modality(head, sent, self.config)
        )
        return Claim(
            rule=rule,
            targets=self._targets(rule, sent.text, sent.text),
            value=False,
            modality=modality,
            tense=clauses.tense(head, self.config),
            how="none-left",
        )
