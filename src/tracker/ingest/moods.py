"""A clause's mood and tense: whether its verb happened, will, may, is planned, or waits
on a condition.

Read from spaCy's dependency parse (``aux``, ``mark``, ``xcomp``, ``acl``) with the word
lists in config as the vocabulary, not the mechanism: "will sign" is future; "could be
deployed" modal; "plans to deploy" planned; "if a ceasefire is agreed" conditional; a
clause whose first stop after it is a "?" a question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from tracker.ingest import clauses
from tracker.ingest.clauses import SUBJECT_DEPS, ranked_first_to, reduced_main
from tracker.ingest.negations import is_denied, is_negated, still_to
from tracker.ingest.rules import ExtractionConfig, Modality


@dataclass(frozen=True, slots=True)
class Mood:
    negated: bool
    modality: Modality
    denied: bool = False


def mood(verb: Any, sentence: Any, config: ExtractionConfig) -> Mood:
    if _answered_no(verb, sentence):
        return Mood(negated=True, modality="actual", denied=False)
    return Mood(
        negated=is_negated(verb, config),
        modality=modality(verb, sentence, config),
        denied=is_denied(verb, config),
    )


# A reply that is a plain no: "Categorically not.", "Not yet, and not until ...", "No."
_NO_ANSWER = re.compile(
    r"^(?:(?:categorically|absolutely|certainly|definitely|flatly|simply|of course)\s+)?"
    r"(?:no|not|none|never|nothing|nobody)(?:\s+(?:yet|at all|so far))?\s*(?:[.,;!]|$)",
    re.IGNORECASE,
)


# How a verb may hang on the one the question's "whether" marks and still be what is asked.
_SAME_CLAUSE = frozenset({"conj", "xcomp", "ccomp", "acomp", "attr"})


def _answered_no(verb: Any, sentence: Any) -> bool:
    """ "Asked whether any French soldiers were in Ukraine, an Elysee official replied:
    "Categorically not."": the question's clause, answered no, is said not to be so."""
    token = verb
    for _ in range(6):
        if any(c.dep_ == "mark" and c.lower_ in ("whether", "if") for c in token.children):
            asked = token.head
            if not (asked.lemma_ == "ask" and asked.tag_ == "VBN" and asked.dep_ == "advcl"):
                return False
            colon = next((t for t in sentence if t.text == ":" and t.i > asked.right_edge.i), None)
            if colon is None:
                return False
            reply = sentence.doc[colon.i + 1 : sentence.end].text.strip(" \"\u201c\u201d'")
            return bool(_NO_ANSWER.match(reply))
        # "whether the troops France deployed would stay": only the question's own verb
        if token.dep_ not in _SAME_CLAUSE or token.head.i == token.i:
            return False
        token = token.head
    return False


def under_allegation(verb: Any, config: ExtractionConfig) -> bool:
    """Whether the verb sits in what someone claimed or alleged, or what a noun only
    reports ("reports that the ambassador warned ..."): a speaker quoted there still
    spoke, whatever the claim."""
    token = verb
    for _ in range(6):
        if token.head.i == token.i:
            return False
        if _alleged(token, config) or _reported_by_noun(token, config):
            return True
        token = token.head
    return False


def _alleged(token: Any, config: ExtractionConfig) -> bool:
    """Whether the clause is what a verb of alleging reports: "..., Russian TV claimed",
    "claimed to have found", "a video purporting to show French soldiers marching"."""
    if token.dep_ not in ("ccomp", "xcomp") or token.head.i == token.i:
        return False
    head = token.head
    if head.lemma_.lower() in config.allege_verbs:
        return True
    return (
        head.dep_ in ("xcomp", "advcl")
        and any(c.dep_ == "aux" and c.lower_ == "to" for c in head.children)
        and head.head.lemma_.lower() in config.allege_verbs
    )


def tense(verb: Any, config: ExtractionConfig) -> str:
    if any(w in config.future_aux for w in aux_words(verb)):
        return "future"
    return "past" if verb.tag_ in ("VBD", "VBN") else "present"


def habitual(verb: Any, config: ExtractionConfig) -> bool:
    """A standing position ("has repeatedly warned"), not a reaction to the news."""
    for child in verb.children:
        if child.dep_ in ("advmod", "npadvmod") and child.lemma_.lower() in config.habitual:
            return True
        if child.dep_ == "prep" and " ".join(t.lower_ for t in child.subtree) in (
            "for years",
            "for months",
            "for decades",
        ):
            return True
    return False


def told_in_past(verb: Any) -> bool:
    """Whether a verb tells of the past: "signed", "had signed", "was signed"."""
    return verb.tag_ == "VBD" or bool({"had", "was", "were", "did"} & set(aux_words(verb)))


def _asked(verb: Any, sentence: Any) -> bool:
    """Whether a verb is in a question: the first stop after it is a question mark. "Is
    Washington Still Behind The Guarantees? Senators Want Answers" asks its first part and
    tells its last; "Moscow rejects plan. Will Kyiv sign?" tells its first."""
    for token in sentence.doc[verb.i : sentence.end]:
        if token.text == "?":
            return True
        if token.text in (".", "!"):
            return False
    return False


def aux_words(verb: Any) -> list[str]:
    """The words of a verb's auxiliaries and modals: "would", "has", "been"."""
    return [c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass") or c.tag_ == "MD"]


# Verbs that report someone "as saying": "quoted Peskov as saying", "was cited as saying".
QUOTING = frozenset({"quote", "cite"})
_AS_ITS_VERB = frozenset({"after", "since", "upon", "on", "by", "while", "in"})
_GENERIC = ("any", "every", "each")


def modality(verb: Any, sentence: Any, config: ExtractionConfig) -> Modality:
    """actual | future | modal | planned | conditional | question | nominal."""
    if _asked(verb, sentence):
        return "question"
    found = _of_gerund(verb, sentence, config) or _of_infinitive(verb)
    if found is not None:
        return found
    if _under_way(verb, config):
        return "planned"  # "engineers are still building the hub": not built yet
    if _imperative(verb):
        return "planned"  # "Opinion: send the French troops now": a call
    if _in_fiction(verb, config):
        return "fiction"
    if _whatever_might(verb) or _waits_on(verb, config):
        return "conditional"
    return _through_clauses(verb, config)


def _under_way(verb: Any, config: ExtractionConfig) -> bool:
    """An act told in its progressive whose progress means it is not done: "are still
    building", "is being set up"; not "is operating", which says it is."""
    if verb.lemma_.lower() not in config.under_way:
        return False
    words = aux_words(verb)
    if verb.tag_ == "VBG":
        return any(w in _BE_FORMS for w in words)
    return verb.tag_ == "VBN" and "being" in words


_BE_FORMS = frozenset({"is", "are", "was", "were", "am", "'s", "'re", "be", "been"})


def _waits_on(verb: Any, config: ExtractionConfig) -> bool:
    """ "The guarantees count as ratified only once all 35 have done so": a verb not told
    in the past with an "only if", "only once" clause of its own holds only then."""
    if told_in_past(verb) or {"has", "have"} & set(aux_words(verb)):
        return False
    if verb.lemma_.lower() in config.reporting_verbs:
        return False  # "Moscow warns it will respond if ...": the warning is made
    return any(
        c.dep_ in ("advcl", "ccomp")
        and c.i > verb.i
        and any(
            g.dep_ == "mark"
            and g.lower_ in config.conditional_marks
            and any(o.lower_ == "only" and o.i == g.i - 1 for o in (*c.children, *g.children))
            for g in c.children
        )
        for c in verb.children
    )


def _in_fiction(verb: Any, config: ExtractionConfig) -> bool:
    """What a work of fiction tells: "French forces are deployed behind Russian lines in
    'Operation Dnipro', a thriller"; "a novel about French troops sent to Odesa"."""
    token = verb
    for _ in range(8):  # the work the clause describes, tells or is set in
        if _work(token, config) or any(
            # "'Reassurance', an eight-part series, follows ...": the subject or its apposition
            (
                c.dep_ == "nsubj"
                and any(_work(w, config) for w in (c, *c.children) if w is c or w.dep_ == "appos")
            )
            or (
                c.dep_ == "prep"
                and c.lower_ == "in"
                and (token.i == verb.i or c.i < verb.i)  # "In a war game run by RUSI, ..."
                and any(_set_in(o, config) for o in c.children if o.dep_ == "pobj")
            )
            for c in token.children
        ):
            return True
        if token.head.i == token.i:
            break
        token = token.head
    return any(
        (_work(t, config) and t.dep_ == "appos")
        or (t.dep_ == "pobj" and t.head.lower_ == "in" and _set_in(t, config))
        for t in clauses.clause_tokens(verb)
    )


def _set_in(noun: Any, config: ExtractionConfig) -> bool:
    """ "in a war game run by ...", "in 'Operation Dnipro'": a work a clause is set in."""
    return _work(noun, config) or noun.ent_type_ == "WORK_OF_ART"


def _work(token: Any, config: ExtractionConfig) -> bool:
    """A noun naming a work: "a thriller", "the film"; not "a series of strikes", "a
    documentary series"."""
    return (
        token.pos_ in ("NOUN", "PROPN")
        and token.lemma_.lower() in config.fiction_nouns
        and not any(
            (c.dep_ == "prep" and c.lower_ == "of") or c.lemma_.lower() == "documentary"
            for c in token.children
        )
    )


def _of_gerund(verb: Any, sentence: Any, config: ExtractionConfig) -> Modality | None:
    """The mood of a gerund, or of a participle after "being", by what it hangs on."""
    # "thanked the parliaments for ratifying": thanks, praise and blame are for what was done
    if (
        verb.tag_ == "VBG"
        and verb.dep_ == "pcomp"
        and verb.head.lower_ == "for"
        and _credited(verb, config)
    ):
        return "actual"
    # "X turned to television after revealing ...": a gerund after a preposition of time
    # or means, hung on a verb, happened as that verb did
    # "was quoted as saying": as the quoting did
    quoted = verb.head.lower_ == "as" and verb.head.head.lemma_.lower() in QUOTING
    if (
        verb.tag_ == "VBG"
        and verb.dep_ == "pcomp"
        and (verb.head.lower_ in _AS_ITS_VERB or quoted)
        and verb.head.head.pos_ in ("VERB", "AUX")
        and verb.head.head.i != verb.i
    ):
        return modality(verb.head.head, sentence, config)
    # "the importance of the countries ratifying": a gerund names the act, asserts nothing;
    # "With the ceasefire holding, ...": with its own subject after "with", it does
    absolute = verb.head.lower_ == "with" and any(c.dep_ == "nsubj" for c in verb.children)
    if (
        verb.tag_ == "VBG"
        and verb.dep_ in ("pcomp", "pobj", "amod", "compound", "acl", "nsubj")
        and not any(c.dep_ in ("aux", "auxpass") for c in verb.children)
        and not absolute
    ):
        return "nominal"
    if verb.dep_ in ("acl", "pcomp", "pobj") and any(
        c.dep_ in ("aux", "auxpass") and c.lower_ == "being" for c in verb.children
    ):
        return "nominal"  # "within 30 days of a ceasefire being signed"
    return None


def _credited(verb: Any, config: ExtractionConfig) -> bool:
    """ "thanked the parliaments of the coalition for ratifying", the "for" hung on a noun
    of the object: whether the verb the noun phrase belongs to gives credit."""
    owner = verb.head.head
    for _ in range(6):
        if owner.pos_ in ("VERB", "AUX") or owner.head.i == owner.i:
            break
        if owner.dep_ not in ("pobj", "prep", "dobj", "conj", "appos"):
            break
        owner = owner.head
    return bool(owner.lemma_.lower() in config.credit_verbs)


def _of_infinitive(verb: Any) -> Modality | None:
    if (
        verb.dep_ == "ROOT"
        and verb.tag_ == "VB"
        and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
        and not still_to(verb)
    ):
        return "future"  # a headline's "UK, France to set up hubs": what is to come
    if still_to(verb):
        return "actual"  # "still to open": a state now, not a plan
    if (
        verb.dep_ == "xcomp"
        and verb.tag_ == "VB"
        and verb.head.lemma_ == "be"
        and verb.head.pos_ == "AUX"
        and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
    ):
        return "future"  # "France and Britain are to open hubs": what is arranged to come
    return None


def _whatever_might(verb: Any) -> bool:
    """ "any soldier who set foot in Ukraine", "any ceasefire agreed with Kyiv": whatever
    might; "any US involvement ... would be a mistake"; not "every member has now
    ratified", which says what happened."""
    if verb.dep_ in ("relcl", "acl") and any(
        c.dep_ == "det" and c.lower_ in _GENERIC for c in verb.head.children
    ):
        return True
    if verb.dep_ == "relcl" and _defines(verb.head):
        return True
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    done = verb.tag_ in ("VBD", "VBN") and bool({"has", "have", "had"} & set(aux_words(verb)))
    return subject is not None and any(
        c.dep_ == "det" and (c.lower_ == "any" or (c.lower_ in _GENERIC and not done))
        for c in subject.children
    )


def _defines(noun: Any) -> bool:
    """ "A guarantee that has not been ratified is a promise, nothing more": an
    indefinite noun with its relative clause, subject of a present "is", says what any
    such thing is, not what one did."""
    owner = noun.head
    return (
        noun.dep_ == "nsubj"
        and any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in noun.children)
        and owner.lemma_ == "be"
        and owner.tag_ in ("VBZ", "VBP")
    )


def _through_clauses(verb: Any, config: ExtractionConfig) -> Modality:
    """The mood the clause's own words give, else that of the clause it hangs on."""
    token = verb
    for _ in range(6):
        found = _marked(token, config) or _auxiliary(token, config)
        if found is not None:
            return found
        found, governor = _governor(token, verb, config)
        if found is not None:
            return found
        if governor is None:
            break
        token = governor
    return "actual"


def _marked(token: Any, config: ExtractionConfig) -> Modality | None:
    """The mood a clause's mark, or the word order of a condition, gives it."""
    marks = {c.lower_ for c in token.children if c.dep_ == "mark"}
    past = told_in_past(token)
    # "... to Ukraine once a ceasefire is signed", the parser making "once" an adverb and
    # "signed" the main verb: just before the subject, it still opens the clause (told in
    # the past, "once Britain opened its hub there", it happened)
    openers = {c.left_edge.i - 1 for c in token.children if c.dep_ in SUBJECT_DEPS}
    # told in the past of what was still to come: "said troops would be welcome guests
    # once a ceasefire was signed"
    held = token.head.head if token.head.dep_ in ("acomp", "attr") else token.head
    if not past or _unrealised(held, config):
        marks |= {
            c.lower_
            for c in token.children
            if c.dep_ == "advmod" and c.i in openers and c.lower_ in ("once", "when")
        }
    if token.dep_ == "conj":
        # "none would go before a ceasefire was signed", the parser making "before" a
        # preposition with nothing to govern and the clause a conjunct
        marks |= {
            t.lower_
            for t in token.doc[min(openers, default=token.i) : min(openers, default=token.i) + 1]
            if t.dep_ == "prep" and not list(t.children) and t.lower_ in config.temporal_marks
        }
    if any(
        c.dep_ == "mark" and c.lower_ == "as" and c.i >= 1 and token.doc[c.i - 1].lower_ == "soon"
        for c in token.children
    ):
        marks.add("as soon as")
    if marks & config.conditional_marks:
        return "conditional"
    if "for" in marks and any(c.dep_ == "aux" and c.lower_ == "to" for c in token.children):
        return "planned"  # "calls for Britain to start building hubs": what is wanted
    if marks & config.temporal_marks and not past:
        return "conditional"  # "once it is signed" may never come; "after it was" did
    if marks & config.temporal_marks and _unrealised(token.head, config):
        # "none would go before a ceasefire was signed": told in the past of what was
        # still to come
        return "conditional"
    if marks & {"until", "till"} and (
        _unrealised(token, config) or _unrealised(token.head, config)
    ):
        # "would not exist until Russia agreed to stop": not yet (the parser may hang
        # the "would not" of the ellipsis on the "until" clause itself)
        return "conditional"
    if _after_time_noun(token, config) and not past:
        return "conditional"  # "could do so the moment a ceasefire is signed"
    if _inverted(token, config):
        return "conditional"  # "Should Washington withdraw its support, ..."
    return None


def _auxiliary(token: Any, config: ExtractionConfig) -> Modality | None:
    words = aux_words(token)
    if token.tag_ == "VBG" and any(
        c.dep_ == "aux" and c.lemma_.lower() in (config.not_done_verbs | config.stance_verbs)
        for c in token.children
    ):
        return "planned"  # "voters oppose sending soldiers", the verb read as an auxiliary
    if any(w in config.future_aux for w in words):
        return "future"
    if any(w in config.possible_aux for w in words):
        return "possible"  # "may walk away": what might be
    if token.tag_ == "VBN" and "have" in words and any(w in config.modal_aux for w in words):
        return "conditional"  # "should never have backed": what might have been, not a stand
    if any(w in config.modal_aux for w in words):
        return "modal"
    return None


def backshifted(token: Any, config: ExtractionConfig) -> bool:
    """Whether a verb's own "would" is the "will" of what a verb of saying in the past
    reports: "Parnell said the US would back them"."""
    while token.dep_ == "xcomp" and token.head.i != token.i:
        token = token.head  # "would continue to support them"
    if "would" not in aux_words(token) or "have" in aux_words(token):
        return False
    if any(
        c.dep_ == "advcl"
        and any(m.dep_ == "mark" and m.lower_ in config.conditional_marks for m in c.children)
        for c in token.children
    ):
        return False  # "would back them if Europe paid": on a condition still
    clause = token
    while clause.dep_ == "conj" and clause.head.i != clause.i:
        clause = clause.head
    reporter = clause.head
    doc = token.doc
    return (
        clause.dep_ == "ccomp"
        and reporter.tag_ == "VBD"
        and reporter.lemma_.lower() in config.reporting_verbs
        # told after the verb in the reporter's words, not quoted in the speaker's own
        and clause.left_edge.i > reporter.i
        and not any(t.is_quote for t in doc[reporter.i : token.i])
    )


def _governor(token: Any, verb: Any, config: ExtractionConfig) -> tuple[Modality | None, Any]:
    """When a clause's own words say nothing: its mood, or the clause whose mood it takes,
    or neither when it stands on its own (it happened)."""
    if _alleged(token, config) and not is_negated(token.head, config):
        return "possible", None  # "French troops have been deployed, Russian TV claimed"
    if (
        token.dep_ == "acl"
        and token.head.lemma_.lower() in config.decision_nouns
        and token.head.head.i != token.head.i
    ):
        # "regretted Washington's decision to withdraw": a decision taken is an act;
        # its mood is that of the clause the noun is in
        return None, token.head.head
    if ranked_first_to(token):
        return None, token.head.head  # "Denmark became the first country to ratify"
    # a bare infinitive ("... to ratify their commitments") states a purpose or a call,
    # as does a passive one ("his call for the guarantees to be ratified")
    if (
        token.i == verb.i
        and (token.tag_ == "VB" or _passive_infinitive(token))
        and token.dep_ not in ("ROOT", "xcomp")
        and not any(c.lower_ in ("do", "does", "did") for c in token.children)
        and not reduced_main(token)
    ):
        return "planned", None
    if _mandated(token, config):
        return "planned", None  # "demanded that French troops leave Ukraine": a demand
    content = _noun_content(token, config)
    if content is not None:
        return content
    if token.dep_ == "acl" and token.tag_ == "VBN" and token.head.head.i != token.head.i:
        # "soldiers deployed to Ukraine would be regarded as invaders": the mood of the
        # clause the noun belongs to, however far down a list ("French soldiers and
        # British troops stationed across Ukraine")
        noun = token.head
        while noun.dep_ == "conj" and noun.head.i != noun.i:
            noun = noun.head
        return None, noun.head
    if token.dep_ in ("xcomp", "acl") and token.head.i != token.i and not reduced_main(token):
        return _wanted(token, config), token.head
    if token.dep_ == "conj" and token.head.i != token.i:
        if not any(c.dep_ in SUBJECT_DEPS for c in token.children):
            return None, token.head
        return None, None
    if token.dep_ == "csubj" and token.head.i != token.i:
        # "French soldiers sent to Ukraine would not be peacekeepers", the participle read
        # as a clause of its own: the mood of the verb it is the subject of
        return None, token.head
    if token.dep_ == "advcl" and token.head.i != token.i:
        if (
            token.tag_ == "VBD"
            and token.lemma_.lower() in config.reporting_verbs
            and any(c.dep_ == "mark" and c.lower_ in ("while", "whereas") for c in token.children)
        ):
            return None, None  # ", while the Kremlin said ...": it did, whatever the other
        if _factive(token, config):
            return None, None  # "Now that the ceasefire is in force, France will ...": it is
        return None, token.head
    return None, None


def _passive_infinitive(token: Any) -> bool:
    """ "to be ratified": a participle whose only auxiliaries are "to" and "be"."""
    auxiliaries = [c.lower_ for c in token.children if c.dep_ in ("aux", "auxpass")]
    return token.tag_ == "VBN" and auxiliaries == ["to", "be"]


# What a report proved to be: "reports that ... turned out to be accurate".
_BORNE_OUT = frozenset({"true", "accurate", "correct", "right", "founded", "well-founded"})


def _reported_by_noun(token: Any, config: ExtractionConfig) -> bool:
    """ "reports that the ambassador warned ...": a clause a report noun only reports."""
    return _noun_content(token, config) == ("possible", None) and (
        token.head.lemma_.lower() in config.report_nouns
    )


def _noun_content(token: Any, config: ExtractionConfig) -> tuple[Modality | None, Any] | None:
    """The that-clause a noun holds, or None when the clause is no such thing. Reported,
    hoped or feared ("rumours that a ceasefire had been signed", "fears that Washington
    had withdrawn"), or denied to exist ("no confirmation that ..."), it is not told as
    so; it is when the report is confirmed or denied, and when the noun tells it ("the
    news that ...", "Washington's statement that ...")."""
    noun = token.head
    if (
        token.dep_ not in ("acl", "ccomp")
        or noun.i == token.i
        or noun.pos_ != "NOUN"
        or not any(c.dep_ == "mark" and c.lower_ == "that" for c in token.children)
        or not any(c.dep_ in SUBJECT_DEPS for c in token.children)
    ):
        return None
    lemma = noun.lemma_.lower()
    owner = noun.head
    if owner.i != noun.i and owner.lemma_.lower() in (
        config.deny_verbs | config.dismiss_verbs | config.confirm_verbs
    ):
        return None, owner  # "denied reports that", "confirmed reports that"
    if noun.dep_ == "nsubj" and any(
        c.dep_ == "acomp" and c.lower_ in _BORNE_OUT
        for g in (owner, *owner.children)
        for c in g.children
    ):
        return None, owner  # "reports that ... turned out to be accurate"
    denied = any((c.dep_ == "det" and c.lower_ == "no") or c.dep_ == "neg" for c in noun.children)
    if denied and lemma not in ("doubt", "question"):
        return "possible", None  # "no confirmation that"; not "no doubt that"
    if lemma in config.report_nouns or lemma in config.unsure_nouns:
        return "possible", None
    return None, owner if owner.i != noun.i else None


def _mandated(token: Any, config: ExtractionConfig) -> bool:
    """ "Moscow demanded that French troops leave", "the call that allies ratify": a
    that-clause in the bare present under a verb or noun of demanding is what is asked
    for, not what is (an indicative after "demanded" would be "left"). So is one after an
    adjective of need ("it is vital that the parliaments ratify"); "it is crucial that the
    ceasefire is holding" tells what is."""
    head = token.head
    if head.lemma_ == "be" and any(
        c.dep_ == "acomp" and c.lower_ in config.mandative for c in head.children
    ):
        head = next(c for c in head.children if c.dep_ == "acomp")
    # "that French troops be withdrawn": the passive's bare "be"
    auxiliaries = [c for c in token.children if c.dep_ in ("aux", "auxpass")]
    bare = token.tag_ in ("VB", "VBP") and token.lemma_ != "be" and not auxiliaries
    bare_passive = token.tag_ == "VBN" and [a.lower_ for a in auxiliaries] == ["be"]
    return (
        token.dep_ in ("ccomp", "acl")
        and (bare or bare_passive)
        and head.i != token.i
        and (head.lemma_.lower() in config.mandative or head.lower_ in config.mandative)
        and any(c.dep_ == "mark" and c.lower_ == "that" for c in token.children)
        and any(c.dep_ in ("nsubj", "nsubjpass") for c in token.children)
    )


def _wanted(token: Any, config: ExtractionConfig) -> Modality | None:
    """ "plans to deploy", "the plan to deploy", "is going to": what the verb a clause
    complements makes of it; not "US support, restored in July"."""
    head = token.head
    if (
        token.tag_ == "VBG"
        and token.dep_ == "xcomp"
        and head.lemma_.lower() in (config.not_done_verbs | config.stance_verbs)
    ):
        return "planned"  # "oppose sending soldiers", "considered deploying troops"
    planning = head.lemma_.lower() in config.planning or head.lower_ in config.planning
    if planning and (head.pos_ != "NOUN" or token.tag_ == "VB"):
        return "planned"
    if head.lemma_ == "go" and head.tag_ == "VBG":
        return "future"
    if (
        token.dep_ == "xcomp"
        and head.pos_ == "VERB"
        and head.lemma_.lower() not in config.implicative
        and any(c.dep_ == "aux" and c.lower_ == "to" for c in token.children)
    ):
        return "planned"  # "pressure is mounting on parliaments to ratify"
    return None


def _unrealised(verb: Any, config: ExtractionConfig) -> bool:
    """Whether a verb is a future or a modal: what waits on an "until" clause has not come."""
    return bool(set(aux_words(verb)) & (config.future_aux | config.modal_aux))


def _imperative(verb: Any) -> bool:
    """A bare verb that opens its sentence, or the words after a colon, with no subject and
    no auxiliary: an order or a call."""
    if verb.dep_ != "ROOT" or verb.tag_ != "VB":
        return False
    doc = verb.doc
    # "Opinion: send the troops now": a label before the colon is no subject
    if any(
        c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass")
        and not any(t.text == ":" for t in doc[c.i : verb.i])
        for c in verb.children
    ):
        return False
    before = [t for t in verb.sent if t.i < verb.i and not t.is_punct]
    return not before or doc[verb.i - 1].text == ":"


def _factive(verb: Any, config: ExtractionConfig) -> bool:
    """A clause whose mark says it is so: "because", "although", "now that"."""
    marks = [c for c in verb.children if c.dep_ == "mark"]
    if any(m.lower_ in config.factive_marks for m in marks):
        return True
    return any(m.lower_ == "that" for m in marks) and any(
        c.lower_ == "now" and c.i < verb.i for c in verb.subtree
    )


def _after_time_noun(verb: Any, config: ExtractionConfig) -> bool:
    """ "the moment a ceasefire is signed", "the day the hubs open": the clause that a noun
    of time introduces, however the parser hung it."""
    if verb.dep_ == "relcl" and verb.head.lemma_.lower() in config.temporal_nouns:
        return True
    doc = verb.doc
    return any(
        doc[s.left_edge.i - 1].lemma_.lower() in config.temporal_nouns
        and doc[s.left_edge.i - 2].lower_ == "the"
        for s in verb.children
        if s.dep_ in ("nsubj", "nsubjpass") and s.left_edge.i >= 2
    )


def _inverted(verb: Any, config: ExtractionConfig) -> bool:
    """ "Should Washington withdraw", "Were France to deploy": an auxiliary put before the
    subject of a clause that hangs on another is a condition."""
    if verb.dep_ != "advcl":
        return False
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    return subject is not None and any(
        c.dep_ in ("aux", "auxpass")
        and c.lower_ in config.inverting_aux
        and c.i < subject.i
        and c.i == verb.left_edge.i
        for c in verb.children
    )
