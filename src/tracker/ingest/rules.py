"""The extraction rules as frozen values: the words, the question rules, the limits.

Lists of words live in config, not code: which verbs report speech, which words
name a side, which cues mark a future or a condition, and for each question what a
statement or an event must hold to answer it. ``extraction_config`` reads them from
``extraction.toml`` and the stories' files.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Literal, get_args

# How a clause holds what it says: done, to come, possible, wanted, on a condition, asked,
# or only named ("the signing of a ceasefire").
Modality = Literal[
    "actual",
    "future",
    "modal",
    "possible",
    "planned",
    "conditional",
    "question",
    "nominal",
    "fiction",
]
MODALITIES: tuple[Modality, ...] = get_args(Modality)
KINDS = ("statement", "event")


@dataclass(frozen=True)
class Terms:
    """Words or phrases matched whole-word in lower-cased text; all-capital ones (US, UK)
    only as written, so "us" the pronoun is not the United States."""

    words: tuple[str, ...]
    pattern: re.Pattern[str] | None
    exact: re.Pattern[str] | None

    @classmethod
    def of(cls, words: tuple[str, ...]) -> Terms:
        folded = tuple(w.lower() for w in words if not _acronym(w))
        exact = tuple(w for w in words if _acronym(w))
        return cls(words, _alternation(folded, re.IGNORECASE), _alternation(exact, 0))

    def find(self, text: str) -> list[str]:
        found = [m.group(0).lower() for m in self.pattern.finditer(text)] if self.pattern else []
        if self.exact:
            found += [m.group(0) for m in self.exact.finditer(text)]
        return found

    def __bool__(self) -> bool:
        return bool(self.words)


def _acronym(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters) and len(letters) <= 4


def _alternation(words: tuple[str, ...], flags: int) -> re.Pattern[str] | None:
    if not words:
        return None
    ordered = sorted(set(words), key=len, reverse=True)
    body = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)
    # "British-run", "Paris-based": a word before a hyphen is still the word
    return re.compile(r"(?<![\w-])(?:" + body + r")(?!\w)", flags)


@dataclass(frozen=True)
class FactTarget:
    """A fact key a rule asserts, when the clause names one of ``requires`` (or always)."""

    key: str
    requires: Terms


@dataclass(frozen=True)
class QuestionRule:
    id: str
    question: str
    kind: str  # statement | event
    facts: tuple[FactTarget, ...]
    # statement rules: who must speak, and what what they said must be about
    side: str | None
    topics: Terms
    ambiguous: Mapping[str, Terms]  # a topic that counts only with one of these near it
    # event rules: who did what to what, where
    actions: tuple[str, ...]
    negative_actions: tuple[str, ...]
    presupposing: tuple[str, ...]
    nominals: frozenset[str]
    event_nouns: frozenset[str]
    negative_event_nouns: frozenset[str]
    objects: Terms
    agent_side: str | None
    participants: tuple[Terms, ...]
    place: Terms
    context: tuple[Terms, ...]
    excludes: Terms
    true_when: frozenset[Modality]
    false_when: frozenset[Modality]
    # who takes only a step toward the act: "Italy's cabinet approved a bill ratifying ..."
    step_agents: Terms = field(default_factory=lambda: Terms.of(()))
    step_actions: tuple[str, ...] = ()
    # where a step sends the thing on: "passed the bill ..., sending it to the Senate"
    step_to: Terms = field(default_factory=lambda: Terms.of(()))
    # nouns whose thing, definite and in the rule's place, is there: "the French hub in
    # the Odesa region"
    located: frozenset[str] = frozenset()
    # sides whose acts never answer: "the Kremlin rejected the Paris declaration" is no
    # vote on ratifying it
    outside_sides: frozenset[str] = frozenset()
    # the day the rule's story began: an act dated before it is the story's past
    since: date | None = None


@dataclass(frozen=True)
class FactWords:
    """The vocabulary of open facts (``[facts]``): which shapes mean more than their verb."""

    light_verbs: frozenset[str] = frozenset()
    gathering_verbs: tuple[str, ...] = ()
    attending_verbs: tuple[str, ...] = ()
    attending_nouns: frozenset[str] = frozenset()
    people_nouns: frozenset[str] = frozenset()
    member_passives: frozenset[str] = frozenset()
    giving_verbs: frozenset[str] = frozenset()
    container_nouns: frozenset[str] = frozenset()
    attribute_nouns: frozenset[str] = frozenset()
    effort_nouns: frozenset[str] = frozenset()
    purpose_verbs: frozenset[str] = frozenset()
    national_forces: frozenset[str] = frozenset()
    vague_modifiers: frozenset[str] = frozenset()
    hedges: frozenset[str] = frozenset()
    condition_preps: frozenset[str] = frozenset()
    event_nouns: frozenset[str] = frozenset()
    linking_verbs: frozenset[str] = frozenset({"be"})
    state_verbs: frozenset[str] = frozenset()
    naming_verbs: frozenset[str] = frozenset()
    promise_nouns: frozenset[str] = frozenset()
    summary_nouns: frozenset[str] = frozenset()
    precondition_words: frozenset[str] = frozenset()
    precondition_marks: frozenset[str] = frozenset()
    possible_words: frozenset[str] = frozenset()
    max_facts: int = 400
    same_nouns: Mapping[str, str] = field(default_factory=dict)
    stance_verbs: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ExtractionConfig:
    models: tuple[str, ...]
    batch_size: int
    function_words: frozenset[str]
    min_function_share: float
    max_chars: int
    piece_chars: int
    max_sentence_tokens: int
    max_statements: int
    reporting_verbs: frozenset[str]
    silence_verbs: frozenset[str]
    light_verbs: frozenset[str]
    light_objects: frozenset[str]
    speech_verbs: frozenset[str]
    speech_objects: frozenset[str]
    media_nouns: frozenset[str]
    refusal_verbs: frozenset[str]
    voices: frozenset[str]
    person_roles: frozenset[str]
    body_nouns: frozenset[str]
    said_nouns: frozenset[str]
    reaction_nouns: frozenset[str]
    unofficial: frozenset[str]
    place_labels: frozenset[str]
    title_case_words: frozenset[str]
    title_case_unsure: frozenset[str]
    verdict_verbs: frozenset[str]
    decision_nouns: frozenset[str]
    credit_verbs: frozenset[str]
    clause_verbs: frozenset[str]
    document_verbs: frozenset[str]
    documents: frozenset[str]
    silence_phrases: Terms
    sides: Mapping[str, Terms]
    future_aux: frozenset[str]
    modal_aux: frozenset[str]
    planning: frozenset[str]
    mandative: frozenset[str]
    not_done_verbs: frozenset[str]
    stance_verbs: frozenset[str]
    conditional_marks: frozenset[str]
    temporal_marks: frozenset[str]
    temporal_nouns: frozenset[str]
    inverting_aux: frozenset[str]
    implicative: frozenset[str]
    possible_aux: frozenset[str]
    factive_marks: frozenset[str]
    deny_verbs: frozenset[str]
    dismiss_verbs: frozenset[str]
    allege_verbs: frozenset[str]
    fiction_nouns: frozenset[str]
    report_nouns: frozenset[str]
    unsure_nouns: frozenset[str]
    confirm_verbs: frozenset[str]
    habitual: frozenset[str]
    negators: frozenset[str]
    under_way: frozenset[str]
    rules: tuple[QuestionRule, ...]
    holidays: dict[str, str]
    version: str
    facts: FactWords = FactWords()
