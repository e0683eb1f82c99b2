"""Online, time-aware story clustering (after Miranda et al., EMNLP 2018).

Each article, in stream order, is scored against a few candidate stories by a weighted sum of
three similarities: TF-IDF cosine of its text with the story's centroid, cosine of the names it
mentions (capitalised words) with the story's names, and closeness in publication time. It
joins the best story if that score reaches a threshold, else it opens a new story. Copies of an
earlier article (syndicated wire copy, reposts) are recognised first by a copy finder and join
the original's story without counting as new evidence.

Cost per article does not grow with the store: candidates come from an inverted index over
each story's strongest terms and names (postings hold the most recent stories only), centroids
keep a fixed number of terms, and stories that go quiet (by the stream's date clock, or by the
number of articles since their last member) are closed and leave memory. Document frequencies
are learnt from the stream itself; :func:`cluster` first counts a whole batch so that the first
articles of a heap are weighed like the last.

Names come from capitalisation rather than from spaCy's NER: a word written capitalised and
never lower-cased in the article, minus stop words, months and weekdays. It costs a regular
expression pass (spaCy's small pipeline reads about 15 articles a second per core; clustering
has to keep up with a feed), and it needs no model (measured in docs/benchmarks.md).
"""

from __future__ import annotations

import datetime as dt
import heapq
import math
import re
from collections import Counter, OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from functools import lru_cache
from itertools import repeat
from operator import mul
from typing import Any, Protocol

from spacy.lang.en.stop_words import STOP_WORDS

from storyline import settings
from storyline.analyse.vectors import content_terms
from storyline.vocabulary import MONTH_ABBREVIATIONS, MONTHS, WEEKDAY_ABBREVIATIONS, WEEKDAYS

__all__ = [
    "Assignment",
    "ClusterSettings",
    "CopyFinder",
    "StoryClusterer",
    "StoryDoc",
    "cluster",
    "names_of",
]

Vector = dict[str, float]

# Capitalised but not names.
_CALENDAR = frozenset(
    (*MONTHS, *MONTH_ABBREVIATIONS, *WEEKDAYS, *WEEKDAY_ABBREVIATIONS, *(d[:3] for d in WEEKDAYS))
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*[A-Za-z]|[A-Za-z]")
# Just before a word: the text's start or a sentence end, maybe an opening quote or bracket.
_OPENERS = " \t\n\"“‘'([-"
_SENTENCE_START = re.compile(r"(?:[.!?:;]|\n)[\s\"“‘'(\[-]*\Z")


# What the logistic model reads of an article and a candidate story.
FEATURES = (
    "text",  # TF-IDF cosine with the story's centroid
    "names",  # cosine of the names (0 when either side has none)
    "has_names",
    # Time only scales the evidence of words and names: exp(-days outside the story's dates
    # / scale), 0 when either side is undated. On its own ("same day") it would pull unrelated
    # stories of a busy day together; basil-dev, one event a day, would teach exactly that.
    "text_x_time",
    "names_x_time",
    "text_undated",  # text alone decides when there is no time to go by
    "log_size",  # centroids of big stories are broader: their cosines run lower
)


@dataclass(frozen=True)
class ClusterSettings:
    """Weights and limits of the clusterer; defaults in :mod:`storyline.settings`."""

    # Logistic model of "the article belongs to this story": weights of FEATURES, bias.
    weights: tuple[float, ...] = tuple(settings.STORY_MODEL_WEIGHTS)
    bias: float = settings.STORY_MODEL_BIAS
    time_scale_days: float = settings.STORY_TIME_SCALE_DAYS
    join_threshold: float = settings.STORY_JOIN_THRESHOLD
    close_days: int = settings.STORY_CLOSE_DAYS
    close_articles: int = settings.STORY_CLOSE_ARTICLES
    article_words: int = settings.STORY_ARTICLE_WORDS
    article_terms: int = settings.STORY_ARTICLE_TERMS
    centroid_terms: int = settings.STORY_CENTROID_TERMS
    query_keys: int = settings.STORY_QUERY_KEYS
    index_keys: int = settings.STORY_INDEX_KEYS
    posting_limit: int = settings.STORY_POSTING_LIMIT
    candidates: int = settings.STORY_CANDIDATES

    def replace(self, **changes: Any) -> ClusterSettings:
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values.update(changes)
        return ClusterSettings(**values)


@dataclass(frozen=True)
class StoryDoc:
    """What the clusterer reads of an article."""

    key: str
    text: str
    title: str | None = None
    date: dt.date | None = None


@dataclass(frozen=True)
class Assignment:
    """Where an article went: its story, the article it copies (if any), the joining score."""

    key: str
    story: str
    duplicate_of: str | None = None
    score: float | None = None  # None: the article opened the story (or copies its original)


class CopyFinder(Protocol):
    """Near-duplicate detection run before clustering (``storyline.stories.duplicates``)."""

    def add(self, key: str, text: str) -> str | None:
        """Index ``text``; return the key of an earlier text it copies, else None."""
        ...


def names_of(text: str) -> list[str]:
    """Lower-cased words the text writes capitalised inside sentences and never lower-case.

    A capital after a sentence end says nothing (lower-cased feeds capitalise only sentence
    starts), so a word counts only if it is capitalised somewhere else too.
    """
    lower: set[str] = set()
    inside: set[str] = set()
    found: list[str] = []
    for match in _WORD.finditer(text):
        word = match.group()
        if word[0].islower():
            lower.add(word)
            continue
        if word[0].isupper():
            if word.endswith(("'s", "’s")):
                word = word[:-2]
            folded = word.lower()
            found.append(folded)
            start = match.start()
            before = text[max(start - 8, 0) : start]
            at_start = _SENTENCE_START.search(before) or (start <= 8 and not before.strip(_OPENERS))
            if not at_start:
                inside.add(folded)
    return [
        name
        for name in found
        if name in inside
        and name not in lower
        and len(name) > 1
        and name not in STOP_WORDS
        and name not in _CALENDAR
    ]


@dataclass
class _Features:
    terms: Counter[str]
    names: Counter[str]


@dataclass
class _Story:
    number: int
    terms: Vector = field(default_factory=dict)  # sum of member vectors (pruned)
    names: Vector = field(default_factory=dict)
    term_norm: float = 0.0
    name_norm: float = 0.0
    first: dt.date | None = None
    last: dt.date | None = None
    size: int = 0
    last_seen: int = 0  # stream position of the last member
    keys: set[str] = field(default_factory=set)  # index keys it is listed under
    members: list[str] = field(default_factory=list)  # article keys, forgotten when it closes

    @property
    def id(self) -> str:
        return f"s{self.number}"


def _top(vector: Vector, count: int) -> list[str]:
    """The ``count`` heaviest terms (ties in insertion order, so runs are reproducible)."""
    return heapq.nlargest(count, vector, key=vector.__getitem__)


def _norm(vector: Vector) -> float:
    return math.sqrt(sum(value * value for value in vector.values()))


def _dot(a: Vector, b: Vector) -> float:
    if len(a) > len(b):
        a, b = b, a
    # Looked up and multiplied in C: this is the inner loop of the clusterer.
    return sum(map(mul, a.values(), map(b.get, a.keys(), repeat(0.0))))


@lru_cache(maxsize=500_000)
def _token_terms(token: str) -> tuple[str, ...]:
    return tuple(content_terms(token))


def terms_of(text: str) -> list[str]:
    """``content_terms`` of ``text``, cached per whitespace token (the same terms: a term never
    spans whitespace; a feed repeats its words)."""
    return [term for token in text.split() for term in _token_terms(token)]


class StoryClusterer:
    """Assigns articles, one at a time, to stories (see the module docstring).

    Deterministic: the same articles in the same order give the same stories.
    """

    def __init__(
        self, options: ClusterSettings | None = None, copies: CopyFinder | None = None
    ) -> None:
        self.options = options or ClusterSettings()
        self.copies = copies
        self.documents = 0  # articles counted into the document frequencies
        self.term_df: Counter[str] = Counter()
        self.name_df: Counter[str] = Counter()
        self.position = 0  # articles assigned so far
        self.clock: dt.date | None = None  # latest publication date seen
        self.next_number = 1
        self.stories: OrderedDict[str, _Story] = OrderedDict()  # open, least recently fed first
        self.story_of: dict[str, str] = {}  # article key -> open story (copies look it up)
        self._postings: dict[str, dict[str, None]] = {}
        self._features: dict[str, _Features] = {}  # counted but not yet assigned

    # ------------------------------------------------------------ features

    def _extract(self, doc: StoryDoc) -> _Features:
        body = " ".join(doc.text.split()[: self.options.article_words])
        text = body if not doc.title or body.startswith(doc.title) else f"{doc.title}\n{body}"
        return _Features(Counter(terms_of(text)), Counter(names_of(body)))

    def observe(self, docs: Iterable[StoryDoc]) -> None:
        """Count documents into the term statistics before they are assigned.

        Called by :func:`cluster` on a whole batch, so that the first articles of a heap are
        weighed with the same statistics as the last.
        """
        for doc in docs:
            if doc.key in self._features:
                continue
            features = self._extract(doc)
            self._features[doc.key] = features
            self.documents += 1
            self.term_df.update(features.terms.keys())
            self.name_df.update(features.names.keys())

    def _vector(self, counts: Counter[str], df: Counter[str], keep: int) -> Vector:
        total = self.documents + 1
        weights = {
            term: (1.0 + math.log(tf)) * (math.log(total / (df[term] + 1)) + 1.0)
            for term, tf in counts.items()
        }
        if len(weights) > keep:
            weights = {term: weights[term] for term in _top(weights, keep)}
        norm = _norm(weights)
        return {term: value / norm for term, value in weights.items()} if norm else {}

    # ------------------------------------------------------------ assignment

    def add(self, doc: StoryDoc) -> Assignment:
        """Assign one article to a story (opening one if none is close enough)."""
        self._advance(doc)
        original = self.copies.add(doc.key, doc.text) if self.copies is not None else None
        if original is not None and original in self.story_of:
            # A copy is no new evidence: it joins its original's story, centroid unchanged.
            self._features.pop(doc.key, None)
            story_id = self.story_of[original]
            story = self.stories.get(story_id)
            if story is not None:
                self._touch(story, doc.date)
                story.members.append(doc.key)
                self.story_of[doc.key] = story_id
            return Assignment(doc.key, story_id, duplicate_of=original)

        terms, names = self._vectors(doc)
        best: _Story | None = None
        best_score = -1.0
        for story in self._candidates(terms, names):
            score = self._score(story, terms, names, doc.date)
            if score is not None and score > best_score:
                best, best_score = story, score
        joined: float | None = round(best_score, 4)
        if best is None or best_score < self.options.join_threshold:
            best, joined = self._open(), None
        self._absorb(best, terms, names, doc.date)
        best.members.append(doc.key)
        self.story_of[doc.key] = best.id
        return Assignment(doc.key, best.id, duplicate_of=original, score=joined)

    def _advance(self, doc: StoryDoc) -> None:
        """Count the article into the statistics, move the clocks, close quiet stories."""
        self.observe([doc])
        self.position += 1
        if doc.date is not None and (self.clock is None or doc.date > self.clock):
            self.clock = doc.date
        self._close_quiet()

    def _vectors(self, doc: StoryDoc) -> tuple[Vector, Vector]:
        features = self._features.pop(doc.key)
        keep = self.options.article_terms
        return (
            self._vector(features.terms, self.term_df, keep),
            self._vector(features.names, self.name_df, keep),
        )

    def _open(self) -> _Story:
        story = _Story(self.next_number)
        self.next_number += 1
        self.stories[story.id] = story
        return story

    def _candidates(self, terms: Vector, names: Vector) -> list[_Story]:
        """Open stories sharing the article's strongest terms or names, most shared first."""
        options = self.options
        keys = _top(terms, options.query_keys) + [
            "@" + name for name in _top(names, options.query_keys // 2)
        ]
        hits: Counter[str] = Counter()
        for key in keys:
            hits.update(self._postings.get(key, {}).keys())
        return [self.stories[story_id] for story_id, _ in hits.most_common(options.candidates)]

    def _score(
        self, story: _Story, terms: Vector, names: Vector, date: dt.date | None
    ) -> float | None:
        """Probability that the article belongs to ``story`` (None: the story is closed to it)."""
        values = self._feature_values(story, terms, names, date)
        if values is None:
            return None
        logit = self.options.bias + sum(map(mul, self.options.weights, values))
        return 1.0 / (1.0 + math.exp(-logit))

    def _feature_values(
        self, story: _Story, terms: Vector, names: Vector, date: dt.date | None
    ) -> tuple[float, ...] | None:
        """The values of :data:`FEATURES` for an article and a story."""
        options = self.options
        if date is not None and story.last is not None:
            if (date - story.last).days > options.close_days:
                return None  # the story went quiet before this article
            gap = max((story.first - date).days, (date - story.last).days, 0)
            time, has_time = math.exp(-gap / options.time_scale_days), 1.0
        else:
            time, has_time = 0.0, 0.0
        text = _dot(terms, story.terms) / (story.term_norm or 1.0)
        if names and story.names:
            name, has_names = _dot(names, story.names) / story.name_norm, 1.0
        else:
            name, has_names = 0.0, 0.0
        return (
            text,
            name,
            has_names,
            text * time,
            name * time,
            text * (1.0 - has_time),
            math.log(story.size),
        )

    def _touch(self, story: _Story, date: dt.date | None) -> None:
        story.size += 1
        story.last_seen = self.position
        if date is not None:
            story.first = date if story.first is None else min(story.first, date)
            story.last = date if story.last is None else max(story.last, date)
        self.stories.move_to_end(story.id)

    def _absorb(self, story: _Story, terms: Vector, names: Vector, date: dt.date | None) -> None:
        self._touch(story, date)
        limit = self.options.centroid_terms
        for target, vector in ((story.terms, terms), (story.names, names)):
            for term, value in vector.items():
                target[term] = target.get(term, 0.0) + value
            if len(target) > limit * 3 // 2:  # prune in batches: sorting each time costs more
                kept = set(_top(target, limit))
                for term in [term for term in target if term not in kept]:
                    del target[term]
        story.term_norm = _norm(story.terms)
        story.name_norm = _norm(story.names)
        self._index(story)

    # ------------------------------------------------------------ index

    def _index(self, story: _Story) -> None:
        count = self.options.index_keys
        keys = set(_top(story.terms, count)) | {
            "@" + name for name in _top(story.names, count // 2)
        }
        for key in story.keys - keys:
            self._postings.get(key, {}).pop(story.id, None)
        limit = self.options.posting_limit
        for key in keys:
            posting = self._postings.setdefault(key, {})
            posting.pop(story.id, None)
            posting[story.id] = None  # most recent last
            if len(posting) > limit:
                del posting[next(iter(posting))]
        story.keys = keys

    def _unindex(self, story: _Story) -> None:
        for key in story.keys:
            posting = self._postings.get(key)
            if posting is not None:
                posting.pop(story.id, None)
                if not posting:
                    del self._postings[key]

    def _close_quiet(self) -> None:
        """Close the least recently fed stories that went quiet (memory stays bounded).

        Stories are kept in order of their last member; the sweep stops at the first one still
        open, so a story fed recently with an old article waits its turn (it no longer attracts
        articles dated after its window anyway, see :meth:`_score`).
        """
        options = self.options
        while self.stories:
            story = next(iter(self.stories.values()))
            idle = self.position - story.last_seen > options.close_articles
            quiet = (
                self.clock is not None
                and story.last is not None
                and (self.clock - story.last).days > options.close_days
            )
            if not (idle or quiet):
                break
            self.close(story.id)

    def close(self, story_id: str) -> None:
        """Stop feeding a story and free its memory."""
        story = self.stories.pop(story_id, None)
        if story is not None:
            self._unindex(story)
            for key in story.members:
                self.story_of.pop(key, None)

    @property
    def open_stories(self) -> int:
        return len(self.stories)

    # ------------------------------------------------------------ persistence

    def state(self) -> dict[str, Any]:
        """JSON-ready state (for the store): statistics and the open stories."""
        return {
            "documents": self.documents,
            "term_df": dict(self.term_df),
            "name_df": dict(self.name_df),
            "position": self.position,
            "clock": self.clock.isoformat() if self.clock else None,
            "next_number": self.next_number,
            "stories": [
                {
                    "number": s.number,
                    "terms": s.terms,
                    "names": s.names,
                    "first": s.first.isoformat() if s.first else None,
                    "last": s.last.isoformat() if s.last else None,
                    "size": s.size,
                    "last_seen": s.last_seen,
                }
                for s in self.stories.values()
            ],
        }

    @classmethod
    def from_state(
        cls,
        state: dict[str, Any],
        options: ClusterSettings | None = None,
        copies: CopyFinder | None = None,
        story_of: dict[str, str] | None = None,
    ) -> StoryClusterer:
        clusterer = cls(options, copies)
        clusterer.documents = state["documents"]
        clusterer.term_df = Counter(state["term_df"])
        clusterer.name_df = Counter(state["name_df"])
        clusterer.position = state["position"]
        clusterer.clock = dt.date.fromisoformat(state["clock"]) if state["clock"] else None
        clusterer.next_number = state["next_number"]
        clusterer.story_of = dict(story_of or {})
        members: dict[str, list[str]] = {}
        for key, story_id in clusterer.story_of.items():
            members.setdefault(story_id, []).append(key)
        for saved in state["stories"]:
            story = _Story(
                saved["number"],
                terms=dict(saved["terms"]),
                names=dict(saved["names"]),
                first=dt.date.fromisoformat(saved["first"]) if saved["first"] else None,
                last=dt.date.fromisoformat(saved["last"]) if saved["last"] else None,
                size=saved["size"],
                last_seen=saved["last_seen"],
            )
            story.term_norm = _norm(story.terms)
            story.name_norm = _norm(story.names)
            story.members = members.get(story.id, [])
            clusterer.stories[story.id] = story
            clusterer._index(story)
        return clusterer


def stream_order(docs: Sequence[StoryDoc]) -> list[int]:
    """The order a heap is fed in: undated articles first (as given), then by date.

    Undated stories never close by date, so undated articles wait for no clock; dated ones
    arrive as they would have in a feed.
    """
    return sorted(
        range(len(docs)),
        key=lambda i: (docs[i].date is not None, docs[i].date or dt.date.min, i),
    )


def cluster(
    docs: Sequence[StoryDoc],
    options: ClusterSettings | None = None,
    copies: CopyFinder | None = None,
) -> list[Assignment]:
    """Stories of a heap of articles, one :class:`Assignment` per doc, in input order."""
    clusterer = StoryClusterer(options, copies)
    clusterer.observe(docs)
    assignments: list[Assignment | None] = [None] * len(docs)
    for index in stream_order(docs):
        assignments[index] = clusterer.add(docs[index])
    return [a for a in assignments if a is not None]
