"""Publication dates: read from the input, or inferred from the text with evidence and bounds.

A date the input gives (container metadata, byline, date line, dateline, URL) is read at
ingest. For the rest, a date the text mentions is a lower bound, not the date: news is
published on or after what it reports, but an article that recalls "Sept. 11, 2001" is not
from 2001. So an undated article gets what its text supports, and nothing more:

* an exact day only where the text pins one: a date with a clock time heading the text (a
  page's timestamp), a wire dateline's month-day ("Jan. 1 (UPI) --") whose year the bounds
  below leave only one of, or the only year in which that day falls on a weekday the
  article's same-day references name; copies of one wire story share their date
  (:func:`share_copy_dates`);
* else a range: not before the latest date mentioned in the past tense (a "three year battle
  ... that began in 2014" ended in mid-2016 at the earliest), not after a date the text
  speaks of as still to come ("will be held on Nov. 6");
* else unknown.

Relative dates ("on Friday") are read against the range, never against a guess (see
``storyline.analyse.temporal``). Dated articles of the story serve only to place a weekday
with a month-day ("Monday, June 4") in a year; the old rule (the latest date mentioned, else
the closest dated article by content) gave 17 of 18 basil-dev articles a wrong date, 16 in
the wrong year (``benchmarks/dating.py`` keeps it as the baseline).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence

from storyline.analyse.temporal import (
    PAST_CUE,
    Anchor,
    find_time_expressions,
    is_future_reference,
)
from storyline.model import (
    GRANULARITY_ORDER,
    Article,
    DateClue,
    PublicationDate,
    TimeExpression,
    TimePoint,
)
from storyline.vocabulary import (
    MONTH_NUMBERS,
    NUMBER_WORDS,
    TENS_WORDS,
    WEEKDAYS,
    month_forms,
)

__all__ = [
    "anchor_of",
    "estimate_publication_date",
    "infer_missing_dates",
    "share_copy_dates",
    "weekday_window",
]

# A head timestamp must start this close to the beginning of the text.
_HEAD_REACH = 300
# A clock time next to a date makes it a timestamp: of the page when it heads the text, else
# of a comment, a tweet, an update or an amendment shown with the article ("At 09:18 am on 25
# Jun 2009, nolucano wrote", "7:01 pm ET February 11, 2013 RETWEET"): no bound either way.
_CLOCK = r"\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?:[ \t]*[ap]\.?[ \t]?m\b\.?)?(?:[ \t]+[A-Z]{2,4}\b)?"
_CLOCK_AFTER = re.compile(rf"[ \t]*[,|]?[ \t]*(?:at[ \t]+|-[ \t]*)?{_CLOCK}", re.I)
_CLOCK_BEFORE = re.compile(rf"{_CLOCK}[ \t]*[,|]?[ \t]*(?:(?i:on)[ \t]+)?(?:\w+,?[ \t]+)?\Z", re.I)
_FURNITURE = re.compile(
    r"\b(?:wrote|posted|updated|amended|published|modified|corrected|reply|replies|retweet|"
    r"comments?|appeared[ \t]+on[ \t]+p\d+)\b",
    re.I,
)
_FURNITURE_REACH = 40  # characters each side of a date searched for furniture words
# Where the clause of a date starts: what came before belongs to another statement.
_CLAUSE_START = re.compile(r"[.;!?][\"'”’)]*\s|\n")
_CLAUSE_REACH = 120
# A full stop after these ends no sentence: "Ariz.", "U.S.", "Sen.", "Jan.".
_ABBREVIATION = re.compile(r"[\"'“‘(]*(?:[A-Z][a-z]{0,3}|(?:[A-Za-z]\.)+[A-Za-z]?)\.")
# Words that make a date in their clause a plan, a forecast or a deadline rather than
# something that has happened: such a date is no lower bound ("ahead of 2020", "the term ends
# in 2019", "will assume the title starting January 1, 2019", "can't win in 2020").
_LOOKS_AHEAD_BEFORE = re.compile(
    r"\b(?:will|would|could|should|shall|might|can|cannot|must|may|going|plans?|planned|"
    r"planning|scheduled|set|expected|expects?|due|aims?|hopes?|wants?|seeks?|intends?|"
    r"upcoming|coming|next|deadline|target|goal|projected|projects?|forecasts?|predicts?|"
    r"proposed|ends|ending|expires|runs|begins|starts|future|potential|possible|likely|"
    r"challenger|front-?runner|candidate|candidacy|nominee|elect|elected|election|re-?elect|"
    r"re-?elected|re-?election|idea|plans|proposal|fiscal|wo|n't|’ll|'ll)\b"
)
_LOOKS_AHEAD_WORDS = 12  # how far before the date such a word still belongs to its clause
_PAST_AFTER_WORDS = 8  # how far after a bare year a past-tense verb still speaks of it
# Right before the date: "by 2050", "until January 21, 2017", "ahead of 2020", "fiscal 2013".
_FORWARD_PREPOSITION = re.compile(
    r"\b(?i:by|until|till|through|thru|before|ahead[ \t]+of|starting|beginning|effective|"
    r"fiscal|FY)(?:[ \t]+(?i:in|on))?(?:[ \t]+(?i:the[ \t]+)?(?i:end|middle|start|beginning|"
    r"spring|summer|fall|autumn|winter)[ \t]+of)?[ \t]+(?:(?i:early|late|mid)[ \t-]+)?\Z"
)
_LOOKS_AHEAD_AFTER = re.compile(
    r"^[ \t,]*(?:(?:presidential|general|midterm|mid-term|congressional|gubernatorial|"
    r"primary|national|local|state|federal|fiscal)[ \t]+)?"
    r"(?:[a-z]+[ \t]+)?(?:elections?|race|campaign|run|bid|primar(?:y|ies)|caucus(?:es)?|"
    r"nomination|cycle|ticket|census|budget|olympics|world[ \t]+cup|games|season|deadline|"
    r"target|term|plan|forecast|outlook|goal|projection|estimate|spending)\b",
    re.I,
)
_LOOKS_AHEAD_LATER = re.compile(
    r"^[^.;\n]{0,60}?\b(?:will|’ll|'ll|would|should|could|might|can|may|must|is[ \t]+to)\b"
)
_AMOUNT_WORDS = ("a", "an", *NUMBER_WORDS[1:], *TENS_WORDS)
# "a three year battle ... that began in 2014": the start of something that has lasted.
_DURATION = re.compile(
    r"\b(?P<qualifier>(?:more[ \t]+than|over|nearly|almost|about|around|some|roughly|"
    rf"at[ \t]+least)[ \t]+)?(?P<amount>\d{{1,2}}|{'|'.join(_AMOUNT_WORDS)})[ \t-]+"
    r"(?P<unit>year|month|decade)s?\b"
    r"(?![ \t-]+old\b|[ \t-]+olds\b)",
    re.I,
)
_START_CUE = re.compile(
    r"\b(?:began|begun|beginning|started|starting|since|launched|erupted|broke[ \t]+out)\b",
    re.I,
)
_START_REACH = 12  # words from the start cue to the year it starts from
_DURATION_REACH = 25  # words between the duration and the start cue (either order)
# "a year", "three years", "twenty years": the amount of a duration.
_AMOUNTS: dict[str, int] = {
    "a": 1,
    "an": 1,
    **{word: value for value, word in enumerate(NUMBER_WORDS)},
    **{word: 10 * (value + 2) for value, word in enumerate(TENS_WORDS)},
}
_WEEKDAY_WORD = re.compile(rf"\b({'|'.join(WEEKDAYS)})\b", re.I)
_WEEKDAY_NUMBER = {name: number for number, name in enumerate(WEEKDAYS)}
_MONTH_DAY = re.compile(r"(?P<month>[A-Za-z]+)\.?\s+(?P<day>\d{1,2})")
_MONTH_WORDS = "|".join(form.capitalize() for month in range(1, 13) for form in month_forms(month))
# A wire dateline with its month-day inside the head of the text, after a headline or a
# byline on the same line ("... By Maggie Fox WASHINGTON, April 30 (Reuters) - New tests");
# ingest reads it only where it starts a line.
_WIRE_DATELINE = re.compile(
    r"\b[A-Z][A-Z'’.-]+(?:[ -]+[A-Z][A-Z'’.-]+)*(?:,[ \t]*[A-Z][\w'’.-]+(?:[ \t]+[A-Z][\w'’.-]+)*)?"
    rf",[ \t]*(?P<date>(?:{_MONTH_WORDS})\.?[ \t]+\d{{1,2}})[ \t]*\([ \t]*"
    r"(?:Reuters|Xinhua|dpa|Bloomberg|[A-Z]{2,6})[ \t]*\)[ \t]*(?:-|–|—|--)"
)
_DATELINE_REACH = 600
_LEAD_REACH = 400  # characters after the dateline where the lead names the day it reports
_EARLIEST = dt.date(1900, 1, 1)
_NOTHING_FOUND = "no publication date in the input and none the text supports"


# ---------------------------------------------------------------- public surface


def infer_missing_dates(
    articles: list[Article],
    *,
    today: dt.date | None = None,
    copies: Iterable[Sequence[Article]] = (),
) -> None:
    """Give every article its :class:`~storyline.model.PublicationDate`, in place.

    Articles with a read date keep it. The others get what their text supports (see the
    module docstring): ``published`` holds the bounds and the clues; ``date`` is set only
    when the day is pinned (``date_inferred`` True), ``date_evidence`` says why in words.
    Dated articles of the story only place weekday + month-day mentions in a year.
    ``copies``: groups of articles that copy one another (one wire story), which share
    their date. ``today`` (default: the real today) bounds every date.
    """
    today = today or dt.date.today()
    for article in articles:
        if article.date is not None and (article.published is None or not article.published.known):
            clue = DateClue("given", article.date_evidence or article.date.isoformat())
            article.published = PublicationDate.on(
                article.date, read=not article.date_inferred, clues=(clue,)
            )
    span = _dated_span(articles)
    for article in articles:
        if article.published is not None and article.published.known:
            continue
        refused = article.published.clues if article.published is not None else ()
        estimate = estimate_publication_date(article, today=today, span=span)
        _assign(
            article,
            PublicationDate(
                estimate.earliest,
                estimate.latest,
                False,
                (
                    *refused,
                    *estimate.clues,
                ),
            ),
        )
    share_copy_dates(copies)


def share_copy_dates(groups: Iterable[Sequence[Article]]) -> None:
    """Copies of one wire story were published together: within each group an article
    without an exact date takes the group's read date (the earliest one, when copies carry
    several), else the group's bounds combined (the latest lower bound, the earliest upper
    bound), each with the copy it came from as evidence."""
    for group in groups:
        members = [article for article in group if article.published is not None]
        if len(members) < 2:
            continue
        exact = sorted(
            (article for article in members if article.published.exact is not None),  # type: ignore[union-attr]
            key=lambda article: (not article.published.read, article.published.exact),  # type: ignore[union-attr]
        )
        for article in members:
            estimate = article.published
            assert estimate is not None
            if estimate.exact is not None:
                continue
            if exact:
                source = exact[0]
                day = source.published.exact  # type: ignore[union-attr]
                assert day is not None
                clue = DateClue(f"copy of {source.id}", day.isoformat())
                _assign(article, PublicationDate.on(day, read=False, clues=(clue,)))
                continue
            earliest, latest, clues = estimate.earliest, estimate.latest, list(estimate.clues)
            for other in members:
                if other is article or other.published is None:
                    continue
                bound = other.published
                if bound.earliest is not None and (
                    earliest is None or bound.earliest.date > earliest.date
                ):
                    earliest = bound.earliest
                    clues.append(DateClue(f"copy of {other.id}", bound.describe()))
                if bound.latest is not None and (
                    latest is None or bound.latest.last_day() < latest.last_day()
                ):
                    latest = bound.latest
                    clues.append(DateClue(f"copy of {other.id}", bound.describe()))
            if latest is not None and earliest is not None and latest.last_day() < earliest.date:
                continue  # the copies disagree: keep what this one says
            _assign(article, PublicationDate(earliest, latest, False, tuple(clues)))


def anchor_of(article: Article) -> Anchor:
    """What the article's relative dates count from: its day, its closed range, or None."""
    if article.date is not None:
        return article.date
    estimate = article.published
    if estimate is None or estimate.first_day is None or estimate.last_day is None:
        return None
    return estimate.first_day, estimate.last_day


def weekday_window(
    article: Article, span: tuple[dt.date, dt.date] | None, *, today: dt.date | None = None
) -> tuple[dt.date, dt.date] | None:
    """Where a weekday + month-day of an undated article ("Monday, June 4") may fall: the
    span of the story's dated articles, else from the article's lower bound to its upper
    bound or today; None when nothing bounds the year."""
    if span is not None:
        return span
    estimate = article.published
    if estimate is None or estimate.first_day is None:
        return None
    return estimate.first_day, estimate.last_day or today or dt.date.today()


# ---------------------------------------------------------------- one article


def estimate_publication_date(
    article: Article,
    *,
    today: dt.date | None = None,
    span: tuple[dt.date, dt.date] | None = None,
) -> PublicationDate:
    """What the article's own text says about when it was published (see the module
    docstring). ``span``: first and last date of the story's dated articles, which places a
    weekday + month-day in a year."""
    today = today or dt.date.today()
    text = article.text
    explicit = [
        expression
        for expression in find_time_expressions(text, None)
        if not expression.relative and _EARLIEST <= expression.when.date <= today
    ]
    stamp = _head_timestamp(text, explicit)
    if stamp is not None:
        clue = DateClue("date and time heading the text", stamp.text, stamp.start, stamp.end)
        return PublicationDate.on(stamp.when.date, read=False, clues=(clue,))

    explicit = [expression for expression in explicit if not _is_furniture(text, expression)]
    lower = [
        (expression.when, _clue("date mentioned", expression))
        for expression in explicit
        if _has_happened(text, expression)
    ]
    lower += _duration_bounds(text, explicit)
    # With a lower bound, a weekday + month-day ("Monday, June 4") may place itself in a year.
    window = span or (_latest(lower)[0].date if lower else None, today)
    if window[0] is not None:
        for expression in find_time_expressions(text, None, span=(window[0], window[1])):
            if (
                expression.relative
                and expression.when.date <= today
                and not _is_furniture(text, expression)
                and _has_happened(text, expression)
            ):
                lower.append((expression.when, _clue("weekday and date mentioned", expression)))

    earliest = _latest(lower)
    clues = (earliest[1],) if earliest else ()
    low = earliest[0] if earliest else None
    dateline = _dateline_date(article)
    if dateline is not None:
        written, start, end = dateline
        pinned = _pin_dateline(written, text, low, span, today, end or 0)
        if pinned is not None:
            day, why = pinned
            return PublicationDate.on(
                day, read=False, clues=(DateClue(why, written, start, end), *clues)
            )
    # No upper bound from the text: a date spoken of as still to come ("will expand 7.6
    # percent in 2012") bounded 4 of 11 articles rightly on basil-dev and Timeline17.
    return PublicationDate(low, None, False, clues)


def _clue(reason: str, expression: TimeExpression) -> DateClue:
    return DateClue(reason, expression.text, expression.start, expression.end)


def _has_happened(text: str, expression: TimeExpression) -> bool:
    """Whether a mentioned date is a lower bound: not spoken of as still to come, not a plan,
    a term or an election year, and a bare year only next to a past-tense verb."""
    if is_future_reference(text, expression.start, expression.end):
        return False
    if _may_look_ahead(text, expression):
        return False
    return expression.when.granularity != "year" or _told_as_past(text, expression)


def _latest(
    bounds: list[tuple[TimePoint, DateClue]],
) -> tuple[TimePoint, DateClue] | None:
    # the latest start; a day beats the month or year it falls in
    return max(
        bounds,
        key=lambda item: (item[0].date, GRANULARITY_ORDER[item[0].granularity]),
        default=None,
    )


def _clause_before(text: str, start: int) -> str:
    """The words of the date's sentence before it (within reach)."""
    before = text[max(0, start - _CLAUSE_REACH) : start]
    for cut in reversed(list(_CLAUSE_START.finditer(before))):
        word = before[: cut.start() + 1].split()[-1:] or [""]
        if cut.group().startswith(".") and _ABBREVIATION.fullmatch(word[0]):
            continue  # "Glendale, Ariz. in 2015", "the U.S. in 2014"
        return before[cut.end() :]
    return before


def _may_look_ahead(text: str, expression: TimeExpression) -> bool:
    """Whether the date's clause may speak of something not yet happened."""
    before = _clause_before(text, expression.start)
    if _FORWARD_PREPOSITION.search(before):
        return True
    if _LOOKS_AHEAD_BEFORE.search(" ".join(before.split()[-_LOOKS_AHEAD_WORDS:])):
        return True
    after = text[expression.end : expression.end + _CLAUSE_REACH]
    if expression.when.granularity == "year" and _LOOKS_AHEAD_AFTER.match(after):
        return True  # "the 2020 campaign", "a 2016 run"
    return bool(_LOOKS_AHEAD_LATER.match(after))


def _told_as_past(text: str, expression: TimeExpression) -> bool:
    """A past-tense verb in the clause of a bare year: "was born in 1988", "since 2014 when
    ... was driven out". Years stand for plans, terms and budgets as often as for events."""
    before = " ".join(_clause_before(text, expression.start).split()[-_LOOKS_AHEAD_WORDS:])
    after = text[expression.end : expression.end + _CLAUSE_REACH]
    cut = _CLAUSE_START.search(after)
    after = " ".join(after[: cut.start() if cut else len(after)].split()[:_PAST_AFTER_WORDS])
    return bool(PAST_CUE.search(before) or PAST_CUE.search(after))


def _head_timestamp(text: str, explicit: list[TimeExpression]) -> TimeExpression | None:
    """A full date with a clock time near the start ("Thu Aug 4 , 2011 3:51 pm EDT"): the
    page's own timestamp, not an event."""
    for expression in explicit:
        if expression.start > _HEAD_REACH:
            break
        if expression.when.granularity == "day" and _has_clock(text, expression):
            return expression
    return None


def _has_clock(text: str, expression: TimeExpression) -> bool:
    before = text[max(0, expression.start - 30) : expression.start]
    return bool(_CLOCK_AFTER.match(text, expression.end) or _CLOCK_BEFORE.search(before))


def _is_furniture(text: str, expression: TimeExpression) -> bool:
    """A timestamp of something shown around the article (a comment, a tweet, an update)."""
    if _has_clock(text, expression):
        return True
    start, end = expression.start, expression.end
    around = text[max(0, start - _FURNITURE_REACH) : start] + " " + text[end : end + 20]
    return bool(_FURNITURE.search(around))


def _duration_bounds(text: str, explicit: list[TimeExpression]) -> list[tuple[TimePoint, DateClue]]:
    """Lower bounds from something that has lasted since a date: "a three year battle ...
    that began in 2014" ended no earlier than mid-2016 (a rounded "three years" may be two
    and a half, begun as early as January). Only in the past tense, only with a start word
    ("began", "since", "starting") right before the date."""
    found = []
    for expression in explicit:
        cue = _start_cue_before(text, expression.start)
        if cue is None or _may_look_ahead(text, expression):
            continue
        sentence_start = max(
            text.rfind(". ", 0, cue.start()) + 1, text.rfind("\n", 0, cue.start()) + 1
        )
        sentence_end = min(
            (
                i
                for i in (text.find(". ", expression.end), text.find("\n", expression.end))
                if i >= 0
            ),
            default=len(text),
        )
        for duration in _DURATION.finditer(text, sentence_start, sentence_end):
            if duration.start() >= cue.start():
                gap = text[expression.end : duration.start()]
            else:
                gap = text[duration.end() : cue.start()]
            if len(gap.split()) > _DURATION_REACH or _LOOKS_AHEAD_BEFORE.search(
                " ".join(_clause_before(text, duration.start()).split()[-_LOOKS_AHEAD_WORDS:])
            ):
                continue
            bound = _after_duration(expression.when, duration)
            if bound is None:
                continue
            words = text[min(duration.start(), cue.start()) : max(duration.end(), expression.end)]
            found.append(
                (
                    bound,
                    DateClue(
                        f"{_duration_words(duration)} after {expression.when.iso()}",
                        " ".join(words.split()),
                        min(duration.start(), cue.start()),
                        max(duration.end(), expression.end),
                    ),
                )
            )
    return found


def _duration_words(duration: re.Match[str]) -> str:
    """ "three years", "more than a year": the duration as a reason reads it."""
    amount = duration.group("amount").lower()
    unit = duration.group("unit").lower()
    plural = "" if amount in ("a", "an", "one", "1") else "s"
    qualifier = " ".join((duration.group("qualifier") or "").split())
    return " ".join(part for part in (qualifier, amount, unit + plural) if part)


def _start_cue_before(text: str, start: int) -> re.Match[str] | None:
    before = text[max(0, start - 100) : start]
    cues = list(_START_CUE.finditer(before))
    if not cues or len(before[cues[-1].end() :].split()) > _START_REACH:
        return None
    cue = cues[-1]
    return _START_CUE.match(text, max(0, start - 100) + cue.start())


def _after_duration(since: TimePoint, duration: re.Match[str]) -> TimePoint | None:
    amount_text = duration.group("amount").lower()
    amount = int(amount_text) if amount_text.isdigit() else _AMOUNTS[amount_text]
    unit = duration.group("unit").lower()
    months = amount * {"year": 12, "decade": 120, "month": 1}[unit]
    qualifier = (duration.group("qualifier") or "").split()
    if qualifier and qualifier[0].lower() not in ("more", "over", "at"):
        months -= {"year": 12, "decade": 60, "month": 1}[unit]  # "nearly three years"
    else:
        months -= {"year": 6, "decade": 60, "month": 0}[unit]  # a rounded figure
    if months <= 0:
        return None
    index = since.date.year * 12 + since.date.month - 1 + months
    return TimePoint.of(index // 12, index % 12 + 1)


def _dateline_date(article: Article) -> tuple[str, int | None, int | None] | None:
    """The month-day of the article's wire dateline, read at ingest or found in the head of
    the text, with its offsets when it is in the text."""
    if article.dateline_date:
        return article.dateline_date, None, None
    match = _WIRE_DATELINE.search(article.text, 0, _DATELINE_REACH)
    if match is None:
        return None
    return match.group("date"), match.start("date"), match.end("date")


def _pin_dateline(
    written: str,
    text: str,
    low: TimePoint | None,
    span: tuple[dt.date, dt.date] | None,
    today: dt.date,
    lead: int = 0,
) -> tuple[dt.date, str] | None:
    """The year of a dateline's month-day ("Jan. 1"): the only one within the bounds (the
    lower bound, today, the story's dated span widened by a year), or the only one there on
    which that day is the weekday the lead names ("said on Wednesday": wire copy names the
    day it reports). ``lead``: where the lead starts in ``text``."""
    match = _MONTH_DAY.match(written)
    if match is None:
        return None
    month = MONTH_NUMBERS.get(match.group("month").lower())
    if month is None:
        return None
    day = int(match.group("day"))
    first = max(
        low.date if low else _EARLIEST, span[0] - dt.timedelta(days=366) if span else _EARLIEST
    )
    last = min(today, span[1] + dt.timedelta(days=366)) if span else today
    if first > last or (low is None and span is None):
        return None
    candidates = []
    for year in range(first.year, last.year + 1):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            continue
        if first <= candidate <= last:
            candidates.append(candidate)
    if len(candidates) == 1:
        return candidates[0], "dateline month and day, the only such day within the bounds"
    # The weekday the lead names is the dateline's day more often than any other the text
    # names: on 87 Timeline17 wire stories with their neighbours' dates, 65 of 66 years
    # pinned by the lead's weekday were right, 60 of 64 by any weekday of the text.
    named = _WEEKDAY_WORD.search(text, lead, lead + _LEAD_REACH)
    if named is None:
        return None
    weekday = _WEEKDAY_NUMBER[named.group(1).lower()]
    matching = [candidate for candidate in candidates if candidate.weekday() == weekday]
    if len(matching) == 1:
        return matching[
            0
        ], f"dateline month and day, a {named.group(1).capitalize()} as the lead says"
    return None


# ---------------------------------------------------------------- helpers


def _dated_span(articles: list[Article]) -> tuple[dt.date, dt.date] | None:
    dates = [
        article.published.exact
        for article in articles
        if article.published is not None and article.published.exact is not None
    ]
    return (min(dates), max(dates)) if dates else None  # type: ignore[type-var]


def _assign(article: Article, estimate: PublicationDate) -> None:
    article.published = estimate
    article.date = estimate.exact
    article.date_inferred = article.date is not None and not estimate.read
    article.date_evidence = _evidence_text(estimate)


def _evidence_text(estimate: PublicationDate) -> str:
    """A sentence for people: what is known and the words that say so."""
    if not estimate.known:
        refused = "; ".join(f"{clue.reason}: {clue.text}" for clue in estimate.clues)
        return f"{_NOTHING_FOUND}" + (f" ({refused})" if refused else "")
    reasons = "; ".join(f"{clue.reason}: “{clue.text}”" for clue in estimate.clues)
    verb = "read" if estimate.read else "inferred"
    return f"{verb}: {estimate.describe()} ({reasons})"
