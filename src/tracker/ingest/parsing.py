"""The language model: loaded once, run over texts in batches, read back as sentences.

The entity recogniser costs as much as the rest of the pipeline and only matters where
someone may be speaking or acting, so a batch runs without it and hands it only the
texts that need it. A headline is one sentence, however it parses.
"""

from __future__ import annotations

import importlib
import importlib.util
import itertools
import re
import threading
from collections.abc import Iterator, Sequence
from typing import Any

from tracker.errors import ConfigError
from tracker.ingest.rules import ExtractionConfig

# A text this short with a colon (a headline, most often) gets its entities whatever its
# verbs: "Kenya: ..." is a place, "Petrov: ..." a person.
_SHORT = 40
_LEAD_PIECES = 3  # the headline and the standfirst lines under it
_ENDS = (".", "!", "?", '"', "\u201d", "'", "\u2019", ")")
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
            nlp = module.load()
            _split_unit_stops(nlp.tokenizer)
            # "Macron wrote on X. In Moscow, ...": the network, then a full stop
            nlp.tokenizer.add_special_case("X.", [{"ORTH": "X"}, {"ORTH": "."}])
            _MODELS[name] = nlp
            return nlp
    raise ConfigError(f"no spaCy model installed; tried {', '.join(names)}")


def _split_unit_stops(tokenizer: Any) -> None:
    """Drop the tokenizer's exceptions for one lower-case letter and a stop ("m."): in news
    they end a sentence on a unit far more often than they abbreviate ("worth $50m. Palm
    Beach County's appraiser disagrees" is two sentences)."""
    rules = {
        text: case
        for text, case in tokenizer.rules.items()
        if not (len(text) == 2 and text[1] == "." and text[0].isalpha() and text[0].islower())
    }
    if len(rules) != len(tokenizer.rules):
        tokenizer.rules = rules


def readable(pieces: list[str], config: ExtractionConfig) -> bool:
    """Whether the text is in the model's language, by its share of common words."""
    words = re.findall(r"[^\W\d_]+", " ".join(pieces)[:5000].casefold())
    if len(words) < 15 or not config.function_words:
        return bool(words)  # a headline alone may have no function word at all
    common = sum(w in config.function_words for w in words)
    return common / len(words) >= config.min_function_share


def parse(
    nlp: Any,
    texts: list[str],
    *,
    cues: frozenset[str],
    batch_size: int,
    entities: bool = False,
    documents: Sequence[int] = (),
) -> list[Any]:
    """Parse every text; find entities only in those with a verb a rule reads (a lemma
    of ``cues``), and in the lead (headline, standfirst) of a document where someone
    speaks, when it has a name: "An Arizona man ... said" is the Douglas Haig its
    standfirst names. ``documents`` holds the index of each document's first text, then
    the end."""
    if "ner" not in nlp.pipe_names or entities:
        return [_whole_names(doc) for doc in nlp.pipe(texts, batch_size=batch_size)]
    docs = list(nlp.pipe(texts, batch_size=batch_size, disable=["ner"]))
    wanted = _wanting_entities(nlp, docs, cues, documents)
    ner = nlp.get_pipe("ner")
    for i, doc in zip(
        wanted, ner.pipe([docs[i] for i in wanted], batch_size=batch_size), strict=True
    ):
        docs[i] = _whole_names(doc)
    return docs


# Particles inside surnames: "Ursula von der Leyen", "Jean de la Fontaine".
_PARTICLES = frozenset({"von", "van", "der", "den", "de", "la", "le", "du", "da", "di", "del"})


def _whole_names(doc: Any) -> Any:
    """A person's name the recogniser cut at a particle ("Ursula von der" and "Leyen"),
    made whole again."""
    ents: list[Any] = []
    swallowed = -1
    for ent in doc.ents:
        if ent.start < swallowed:
            continue  # the rest of a name just made whole
        end = ent.end
        if ent.label_ == "PERSON" and end < len(doc) and doc[end - 1].lower_ in _PARTICLES:
            rest = doc[end]
            if rest.text[:1].isupper() and rest.pos_ == "PROPN":
                whole = doc.char_span(ent.start_char, rest.idx + len(rest.text), label="PERSON")
                if whole is not None:
                    ents.append(whole)
                    swallowed = end + 1
                    continue
        ents.append(ent)
    if swallowed >= 0:
        doc.ents = ents
    return doc


def _wanting_entities(
    nlp: Any, docs: list[Any], cues: frozenset[str], documents: Sequence[int]
) -> list[int]:
    """The indexes of the parsed texts the entity recogniser should read, in order."""
    hashes = {nlp.vocab.strings.add(cue) for cue in cues}
    lemma = importlib.import_module("spacy.attrs").LEMMA
    wanted = [
        i
        for i, doc in enumerate(docs)
        if (len(doc) <= _SHORT and ":" in doc.text) or not hashes.isdisjoint(doc.count_by(lemma))
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
    return wanted


def sentences(docs: list[Any], has_title: bool) -> Iterator[tuple[Any, bool]]:
    """Each sentence of the parsed pieces, and whether it reads as a headline."""
    for n, doc in enumerate(docs):
        if n == 0 and has_title:
            yield doc[:], True  # a headline is one sentence, however it parses
            continue
        sents = [sent for sent in doc.sents if sent.text.strip()]
        for sent in sents:
            # a line standing alone without a full stop (a standfirst, a subhead) is
            # read as a headline: "LPGA pro Suzann Pettersen: 'I just laugh' at ..."
            yield sent, len(sents) == 1 and not sent.text.rstrip().endswith(_ENDS)


# A few words in quotation marks inside a clause: "the United States \"fully backs\" the
# guarantees", "its support was \"firm\"". The marks say whose words they are; to the
# parser they are clause edges, and it reads "backs" as a noun.
_SCARE_QUOTE = re.compile(
    r"(?<=\w )([\"\u201c])((?:[^\"\u201c\u201d.!?\s]+ ?){1,6})[\"\u201d](?=[ ,;:.)]|$)"
)


def unquoted(text: str) -> str | None:
    """``text`` with the quotation marks of quoted words inside a clause taken away, or
    None when it has none. Quoted speech ("We back it," he said) keeps its marks."""
    plain = _SCARE_QUOTE.sub(
        lambda m: m.group(2).rstrip() + (" " if m.group(2).endswith(" ") else ""), text
    )
    return None if plain == text else plain


# A headline In Title Case: most of its longer words capitalised. The parser reads its
# verbs as names ("Pilots Warn of Fatigue", with "Warn" a proper noun).
_WORD = re.compile(r"[^\W\d_][\w'\u2019-]*")
_TITLE_SHARE = 0.8
# A headline tells in the present; its past participles are passives ("Government Urged
# to Review Subsidies", "Putin Said to Weigh ...") and keep their capitals.
_ENDINGS = (("ies", "y"), ("es", ""), ("s", ""))
# what a headline tells as done: "Ceasefire Signed In Istanbul", "Guarantees Ratified"
_PAST = (("ied", "y"), ("ed", ""), ("ed", "e"), ("d", ""))
_SEGMENT_ENDS = (":", ".", "?", "!", "-", "\u2013", "\u2014", '"', "\u201c", "'", "\u2018")


def sentence_cased(
    text: str, small: frozenset[str], verbs: frozenset[str], *, past: bool = False
) -> str | None:
    """A headline In Title Case with its small words (``small``: "of", "after", "may")
    and its verbs of saying (present forms of ``verbs``' lemmas) in lower case, letter for
    letter in place; None when the headline is not in Title Case or nothing changes.
    Names keep their capitals: "Oromo Liberation Front Warns of Growing War Risks" is
    read as "Oromo Liberation Front warns of Growing War Risks"."""
    words = list(_WORD.finditer(text))
    longer = [m.group() for m in words if len(m.group()) > 3]
    if len(words) < 4 or not longer:
        return None
    if sum(w[0].isupper() for w in longer) < _TITLE_SHARE * len(longer):
        return None
    letters = list(text)
    for m in words:
        word = m.group()
        first = word[0].lower()
        if not word[0].isupper() or len(first) != 1 or not word[1:].islower():
            continue  # "EFCC", "McDonald", or a letter whose small form is longer
        if not text[: m.start()].strip() or text[: m.start()].rstrip().endswith(_SEGMENT_ENDS):
            continue  # the first word of the headline or of a part of it
        low = word.lower()
        if low in small or said_word(low, verbs, past):
            letters[m.start()] = first
    cased = "".join(letters)
    return None if cased == text else cased


def said_word(word: str, verbs: frozenset[str], past: bool = False) -> bool:
    """Whether ``word`` is a present form of one of ``verbs`` ("warn", "warns", "denies"),
    or with ``past`` a past one too ("signed", "ratified")."""
    if word in verbs:
        return True
    return any(
        word.endswith(end) and word[: len(word) - len(end)] + stem in verbs
        for end, stem in _ENDINGS + (_PAST if past else ())
    )


def parse_one(nlp: Any, text: str) -> Any:
    """One text parsed whole, entities and all, as a single span."""
    return _whole_names(nlp(text))[:]


def _names_someone(doc: Any) -> bool:
    """Whether a parsed text has two proper nouns in a row, as a person's name does."""
    return any(a.pos_ == b.pos_ == "PROPN" for a, b in itertools.pairwise(doc))
