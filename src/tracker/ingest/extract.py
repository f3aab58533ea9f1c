"""The extraction step: a document in, the statements and facts it supports out.

Whatever an extractor returns is appended in the same transaction as the
document, so a document is never stored without its extraction, or twice.

``RuleExtractor`` reads sentences with spaCy (sentences, dependency parse,
tags and lemmas) and applies rules kept in config: actor aliases (actors.toml),
reporting verbs, negation cues, question topics and a holiday table
(extraction.toml). Every event it makes records the rule, the config version,
the model and the sentence.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from tracker.config import Story, read_toml, shipped_config_dir
from tracker.domain.events import (
    DocumentIngested,
    Evidence,
    FactAsserted,
    Producer,
    StatementReported,
    new_event,
)
from tracker.domain.log import NewEvent
from tracker.domain.story import Actor
from tracker.errors import ConfigError
from tracker.ingest.dates import resolve_when

EXTRACTION_FILE = "extraction.toml"
QUOTES = re.compile(r"[\"“”«»]([^\"“”«»]{3,}?)[\"“”«»]")


class Extractor(Protocol):
    def extract(self, document: DocumentIngested) -> list[NewEvent]:
        """Events for a new or revised document; ids must derive from its identity and hash."""
        ...


class NoExtraction:
    """Stores documents only."""

    def extract(self, document: DocumentIngested) -> list[NewEvent]:
        return []


@dataclass(frozen=True)
class QuestionRule:
    id: str
    question: str
    fact: str
    speaker_group: str
    topics: tuple[str, ...]


@dataclass(frozen=True)
class ExtractionConfig:
    models: tuple[str, ...]
    reporting_verbs: frozenset[str]
    attributions: tuple[str, ...]
    voices: frozenset[str]
    negation_cues: tuple[str, ...]
    habitual_cues: tuple[str, ...]
    rules: tuple[QuestionRule, ...]
    holidays: dict[str, str]
    version: str


def load_extraction_config(config_dir: Path) -> ExtractionConfig:
    path = config_dir / EXTRACTION_FILE
    if not path.is_file():
        path = shipped_config_dir() / EXTRACTION_FILE
    data = read_toml(path)
    actors = config_dir / "actors.toml"
    if not actors.is_file():
        actors = shipped_config_dir() / "actors.toml"
    version = hashlib.sha256(path.read_bytes() + actors.read_bytes()).hexdigest()[:12]

    def strings(section: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
        value = section.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{path}: {where}: expected a list of strings")
        return tuple(value)

    rules = []
    for i, raw in enumerate(data.get("rules", [])):
        try:
            rules.append(
                QuestionRule(
                    id=str(raw["id"]),
                    question=str(raw["question"]),
                    fact=str(raw["fact"]),
                    speaker_group=str(raw["speaker_group"]),
                    topics=tuple(t.lower() for t in strings(raw, "topics", f"rules[{i}].topics")),
                )
            )
        except (KeyError, TypeError) as exc:
            raise ConfigError(f"{path}: rules[{i}]: missing or bad key {exc}") from None
    statements = data.get("statements", {})
    holidays = data.get("dates", {}).get("holidays", {})
    return ExtractionConfig(
        models=strings(data.get("model", {}), "names", "model.names") or ("en_core_web_sm",),
        reporting_verbs=frozenset(
            strings(statements, "reporting_verbs", "statements.reporting_verbs")
        ),
        attributions=strings(statements, "attributions", "statements.attributions"),
        voices=frozenset(v.lower() for v in strings(statements, "voices", "statements.voices")),
        negation_cues=tuple(
            c.lower() for c in strings(data.get("negation", {}), "cues", "negation.cues")
        ),
        habitual_cues=tuple(
            c.lower() for c in strings(data.get("habitual", {}), "cues", "habitual.cues")
        ),
        rules=tuple(rules),
        holidays={str(k).lower(): str(v) for k, v in holidays.items()},
        version=version,
    )


_MODELS: dict[str, Any] = {}
_MODEL_LOCK = threading.Lock()


def load_model(names: Sequence[str]) -> Any:
    """The first installed spaCy model of ``names``, loaded once per process."""
    with _MODEL_LOCK:
        for name in names:
            if name in _MODELS:
                return _MODELS[name]
            if importlib.util.find_spec(name) is None:
                continue
            module = importlib.import_module(name)
            # Only what extraction reads: sentences, parse, tags and lemmas; speakers come
            # from the configured aliases, so the entity recogniser would be dead weight.
            _MODELS[name] = module.load(exclude=["ner"])
            return _MODELS[name]
    raise ConfigError(f"no spaCy model installed; tried {', '.join(names)}")


@dataclass(frozen=True)
class _Found:
    actor: Actor
    name: str  # as the text names them


@dataclass(frozen=True)
class Said:
    speaker: _Found
    verb: str
    mode: str  # direct | reported
    content: str
    quote: str | None
    tense: str
    negated: bool


class RuleExtractor:
    """Attributed statements and question answers from a document's sentences."""

    def __init__(self, story: Story, config: ExtractionConfig) -> None:
        self.story = story
        self.config = config
        self._aliases = sorted(
            ((alias, actor) for actor in story.actors for alias in (actor.name, *actor.aliases)),
            key=lambda pair: len(pair[0]),
            reverse=True,
        )
        self._alias_pattern = (
            re.compile(
                r"\b(" + "|".join(re.escape(a) for a, _ in self._aliases) + r")\b", re.IGNORECASE
            )
            if self._aliases
            else None
        )
        self._by_alias = {alias.casefold(): actor for alias, actor in self._aliases}

    @property
    def nlp(self) -> Any:
        return load_model(self.config.models)

    def model_name(self) -> str:
        meta = self.nlp.meta
        return f"{meta.get('lang', 'xx')}_{meta.get('name', 'model')}-{meta.get('version', '?')}"

    # -- actors and topics --------------------------------------------------------------

    def actors_in(self, text: str) -> list[_Found]:
        if self._alias_pattern is None:
            return []
        return [
            _Found(self._by_alias[m.group(1).casefold()], m.group(1))
            for m in self._alias_pattern.finditer(text)
        ]

    def _speaker_in(self, subject: Any, span: str) -> list[_Found]:
        """The actor a subject phrase makes the speaker: the one its head word names, else,
        when the head is a voice ("a Kremlin spokesman"), one named before the head.

        "Foreign Ministry spokeswoman Maria Zakharova" is Zakharova speaking, not the
        ministry; in "Stephen Colbert, whose show followed Trump's speech, said" and
        "Trump's golfing partner says" Trump is not speaking.
        """
        head = subject.text.casefold()
        headed = [f for f in self.actors_in(span) if head in f.name.casefold().split()]
        if headed or subject.lemma_.lower() not in self.config.voices:
            return headed
        return list(reversed(self.actors_in(subject.doc[subject.left_edge.i : subject.i].text)))

    @staticmethod
    def topics_in(text: str, rule: QuestionRule) -> list[str]:
        lowered = text.lower()
        return [t for t in rule.topics if re.search(r"\b" + re.escape(t) + r"\b", lowered)]

    def habitual(self, text: str) -> bool:
        lowered = text.lower()
        return any(
            re.search(r"\b" + re.escape(c) + r"\b", lowered) for c in self.config.habitual_cues
        )

    def negated(self, text: str) -> str | None:
        lowered = " ".join(text.lower().replace("\u2019", "'").split())
        return next((cue for cue in self.config.negation_cues if cue in lowered), None)

    # -- the pipeline -------------------------------------------------------------------

    def extract(self, document: DocumentIngested) -> list[NewEvent]:
        text = _document_text(document)
        if not text.strip():
            return []
        doc = self.nlp(text)
        producer_base = {"config_version": self.config.version, "model": self.model_name()}
        events: list[NewEvent] = []
        answered: dict[tuple[str, bool], tuple[str, NewEvent]] = {}
        previous_speaker: _Found | None = None
        sentences = list(doc.sents)
        for index, sent in enumerate(sentences):
            sentence = sent.text.strip()
            context = sentences[index - 1].text if index else ""
            said = self._statement(sent, previous_speaker)
            negation = self.negated(sentence)
            if said is not None:
                previous_speaker = said.speaker
            tense = said.tense if said else _tense(sent.root)
            when = resolve_when(
                sentence,
                published=document.published_at,
                tense=tense,
                holidays=self.config.holidays,
            )
            if said is not None and not said.negated:
                found, verb, quote = said.speaker, said.verb, said.quote
                rule_id = (
                    "statement.according-to"
                    if verb in self.config.attributions
                    else "statement.reporting-verb"
                )
                about = [
                    r.question
                    for r in self.config.rules
                    if self.topics_in(f"{sentence} {context}", r)
                ]
                statement = StatementReported(
                    statement_key=f"s{index}:{found.actor.id}:{verb}",
                    speaker=found.actor.id,
                    speaker_name=found.name,
                    verb=verb,
                    mode=said.mode,
                    content=said.content,
                    quote=quote,
                    said_at=when.moment,
                    said_precision=when.precision,
                    evidence=Evidence(document=document.doc_id, quote=quote, sentence=sentence),
                    producer=Producer(kind="rule", rule=rule_id, **producer_base),
                    about=tuple(about),
                )
                events.append(
                    new_event(
                        statement,
                        document.identity,
                        document.content_hash,
                        statement.statement_key,
                        occurred_at=when.moment,
                    )
                )
            for rule in self.config.rules:
                verdict = self._verdict(rule, sent, sentence, context, said, negation, document)
                if verdict is None:
                    continue
                held = answered.get((rule.id, verdict))
                # One answer per rule and verdict a document: the sentence that dates it wins
                # over one that only has the publication time (a headline, say).
                if held is not None and not (held[0] != "day" and when.precision == "day"):
                    continue
                subject, predicate, *rest = rule.fact.split("/")
                fact = FactAsserted(
                    key=rule.fact,
                    subject=subject,
                    predicate=predicate,
                    object=rest[0] if rest else None,
                    value=verdict,
                    valid_from=when.moment,
                    valid_precision=when.precision if when.precision == "day" else "publication",
                    evidence=Evidence(
                        document=document.doc_id,
                        quote=said.quote if said else None,
                        sentence=sentence,
                    ),
                    producer=Producer(
                        kind="rule",
                        rule=f"{rule.id}.{'negated' if not verdict else 'said'}",
                        **producer_base,
                    ),
                    polarity="positive" if verdict else "negative",
                    modality="reported",
                    text=sentence,
                )
                answered[(rule.id, verdict)] = (
                    when.precision,
                    new_event(
                        fact,
                        document.identity,
                        document.content_hash,
                        rule.id,
                        str(verdict),
                        occurred_at=when.moment,
                    ),
                )
        return events + [event for _, event in answered.values()]

    def _verdict(
        self,
        rule: QuestionRule,
        sent: Any,
        sentence: str,
        context: str,
        said: Said | None,
        negation: str | None,
        document: DocumentIngested,
    ) -> bool | None:
        if said is not None:
            speaker = said.speaker
            if speaker.actor.group != rule.speaker_group:
                return None  # someone else's words, even about Moscow, answer nothing
            if said.negated or negation:
                topical = self.topics_in(sentence, rule) or self.topics_in(document.title, rule)
                return False if topical else None
            if self.habitual(sentence):
                return None
            return True if self.topics_in(f"{sentence} {context}", rule) else None
        if negation is None:
            return None
        # "There was no immediate comment from the Kremlin": the side named is the one silent.
        sides = {f.actor.group for f in self.actors_in(sentence)}
        if sides != {rule.speaker_group}:
            return None
        topical = self.topics_in(sentence, rule) or self.topics_in(document.title, rule)
        return False if topical else None

    def _statement(self, sent: Any, previous: _Found | None) -> Said | None:
        """The sentence's attributed statement: the first one not negated, else a negated one.

        A reporting verb inside a negation cue ("declined to comment", "has yet to
        respond") is a statement not made: it is returned with ``negated`` set.
        """
        text = sent.text.strip()
        quotes = [q.strip(" ,.") for q in QUOTES.findall(text)]
        quote = " ".join(quotes) if quotes else None
        cue_spans = self._cue_spans(text)
        start = sent.start_char + (len(sent.text) - len(sent.text.lstrip()))
        unsaid: Said | None = None
        for token in sent:
            if token.lemma_.lower() not in self.config.reporting_verbs or token.pos_ not in (
                "VERB",
                "AUX",
            ):
                continue
            found = self._subject_of(sent, token, quote, previous)
            if found is None:
                continue
            at = token.idx - start
            negated = any(c.dep_ == "neg" for c in token.children) or any(
                a <= at < b for a, b in cue_spans
            )
            if quote:
                mode, content = "direct", quote
            else:
                mode, content = "reported", _reported(sent, token) or text
            # A headline and its summary run into one sentence: one line, single spaces.
            content = " ".join(content.split())
            said = Said(found, token.lemma_.lower(), mode, content, quote, _tense(token), negated)
            if not negated:
                return said
            unsaid = unsaid or said
        lowered = text.lower()
        for phrase in self.config.attributions:
            at = lowered.find(phrase)
            if at < 0:
                continue
            named = self.actors_in(text[at + len(phrase) : at + len(phrase) + 80])
            if named:
                mode = "direct" if quote else "reported"
                return Said(named[0], phrase, mode, quote or text, quote, _tense(sent.root), False)
        return unsaid

    def _subject_of(
        self, sent: Any, verb: Any, quote: str | None, previous: _Found | None
    ) -> _Found | None:
        subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        if not subjects and verb.dep_ in ("conj", "advcl", "xcomp"):
            subjects = [c for c in verb.head.children if c.dep_ == "nsubj"]
        for subject in subjects:
            if any(c.dep_ == "conj" for c in subject.children):
                continue  # "Ukraine, Russia confirm ...": a joint subject is no one speaker
            span = sent.doc[subject.left_edge.i : subject.right_edge.i + 1].text
            if quote and span in quote:
                continue
            found = self._speaker_in(subject, span)
            if found:
                return found[0]
            if subject.pos_ == "PRON" and subject.lower_ in ("he", "she", "they") and previous:
                return previous
        return None

    def _cue_spans(self, text: str) -> list[tuple[int, int]]:
        lowered = text.lower().replace("\u2019", "'")
        spans = []
        for cue in self.config.negation_cues:
            for match in re.finditer(re.escape(cue), lowered):
                spans.append((match.start(), match.end()))
        return spans


def _reported(sent: Any, verb: Any) -> str:
    """What a reporting verb reports: its clause ("said that ..."), else what follows it.

    "told reporters that X" is X, not the reporters; "accused Washington of meddling"
    is all of what follows the verb.
    """
    for dep in ("ccomp", "xcomp"):
        clause = next((c for c in verb.children if c.dep_ == dep), None)
        if clause is not None:
            return str(sent.doc[clause.left_edge.i : clause.right_edge.i + 1].text)
    if verb.right_edge.i > verb.i:
        return str(sent.doc[verb.i + 1 : verb.right_edge.i + 1].text).strip(" ,.")
    return ""


def _tense(token: Any) -> str:
    if any(
        c.lower_ in ("will", "shall") or (c.tag_ == "MD" and c.lower_ in ("will", "'ll"))
        for c in token.children
    ):
        return "future"
    return "past" if token.tag_ in ("VBD", "VBN") else "present"


def _document_text(document: DocumentIngested) -> str:
    parts = [document.title.strip()]
    body = document.content or document.summary or ""
    if document.summary and document.summary not in body:
        parts.append(document.summary.strip())
    parts.append(body.strip())
    # A headline has no full stop; give it one so it is its own sentence.
    return "\n\n".join(p if p.endswith((".", "!", "?", '"', "”")) else f"{p}." for p in parts if p)
