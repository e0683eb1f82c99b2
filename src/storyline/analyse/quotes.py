"""Quoted speech and who said it, plus the attribution cues ("X said", "according to X")
that :mod:`storyline.analyse.figures` uses to credit a number to its source.

Our own rules rather than a library: a quote attributor such as textacy's
``direct_quotations`` would be a large dependency for one function, does not resolve "he
added" or "the spokesman said" to a name, and does not handle the mix of curly, straight and
PTB (````...''``) quotes in scraped news. The rules here work on the parse we already have.

Speaker resolution ("he said", "the ex-official explained"): the most salient named person in
the same sentence before the cue or in the previous three non-blank sentences, preferring in
each sentence an already attributed speaker, then a person in subject position, then any
person mention. Only "he"/"she" and definite role nouns ("the spokesman") are resolved.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from storyline.analyse.nlp import entities_in, lemma_of, sentences_of
from storyline.model import Article, Citation, Quote
from storyline.vocabulary import ENTITY_LABELS, SPEAKER_TITLES, TITLE_ABBREVIATIONS

__all__ = ["attribution_sources", "extract_quotes", "sentence_citations"]

# Verbs that introduce reported speech or a reported figure. The first set always does; the
# second also has other senses ("the move added to", "announced the death of") and counts only
# with a reported clause or a quotation in the sentence.
_SPEECH_VERBS = frozenset(
    {
        "say", "tell", "explain", "state", "declare", "insist", "reply", "respond", "tweet",
        "argue", "write", "contend", "reiterate", "testify", "caution", "concede",
        "complain", "emphasise", "emphasize", "stress", "underline", "remark", "comment",
    }
)  # fmt: skip
_CLAUSE_SPEECH_VERBS = frozenset(
    {
        "add", "note", "report", "confirm", "announce", "estimate", "claim", "warn", "vow",
        "pledge", "promise", "observe", "acknowledge", "admit", "conclude", "predict",
        "recall", "ask", "deny", "allege", "maintain", "continue", "quote", "assert",
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
# Nouns that name a person by role; "the spokesman said" refers back to a named person.
_ROLE_NOUNS = frozenset(
    {
        "spokesman", "spokeswoman", "spokesperson", "official", "minister", "commander",
        "president", "leader", "chief", "head", "governor", "ambassador", "envoy", "general",
        "marshal", "strongman", "officer", "director", "secretary", "mayor", "premier",
        "chancellor", "prosecutor", "lawyer", "attorney", "man", "woman", "colonel",
        "brigadier", "diplomat", "source", "witness", "king", "prince", "emir", "sheikh",
        "senator", "lawmaker", "chairman", "executive", "founder", "dictator", "ruler",
    }
)  # fmt: skip
# Words dropped from the front of a name: "General Ahmad Al Mesmari" -> "Ahmad Al Mesmari".
_TITLES = (
    SPEAKER_TITLES
    | {title + "." for title in SPEAKER_TITLES & TITLE_ABBREVIATIONS}  # "Gen."
    | {"the"}
)
_SALIENCE_WINDOW = 3  # previous non-blank sentences searched for a pronoun's referent
_MIN_QUOTE_WORDS = 4  # shorter quoted spans are scare quotes ("liberate", "near victory")
_MIN_UNATTRIBUTED_WORDS = 8  # an unattributed quote must look like speech: a verb, or long

_WORD = re.compile(r"\w+(?:['’]\w+)*")
_POSSESSIVE_END = re.compile(r"\s*['’]s?$")
_CURLY_DOUBLE = re.compile(r"“([^“”\n]*)(?:”|(?=\n)|$)")
_PTB_DOUBLE = re.compile(r"``([^\n]*?)(?:''|(?=\n)|$)")
# A curly single quote opens after a space/start and closes before a non-letter (so the
# apostrophe in "won’t" or "Haftar’s" is not taken as a closing mark).
_CURLY_SINGLE = re.compile(r"(?:(?<=^)|(?<=[\s(\[—–-]))‘([^‘’\n]*(?:’\w[^‘’\n]*)*)’(?!\w)")
_STRAIGHT_SINGLE = re.compile(r"(?:(?<=^)|(?<=[\s(\[]))'(?=\w)([^'\n]*(?:'\w[^'\n]*)*)'(?!\w)")
_STRAIGHT_DOUBLE = re.compile(r'"')
_PARAGRAPH = re.compile(r"[^\n]+")


def sentence_citations(doc: Doc, article_id: str) -> dict[int, Citation]:
    """Citation of every sentence, keyed by the index of its first token."""
    return {span.start: sentence.citation for span, sentence in sentences_of(doc, article_id)}


# ---------------------------------------------------------------- quote spans


@dataclass(frozen=True)
class _QuoteSpan:
    start: int  # offset of the first character inside the marks
    end: int  # offset after the last character inside the marks
    text: str  # the characters between the marks


def _quote_spans(text: str) -> list[_QuoteSpan]:
    """Quoted stretches of ``text``; double quotes first, single quotes outside them."""
    found: list[_QuoteSpan] = []

    def add(start: int, end: int) -> None:
        if end > start and not any(
            s.start <= start < s.end or start <= s.start < end for s in found
        ):
            found.append(_QuoteSpan(start, end, text[start:end]))

    for match in _CURLY_DOUBLE.finditer(text):
        add(match.start(1), match.end(1))
    for match in _PTB_DOUBLE.finditer(text):
        add(match.start(1), match.end(1))
    # Straight double quotes have no direction: pair them in order within a paragraph
    # (Multi-News pads them with spaces on both sides, so context cannot tell open from close).
    for paragraph in _PARAGRAPH.finditer(text):
        marks = [
            paragraph.start() + m.start() for m in _STRAIGHT_DOUBLE.finditer(paragraph.group())
        ]
        for first, second in zip(marks[::2], [*marks[1::2], paragraph.end()]):
            add(first + 1, second)
    for pattern in (_CURLY_SINGLE, _STRAIGHT_SINGLE):
        for match in pattern.finditer(text):
            add(match.start(1), match.end(1))
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


# ---------------------------------------------------------------- attribution


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


def _is_person(ent: Span, labels: dict[str, str]) -> bool:
    """A PERSON mention, also when NER labels this mention differently but the same name is
    mostly labelled PERSON elsewhere in the article."""
    return ent.label_ == "PERSON" or labels.get(_clean_name(ent.text)) == "PERSON"


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
    # "Haftar said X and added Y": the second verb shares the first one's subject.
    for _ in range(3):
        subjects = [child for child in verb.children if child.dep_ == "nsubj"]
        if subjects:
            # "the ex-official" is parsed as three subjects: the one nearest the verb is the head.
            return min(subjects, key=lambda child: abs(child.i - verb.i))
        if verb.dep_ in ("conj", "xcomp") and verb.head.pos_ in ("VERB", "AUX"):
            verb = verb.head
        else:
            break
    return None


def _is_definite_role(subject: Token) -> bool:
    """ "the spokesman", "the ex-official", "the military strongman": a person named before."""
    if lemma_of(subject).lower() not in _ROLE_NOUNS or subject.pos_ != "NOUN":
        return False
    for index in range(subject.i - 1, max(subject.i - 5, -1), -1):
        token = subject.doc[index]
        if token.lower_ in _DEFINITE:
            return True
        if token.pos_ not in ("ADJ", "NOUN", "PUNCT") or token.is_sent_start:
            return False
    return False


def _noun_phrase(head: Token, depth: int = 0) -> str:
    """Short text of a noun phrase: pre-modifiers, the head and an "of" complement."""
    right = head.i
    of_phrase = ""
    for child in head.rights:
        if child.dep_ == "prep" and child.lower_ == "of" and depth < 2:
            objects = [grand for grand in child.children if grand.dep_ == "pobj"]
            if objects:
                of_phrase = " of " + _noun_phrase(objects[0], depth + 1)
            break
        if child.dep_ not in ("compound", "flat"):
            break
        right = child.right_edge.i
    text = head.doc[head.left_edge.i : right + 1].text.strip(" ,;:") + of_phrase
    return text[4:] if depth == 0 and text.lower().startswith("the ") else text


@dataclass
class _Candidate:
    name: str
    rank: int  # 0 attributed speaker, 1 person in subject position, 2 other person mention
    token: int


class _Attributor:
    """Resolves the source named by each attribution cue, sentence by sentence."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.labels = _majority_labels(doc)
        self.quotes = _doc_quote_spans(doc)
        long_quotes = [q for q in self.quotes if _word_count(q.text) >= _MIN_QUOTE_WORDS]
        self._long_quote_bounds = ([q.start for q in long_quotes], [q.end for q in long_quotes])
        self.sources: dict[int, str] = {}
        self.cues: dict[int, int] = {}  # cue token -> token of its (unresolved) subject
        self.history: list[list[_Candidate]] = []

    def run(self) -> dict[int, str]:
        for sent in self.doc.sents:
            if not sent.text.strip():
                continue
            has_quote = self._has_quote(sent.start_char, sent.end_char)
            candidates = self._person_candidates(sent)
            for token in sent:
                if token.dep_ == "nsubj" and _is_definite_role(token):
                    # "the spokesman announced the death": salient even when not a cue.
                    name = self._salient_person(token.i, candidates)
                    if name:
                        candidates.append(_Candidate(name, 1, token.i))
                if not self._is_cue(token, has_quote):
                    continue
                subject = _subject_of(token)
                if subject is None:
                    continue
                name = self._resolve(subject, candidates)
                if (
                    name is not None
                    and lemma_of(token).lower() in _CLAUSE_SPEECH_VERBS
                    and not self._can_be_source(subject)
                ):
                    continue
                self.cues[token.i] = subject.i
                if name:
                    self.sources[token.i] = name
                    candidates.append(_Candidate(name, 0, token.i))
            self.history.append(candidates)
        return self.sources

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
        if lemma not in _CLAUSE_SPEECH_VERBS:
            return False
        return (
            has_quote
            or token.dep_ == "parataxis"
            or any(child.dep_ in ("ccomp", "parataxis") for child in token.children)
        )

    def _can_be_source(self, subject: Token) -> bool:
        """A named entity, a pronoun, or a noun that can stand for a source of information."""
        if subject.pos_ in ("PRON", "PROPN") or subject.ent_type_ in ENTITY_LABELS:
            return True
        subtree = self.doc[subject.left_edge.i : subject.right_edge.i + 1]
        if any(
            _is_person(ent, self.labels)
            for ent in entities_in(self.doc, subtree.start, subtree.end)
        ):
            return True
        return (
            lemma_of(subject).lower() in _SOURCE_NOUNS or lemma_of(subject).lower() in _ROLE_NOUNS
        )

    def _person_candidates(self, sent: Span) -> list[_Candidate]:
        candidates = []
        for ent in entities_in(self.doc, sent.start, sent.end):
            if not _is_person(ent, self.labels) or _inside(self.quotes, ent.start_char):
                continue
            root = ent.root
            while root.dep_ in ("compound", "appos", "flat") and root.head.i != root.i:
                root = root.head
            rank = 1 if root.dep_ in ("nsubj", "nsubjpass") else 2
            candidates.append(_Candidate(_clean_name(ent.text), rank, ent.start))
        return candidates

    def _resolve(self, subject: Token, same_sentence: list[_Candidate]) -> str | None:
        if subject.pos_ == "PRON":
            if subject.lower_ in _RESOLVED_PRONOUNS:
                return self._salient_person(subject.i, same_sentence)
            return None
        subtree = self.doc[subject.left_edge.i : subject.right_edge.i + 1]
        persons = [
            ent
            for ent in entities_in(self.doc, subtree.start, subtree.end)
            if _is_person(ent, self.labels)
        ]
        if persons:
            # Prefer the name that contains the subject's head ("Abdelkarim Sabra, the
            # spokesman for ..."), else the first one ("an official who identified himself
            # as Said Mohamed").
            own = [ent for ent in persons if ent.start <= subject.i < ent.end]
            return _clean_name((own or persons)[0].text)
        if subject.ent_type_ in ENTITY_LABELS:
            for ent in entities_in(self.doc, subtree.start, subtree.end):
                if ent.start <= subject.i < ent.end:
                    return _clean_name(ent.text)
        if _is_definite_role(subject):
            return self._salient_person(subject.i, same_sentence)
        return _noun_phrase(subject)

    def _salient_person(self, before: int, same_sentence: list[_Candidate]) -> str | None:
        earlier = [c for c in same_sentence if c.token < before]
        for candidates in [earlier, *reversed(self.history[-_SALIENCE_WINDOW:])]:
            if candidates:
                best = min(candidates, key=lambda c: (c.rank, -c.token))
                return best.name
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
    return _attribution(doc).sources


# ---------------------------------------------------------------- quotes


def _word_count(text: str) -> int:
    return len(_WORD.findall(text))


def _looks_like_title(text: str) -> bool:
    """ "The Lost Symbol", "Operation Dignity": quoted names, not speech."""
    words = _WORD.findall(text)
    capitalised = sum(1 for word in words if word[0].isupper())
    return len(words) < _MIN_UNATTRIBUTED_WORDS and capitalised >= 0.75 * len(words)


def _nearest_cue(
    doc: Doc, text: str, attributor: _Attributor, span: _QuoteSpan, quotes: list[_QuoteSpan]
) -> Token | None:
    """The attribution cue closest to the quote within its sentence(s) and the sentence the
    text after the closing mark belongs to, if that is still the same paragraph."""
    first = doc.char_span(span.start, span.end, alignment_mode="expand")
    if first is None or len(first) == 0:
        return None
    window_start = first[0].sent.start
    window_end = first[-1].sent.end
    after = first[-1].i + 1
    while after < len(doc) and (doc[after].is_punct or doc[after].is_space):
        if "\n" in doc[after].text or "\n" in doc[after - 1].whitespace_:
            break
        after += 1
    if (
        after < len(doc)
        and "\n" not in text[span.end : doc[after].idx]
        and not _inside(quotes, doc[after].idx)
    ):
        window_end = max(window_end, doc[after].sent.end)
    best: Token | None = None
    best_distance = len(doc) + 1
    for token in doc[window_start:window_end]:
        if token.i not in attributor.cues or first.start <= token.i < first.end:
            continue
        if _inside(quotes, token.idx):
            continue
        distance = min(abs(token.i - first.start), abs(token.i - (first.end - 1)))
        if distance < best_distance:
            best, best_distance = token, distance
    return best


def extract_quotes(doc: Doc, article: Article) -> list[Quote]:
    """Quoted speech of at least four words, with the speaker where the text names one.

    A quote that spans sentences is cited by its first sentence and keeps its whole text. An
    unattributed quote right after an attributed one in the same paragraph inherits its
    speaker ("“...,” Haftar said. “Our army forces are ...”").
    """
    attributor = _attribution(doc)
    quotes = _doc_quote_spans(doc)
    full_text = doc.text  # built from the tokens on every access: read it once
    citations = sentence_citations(doc, article.id)
    result: list[Quote] = []
    previous: tuple[_QuoteSpan, str | None] | None = None
    for span in quotes:
        text = span.text.strip().rstrip(",").strip()
        if _word_count(text) < _MIN_QUOTE_WORDS:
            continue
        cue = _nearest_cue(doc, full_text, attributor, span, quotes)
        speaker = attributor.sources.get(cue.i) if cue is not None else None
        if cue is None:
            if previous is not None and "\n" not in full_text[previous[0].end : span.start]:
                speaker = previous[1]
            if speaker is None and not _looks_like_speech(doc, span, text):
                continue
        first = doc.char_span(span.start, span.end, alignment_mode="expand")
        if first is None or len(first) == 0:
            continue
        citation = citations.get(first[0].sent.start)
        if citation is None:
            continue
        result.append(Quote(text=text, speaker=speaker, citation=citation))
        previous = (span, speaker)
    return result


def _looks_like_speech(doc: Doc, span: _QuoteSpan, text: str) -> bool:
    if _looks_like_title(text):
        return False
    if _word_count(text) >= _MIN_UNATTRIBUTED_WORDS:
        return True
    inner = doc.char_span(span.start, span.end, alignment_mode="contract")
    return inner is not None and any(token.pos_ in ("VERB", "AUX") for token in inner)
