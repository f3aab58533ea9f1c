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

Here each clause is handed to the shape it has; the shapes read it in their own files:
names in ``participants`` (and who does what in ``doers``), mood in ``fact_mood``, and
``actives``, ``passives``, ``copulas``, ``gatherings``, ``light_verbs``,
``preconditions``, ``noun_phrases`` and ``plans``, each building ``open_fact`` values.
"""

from __future__ import annotations

from typing import Any

from tracker.ingest import clauses, moods
from tracker.ingest.actives import active
from tracker.ingest.cast import Cast
from tracker.ingest.copulas import copula, participle
from tracker.ingest.doers import subjects
from tracker.ingest.fact_mood import fact_mood
from tracker.ingest.noun_phrases import noun_facts, promise
from tracker.ingest.open_fact import OpenFact, flat
from tracker.ingest.participants import Context, Name, Participants
from tracker.ingest.passives import passive
from tracker.ingest.plans import implied
from tracker.ingest.preconditions import preconditions
from tracker.ingest.rules import ExtractionConfig
from tracker.ingest.voices import Speaker, Voices

__all__ = ["FactReader", "OpenFact"]


class FactReader:
    """Reads the facts of parsed sentences; one per document (it carries pronouns on)."""

    def __init__(self, voices: Voices, config: ExtractionConfig) -> None:
        self.config = config
        self.words = config.facts
        self.names = Participants(voices, config)
        self._gathering: Name | None = None  # the last gathering said to be attended

    def read(
        self,
        sent: Any,
        *,
        cast: Cast,
        index: int,
        previous: Speaker | None,
    ) -> list[OpenFact]:
        """The facts of one sentence, in order."""
        ctx = Context(cast, index, previous)
        found: list[OpenFact] = []
        for token in sent:
            if token.pos_ in ("VERB", "AUX") and token.dep_ not in ("aux", "auxpass"):
                found += self._clause(token, sent, ctx)
            elif token.pos_ in ("NOUN", "PROPN"):
                found += noun_facts(self.names, token, ctx)
        found += implied(found, self.words)
        self.names.remember(sent, ctx)
        for fact in found:
            if fact.predicate == "attended-by" and fact.value is True:
                self._gathering = Name(fact.subject, fact.subject.replace("-", " "))
        return found

    def heading(self, sent: Any, *, cast: Cast, index: int) -> None:
        """A section's heading names what the section is about: "Nature of the Security
        Guarantees" makes "this strategy" below it the security guarantees."""
        self.names.heading(sent, Context(cast, index, None))

    def _clause(self, verb: Any, sent: Any, ctx: Context) -> list[OpenFact]:
        if verb.dep_ in ("amod", "compound") or (
            verb.tag_ == "VBG" and verb.dep_ in ("pcomp", "pobj", "nsubj", "acl", "amod")
        ):
            return []  # "a signed deal", "the importance of ratifying": no clause of its own
        if verb.dep_ == "xcomp" and verb.head.pos_ == "VERB":
            return []  # "agreed to provide X": read through the verb it completes
        mood = fact_mood(verb, sent, self.config)
        if mood is None:
            return []
        negated, modality, condition = mood
        quote = flat(clauses.clause_text(verb))
        base = {
            "modality": modality,
            "quote": quote,
            "tense": moods.tense(verb, self.config),
            "when_text": quote,
            "condition": condition,
            "lemma": verb.lemma_.lower(),
        }
        return self._shape(verb, negated, base, ctx)

    def _shape(
        self, verb: Any, negated: bool, base: dict[str, Any], ctx: Context
    ) -> list[OpenFact]:
        """The facts of the clause, read by the shape of its sentence."""
        names, words, lemma = self.names, self.words, base["lemma"]
        if verb.dep_ == "acl" and verb.tag_ == "VBN" and verb.head.pos_ in ("NOUN", "PROPN"):
            return participle(names, verb, negated, base, ctx)
        needed = preconditions(names, verb, negated, base, ctx)
        if needed and (lemma in words.linking_verbs or lemma in words.precondition_words):
            return needed  # "X is contingent on Y" says no more than that X requires Y
        if any(c.dep_ == "auxpass" for c in verb.children) or any(
            c.dep_ == "nsubjpass" for c in verb.children
        ):
            return needed + passive(names, verb, negated, base, ctx, self._gathering)
        if lemma in words.linking_verbs:
            return needed + copula(names, verb, negated, base, ctx)
        pledged = promise(names, verb, negated, base, ctx)
        if pledged:
            return pledged
        doers = subjects(names, verb, ctx)
        if not doers:
            return needed
        found: list[OpenFact] = needed
        for subject in doers:
            found += active(names, verb, subject, negated, base, ctx)
        return found
