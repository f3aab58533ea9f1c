"""The people a document names, so that a speaker given by role or surname is the person.

News names a speaker once in full and then by role or surname: "Sergei Lavrov on Monday
dismissed ... the Russian foreign minister added", "US no longer backs guarantees, envoy
says" above "The envoy, Steve Witkoff, spoke ...", "Volodin warns" beside "Vyacheslav
Volodin made the remark". ``Cast`` collects the document's named persons with the role
words around them and turns such a speaker into the person:

- a surname (or "Mr Lavrov") becomes the fuller name the document gives it;
- a singular, definite role ("the Russian foreign minister", a headline's bare "envoy", "the
  Austrian") becomes the person the document gives that role, else the person named just
  before it, else the one named just after; never a person of another side, never for "a
  spokesman" or "officials", who are someone else;
- a lead's indefinite description ("A senior opposition leader in Kenya has said ...",
  "An Arizona man named in court documents said ...") becomes the one person the headline
  and standfirst make their subject: news introduces its subject so;
- "he" or "she" after a speaker that is no person (a team, a ministry) is the person last
  named as a subject, not that speaker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from tracker.ingest import clauses
from tracker.ingest.voices import Speaker, Voices

_INDEFINITE = frozenset({"a", "an", "one", "another", "some", "any", "several"})
_TITLES = frozenset({"mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "sir", "dame"})
_REACH = 2  # sentences before or after a role's mention where its person may be named
_LEAD = 3  # a description in the first sentences may introduce the headline's person
# Roles that stand for someone other than the person a story is about: "a spokesman said".
_ANONYMOUS = frozenset(
    {"spokesman", "spokeswoman", "spokesperson", "official", "aide", "source", "diplomat"}
)
_SUBJECTS = frozenset({"nsubj", "nsubjpass", "ROOT"})
_ARTICLE = re.compile(r"^(the|a|an)\s+", re.IGNORECASE)
# A name and the letters it goes by: "the Council on American-Islamic Relations (CAIR)".
_DEFINED = re.compile(
    r"((?:[A-Z][\w'-]*)(?:\s+(?:[A-Z][\w'-]*|of|on|for|and|the|in|de|du)){1,8})"
    r"\s+\(([A-Z][A-Z&-]{1,9})\)"
)


def _named_by(phrase: str, short: str) -> str | None:
    """The name in ``phrase`` whose initials are ``short``: "the Institute for the Study of
    War" in "Meanwhile the Institute for the Study of War" (ISW); None if none is."""
    words = phrase.split()
    letters = short.replace("-", "").replace("&", "")
    for start, first in enumerate(words):
        if not first[:1].isupper():
            continue
        rest = words[start:]
        initials = "".join(
            part[0] for word in rest for part in word.split("-") if part[:1].isupper()
        )
        if initials == letters:
            return " ".join(rest)
    return None


def _after_place(name: str, voices: Voices) -> str:
    """A name without the place it is given as belonging to: "Erdogan" of a headline's
    "Turkey's Erdogan", the surname the body gives in full ("Tayyip Erdogan")."""
    owner, mark, rest = name.replace("\u2019", "'").partition("'s ")
    place = voices.side_in(owner) is not None or owner.casefold() in voices.config.place_labels
    return rest if mark and rest and place else name


def _in_main_clause(token: Any) -> bool:
    """Whether a noun is among the main verb's own words (its subject, objects and their
    phrases), with no clause between."""
    for _ in range(12):
        if token.head.i == token.i:
            return True
        if token.dep_ in _CLAUSES:
            return False
        token = token.head
    return False


_CLAUSES = frozenset({"ccomp", "advcl", "relcl", "acl", "xcomp", "pcomp", "csubj", "parataxis"})


def _acting(root: Any) -> bool:
    """Whether an organisation's name acts in its clause: the subject ("FBI has 'grave
    concerns'"), or the agent of a passive ("urged by the Tax Justice Network"); not the
    one acted on in a headline's bare passive ("UN urged to launch ...")."""
    if root.dep_ == "compound":
        root = root.head
    if root.dep_ == "pobj" and root.head.dep_ == "agent":
        return True
    verb = root.head
    bare_passive = verb.tag_ == "VBN" and not any(
        c.dep_ in ("aux", "auxpass") for c in verb.children
    )
    return root.dep_ == "nsubj" and not bare_passive and not clauses.urged(verb)


def _described(phrase: Any, head: Any) -> bool:
    """Whether a phrase names an organisation only by its kind: "the agency", "Campaign
    group"; not "a Russian group", "Amazon's company", "his union", "an aid group"."""
    return not any(
        t.pos_ in ("PROPN", "PRON", "NUM") or t.ent_type_ or t.lower_ in _INDEFINITE
        for t in phrase
        if t.i != head.i
    )


@dataclass(frozen=True, slots=True)
class _Person:
    name: str
    sentence: int
    at: int  # character offset in the document's text pieces, for order within a sentence
    roles: frozenset[str]
    side: str | None
    subject: bool  # the subject of its clause ("Douglas Haig named as ..."), not an object
    title: str = ""  # the words just before the name: "russia's sports minister"
    # in the main clause's own words, not a clause inside it: "Dmitry Medvedev's post
    # caused a stir", "Reporters interviewed Jeanne Shaheen"; not the "deported Kilmar
    # Abrego Garcia" of what a judge said
    main: bool = False


@dataclass(frozen=True, slots=True)
class _Body:
    name: str
    sentence: int
    at: int


class Cast:
    def __init__(
        self, voices: Voices, roles: frozenset[str], bodies: frozenset[str] = frozenset()
    ) -> None:
        self.voices = voices
        self.roles = roles
        self.body_nouns = bodies
        self.people: list[_Person] = []
        self.bodies: list[_Body] = []
        self.acronyms: dict[str, str] = {}

    def add(self, sent: Any, index: int) -> None:
        """Note the persons ``sent`` names, with the role words attached to each, and the
        organisations it names as the ones acting."""
        for match in _DEFINED.finditer(sent.text):
            # "the Council on American-Islamic Relations (CAIR)": CAIR is that council
            name = _named_by(match.group(1), match.group(2))
            if name is not None:
                self.acronyms.setdefault(match.group(2), name)
        for ent in getattr(sent, "ents", ()):
            if ent.label_ == "ORG" and _acting(ent.root):
                name = _ARTICLE.sub("", str(ent.text)).removesuffix("'s").removesuffix("\u2019s")
                if 1 < len(name) <= 80:
                    self.bodies.append(_Body(name, index, ent.start_char))
            if ent.label_ != "PERSON":
                continue
            name = str(ent.text).removesuffix("'s").removesuffix("\u2019s").strip()
            words = name.split()
            if not words or len(name) > 60 or words[0].casefold() in _TITLES:
                continue
            if self.voices.side_in(name) is not None and self.voices.actor_named(name) is None:
                continue  # "Kyiv" read as a person is still a place
            roles = self._roles_of(ent)
            actor = self.voices.actor_named(name)
            side = (actor.group if actor else None) or self._side_near(ent)
            root = ent.root
            if root.dep_ == "appos":
                root = root.head  # "The envoy, Steve Witkoff, spoke": the envoy is the subject
            subject = root.dep_ in _SUBJECTS
            title = ent.doc[max(ent.sent.start, ent.start - 5) : ent.start].text.casefold()
            self.people.append(
                _Person(
                    name,
                    index,
                    ent.start_char,
                    roles,
                    side,
                    subject,
                    " ".join(title.split()),
                    _in_main_clause(ent.root),
                )
            )

    def learn(self, speaker: Speaker) -> None:
        """A side a person's statement gave them, for the times the text names them again
        without it: "Russia's deputy prime minister, Alexander Novak, said ...", then
        "Novak said"."""
        if speaker.side is None or speaker.actor is not None:
            return
        for n, person in enumerate(self.people):
            if person.side is None and person.name == speaker.name:
                self.people[n] = replace(person, side=speaker.side)

    def _roles_of(self, ent: Any) -> frozenset[str]:
        root = ent.root
        near: list[Any] = []
        if root.dep_ == "appos":
            near += [root.head, *root.head.children]  # "The envoy, Steve Witkoff"
        for child in root.children:
            if child.i < ent.start or child.dep_ == "appos":
                near += list(child.subtree)  # "special envoy Steve Witkoff", "X, the envoy"
        return frozenset(
            t.lemma_.lower()
            for t in near
            if t.lemma_.lower() in self.roles and not (ent.start <= t.i < ent.end)
        )

    def _side_near(self, ent: Any) -> str | None:
        doc = ent.doc
        before = doc[max(ent.sent.start, ent.start - 4) : ent.start].text
        return self.voices.side_in(before) if before else None

    def resolve(self, speaker: Speaker, phrase: Any, index: int) -> Speaker:
        """The person an unlisted speaker's phrase stands for, or the speaker unchanged."""
        if phrase is None or not len(phrase):
            return speaker
        if len(phrase) == 1 and phrase[0].lower_ in ("he", "she"):
            return self._pronoun(speaker, index, phrase.start_char)
        if speaker.actor is not None:
            return self._by_role_given(speaker, phrase, index)
        short = _after_place(speaker.name, self.voices)
        if short in self.acronyms:
            full = self.acronyms[short]
            actor = self.voices.actor_named(full)
            side = (actor.group if actor else None) or self.voices.side_in(full) or speaker.side
            return Speaker(full, actor.id if actor else None, side)
        fuller = self._fuller(short)
        if fuller is not None:
            return self._as(fuller, speaker.side)
        head = phrase.root
        # "The Austrian director, who won an Oscar for Amour": a name in a clause about the
        # role is not the speaker's own
        aside = {
            t.i
            for c in head.children
            if c.dep_ in ("relcl", "acl") and c.i > head.i
            for t in c.subtree
        }
        if any(t.ent_type_ == "PERSON" for t in phrase if t.i not in aside):
            return speaker
        role = head.lemma_.lower()
        # a capital only because it starts the line: a standfirst's "Watchdog says ..."
        kind = head.tag_ == "NN" or (head.tag_ == "NNP" and head.i == head.sent.start)
        if role in self.body_nouns and kind and not head.ent_type_ and _described(phrase, head):
            body = self._body(index, phrase.start_char)
            return self._as_body(body, speaker) if body else speaker
        if (
            (role not in self.roles and head.ent_type_ != "NORP")
            or head.tag_ in ("NNS", "NNPS")
            or any(t.pos_ == "PRON" for t in phrase if t.i not in aside)
        ):
            return speaker
        if any(t.lower_ in _INDEFINITE for t in phrase if t.i < head.i):
            person = self._introduced(role, speaker.side, index, len(phrase))
        else:
            person = self._for_role(role, speaker.side, index, phrase.start_char)
        return self._as(person, speaker.side) if person else speaker

    def _by_role_given(self, speaker: Speaker, phrase: Any, index: int) -> Speaker:
        """ "Russia's sports minister" above "Russia's sports minister Mikhail Degtyarev":
        a role read as its country's government is the person the document gives that
        role, when it gives one; else the government it was read as."""
        head = phrase.root
        role = head.lemma_.lower()
        actor = self.voices.actor_by_id(speaker.actor or "")
        if role not in self.roles or head.tag_ != "NN":
            return speaker
        if actor is not None and role in " ".join((actor.name, *actor.aliases)).casefold():
            return speaker  # "the Kremlin spokesman" is the actor of that name already
        if any(t.lower_ in _INDEFINITE or t.ent_type_ == "PERSON" for t in phrase):
            return speaker
        # the role in the words the document puts before the name ("sports minister"), not
        # only its head: "Russia's defence minister" is not Foreign Minister Sergei Lavrov
        words = " ".join(t.lower_ for t in phrase if t.i >= head.i - 2 and t.pos_ != "PART")
        role_words = " ".join(words.split()[-3:]).removeprefix("the ")
        fits = [
            p
            for p in self.people
            if role in p.roles
            and p.side == speaker.side
            and abs(p.sentence - index) <= _REACH + 1
            and p.title.endswith(role_words)
        ]
        if not fits:
            return speaker
        person = min(fits, key=lambda p: (abs(p.sentence - index), p.sentence > index))
        return self._as(person, speaker.side)

    def _introduced(self, role: str, side: str | None, index: int, words: int) -> _Person | None:
        """The headline's person a lead's "A senior opposition leader in Kenya" introduces:
        only a described one (not a bare "a man"), early, and only when one person alone is
        the subject of what came before."""
        if role in _ANONYMOUS or index > _LEAD or words < 3:
            return None
        names = {
            p.name: p
            for p in self.people
            if p.sentence < index and p.subject and (side is None or p.side in (None, side))
        }
        return next(iter(names.values())) if len(names) == 1 else None

    def _body(self, index: int, at: int) -> _Body | None:
        """The organisation "the agency" or a lead's "Campaign group" stands for: the one
        last named acting just before, else, in the lead, the first named acting after."""
        before = [
            b
            for b in self.bodies
            if index - _REACH <= b.sentence < index or (b.sentence == index and b.at < at)
        ]
        if before:
            return max(before, key=lambda b: (b.sentence, b.at))
        if index > _LEAD:
            return None
        after = [b for b in self.bodies if index < b.sentence <= index + _REACH]
        return min(after, key=lambda b: (b.sentence, b.at)) if after else None

    def _as_body(self, body: _Body, speaker: Speaker) -> Speaker:
        # "the Council on American-Islamic Relations (CAIR)", then "CAIR said ...", then
        # "The group warned ...": the council, by its name
        name = body.name.split(" (")[0].strip()
        name = self.acronyms.get(name, name)
        actor = self.voices.actor_named(name)
        side = (actor.group if actor else None) or self.voices.side_in(name) or speaker.side
        return Speaker(name, actor.id if actor else None, side)

    def _pronoun(self, speaker: Speaker, index: int, at: int) -> Speaker:
        """ "He" after a speaker that is a person is that person; after a team or a ministry,
        the person last named as a subject before it."""
        if speaker.actor is not None or any(
            p.name == speaker.name or p.name.endswith(f" {speaker.name}") for p in self.people
        ):
            return speaker
        before = [
            p
            for p in self.people
            if p.subject
            and (index - _REACH <= p.sentence < index or (p.sentence == index and p.at < at))
        ]
        if not before:
            return speaker
        return self._as(max(before, key=lambda p: (p.sentence, p.at)), None)

    def subject_before(self, index: int) -> Speaker | None:
        """The person last named as a subject in the sentences just before ``index``: whom
        a "he said" means when no one has spoken yet ("Zelenskiy pressed allies to ratify.
        'Words are not armour,' he said.")."""
        before = [p for p in self.people if p.subject and index - _REACH <= p.sentence < index]
        if not before:
            return None
        return self._as(max(before, key=lambda p: (p.sentence, p.at)), None)

    def _as(self, person: _Person, role_side: str | None) -> Speaker:
        person = self._fuller(person.name) or person
        actor = self.voices.actor_named(person.name)
        side = (actor.group if actor else None) or role_side or person.side
        return Speaker(person.name, actor.id if actor else None, side)

    def _fuller(self, name: str) -> _Person | None:
        words = [w for w in name.split() if w.casefold() not in _TITLES]
        if len(words) != 1:
            return None
        last = words[0].casefold()
        for person in self.people:
            parts = person.name.casefold().split()
            if len(parts) > 1 and parts[-1] == last:
                return person
        return None

    def _for_role(self, role: str, side: str | None, index: int, at: int) -> _Person | None:
        fits = [p for p in self.people if side is None or p.side in (None, side)]
        given = [p for p in fits if role in p.roles]
        if given:
            return min(given, key=lambda p: (abs(p.sentence - index), p.sentence > index))
        # no one given the role: the person acting just before (or, in a lead, just after);
        # not one the text only names ("US judge says deported Kilmar Abrego Garcia ...")
        fits = [p for p in fits if p.subject or p.main]
        before = [
            p
            for p in fits
            if index - _REACH <= p.sentence < index or (p.sentence == index and p.at < at)
        ]
        if before:
            return max(before, key=lambda p: (p.sentence, p.at))
        after = [p for p in fits if index < p.sentence <= index + _REACH]
        if after:
            return min(after, key=lambda p: (p.sentence, p.at))
        return None
