"""Quoted speech and who said it, plus the attribution cues ("X said", "according to X")
that :mod:`storyline.analyse.figures` uses to credit a number to its source.

Our own rules rather than a library: a quote attributor such as textacy's
``direct_quotations`` would be a large dependency for one function, does not resolve "he
added" or "the spokesman said" to a name, and does not handle the mix of curly, straight and
PTB (````...''``) quotes in scraped news. The rules here work on the parse we already have.

A quotation is speech when it holds a clause of its own (a finite verb with its subject inside
the marks, or a verb when it opens the sentence); a quoted phrase inside the reporter's
sentence ('citing a "tremendous outpouring of support"') is a fragment, not a quote.

Its speaker is the subject of the reporting verb that governs it: a verb of the quote's own
sentences (preferring one the quotation is a complement of, or one that interrupts it), else
a bare "X said." right after it, else the reporting verb of the sentence before (a colon, or
"X said ... ." followed by the quotation), else the speaker of the quotation it continues.
The subject is read by grammar: the name it holds or its apposition (not a possessive: in
"Netanyahu's rival, Benny Gantz, said" the speaker is Gantz), an organisation, a statement
"from" someone, a role ("the attorney said") resolved to the person the text introduced with
that role, "he"/"she" resolved to the last person speaking or the subject of a recent
sentence. A subject that names no person or organisation ("judges said", "a statement
said") leaves the quote unattributed rather than credited to a wrong or empty name.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from storyline.analyse.nlp import entities_in, lemma_of, sentences_of
from storyline.model import Article, Citation, Quote
from storyline.vocabulary import (
    ENTITY_LABELS,
    ROLE_NOUNS,
    SPEAKER_TITLES,
    SUBJECT_DEPENDENCIES,
    TITLE_ABBREVIATIONS,
)

__all__ = ["attribution_sources", "extract_quotes", "reporting_tokens", "sentence_citations"]

# Verbs that introduce reported speech or a reported figure. The first set always does; the
# second also has other senses ("the move added to", "announced the death of") and counts only
# with a reported clause or a quotation in the sentence.
_SPEECH_VERBS = frozenset(
    {
        "say", "tell", "explain", "state", "declare", "insist", "reply", "respond", "tweet",
        "argue", "write", "contend", "reiterate", "testify", "caution", "concede",
        "complain", "emphasise", "emphasize", "stress", "underline", "remark", "comment",
        "exclaim", "quip", "retort",
    }
)  # fmt: skip
_CLAUSE_SPEECH_VERBS = frozenset(
    {
        "add", "note", "report", "confirm", "announce", "estimate", "claim", "warn", "vow",
        "pledge", "promise", "observe", "acknowledge", "admit", "conclude", "predict",
        "recall", "ask", "deny", "allege", "maintain", "continue", "quote", "assert",
        "reflect", "recount", "joke", "shout", "post", "read", "elaborate",
    }
)  # fmt: skip
# Common nouns that can be a source when a verb of the second set has no named subject
# ("Sources say", "the report noted"); "the move added to the speculation" is no attribution.
_SOURCE_NOUNS = frozenset(
    {
        "source", "report", "statement", "witness", "group", "agency", "ministry", "government",
        "army", "police", "military", "media", "newspaper", "survey", "study", "document",
        "communique", "resident", "activist", "observer", "analyst", "expert", "panel",
        "committee", "council", "authority", "doctor", "medic", "rescuer", "monitor", "people",
        "official", "officer", "spokesman", "spokeswoman", "spokesperson", "organisation",
        "organization", "office", "department", "force", "command", "coalition", "team",
    }
)  # fmt: skip
_DEFINITE = frozenset({"the", "this", "that", "his", "her", "their", "its"})
_RESOLVED_PRONOUNS = frozenset({"he", "she"})
# Words dropped from the front of a name: "General Ahmad Al Mesmari" -> "Ahmad Al Mesmari".
_TITLES = (
    SPEAKER_TITLES
    | {title + "." for title in SPEAKER_TITLES & TITLE_ABBREVIATIONS}  # "Gen."
    | {"the"}
)
_ORGANISATION_LABELS = frozenset({"ORG", "NORP", "GPE"})
_FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})
_SALIENCE_WINDOW = 3  # previous non-blank sentences searched for a pronoun's referent
_MIN_QUOTE_WORDS = 4  # shorter quoted spans are scare quotes ("liberate", "near victory")
_MIN_TITLE_WORDS = 8  # a shorter quotation mostly in capitals is a name ("The Lost Symbol")
_BARE_ATTRIBUTION_WORDS = 12  # "Akin continued." after a quote: a short sentence of its own

# Speaker kinds: who a quote may be credited to (a figure's source may also be "generic").
PERSON, ORGANISATION, DESCRIPTION, GENERIC = "person", "organisation", "description", "generic"
_SPEAKER_KINDS = frozenset({PERSON, ORGANISATION, DESCRIPTION})

_WORD = re.compile(r"\w+(?:['’]\w+)*")
_POSSESSIVE_END = re.compile(r"\s*['’]s?$")
_DOUBLE_MARK = re.compile(r"``|''|[“”\"]")
# A curly single quote opens after a space/start and closes before a non-letter (so the
# apostrophe in "won’t" or "Haftar’s" is not taken as a closing mark).
_CURLY_SINGLE = re.compile(r"(?:(?<=^)|(?<=[\s(\[—–-]))‘([^‘’\n]*(?:’\w[^‘’\n]*)*)’(?!\w)")
_STRAIGHT_SINGLE = re.compile(r"(?:(?<=^)|(?<=[\s(\[]))'(?=\w)([^'\n]*(?:'\w[^'\n]*)*)'(?!\w)")
_PARAGRAPH = re.compile(r"[^\n]+")
_SENTENCE_END = re.compile(r"(?:^|[.!?:;…—]|\n)\s*$")


def sentence_citations(doc: Doc, article_id: str) -> dict[int, Citation]:
    """Citation of every sentence, keyed by the index of its first token."""
    return {span.start: sentence.citation for span, sentence in sentences_of(doc, article_id)}


# ---------------------------------------------------------------- quote spans


@dataclass(frozen=True)
class _QuoteSpan:
    start: int  # offset of the first character inside the marks
    end: int  # offset after the last character inside the marks
    text: str  # the characters between the marks
    closed: bool = True  # False: ran to the end of its paragraph without a closing mark


def _double_quote_spans(text: str) -> list[_QuoteSpan]:
    """Double-quoted stretches, paired per paragraph whatever the mix of marks.

    Curly and PTB marks say whether they open or close; a straight mark closes an open
    quotation and opens one otherwise (Multi-News pads straight marks with spaces on both
    sides, so context cannot tell). An opening mark inside an open quotation closes it first
    (a quotation left unclosed by the writer); a quotation still open at the end of its
    paragraph runs to it, as a quotation continued in the next paragraph does.
    """
    spans = []
    for paragraph in _PARAGRAPH.finditer(text):
        opened: int | None = None
        for mark in _DOUBLE_MARK.finditer(paragraph.group()):
            at = paragraph.start() + mark.start()
            symbol = mark.group()
            opens = symbol in ("“", "``") or (symbol == '"' and opened is None)
            if opened is not None and (not opens or symbol != '"'):
                spans.append(_QuoteSpan(opened, at, text[opened:at], closed=not opens))
                opened = None
            if opens:
                opened = at + len(symbol)
        if opened is not None:
            end = paragraph.end()
            spans.append(_QuoteSpan(opened, end, text[opened:end], closed=False))
    return [span for span in spans if span.end > span.start]


def _quote_spans(text: str) -> list[_QuoteSpan]:
    """Quoted stretches of ``text``; double quotes first, single quotes outside them."""
    found = _double_quote_spans(text)

    def overlaps(start: int, end: int) -> bool:
        return any(s.start <= start < s.end or start <= s.start < end for s in found)

    for pattern in (_CURLY_SINGLE, _STRAIGHT_SINGLE):
        for match in pattern.finditer(text):
            if match.end(1) > match.start(1) and not overlaps(match.start(1), match.end(1)):
                found.append(_QuoteSpan(match.start(1), match.end(1), match.group(1)))
    return sorted(found, key=lambda span: span.start)


def _doc_quote_spans(doc: Doc) -> list[_QuoteSpan]:
    cached = doc.user_data.get("storyline.quote_spans")
    if cached is None:
        cached = _quote_spans(doc.text)
        doc.user_data["storyline.quote_spans"] = cached
    return cached


def _inside(spans: list[_QuoteSpan], offset: int) -> bool:
    # Spans are sorted and do not overlap: only the last one starting at or before
    # ``offset`` can contain it.
    index = bisect_right(spans, offset, key=lambda span: span.start) - 1
    return index >= 0 and offset < spans[index].end


# ---------------------------------------------------------------- names


def _majority_labels(doc: Doc) -> dict[str, str]:
    """Most frequent entity label per surface text (NER labels one name differently)."""
    counts: dict[str, Counter[str]] = {}
    for ent in doc.ents:
        if ent.label_ in ENTITY_LABELS:
            counts.setdefault(_clean_name(ent.text), Counter())[ent.label_] += 1
    return {text: counter.most_common(1)[0][0] for text, counter in counts.items()}


def _clean_name(text: str) -> str:
    """Drop titles, a leading "the" and a trailing possessive from a name."""
    text = _POSSESSIVE_END.sub("", text.strip())
    words = text.split()
    while len(words) > 1 and words[0].lower().rstrip(",") in _TITLES:
        words.pop(0)
    return " ".join(words).strip(" ,;:")


def _subject_of(cue: Token) -> Token | None:
    """The speaker token of a speech verb ("X said", "said X"), or the object of
    "according to X"."""
    if cue.lower_ == "according":
        for child in cue.children:
            if child.lower_ == "to":
                for grandchild in child.children:
                    if grandchild.dep_ == "pobj":
                        return grandchild
        return None
    verb = cue
    # "Haftar said X and added Y": the second verb shares the first one's subject; so does
    # a participle ("Clinton affirmed their claims, saying ...").
    for _ in range(3):
        # The passive subject of a verb the cue depends on speaks ("Netanyahu is shown
        # saying"); that of the cue itself is spoken to ("he was told").
        deps = ("nsubj",) if verb is cue else ("nsubj", "nsubjpass")
        subjects = [child for child in verb.children if child.dep_ in deps]
        if subjects:
            # "the ex-official" is parsed as three subjects: the one nearest the verb is the
            # head, unless another one is a name ("the project's co-director andrew siemion").
            return min(subjects, key=lambda child: (not child.ent_type_, abs(child.i - verb.i)))
        climbs = verb.dep_ in ("conj", "xcomp") or (verb.dep_ == "advcl" and verb.tag_ == "VBG")
        if climbs and verb.head.pos_ in ("VERB", "AUX"):
            verb = verb.head
        else:
            break
    return None


def _is_definite(noun: Token) -> bool:
    """ "the spokesman", "his lawyer", "Strzok's attorney", "the ex-official"."""
    for child in noun.children:
        if child.dep_ == "poss" or (child.dep_ == "det" and child.lower_ in _DEFINITE):
            return True
    for index in range(noun.i - 1, max(noun.i - 5, -1), -1):
        token = noun.doc[index]
        if token.lower_ in _DEFINITE:
            return True
        if token.pos_ not in ("ADJ", "NOUN", "PUNCT") or token.is_sent_start:
            return False
    return False


def _is_definite_role(subject: Token) -> bool:
    """ "the spokesman", "the ex-official", "the military strongman": a person named before."""
    return (
        subject.pos_ == "NOUN" and lemma_of(subject).lower() in ROLE_NOUNS and _is_definite(subject)
    )


def _noun_phrase(head: Token, depth: int = 0) -> str:
    """Short text of a noun phrase: pre-modifiers, the head and an "of" complement."""
    right = head.i
    of_phrase = ""
    for child in head.rights:
        if child.dep_ == "prep" and child.lower_ in ("of", "for") and depth < 2:
            objects = [grand for grand in child.children if grand.dep_ == "pobj"]
            if objects:
                of_phrase = f" {child.lower_} " + _noun_phrase(objects[0], depth + 1)
            break
        if child.dep_ not in ("compound", "flat"):
            break
        right = child.right_edge.i
    text = head.doc[head.left_edge.i : right + 1].text.strip(" ,;:") + of_phrase
    return text[4:] if depth == 0 and text.lower().startswith("the ") else text


def _possessors(head: Token) -> set[int]:
    """Tokens of the possessive modifiers of a noun ("Strzok's" in "Strzok's attorney")."""
    found: set[int] = set()
    for child in head.children:
        if child.dep_ == "poss":
            found.update(range(child.left_edge.i, child.right_edge.i + 1))
    return found


# ---------------------------------------------------------------- attribution


@dataclass(frozen=True)
class _Source:
    name: str
    kind: str  # PERSON, ORGANISATION, DESCRIPTION or GENERIC


@dataclass
class _Candidate:
    name: str
    # 0 attributed speaker, 1 subject of a main clause, 2 subject of an embedded clause,
    # 3 other mention
    rank: int
    token: int


class _Attributor:
    """Resolves the source named by each attribution cue, sentence by sentence."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.text = doc.text  # built from the tokens on every access: read it once
        self.labels = _majority_labels(doc)
        self.quotes = _doc_quote_spans(doc)
        long_quotes = [q for q in self.quotes if _word_count(q.text) >= _MIN_QUOTE_WORDS]
        self._long_quote_bounds = ([q.start for q in long_quotes], [q.end for q in long_quotes])
        self.sources: dict[int, _Source] = {}
        self.cues: dict[int, int] = {}  # cue token -> token of its (unresolved) subject
        self.history: list[list[_Candidate]] = []
        # Role noun -> the person last introduced with it ("Strzok attorney Aitan Goelman",
        # "Reince Priebus, the chairman of ..."): "the attorney said" is that person.
        self.roles: dict[str, str] = {}
        # Organisations named so far, by the lemma of their head and last word: "the
        # committee said" after "the Democratic National Committee".
        self.organisations: dict[str, str] = {}
        self.organisation_speakers: list[tuple[int, str]] = []  # (sentence number, name)
        # Lowercase words of the article's person names: "barnes said" in lower-cased text
        # (tagged a common noun, no entity) names the "Addison Barnes" of another sentence.
        self.name_words = {
            token.lower_
            for ent in doc.ents
            if self._is_person(ent)
            for token in ent
            if token.is_alpha and token.lower_ not in _TITLES
        }
        # Full names by their last word, to write "Akin said" as "Todd Akin".
        self.full_names: dict[str, list[str]] = {}
        for ent in doc.ents:
            name = _clean_name(ent.text)
            if len(name.split()) >= 2 and self._is_person(ent):
                known = self.full_names.setdefault(name.split()[-1].casefold(), [])
                if name not in known:
                    known.append(name)
        self.full_speakers: list[str] = []

    def run(self) -> dict[int, _Source]:
        for sent in self.doc.sents:
            if not _has_words(sent):
                continue
            has_quote = self._has_quote(sent.start_char, self._reach(sent))
            self._learn_names(sent)
            candidates = self._person_candidates(sent)
            for token in sent:
                if token.dep_ == "nsubj" and _is_definite_role(token):
                    # "the spokesman announced the death": salient even when not a cue.
                    source = self._role_person(token, candidates)
                    if source:
                        candidates.append(_Candidate(source.name, 1, token.i))
                if not self._is_cue(token, has_quote):
                    continue
                subject = self._outside_quotes(_subject_of(token))
                if subject is None:
                    continue
                if lemma_of(token).lower() in _CLAUSE_SPEECH_VERBS and not self._can_be_source(
                    subject
                ):
                    continue
                source = self._resolve(subject, candidates)
                self.cues[token.i] = subject.i
                if source is None:
                    continue
                if source.kind == PERSON:
                    source = _Source(self._full_name(source.name), PERSON)
                    if " " in source.name:
                        self.full_speakers.append(source.name)
                self.sources[token.i] = source
                if source.kind == PERSON:
                    candidates.append(_Candidate(source.name, 0, token.i))
                elif source.kind == ORGANISATION:
                    self.organisation_speakers.append((len(self.history), source.name))
            if not _within_quote(self.quotes, sent):
                # A sentence of a quotation is not the narrative a pronoun refers back to.
                self.history.append(candidates)
        return self.sources

    def _outside_quotes(self, subject: Token | None) -> Token | None:
        """The subject, or when the parser took a word of the quotation for it (“... every
        American,” House Freedom Caucus Chairman Mark Meadows said) the name joined to it
        outside the marks; None if there is none."""
        if subject is None or not _inside(self.quotes, subject.idx):
            return subject
        for token in subject.subtree:
            if token.dep_ in ("conj", "appos") and not _inside(self.quotes, token.idx):
                return token
        return None

    def _reach(self, sent: Span) -> int:
        """Where a sentence's quotation may start: its end, or past the space after it when
        it introduces one ("Politico reports:" before a quoted paragraph)."""
        text = self.text
        end = sent.end_char
        while end < len(text) and text[end] in ' \n\t"“`':
            end += 1
        return end + 1

    # ------------------------------------------------------------ reading the sentence

    def _has_quote(self, start: int, end: int) -> bool:
        """Whether a real quote (not a scare quote) starts or ends within [start, end)."""
        starts, ends = self._long_quote_bounds
        first_starting = bisect_left(starts, start)
        if first_starting < len(starts) and starts[first_starting] < end:
            return True
        first_ending = bisect_right(ends, start)
        return first_ending < len(ends) and ends[first_ending] <= end

    def _is_cue(self, token: Token, has_quote: bool) -> bool:
        if _inside(self.quotes, token.idx):
            return False
        if token.lower_ == "according":
            return True
        if token.pos_ not in ("VERB", "AUX"):
            return False
        lemma = lemma_of(token).lower()
        if lemma in _SPEECH_VERBS:
            return True
        if lemma == "go" and any(c.dep_ == "prt" and c.lower_ == "on" for c in token.children):
            return has_quote  # "“...,” he went on."
        if lemma not in _CLAUSE_SPEECH_VERBS:
            return False
        return (
            has_quote
            or token.dep_ == "parataxis"
            or any(child.dep_ in ("ccomp", "parataxis") for child in token.children)
        )

    def _is_person(self, ent: Span) -> bool:
        """A PERSON mention, also when NER labels this mention differently but the same name
        is mostly labelled PERSON elsewhere in the article, or a role noun stands before it
        ("Strzok attorney Aitan Goelman" tagged ORG)."""
        if ent.label_ == "PERSON" or self.labels.get(_clean_name(ent.text)) == "PERSON":
            return True
        return ent.label_ in ENTITY_LABELS and any(
            child.dep_ == "compound"
            and child.i < ent.start
            and lemma_of(child).lower() in ROLE_NOUNS
            for child in ent.root.children
        )

    def _learn_names(self, sent: Span) -> None:
        """Remember the roles people are introduced with, and the organisations named."""
        for ent in entities_in(self.doc, sent.start, sent.end):
            if _inside(self.quotes, ent.start_char):
                continue
            if self._is_person(ent):
                name = _clean_name(ent.text)
                for role in self._roles_of(ent):
                    self.roles[role] = name
            elif ent.label_ in _ORGANISATION_LABELS:
                # by its head noun and its last word: "the court" of "the European Court of
                # Justice", "the committee" of "the Democratic National Committee"
                for token in (ent.root, ent[-1]):
                    self.organisations[lemma_of(token).lower()] = _clean_name(ent.text)

    def _roles_of(self, ent: Span) -> set[str]:
        """Role nouns written with a person's name: a title or role compound before it
        ("President Trump", "Strzok attorney Aitan Goelman"), an apposition ("Aitan Goelman,
        Mr. Strzok's lawyer"; "the F.B.I. director, Christopher A. Wray")."""
        root = ent.root
        roles = set()
        for token in ent:
            if token.lower_ in _TITLES and token.lower_ != "the":
                roles.add(lemma_of(token).lower())
        for child in root.children:
            if child.dep_ == "compound" and child.i < ent.start and child.pos_ in ("NOUN", "PROPN"):
                roles.add(lemma_of(child).lower())
            if child.dep_ == "appos" and child.pos_ == "NOUN":
                roles.add(lemma_of(child).lower())
        if root.dep_ == "appos" and root.head.pos_ == "NOUN":
            roles.add(lemma_of(root.head).lower())
        return roles

    def _can_be_source(self, subject: Token) -> bool:
        """A named entity, a pronoun, or a noun that can stand for a source of information."""
        if subject.pos_ in ("PRON", "PROPN") or subject.ent_type_ in ENTITY_LABELS:
            return True
        if self._is_unlabelled_name(subject):
            return True
        subtree = self.doc[subject.left_edge.i : subject.right_edge.i + 1]
        if any(self._is_person(ent) for ent in entities_in(self.doc, subtree.start, subtree.end)):
            return True
        return lemma_of(subject).lower() in _SOURCE_NOUNS or lemma_of(subject).lower() in ROLE_NOUNS

    def _person_candidates(self, sent: Span) -> list[_Candidate]:
        candidates = []
        for ent in entities_in(self.doc, sent.start, sent.end):
            if not self._is_person(ent) or _inside(self.quotes, ent.start_char):
                continue
            root = ent.root
            while root.dep_ in ("compound", "appos", "flat") and root.head.i != root.i:
                root = root.head
            rank = 3
            if root.dep_ in ("nsubj", "nsubjpass"):
                clause = root.head
                while clause.dep_ == "conj" and clause.head.i != clause.i:
                    clause = clause.head
                rank = 1 if clause.dep_ == "ROOT" else 2
            candidates.append(_Candidate(_clean_name(ent.text), rank, ent.start))
        for token in sent:
            if (
                token.dep_ in ("nsubj", "nsubjpass")
                and self._is_unlabelled_name(token)
                and not _inside(self.quotes, token.idx)
            ):
                candidates.append(_Candidate(_noun_phrase(token), 1, token.i))
        return candidates

    # ------------------------------------------------------------ resolving a subject

    def _resolve(
        self, subject: Token, same_sentence: list[_Candidate], depth: int = 0
    ) -> _Source | None:
        """Who or what the subject of a reporting verb names."""
        if subject.pos_ == "PRON":
            if subject.lower_ in _RESOLVED_PRONOUNS:
                name = self._salient_person(subject.i, same_sentence)
                return _Source(name, PERSON) if name else None
            if subject.lower_ == "it":
                return self._recent_organisation()
            return None
        own = self._own_entity(subject)
        if own is not None:
            return own
        if self._is_unlabelled_name(subject):
            return _Source(_noun_phrase(subject), PERSON)
        lemma = lemma_of(subject).lower()
        if lemma in self.roles or lemma in ROLE_NOUNS:
            if _is_definite(subject):
                return self._role_person(subject, same_sentence)
            return self._description(subject)
        for child in subject.children:
            # "a statement from the Democratic committee said", "a letter by the lawyers"
            if child.dep_ == "prep" and child.lower_ in ("from", "by") and depth < 2:
                for grandchild in child.children:
                    if grandchild.dep_ == "pobj":
                        found = self._resolve(grandchild, same_sentence, depth + 1)
                        if found is not None and found.kind in (PERSON, ORGANISATION):
                            return found
        if _is_definite(subject) and lemma in self.organisations:
            return _Source(self.organisations[lemma], ORGANISATION)  # "the committee said"
        return self._description(subject)

    def _own_entity(self, subject: Token) -> _Source | None:
        """The name the subject is or holds, not counting possessives: "Benny Gantz" in
        "Netanyahu's main rival, Benny Gantz," and "Aitan Goelman" in "Strzok attorney Aitan
        Goelman"."""
        excluded = _possessors(subject)
        heads = [subject] + [child for child in subject.children if child.dep_ == "appos"]
        for head in heads:
            for ent in entities_in(self.doc, head.left_edge.i, head.right_edge.i + 1):
                if not ent.start <= head.i < ent.end or ent.start in excluded:
                    continue
                if self._is_person(ent):
                    return _Source(_clean_name(ent.text), PERSON)
                if ent.label_ in _ORGANISATION_LABELS:
                    return _Source(_clean_name(ent.text), ORGANISATION)
        return None

    def _full_name(self, name: str) -> str:
        """The article's full name for a surname: the only one ending with it, else the one
        of them that spoke last ("Cheney" after "Mary Cheney wrote"); else the surname."""
        if " " in name:
            return name
        known = self.full_names.get(name.casefold(), [])
        if len(known) == 1:
            return known[0]
        for speaker in reversed(self.full_speakers):
            if speaker in known:
                return speaker
        return name

    def _is_unlabelled_name(self, token: Token) -> bool:
        """A name NER missed: a proper noun, or (in lower-cased text) a word of a person's
        name found elsewhere in the article; not a role noun."""
        if token.ent_type_ or lemma_of(token).lower() in ROLE_NOUNS | self.roles.keys():
            return False
        return token.pos_ == "PROPN" or token.lower_ in self.name_words

    def _description(self, subject: Token) -> _Source:
        """An unnamed source: a description when it holds a name ("a New Orleans detective",
        "a spokeswoman for Brevard College"), else generic ("judges", "a statement")."""
        subtree = self.doc[subject.left_edge.i : subject.right_edge.i + 1]
        named = any(
            ent.label_ in ENTITY_LABELS and ent.root.i != subject.i
            for ent in entities_in(self.doc, subtree.start, subtree.end)
        )
        return _Source(_noun_phrase(subject), DESCRIPTION if named else GENERIC)

    def _role_person(self, subject: Token, same_sentence: list[_Candidate]) -> _Source | None:
        """ "the attorney", "Strzok's lawyer", "the prime minister": the person introduced
        with that role, else the most salient person (not the possessor)."""
        role = lemma_of(subject).lower()
        if role in self.roles:
            return _Source(self.roles[role], PERSON)
        excluded = _possessors(subject)
        name = self._salient_person(subject.i, same_sentence, excluded)
        return _Source(name, PERSON) if name else None

    def _salient_person(
        self, before: int, same_sentence: list[_Candidate], excluded: set[int] = frozenset()
    ) -> str | None:
        """The person a pronoun or role refers to: the last one speaking or in subject
        position, in this sentence before it or in the previous few; else the last person
        mentioned at all."""
        earlier = [c for c in same_sentence if c.token < before and c.token not in excluded]
        windows = [earlier, *reversed(self.history[-_SALIENCE_WINDOW:])]
        for most in (2, 3):
            for candidates in windows:
                eligible = [c for c in candidates if c.rank <= most]
                if eligible:
                    return min(eligible, key=lambda c: (c.rank, -c.token)).name
        return None

    def _recent_organisation(self) -> _Source | None:
        """ "it said": the organisation that spoke in the last few sentences."""
        if self.organisation_speakers:
            sentence, name = self.organisation_speakers[-1]
            if len(self.history) - sentence <= _SALIENCE_WINDOW:
                return _Source(name, ORGANISATION)
        return None


def _attribution(doc: Doc) -> _Attributor:
    cached = doc.user_data.get("storyline.attribution")
    if cached is None:
        cached = _Attributor(doc)
        cached.run()
        doc.user_data["storyline.attribution"] = cached
    return cached


def attribution_sources(doc: Doc) -> dict[int, str]:
    """Token index of each attribution cue (a speech verb, or "according") -> the source it
    names, resolved to a person's name where the text allows ("he said" -> "Haftar")."""
    return {cue: source.name for cue, source in _attribution(doc).sources.items()}


def reporting_tokens(doc: Doc) -> set[int]:
    """Tokens naming who reports or is reported to: the subject of each reporting verb
    ("Reuters reported", "according to AFP"), and its addressee ("told AFP", "said to
    Reuters", "said in an interview with CNN")."""
    attributor = _attribution(doc)
    found: set[int] = set()

    def mark(head: Token) -> None:
        found.update(range(head.left_edge.i, head.right_edge.i + 1))

    for cue, subject in attributor.cues.items():
        mark(doc[subject])
        verb = doc[cue]
        for child in verb.children:
            if child.dep_ in ("dobj", "dative") and lemma_of(verb).lower() in _SPEECH_VERBS:
                mark(child)  # "told AFP", "explained to news agency Sputnik" (parsed so)
            if child.dep_ != "prep":
                continue
            for target in child.children:
                if target.dep_ != "pobj":
                    continue
                if child.lower_ == "to":
                    mark(target)
                for inner in target.children:  # "in an interview with CNN"
                    if inner.dep_ == "prep" and inner.lower_ in ("with", "to"):
                        for deeper in inner.children:
                            if deeper.dep_ == "pobj":
                                mark(deeper)
    return found


# ---------------------------------------------------------------- quotes


def _within_quote(quotes: list[_QuoteSpan], sent: Span) -> bool:
    """Whether every word of the sentence is inside quotation marks."""
    text = sent.text
    words = [i for i, char in enumerate(text) if char.isalnum()]
    return bool(words) and all(_inside(quotes, sent.start_char + i) for i in (words[0], words[-1]))


def _has_words(sent: Span) -> bool:
    """Not blank, not a lone quotation mark the parser split off."""
    return any(char.isalnum() for char in sent.text)


def _word_count(text: str) -> int:
    return len(_WORD.findall(text))


def _looks_like_title(text: str) -> bool:
    """ "The Lost Symbol", "Operation Dignity": quoted names, not speech."""
    words = _WORD.findall(text)
    capitalised = sum(1 for word in words if word[0].isupper())
    return len(words) < _MIN_TITLE_WORDS and capitalised >= 0.75 * len(words)


def _opens_sentence(text: str, span: _QuoteSpan, written_as_one: bool = True) -> bool:
    """Whether the quotation is a sentence of its own: it opens its sentence (after a full
    stop, a colon, a line break), or it is written as one (“Please like and share if you
    agree.” after "by saying,")."""
    before = text[: max(span.start - 1, 0)]
    before = before.rstrip("`'\"“ ")
    if _SENTENCE_END.search(before) or before.endswith(("”", '"')):
        return True
    quoted = span.text.strip()
    return written_as_one and quoted[:1].isupper() and quoted.endswith((".", "?", "!"))


def _is_speech(inner: Span, opens_sentence: bool) -> bool:
    """A quotation holds speech when it holds a clause of its own: a finite verb heading it
    with its subject inside the marks ("I believe that we can win", "it's clear"), or any
    verb when it opens the sentence ("Wait until when?", "Please like and share"). A phrase
    quoted inside the reporter's clause ("a 'tremendous outpouring of support'", "the
    suspect 'appears to be a partisan'") is a fragment."""
    start, end = inner.start, inner.end
    for token in inner:
        if token.pos_ not in ("VERB", "AUX"):
            continue
        head = token
        while head.dep_ == "conj" and start <= head.head.i < end and head.head.i != head.i:
            head = head.head  # "... and from there they fled": a clause joined to the quote's
        if start <= head.head.i < end and head.head.i != head.i:
            continue  # not heading the quotation: a relative clause, an auxiliary
        if opens_sentence:
            return True
        finite = token.tag_ in _FINITE_TAGS or any(
            child.dep_ in ("aux", "auxpass") and child.tag_ in _FINITE_TAGS
            for child in token.children
        )
        if finite and any(
            child.dep_ in SUBJECT_DEPENDENCIES and start <= child.i < end
            for child in token.children
        ):
            return True
    return False


class _QuoteReader:
    """Finds, for each quotation of a document, the cue that attributes it."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.attributor = _attribution(doc)
        self.text, self.quotes = self.attributor.text, self.attributor.quotes
        self.sentences = [sent for sent in doc.sents if _has_words(sent)]
        self._sentence_starts = [sent.start for sent in self.sentences]

    def sentence_number(self, token: int) -> int:
        return bisect_right(self._sentence_starts, token) - 1

    def tokens(self, span: _QuoteSpan) -> Span | None:
        tokens = self.doc.char_span(span.start, span.end, alignment_mode="expand")
        return tokens if tokens is not None and len(tokens) else None

    def inner(self, span: _QuoteSpan) -> Span | None:
        inner = self.doc.char_span(span.start, span.end, alignment_mode="contract")
        if inner is None or not len(inner):
            return self.tokens(span)
        return inner

    def _cues_in(self, first: int, last: int) -> list[int]:
        """Cue tokens of sentences ``first`` .. ``last`` outside every quotation."""
        if first < 0 or last >= len(self.sentences):
            return []
        start, end = self.sentences[first].start, self.sentences[last].end
        return [
            cue
            for cue in self.attributor.cues
            if start <= cue < end and not _inside(self.quotes, self.doc[cue].idx)
        ]

    def _same_paragraph(self, start: int, end: int) -> bool:
        return "\n" not in self.text[start:end]

    def frame_cue(self, tokens: Span) -> int | None:
        """The cue of the quotation's own sentences: one the quotation depends on or that
        interrupts it ("“...,” he said, “...”"), else the nearest."""
        first = self.sentence_number(tokens.start)
        last = self.sentence_number(tokens.end - 1)
        cues = self._cues_in(first, last)
        if not cues:
            return None
        inside = range(tokens.start, tokens.end)

        def linked(cue: int) -> bool:
            token = self.doc[cue]
            return token.head.i in inside or any(
                t.head.i == cue for t in tokens if t.head.i not in inside
            )

        def distance(cue: int) -> int:
            return min(abs(cue - tokens.start), abs(cue - (tokens.end - 1)))

        return min(cues, key=lambda cue: (not linked(cue), distance(cue)))

    def next_cue(self, span: _QuoteSpan, tokens: Span) -> int | None:
        """A bare "Akin continued." right after the quotation, in its paragraph."""
        number = self.sentence_number(tokens.end - 1) + 1
        if number >= len(self.sentences):
            return None
        sentence = self.sentences[number]
        if (
            not self._same_paragraph(span.end, sentence.start_char)
            or len(_WORD.findall(sentence.text)) > _BARE_ATTRIBUTION_WORDS
        ):
            return None
        for cue in self._cues_in(number, number):
            token = self.doc[cue]
            if not any(child.dep_ in ("ccomp", "dobj", "xcomp") for child in token.children):
                return cue
        return None

    def only_frame_between(self, sentence: int, start: int, end: int) -> bool:
        """Whether every word between two quotations belongs to sentence number
        ``sentence`` (the first one's, as "Haftar said." does), so that nothing else was
        said in between."""
        between = self.doc.char_span(start, end, alignment_mode="contract")
        if between is None:
            return not any(char.isalnum() for char in self.text[start:end])
        return all(self.sentence_number(token.i) == sentence for token in between if token.is_alpha)

    def previous_cue(self, span: _QuoteSpan, tokens: Span) -> int | None:
        """The reporting verb of the sentence before a quotation that opens its sentence:
        "He tweeted Monday afternoon: “...”", "Ferry said he would not name the minister.
        “If I let his name out now ...”", also across a paragraph break."""
        if not _opens_sentence(self.text, span):
            return None
        number = self.sentence_number(tokens.start) - 1
        if number < 0:
            return None
        sentence = self.sentences[number]
        if _within_quote(self.quotes, sentence):
            return None  # the sentence before is a quotation: see the quotation it continues
        named = [
            cue
            for cue in self._cues_in(number, number)
            if cue in self.attributor.sources
            and self.attributor.sources[cue].kind in (PERSON, ORGANISATION)
        ]
        return named[-1] if named else None


def extract_quotes(doc: Doc, article: Article) -> list[Quote]:
    """Quoted speech of at least four words, with the speaker where the text names one.

    A quote that spans sentences is cited by its first sentence and keeps its whole text. A
    quote with no reporting verb of its own continues the quotation before it when nothing
    but that quotation stands between them ("“...,” Haftar said. “Our army forces are ...”").
    """
    reader = _QuoteReader(doc)
    sources = reader.attributor.sources
    citations = sentence_citations(doc, article.id)
    result: list[Quote] = []
    # The quotation before: its last sentence, its speaker, where it ends.
    previous: tuple[int, _Source | None, int] | None = None
    for span in reader.quotes:
        text = span.text.strip().rstrip(",").strip()
        if _word_count(text) < _MIN_QUOTE_WORDS or _looks_like_title(text):
            continue
        tokens, inner = reader.tokens(span), reader.inner(span)
        if tokens is None or inner is None:
            continue
        if not _is_speech(inner, _opens_sentence(reader.text, span)):
            continue
        cue = reader.frame_cue(tokens)
        if cue is None:
            cue = reader.next_cue(span, tokens)
        if cue is None:
            cue = reader.previous_cue(span, tokens)
        source = sources.get(cue) if cue is not None else None
        first = reader.sentence_number(tokens.start)
        if (
            cue is None
            and previous is not None
            and first - previous[0] <= 1
            and _opens_sentence(reader.text, span, written_as_one=False)
            and reader.only_frame_between(previous[0], previous[2], span.start)
        ):
            source = previous[1]
        citation = citations.get(tokens[0].sent.start)
        if citation is None:
            continue
        speaker = source.name if source is not None and source.kind in _SPEAKER_KINDS else None
        result.append(Quote(text=text, speaker=speaker, citation=citation))
        previous = (reader.sentence_number(tokens.end - 1), source, span.end)
    return result
