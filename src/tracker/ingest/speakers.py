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
from tracker.ingest.hidden_speakers import (
    after_saying,
    antecedent,
    gerund_subject,
    named_just_before,
)
from tracker.ingest.nominal_statements import NominalStatements
from tracker.ingest.reported_content import OBJECT_PRONOUNS, answered, reported_content
from tracker.ingest.rules import ExtractionConfig
from tracker.ingest.said import QUOTES, SILENCE_NOUNS, Said, span_of
from tracker.ingest.voices import Speaker, Voices

# What a gerund reports through: a clause, an object, a phrase ("questioning whether ...",
# "questioning the plan", "warning of ...").
_COMPLEMENTS = frozenset(
    {"ccomp", "xcomp", "dobj", "prep", "parataxis", "dative", "attr", "advcl", "acomp", "oprd"}
)
_OPENING = frozenset({'"', "\u201c", "\u00ab"})
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


def _named_after(verb: Any) -> Any | None:
    """ "..., but export growth will require deeper reforms, say experts.": a verb of saying
    after a comma that ends the sentence with the one who says it, parsed as its object."""
    if verb.i == 0 or verb.doc[verb.i - 1].text != ",":
        return None
    if any(c.dep_ in ("nsubj", "nsubjpass", "ccomp") for c in verb.children):
        return None
    named = [c for c in verb.children if c.dep_ in ("dobj", "attr") and c.i > verb.i]
    if len(named) != 1 or named[0].pos_ not in ("NOUN", "PROPN"):
        return None
    rest = verb.doc[named[0].right_edge.i + 1 : verb.sent.end]
    return named[0] if all(t.is_punct for t in rest) else None


def _verdict(verb: Any) -> bool:
    """Whether a verb gives its object a state with a bare adjective, not a clause: "found
    Matt Wright guilty", "deemed the bid invalid"."""
    return any(
        child.dep_ in ("oprd", "ccomp", "xcomp")
        and child.pos_ == "ADJ"
        and not any(c.dep_ in ("aux", "auxpass", "cop", "mark") for c in child.children)
        for child in verb.children
    )


def _set_against(verb: Any) -> bool:
    """ "..., while the Kremlin said it saw no grounds for optimism": a report set against
    the one before it, with a subject of its own, is not inside it."""
    return any(
        c.dep_ == "mark" and c.lower_ in ("while", "whereas") for c in verb.children
    ) and any(c.dep_ == "nsubj" for c in verb.children)


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
        found: list[Said] = []
        for token in sent:
            last = found[-1].speaker if found else previous
            said = self._statement(sent, token, quote, quoted, last, narrated)
            if said is not None:
                found.append(said)
        if not found and quote:
            found += self._before_colon(sent, previous)
        found += self.nominal.find(sent, previous, quote)
        if headline and not found:
            found += self.headlines.find(sent, previous)
        return found

    def _statement(
        self,
        sent: Any,
        token: Any,
        quote: str | None,
        quoted: list[tuple[int, int]],
        last: Speaker | None,
        narrated: Speaker | None,
    ) -> Said | None:
        """What ``token`` reports, when it is a reporting verb with a speaker."""
        verb = self._reporting_verb(token)
        if verb is None:
            return None
        lemma, uttered = verb
        if any(a <= token.idx - sent.start_char < b for a, b in quoted):
            return None  # a verb inside a quotation is part of what was said
        spoken_by = self._speaker(sent, token, quoted, last, narrated)
        if spoken_by is None:
            return None
        subject, speaker = spoken_by
        made = self._medium_made(token)
        if made is None and token.dep_ == "conj" and self._second_report(token):
            # "said prices would rise and urged calm": the mood of the saying, not of the
            # clause the parser joined the second verb to
            made = self._reporter_of(token)
        mood = moods.mood(made if made is not None else token, sent, self.config)
        trailing = token.dep_ == "conj" and _named_after(token) is not None
        if trailing:
            # "..., but growth will require reforms, say experts": the saying is told as
            # it is; the clause it was joined to has the "will"
            mood = replace(mood, modality="actual", negated=False)
        if mood.modality == "possible" and moods.under_allegation(token, self.config):
            mood = replace(mood, modality="actual")  # an allegation's claims, not its voices
        if mood.negated and self._says_none(token):
            mood = replace(mood, negated=False)  # "France says no troops in Ukraine"
        negated = (
            mood.negated
            or bool(self.config.silence_phrases.find(sent.text))
            or self._says_no_comment(token)
        )
        speaks = lemma in self.config.reporting_verbs or uttered
        if not speaks and not negated:
            return None  # "comment", "respond" report speech only when denied it
        if not self._reports_here(token, lemma, subject):
            return None
        clause = reported_content(
            sent,
            token,
            subject,
            self.config.silence_verbs,
            self._second_report,
            attributes=_trailing(token) and not self._voiced_report(token.head),
        )
        if trailing:
            start = token.head.left_edge
            if start.dep_ == "cc":
                start = start.doc[start.i + 1]
            clause = start.doc[start.i : token.i].text.strip(" ,")
        called = _what_called(token)
        if called is not None:
            clause = sent.doc[called.left_edge.i : called.right_edge.i + 1].text
        before = _quoted_before(token)
        if before is not None:
            # "'We have told them,' Ryabkov was quoted as saying": the quotation before
            clause = " ".join(t.text for t in before.subtree).strip(' ,"\u201c\u201d')
        if not quote and clause.casefold() in OBJECT_PRONOUNS:
            return None  # "a Congress that ridicules him" says nothing one can quote
        # a second report's words are its own, not the quotation of the first
        short = len(clause.split()) < 3 and not self._second_report(token)
        content = quote if quote and short else clause
        return Said(
            speaker=speaker,
            verb=lemma,
            mode="direct" if quote and quote[:20] in content else "reported",
            content=" ".join((content or sent.text).split()),
            quote=quote,
            tense=moods.tense(token, self.config),
            negated=negated,
            spoken=speaks and not mood.negated,
            modality=mood.modality,
            habitual=moods.habitual(token, self.config),
            when_text=clauses.clause_text(token),
            speaker_span=span_of(subject, sent),
        )

    def _before_colon(self, sent: Any, previous: Speaker | None) -> list[Said]:
        """ "Vautrin was categorical: "No French soldier is deployed"": a voice described
        by a copula, then a colon and a quotation, says the quotation."""
        colon = next((t for t in sent if t.text == ":"), None)
        if colon is None or colon.i + 1 >= sent.end or sent.doc[colon.i + 1].text not in _OPENING:
            return []
        # the top of the words before the colon: the root, or the verb the parser hung on
        # the quotation
        root = next(
            (
                t
                for t in sent
                if t.i < colon.i
                and t.pos_ in ("VERB", "AUX")
                and (t.head.i == t.i or t.head.i > colon.i)
            ),
            None,
        )
        subject = next((c for c in root.children if c.dep_ == "nsubj"), None) if root else None
        # only a voice described ("was categorical", "was blunt"): not "ignored the
        # question put to it:", "received a letter:"
        if root is None or subject is None or root.lemma_ != "be":
            return []
        if negations.is_negated(root, self.config):
            return []
        speaker = self.voices.resolve(subject, previous)
        if speaker is None:
            return []
        words = sent.doc[colon.i + 1 : sent.end].text.strip(' "\u201c\u201d.')
        if len(words.split()) < 3:
            return []
        return [
            Said(
                speaker=speaker,
                verb=root.lemma_.lower(),
                mode="direct",
                content=" ".join(words.split()),
                quote=words,
                tense=moods.tense(root, self.config),
                when_text=clauses.clause_text(root),
                speaker_span=span_of(subject, sent),
                spoken=True,
            )
        ]

    def _reporting_verb(self, token: Any) -> tuple[str, bool] | None:
        """A verb that may report: its lemma and whether it speaks through its object
        ("raised concerns about"); None for a verb used as a noun or saying nothing."""
        lemma = token.lemma_.lower()
        if lemma not in self._verbs or token.pos_ not in ("VERB", "AUX"):
            return None
        if lemma in moods.QUOTING and any(
            c.dep_ == "prep" and c.lower_ == "as" and any(g.dep_ == "pcomp" for g in c.children)
            for c in token.children
        ):
            return None  # "Interfax cited a Kremlin source as saying": the source says it
        if token.dep_ in ("pobj", "amod", "compound", "nsubj", "csubj", "nsubjpass"):
            return None  # "after weeks of tweeting": a verb used as a noun reports nothing
        if (
            token.tag_ == "VBG"
            and token.dep_ == "advcl"
            and lemma in self.config.silence_verbs
            and not any(c.dep_ in ("ccomp", "xcomp") for c in token.children)
        ):
            return None  # "said ..., responding to online reports": the occasion, not a report
        if _what_called(token) is not None:
            # "summoned the ambassador over what it called 'threats'"; under a verb that
            # reports on its own ("condemned what it called ..."), that verb's report
            if token.head.lemma_.lower() in self._speech and token.head.i != token.i:
                return None
            return lemma, False
        if token.dep_ == "pcomp" and not (
            after_saying(token) or gerund_subject(token) or _quoted_before(token) is not None
        ):
            return None  # "before saying goodbye" reports no clause
        if token.dep_ == "acl" and token.tag_ == "VBN":
            return None  # "the force proposed by Macron": what a noun is, not what was said
        if lemma in self.config.verdict_verbs and _verdict(token):
            return None  # "the court found Wright guilty": a verdict, not words
        if (
            token.dep_ == "advcl"
            and token.tag_ == "VBN"
            and not any(c.dep_ in ("aux", "auxpass", "nsubj") for c in token.children)
        ):
            return None  # "Asked whether Moscow had commented, the embassy ...": it was asked
        if (
            token.dep_ == "advcl"
            and token.tag_ == "VBD"
            and not any(c.dep_ in ("nsubj", "nsubjpass", "mark", "aux") for c in token.children)
        ):
            # "the reassurance force Emmanuel Macron announced in January", a relative
            # clause the parser hung on the main verb: no subject, no mark, told in the past
            return None
        if any(c.dep_ == "dobj" and c.tag_ == "WP" for c in token.children) and not any(
            c.dep_ in ("ccomp", "xcomp") for c in token.children
        ):
            return None  # "What the report says, and what it means": not what it says
        if (
            token.tag_ == "VBG"
            and token.dep_ == "advcl"
            and not any(c.dep_ in _COMPLEMENTS for c in token.children)
        ):
            return None  # "Trump and team face open questioning this week": no words
        uttered = lemma in self.config.speech_verbs and _says_through_object(
            token, self.config.speech_objects
        )
        if (
            lemma in self.config.light_verbs
            and not uttered
            and not any(
                c.dep_ in ("dobj", "nsubjpass") and c.lemma_.lower() in self.config.light_objects
                for c in token.children
            )
        ):
            return None
        if lemma not in self._speech and not (uttered):
            return None
        return lemma, uttered

    def _speaker(
        self,
        sent: Any,
        token: Any,
        quoted: list[tuple[int, int]],
        last: Speaker | None,
        narrated: Speaker | None,
    ) -> tuple[Any, Speaker] | None:
        """Who says what ``token`` reports: the subject in the text and the speaker it is."""
        subject = antecedent(self._speaking_subject(token), token)
        if subject is None:
            return None
        if any(a <= subject.idx - sent.start_char < b for a, b in quoted):
            return None
        if any(t.text == ":" for t in sent.doc[subject.i : token.i]) and subject.i < token.i:
            return None  # "Botswana: Malaria Claims One": a label before a colon says nothing
        if clauses.urged(token):
            return None  # "Government Urged to Review Subsidies": the one urged says nothing
        # "..., say the scientists, but they also caution that ...": a pronoun after a
        # speaker of the same sentence is that speaker
        speaker = self.voices.resolve(subject, last)
        if speaker is None and subject.lower_ in ("he", "she"):
            speaker = narrated or self._named_subject_before(sent, subject)
        if speaker is None:
            return None
        if speaker.side is None:
            speaker = replace(speaker, side=self._side_of_place(token))
        return subject, speaker

    def _named_subject_before(self, sent: Any, pronoun: Any) -> Speaker | None:
        """ "Keir Starmer will seek powers ..., which he said was needed": the person the
        sentence named as its subject before the pronoun."""
        for token in reversed(sent[: pronoun.i - sent.start]):
            if token.dep_ in ("nsubj", "nsubjpass") and token.ent_type_ == "PERSON":
                return self.voices.resolve(token, None)
        return None

    def _reports_here(self, token: Any, lemma: str, subject: Any) -> bool:
        """Whether the statement is the speaker's own: a verb that reports only with a
        clause has one, and it is not inside another speaker's report."""
        ruled_out = lemma == "rule" and any(
            c.dep_ == "prt" and c.lower_ == "out" for c in token.children
        )
        if (
            lemma in self.config.clause_verbs
            and not ruled_out  # "ruled out sending ground troops" says no
            and not self._reports_clause(token, subject)
        ):
            return False  # "the study shows that ..." reports; "the map shows roads" does not
        outer = None if _set_against(token) else self._inside_report(token)
        if outer is not None and subject.head.i == token.i and _subject_before_aside(outer):
            return False  # "Peskov, asked about X, said ...": the aside is no statement
        # "Zelensky said Moscow has yet to respond", "Umerov said Moscow had demanded":
        # the outer speaker's words, not a statement of Moscow's
        return not (
            outer is not None
            and not answered(token, outer)
            and getattr(_subject(outer), "i", -1) != subject.i
            and not self._documented(outer)
        )

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
        named = named_just_before(verb)
        if named is not None:
            return named
        if _what_called(verb) is not None:
            own = next((c for c in verb.children if c.dep_ == "nsubj"), None)
            if own is not None and own.pos_ == "PRON":
                # "the ministry summoned ... over what it called ...": "it" is the subject of
                # the clause the relative sits in
                governor = verb.head
                while governor.pos_ not in ("VERB", "AUX") and governor.head.i != governor.i:
                    governor = governor.head
                return clauses.subject_of(governor) or own
            return own
        own = gerund_subject(verb)
        if own is not None:
            return own
        if verb.dep_ == "pcomp":
            quoted = _quoted_as(verb)
            if quoted is not None:
                return quoted
            return clauses.subject_of(verb.head.head)  # "X turned to TV after revealing ..."
        if verb.dep_ == "acl" and verb.tag_ == "VBG":
            made = self._medium_made(verb)
            return clauses.subject_of(made) if made is not None else None
        if (
            verb.dep_ == "acl"
            and verb.tag_ == "VBD"
            # not "reports that the ambassador warned": a clause with its own subject
            and not any(c.dep_ in ("nsubj", "nsubjpass", "mark") for c in verb.children)
        ):
            # "In a statement posted on Telegram, the Russian embassy in France called ...":
            # a finite verb the parser hung on the phrase before it; its subject is the
            # noun phrase that ends just before it
            before = [
                t
                for t in verb.doc[verb.head.i : verb.i]
                if t.right_edge.i == verb.i - 1
                and t.dep_ in ("appos", "pobj")
                and t.pos_ in ("NOUN", "PROPN")
            ]
            # the apposed noun, not a place inside it ("the embassy in France")
            before.sort(key=lambda t: (t.dep_ == "appos", t.i))
            return before[-1] if before else None
        if verb.tag_ == "VBG" and verb.dep_ in ("advcl", "xcomp", "conj"):
            token, carrier = verb, None
            for _ in range(6):
                if token.head.i == token.i:
                    break
                token = token.head
                if carrier is None and token.pos_ in ("VERB", "AUX"):
                    carrier = token  # "He sued Swift, claiming ...": the suer claims
                if token.lemma_.lower() in self.config.reporting_verbs:
                    found = _subject(token)
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
        trailing = _named_after(verb)
        if trailing is not None:
            return trailing
        aside = _subject_before_aside(verb)
        if aside is not None:
            return aside
        if self._second_report(verb):
            # "said the plan was dangerous and warned"; "said the talks were hard and
            # called for ...", the second verb hung on the clause reported
            return clauses.subject_of(self._reporter_of(verb))
        subjects = [c for c in verb.children if c.dep_ == "nsubj"]
        after = [c for c in subjects if c.i > verb.i]
        if len(subjects) > 1 and after:
            return after[0]  # "No French soldiers in Ukraine yet, says Macron"
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

    def _second_report(self, verb: Any) -> bool:
        """ "Peskov said the plan was dangerous and warned that Moscow would respond": the
        parser makes the second verb of saying a clause of the first, or joins it to the
        clause reported; it is the same speaker's second statement."""
        if (
            verb.lemma_.lower() not in self.config.reporting_verbs
            or any(c.dep_ in clauses.SUBJECT_DEPS for c in verb.children)
            or verb.doc[verb.i - 1].lower_ not in ("and", "but")
        ):
            return False
        if verb.dep_ == "ccomp":
            return verb.i > verb.head.i and verb.head.lemma_.lower() in self.config.reporting_verbs
        reporter = self._reporter_of(verb)
        if reporter is verb:
            return False
        clause = _conj_top(verb.head)
        # "said Russia rejected the plan and demanded more land", "said the suspect was
        # detained and admitted spying": the second verb may be the reported subject's
        # own; only a clause that states how things are or will be ("the talks were
        # difficult", "prices would rise"), of a subject that cannot speak, hands it back
        subject = clauses.subject_of(clause)
        stative = clause.lemma_ == "be" or any(
            c.dep_ == "aux" and c.lower_ in self.config.modal_aux | self.config.future_aux
            for c in clause.children
        )
        # "said the meeting ended without result and warned": an event or a thing
        mute = subject is not None and (
            subject.lemma_.lower() in _MUTE
            or subject.lemma_.lower() in self.config.facts.event_nouns
        )
        return (
            # the tense of the verb of saying: "warns that use of the nets may reduce
            # protection, and calls for research"
            verb.tag_ == reporter.tag_
            and verb.tag_ in ("VBD", "VBZ")
            and (stative or mute)
            and (subject is None or not self._may_speak(subject))
        )

    def _may_speak(self, subject: Any) -> bool:
        """Whether a subject could be the one who speaks: a voice, a person, a role."""
        lemma = subject.lemma_.lower()
        return (
            subject.pos_ in ("PRON", "PROPN")
            or subject.ent_type_ in ("PERSON", "ORG", "NORP", "GPE")
            or lemma in self.config.person_roles
            or lemma in self.config.voices
            # "his counterpart", "her deputy": someone's someone
            or any(c.dep_ == "poss" and c.pos_ == "PRON" for c in subject.children)
            or self.voices.resolve(subject, None) is not None
        )

    def _reporter_of(self, verb: Any) -> Any:
        """The verb of saying whose reported clause ``verb`` is joined to, else ``verb``."""
        if verb.dep_ == "ccomp":
            return verb.head
        clause = _conj_top(verb.head)
        if (
            verb.dep_ == "conj"
            and clause.dep_ == "ccomp"
            and clause.head.i < clause.i < verb.i
            and clause.head.lemma_.lower() in self.config.reporting_verbs
        ):
            return clause.head
        return verb

    def _says_none(self, verb: Any) -> bool:
        """ "France says no troops in Ukraine": a "no" on what a verb of saying reports is
        what was said; "said nothing", "gave no comment" are silence."""
        if verb.lemma_.lower() not in self.config.reporting_verbs or any(
            c.dep_ == "neg" for c in verb.children
        ):
            return False
        return any(
            c.dep_ == "dobj"
            and c.lemma_.lower() not in SILENCE_NOUNS | self.config.light_objects | _UNSAID
            and c.lower_ not in self.config.negators
            and any(g.dep_ == "det" and g.lower_ == "no" for g in c.children)
            # "says no plans to comment": silence planned
            and not any(g.lemma_.lower() in self.config.silence_verbs for g in c.subtree)
            for c in verb.children
        )

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

    def _voiced_report(self, verb: Any) -> bool:
        """ "The ministry said ..., Interfax reported": a report by a voice, whose source
        the trailing verb names."""
        subject = clauses.subject_of(verb)
        return (
            verb.lemma_.lower() in self._speech
            and subject is not None
            and self.voices.resolve(subject, None) is not None
        )

    def _inside_report(self, verb: Any) -> Any | None:
        """The reporting verb whose reported clause holds ``verb``, if any."""
        token = verb
        for _ in range(6):
            if token.head.i == token.i:
                return None
            # "Moscow has still not commented on the plans, a diplomat said": a "said"
            # hung after the clause attributes it; it is not inside "commented"
            attributes = (
                token.i == verb.i
                and token.i > token.head.i
                and (
                    token.dep_ == "parataxis"
                    or (_trailing(token) and not self._voiced_report(token.head))
                )
            )
            if (
                token.dep_ in ("ccomp", "parataxis")
                and not attributes
                and token.head.lemma_.lower() in self.config.reporting_verbs
            ):
                return token.head
            token = token.head
        return None


# Subjects that cannot be the ones speaking: events, gatherings, things.
_MUTE = frozenset(
    {
        "meeting",
        "talk",
        "talks",
        "summit",
        "session",
        "conference",
        "negotiation",
        "vote",
        "ceasefire",
        "truce",
        "deal",
        "agreement",
        "plan",
        "attack",
        "strike",
        "drone",
        "missile",
        "war",
        "fighting",
        "offensive",
        "process",
        "visit",
        "economy",
        "price",
        "situation",
        "call",
        "trip",
        "exercise",
        "operation",
        "arrival",
        "presence",
        "decision",
        "move",
        "announcement",
        "declaration",
        "proposal",
    }
)


def _subject(verb: Any) -> Any | None:
    """A verb's subject, or the name before the aside the parser took it for."""
    return clauses.subject_of(verb) or _subject_before_aside(verb)


def _subject_before_aside(verb: Any) -> Any | None:
    """ "Kremlin spokesman Dmitry Peskov, asked about the contingents, said ...": the
    parser makes the aside the clause and the name its subject; the reporting verb is
    left with none. The name before the aside's commas is who speaks."""
    if any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
        return None
    doc = verb.doc
    if verb.i < 1 or doc[verb.i - 1].text != ",":
        return None
    for aside in verb.children:
        if aside.i > verb.i or aside.tag_ not in ("VBD", "VBN") or aside.dep_ == "conj":
            continue
        subject = next((c for c in aside.children if c.dep_ == "nsubj" and c.i < aside.i), None)
        if subject is not None and doc[aside.i - 1].text == "," and subject.i == aside.i - 2:
            return subject
    return None


def _conj_top(token: Any) -> Any:
    """The first of the conjuncts ``token`` is one of: "were" of "were difficult and
    called"."""
    while token.dep_ == "conj" and token.head.i != token.i:
        token = token.head
    return token


def _quoted_as(verb: Any) -> Any | None:
    """ "Peskov was quoted by TASS as saying ...", "TASS quoted Peskov as saying ...": the
    one quoted speaks, not the agency that quoted him."""
    if verb.head.lower_ != "as" or verb.head.head.lemma_.lower() not in moods.QUOTING:
        return None
    quoting = verb.head.head
    return next((c for c in quoting.children if c.dep_ in ("nsubjpass", "dobj")), None)


# Verbs that name a thing as the speaker sees it: "what it called 'unacceptable threats'".
_NAMING = frozenset({"call", "describe", "term", "dub", "label", "brand", "characterise",
                     "characterize"})  # fmt: skip


def _what_called(verb: Any) -> Any | None:
    """What a free relative of naming says a thing is ("over what it called 'unacceptable
    threats'", "what she described as the 'coalition of the unwilling'"); None if the verb
    is no such relative."""
    if verb.lemma_.lower() not in _NAMING or not any(
        c.dep_ == "dobj" and c.lower_ == "what" for c in verb.children
    ):
        return None
    if not any(c.dep_ == "nsubj" for c in verb.children):
        return None
    for child in verb.children:
        if child.dep_ == "oprd":
            return child
        if child.dep_ == "prep" and child.lower_ == "as":
            return next((g for g in child.children if g.dep_ == "pobj"), None)
    return None


def _quoted_before(verb: Any) -> Any | None:
    """The clause a quoting verb governs before "as saying" with nothing of its own:
    "'We have told our American colleagues this,' Ryabkov was quoted as saying"."""
    if verb.tag_ != "VBG" or any(c.dep_ in ("ccomp", "xcomp", "dobj") for c in verb.children):
        return None
    if verb.head.lower_ != "as" or verb.head.head.lemma_.lower() not in moods.QUOTING:
        return None
    return next((c for c in verb.head.head.children if c.dep_ == "ccomp" and c.i < verb.i), None)


def _trailing(verb: Any) -> bool:
    """ "..., Russian foreign ministry spokeswoman Maria Zakharova told her weekly briefing":
    a verb of saying after a comma, with its subject and nothing it reports, attributes the
    clause before it, however the parser hung it there."""
    if verb.dep_ != "ccomp" or any(c.dep_ in ("ccomp", "xcomp") for c in verb.children):
        return False
    subject = next((c for c in verb.children if c.dep_ == "nsubj" and c.i < verb.i), None)
    return (
        subject is not None
        and subject.left_edge.i > 0
        and verb.doc[subject.left_edge.i - 1].text == ","
    )


# What a "no" on says nothing: "said no more", "answered no questions", "gave no details".
_UNSAID = frozenset({"more", "question", "detail", "word", "plan", "answer"})
