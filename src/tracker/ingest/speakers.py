"""Who said what: attributed statements found in a parsed sentence.

A speaker is any person or institution the text names in the shapes news uses: the
subject of a reporting verb, a passive agent ("was condemned by the Russian defence
ministry"), an appositive ("Ivan Petrov, Russia's envoy to the OSCE, said"),
"according to X", a headline "X: ..." or "..., X says", a quote before or after its
attribution, a pronoun carried from the previous speaker. Who the speaker is (an actor,
or an unlisted speaker with a side) is ``voices``' job.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from tracker.ingest import clauses, moods, negations
from tracker.ingest.headline_speakers import HeadlineSpeakers
from tracker.ingest.nominal_statements import NominalStatements
from tracker.ingest.rules import ExtractionConfig
from tracker.ingest.said import QUOTES, SILENCE_NOUNS, Said, span_of
from tracker.ingest.voices import Speaker, Voices


def _after_saying(verb: Any) -> bool:
    """ "X has turned to television after revealing he is working on a series": a gerund
    after a preposition reports when it has a clause of its own; its speaker is the subject
    of the verb the preposition hangs from."""
    return (
        verb.tag_ == "VBG"
        and verb.head.dep_ == "prep"
        and verb.head.head.pos_ in ("VERB", "AUX")
        and any(c.dep_ == "ccomp" for c in verb.children)
    )


def _own_subject(verb: Any) -> Any | None:
    """The subject a gerund has of its own: "..., with Ambassador Bankole Adeoye outlining
    a strategy" is Adeoye's, not the sentence subject's."""
    if verb.tag_ != "VBG" or verb.dep_ not in ("advcl", "pcomp"):
        return None
    if verb.dep_ == "pcomp" and verb.head.lower_ != "with":
        return None
    return next((c for c in verb.children if c.dep_ == "nsubj" and c.i < verb.i), None)


_TOPICAL = frozenset({"about", "over", "on", "regarding", "concerning", "at", "to", "for"})


def _says_through_object(verb: Any, objects: frozenset[str]) -> bool:
    """ "raised concerns about the memo", "issued a warning that ...": a verb and its object
    that say something, with what about; "made the remarks on Tuesday" says nothing."""
    for obj in verb.children:
        if obj.dep_ != "dobj" or obj.lemma_.lower() not in objects:
            continue
        for part in (*obj.children, *verb.children):
            if part.dep_ in ("acl", "relcl", "ccomp") and part.i > obj.i:
                return True
            if (
                part.dep_ == "prep"
                and part.lower_ in _TOPICAL
                and part.i > verb.i
                and any(
                    g.dep_ == "pobj" and g.ent_type_ not in ("DATE", "TIME") for g in part.children
                )
            ):
                return True
    return False


def _named_just_before(verb: Any) -> Any | None:
    """ "X is no longer part of the guarantees, Matthew Whitaker, the US ambassador, told
    reporters", parsed with "told" a conjunct of "is": a reporting verb without a subject
    of its own, right after a named person and their apposition, is that person's."""
    # (or the root, with the speaker hung on a phrase before: "Commenting on the index,
    # which ranks countries on their sectors, its chief executive, Alex Cobham, said")
    if verb.dep_ not in ("conj", "ROOT") or any(
        c.dep_ in ("nsubj", "nsubjpass", "csubj") for c in verb.children
    ):
        return None
    token = verb.doc[verb.i - 1] if verb.i > verb.sent.start else None
    if token is None:
        return None
    if token.text != ",":
        return _apposed_just_before(token)
    for back in range(verb.i - 2, max(verb.sent.start, verb.i - 16) - 1, -1):
        candidate = verb.doc[back]
        if candidate.ent_type_ != "PERSON" or candidate.pos_ != "PROPN":
            continue
        between = verb.doc[candidate.i + 1 : verb.i]
        inside = {t.i for t in candidate.subtree}
        return candidate if all(t.i in inside or t.is_punct for t in between) else None
    return None


def _apposed_just_before(token: Any) -> Any | None:
    """ "Hubs have been set up by the UK and France, the coalition of the willing said",
    parsed with the speaker an apposition of "France": the apposition ending at the verb."""
    for _ in range(4):
        if token.dep_ == "appos":
            before = token.doc[token.left_edge.i - 1] if token.left_edge.i > 0 else None
            ends = token.right_edge.i == token.i or token.doc[token.right_edge.i + 1].pos_ in (
                "VERB",
                "AUX",
            )
            return token if before is not None and before.text == "," and ends else None
        if token.head.i == token.i:
            return None
        token = token.head
    return None


def _antecedent(subject: Any | None, verb: Any) -> Any | None:
    """ "..., Catherine Vautrin, who said the hub was operational": the one a relative
    pronoun stands for, also across "who has known Trump and says ..."."""
    if subject is None or subject.tag_ not in ("WP", "WDT"):
        return subject
    token = verb
    for _ in range(4):
        if token.dep_ == "relcl":
            return token.head
        if token.dep_ != "conj":
            return None
        token = token.head
    return None


_OBJECT_PRONOUNS = frozenset({"him", "her", "them", "it", "us", "me", "you", "this", "that"})
_CONTRASTS = frozenset({"but", "while", "whereas", "yet"})


def _answered(verb: Any, outer: Any) -> bool:
    """Whether ``verb``, joined by "but" to the clause ``outer`` reports, is another
    speaker's report in the same tense: "Trump says the club is worth $50m but the
    appraiser says it is worth $19m". The parse hangs it on the reported clause."""
    return (
        verb.dep_ == "conj"
        and verb.lemma_ == outer.lemma_
        and verb.tag_ == outer.tag_
        and any(c.dep_ == "nsubj" for c in verb.children)
        and any(c.dep_ == "cc" and c.lower_ in _CONTRASTS for c in verb.head.children)
    )


def _joined(tokens: list[Any]) -> str:
    """Tokens as text, a space where a cut left two words touching: "Europe, he said,
    would" is "Europe would", not "Europewould"."""
    out: list[str] = []
    for before, token in zip([None, *tokens], tokens, strict=False):
        if before is not None and token.i != before.i + 1 and not before.whitespace_:
            out.append(" ")
        out.append(token.text_with_ws)
    return "".join(out)


def _content(sent: Any, verb: Any, subject: Any | None, silent: frozenset[str]) -> str:
    """What a reporting verb reports: its clause, else the main clause it hangs off, else
    what follows it ("accused Washington of meddling")."""
    doc = sent.doc
    for dep in ("ccomp", "xcomp"):
        clause = next((c for c in verb.children if c.dep_ == dep), None)
        if clause is not None:
            # "said X was stoking tension, but made no mention of Y": the speaker's silence
            # hung on the reported clause is not part of what was said
            # "says the club is worth $50m but the appraiser says ...": the other speaker's
            # words are theirs
            cut = {
                t.i
                for c in clause.children
                if c.dep_ == "conj"
                and (
                    (
                        c.lemma_.lower() in silent
                        and not any(g.dep_ in ("nsubj", "nsubjpass") for g in c.children)
                    )
                    or _answered(c, verb)
                )
                for t in (*c.subtree, *(g for g in clause.children if g.dep_ == "cc"))
            }
            words = [
                t.text_with_ws
                for t in doc[clause.left_edge.i : clause.right_edge.i + 1]
                if t.i not in cut
            ]
            return "".join(words).strip(" ,")
    if subject is not None and subject.dep_ == "appos" and verb.dep_ == "conj":
        # "Hubs have been set up by the UK and France, the coalition said in a statement":
        # what comes before the speaker
        return _joined(list(doc[sent.start : subject.left_edge.i])).strip(" ,.-—")
    if verb.dep_ in ("parataxis", "ccomp", "advcl") and any(
        c.dep_ == "dobj" and c.i > verb.i for c in verb.children
    ):
        # "the ministry has issued no statement on the force, a review found": its object
        return str(doc[verb.i + 1 : verb.right_edge.i + 1].text).strip(" ,.")
    if verb.dep_ in ("parataxis", "ccomp", "advcl") and verb.head.i != verb.i:
        # "Plan is a dead end, Kremlin says": the rest of the sentence is what was said
        own = {t.i for t in verb.subtree}
        return _joined([t for t in sent if t.i not in own]).strip(" ,.-—")
    start = verb.i + 1
    if subject is not None and subject.i > verb.i:
        start = subject.right_edge.i + 1
    if verb.right_edge.i >= start:
        return str(doc[start : verb.right_edge.i + 1].text).strip(" ,.")
    before = [t.text_with_ws for t in sent if t.i < verb.left_edge.i]
    return "".join(before).strip(" ,.-—")


class StatementFinder:
    """Every attributed statement in a sentence, spoken or pointedly not."""

    def __init__(self, voices: Voices, config: ExtractionConfig) -> None:
        self.voices = voices
        self.config = config
        self._speech = config.reporting_verbs | config.silence_verbs
        self._verbs = self._speech | config.speech_verbs
        self.nominal = NominalStatements(voices, config)
        self.headlines = HeadlineSpeakers(voices, config)

    def find(
        self,
        sent: Any,
        previous: Speaker | None,
        *,
        headline: bool,
        narrated: Speaker | None = None,
    ) -> list[Said]:
        """The statements of ``sent``; "he" or "she" is the ``previous`` speaker, else the
        person the text ``narrated`` just before."""
        text = sent.text
        quotes = [q.strip(" ,.") for q in QUOTES.findall(text)]
        quote = " ".join(quotes) if quotes else None
        quoted = [(m.start(), m.end()) for m in QUOTES.finditer(text)]
        base = sent.start_char
        found: list[Said] = []
        for token in sent:
            lemma = token.lemma_.lower()
            if lemma not in self._verbs or token.pos_ not in ("VERB", "AUX"):
                continue
            if token.dep_ in ("pobj", "amod", "compound", "nsubj", "csubj", "nsubjpass"):
                continue  # "after weeks of tweeting": a verb used as a noun reports nothing
            if token.dep_ == "pcomp" and not (_after_saying(token) or _own_subject(token)):
                continue  # "before saying goodbye" reports no clause
            if token.dep_ == "acl" and token.tag_ == "VBN":
                continue  # "the force proposed by Macron": what a noun is, not what was said
            uttered = lemma in self.config.speech_verbs and _says_through_object(
                token, self.config.speech_objects
            )
            if (
                lemma in self.config.light_verbs
                and not uttered
                and not any(
                    c.dep_ in ("dobj", "nsubjpass")
                    and c.lemma_.lower() in self.config.light_objects
                    for c in token.children
                )
            ):
                continue
            if lemma not in self._speech and not (uttered):
                continue
            if any(a <= token.idx - base < b for a, b in quoted):
                continue  # a verb inside a quotation is part of what was said
            subject = _antecedent(self._speaking_subject(token), token)
            if subject is None:
                continue
            if any(a <= subject.idx - base < b for a, b in quoted):
                continue
            if any(t.text == ":" for t in sent.doc[subject.i : token.i]) and subject.i < token.i:
                continue  # "Botswana: Malaria Claims One": a label before a colon says nothing
            if clauses.urged(token):
                continue  # "Government Urged to Review Subsidies": the one urged says nothing
            # "..., say the scientists, but they also caution that ...": a pronoun after a
            # speaker of the same sentence is that speaker
            speaker = self.voices.resolve(subject, found[-1].speaker if found else previous)
            if speaker is None and subject.lower_ in ("he", "she"):
                speaker = narrated
            if speaker is None:
                continue
            if speaker.side is None:
                speaker = replace(speaker, side=self._side_of_place(token))
            made = self._medium_made(token)
            mood = moods.mood(made if made is not None else token, sent, self.config)
            negated = (
                mood.negated
                or bool(self.config.silence_phrases.find(text))
                or self._says_no_comment(token)
            )
            speaks = lemma in self.config.reporting_verbs or uttered
            if not speaks and not negated:
                continue  # "comment", "respond" report speech only when denied it
            if lemma in self.config.clause_verbs and not self._reports_clause(token, subject):
                continue  # "the study shows that ..." reports; "the map shows roads" does not
            outer = self._inside_report(token)
            if (
                outer is not None
                and not _answered(token, outer)
                and getattr(clauses.subject_of(outer), "i", -1) != subject.i
                and not self._documented(outer)
            ):
                # "Zelensky said Moscow has yet to respond", "Umerov said Moscow had demanded":
                # the outer speaker's words, not a statement of Moscow's
                continue
            clause = _content(sent, token, subject, self.config.silence_verbs)
            if not quote and clause.casefold() in _OBJECT_PRONOUNS:
                continue  # "a Congress that ridicules him" says nothing one can quote
            content = clause if len(clause.split()) >= 3 or not quote else quote
            span = span_of(subject, sent)
            found.append(
                Said(
                    speaker=speaker,
                    verb=lemma,
                    mode="direct" if quote and quote[:20] in content else "reported",
                    content=" ".join((content or text).split()),
                    quote=quote,
                    tense=moods.tense(token, self.config),
                    negated=negated,
                    spoken=speaks and not mood.negated,
                    modality=mood.modality,
                    habitual=moods.habitual(token, self.config),
                    when_text=clauses.clause_text(token),
                    speaker_span=span,
                )
            )
        found += self.nominal.find(sent, previous, quote)
        if headline and not found:
            found += self.headlines.find(sent, previous)
        return found

    def _side_of_place(self, verb: Any) -> str | None:
        """ "In Moscow, the foreign ministry said ...": a capital the verb is said in."""
        for prep in verb.children:
            if prep.dep_ != "prep" or prep.lower_ != "in" or prep.i > verb.i:
                continue
            for place in prep.children:
                if place.dep_ == "pobj" and place.pos_ == "PROPN":
                    side = self.voices.side_in(place.text)
                    if side:
                        return side
        return None

    def _speaking_subject(self, verb: Any) -> Any | None:
        """Who speaks: the verb's subject; for "..., saying/telling/calling ..." the subject
        of the reporting verb it trails, however the parser attached it."""
        named = _named_just_before(verb)
        if named is not None:
            return named
        own = _own_subject(verb)
        if own is not None:
            return own
        if verb.dep_ == "pcomp":
            return clauses.subject_of(verb.head.head)  # "X turned to TV after revealing ..."
        if verb.dep_ == "acl" and verb.tag_ == "VBG":
            made = self._medium_made(verb)
            return clauses.subject_of(made) if made is not None else None
        if verb.tag_ == "VBG" and verb.dep_ in ("advcl", "xcomp", "conj"):
            token, carrier = verb, None
            for _ in range(6):
                if token.head.i == token.i:
                    break
                token = token.head
                if carrier is None and token.pos_ in ("VERB", "AUX"):
                    carrier = token  # "He sued Swift, claiming ...": the suer claims
                if token.lemma_.lower() in self.config.reporting_verbs:
                    found = clauses.subject_of(token)
                    if found is not None:
                        return found
            if carrier is not None and clauses.subject_of(carrier) is not None:
                subject = clauses.subject_of(carrier)
                if self.voices.resolve(subject, None) is None:
                    # "Putin made his first remarks on the guarantees agreed in Paris,
                    # telling ...", misparsed with "remarks" as the subject of "agreed":
                    # the first verb above whose subject is someone
                    token = carrier
                    for _ in range(6):
                        if token.head.i == token.i:
                            break
                        token = token.head
                        above = clauses.subject_of(token)
                        if above is not None and self.voices.resolve(above, None) is not None:
                            return above
                return subject
        return clauses.subject_of(verb)

    def _medium_made(self, verb: Any) -> Any | None:
        """ "Lorde has taken out an advert thanking readers for ...": what a medium says its
        author says; the verb that made the medium, unless it reports already ("issued a
        statement saying" is one statement)."""
        medium, made = verb.head, verb.head.head
        if (
            verb.dep_ == "acl"
            and verb.tag_ == "VBG"
            and medium.lemma_.lower() in self.config.media_nouns
            and medium.dep_ in ("dobj", "pobj")
            and made.pos_ in ("VERB", "AUX")
            and made.lemma_.lower() not in self._verbs
        ):
            return made
        return None

    def _says_no_comment(self, verb: Any) -> bool:
        """ "said it would not comment", "said it had no reaction": silence, reported."""
        for clause in verb.children:
            if clause.dep_ not in ("ccomp", "xcomp"):
                continue
            lemma = clause.lemma_.lower()
            if lemma in self.config.silence_verbs - self.config.light_verbs and (
                negations.is_negated(clause, self.config)
            ):
                return True
            if lemma in ("have", "be") and any(
                c.dep_ in ("dobj", "attr")
                and c.lemma_.lower() in SILENCE_NOUNS
                and any(g.dep_ == "det" and g.lower_ == "no" for g in c.children)
                for c in clause.children
            ):
                return True
        return False

    def _reports_clause(self, verb: Any, subject: Any) -> bool:
        """Whether a verb that reports only with a clause has one, with its own subject;
        "shows" and "reveals" report only for a document ("the study shows that ...")."""
        if verb.lemma_.lower() in self.config.document_verbs and (
            subject.lemma_.lower() not in self.config.documents
        ):
            return False
        if verb.dep_ == "parataxis":
            return True
        return any(
            c.dep_ == "ccomp" and any(g.dep_ in clauses.SUBJECT_DEPS for g in c.children)
            for c in verb.children
        )

    def _documented(self, verb: Any) -> bool:
        """ "a review of its website by AFP found ...": a document's findings are evidence
        of what was said, not a speaker's words."""
        subject = clauses.subject_of(verb)
        return subject is not None and subject.lemma_.lower() in self.config.documents

    def _inside_report(self, verb: Any) -> Any | None:
        """The reporting verb whose reported clause holds ``verb``, if any."""
        token = verb
        for _ in range(6):
            if token.head.i == token.i:
                return None
            if token.dep_ in ("ccomp", "parataxis") and (
                token.head.lemma_.lower() in self.config.reporting_verbs
            ):
                return token.head
            token = token.head
        return None
