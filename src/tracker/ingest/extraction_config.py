"""The extraction config read from ``extraction.toml``, the actors and the stories' files,
and validated once. The config version (a hash of the rules and the actors) is recorded
on every extracted event."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from tracker.config import read_toml, shipped_config_dir, story_files
from tracker.errors import ConfigError
from tracker.ingest.config_tables import ConfigTable
from tracker.ingest.question_rules import question_rules
from tracker.ingest.rules import ExtractionConfig, FactWords, QuestionRule, Terms

EXTRACTION_FILE = "extraction.toml"
ACTORS_FILE = "actors.toml"


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
    version = _version(path, actors, stories)
    top = ConfigTable(path, data, "")
    model = ConfigTable(path, top.table_of("model"), "model.")
    limits = ConfigTable(path, top.table_of("limits"), "limits.")
    said = ConfigTable(path, top.table_of("statements"), "statements.")
    mood = ConfigTable(path, top.table_of("modality"), "modality.")
    sides = _shared_sides(path, top)
    # Rules live in each story's file; extraction.toml may hold some too (older layouts).
    # A story may name sides of its own ([sides] in its file), added to the shared ones.
    documents = [(path, data), *((p, read_toml(p)) for p in stories)]
    _add_story_sides(sides, documents)
    rules = question_rules(documents, questions)
    _check_sides(path, rules, sides)
    holidays = ConfigTable(path, top.table_of("dates"), "dates.").table_of("holidays")
    facts = _fact_words(ConfigTable(path, top.table_of("facts"), "facts."))
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
        reaction_nouns=said.lemmas("reaction_nouns"),
        unofficial=said.lemmas("unofficial"),
        place_labels=said.lemmas("place_labels"),
        title_case_words=said.lemmas("title_case_words"),
        title_case_unsure=said.lemmas("title_case_unsure"),
        verdict_verbs=said.lemmas("verdict_verbs"),
        clause_verbs=said.lemmas("clause_verbs"),
        document_verbs=said.lemmas("document_verbs"),
        documents=said.lemmas("documents"),
        silence_phrases=Terms.of(said.strings("silence_phrases")),
        sides=sides,
        future_aux=mood.lemmas("future"),
        modal_aux=mood.lemmas("modal"),
        planning=mood.lemmas("planning"),
        mandative=mood.lemmas("mandative"),
        not_done_verbs=mood.lemmas("not_done_verbs"),
        stance_verbs=mood.lemmas("stance_verbs"),
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
        allege_verbs=mood.lemmas("allege"),
        fiction_nouns=mood.lemmas("fiction"),
        report_nouns=mood.lemmas("report_nouns"),
        unsure_nouns=mood.lemmas("unsure_nouns"),
        confirm_verbs=mood.lemmas("confirm_verbs"),
        habitual=mood.lemmas("habitual"),
        under_way=mood.lemmas("under_way"),
        negators=mood.lemmas("negators"),
        rules=tuple(rules),
        holidays={str(k).lower(): str(v) for k, v in holidays.items()},
        version=version,
        facts=facts,
    )


def _version(path: Path, actors: Path, stories: tuple[Path, ...]) -> str:
    digest = hashlib.sha256(path.read_bytes() + actors.read_bytes())
    for story_path in stories:
        digest.update(story_path.read_bytes())
    return digest.hexdigest()[:12]


def _shared_sides(path: Path, top: ConfigTable) -> dict[str, Terms]:
    sides_table = top.table_of("sides")
    return {
        str(side): Terms.of(ConfigTable(path, sides_table, "sides.").strings(side))
        for side in sides_table
    }


def _add_story_sides(sides: dict[str, Terms], documents: list[tuple[Path, dict[str, Any]]]) -> None:
    for source, document in documents[1:]:
        own = ConfigTable(source, document, "").table_of("sides")
        for name in own:
            names = ConfigTable(source, own, "sides.").strings(name)
            sides[str(name)] = Terms.of((*sides.get(str(name), Terms.of(())).words, *names))


def _check_sides(path: Path, rules: list[QuestionRule], sides: dict[str, Terms]) -> None:
    for rule in rules:
        for side in (rule.side, rule.agent_side, *sorted(rule.outside_sides)):
            if side is not None and side not in sides:
                raise ConfigError(f"{path}: rule {rule.id}: unknown side {side!r} (see [sides])")


def _fact_words(words: ConfigTable) -> FactWords:
    return FactWords(
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
