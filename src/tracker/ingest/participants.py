"""Who and what a clause is about: the key and words of each thing a noun phrase names.

Names resolve through ``voices`` and the document's ``cast`` (Starmer -> starmer, "the
UK" -> united-kingdom by the side words). A pronoun is the speaker before it, the noun a
relative clause qualifies, or the last subject of its number; "these hubs" the hubs
named before; "this strategy" what the section's heading names; "soldiers" and
"troops" are one key (``same_nouns``). A ``Participants`` lives for one document: it
carries what was named on from sentence to sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from tracker.ingest.cast import Cast
from tracker.ingest.open_fact import flat
from tracker.ingest.rules import ExtractionConfig
from tracker.ingest.voices import Speaker, Voices, slug

_NAMED = frozenset({"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC", "EVENT"})
_PERSONAL = frozenset({"he", "she", "him", "her"})
_POINTING = frozenset({"they", "these", "those", "it", "this", "them"})
_RELATIVE = frozenset({"which", "that", "who", "whom"})
_DEMONSTRATIVES = frozenset({"this", "these", "that", "those"})


@dataclass(frozen=True, slots=True)
class Name:
    """A thing a fact is about: its key and the words that named it."""

    slug: str
    text: str


@dataclass
class Context:
    """What one sentence's reading needs from the document around it."""

    cast: Cast
    index: int
    previous: Speaker | None


def some(name: Name | None) -> list[Name]:
    return [name] if name is not None else []


def prep_objects(token: Any, preps: tuple[str, ...]) -> list[Any]:
    """The objects of ``token``'s prepositions among ``preps``: "effort by A" -> [A]."""
    return [
        pobj
        for prep in token.children
        if prep.dep_ == "prep" and prep.lower_ in preps
        for pobj in prep.children
        if pobj.dep_ == "pobj"
    ]


def of_object(token: Any) -> Any | None:
    """The object of ``token``'s "of": "the size of the force" -> force."""
    return next(
        (
            pobj
            for prep in token.children
            if prep.dep_ == "prep" and prep.lower_ == "of"
            for pobj in prep.children
            if pobj.dep_ == "pobj"
        ),
        None,
    )


class Participants:
    """Names the things of one document's sentences, and remembers what was named."""

    def __init__(self, voices: Voices, config: ExtractionConfig) -> None:
        self.voices = voices
        self.config = config
        self.words = config.facts
        self._last: dict[str, Name] = {}  # "plural"/"singular" -> the last noun subject
        self._heads: dict[str, Name] = {}  # head lemma -> the last thing named by it
        self._topic: Name | None = None  # what the current section's heading names

    def side(self, text: str) -> str | None:
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

    def name(self, token: Any, ctx: Context) -> Name | None:
        """The slug and words of the thing ``token`` heads, or None when it names nothing."""
        if token.pos_ == "PRON" or token.lower_ in _RELATIVE:
            return self._pronoun(token, ctx)
        if token.pos_ not in ("NOUN", "PROPN", "NUM", "ADJ"):
            return None
        pointed = self._pointed(token)
        if pointed is not None:
            return pointed
        ent = _entity(token)
        if ent is not None and ent.root.i == token.i:
            return self._entity_name(token, ent, ctx)
        core = _core(token)
        actor = self.voices.actor_named(core) or self.voices.actor_named(
            re.sub(r"^(?:the|a|an)\s+", "", core, flags=re.IGNORECASE)
        )
        if actor is not None and token.pos_ in ("NOUN", "PROPN"):
            return Name(actor.id, core)
        side = self.side(core)
        if side is not None:
            return Name(side, core)
        return Name(self.slug(token, ctx), core)

    def _pronoun(self, token: Any, ctx: Context) -> Name | None:
        """ "he": the speaker before; "which": the noun its clause qualifies; "these": the
        last subject of that number."""
        lower = token.lower_
        if lower in _PERSONAL and ctx.previous is not None:
            return Name(ctx.previous.id, ctx.previous.name)
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

    def _entity_name(self, token: Any, ent: Any, ctx: Context) -> Name:
        """The name an entity ``token`` heads: a side, a person of the cast, an actor."""
        text = flat(ent.text).removesuffix(" 's").removesuffix("'s")
        side = self.side(text)
        if side is not None:
            return Name(side, text)
        if ent.label_ == "PERSON":
            span = token.doc[ent.start : ent.end]
            who = ctx.cast.resolve(Speaker(text, None, None), span, ctx.index)
            actor = self.voices.actor_named(who.name)
            return Name(actor.id if actor else slug(who.name), text)
        actor = self.voices.actor_named(text)
        return Name(actor.id if actor else slug(text), text)

    def _pointed(self, token: Any) -> Name | None:
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

    def slug(self, token: Any, ctx: Context) -> str:
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

    def _inside(self, token: Any, ctx: Context) -> Any:
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

    def things(self, token: Any, ctx: Context) -> list[Name]:
        """What a noun phrase names, one per conjunct, through containers and people."""
        names = []
        for each in conjuncts(token):
            if each.pos_ == "PRON":
                continue  # "linking it to ...": what an object pronoun stands for is a guess
            if each.ent_type_ in ("DATE", "TIME"):
                continue  # "on 10 February" is when, the fact's valid time, not a thing
            inner = self._inside(each, ctx)
            for one in conjuncts(inner) if inner.i != each.i else [each]:
                named = self.name(one, ctx)
                if named is not None and named.slug not in ("x", ""):
                    names.append(named)
        return list({n.slug: n for n in names}.values())

    def named_subjects(self, subject: Any, ctx: Context) -> list[Name]:
        """What a subject names: the thing a pronoun stands for, else each conjunct's."""
        if subject.pos_ == "PRON":
            return some(self.name(subject, ctx))
        return self.things(subject, ctx)

    def remember(self, sent: Any, ctx: Context) -> None:
        """Keep what ``sent`` named, for the pronouns and "these" of the sentences after."""
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

    def heading(self, sent: Any, ctx: Context) -> None:
        """A section's heading names what the section is about: "Nature of the Security
        Guarantees" makes "this strategy" below it the security guarantees."""
        root = next((t for t in sent if t.dep_ == "ROOT"), None)
        self._topic = None
        if root is None or root.pos_ not in ("NOUN", "PROPN"):
            return
        if root.lemma_.lower() in self.words.attribute_nouns:
            owner = of_object(root)
            root = owner if owner is not None else root
        things = self.things(root, ctx)
        self._topic = things[0] if len(things) == 1 else None


def conjuncts(token: Any) -> list[Any]:
    """The token and every noun coordinated with it: "A, B, and C"."""
    found = [token]
    for child in token.children:
        if child.dep_ == "conj" and child.pos_ in ("NOUN", "PROPN", "NUM"):
            found += conjuncts(child)
    return found


def _entity(token: Any) -> Any | None:
    for ent in token.doc.ents:
        if ent.start <= token.i < ent.end and ent.label_ in _NAMED:
            return ent
    return None


def _core(token: Any) -> str:
    """The noun with the words before it that belong to it (no clauses, no appositives)."""
    start = token.i
    for child in token.children:
        if child.i < token.i and child.dep_ not in ("punct", "cc", "preconj"):
            start = min(start, child.left_edge.i)
    return flat(token.doc[start : token.i + 1].text)
