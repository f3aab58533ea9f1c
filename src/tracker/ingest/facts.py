"""Every fact a document states, not only those a question rule names.

Each clause of the parse is read as subject/predicate[/object]: who does it (the
subject, a passive's agent, the subject a coordinated or infinitive verb shares, the
noun a relative clause or participle qualifies), what (the verb as written, with its
modal: ``will-establish``), and to what (each conjunct of its object, or of the
preposition it takes). Names resolve through ``voices`` and the document's ``cast``
(Starmer -> starmer, "the UK" -> united-kingdom by the side words). ``clauses``
gives polarity (negated or denied: value false), mood and the condition
("if a ceasefire is achieved"). Shapes the verb alone misreads are read by the
``[facts]`` word lists: light verbs ("maintained a guarded stance on X" is
``stance-on/x``), gatherings and attendance ("brought together leaders from A and B"),
members ("was represented by A and B"), copulas and appositions (``described-as``,
``role`` with a string value), attributes ("the size of the force" is ``force/size``),
efforts and purposes, acts named as nouns ("the alleged Ukrainian attack on X"), stances
("warned against the deployment of X": opposes X), preconditions ("only possible after X",
"contingent on X": requires X, the speaker's position when reported), promises named as
nouns ("the commitment from A involves Y": A pledged Y), delegations attending the
gathering named before, and what a plan implies: what someone will do is not done yet
(``implied``, false). "These hubs" is the hubs named before; "this strategy" what the
section's heading names; "soldiers" and "troops" are one key (``same_nouns``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from tracker.ingest import clauses
from tracker.ingest.cast import Cast
from tracker.ingest.claims import PLACE_PREPS
from tracker.ingest.rules import ExtractionConfig
from tracker.ingest.voices import Speaker, Voices, slug

_OBJECT_DEPS = ("dobj", "attr", "oprd")
_NAMED = frozenset({"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC", "EVENT"})
_PERSONAL = frozenset({"he", "she", "him", "her"})
_POINTING = frozenset({"they", "these", "those", "it", "this", "them"})
_RELATIVE = frozenset({"which", "that", "who", "whom"})
_DEMONSTRATIVES = frozenset({"this", "these", "that", "those"})
_MAY = frozenset({"can", "could", "may", "might"})
_MODALS = frozenset({"will", "would", "could", "can", "may", "might", "shall", "should", "must"})
_SPELLED = {"wo": "will", "'ll": "will", "ca": "can", "'d": "would", "sha": "shall"}
# Past participles the suffix rule gets wrong.
_IRREGULAR = {
    "be": "been",
    "begin": "begun",
    "bring": "brought",
    "build": "built",
    "buy": "bought",
    "choose": "chosen",
    "come": "come",
    "do": "done",
    "draw": "drawn",
    "fight": "fought",
    "find": "found",
    "give": "given",
    "go": "gone",
    "have": "had",
    "hold": "held",
    "keep": "kept",
    "lead": "led",
    "leave": "left",
    "lose": "lost",
    "make": "made",
    "meet": "met",
    "pay": "paid",
    "put": "put",
    "run": "run",
    "say": "said",
    "see": "seen",
    "seek": "sought",
    "sell": "sold",
    "send": "sent",
    "set": "set",
    "shoot": "shot",
    "sign": "signed",
    "speak": "spoken",
    "spend": "spent",
    "stand": "stood",
    "strike": "struck",
    "take": "taken",
    "tell": "told",
    "think": "thought",
    "win": "won",
    "withdraw": "withdrawn",
    "write": "written",
}


@dataclass(frozen=True, slots=True)
class OpenFact:
    """A fact read from one clause, before its date and evidence are attached."""

    subject: str
    predicate: str
    object: str | None
    value: bool | str
    modality: str  # asserted | future | possible | planned | conditional | reported | ...
    rule: str
    quote: str
    text: str
    tense: str = "past"
    when_text: str = ""
    condition: str | None = None
    lemma: str = ""  # the verb's lemma, for what a plan implies

    @property
    def key(self) -> str:
        return "/".join(p for p in (self.subject, self.predicate, self.object) if p)


@dataclass(frozen=True, slots=True)
class _Name:
    slug: str
    text: str


@dataclass
class _Context:
    """What one sentence's reading needs from the document around it."""

    cast: Cast
    index: int
    previous: Speaker | None
    last: dict[str, _Name] = field(default_factory=dict)  # "plural"/"singular" -> subject


def past_form(lemma: str) -> str:
    """A verb's past participle, for what a plan says is not done yet."""
    if lemma in _IRREGULAR:
        return _IRREGULAR[lemma]
    if lemma.endswith("e"):
        return lemma + "d"
    if re.search(r"[^aeiou]y$", lemma):
        return lemma[:-1] + "ied"
    return lemma + "ed"


def _words(text: str) -> str:
    return " ".join(text.split())


class FactReader:
    """Reads the facts of parsed sentences; one per document (it carries pronouns on)."""

    def __init__(self, voices: Voices, config: ExtractionConfig) -> None:
        self.voices = voices
        self.config = config
        self.words = config.facts
        self._last: dict[str, _Name] = {}
        self._heads: dict[str, _Name] = {}  # head lemma -> the last thing named by it
        self._topic: _Name | None = None  # what the current section's heading names
        self._gathering: _Name | None = None  # the last gathering said to be attended

    # -- names ---------------------------------------------------------------------------

    def _side(self, text: str) -> str | None:
        """The side ``text`` names as a whole: "the UK", "United Kingdom", "France"."""
        bare = re.sub(r"^(?:the|both)\s+", "", text.strip(), flags=re.IGNORECASE)
        bare = bare.removesuffix("'s").removesuffix("\u2019s")
        for side, terms in self.config.sides.items():
            found = terms.find(bare)
            if len(found) == 1 and found[0].casefold() == bare.casefold():
                letters = [c for c in bare if c.isalpha()]
                if slug(bare) == side or all(c.isupper() for c in letters):
                    return side
        return None

    def _entity(self, token: Any) -> Any | None:
        for ent in token.doc.ents:
            if ent.start <= token.i < ent.end and ent.label_ in _NAMED:
                return ent
        return None

    def name(self, token: Any, ctx: _Context) -> _Name | None:
        """The slug and words of the thing ``token`` heads, or None when it names nothing."""
        lower = token.lower_
        if token.pos_ == "PRON" or lower in _RELATIVE:
            if lower in _PERSONAL and ctx.previous is not None:
                return _Name(ctx.previous.id, ctx.previous.name)
            if lower in _RELATIVE and token.head.dep_ in ("relcl", "acl"):
                antecedent = token.head.head
                # "a meeting held in Paris, which saw ...": a place does not see; the
                # clause is about the noun the place phrase qualifies
                if (
                    antecedent.ent_type_ in ("GPE", "LOC")
                    and antecedent.dep_ == "pobj"
                    and antecedent.head.head.dep_ == "acl"
                ):
                    antecedent = antecedent.head.head.head
                return self.name(antecedent, ctx)
            if lower in _POINTING:
                number = "singular" if lower in ("it", "this") else "plural"
                return self._last.get(number)
            return None
        if token.pos_ not in ("NOUN", "PROPN", "NUM", "ADJ"):
            return None
        pointed = self._pointed(token)
        if pointed is not None:
            return pointed
        ent = self._entity(token)
        if ent is not None and ent.root.i == token.i:
            text = _words(ent.text).removesuffix(" 's").removesuffix("'s")
            side = self._side(text)
            if side is not None:
                return _Name(side, text)
            if ent.label_ == "PERSON":
                span = token.doc[ent.start : ent.end]
                who = ctx.cast.resolve(Speaker(text, None, None), span, ctx.index)
                actor = self.voices.actor_named(who.name)
                return _Name(actor.id if actor else slug(who.name), text)
            actor = self.voices.actor_named(text)
            return _Name(actor.id if actor else slug(text), text)
        core = self._core(token)
        actor = self.voices.actor_named(core) or self.voices.actor_named(
            re.sub(r"^(?:the|a|an)\s+", "", core, flags=re.IGNORECASE)
        )
        if actor is not None and token.pos_ in ("NOUN", "PROPN"):
            return _Name(actor.id, core)
        side = self._side(core)
        if side is not None:
            return _Name(side, core)
        return _Name(self._slug(token, ctx), core)

    def _pointed(self, token: Any) -> _Name | None:
        """ "these hubs": the hubs named before; "this strategy": what the section is about."""
        if token.pos_ != "NOUN" or not any(
            c.dep_ == "det" and c.lower_ in _DEMONSTRATIVES for c in token.children
        ):
            return None
        lemma = token.lemma_.lower()
        if lemma in self._heads:
            return self._heads[lemma]
        if lemma in self.words.summary_nouns and self._topic is not None:
            return self._topic
        return None

    def _core(self, token: Any) -> str:
        """The noun with the words before it that belong to it (no clauses, no appositives)."""
        start = token.i
        for child in token.children:
            if child.i < token.i and child.dep_ not in ("punct", "cc", "preconj"):
                start = min(start, child.left_edge.i)
        return _words(token.doc[start : token.i + 1].text)

    def _slug(self, token: Any, ctx: _Context) -> str:
        """A noun's key: its owner, the name words touching it, and the noun itself.

        "robust, multilayered security guarantees" -> security-guarantees; "military
        hubs" -> military-hubs; "top Western leaders" -> western-leaders; "President
        Putin's residence" -> putin-residence.
        """
        doc = token.doc
        parts = [self.words.same_nouns.get(token.lower_, token.lower_)]
        took_compound = False
        i = token.i - 1
        while i >= token.left_edge.i:
            word = doc[i]
            if word.dep_ in ("compound", "nmod") and word.head.i in (token.i, doc[i + 1].i):
                parts.insert(0, word.lower_)
                took_compound = True
            elif word.dep_ == "amod" and word.head.i == token.i:
                if word.lower_ in self.words.vague_modifiers or word.lower_ in self.words.hedges:
                    break
                named = word.ent_type_ in ("NORP", "GPE") or word.pos_ == "PROPN"
                if not named and (took_compound or len(parts) > 1 or word.tag_ == "VBN"):
                    break
                parts.insert(0, word.lower_)
            elif word.dep_ == "punct" and word.text == "-":
                pass
            else:
                break
            i -= 1
        owner = next((c for c in token.children if c.dep_ == "poss"), None)
        if owner is not None and owner.pos_ in ("PROPN", "NOUN"):
            named = self.name(owner, ctx)
            if named is not None:
                parts.insert(0, named.slug)
        return slug(" ".join(parts))

    def _inside(self, token: Any, ctx: _Context) -> Any:
        """ "the framework for the guarantees" -> the guarantees; "leaders from X" -> X."""
        lemma = token.lemma_.lower()
        wrapped = lemma in self.words.container_nouns or lemma in self.words.people_nouns
        if wrapped:
            for prep in token.children:
                if prep.dep_ == "prep" and prep.lower_ in ("for", "of", "from", "on"):
                    pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
                    if pobj is not None and pobj.pos_ in ("NOUN", "PROPN"):
                        return self._inside(pobj, ctx)
        return token

    def conjuncts(self, token: Any) -> list[Any]:
        """The token and every noun coordinated with it: "A, B, and C"."""
        found = [token]
        for child in token.children:
            if child.dep_ == "conj" and child.pos_ in ("NOUN", "PROPN", "NUM"):
                found += self.conjuncts(child)
        return found

    def things(self, token: Any, ctx: _Context) -> list[_Name]:
        """What a noun phrase names, one per conjunct, through containers and people."""
        names = []
        for each in self.conjuncts(token):
            if each.pos_ == "PRON":
                continue  # "linking it to ...": what an object pronoun stands for is a guess
            if each.ent_type_ in ("DATE", "TIME"):
                continue  # "on 10 February" is when, the fact's valid time, not a thing
            inner = self._inside(each, ctx)
            for one in self.conjuncts(inner) if inner.i != each.i else [each]:
                named = self.name(one, ctx)
                if named is not None and named.slug not in ("x", ""):
                    names.append(named)
        return list({n.slug: n for n in names}.values())

    # -- mood ----------------------------------------------------------------------------

    def _condition(self, verb: Any, modality: str) -> str | None:
        token = verb
        for _ in range(6):
            for child in token.children:
                if child.dep_ == "advcl" and any(
                    m.dep_ == "mark" and m.lower_ in self.config.conditional_marks
                    for m in child.children
                ):
                    return _words(" ".join(t.text for t in child.subtree))
            if token.head.i == token.i or token.dep_ not in ("conj", "xcomp", "ccomp", "advcl"):
                break
            token = token.head
        if modality in ("future", "modal", "possible", "conditional"):
            for child in verb.children:
                if (
                    child.dep_ == "prep"
                    and child.lower_ in self.words.condition_preps
                    and any(c.dep_ in ("pobj", "pcomp") for c in child.children)
                ):
                    return _words(" ".join(t.text for t in child.subtree))
        return None

    def _reported(self, verb: Any) -> bool:
        token = verb
        for _ in range(6):
            if token.head.i == token.i:
                return False
            came, token = token, token.head
            if came.dep_ in ("ccomp", "xcomp") and (
                token.lemma_.lower() in self.config.reporting_verbs
            ):
                return True
        return False

    def _mood(self, verb: Any, sent: Any) -> tuple[bool, str, str | None] | None:
        """(negated, modality, condition) of the verb's clause; None for a question."""
        mood = clauses.mood(verb, sent, self.config)
        if mood.modality == "question":
            return None
        negated = mood.negated or mood.denied
        condition = self._condition(verb, mood.modality)
        if condition is not None:
            modality = "conditional"
        elif mood.modality == "future":
            modality = "future"
        elif mood.modality in ("modal", "possible"):
            modality = "possible"
        elif mood.modality == "planned":
            modality = "planned"
        elif mood.modality == "conditional":
            modality = "conditional"
        elif self._reported(verb):
            modality = "reported"
        else:
            modality = "asserted"
        return negated, modality, condition

    # -- predicates ----------------------------------------------------------------------

    def _modal(self, verb: Any) -> list[str]:
        words = []
        for child in verb.children:
            if child.dep_ == "aux" and child.tag_ == "MD":
                words.append(_SPELLED.get(child.lower_, child.lower_))
        return words

    def _verb_words(self, verb: Any) -> str:
        """The verb as the sentence says it: "had not issued", "will establish"."""
        keep = [
            c
            for c in verb.children
            if c.dep_ in ("aux", "auxpass", "neg", "prt")
            and not (c.dep_ == "aux" and c.lower_ == "to")
        ]
        tokens = sorted([verb, *keep], key=lambda t: t.i)
        return " ".join(t.text for t in tokens)

    def predicate(self, verb: Any, *extra: str) -> str:
        prt = [c.lower_ for c in verb.children if c.dep_ == "prt"]
        return slug(" ".join([*self._modal(verb), verb.lower_, *prt, *extra]))

    # -- reading -------------------------------------------------------------------------

    def read(
        self,
        sent: Any,
        *,
        cast: Cast,
        index: int,
        previous: Speaker | None,
    ) -> list[OpenFact]:
        """The facts of one sentence, in order."""
        ctx = _Context(cast, index, previous)
        found: list[OpenFact] = []
        for token in sent:
            if token.pos_ in ("VERB", "AUX") and token.dep_ not in ("aux", "auxpass"):
                found += self._clause(token, sent, ctx)
            elif token.pos_ in ("NOUN", "PROPN"):
                found += self._noun(token, sent, ctx)
        found += self._implied(found)
        for token in sent:
            # what "these" or "it" in the next clause may stand for: the last noun subject
            if token.dep_ in ("nsubj", "nsubjpass") and token.pos_ in ("NOUN", "PROPN"):
                named = self.name(token, ctx)
                if named is not None:
                    number = "plural" if token.tag_ in ("NNS", "NNPS") else "singular"
                    self._last[number] = named
            # what "these hubs" may stand for: the last thing named with that head noun
            if token.pos_ == "NOUN" and token.dep_ not in ("compound", "amod"):
                named = self.name(token, ctx)
                if named is not None:
                    self._heads[token.lemma_.lower()] = named
        for fact in found:
            if fact.predicate == "attended-by" and fact.value is True:
                self._gathering = _Name(fact.subject, fact.subject.replace("-", " "))
        return found

    def heading(self, sent: Any, *, cast: Cast, index: int) -> None:
        """A section's heading names what the section is about: "Nature of the Security
        Guarantees" makes "this strategy" below it the security guarantees."""
        ctx = _Context(cast, index, None)
        root = next((t for t in sent if t.dep_ == "ROOT"), None)
        self._topic = None
        if root is None or root.pos_ not in ("NOUN", "PROPN"):
            return
        if root.lemma_.lower() in self.words.attribute_nouns:
            root = next(
                (
                    pobj
                    for prep in root.children
                    if prep.dep_ == "prep" and prep.lower_ == "of"
                    for pobj in prep.children
                    if pobj.dep_ == "pobj"
                ),
                root,
            )
        things = self.things(root, ctx)
        self._topic = things[0] if len(things) == 1 else None

    def _subjects(self, verb: Any, ctx: _Context) -> list[_Name]:
        agents = self._effort_agents(verb, ctx)
        if agents:
            return agents
        subject = clauses.subject_of(verb)
        if subject is None:
            return []
        if subject.head.i == verb.i and subject.dep_ == "pobj":
            return []  # a passive's agent is read by _passive
        return (
            self.things(subject, ctx) if subject.pos_ != "PRON" else _some(self.name(subject, ctx))
        )

    def _effort_agents(self, verb: Any, ctx: _Context) -> list[_Name]:
        """ "X represents an effort by A to forge Y, ... while preparing for Z": A prepares,
        not X; the participles hanging on the naming verb share the effort's agent."""
        token = verb
        while token.dep_ == "advcl" and token.tag_ == "VBG" and token.head.i != token.i:
            token = token.head
        if token.i == verb.i or token.lemma_.lower() not in self.words.naming_verbs:
            return []
        for effort in (c for c in token.children if c.dep_ in ("dobj", "attr")):
            if effort.lemma_.lower() in self.words.effort_nouns:
                return [
                    n
                    for pobj in self._prep_objects(effort, ("by",))
                    for n in self.things(pobj, ctx)
                ]
        return []

    def _holders(self, verb: Any, ctx: _Context) -> list[_Name]:
        """Who is reported saying the verb's clause: "Russian officials stated that ..."."""
        token = verb
        for _ in range(6):
            if token.head.i == token.i:
                return []
            came, token = token, token.head
            if came.dep_ == "ccomp" and token.lemma_.lower() in self.config.reporting_verbs:
                return self._subjects(token, ctx)
            if came.dep_ not in ("ccomp", "conj"):
                return []
        return []

    def _preconditions(
        self, verb: Any, negated: bool, base: dict[str, Any], ctx: _Context
    ) -> list[OpenFact]:
        """ "X is contingent on Y", "X is only possible after Y is agreed", "X can be done
        once Y is reached": X requires Y. Reported, it is the speaker's position: they
        require Y for (or before) X."""
        needed: list[Any] = []
        order = "for"
        for word in [verb, *(c for c in verb.children if c.dep_ == "acomp")]:
            if word.lemma_.lower() in self.words.precondition_words:
                needed += self._prep_objects(word, ("on", "upon"))
        possible = bool(_MAY & set(self._modal(verb))) or any(
            c.dep_ == "acomp" and c.lemma_.lower() in self.words.possible_words
            for c in verb.children
        )
        if not needed and possible:
            for clause in (c for c in verb.children if c.dep_ == "advcl"):
                if any(
                    m.dep_ in ("mark", "advmod") and m.lower_ in self.words.precondition_marks
                    for m in clause.children
                ):
                    needed += [c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")]
                    order = "before"
        subject = next(
            (c for c in verb.children if c.dep_ == "nsubjpass"), clauses.subject_of(verb)
        )
        if not needed or subject is None or subject.dep_ == "expl":
            return []
        wanting = self._named_subjects(subject, ctx)
        holders = self._holders(verb, ctx)
        found: list[OpenFact] = []
        for need in (n for token in needed for n in self.things(token, ctx)):
            for what in wanting:
                if not holders:
                    text = f"{what.text} requires {need.text}"
                    found.append(
                        self._fact(
                            what, "requires", need, not negated, "open.precondition", base, text
                        )
                    )
                for who in holders:
                    text = f"{who.text} holds that {what.text} requires {need.text}"
                    predicate = f"requires-{need.slug}-{order}"
                    found.append(
                        self._fact(
                            who, predicate, what, not negated, "open.precondition", base, text
                        )
                    )
        return found

    def _promise(
        self, verb: Any, negated: bool, base: dict[str, Any], ctx: _Context
    ) -> list[OpenFact]:
        """ "The commitment from the allies involves a support package": the allies pledged
        it. A promise named as a noun, and a verb saying what it holds."""
        subject = clauses.subject_of(verb)
        lemma = verb.lemma_.lower()
        if (
            subject is None
            or subject.lemma_.lower() not in self.words.promise_nouns
            or lemma not in self.words.state_verbs | self.words.linking_verbs
        ):
            return []
        makers = [
            *self._prep_objects(subject, ("from", "by", "of")),
            *(c for c in subject.children if c.dep_ == "poss"),
        ]
        who = [n for m in makers for n in (self.things(m, ctx) if m.pos_ != "PRON" else [])]
        found: list[OpenFact] = []
        for obj in (c for c in verb.children if c.dep_ in ("dobj", "attr")):
            for what in self.things(obj, ctx):
                for maker in who:
                    text = f"{maker.text} pledged {what.text}"
                    found.append(
                        self._fact(maker, "pledged", what, not negated, "open.promise", base, text)
                    )
        return found

    def _clause(self, verb: Any, sent: Any, ctx: _Context) -> list[OpenFact]:
        if verb.dep_ in ("amod", "compound") or (
            verb.tag_ == "VBG" and verb.dep_ in ("pcomp", "pobj", "nsubj", "acl", "amod")
        ):
            return []  # "a signed deal", "the importance of ratifying": no clause of its own
        if verb.dep_ == "xcomp" and verb.head.pos_ == "VERB":
            return []  # "agreed to provide X": read through the verb it completes
        lemma = verb.lemma_.lower()
        mood = self._mood(verb, sent)
        if mood is None:
            return []
        negated, modality, condition = mood
        quote = _words(clauses.clause_text(verb))
        tense = clauses.tense(verb, self.config)
        base = {
            "modality": modality,
            "quote": quote,
            "tense": tense,
            "when_text": quote,
            "condition": condition,
            "lemma": lemma,
        }
        if verb.dep_ == "acl" and verb.tag_ == "VBN" and verb.head.pos_ in ("NOUN", "PROPN"):
            return self._participle(verb, negated, base, ctx)
        needed = self._preconditions(verb, negated, base, ctx)
        if needed and (lemma in self.words.linking_verbs or lemma in self.words.precondition_words):
            return needed  # "X is contingent on Y" says no more than that X requires Y
        if any(c.dep_ == "auxpass" for c in verb.children) or any(
            c.dep_ == "nsubjpass" for c in verb.children
        ):
            return needed + self._passive(verb, negated, base, ctx)
        if lemma in self.words.linking_verbs:
            return needed + self._copula(verb, negated, base, ctx)
        pledged = self._promise(verb, negated, base, ctx)
        if pledged:
            return pledged
        subjects = self._subjects(verb, ctx)
        if not subjects:
            return needed
        found: list[OpenFact] = needed
        for subject in subjects:
            found += self._active(verb, subject, negated, base, ctx)
        return found

    def _fact(
        self,
        subject: _Name,
        predicate: str,
        obj: _Name | None,
        value: bool | str,
        rule: str,
        base: dict[str, Any],
        text: str,
    ) -> OpenFact:
        return OpenFact(
            subject=subject.slug,
            predicate=predicate,
            object=obj.slug if obj else None,
            value=value,
            rule=rule,
            text=_sentence(text),
            **base,
        )

    def _active(
        self, verb: Any, subject: _Name, negated: bool, base: dict[str, Any], ctx: _Context
    ) -> list[OpenFact]:
        words = self.words
        lemma = verb.lemma_.lower()
        prt = " ".join(c.lower_ for c in verb.children if c.dep_ == "prt")
        adverbs = " ".join(c.lower_ for c in verb.children if c.dep_ == "advmod")
        phrase = f"{lemma} {prt}".strip()
        value = not negated
        said = self._verb_words(verb)
        found: list[OpenFact] = []
        objects = [c for c in verb.children if c.dep_ in ("dobj",)]
        gathering = phrase in words.gathering_verbs or any(
            f"{lemma} {a}" in words.gathering_verbs for a in adverbs.split()
        )
        if gathering:
            for obj in objects:
                people = [obj]
                if obj.lemma_.lower() in words.people_nouns:
                    # "brought together leaders from A, B and C", the "from" hung on the verb
                    people = self._prep_objects(verb, ("from", "of")) or people
                for each in [n for p in people for n in self.things(p, ctx)]:
                    text = f"{subject.text} was attended by {each.text}"
                    found.append(
                        self._fact(
                            subject, "attended-by", each, value, "open.gathering", base, text
                        )
                    )
            return found
        for obj in objects:
            if obj.lemma_.lower() in words.attending_nouns:
                for prep in obj.children:
                    if prep.dep_ == "prep" and prep.lower_ in ("from", "of", "by"):
                        for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                            for each in self.things(pobj, ctx):
                                text = f"{subject.text} was attended by {each.text}"
                                found.append(
                                    self._fact(
                                        subject,
                                        "attended-by",
                                        each,
                                        value,
                                        "open.attending",
                                        base,
                                        text,
                                    )
                                )
                if found:
                    return found
        attending = [a for a in words.attending_verbs if a.split()[0] == lemma]
        if attending:
            places = self._prep_objects(verb, ("in", "at"))
            events = objects if not any(a.endswith(" in") for a in attending) else []
            for event in [*events, *places]:
                for each in self.things(event, ctx):
                    text = f"{each.text} was attended by {subject.text}"
                    found.append(
                        self._fact(
                            each, "attended-by", subject, value, "open.attending", base, text
                        )
                    )
            if found:
                return found
        for obj in objects:
            head = obj.lemma_.lower()
            if lemma in words.light_verbs:
                light = self._light(verb, subject, obj, value, base, ctx)
                if light:
                    found += light
                    continue
            if head in words.effort_nouns and (
                lemma in words.linking_verbs or lemma in words.naming_verbs
            ):
                found += self._effort(subject, obj, value, base, ctx)
            for each in self.things(obj, ctx):
                text = f"{subject.text} {said} {each.text}"
                found.append(
                    self._fact(
                        subject, self.predicate(verb), each, value, "open.clause", base, text
                    )
                )
        if not objects:
            found += self._through(verb, subject, value, base, ctx)
        # "established military hubs across Ukraine": where, as a fact of its own
        for prep in verb.children:
            if prep.dep_ != "prep" or prep.lower_ not in PLACE_PREPS or not objects:
                continue
            for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                if pobj.ent_type_ not in ("GPE", "LOC", "FAC"):
                    continue
                for each in self.things(pobj, ctx):
                    text = f"{subject.text} {said} {prep.text} {each.text}"
                    predicate = self.predicate(verb, prep.lower_)
                    found.append(
                        self._fact(subject, predicate, each, value, "open.place", base, text)
                    )
        return found

    def _prep_objects(self, verb: Any, preps: tuple[str, ...]) -> list[Any]:
        return [
            pobj
            for prep in verb.children
            if prep.dep_ == "prep" and prep.lower_ in preps
            for pobj in prep.children
            if pobj.dep_ == "pobj"
        ]

    def _through(
        self, verb: Any, subject: _Name, value: bool, base: dict[str, Any], ctx: _Context
    ) -> list[OpenFact]:
        """A verb without an object: through its infinitive ("agreed to provide X with Y"),
        else its first preposition ("warned against X", "met in Paris"), else alone."""
        said = self._verb_words(verb)
        found: list[OpenFact] = []
        xcomp = next((c for c in verb.children if c.dep_ == "xcomp" and c.pos_ == "VERB"), None)
        if xcomp is not None:
            lemma = xcomp.lemma_.lower()
            things: list[Any] = []
            if lemma in self.words.giving_verbs:
                things = self._prep_objects(xcomp, ("with",))
            if not things:
                things = [c for c in xcomp.children if c.dep_ == "dobj"]
            for thing in things:
                for each in self.things(thing, ctx):
                    text = f"{subject.text} {said} to {xcomp.text} {each.text}"
                    found.append(
                        self._fact(
                            subject,
                            self.predicate(verb),
                            each,
                            value,
                            "open.infinitive",
                            base,
                            text,
                        )
                    )
            return found
        if any(c.dep_ in ("ccomp", "csubj") for c in verb.children):
            return found  # what was said or thought is read as its own clause
        for prep in verb.children:
            if prep.dep_ != "prep":
                continue
            pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
            if pobj is None:
                continue
            stance = self._stance(verb, prep)
            if stance is not None:
                pobj = self._acted_on(pobj)
            for each in self.things(pobj, ctx):
                text = f"{subject.text} {said} {prep.text} {each.text}"
                predicate = stance or self.predicate(verb, prep.lower_)
                rule = "open.stance" if stance else "open.clause"
                found.append(self._fact(subject, predicate, each, value, rule, base, text))
            return found
        if verb.lemma_.lower() in self.config.reporting_verbs:
            return found
        text = f"{subject.text} {said}"
        found.append(
            self._fact(subject, self.predicate(verb), None, value, "open.clause", base, text)
        )
        return found

    def _stance(self, verb: Any, prep: Any) -> str | None:
        """ "warned against X" -> opposes, by the ``stance_verbs`` table (modal kept)."""
        prt = [c.lower_ for c in verb.children if c.dep_ == "prt"]
        phrase = " ".join([verb.lemma_.lower(), *prt, prep.lower_])
        stance = self.words.stance_verbs.get(phrase)
        if stance is None:
            return None
        return slug(" ".join([*self._modal(verb), stance]))

    def _acted_on(self, noun: Any) -> Any:
        """ "the deployment of troops" -> the troops: what an act noun is done to."""
        if noun.lemma_.lower() not in self.words.event_nouns:
            return noun
        return next(
            (
                pobj
                for prep in noun.children
                if prep.dep_ == "prep" and prep.lower_ == "of"
                for pobj in prep.children
                if pobj.dep_ == "pobj"
            ),
            noun,
        )

    def _light(
        self, verb: Any, subject: _Name, obj: Any, value: bool, base: dict[str, Any], ctx: _Context
    ) -> list[OpenFact]:
        """ "maintained a guarded stance on the ceasefire" -> stance-on/ceasefire = "guarded"."""
        found: list[OpenFact] = []
        quality = [
            c.lower_
            for c in obj.children
            if c.dep_ == "amod" and c.lower_ not in self.words.vague_modifiers
        ]
        after = [c for c in verb.children if c.dep_ == "prep" and c.i > obj.i]
        for prep in [*obj.children, *after]:
            if prep.dep_ != "prep" or prep.lower_ not in (
                "on",
                "for",
                "about",
                "over",
                "against",
                "to",
                "toward",
                "towards",
                "with",
            ):
                continue
            for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                predicate = slug(f"{obj.lemma_} {prep.lower_}")
                fact_value: bool | str = ", ".join(quality) if quality and value else value
                for each in self.things(pobj, ctx):
                    text = (
                        f"{subject.text} {self._verb_words(verb)} "
                        + _words(" ".join(t.text for t in obj.subtree))
                        + ("" if prep.head.i == obj.i else f" {prep.text} {each.text}")
                    )
                    found.append(
                        self._fact(
                            subject, predicate, each, fact_value, "open.light-verb", base, text
                        )
                    )
        return found

    def _effort(
        self, subject: _Name, noun: Any, value: bool, base: dict[str, Any], ctx: _Context
    ) -> list[OpenFact]:
        """ "X represents an effort by A to forge Y": X aims at Y, and A would forge Y."""
        found: list[OpenFact] = []
        for acl in (c for c in noun.children if c.dep_ == "acl" and c.pos_ == "VERB"):
            agents = [
                pobj
                for prep in noun.children
                if prep.dep_ == "prep" and prep.lower_ == "by"
                for pobj in prep.children
                if pobj.dep_ == "pobj"
            ]
            for obj in (c for c in acl.children if c.dep_ == "dobj"):
                for each in self.things(obj, ctx):
                    text = f"{subject.text} aims at {each.text}"
                    found.append(
                        self._fact(subject, "aims-at", each, value, "open.effort", base, text)
                    )
                    for agent in agents:
                        for who in self.things(agent, ctx):
                            text = f"{who.text} seek to {acl.text} {each.text}"
                            planned = {**base, "modality": "planned"}
                            found.append(
                                self._fact(
                                    who,
                                    "aims-to-" + acl.lower_,
                                    each,
                                    value,
                                    "open.effort",
                                    planned,
                                    text,
                                )
                            )
        return found

    def _passive(
        self, verb: Any, negated: bool, base: dict[str, Any], ctx: _Context
    ) -> list[OpenFact]:
        value = not negated
        lemma = verb.lemma_.lower()
        patients = [c for c in verb.children if c.dep_ == "nsubjpass"]
        if not patients:
            subject = clauses.subject_of(verb)
            patients = [subject] if subject is not None and subject.dep_ != "pobj" else []
        agents = [
            pobj
            for agent in verb.children
            if agent.dep_ == "agent"
            for pobj in agent.children
            if pobj.dep_ == "pobj"
        ]
        found: list[OpenFact] = []
        patient_names = [n for p in patients for n in self.things(p, ctx)] if patients else []
        if patients and patients[0].pos_ == "PRON":
            patient_names = _some(self.name(patients[0], ctx))
        said = self._verb_words(verb)
        if agents and lemma in self.words.member_passives and patients:
            found += self._delegation(patients[0], not negated, base)
        if agents:
            member = lemma in self.words.member_passives
            for agent in agents:
                for who in self.things(agent, ctx):
                    for what in patient_names:
                        if member:
                            text = f"{what.text} included {who.text}"
                            found.append(
                                self._fact(what, "included", who, value, "open.member", base, text)
                            )
                        else:
                            text = f"{who.text} {verb.text} {what.text}"
                            predicate = slug(" ".join([*self._modal(verb), verb.lower_]))
                            found.append(
                                self._fact(who, predicate, what, value, "open.passive", base, text)
                            )
            return found
        if lemma in self.words.purpose_verbs:
            xcomp = next((c for c in verb.children if c.dep_ == "xcomp"), None)
            if xcomp is not None:
                purpose = _words(" ".join(t.text for t in xcomp.subtree)).removeprefix("to ")
                for what in patient_names:
                    text = f"{what.text} is meant to {purpose}"
                    found.append(
                        self._fact(what, "purpose", None, purpose, "open.purpose", base, text)
                    )
                return found
        for patient in patients:
            nation = self._nation(patient)
            for what in self.things(patient, ctx) if patient.pos_ != "PRON" else patient_names:
                if nation is not None:
                    predicate = slug(" ".join([*self._modal(verb), lemma]))
                    if not self._modal(verb):
                        predicate = slug(verb.lower_)
                    doer = _Name(nation, nation)
                    text = f"{clauses.phrase(patient)} {said}"
                    found.append(
                        self._fact(doer, predicate, what, value, "open.passive", base, text)
                    )
                    found += self._places(verb, doer, predicate, value, base, ctx, said)
                    continue
                predicate = slug(" ".join([*self._modal(verb), "be", verb.lower_]))
                text = f"{what.text} {said}"
                prep_found = False
                for prep in verb.children:
                    if prep.dep_ == "prep" and prep.lower_ not in self.words.condition_preps:
                        for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                            for each in self.things(pobj, ctx):
                                prep_found = True
                                found.append(
                                    self._fact(
                                        what,
                                        f"{predicate}-{slug(prep.lower_)}",
                                        each,
                                        value,
                                        "open.passive",
                                        base,
                                        f"{text} {prep.text} {each.text}",
                                    )
                                )
                        break
                if not prep_found:
                    found.append(
                        self._fact(what, predicate, None, value, "open.passive", base, text)
                    )
        return found

    def _delegation(self, noun: Any, value: bool, base: dict[str, Any]) -> list[OpenFact]:
        """ "The US delegation was represented by A": the United States attended the
        gathering last said to be attended."""
        if noun.lemma_.lower() not in self.words.attending_nouns or self._gathering is None:
            return []
        found = []
        for child in noun.children:
            if child.dep_ in ("compound", "amod", "poss") and child.i < noun.i:
                side = self._side(child.text)
                if side is None and child.ent_type_ in ("NORP", "GPE"):
                    side = self.voices.side_in(child.text)
                if side is not None and side != "other":
                    text = f"{self._gathering.text} was attended by {child.text}"
                    found.append(
                        self._fact(
                            self._gathering,
                            "attended-by",
                            _Name(side, child.text),
                            value,
                            "open.attending",
                            base,
                            text,
                        )
                    )
        return found

    def _places(
        self,
        verb: Any,
        doer: _Name,
        predicate: str,
        value: bool,
        base: dict[str, Any],
        ctx: _Context,
        said: str,
    ) -> list[OpenFact]:
        found = []
        for prep in verb.children:
            if prep.dep_ != "prep" or prep.lower_ not in PLACE_PREPS:
                continue
            for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                for each in self.things(pobj, ctx):
                    text = f"{doer.text} {said} {prep.text} {each.text}"
                    found.append(
                        self._fact(
                            doer,
                            f"{predicate}-{slug(prep.lower_)}",
                            each,
                            value,
                            "open.place",
                            base,
                            text,
                        )
                    )
        return found

    def _nation(self, patient: Any) -> str | None:
        """ "French soldiers" were deployed by France."""
        if patient.lemma_.lower() not in self.words.national_forces:
            return None
        for child in patient.children:
            if child.dep_ in ("amod", "compound", "poss") and child.i < patient.i:
                side = self._side(child.text) or self.voices.side_in(child.text)
                if side is not None and side != "other":
                    return side
        return None

    def _copula(
        self, verb: Any, negated: bool, base: dict[str, Any], ctx: _Context
    ) -> list[OpenFact]:
        """ "X is a Y" -> x/role = "a Y"; "X remains unspecified" -> x/described-as; "the
        size of X remains unspecified" -> x/size; "X is contingent on Y" -> x/contingent-on/y."""
        subject = clauses.subject_of(verb)
        if subject is None or subject.dep_ == "expl":
            return []
        found: list[OpenFact] = []
        owners = self._owned(subject, ctx)
        for complement in verb.children:
            if complement.dep_ not in ("attr", "acomp", "oprd"):
                continue
            words = _words(
                " ".join(t.text for t in complement.subtree if not _clause_part(t, complement))
            )
            noun = complement.pos_ in ("NOUN", "PROPN")
            if complement.dep_ == "acomp":
                preps = [c for c in complement.children if c.dep_ == "prep"]
                if preps and not owners:
                    prep = preps[0]
                    for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                        for who in self._named_subjects(subject, ctx):
                            for each in self.things(pobj, ctx):
                                predicate = slug(f"{complement.lower_} {prep.lower_}")
                                text = f"{who.text} {self._verb_words(verb)} {words}"
                                found.append(
                                    self._fact(
                                        who,
                                        predicate,
                                        each,
                                        not negated,
                                        "open.copula",
                                        base,
                                        text,
                                    )
                                )
                    if found:
                        return found
            targets = owners or [
                (who, "role" if noun else "described-as")
                for who in self._named_subjects(subject, ctx)
            ]
            for who, predicate in targets:
                text = f"{clauses.phrase(subject)} {self._verb_words(verb)} {words}"
                if negated:
                    what = _Name(self._slug(complement, ctx) if noun else slug(words), words)
                    found.append(self._fact(who, predicate, what, False, "open.copula", base, text))
                else:
                    found.append(self._fact(who, predicate, None, words, "open.copula", base, text))
        return found

    def _named_subjects(self, subject: Any, ctx: _Context) -> list[_Name]:
        if subject.pos_ == "PRON":
            return _some(self.name(subject, ctx))
        return self.things(subject, ctx)

    def _owned(self, subject: Any, ctx: _Context) -> list[tuple[_Name, str]]:
        """ "the size of such a force and finer details" -> (force, size), (force, details)."""
        pairs: list[tuple[_Name, str]] = []
        owner: _Name | None = None
        for each in self.conjuncts(subject):
            if each.lemma_.lower() not in self.words.attribute_nouns:
                return []
            of = next(
                (
                    pobj
                    for prep in each.children
                    if prep.dep_ == "prep" and prep.lower_ == "of"
                    for pobj in prep.children
                    if pobj.dep_ == "pobj"
                ),
                None,
            )
            if of is not None:
                owner = self.name(of, ctx)
            if owner is None:
                return []
            pairs.append((owner, self._attribute(each)))
            if of is not None:
                # "the size of such a force and finer details", the conjunct hung on "force"
                for conj in of.children:
                    if conj.dep_ == "conj" and conj.lemma_.lower() in self.words.attribute_nouns:
                        pairs.append((owner, self._attribute(conj)))
        return pairs

    def _attribute(self, noun: Any) -> str:
        parts = [noun.lower_]
        for child in sorted(noun.children, key=lambda t: -t.i):
            if (
                child.i < noun.i
                and child.dep_ in ("amod", "compound")
                and (child.lower_ not in self.words.vague_modifiers)
            ):
                parts.insert(0, child.lower_)
                break
        return slug(" ".join(parts))

    def _participle(
        self, verb: Any, negated: bool, base: dict[str, Any], ctx: _Context
    ) -> list[OpenFact]:
        """ "a meeting held in Paris" -> meeting/held-in/paris; "a development aimed at
        ending the war" -> development/aimed-at/ending-the-war."""
        noun = verb.head
        found: list[OpenFact] = []
        owners = self.things(noun, ctx) if noun.pos_ in ("NOUN", "PROPN") else []
        for prep in (c for c in verb.children if c.dep_ == "prep"):
            targets: list[_Name] = []
            for child in prep.children:
                if child.dep_ == "pobj":
                    targets += self.things(child, ctx)
                elif child.dep_ == "pcomp":
                    words = _words(" ".join(t.text for t in child.subtree))
                    targets.append(_Name(slug(words), words))
            for owner in owners:
                for each in targets:
                    text = f"{owner.text} {verb.text} {prep.text} {each.text}"
                    predicate = slug(f"{verb.lower_} {prep.lower_}")
                    found.append(
                        self._fact(
                            owner, predicate, each, not negated, "open.participle", base, text
                        )
                    )
            break
        return found

    def _noun(self, noun: Any, sent: Any, ctx: _Context) -> list[OpenFact]:
        """What a noun phrase asserts on its own: appositions, listed qualities, acts."""
        found: list[OpenFact] = []
        base = {
            "modality": "reported" if self._reported(noun.head) else "asserted",
            "quote": _words(" ".join(t.text for t in noun.subtree)),
            "tense": "past",
            "when_text": "",
            "condition": None,
        }
        if noun.dep_ == "appos" and noun.head.pos_ in ("PROPN", "NOUN"):
            owner = self.name(noun.head, ctx)
            if owner is not None and not any(t.ent_type_ == "DATE" for t in noun.subtree):
                words = _words(" ".join(t.text for t in noun.subtree if not _clause_part(t, noun)))
                text = f"{owner.text} is {words}"
                found.append(self._fact(owner, "role", None, words, "open.apposition", base, text))
        qualities = [
            c
            for c in noun.children
            if c.dep_ == "amod"
            and c.i < noun.i
            and c.lower_ not in self.words.vague_modifiers
            and c.lower_ not in self.words.hedges
            and c.ent_type_ not in ("NORP", "ORDINAL")
        ]
        if len(qualities) >= 2:
            listed = any(
                t.text == "," or t.lower_ == "and"
                for t in noun.doc[qualities[0].i : qualities[-1].i]
            )
            # "illegal, coercive, aggressive, and deceptive activities": the list's conjuncts
            qualities += [
                c for q in qualities for c in q.children if c.dep_ == "conj" and c.pos_ == "ADJ"
            ]
            qualities.sort(key=lambda t: t.i)
            named = self.name(noun, ctx)
            if listed and named is not None:
                words = ", ".join(q.text for q in qualities)
                bare = _words(
                    " ".join(
                        t.text for t in noun.subtree if t.i >= qualities[-1].i + 1 and t.i <= noun.i
                    )
                )
                text = f"{bare} are described as {words}"
                found.append(
                    self._fact(named, "described-as", None, words, "open.qualities", base, text)
                )
        if noun.lemma_.lower() in self.words.event_nouns:
            found += self._act(noun, base, ctx)
        return found

    def _act(self, noun: Any, base: dict[str, Any], ctx: _Context) -> list[OpenFact]:
        """ "the alleged Ukrainian attack on X" -> ukraine/attack/x, alleged."""
        agents: list[_Name] = []
        for child in noun.children:
            if child.dep_ in ("amod", "compound") and child.i < noun.i:
                side = self._side(child.text) or (
                    self.voices.side_in(child.text) if child.ent_type_ in ("NORP", "GPE") else None
                )
                if side is not None:
                    agents.append(_Name(side, child.text))
            elif child.dep_ == "poss":
                agents += _some(self.name(child, ctx))
            elif child.dep_ == "prep" and child.lower_ == "by":
                for pobj in (c for c in child.children if c.dep_ == "pobj"):
                    agents += self.things(pobj, ctx)
        if not agents:
            return []
        hedged = any(c.dep_ == "amod" and c.lower_ in self.words.hedges for c in noun.children)
        if hedged:
            base = {**base, "modality": "alleged"}
        found: list[OpenFact] = []
        for prep in noun.children:
            if prep.dep_ != "prep" or prep.lower_ not in (
                "on",
                "against",
                "of",
                "to",
                "into",
                "in",
            ):
                continue
            for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                for each in self.things(pobj, ctx):
                    for agent in agents:
                        text = f"{agent.text} {noun.lemma_} {prep.text} {each.text}"
                        found.append(
                            self._fact(agent, slug(noun.lemma_), each, True, "open.act", base, text)
                        )
        return found

    def _implied(self, found: list[OpenFact]) -> list[OpenFact]:
        """What someone will, could or plans to do is not done yet: "will establish hubs"
        says the hubs are not established as of the article."""
        implied = []
        for fact in found:
            if fact.value is not True or fact.rule not in (
                "open.clause",
                "open.passive",
                "open.place",
            ):
                continue
            if fact.modality not in ("future", "conditional", "planned", "possible"):
                continue
            words = fact.predicate.split("-")
            if not fact.lemma or words[0] not in _MODALS or not fact.object:
                continue
            if fact.lemma in self.words.state_verbs:
                continue  # "will include", "will remain": no act that could be done already
            rest = [w for w in words[1:] if w not in ("be", fact.lemma) and w not in _MODALS]
            predicate = "-".join([past_form(fact.lemma), *rest[-1:]])
            implied.append(
                OpenFact(
                    subject=fact.subject,
                    predicate=predicate,
                    object=fact.object,
                    value=False,
                    modality="implied",
                    rule="open.implied",
                    quote=fact.quote,
                    text=_sentence(f"Not yet: {fact.text.rstrip('.')}"),
                    tense="present",
                    when_text="",
                    condition=None,
                    lemma=fact.lemma,
                )
            )
        return implied


def _some(name: _Name | None) -> list[_Name]:
    return [name] if name is not None else []


def _clause_part(token: Any, top: Any) -> bool:
    """Whether ``token`` sits in a clause hanging inside ``top``'s phrase."""
    while token.i != top.i and token.head.i != token.i:
        if token.dep_ in ("relcl", "acl", "advcl", "ccomp"):
            return True
        token = token.head
    return False


def _sentence(text: str) -> str:
    text = _words(text).strip(" ,;")
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."
