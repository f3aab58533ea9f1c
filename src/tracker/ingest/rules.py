"""The extraction rules, read from ``extraction.toml`` and validated once.

Lists of words live in config, not code: which verbs report speech, which words
name a side, which cues mark a future or a condition, and for each question what a
statement or an event must hold to answer it. The config version (a hash of the
rules and the actors) is recorded on every extracted event.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tracker.config import read_toml, shipped_config_dir, story_files
from tracker.errors import ConfigError

EXTRACTION_FILE = "extraction.toml"
ACTORS_FILE = "actors.toml"
MODALITIES = (
    "actual",
    "future",
    "modal",
    "possible",
    "planned",
    "conditional",
    "question",
    "nominal",
)
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
    true_when: frozenset[str]
    false_when: frozenset[str]


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
    unofficial: frozenset[str]
    place_labels: frozenset[str]
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
    not_done_verbs: frozenset[str]
    conditional_marks: frozenset[str]
    temporal_marks: frozenset[str]
    temporal_nouns: frozenset[str]
    inverting_aux: frozenset[str]
    implicative: frozenset[str]
    possible_aux: frozenset[str]
    factive_marks: frozenset[str]
    deny_verbs: frozenset[str]
    dismiss_verbs: frozenset[str]
    report_nouns: frozenset[str]
    habitual: frozenset[str]
    negators: frozenset[str]
    rules: tuple[QuestionRule, ...]
    holidays: dict[str, str]
    version: str
    facts: FactWords = FactWords()


class _Reader:
    """Typed access to one TOML table, every failure one line naming file and key."""

    def __init__(self, path: Path, table: Mapping[str, Any], where: str) -> None:
        self.path, self.table, self.where = path, table, where

    def _fail(self, key: str, expected: str) -> ConfigError:
        return ConfigError(f"{self.path}: {self.where}{key}: expected {expected}")

    def strings(self, key: str, *, required: bool = False) -> tuple[str, ...]:
        if key not in self.table:
            if required:
                raise ConfigError(f"{self.path}: {self.where}{key}: missing")
            return ()
        value = self.table[key]
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise self._fail(key, "a list of non-empty strings")
        return tuple(value)

    def lemmas(self, key: str) -> frozenset[str]:
        return frozenset(v.lower() for v in self.strings(key))

    def text(self, key: str, default: str | None = None) -> str | None:
        value = self.table.get(key, default)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise self._fail(key, "a non-empty string")
        return value

    def integer(self, key: str, default: int, low: int, high: int) -> int:
        value = self.table.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise self._fail(key, f"an integer from {low} to {high}")
        return value

    def strings_of(self, key: str, value: Any) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise self._fail(key, "a list of non-empty strings")
        return tuple(value)

    def share(self, key: str) -> float:
        value = self.table.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
            raise self._fail(key, "a number from 0 to 1")
        return float(value)

    def table_of(self, key: str) -> Mapping[str, Any]:
        value = self.table.get(key, {})
        if not isinstance(value, dict):
            raise self._fail(key, "a table")
        return value

    def words_for(self, key: str) -> dict[str, str]:
        """A table of words to words, both folded to lower case."""
        table = self.table_of(key)
        if not all(isinstance(v, str) and v.strip() for v in table.values()):
            raise self._fail(key, "a table of non-empty strings")
        return {k.lower(): v.lower() for k, v in table.items()}

    def groups(self, key: str) -> tuple[Terms, ...]:
        value = self.table.get(key, [])
        if not isinstance(value, list) or not all(
            isinstance(g, list) and g and all(isinstance(v, str) and v for v in g) for g in value
        ):
            raise self._fail(key, "a list of lists of strings")
        return tuple(Terms.of(tuple(g)) for g in value)

    def modalities(self, key: str, default: tuple[str, ...]) -> frozenset[str]:
        chosen = self.strings(key) or default
        unknown = sorted(set(chosen) - set(MODALITIES))
        if unknown:
            raise self._fail(key, f"modalities among {', '.join(MODALITIES)}; got {unknown}")
        return frozenset(chosen)


def _rule(path: Path, index: int, raw: Any, questions: frozenset[str] | None) -> QuestionRule:
    where = f"rules[{index}]."
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: rules[{index}]: expected a table")
    r = _Reader(path, raw, where)
    rule_id = r.text("id")
    question = r.text("question")
    kind = r.text("kind", "statement")
    if rule_id is None or question is None:
        raise ConfigError(f"{path}: {where}id and question are required")
    if kind not in KINDS:
        raise ConfigError(f"{path}: {where}kind: expected one of {', '.join(KINDS)}")
    if questions is not None and question not in questions:
        raise ConfigError(f"{path}: {where}question: no question {question!r} in any story")
    facts: list[FactTarget] = []
    single = r.text("fact")
    if single:
        facts.append(FactTarget(single, Terms.of(())))
    for j, target in enumerate(raw.get("facts", [])):
        t = _Reader(path, target if isinstance(target, dict) else {}, f"{where}facts[{j}].")
        key = t.text("key")
        if key is None:
            raise ConfigError(f"{path}: {where}facts[{j}].key: missing")
        facts.append(FactTarget(key, Terms.of(t.strings("requires"))))
    for target in facts:
        if len(target.key.split("/")) not in (2, 3) or not all(target.key.split("/")):
            raise ConfigError(
                f"{path}: {where}fact {target.key!r}: expected subject/predicate[/object]"
            )
    if not facts:
        raise ConfigError(f"{path}: {where}fact: a rule needs a fact key (fact or [[facts]])")
    ambiguous = {
        str(word).lower(): Terms.of(r.strings_of(f"ambiguous.{word}", near))
        for word, near in r.table_of("ambiguous").items()
    }
    rule = QuestionRule(
        id=rule_id,
        question=question,
        kind=kind,
        facts=tuple(facts),
        side=r.text("side"),
        topics=Terms.of(r.strings("topics")),
        ambiguous=ambiguous,
        actions=tuple(a.lower() for a in r.strings("actions")),
        negative_actions=tuple(a.lower() for a in r.strings("negative_actions")),
        presupposing=tuple(a.lower() for a in r.strings("presupposing")),
        nominals=r.lemmas("nominals"),
        event_nouns=r.lemmas("event_nouns"),
        negative_event_nouns=r.lemmas("negative_event_nouns"),
        objects=Terms.of(r.strings("objects")),
        agent_side=r.text("agent_side"),
        participants=r.groups("participants"),
        place=Terms.of(r.strings("place")),
        context=r.groups("context"),
        excludes=Terms.of(r.strings("excludes")),
        true_when=r.modalities("true_when", ("actual",)),
        false_when=r.modalities("false_when", ("actual",)),
    )
    if kind == "statement" and (rule.side is None or not rule.topics):
        raise ConfigError(f"{path}: {where}a statement rule needs side and topics")
    if kind == "event" and (not rule.actions or not rule.objects):
        raise ConfigError(f"{path}: {where}an event rule needs actions and objects")
    return rule


def config_file(config_dir: Path, name: str) -> Path:
    path = config_dir / name
    return path if path.is_file() else shipped_config_dir() / name


def load_extraction_config(
    config_dir: Path, questions: frozenset[str] | None = None
) -> ExtractionConfig:
    """Read and check extraction.toml; ``questions`` (when given) are the ids rules may name."""
    path = config_file(config_dir, EXTRACTION_FILE)
    actors = config_file(config_dir, ACTORS_FILE)
    data = read_toml(path)
    stories = story_files(config_dir)
    digest = hashlib.sha256(path.read_bytes() + actors.read_bytes())
    for story_path in stories:
        digest.update(story_path.read_bytes())
    version = digest.hexdigest()[:12]
    top = _Reader(path, data, "")
    model = _Reader(path, top.table_of("model"), "model.")
    limits = _Reader(path, top.table_of("limits"), "limits.")
    said = _Reader(path, top.table_of("statements"), "statements.")
    mood = _Reader(path, top.table_of("modality"), "modality.")
    sides_table = top.table_of("sides")
    sides = {
        str(side): Terms.of(_Reader(path, sides_table, "sides.").strings(side))
        for side in sides_table
    }
    # Rules live in each story's file; extraction.toml may hold some too (older layouts).
    # A story may name sides of its own ([sides] in its file), added to the shared ones.
    documents = [(path, data), *((p, read_toml(p)) for p in stories)]
    for source, document in documents[1:]:
        own = _Reader(source, document, "").table_of("sides")
        for name in own:
            names = _Reader(source, own, "sides.").strings(name)
            sides[str(name)] = Terms.of((*sides.get(str(name), Terms.of(())).words, *names))
    rules: list[QuestionRule] = []
    for source, document in documents:
        raw_rules = document.get("rules", [])
        if not isinstance(raw_rules, list):
            raise ConfigError(f"{source}: rules: expected an array of tables")
        found = [_rule(source, i, raw, questions) for i, raw in enumerate(raw_rules)]
        seen = {r.id for r in rules}
        for rule in found:
            if rule.id in seen:
                raise ConfigError(f"{source}: rule {rule.id!r}: rule ids must be unique")
            seen.add(rule.id)
        rules += found
    for rule in rules:
        for side in (rule.side, rule.agent_side):
            if side is not None and side not in sides:
                raise ConfigError(f"{path}: rule {rule.id}: unknown side {side!r} (see [sides])")
    holidays = _Reader(path, top.table_of("dates"), "dates.").table_of("holidays")
    words = _Reader(path, top.table_of("facts"), "facts.")
    facts = FactWords(
        light_verbs=words.lemmas("light_verbs"),
        gathering_verbs=tuple(v.lower() for v in words.strings("gathering_verbs")),
        attending_verbs=tuple(v.lower() for v in words.strings("attending_verbs")),
        attending_nouns=words.lemmas("attending_nouns"),
        people_nouns=words.lemmas("people_nouns"),
        member_passives=words.lemmas("member_passives"),
        giving_verbs=words.lemmas("giving_verbs"),
        container_nouns=words.lemmas("container_nouns"),
        attribute_nouns=words.lemmas("attribute_nouns"),
        effort_nouns=words.lemmas("effort_nouns"),
        purpose_verbs=words.lemmas("purpose_verbs"),
        national_forces=words.lemmas("national_forces"),
        vague_modifiers=words.lemmas("vague_modifiers"),
        hedges=words.lemmas("hedges"),
        condition_preps=words.lemmas("condition_preps"),
        event_nouns=words.lemmas("event_nouns"),
        linking_verbs=words.lemmas("linking_verbs") or frozenset({"be"}),
        state_verbs=words.lemmas("state_verbs"),
        naming_verbs=words.lemmas("naming_verbs"),
        promise_nouns=words.lemmas("promise_nouns"),
        summary_nouns=words.lemmas("summary_nouns"),
        precondition_words=words.lemmas("precondition_words"),
        precondition_marks=words.lemmas("precondition_marks"),
        possible_words=words.lemmas("possible_words"),
        same_nouns=words.words_for("same_nouns"),
        stance_verbs=words.words_for("stance_verbs"),
        max_facts=words.integer("max_facts", 400, 0, 100_000),
    )
    return ExtractionConfig(
        models=model.strings("names") or ("en_core_web_sm",),
        batch_size=model.integer("batch_size", 256, 1, 4096),
        function_words=model.lemmas("function_words"),
        min_function_share=(
            model.share("min_function_share") if "min_function_share" in model.table else 0.0
        ),
        max_chars=limits.integer("max_chars", 65_536, 1000, 1_000_000),
        piece_chars=limits.integer("piece_chars", 5_000, 500, 100_000),
        max_sentence_tokens=limits.integer("max_sentence_tokens", 150, 10, 2_000),
        max_statements=limits.integer("max_statements", 200, 0, 10_000),
        reporting_verbs=said.lemmas("reporting_verbs"),
        silence_verbs=said.lemmas("silence_verbs"),
        light_verbs=said.lemmas("light_verbs"),
        light_objects=said.lemmas("light_objects"),
        speech_verbs=said.lemmas("speech_verbs"),
        speech_objects=said.lemmas("speech_objects"),
        media_nouns=said.lemmas("media_nouns"),
        refusal_verbs=said.lemmas("refusal_verbs"),
        voices=said.lemmas("voices"),
        person_roles=said.lemmas("person_roles"),
        body_nouns=said.lemmas("body_nouns"),
        said_nouns=said.lemmas("said_nouns"),
        unofficial=said.lemmas("unofficial"),
        place_labels=said.lemmas("place_labels"),
        clause_verbs=said.lemmas("clause_verbs"),
        document_verbs=said.lemmas("document_verbs"),
        documents=said.lemmas("documents"),
        silence_phrases=Terms.of(said.strings("silence_phrases")),
        sides=sides,
        future_aux=mood.lemmas("future"),
        modal_aux=mood.lemmas("modal"),
        planning=mood.lemmas("planning"),
        not_done_verbs=mood.lemmas("not_done_verbs"),
        decision_nouns=mood.lemmas("decision_nouns"),
        credit_verbs=mood.lemmas("credit_verbs"),
        conditional_marks=mood.lemmas("conditional"),
        temporal_marks=mood.lemmas("temporal"),
        temporal_nouns=mood.lemmas("temporal_nouns"),
        inverting_aux=mood.lemmas("inverting_aux"),
        implicative=mood.lemmas("implicative"),
        possible_aux=mood.lemmas("possible"),
        factive_marks=mood.lemmas("factive"),
        deny_verbs=mood.lemmas("deny"),
        dismiss_verbs=mood.lemmas("dismiss"),
        report_nouns=mood.lemmas("report_nouns"),
        habitual=mood.lemmas("habitual"),
        negators=mood.lemmas("negators"),
        rules=tuple(rules),
        holidays={str(k).lower(): str(v) for k, v in holidays.items()},
        version=version,
        facts=facts,
    )
