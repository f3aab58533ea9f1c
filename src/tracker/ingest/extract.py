"""The extraction step: documents in, the statements and facts they support out.

Whatever an extractor returns is appended in the same transaction as the
document, so a document is never stored without its extraction, or twice.

``RuleExtractor`` parses text with spaCy (sentences, dependency parse, entities,
lemmas), finds who said what (``speakers``) and who did what (``claims``), and
answers questions by the rules in ``extraction.toml`` (``rules``). A headline is
parsed as its own sentence, a body line repeating it is read once, and text is read
in bounded pieces. Each document gives at most one verdict per fact key: a sentence
that dates its event wins over one dated only by publication (a headline, say).
Every event records its rule, the config version, the model, the sentence and the
source (title, link, feed, publication time).
"""

from __future__ import annotations

import importlib
import importlib.util
import itertools
import re
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Protocol

from tracker.config import Story
from tracker.domain.events import (
    DocumentIngested,
    Evidence,
    FactAsserted,
    Producer,
    StatementReported,
    new_event,
)
from tracker.domain.log import NewEvent
from tracker.errors import ConfigError
from tracker.ingest.cast import Cast
from tracker.ingest.claim_finder import ClaimFinder
from tracker.ingest.dates import Resolved, resolve_when
from tracker.ingest.facts import FactReader
from tracker.ingest.open_fact import OpenFact
from tracker.ingest.reading import reading
from tracker.ingest.rules import (
    EXTRACTION_FILE,
    ExtractionConfig,
    QuestionRule,
    load_extraction_config,
)
from tracker.ingest.speakers import SILENCE_NOUNS, Said, StatementFinder
from tracker.ingest.voices import Speaker, Voices

__all__ = [
    "EXTRACTION_FILE",
    "Extractor",
    "NoExtraction",
    "RuleExtractor",
    "StoryReading",
    "load_extraction_config",
    "load_model",
]


class Extractor(Protocol):
    def extract(self, document: DocumentIngested) -> list[NewEvent]:
        """Events for a new or revised document; ids must derive from its identity and hash."""
        ...

    def extract_many(self, documents: Sequence[DocumentIngested]) -> list[list[NewEvent]]:
        """``extract`` for each document, in order; may batch the language model."""
        ...

    def every_fact(self, document: DocumentIngested) -> list[NewEvent]:
        """``extract``'s events and every other fact the text states (a story's article)."""
        ...


class NoExtraction:
    """Stores documents only."""

    def extract(self, document: DocumentIngested) -> list[NewEvent]:
        return []

    def extract_many(self, documents: Sequence[DocumentIngested]) -> list[list[NewEvent]]:
        return [[] for _ in documents]

    def every_fact(self, document: DocumentIngested) -> list[NewEvent]:
        return []


# A text this short with a colon (a headline, most often) gets its entities whatever its
# verbs: "Kenya: ..." is a place, "Petrov: ..." a person.
_SHORT = 40
_LEAD_PIECES = 3  # the headline and the standfirst lines under it


def _names_someone(doc: Any) -> bool:
    """Whether a parsed text has two proper nouns in a row, as a person's name does."""
    return any(a.pos_ == b.pos_ == "PROPN" for a, b in itertools.pairwise(doc))


_ENDS = (".", "!", "?", '"', "\u201d", "'", "\u2019", ")")
# Words that point back to what was just said: "called his remarks ...", "the site was ..."
_ANAPHOR = re.compile(
    r"\b(?:the|this|that|these|those|his|her|their|its) (?:move|decision|remarks?|comments?|"
    r"statement|plan|step|site|deal|announcement|proposal|idea|initiative|vote|base|facility|"
    r"deployment|document|agreement|pledge|offer|report|reports|claims?|words|hubs?|force|"
    r"troops|soldiers|contingent|guarantees|sites?)\b",
    re.IGNORECASE,
)
# "called them 'a recipe for escalation'": the words begin with what they point back to
_POINTS_BACK = re.compile(r"(?:them|it|this|these)\b", re.IGNORECASE)
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
            # Entities find speakers the actor list does not name.
            _MODELS[name] = module.load()
            return _MODELS[name]
    raise ConfigError(f"no spaCy model installed; tried {', '.join(names)}")


def _phrase(sent: Any, item: Said) -> Any:
    """The tokens of the speaker's phrase in ``sent``."""
    a, b = item.speaker_span
    return sent.doc.char_span(sent.start_char + a, sent.start_char + b, alignment_mode="expand")


@dataclass(frozen=True, slots=True)
class _Verdict:
    rule: QuestionRule
    key: str
    value: bool
    moment: datetime
    precision: str
    headline: bool
    index: int
    sentence: str
    quote: str | None
    how: str

    def beats(self, other: _Verdict) -> bool:
        """Whether this verdict, rather than ``other``, is the document's for their key.

        A day-dated sentence beats one dated by publication, and a body sentence the
        headline. Then, for the same value, the earliest day (it held from then); for
        opposite values, the latest (it is the news), and on the same day the later
        sentence ("The ministry later corrected the statement ...").
        """
        mine = (self.precision == "day", not self.headline)
        theirs = (other.precision == "day", not other.headline)
        if (
            self.rule.kind == "event"
            and self.value != other.value
            and not self.headline
            and not other.headline
        ):
            # two body sentences that disagree on an act: the later news, "later corrected";
            # a statement dated to its day still beats an undated "has not commented"; in
            # one sentence ("had been delayed, but on Thursday MPs approved"), the dated one
            if self.index == other.index and mine != theirs:
                return mine > theirs
            return (self.moment, self.index) > (other.moment, other.index)
        if mine != theirs:
            return mine > theirs
        if self.value == other.value:
            return self.moment < other.moment
        return (self.moment, self.index) > (other.moment, other.index)


@dataclass(frozen=True, slots=True)
class StoryReading:
    """One document read once: what ``extract`` gives, and every fact the text states."""

    events: list[NewEvent]  # statements and question answers, as ``extract`` returns them
    facts: list[FactAsserted]  # question answers first, then open facts; one per key


class RuleExtractor:
    """Attributed statements and question answers from documents' sentences."""

    def __init__(self, story: Story, config: ExtractionConfig) -> None:
        self.story = story
        self.config = config
        self.voices = Voices(story.actors, config)
        self.statements = StatementFinder(self.voices, config)
        self.claims = ClaimFinder(self.voices, config)
        self._model_name: str | None = None
        # lemmas that make a text worth its entities: someone speaking or keeping silent
        # (a claim's places and agents fall back to the words when no entity is found)
        self._cues = (
            config.reporting_verbs | config.silence_verbs | SILENCE_NOUNS | {"accord", "silent"}
        )

    @property
    def nlp(self) -> Any:
        return load_model(self.config.models)

    def model_name(self) -> str:
        if self._model_name is None:
            meta = self.nlp.meta
            self._model_name = (
                f"{meta.get('lang', 'xx')}_{meta.get('name', 'model')}-{meta.get('version', '?')}"
            )
        return self._model_name

    def extract(self, document: DocumentIngested) -> list[NewEvent]:
        return self.extract_many([document])[0]

    def readable(self, pieces: list[str]) -> bool:
        """Whether the text is in the model's language, by its share of common words."""
        words = re.findall(r"[^\W\d_]+", " ".join(pieces)[:5000].casefold())
        if len(words) < 15 or not self.config.function_words:
            return bool(words)  # a headline alone may have no function word at all
        common = sum(w in self.config.function_words for w in words)
        return common / len(words) >= self.config.min_function_share

    def extract_many(self, documents: Sequence[DocumentIngested]) -> list[list[NewEvent]]:
        plans = [reading(d, self.config.max_chars, self.config.piece_chars) for d in documents]
        plans = [pieces if self.readable(pieces) else [] for pieces in plans]
        texts = [piece for pieces in plans for piece in pieces]
        starts = list(itertools.accumulate((len(pieces) for pieces in plans), initial=0))
        parsed: Iterator[Any] = iter(self._parse(texts, documents=starts))
        results = []
        for document, pieces in zip(documents, plans, strict=True):
            docs = [next(parsed) for _ in pieces]
            has_title = bool(document.title.strip())
            results.append(self._events(document, docs, has_title=has_title) if docs else [])
        return results

    def read_story(self, document: DocumentIngested) -> StoryReading:
        """Statements, question answers and every open fact of ``document``, from one parse.

        Open facts need every name, so the entity recogniser reads every piece here.
        """
        pieces = reading(document, self.config.max_chars, self.config.piece_chars)
        if not pieces or not self.readable(pieces):
            return StoryReading([], [])
        docs = self._parse(pieces, entities=True)
        facts: list[FactAsserted] = []
        events = self._events(document, docs, bool(document.title.strip()), facts=facts)
        return StoryReading(events, facts)

    def every_fact(self, document: DocumentIngested) -> list[NewEvent]:
        """What ``extract`` finds, then each open fact of a key no question answer took,
        as events with ids from the document's identity, hash and the fact's key."""
        read = self.read_story(document)
        taken = {e.data["key"] for e in read.events if e.type == FactAsserted.TYPE}
        events = list(read.events)
        for fact in read.facts:
            if fact.key in taken:
                continue
            taken.add(fact.key)
            events.append(
                new_event(
                    fact,
                    document.identity,
                    document.content_hash,
                    "open",
                    fact.key,
                    occurred_at=fact.valid_from,
                )
            )
        return events

    def open_facts(self, document: DocumentIngested) -> list[FactAsserted]:
        """Every fact ``document`` states (``read_story(document).facts``)."""
        return self.read_story(document).facts

    def _parse(
        self, texts: list[str], *, entities: bool = False, documents: Sequence[int] = ()
    ) -> list[Any]:
        """Parse every text; find entities only in those with a verb a rule reads, and in
        the lead (headline, standfirst) of a document where someone speaks, when it has a
        name: "An Arizona man ... said" is the Douglas Haig its standfirst names.

        The entity recogniser costs as much as the rest of the pipeline and only
        matters where someone may be speaking or acting. ``documents`` holds the index of
        each document's first text, then the end.
        """
        nlp, size = self.nlp, self.config.batch_size
        if "ner" not in nlp.pipe_names or entities:
            return list(nlp.pipe(texts, batch_size=size))
        docs = list(nlp.pipe(texts, batch_size=size, disable=["ner"]))
        cues = {nlp.vocab.strings.add(cue) for cue in self._cues}
        lemma = importlib.import_module("spacy.attrs").LEMMA
        wanted = [
            i
            for i, doc in enumerate(docs)
            if (len(doc) <= _SHORT and ":" in doc.text) or not cues.isdisjoint(doc.count_by(lemma))
        ]
        speaking = set(wanted)
        for start, end in itertools.pairwise(documents):
            if speaking.isdisjoint(range(start, end)):
                continue
            wanted += [
                i
                for i in range(start, min(end, start + _LEAD_PIECES))
                if i not in speaking and _names_someone(docs[i])
            ]
        wanted.sort()
        ner = nlp.get_pipe("ner")
        for i, doc in zip(
            wanted, ner.pipe([docs[i] for i in wanted], batch_size=size), strict=True
        ):
            docs[i] = doc
        return docs

    def _sentences(self, docs: list[Any], has_title: bool) -> Iterator[tuple[Any, bool]]:
        for n, doc in enumerate(docs):
            if n == 0 and has_title:
                yield doc[:], True  # a headline is one sentence, however it parses
                continue
            sents = [sent for sent in doc.sents if sent.text.strip()]
            for sent in sents:
                # a line standing alone without a full stop (a standfirst, a subhead) is
                # read as a headline: "LPGA pro Suzann Pettersen: 'I just laugh' at ..."
                yield sent, len(sents) == 1 and not sent.text.rstrip().endswith(_ENDS)

    def _events(
        self,
        document: DocumentIngested,
        docs: list[Any],
        has_title: bool,
        facts: list[FactAsserted] | None = None,
    ) -> list[NewEvent]:
        producer = {"config_version": self.config.version, "model": self.model_name()}
        source = {
            "title": document.title,
            "url": document.url,
            "feed": document.feed,
            "published_at": document.published_at,
        }
        title = document.title
        events: list[NewEvent] = []
        verdicts: dict[str, _Verdict] = {}
        previous: Speaker | None = None
        sentences = list(self._sentences(docs, has_title))
        cast = Cast(self.voices, self.config.person_roles)
        for index, (sent, _headline) in enumerate(sentences):
            cast.add(sent, index)
        whole = " ".join([title] + [s.text for s, _ in sentences])
        kept = 0
        reader = FactReader(self.voices, self.config) if facts is not None else None
        opened: dict[str, FactAsserted] = {}
        for index, (sent, headline) in enumerate(sentences):
            if len(sent) > self.config.max_sentence_tokens:
                continue
            sentence = " ".join(sent.text.split())
            around = " ".join(
                [title] + [s.text for s, _ in sentences[max(0, index - 1) : index + 2]]
            )
            said = [
                replace(item, speaker=cast.resolve(item.speaker, _phrase(sent, item), index))
                for item in self.statements.find(sent, previous, headline=headline)
            ]
            for item in said:
                if (item.spoken or not item.negated) and item.modality == "actual":
                    kept += 1
                    if kept > self.config.max_statements:
                        break
                    events.append(
                        self._statement(document, item, index, sentence, producer, source)
                    )
            if said:
                previous = said[-1].speaker
            if reader is not None and headline:
                reader.heading(sent, cast=cast, index=index)
            elif reader is not None:
                for fact in reader.read(sent, cast=cast, index=index, previous=previous):
                    if fact.key not in opened and len(opened) < self.config.facts.max_facts:
                        opened[fact.key] = self._open_fact(
                            document, fact, sentence, producer, source
                        )
            for rule in self.config.rules:
                for found in self._rule_verdicts(
                    rule, sent, said, around, previous, document, index, headline, whole
                ):
                    held = verdicts.get(found.key)
                    if held is None or found.beats(held):
                        verdicts[found.key] = found
        for verdict in verdicts.values():
            events.append(self._fact(document, verdict, producer, source))
        if facts is not None:
            answered = [self._answer(document, v, producer, source) for v in verdicts.values()]
            facts += answered
            keys = {f.key for f in answered}
            facts += [f for key, f in opened.items() if key not in keys]
        return events

    def _open_fact(
        self,
        document: DocumentIngested,
        found: OpenFact,
        sentence: str,
        producer: dict[str, str],
        source: dict[str, Any],
    ) -> FactAsserted:
        if found.modality == "implied":
            when = Resolved(document.published_at, "publication")
        else:
            when = self._when(found.when_text, sentence, document, found.tense)
        return FactAsserted(
            key=found.key,
            subject=found.subject,
            predicate=found.predicate,
            object=found.object,
            value=found.value,
            valid_from=when.moment,
            valid_precision="day" if when.precision == "day" else "publication",
            evidence=Evidence(
                document=document.doc_id, quote=found.quote, sentence=sentence, **source
            ),
            producer=Producer(kind="rule", rule=found.rule, **producer),
            polarity="negative" if found.value is False else "positive",
            modality=found.modality,
            condition=found.condition,
            text=found.text,
        )

    def _rule_verdicts(
        self,
        rule: QuestionRule,
        sent: Any,
        said: list[Said],
        title: str,
        previous: Speaker | None,
        document: DocumentIngested,
        index: int,
        headline: bool,
        whole: str = "",
    ) -> list[_Verdict]:
        sentence = " ".join(sent.text.split())
        found: list[tuple[bool, str, str, str | None, tuple[str, ...], str, str]] = []
        if rule.kind == "statement":
            for item in said:
                value = self._statement_verdict(rule, item, sent.text, title)
                if value is not None:
                    keys = tuple(t.key for t in rule.facts)
                    how = "negated" if not value else "said"
                    found.append(
                        (value, item.tense, item.modality, item.quote, keys, how, item.when_text)
                    )
        else:
            claims = self.claims.find(sent, rule, title, previous, whole)
            if headline and not any(
                c.modality in (rule.true_when if c.value else rule.false_when) for c in claims
            ):
                # the parse of a headline is often wrong; its words may still say it
                claims += self.claims.in_headline(sent, rule)
            for claim in claims:
                allowed = rule.true_when if claim.value else rule.false_when
                if claim.modality not in allowed:
                    continue
                keys = tuple(t.key for t in claim.targets)
                how = claim.how if claim.value else f"{claim.how}.negated"
                found.append(
                    (claim.value, claim.tense, claim.modality, None, keys, how, claim.when_text)
                )
        verdicts = []
        for value, tense, _modality, quote, keys, how, own in found:
            when = self._when(own, sentence, document, tense)
            for key in keys:
                verdicts.append(
                    _Verdict(
                        rule,
                        key,
                        value,
                        when.moment,
                        when.precision,
                        headline,
                        index,
                        sentence,
                        quote,
                        how,
                    )
                )
        return verdicts

    def _when(self, own: str, sentence: str, document: DocumentIngested, tense: str) -> Resolved:
        """The day the verb's own clause gives ("signed ... on Thursday"), else the sentence's."""
        for text in (own, sentence) if own else (sentence,):
            when = resolve_when(
                text, published=document.published_at, tense=tense, holidays=self.config.holidays
            )
            if when.precision == "day":
                return when
        return when

    def _statement_verdict(
        self, rule: QuestionRule, item: Said, text: str, title: str
    ) -> bool | None:
        if item.speaker.side != rule.side or not item.speaker.official:
            return None  # someone else's words, even about Moscow, answer nothing
        a, b = item.speaker_span
        rest = text[:a] + " " + text[b:]  # what was said, never the speaker's own phrase
        if item.negated:
            if item.modality not in rule.false_when:
                return None
            # "declined to comment" often names the topic elsewhere: the rest of the sentence,
            # else the headline and the sentences around
            if self.about(rule, rest) or self.about(rule, title):
                return False
            return None
        if item.modality not in rule.true_when or item.habitual:
            return None
        if self.about(rule, item.content) or self.about(rule, item.quote or ""):
            return True
        # "Russia's embassy said the site was a legitimate target" after "Britain opened its
        # hub": what the words point back to, in the sentence or the ones around
        points_back = _ANAPHOR.search(item.content) or _POINTS_BACK.match(item.content)
        if points_back and (self.about(rule, rest) or self.about(rule, title)):
            return True
        return None

    def about(self, rule: QuestionRule, text: str) -> list[str]:
        """The topics of ``rule`` that ``text`` is about; an ambiguous word needs its context."""
        if rule.kind != "statement":
            return rule.objects.find(text)
        hits = []
        for term in rule.topics.find(text):
            near = rule.ambiguous.get(term)
            if near is None or near.find(text):
                hits.append(term)
        return hits

    def _statement(
        self,
        document: DocumentIngested,
        item: Said,
        index: int,
        sentence: str,
        producer: dict[str, str],
        source: dict[str, Any],
    ) -> NewEvent:
        rule_id = {
            "according to": "statement.according-to",
            "headline": "statement.headline",
        }.get(item.verb, "statement.reporting-verb")
        speaker = item.speaker
        when = self._when(item.when_text, sentence, document, item.tense)
        statement = StatementReported(
            statement_key=f"s{index}:{speaker.id}:{item.verb}",
            speaker=speaker.id,
            speaker_name=speaker.name,
            verb=item.verb,
            mode=item.mode,
            content=item.content,
            quote=item.quote,
            said_at=when.moment,
            said_precision=when.precision,
            evidence=Evidence(
                document=document.doc_id, quote=item.quote, sentence=sentence, **source
            ),
            producer=Producer(kind="rule", rule=rule_id, **producer),
            about=tuple(
                dict.fromkeys(r.question for r in self.config.rules if self.about(r, item.content))
            ),
            side=speaker.side,
            listed=speaker.actor is not None,
        )
        return new_event(
            statement,
            document.identity,
            document.content_hash,
            statement.statement_key,
            occurred_at=when.moment,
        )

    def _fact(
        self,
        document: DocumentIngested,
        verdict: _Verdict,
        producer: dict[str, str],
        source: dict[str, Any],
    ) -> NewEvent:
        fact = self._answer(document, verdict, producer, source)
        return new_event(
            fact,
            document.identity,
            document.content_hash,
            verdict.rule.id,
            verdict.key,
            str(verdict.value),
            occurred_at=verdict.moment,
        )

    def _answer(
        self,
        document: DocumentIngested,
        verdict: _Verdict,
        producer: dict[str, str],
        source: dict[str, Any],
    ) -> FactAsserted:
        subject, predicate, *rest = verdict.key.split("/")
        return FactAsserted(
            key=verdict.key,
            subject=subject,
            predicate=predicate,
            object=rest[0] if rest else None,
            value=verdict.value,
            valid_from=verdict.moment,
            valid_precision="day" if verdict.precision == "day" else "publication",
            evidence=Evidence(
                document=document.doc_id, quote=verdict.quote, sentence=verdict.sentence, **source
            ),
            producer=Producer(kind="rule", rule=f"{verdict.rule.id}.{verdict.how}", **producer),
            polarity="positive" if verdict.value else "negative",
            modality="reported",
            text=verdict.sentence,
        )
