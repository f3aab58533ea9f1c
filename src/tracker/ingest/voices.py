"""Who a phrase names: a configured actor by name or alias, else an unlisted speaker with
the side its words give it ("Russia's envoy", "a Kremlin spokesman", "Turkish officials").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tracker.domain.story import Actor
from tracker.ingest.rules import ExtractionConfig, Terms

NAMED = frozenset({"PERSON", "ORG", "GPE", "NORP", "FAC"})
_DEMONSTRATIVES = frozenset({"these", "those"})
PRONOUNS = frozenset({"he", "she", "they", "we", "i", "it"})
_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Speaker:
    name: str  # as the text names them
    actor: str | None  # the configured actor's id, when one matches
    side: str | None
    # speaks for the side, not only from it: "Russia's envoy", not "a Russian blogger"
    official: bool = True

    @property
    def id(self) -> str:
        return self.actor or slug(self.name)


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", _ARTICLE.sub("", name).casefold()).strip("-")[:80] or "x"


class Voices:
    """Resolves speakers: configured actors by alias, else sides by the words around them."""

    def __init__(self, actors: Sequence[Actor], config: ExtractionConfig) -> None:
        self.config = config
        self._by_alias: dict[str, Actor] = {}
        for actor in actors:
            for alias in (actor.name, *actor.aliases):
                self._by_alias.setdefault(_fold(alias), actor)
        self._aliases = Terms.of(tuple(self._by_alias))
        self._by_id = {actor.id: actor for actor in actors}

    def actor_by_id(self, ident: str) -> Actor | None:
        return self._by_id.get(ident)

    def actor_named(self, name: str) -> Actor | None:
        folded = _fold(name)
        if folded in self._by_alias:
            return self._by_alias[folded]
        # "President Vladimir Putin" names Putin; "Mr Lavrov" names Lavrov
        words = folded.split()
        for start in range(1, len(words)):
            actor = self._by_alias.get(" ".join(words[start:]))
            if actor is not None:
                return actor
        return None

    def actors_in(self, text: str) -> list[Actor]:
        return [self._by_alias[_fold(m)] for m in self._aliases.find(text)]

    def side_in(self, text: str) -> str | None:
        """The side the earliest side word in ``text`` belongs to."""
        best: tuple[int, str] | None = None
        for side, terms in self.config.sides.items():
            for pattern in (terms.pattern, terms.exact):
                if pattern is None:
                    continue
                match = pattern.search(text)
                if match and (best is None or match.start() < best[0]):
                    best = (match.start(), side)
        if best is None:
            for actor in self.actors_in(text):
                if actor.group:
                    return actor.group
        return best[1] if best else None

    def resolve(self, subject: Any, previous: Speaker | None) -> Speaker | None:
        """The speaker a subject phrase names, or None when it names no one."""
        if subject.pos_ == "PRON":
            return previous if subject.lower_ in PRONOUNS else None
        author = self._author(subject)
        if author is not None:
            found = self.resolve(author, previous)
            if found is not None:
                return found
        own = _own_phrase(subject)
        person = _person_in(subject, self.config.person_roles)
        if person is not None:
            actor = self.actor_named(person)
            side = (
                (actor.group if actor else None)
                or self.side_in(_without(own, person))
                or self.side_in(_adjectives(subject))  # "Russian MoD" read as a person's name
                or _foreign(subject, person)
            )
            return Speaker(
                person, actor.id if actor else None, side, actor is not None or self.official(own)
            )
        core = _core(subject)
        head = subject.lower_
        # "The Kremlin spokesman": "the Kremlin" would take the words "Kremlin spokesman" need
        named = [
            a
            for a in (*self.actors_in(_ARTICLE.sub("", core)), *self.actors_in(core))
            if head in _fold(a.name).split() or any(head in _fold(x).split() for x in a.aliases)
        ]
        if named:
            return Speaker(_ARTICLE.sub("", core), named[0].id, named[0].group)
        return self._unlisted(subject, core, own, previous)

    def _author(self, subject: Any) -> Any | None:
        """ "a survey by the European Council on Foreign Relations found": a document
        speaks for whoever made it, when the text names them by name."""
        if subject.lemma_.lower() not in self.config.documents:
            return None
        for child in subject.children:
            if child.dep_ == "prep" and child.lower_ in ("by", "from"):
                made_by = next((c for c in child.children if c.dep_ == "pobj"), None)
                if made_by is not None and made_by.pos_ == "PROPN":
                    return made_by
        return None

    def _unlisted(
        self, subject: Any, core: str, own: str, previous: Speaker | None
    ) -> Speaker | None:
        """A voice no actor's name matches: an actor's spokesman or office, the same voice
        again, or a named body or person the story does not follow."""
        head = subject.lower_
        lemma = subject.lemma_.lower()
        is_voice = lemma in self.config.voices or head in self.config.voices
        # a person by role speaks ("Kenyan opposition figure alleges ..."); a plural of one
        # ("dealers") is no one in particular
        is_voice = is_voice or (lemma in self.config.person_roles and subject.tag_ == "NN")
        if is_voice:
            # "a Kremlin spokesman", "Zelensky's office": the actor named before the head
            before = subject.doc[subject.left_edge.i : subject.i].text
            owners = self.actors_in(before)
            if owners:
                return Speaker(_ARTICLE.sub("", core), owners[-1].id, owners[-1].group)
        # "miners tell the BBC ...", "rights advocates said ...": people in the plural who
        # report a clause speak, whatever their trade
        # (not what things show or suggest: "these shots show he has reined that in")
        is_voice = is_voice or (
            subject.tag_ == "NNS"
            and subject.dep_ == "nsubj"
            and subject.head.lemma_.lower() not in self.config.clause_verbs
            and not any(c.lower_ in _DEMONSTRATIVES for c in subject.children)
            and any(c.dep_ == "ccomp" for c in subject.head.children)
        )
        if not (is_voice or subject.ent_type_ in NAMED or subject.pos_ == "PROPN"):
            return self._apposed(subject, own, previous)
        if subject.ent_type_ in ("DATE", "TIME", "MONEY", "PERCENT", "CARDINAL"):
            return None
        name = _ARTICLE.sub("", core)
        named = next(
            (
                c
                for c in subject.children
                if c.dep_ == "appos" and c.pos_ == "PROPN" and c.left_edge.i == subject.i + 1
            ),
            None,
        )
        if named is not None and subject.pos_ == "NOUN":
            # "the Russian airline Aeroflot", "the campaign group Energy Embargo for
            # Palestine": the name the description goes with
            name = str(subject.doc[named.left_edge.i : named.right_edge.i + 1].text)
        if not name or len(name) > 80:
            return None
        side = self.side_in(own) or self._seat(subject)
        # "the embassy" after "the Russian embassy in London": the same voice again
        if (
            side is None
            and previous is not None
            and core.lower().startswith("the ")
            and (name.lower() in previous.name.lower() or head in _fold(previous.name).split())
        ):
            return previous
        if side is None and previous is not None and _same_body(core, previous, self.config):
            side = previous.side  # "An embassy spokesman" after "the Russian embassy"
        if side is None and any(
            t.ent_type_ in ("NORP", "GPE") for t in subject.subtree if t.i <= subject.i
        ):
            side = "other"  # "Turkish officials": a side, not one the story follows
        return Speaker(name, None, side, self.official(own))

    def _apposed(self, subject: Any, own: str, previous: Speaker | None) -> Speaker | None:
        """ "Argentina's main labor umbrella, the General Confederation of Labor, confirmed
        ...": a description that speaks by the name set beside it."""
        name = next(
            (
                c
                for c in subject.children
                if c.dep_ == "appos" and c.i > subject.i and c.ent_type_ in ("ORG", "PERSON")
            ),
            None,
        )
        return None if name is None else self._unlisted(name, _core(name), own, previous)

    def _seat(self, subject: Any) -> str | None:
        """ "officials in Washington", "the foreign ministry in Kyiv": the side whose seat
        the voice is in. Not those posted abroad ("a Western diplomat in Moscow", "the
        embassy in London")."""
        if subject.lemma_.lower() in _POSTED_ABROAD:
            return None
        for prep in subject.children:
            if prep.dep_ == "prep" and prep.lower_ == "in":
                seat = next((c for c in prep.children if c.dep_ == "pobj"), None)
                if seat is not None and seat.pos_ == "PROPN":
                    return self.side_in(" ".join(t.text for t in seat.subtree))
        return None

    def official(self, phrase: str) -> bool:
        """Whether a speaker's phrase makes them speak for a side: not "a pro-war Russian
        blogger", "a Russian analyst"."""
        words = set(re.findall(r"[a-z]+", phrase.casefold()))
        return not words & self.config.unofficial


def _foreign(subject: Any, person: str) -> str | None:
    """ "Turkiye's President Recep Tayyip Erdogan", "Indonesian President Prabowo Subianto":
    a head of state or government, minister or envoy of a country the story does not
    follow has a side of its own. Not a governor, a mayor or a party's leader: a state, a
    city or a party is no country ("California's governor", "Lviv's mayor")."""
    words = {t.lower_ for t in subject.subtree}
    if not words & _NATIONAL_OFFICES:
        return None
    for token in subject.subtree:
        if (
            token.ent_type_ not in ("NORP", "GPE")
            or token.dep_ not in ("poss", "amod", "compound")
            or token.text in person
        ):
            continue
        span = next((e for e in subject.doc.ents if e.start <= token.i < e.end), None)
        names = {t.lower_ for t in span} if span is not None else {token.lower_}
        if not names & _NO_COUNTRY:
            return "other"
    return None


# The offices a country, not a region or a party, holds.
_NATIONAL_OFFICES = frozenset(
    {
        "president",
        "ministry",
        "leader",
        "secretary",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "government",
        "prime",
        "premier",
        "minister",
        "chancellor",
        "king",
        "queen",
        "monarch",
        "emir",
        "sultan",
        "ambassador",
        "envoy",
    }
)
# What the recogniser takes for a nationality and is a party, a faith or a nation within
# a state.
_NO_COUNTRY = frozenset(
    {
        "democratic",
        "democrat",
        "republican",
        "labour",
        "conservative",
        "tory",
        "liberal",
        "socialist",
        "green",
        "scottish",
        "welsh",
        "english",
        "northern",
        "corsican",
        "catalan",
        "basque",
        "jewish",
        "muslim",
        "christian",
        "catholic",
    }
)


def _adjectives(subject: Any) -> str:
    """The adjectives before a subject's head: "Russian" of "Russian MoD"."""
    return " ".join(t.text for t in subject.lefts if t.pos_ == "ADJ" and t.dep_ == "amod")


def _same_body(core: str, previous: Speaker, config: ExtractionConfig) -> bool:
    """Whether a phrase names a body the previous speaker's name also names ("embassy")."""
    words = set(_fold(core).split()) & config.voices
    return bool(words & set(_fold(previous.name).split()))


def _fold(text: str) -> str:
    return " ".join(text.casefold().replace("\u2019", "'").split())


def _without(text: str, name: str) -> str:
    return text.replace(name, " ")


# Nouns that say how one stands to another: "an ally of Putin", "a critic of the Kremlin".
_RELATIONS = frozenset(
    {"ally", "friend", "critic", "opponent", "rival", "foe", "adversary", "neighbour",
     "neighbor", "partner", "admirer", "enemy"}
)  # fmt: skip


def _own_phrase(subject: Any) -> str:
    """The subject with its appositives but without relative clauses or addressees."""
    skip: set[int] = set()
    for token in subject.subtree:
        if (
            token.dep_ in ("relcl", "acl")
            or (token.dep_ == "prep" and token.lower_ in ("to", "in", "at", "on", "with", "about"))
            # "a close ally of Vladimir Putin" is no one of Putin's side
            or (token.dep_ == "prep" and token.lower_ == "of" and token.head.lemma_ in _RELATIONS)
        ):
            skip.update(t.i for t in token.subtree)
    return " ".join(t.text for t in subject.subtree if t.i not in skip)


def _core(subject: Any) -> str:
    """The subject's name: its head and what comes before it, without appositives."""
    tokens = [
        t
        for t in subject.subtree
        if t.i <= subject.i and t.dep_ not in ("punct",) and not _inside_appos(t, subject)
    ]
    if not tokens:
        return str(subject.text)
    name = str(subject.doc[tokens[0].i : _name_end(subject) + 1].text)
    # "Council on American-Islamic Relations (CAIR": not the letters it goes by
    return re.sub(r"\s*\([^)]*$", "", name)


def _name_end(subject: Any) -> int:
    """Where a subject's name ends: its head, or the end of the name it begins ("the US
    Department of Defense", "the Senate Committee on Capital Market"), or of the body it
    is part of ("Members of the Senate Committee")."""
    doc = subject.doc
    ent = next((e for e in doc.ents if e.start <= subject.i < e.end), None)
    if ent is not None and ent.label_ in _BODIES and _within(subject, ent.end):
        return int(ent.end) - 1
    of = next((c for c in subject.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    body = next((c for c in of.children if c.dep_ == "pobj"), None) if of else None
    if body is not None and body.ent_type_ in _BODIES and subject.pos_ != "PROPN":
        inner = next((e for e in doc.ents if e.start <= body.i < e.end), None)
        if inner is not None and inner.start <= body.left_edge.i + 1 and _within(body, inner.end):
            return int(inner.end) - 1
    return int(subject.i)


def _within(head: Any, end: int) -> bool:
    """Whether the words from ``head`` up to ``end`` are all its own and end on a noun:
    not "Mineworkers Union Calls for", an entity read across the verb."""
    words = head.doc[head.i + 1 : end]
    inside = {t.i for t in head.subtree}
    return bool(words) and all(t.i in inside for t in words) and words[-1].pos_ in _NOUNS


_BODIES = frozenset({"ORG", "NORP", "FAC"})
_NOUNS = frozenset({"PROPN", "NOUN"})


def _inside_appos(token: Any, subject: Any) -> bool:
    while token.i != subject.i and token.head.i != token.i:
        if token.dep_ in ("appos", "relcl", "acl"):
            return True
        token = token.head
    return False


def _person_in(subject: Any, roles: frozenset[str] = frozenset()) -> str | None:
    """The person a subject phrase names: its head, an appositive, or a compound before it."""
    doc = subject.doc
    candidates = [subject, *(c for c in subject.children if c.dep_ in ("appos", "compound"))]
    for token in candidates:
        if token.ent_type_ == "PERSON":
            for ent in doc.ents:
                if ent.start <= token.i < ent.end and ent.label_ == "PERSON":
                    return str(ent.text).removesuffix("'s").strip()
    for token in candidates:
        if token.dep_ == "appos":
            # "Russia's ambassador to the UN, Vassily Nebenzia": a role's apposed name is a
            # person's, whatever kind of name the recogniser took it for
            name = _unrecognised_name(token, lenient=subject.lemma_.lower() in roles)
            if name is not None:
                return name
    if subject.lemma_.lower() in roles:
        for prep in subject.children:
            if prep.dep_ == "prep" and prep.lower_ in _POSTED:
                name = _name_after_post(prep)
                if name is not None:
                    return name
    return None


# Voices whose place of work is another side's capital.
_POSTED_ABROAD = frozenset(
    {
        "embassy", "consulate", "ambassador", "envoy", "diplomat", "correspondent",
        "reporter", "journalist", "mission", "attache", "delegation", "visitor", "tourist",
    }
)  # fmt: skip
# "Ambassador to France Alexei Meshkov", "envoy for Afghanistan Zamir Kabulov".
_POSTED = frozenset({"to", "for", "at", "in"})
# Words that end the name of a body or a place, not of a person.
_INSTITUTION_WORDS = frozenset(
    {
        "council", "nations", "union", "committee", "court", "assembly", "parliament",
        "agency", "states", "kingdom", "republic", "emirates", "office", "ministry",
        "department", "fund", "bank", "organisation", "organization", "alliance",
        "commission", "region", "islands",
    }
)  # fmt: skip


def _name_after_post(prep: Any) -> str | None:
    """The person's name that ends a role's post written without commas: "Russian
    Ambassador to France Alexei Meshkov" (the parser reads "France Alexei Meshkov" as one
    name): the last two capitalised words, when a place's words come before them."""
    where = next((c for c in prep.children if c.dep_ == "pobj"), None)
    if where is None or where.pos_ != "PROPN":
        return None
    words = [t for t in where.subtree if t.i <= where.i]
    if words[-1].i - words[0].i != len(words) - 1:
        return None
    proper = [t for t in words if t.pos_ == "PROPN"]
    if len(proper) < 3 or proper[-1].i != where.i:
        return None
    name = proper[-2:]
    if name[0].i != name[1].i - 1 or any(
        not t.text.istitle() or not t.is_alpha or t.lower_ in _INSTITUTION_WORDS for t in name
    ):
        return None
    return f"{name[0].text} {name[1].text}"


# Entity kinds the small model gives foreign personal names: "Vassily Nebenzia" as a place.
_MISREAD = frozenset({"GPE", "NORP", "LOC", "ORG"})
# Entity kinds that are no person, even written as a name.
_NOT_PEOPLE = frozenset(
    {"GPE", "ORG", "NORP", "LOC", "FAC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE"}
)


def _unrecognised_name(token: Any, lenient: bool = False) -> str | None:
    """ "Russia's ambassador, Alexei Meshkov, said": an appositive written as a person's
    full name (two or three capitalised words) that the recogniser did not tag."""
    words = [t for t in token.subtree if t.i <= token.i]
    if not 2 <= len(words) <= 3 or words[-1].i - words[0].i != len(words) - 1:
        return None
    if any(
        t.pos_ != "PROPN"
        or (t.ent_type_ in _NOT_PEOPLE and not (lenient and t.ent_type_ in _MISREAD))
        or not t.text.istitle()
        or not t.is_alpha
        for t in words
    ):
        return None
    return " ".join(t.text for t in words)
