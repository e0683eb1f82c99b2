"""Typed data objects passed between the pipeline stages.

ingest -> Article (+ SkippedInput)
analyse -> AnalysedArticle, Story (entities, times, actors, places, figures, quotes)
summarise / timeline -> SummarySentence, TimelineEntry
render -> Markdown / JSON of a Brief

Every character offset (``start``/``end``) points into ``Article.text``, the cleaned text of
the article, so any cited sentence can be found again in the brief's own copy of the text.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Literal

Granularity = Literal["day", "month", "year"]
GRANULARITY_ORDER: dict[str, int] = {"year": 0, "month": 1, "day": 2}


@dataclass(frozen=True, order=True)
class TimePoint:
    """A calendar date known to a granularity; ``date`` is the first day of the period."""

    date: dt.date
    granularity: Granularity = "day"

    @classmethod
    def of(cls, year: int, month: int | None = None, day: int | None = None) -> TimePoint:
        if month is None:
            return cls(dt.date(year, 1, 1), "year")
        if day is None:
            return cls(dt.date(year, month, 1), "month")
        return cls(dt.date(year, month, day), "day")

    def iso(self) -> str:
        """``2018-05-07``, ``2015-06`` or ``2014`` depending on granularity."""
        if self.granularity == "year":
            return f"{self.date.year:04d}"
        if self.granularity == "month":
            return f"{self.date.year:04d}-{self.date.month:02d}"
        return self.date.isoformat()

    def last_day(self) -> dt.date:
        """Last day of the period (for span checks)."""
        if self.granularity == "day":
            return self.date
        if self.granularity == "year":
            return dt.date(self.date.year, 12, 31)
        nxt = dt.date(self.date.year + self.date.month // 12, self.date.month % 12 + 1, 1)
        return nxt - dt.timedelta(days=1)

    def contains(self, day: dt.date) -> bool:
        return self.date <= day <= self.last_day()


@dataclass(frozen=True)
class DateClue:
    """Words of an article that fix or bound its publication date, and what they say.

    ``start``/``end`` point into ``Article.text`` when the words are in it (not when they
    came from container metadata, the title, the URL or a removed byline/dateline).
    """

    reason: str  # "byline", "latest date mentioned", "three years after 2014", ...
    text: str  # the words as written (article text: untrusted)
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True)
class PublicationDate:
    """When an article was published, as far as its input or its text tells.

    ``earliest`` is a lower bound (its first day counts: "not before 2017" is 2017-01-01),
    ``latest`` an upper bound (its last day counts); ``None`` leaves that side open. Both
    the same day: the exact date. ``read``: taken from the input (metadata, byline, date
    line, dateline, URL) rather than inferred from what the text mentions.
    """

    earliest: TimePoint | None = None
    latest: TimePoint | None = None
    read: bool = False
    clues: tuple[DateClue, ...] = ()

    @classmethod
    def on(cls, day: dt.date, *, read: bool, clues: tuple[DateClue, ...] = ()) -> PublicationDate:
        point = TimePoint(day, "day")
        return cls(point, point, read, clues)

    @property
    def exact(self) -> dt.date | None:
        """The day, when the bounds pin one."""
        if self.earliest is None or self.latest is None:
            return None
        first, last = self.earliest.date, self.latest.last_day()
        return first if first == last else None

    @property
    def first_day(self) -> dt.date | None:
        return self.earliest.date if self.earliest is not None else None

    @property
    def last_day(self) -> dt.date | None:
        return self.latest.last_day() if self.latest is not None else None

    @property
    def known(self) -> bool:
        return self.earliest is not None or self.latest is not None

    def contains(self, day: dt.date) -> bool:
        first, last = self.first_day, self.last_day
        return (first is None or first <= day) and (last is None or day <= last)

    def describe(self) -> str:
        """``2018-05-23``, ``not before 2017``, ``not after 2019-03``, ``2016-07 to 2017``."""
        exact = self.exact
        if exact is not None:
            return exact.isoformat()
        if self.earliest is not None and self.latest is not None:
            return f"{self.earliest.iso()} to {self.latest.iso()}"
        if self.earliest is not None:
            return f"not before {self.earliest.iso()}"
        if self.latest is not None:
            return f"not after {self.latest.iso()}"
        return "unknown"


# ---------------------------------------------------------------- ingest


@dataclass
class SkippedInput:
    """An input (file, or ``file:line`` of a JSONL file) that produced no article."""

    source: str
    reason: str
    # The detected language of an article skipped because it is not in English (ISO 639 code).
    language: str | None = None


@dataclass
class RemovedText:
    """A piece of the raw text that cleaning removed, with the reason."""

    text: str
    reason: str


@dataclass
class RawDocument:
    """What a reader found in one input, before cleaning and metadata extraction.

    Container fields (JSONL fields, HTML metadata) are kept as given; ``date_text`` is parsed
    later together with any date the text itself shows.
    """

    source: str
    text: str
    title: str | None = None
    date_text: str | None = None
    url: str | None = None
    outlet: str | None = None
    encoding: str | None = None
    input_id: str | None = None  # the input's own id of the article (a JSONL "id" field)
    warnings: list[str] = field(default_factory=list)  # e.g. mixed encodings in the file
    # When the page was fetched (a WARC record's WARC-Date, ISO 8601): not its publication
    # date, though the article cannot be later than it.
    retrieved: str | None = None


@dataclass(frozen=True)
class RepeatedText:
    """A sentence of an article found again (near-identical) in an earlier article: wire text
    carried by both, not independent reporting. Offsets into the two cleaned texts."""

    start: int
    end: int
    article_id: str  # where it first appeared
    source_start: int
    source_end: int


@dataclass
class Article:
    """One cleaned article. ``text`` is what every offset in the brief refers to.

    ``copy_of``: the id of the article this one copies (a syndicated copy of one text, set by
    :func:`storyline.stories.copies.mark_copies`); ``repeated``: its sentences that repeat an
    earlier article (for a copy, most of them).
    """

    id: str
    source: str
    text: str
    title: str | None = None
    date: dt.date | None = None
    date_inferred: bool = False
    date_evidence: str | None = None
    outlet: str | None = None
    url: str | None = None
    encoding: str | None = None
    removed: list[RemovedText] = field(default_factory=list)
    dateline: str | None = None
    copy_of: str | None = None
    repeated: list[RepeatedText] = field(default_factory=list)
    # The publication date with its bounds and evidence. ``date`` above stays the exact day
    # (read, or inferred where the text pins it); a range leaves ``date`` None.
    published: PublicationDate | None = None
    # Month and day of a wire dateline ("Jan. 1" of "WASHINGTON, Jan. 1 (UPI) --"), as
    # written: the day of publication without its year.
    dateline_date: str | None = None
    # The input's own id of the article (a JSONL "id" field), beside our a1, a2... ids.
    input_id: str | None = None
    # Detected language (ISO 639 code; None when the text is too short or the detector unsure).
    language: str | None = None
    # What was odd about the input but did not stop it (e.g. mixed encodings).
    warnings: list[str] = field(default_factory=list)
    # When the page was fetched (a WARC record's WARC-Date, ISO 8601), not when it was published.
    retrieved: str | None = None

    @property
    def words(self) -> int:
        return len(self.text.split())


@dataclass
class IngestResult:
    articles: list[Article]
    skipped: list[SkippedInput]


# ---------------------------------------------------------------- analyse


@dataclass(frozen=True)
class Citation:
    """Where a piece of the brief comes from: a sentence of an article."""

    article_id: str
    sentence_index: int
    start: int
    end: int


@dataclass
class Sentence:
    article_id: str
    index: int
    start: int
    end: int
    text: str

    @property
    def citation(self) -> Citation:
        return Citation(self.article_id, self.index, self.start, self.end)


def sentence_index_at(sentences: list[Sentence], offset: int) -> int:
    """Index of the sentence that contains character ``offset`` (sentences in text order)."""
    return max(bisect_right(sentences, offset, key=lambda sentence: sentence.start) - 1, 0)


@dataclass
class EntityMention:
    text: str
    label: str  # spaCy label: PERSON, ORG, NORP, GPE, LOC, FAC
    article_id: str
    sentence_index: int
    start: int
    end: int
    # How the sentence uses the name: "narrative" (what the story tells), "attribution" (the
    # source or addressee of reported speech: "told AFP", "Reuters reported"), "furniture"
    # (a sentence with no clause: credits, promo lines, "Watch CBSN Live").
    role: str = "narrative"


@dataclass
class TimeExpression:
    """A temporal expression found in text, normalised to a date.

    Offsets are relative to the text given to the tagger (the article text in a Story).
    ``relative`` is True when the value depends on the anchor date (weekdays, "yesterday",
    month-day without a year).
    """

    text: str
    start: int
    end: int
    when: TimePoint
    relative: bool = False
    # Set when the value is only known to lie between ``when`` and this (a relative date
    # counted from a publication date known as a range): ``when`` is the earliest reading.
    until: TimePoint | None = None


@dataclass
class FigureMention:
    """A number in a sentence with what it counts."""

    value: float
    text: str  # the number phrase as written, e.g. "about 150,000 people"
    category: str  # killed, wounded, population, percent, vehicles, ... or "count"
    counted: str  # the noun counted ("people", "soldiers") or what the percent is of
    subject: str | None  # the entity the figure is about (e.g. "Derna"), if any
    qualifier: str | None  # "about", "at least", "more than", ...
    reporter: str | None  # attributed source inside the text ("concordant sources", a speaker)
    citation: Citation


@dataclass
class Quote:
    text: str
    speaker: str | None
    citation: Citation
    # In the story's list of quotes (``Story.quotes``): where else the same quote appears, and
    # every outlet that carried it (the article id when the outlet is unknown), first first.
    repeats: list[Citation] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)


@dataclass
class AnalysedArticle:
    article: Article
    sentences: list[Sentence]
    entities: list[EntityMention]
    times: list[TimeExpression]
    figures: list[FigureMention]
    quotes: list[Quote]
    # TF-IDF vector of each sentence (term -> weight), IDF over the story's articles.
    vectors: list[dict[str, float]] = field(default_factory=list)


@dataclass
class Actor:
    name: str
    type: str  # person, organisation, group, ...
    aliases: list[str]
    mentions: int
    articles: list[str]


@dataclass
class Place:
    name: str
    aliases: list[str]
    mentions: int
    articles: list[str]
    geo_name: str | None = None
    country: str | None = None  # ISO 3166-1 alpha-2
    latitude: float | None = None
    longitude: float | None = None
    kind: str | None = None  # city, country, region ...


@dataclass
class FigureReport:
    value: float
    text: str
    qualifier: str | None
    reporter: str  # outlet of the article, plus the attributed source where there is one
    citation: Citation
    # The same report carried by copies (one independent report): their citations, and every
    # outlet that carried it, first first.
    repeats: list[Citation] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)


@dataclass
class Figure:
    """One quantity (what is counted, about whom, when) as reported by one or more sources."""

    category: str
    counted: str
    subject: str | None
    when: TimePoint | None
    reports: list[FigureReport]
    status: Literal["single", "agree", "disagree"]


@dataclass
class Story:
    articles: list[AnalysedArticle]
    skipped: list[SkippedInput]
    actors: list[Actor] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    # Normalised centroid of all sentence vectors: what the story is mostly about.
    centroid: dict[str, float] = field(default_factory=dict)
    # Set when the story exceeded its parse budget: names, figures and quotes were read from
    # about this many leading words of each article (sentences and dates from all of it).
    parsed_words_per_article: int | None = None
    # Every quote once, with every article and outlet that carried it (story order).
    quotes: list[Quote] = field(default_factory=list)
    # (article id, sentence index) -> the independent report the sentence belongs to, where
    # that is not its own article: every sentence of a copy belongs to its original, and a
    # sentence repeated from an earlier article to that article's report.
    reports: dict[tuple[str, int], str] = field(default_factory=dict)

    def report_of(self, article_id: str, sentence_index: int) -> str:
        """The independent report a sentence belongs to (an article id): support from copies
        of one report is not independent support."""
        return self.reports.get((article_id, sentence_index), article_id)

    def article(self, article_id: str) -> AnalysedArticle:
        for analysed in self.articles:
            if analysed.article.id == article_id:
                return analysed
        raise KeyError(article_id)


# ---------------------------------------------------------------- summarise / timeline / brief


@dataclass
class SummarySentence:
    text: str
    citation: Citation


@dataclass
class TimelineEntry:
    when: TimePoint
    text: str
    citations: list[Citation]  # the first is the sentence shown as ``text``
    # The event lies between ``when`` and this (see ``TimeExpression.until``).
    until: TimePoint | None = None

    def date_text(self) -> str:
        """``2018-05-07``, or ``2018-05-28 to 2018-06-03`` for an event known as a range."""
        return self.when.iso() if self.until is None else f"{self.when.iso()} to {self.until.iso()}"


@dataclass
class Brief:
    title: str
    summary: list[SummarySentence]
    timeline: list[TimelineEntry]
    story: Story

    @property
    def articles(self) -> list[Article]:
        return [analysed.article for analysed in self.story.articles]

    @property
    def skipped(self) -> list[SkippedInput]:
        return self.story.skipped
