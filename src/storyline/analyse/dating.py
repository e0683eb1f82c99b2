"""Publication dates for the articles of a story that came without one.

News is published on or after the events it reports, so the latest day or month an article
mentions is a lower bound for its own date and usually close to it. An article that names no
day or month, or only dates long before the rest of the story (background such as "11
September 2001"), gets the date of the dated article it most resembles by content.

Measured on Timeline17 (clusters of 8-50 articles, a quarter of the dates hidden): the
latest date mentioned is within 3 days of the true date for 72% of the articles that mention
one; falling back on the closest article when that date is over a year older than it raises
this to 75% and cuts the mean error from 484 to 24 days. For articles without such dates the
closest article by TF-IDF cosine is within 3 days for about a quarter (median error 14-20
days); the median date of the cluster does worse (12%, 25 days), and neither the median of
the top three nor letting articles published close together add up their similarity did
better. Word pairs next to single words help a little (+1 point, on three samples).
"""

from __future__ import annotations

import datetime as dt
from itertools import pairwise

from storyline.analyse.temporal import find_time_expressions, is_future_reference
from storyline.analyse.vectors import TfIdf, content_terms, cosine
from storyline.model import GRANULARITY_ORDER, Article, TimeExpression

__all__ = ["infer_missing_dates"]

# A date this far past the newest dated article is a plan or a typo, not a publication bound.
_FUTURE_LIMIT = dt.timedelta(days=366)
# A latest mention this much older than the closest article is background, not news.
_BACKGROUND_AGE = dt.timedelta(days=365)
_NOTHING_FOUND = "no date found in the text or the cluster"

_Dated = tuple[Article, dt.date]


def infer_missing_dates(articles: list[Article]) -> None:
    """Give each undated article a date inferred from its text and the dated articles.

    Sets ``date``, ``date_inferred`` and ``date_evidence`` (a short explanation) in place;
    an article whose date cannot be inferred keeps ``date=None`` with the reason as evidence.
    Only articles that came with a date serve as evidence, so the order does not matter.
    """
    undated = [article for article in articles if article.date is None]
    if not undated:
        return
    dated = [(article, article.date) for article in articles if article.date is not None]
    span = (min(date for _, date in dated), max(date for _, date in dated)) if dated else None
    similarity = _Similarity(articles) if dated else None
    for article in undated:
        text = _full_text(article)
        # A date the article looks forward to ("will not be fixed until December 2019")
        # says nothing about when it was published.
        expressions = [
            expression
            for expression in find_time_expressions(text, None, span=span or _own_span(text))
            if (span is None or expression.when.date <= span[1] + _FUTURE_LIMIT)
            and not is_future_reference(text, expression.start, expression.end)
        ]
        precise = [
            expression for expression in expressions if expression.when.granularity != "year"
        ]
        latest = max(precise, key=_chronological, default=None)
        if similarity is None:
            if latest is not None:
                _set(
                    article, latest.when.date, f"latest date mentioned in the text ({latest.text})"
                )
            else:
                article.date_evidence = _NOTHING_FOUND
            continue
        (closest, closest_date), score = similarity.closest(article, dated)
        by_content = f"closest dated article {closest.id} by content (similarity {score:.2f})"
        if latest is not None:
            if latest.when.date >= closest_date - _BACKGROUND_AGE:
                _set(
                    article, latest.when.date, f"latest date mentioned in the text ({latest.text})"
                )
            else:
                _set(
                    article,
                    closest_date,
                    f"{by_content}; the latest date in the text ({latest.text}) is older",
                )
            continue
        latest_year = max((expression.when.date.year for expression in expressions), default=None)
        if latest_year is None or closest_date.year >= latest_year:
            _set(article, closest_date, by_content)
        else:
            # never before the latest year the article mentions
            _set(
                article,
                dt.date(latest_year, 1, 1),
                f"latest year mentioned in the text ({latest_year}); "
                f"the closest dated article {closest.id} is older",
            )


def _own_span(text: str) -> tuple[dt.date, dt.date] | None:
    """With no dated article to go by: from the earliest year the text names to today.

    Enough to place "Monday, June 4" in a story that also says "In 2015, ...": the first
    June 4 on a Monday after 2015 (2018), not one in the distant past.
    """
    years = [expression.when.date.year for expression in find_time_expressions(text, None)]
    if not years:
        return None
    return dt.date(min(years), 1, 1), dt.date.today()


def _full_text(article: Article) -> str:
    return f"{article.title}\n{article.text}" if article.title else article.text


def _chronological(expression: TimeExpression) -> tuple[dt.date, int]:
    # a day wins over the month it falls in ("June 5" over "June")
    return expression.when.date, GRANULARITY_ORDER[expression.when.granularity]


def _set(article: Article, date: dt.date, reason: str) -> None:
    article.date = date
    article.date_inferred = True
    article.date_evidence = f"inferred: {reason}"


def _terms(text: str) -> list[str]:
    """Content words and adjacent pairs of them ("national_army", "oil_spill")."""
    words = content_terms(text)
    return words + [f"{first}_{second}" for first, second in pairwise(words)]


class _Similarity:
    """TF-IDF cosine between whole articles, IDF over the story's articles."""

    def __init__(self, articles: list[Article]) -> None:
        # keyed by identity: nothing guarantees that article ids are unique
        terms = {id(article): _terms(_full_text(article)) for article in articles}
        model = TfIdf(terms.values())
        self._vectors = {key: model.vector(words) for key, words in terms.items()}

    def closest(self, article: Article, candidates: list[_Dated]) -> tuple[_Dated, float]:
        """The most similar dated article (the later one on ties) and its similarity."""
        vector = self._vectors[id(article)]
        score, _, best = max(
            (cosine(vector, self._vectors[id(other)]), date, index)
            for index, (other, date) in enumerate(candidates)
        )
        return candidates[best], score
