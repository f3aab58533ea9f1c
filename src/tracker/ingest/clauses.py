"""What a clause says about its verb: who did it, whether it did, and in what mood.

Read from spaCy's dependency parse (``neg``, ``aux``, ``mark``, ``xcomp``, ``agent``),
with the word lists in config as the vocabulary, not the mechanism: "has not signed",
"no soldier has crossed", "has yet to sign", "refused to sign" are negated; "will
sign" is future; "could be deployed" modal; "plans to deploy" planned; "if a
ceasefire is agreed" conditional; a sentence ending in "?" a question.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tracker.ingest.rules import ExtractionConfig

# Children that open a clause of their own: their words are not this verb's arguments.
CLAUSE_DEPS = frozenset({"ccomp", "advcl", "relcl", "parataxis", "xcomp", "csubj", "acl"})
SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj", "expl")


@dataclass(frozen=True, slots=True)
class Mood:
    negated: bool
    modality: str  # actual | future | modal | planned | conditional | question
    denied: bool = False


def clause_text(verb: Any) -> str:
    """The verb with its own arguments, without the clauses hanging off it."""
    return " ".join(t.text for t in clause_tokens(verb))


def clause_tokens(verb: Any) -> list[Any]:
    skip: set[int] = set()
    # "France was ready to lead a force": what the adjective governs is another clause too
    owners = [verb, *(c for c in verb.children if c.dep_ in ("acomp", "oprd", "attr"))]
    for owner in owners:
        for child in owner.children:
            if child.dep_ in CLAUSE_DEPS or (
                child.dep_ == "conj" and child.pos_ in ("VERB", "AUX")
            ):
                skip.update(t.i for t in child.subtree)
    return [t for t in verb.subtree if t.i not in skip]


def argument_text(verb: Any) -> str:
    """The verb's subject and objects, inherited subject included; for a relative clause
    ("the ceasefire it signed", "hubs that France set up") the noun it qualifies."""
    parts = [clause_text(verb)]
    subject = subject_of(verb)
    if subject is not None and subject.head.i != verb.i:
        parts.append(phrase(subject))
    if verb.dep_ in ("relcl", "acl") and verb.head.i != verb.i:
        # "Opening of first UK-French hub delayed": the noun with its own phrase
        parts.append(phrase(verb.head))
        noun = verb.head
        for _ in range(4):
            # "the ceasefire between Russia and Ukraine, which came into force", the clause
            # hung on "Russia": the noun the phrase belongs to
            if noun.dep_ not in ("pobj", "conj", "prep") or noun.head.i == noun.i:
                break
            noun = noun.head
            if noun.pos_ in ("NOUN", "PROPN") and noun.dep_ != "conj":
                parts.append(noun.text)
                break
    deps = {c.dep_ for c in verb.children}
    if "auxpass" in deps and "nsubjpass" not in deps:
        # A passive whose subject the parser hung elsewhere: "The guarantees agreed in
        # Paris have been ratified" read with "agreed" as the main verb.
        parts.append(verb.doc[verb.sent.start : verb.i].text)
    if not deps & {"dobj", "attr", "nsubjpass", "prep", "acomp"}:
        # "supports the security framework for Ukraine agreed in Paris", the object read
        # as the subject of a clause of its own
        for child in verb.children:
            if child.dep_ == "ccomp":
                subject = next((c for c in child.children if c.dep_ == "nsubj"), None)
                if subject is not None and subject.i > verb.i:
                    parts.append(phrase(subject))
                    if child.i == subject.right_edge.i + 1:
                        # "supports the security guarantees its allies agreed": the noun
                        # itself read as that clause's verb
                        parts.append(child.text)
    doc = verb.doc
    for prep in verb.children:
        if prep.dep_ != "prep" or any(c.dep_ == "pobj" for c in prep.children):
            continue
        # 'stood "firmly behind" the guarantees agreed in Paris': the preposition's object
        # read as the subject of the clause that follows
        for token in doc[prep.right_edge.i + 1 : min(prep.right_edge.i + 6, verb.sent.end)]:
            if token.dep_ in ("nsubj", "nsubjpass") and token.head.i > token.i:
                parts.append(phrase(token))
                break
            if token.pos_ not in ("PUNCT", "DET", "ADJ", "NOUN", "PROPN"):
                break
    return " ".join(parts)


def phrase(token: Any) -> str:
    """A noun phrase without its relative clauses or appositives' clauses."""
    skip: set[int] = set()
    for child in token.children:
        if child.dep_ in ("relcl", "acl", "advcl", "punct") and child.i > token.i:
            skip.update(t.i for t in child.subtree)
    return " ".join(t.text for t in token.subtree if t.i not in skip).strip(" ,")


def subject_of(verb: Any) -> Any | None:
    """Who does the verb: its subject, the passive agent, else the subject it shares."""
    for child in verb.children:
        if child.dep_ == "agent":
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    return pobj
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    if subjects:
        # the nearest: "As of Tuesday, the eve of Christmas, Moscow had not ..." misparsed
        # with two subjects
        before = [c for c in subjects if c.i < verb.i]
        after = [c for c in subjects if c.i > verb.i]
        if before and after and any(t.text == ":" for t in verb.doc[before[-1].i : verb.i]):
            # "Sudan: AU steps up push, says Bankole Adeoye": the label before the colon
            # is no subject
            return after[0]
        return before[-1] if before else subjects[0]
    for child in verb.children:
        # "the hubs promised to Ukraine remain on paper" misparsed with "promised" as a
        # clause of its own: its subject is this verb's
        # (tagged a past tense too: "the hubs promised to Ukraine remain on paper")
        if (
            child.dep_ == "advcl"
            and child.tag_ in ("VBN", "VBD")
            and child.i < verb.i
            and not any(g.dep_ == "mark" for g in child.children)
        ):
            reduced = next((g for g in child.children if g.dep_ == "nsubj"), None)
            if reduced is not None and not any(
                g.dep_ in ("aux", "auxpass") for g in child.children
            ):
                return reduced
    if verb.dep_ == "acl" and verb.head.i != verb.i:
        # "Washington's decision to withdraw", "the US decision to drop": the noun's owner
        owner = next((c for c in verb.head.children if c.dep_ == "poss"), None)
        if owner is None and verb.tag_ == "VB":
            owner = next(
                (c for c in verb.head.children if c.dep_ == "compound" and c.pos_ == "PROPN"),
                None,
            )
        if owner is not None:
            return owner
    token = verb
    for _ in range(4):
        if token.head.i == token.i or not (
            token.dep_ in ("conj", "xcomp", "advcl")
            or (token.dep_ == "acomp" and token.pos_ == "VERB")  # "is broadly holding"
            or _reduced_main(token)
        ):
            break
        token = token.head
        for child in token.children:
            if child.dep_ == "nsubj":
                return child
    return None


def _reduced_main(verb: Any) -> bool:
    """A finite verb the parser hung under a participle: in "the hubs promised to Ukraine
    remain on paper", "remain" is the main verb and "promised" qualifies the hubs."""
    return (
        verb.dep_ in ("xcomp", "ccomp")
        and verb.tag_ in ("VB", "VBP", "VBZ")
        and verb.head.tag_ in ("VBD", "VBN")
        and not any(c.dep_ in ("aux", "nsubj", "nsubjpass") for c in verb.children)
    )


def _negator(token: Any, config: ExtractionConfig) -> bool:
    if token.dep_ == "neg":
        return True
    if token.lower_ in config.negators and token.dep_ in ("det", "advmod", "neg", "preconj"):
        return True
    # "no longer": the negation hangs off the adverb
    return token.dep_ == "advmod" and any(c.dep_ == "neg" for c in token.children)


def _still_to(verb: Any) -> bool:
    """ "UK, France still to open hubs": not done yet."""
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children) and any(
        c.lower_ in ("still", "yet") for c in verb.children
    )


def is_negated(verb: Any, config: ExtractionConfig) -> bool:
    """The verb is said not to have happened."""
    if any(_negator(c, config) for c in verb.children) or _still_to(verb):
        return True
    for child in verb.children:
        # "No French soldier has crossed", "no ceasefire was signed"
        if child.dep_ in ("nsubj", "nsubjpass", "dobj", "attr") and any(
            g.lower_ in config.negators
            and g.i < child.i
            and g.dep_ in ("det", "neg", "advmod", "preconj")
            for g in child.subtree
        ):
            return True  # "no soldier", "not a single parliament", "not one of the countries"
        if child.dep_ == "dobj" and child.lower_ in ("nothing", "none"):
            return True
        if child.dep_ in ("nsubj", "nsubjpass"):
            # "None of the countries has ratified"; "not a single soldier" where the parser
            # hung the "not" on the phrase before
            before = child.left_edge.i - 1
            if child.lower_ in config.negators or (
                before >= verb.sent.start and child.doc[before].lower_ in ("not", "never")
            ):
                return True
    head = verb.head
    if verb.dep_ in ("xcomp", "ccomp") and head.i != verb.i:
        # "has yet to sign", "is still to sign"
        if any(c.lower_ == "yet" for c in (*head.children, *verb.children)):
            return True
        # "refused to sign", "declined to comment", "failed to reach"
        if head.lemma_.lower() in config.refusal_verbs and verb.dep_ == "xcomp":
            return not is_negated(head, config)  # "did not refuse to sign" is not a refusal
        if verb.dep_ == "xcomp" and is_negated(head, config):
            return True
    return verb.dep_ == "conj" and head.i != verb.i and is_negated_shared(head, verb, config)


def is_negated_shared(head: Any, verb: Any, config: ExtractionConfig) -> bool:
    """'did not meet or sign': a negation before a coordination covers both verbs."""
    return any(c.dep_ == "neg" and c.i < head.i for c in head.children) and not any(
        c.dep_ in ("nsubj", "aux") for c in verb.children
    )


def is_denied(verb: Any, config: ExtractionConfig) -> bool:
    """Inside what someone denied: "denied that troops had arrived", "dismissed reports that"."""
    token = verb
    for _ in range(6):
        if token.head.i == token.i:
            return False
        came_from = token
        token = token.head
        lemma = token.lemma_.lower()
        if lemma in config.deny_verbs and came_from.dep_ in ("ccomp", "dobj", "acl", "xcomp"):
            return not is_negated(token, config)
        if token.pos_ == "NOUN" and lemma in config.report_nouns:
            owner = token.head
            if owner.lemma_.lower() in (config.deny_verbs | config.dismiss_verbs):
                return True
    return False


def _aux_words(verb: Any) -> list[str]:
    return [c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass") or c.tag_ == "MD"]


_AS_ITS_VERB = frozenset({"after", "since", "upon", "on", "by", "while", "in"})


def modality(verb: Any, sentence: Any, config: ExtractionConfig) -> str:
    """actual | future | modal | planned | conditional | question | nominal."""
    if sentence.text.strip().rstrip("\"'\u201d\u2019 ").endswith("?"):
        return "question"
    # "thanked the parliaments for ratifying": thanks, praise and blame are for what was done
    if verb.tag_ == "VBG" and verb.dep_ == "pcomp" and verb.head.lower_ == "for":
        # "thanked the parliaments of the coalition for ratifying", the "for" hung on a noun
        # of the object: the verb the noun phrase belongs to
        owner = verb.head.head
        for _ in range(6):
            if owner.pos_ in ("VERB", "AUX") or owner.head.i == owner.i:
                break
            if owner.dep_ not in ("pobj", "prep", "dobj", "conj", "appos"):
                break
            owner = owner.head
        if owner.lemma_.lower() in config.credit_verbs:
            return "actual"
    # "X turned to television after revealing ...": a gerund after a preposition of time
    # or means, hung on a verb, happened as that verb did
    if (
        verb.tag_ == "VBG"
        and verb.dep_ == "pcomp"
        and verb.head.lower_ in _AS_ITS_VERB
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
    if (
        verb.dep_ == "ROOT"
        and verb.tag_ == "VB"
        and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
        and not _still_to(verb)
    ):
        return "future"  # a headline's "UK, France to set up hubs": what is to come
    if _still_to(verb):
        return "actual"  # "still to open": a state now, not a plan
    generic = ("any", "every", "each")
    if verb.dep_ in ("relcl", "acl") and any(
        c.dep_ == "det" and c.lower_ in generic for c in verb.head.children
    ):
        # "any soldier who set foot in Ukraine", "any ceasefire agreed with Kyiv": whatever
        # might
        return "conditional"
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    done = verb.tag_ in ("VBD", "VBN") and bool({"has", "have", "had"} & set(_aux_words(verb)))
    if subject is not None and any(
        c.dep_ == "det" and (c.lower_ == "any" or (c.lower_ in generic and not done))
        for c in subject.children
    ):
        return "conditional"  # "any US involvement ... would be a mistake"; not "every
        # member has now ratified", which says what happened
    token = verb
    for _ in range(6):
        marks = {c.lower_ for c in token.children if c.dep_ == "mark"}
        if marks & config.conditional_marks:
            return "conditional"
        if "for" in marks and any(c.dep_ == "aux" and c.lower_ == "to" for c in token.children):
            return "planned"  # "calls for Britain to start building hubs": what is wanted
        past = token.tag_ == "VBD" or {"had", "was", "were", "did"} & set(_aux_words(token))
        if marks & config.temporal_marks and not past:
            return "conditional"  # "once it is signed" may never come; "after it was" did
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
        words = _aux_words(token)
        if any(w in config.future_aux for w in words):
            return "future"
        if any(w in config.possible_aux for w in words):
            return "possible"  # "may walk away": what might be
        if any(w in config.modal_aux for w in words):
            return "modal"
        if (
            token.dep_ == "acl"
            and token.head.lemma_.lower() in config.decision_nouns
            and token.head.head.i != token.head.i
        ):
            # "regretted Washington's decision to withdraw": a decision taken is an act;
            # its mood is that of the clause the noun is in
            token = token.head.head
            continue
        # a bare infinitive ("... to ratify their commitments") states a purpose or a call
        if (
            token.i == verb.i
            and token.tag_ == "VB"
            and token.dep_ not in ("ROOT", "xcomp")
            and not any(c.lower_ in ("do", "does", "did") for c in token.children)
            and not _reduced_main(token)
        ):
            return "planned"
        if token.dep_ == "acl" and token.tag_ == "VBN" and token.head.head.i != token.head.i:
            # "soldiers deployed to Ukraine would be regarded as invaders": the mood of the
            # clause the noun belongs to
            token = token.head.head
            continue
        if token.dep_ in ("xcomp", "acl") and token.head.i != token.i and not _reduced_main(token):
            head = token.head
            planning = head.lemma_.lower() in config.planning or head.lower_ in config.planning
            # "plans to deploy", "the plan to deploy"; not "US support, restored in July"
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
            token = head
            continue
        if token.dep_ in ("conj", "advcl") and token.head.i != token.i:
            if token.dep_ == "conj" and not any(c.dep_ in SUBJECT_DEPS for c in token.children):
                token = token.head
                continue
            if token.dep_ == "advcl":
                if _factive(token, config):
                    break  # "Now that the ceasefire is in force, France will ...": it is
                token = token.head
                continue
        break
    return "actual"


def _unrealised(verb: Any, config: ExtractionConfig) -> bool:
    """Whether a verb is a future or a modal: what waits on an "until" clause has not come."""
    return bool(set(_aux_words(verb)) & (config.future_aux | config.modal_aux))


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


def mood(verb: Any, sentence: Any, config: ExtractionConfig) -> Mood:
    return Mood(
        negated=is_negated(verb, config),
        modality=modality(verb, sentence, config),
        denied=is_denied(verb, config),
    )


def tense(verb: Any, config: ExtractionConfig) -> str:
    if any(w in config.future_aux for w in _aux_words(verb)):
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


# Verbs that take whom they move and a "to" clause: "urged the UN to act".
_MOVING = frozenset({"urge", "ask", "tell", "order", "press", "encourage", "advise", "invite"})


def urged(verb: Any) -> bool:
    """A headline's passive without its auxiliary: in "UN urged to launch ..." the UN is
    the one urged, not the one speaking; with no one urged the verb is not active."""
    return (
        (verb.tag_ == "VBN" or verb.lemma_.lower() in _MOVING)
        and not any(c.dep_ in ("aux", "auxpass", "agent", "dobj", "dative") for c in verb.children)
        and any(
            c.dep_ == "xcomp" and any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children)
            for c in verb.children
        )
    )
