"""Reported figures across articles: reports of one quantity merged into one figure, and
whether their sources agree.

Per-article extraction is :mod:`storyline.analyse.figures`; this module needs no parse.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from storyline.analyse.figure_vocabulary import (
    CATEGORY_ORDER,
    PEOPLE_CATEGORIES,
    PEOPLE_SYNONYMS,
    QUALIFIER_RANGE,
    TIMELESS_CATEGORIES,
)
from storyline.analyse.figures import clean_entity
from storyline.analyse.temporal import find_time_expressions
from storyline.model import Article, Citation, Figure, FigureMention, FigureReport, TimePoint

__all__ = ["merge_figures"]

# Different values of one quantity, reported this close in time, disagree (later: an update).
_TIME_TOLERANCE = dt.timedelta(days=3)
# Categories whose key (what is counted, about whom, when) names one quantity well enough to
# say that different values disagree. Generic counts, money and distances are merged only when
# their values agree: "escaped in 32 vehicles" and "sent 200 cars" are different quantities.
_COMPARABLE_CATEGORIES = PEOPLE_CATEGORIES | {"percent controlled"}
_STATUS_ORDER = {"disagree": 0, "agree": 1, "single": 2}
_MULTIPLIED = re.compile(r"(\d+(?:\.(\d+))?)\s*(million|billion|trillion|bn|mn|m)\b", re.IGNORECASE)
_MULTIPLIED_VALUES = {
    "million": 1e6,
    "billion": 1e9,
    "trillion": 1e12,
    "bn": 1e9,
    "mn": 1e6,
    "m": 1e6,
}
_WRITTEN_NUMBER = re.compile(
    r"(\d[\d,]*(?:\.\d+)?)\s*(million|billion|trillion|bn|mn)?\b", re.IGNORECASE
)
_IRREGULAR_SINGULARS = {"people": "people", "men": "man", "women": "woman", "children": "child"}


@dataclass
class _Report:
    mention: FigureMention
    when: TimePoint | None
    low: float
    high: float
    # The independent report the mention's sentence belongs to (copies of one wire story are
    # one report; see storyline.analyse.repeats): its article id when it is its own.
    source: str = ""


def _singular(word: str) -> str:
    if word in _IRREGULAR_SINGULARS:
        return _IRREGULAR_SINGULARS[word]
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def _counted_key(mention: FigureMention) -> str:
    """What is counted, normalised: people/residents/inhabitants are one population, but
    civilians and soldiers stay different quantities."""
    words = mention.counted.lower().split()
    if mention.category.startswith("percent") or not words:
        return " ".join(words)
    head = _singular(words[-1])
    if mention.category in PEOPLE_CATEGORIES and head in PEOPLE_SYNONYMS:
        return "people"
    if mention.category == "vehicles":
        return "vehicles"
    return " ".join([*words[:-1], head])


def _subject_key(subject: str | None) -> str:
    return clean_entity(subject).casefold() if subject else ""


def _value_range(mention: FigureMention) -> tuple[float, float]:
    """Values the report is consistent with: "about 150,000" covers 135,000-165,000;
    "2.5 million" is exact only to a hundred thousand."""
    low_factor, high_factor = QUALIFIER_RANGE.get(mention.qualifier, (1.0, 1.0))
    low, high = mention.value * low_factor, mention.value * high_factor
    if mention.qualifier == "between":
        numbers = _WRITTEN_NUMBER.findall(mention.text)
        if len(numbers) >= 2:
            digits, word = numbers[-1]
            upper = float(digits.replace(",", "")) * _MULTIPLIED_VALUES.get(word.lower(), 1.0)
            high = max(high, upper)
    written = _MULTIPLIED.search(mention.text)
    if written:
        decimals = len(written.group(2) or "")
        slack = 0.5 * 10**-decimals * _MULTIPLIED_VALUES[written.group(3).lower()]
        low, high = low - slack, high + slack
    return low, high


def _mention_time(mention: FigureMention, article: Article | None) -> TimePoint | None:
    """The day the figure refers to: a day named in its sentence, else the article date."""
    if article is None:
        return None
    sentence = article.text[mention.citation.start : mention.citation.end]
    position = max(sentence.find(mention.text), 0)
    days = [
        expression
        for expression in find_time_expressions(sentence, article.date)
        if expression.when.granularity == "day"
        and (article.date is None or expression.when.date <= article.date)
    ]
    if days:
        nearest = min(days, key=lambda e: min(abs(e.start - position), abs(e.end - position)))
        return nearest.when
    return TimePoint(article.date) if article.date is not None else None


def _compatible(one: _Report, other: _Report, timeless: bool, may_disagree: bool) -> bool:
    """Whether two reports can be of one figure (see :func:`_same_quantity_groups`)."""
    if one.mention.value == other.mention.value:
        return True  # the same number restated, whenever
    if one.source == other.source:
        return False  # one article (or copies of one) giving two numbers: two quantities
    if not may_disagree and not _agree([one, other]):
        return False
    if timeless or one.when is None or other.when is None:
        return True
    return abs(one.when.date - other.when.date) <= _TIME_TOLERANCE


def _same_quantity_groups(reports: list[_Report], category: str) -> list[list[_Report]]:
    """Reports of one key split into figures.

    The same number is one figure whatever the dates (a toll restated later is still that
    toll). Different numbers from different articles are one figure, disagreeing, when they
    report the same moment: within three days (populations: any time); a later, different
    toll is an update, not a disagreement. Generic counts, money and distances never
    disagree: their key is too loose to say that two different values measure one thing, so
    only agreeing values ("about 150" and "150") are grouped.
    """
    timeless = category in TIMELESS_CATEGORIES
    may_disagree = category in _COMPARABLE_CATEGORIES
    ordered = sorted(
        reports,
        key=lambda r: (r.when.date if r.when else dt.date.max, _citation_order(r.mention)),
    )
    groups: list[list[_Report]] = []
    for report in ordered:
        for group in groups:
            if all(_compatible(report, member, timeless, may_disagree) for member in group):
                group.append(report)
                break
        else:
            groups.append([report])
    return groups


def _agree(reports: list[_Report]) -> bool:
    return max(r.low for r in reports) <= min(r.high for r in reports) * (1 + 1e-9)


def _reporter_name(mention: FigureMention, article: Article | None) -> str:
    outlet = (article.outlet if article is not None else None) or mention.citation.article_id
    return f"{outlet} citing {mention.reporter}" if mention.reporter else outlet


def _figure(reports: list[_Report], articles: dict[str, Article]) -> Figure:
    # A number repeated within one article, or by copies of one report, counts once; the
    # copies are listed with the report they repeat.
    unique: list[_Report] = []
    repeats: dict[tuple[str, float], list[FigureMention]] = {}
    for report in sorted(reports, key=lambda r: _citation_order(r.mention)):
        key = (report.source, report.mention.value)
        if key not in repeats:
            repeats[key] = []
            unique.append(report)
        else:
            repeats[key].append(report.mention)
    mentions = [report.mention for report in unique]
    counted = Counter(mention.counted for mention in mentions).most_common(1)[0][0]
    subject = next((mention.subject for mention in mentions if mention.subject), None)
    times = [report.when for report in unique if report.when is not None]
    sources = {report.source for report in unique}
    status = "single" if len(sources) == 1 else "agree" if _agree(unique) else "disagree"
    return Figure(
        category=mentions[0].category,
        counted=counted,
        subject=subject,
        when=max(times) if times else None,
        reports=[
            _figure_report(report, repeats[(report.source, report.mention.value)], articles)
            for report in unique
        ],
        status=status,  # type: ignore[arg-type]
    )


def _figure_report(
    report: _Report, copies: list[FigureMention], articles: dict[str, Article]
) -> FigureReport:
    mention = report.mention
    carried = {mention.citation.article_id: mention}  # one citation per article
    for copy in copies:
        carried.setdefault(copy.citation.article_id, copy)
    outlets = []
    for article_id in carried:
        article = articles.get(article_id)
        outlets.append((article.outlet if article is not None else None) or article_id)
    return FigureReport(
        value=mention.value,
        text=mention.text,
        qualifier=mention.qualifier,
        reporter=_reporter_name(mention, articles.get(mention.citation.article_id)),
        citation=mention.citation,
        repeats=[copy.citation for copy in list(carried.values())[1:]],
        outlets=list(dict.fromkeys(outlets)) if len(carried) > 1 else [],
    )


def _citation_order(mention: FigureMention) -> tuple[str, int, int]:
    return (mention.citation.article_id, mention.citation.sentence_index, mention.citation.start)


def _figure_order(figure: Figure) -> tuple[int, int, int, tuple[str, int, int]]:
    category = CATEGORY_ORDER.index(figure.category) if figure.category in CATEGORY_ORDER else 99
    first = figure.reports[0].citation
    return (
        _STATUS_ORDER[figure.status],
        category,
        -len(figure.reports),
        (first.article_id, first.sentence_index, first.start),
    )


def merge_figures(
    mentions: list[FigureMention],
    articles: dict[str, Article],
    report_of: Callable[[Citation], str] | None = None,
) -> list[Figure]:
    """Group mentions reporting the same quantity and say whether their sources agree.

    Same quantity: same category, compatible counted noun, same subject (or both none) and,
    for different values, reports within three days of each other (see
    :func:`_same_quantity_groups`). A report's time is a day named in its sentence, else its
    article's date. Disagreements come first, then agreements, then single reports; within
    each, by category importance and support. ``report_of`` gives the independent report of
    a citation (default: its article): agreement is counted across reports, so a figure
    carried only by copies of one wire story is reported once.
    """
    groups: dict[tuple[str, str, str], list[_Report]] = defaultdict(list)
    for mention in mentions:
        article = articles.get(mention.citation.article_id)
        low, high = _value_range(mention)
        key = (mention.category, _counted_key(mention), _subject_key(mention.subject))
        source = report_of(mention.citation) if report_of else mention.citation.article_id
        groups[key].append(_Report(mention, _mention_time(mention, article), low, high, source))
    figures = [
        _figure(group, articles)
        for (category, _counted, _subject), reports in groups.items()
        for group in _same_quantity_groups(reports, category)
    ]
    return sorted(figures, key=_figure_order)
