"""Temporal expressions in news text, normalised to calendar dates.

Our own rule-based tagger rather than dateparser/dateutil: those parse a string already known
to be a date, return a full datetime without telling how precise the text was ("June 2015" is
a month, not June 1st), resolve weekdays against today instead of the article's date, and
finding the date phrases inside running text by trial parsing is far too slow for millions of
sentences. Here one compiled regular expression, tried only around trigger words (month and
weekday names, digits, "today", "ago" ...), finds the candidates, and small explicit rules
normalise them:

* explicit dates ("May 23, 2018", "23 May 2018", "2018-05-23", "09/05/2018", "June 2015",
  "in early 2014", "a 2011 uprising") need no anchor;
* relative ones ("on Tuesday", "yesterday", "last year", "two days ago", "May 7" without a
  year, "in March") are resolved against ``anchor``, the article's publication date;
* a weekday with a month-day and no year ("Monday, June 4") fixes its own year: the one in
  which that day falls on that weekday, near the anchor or, without one, the only such year
  within ``span``.

An anchor known only as a range (a publication date inferred as "between May 28 and June 3")
dates a relative expression only as far as the range does: the expression is read against
both ends; the same reading at both is the date, different ones make the expression a range
itself (``TimeExpression.until``), at most :data:`MAX_RELATIVE_RANGE_DAYS` wide, else it is
left out. Nothing is resolved against a guess.

Decades ("the 1990s") are not tagged: a decade start as a year point would put events on the
wrong date in a timeline. Durations ("three days", "for two years"), times of day and ages
are never tagged; neither are "last week" or "the next morning" (no date without knowing the
event they are counted from).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from storyline.model import TimeExpression, TimePoint
from storyline.settings import MAX_RELATIVE_RANGE_DAYS
from storyline.vocabulary import (
    MONTH_NUMBERS,
    MONTHS,
    NUMBER_WORDS,
    TENS_WORDS,
    WEEKDAYS,
    month_forms,
)

__all__ = [
    "MAX_RELATIVE_RANGE_DAYS",
    "PAST_CUE",
    "Anchor",
    "find_time_expressions",
    "is_future_reference",
]

# A publication date: a day, a range of days (earliest, latest), or unknown.
Anchor = dt.date | tuple[dt.date, dt.date] | None

_WEEKDAYS: dict[str, int] = {name: number for number, name in enumerate(WEEKDAYS)}
_UNITS_WORDS = NUMBER_WORDS[1:10]
_TEENS_WORDS = NUMBER_WORDS[10:20]
_NUMBER_WORDS: dict[str, int] = {
    "a": 1,
    "an": 1,
    **{word: value for value, word in enumerate(_UNITS_WORDS, start=1)},
    **{word: value for value, word in enumerate(_TEENS_WORDS, start=10)},
    **{word: 10 * value for value, word in enumerate(TENS_WORDS, start=2)},
}

# Full month names in any case (Multi-News is lower-cased); abbreviations only capitalised,
# since "mar", "jan" or "dec" in lower case are rarely dates.
_MONTH_FULL = rf"(?i:{'|'.join(MONTHS)})\b"
_MONTH_ABBREVIATION = "|".join(
    form.capitalize() for month in range(1, 13) for form in month_forms(month)[1:]
)
_MONTH = rf"(?:{_MONTH_FULL}|(?:{_MONTH_ABBREVIATION})(?:\.|\b))"
_WEEKDAY = rf"(?i:{'|'.join(WEEKDAYS)})"
_ORDINAL = r"(?:st|nd|rd|th)?"
# Not right after a day number: in "1 January 1" the month-day is "1 January", not "January 1".
_NO_DAY_BEFORE = r"(?<!\d[ \t])(?<!\dst )(?<!\dnd )(?<!\drd )(?<!\dth )"
_GAP = r"[ \t]*,?[ \t]*"  # between day and year: "May 23, 2018", "May 23,2018", "May 23 2018"
_MOD = r"(?i:early|late|mid)"
_UNITS = "|".join(_UNITS_WORDS)
_TEENS = "|".join(_TEENS_WORDS)
_TENS = "|".join(TENS_WORDS)


def _of_year(prefix: str) -> str:
    """An optional "(of) last/this/next year" that fixes the year of a yearless date."""
    return (
        rf"(?:[ \t]*,?[ \t]+(?:of[ \t]+)?(?P<{prefix}_rel>(?i:last|this|next))[ \t]+"
        r"(?i:year)\b)?"
    )


_DATE_RE = re.compile(
    "|".join(
        (
            r"(?P<iso>\b(?P<iso_y>\d{4})-(?P<iso_m>\d{1,2})-(?P<iso_d>\d{1,2})\b(?!-\d))",
            r"(?P<num>(?<![\d/.])(?P<num_a>\d{1,2})(?P<num_sep>[/.])(?P<num_b>\d{1,2})"
            r"(?P=num_sep)(?P<num_y>\d{4}|\d{2})(?![\d/]|\.\d))",
            rf"(?P<mdy>\b(?P<mdy_m>{_MONTH})[ \t]*(?P<mdy_d>\d{{1,2}}){_ORDINAL}{_GAP}"
            r"(?P<mdy_y>\d{4})(?![\d%]|[.,]\d))",
            rf"(?P<dmy>\b(?P<dmy_d>\d{{1,2}}){_ORDINAL}[ \t]+(?:of[ \t]+)?(?P<dmy_m>{_MONTH})"
            rf"{_GAP}(?P<dmy_y>\d{{4}})(?![\d%]|[.,]\d))",
            rf"(?P<my>\b(?:(?P<my_mod>{_MOD})[ \t-]+)?(?P<my_m>{_MONTH})[ \t]*,?[ \t]+"
            r"(?:of[ \t]+)?(?P<my_y>\d{4})(?![\d%]|[.,]\d))",
            # A number right after a month-day is a year we could not read ("1 January 1"):
            # no date, rather than the anchor's year.
            rf"(?P<md>{_NO_DAY_BEFORE}\b(?P<md_m>{_MONTH})[ \t]*(?P<md_d>\d{{1,2}}){_ORDINAL}\b"
            rf"(?![ \t]*%|[:.,]\d|[ \t]+\d){_of_year('md')})",
            rf"(?P<dm>\b(?P<dm_d>\d{{1,2}}){_ORDINAL}[ \t]+(?:of[ \t]+)?(?P<dm_m>{_MONTH})"
            rf"(?![ \t]*,?[ \t]*\d){_of_year('dm')})",
            r"(?P<wd>\b(?:(?P<wd_mod>(?i:last|next|this|late|early))[ \t]+)?"
            rf"(?P<wd_w>{_WEEKDAY})\b"
            r"(?:[ \t]+(?i:morning|afternoon|evening|night)\b)?)",
            r"(?P<rd>\b(?i:(?:(?:earlier|later)[ \t]+)?(?P<rd_w>yesterday|today|tomorrow|tonight)"
            r"|(?P<rd_last>last)[ \t]+night)\b)",
            r"(?P<rp>\b(?i:(?:(?:earlier|later)[ \t]+(?:in[ \t]+)?)?(?P<rp_which>last|this|next)"
            r"[ \t]+(?P<rp_unit>year|month))\b)",
            rf"(?P<ago>\b(?P<ago_n>\d{{1,3}}|(?i:(?:{_TENS})(?:[ \t]*-[ \t]*(?:{_UNITS}))?|"
            rf"{_UNITS}|{_TEENS}|an?))[ \t]+"
            r"(?P<ago_u>(?i:days?|months?|years?))[ \t]+(?i:ago)\b)",
            rf"(?P<bm>\b(?:(?P<bm_mod>(?i:early|late|mid|last|next|this))[ \t-]+)?"
            rf"(?P<bm_m>{_MONTH_FULL})(?!'s|’s){_of_year('bm')})",
            rf"(?P<yr>\b(?:(?P<yr_mod>{_MOD})[ \t-]*)?(?P<yr_y>\d{{4}})"
            r"(?![\d%]|[.,]\d|s\b|'s\b|’s\b|-\d{2}\b))",
        )
    )
)

# What may stand right before a bare four-digit year for it to be a year ("in 2014", "since
# 2014", "the summer of 2014"). A determiner ("a 2011 uprising") is checked separately.
_YEAR_PREPOSITION = re.compile(
    r"(?:\b(?i:in|since|by|until|till|from|of|during|before|after|through|throughout|between|"
    r"around|circa|spring|summer|autumn|fall|winter|year|early|late|mid)[ \t]*|\([ \t]*)\Z"
)
_YEAR_DETERMINER = re.compile(
    r"(?:\b(?i:the|a|an|this|that|his|her|its|their|our|whose)|['’]s)[ \t]+\Z"
)
_RANGE_JOINER = re.compile(r"^[ \t]*(?:-|–|—|to|and|until|through)[ \t]*\Z")
# "a total of 2000", "a population of 2000": "of" there introduces a count.
_COUNT_BEFORE_OF = re.compile(
    r"\b(?i:total|population|sum|out|group|crowd|estimated|estimate|number|maximum|minimum|"
    r"average|some|about|around|nearly|almost|over|under|force|fleet|army)[ \t]+of[ \t]+\Z"
)
_MONEY_BEFORE = re.compile(r"[$£€#]\s*\Z|\b(?i:no)\.\s*\Z")
_NEXT_WORD = re.compile(r"[ \t]*([A-Za-z]+)")
# Nouns that make the number before them a count ("2014 people") or a clock time ("1300 GMT").
_COUNT_NOUN_AFTER = re.compile(
    r"[ \t]*(?i:people|persons|men|women|children|kids|soldiers|troops|fighters|militants|"
    r"civilians|deaths|dead|victims|residents|refugees|migrants|cases|votes|voters|students|"
    r"workers|members|employees|dollars|euros|pounds|francs|dinars|kilometres|kilometers|km|"
    r"miles|metres|meters|feet|tons|tonnes|barrels|units|cars|vehicles|homes|houses|buildings|"
    r"jobs|acres|hectares|hours|gmt|utc|bst|cet|est|edt|pdt|et|hrs|hr|pm|am|copies|"
    r"protesters|prisoners|officers|police|policemen|patients|households|"
    r"families|calls|ships|aircraft|planes|rockets|missiles|shells|pages|words|points|"
    r"local[ \t]+time)\b"
)
_HOLIDAY_BEFORE = re.compile(
    r"\b(?i:good|black|bloody|super|ash|palm|easter|holy|cyber|maundy|every|each)[ \t]+\Z"
)
_WEEKDAY_NOT_A_DAY_AFTER = re.compile(
    r"^[ \t]+(?:Times|Telegraph|Mirror|Express|Herald|Post|Tribune|Star|Sport|"
    r"Night Football|Morning Post)\b"
)
_WEEKDAY_DATE_GAP = re.compile(r"[ \t]*,?[ \t]*(?:the[ \t]+)?\Z")
_DURATION_BEFORE = re.compile(r"\b(?i:the|past|over|for|during|throughout|within)[ \t]+\Z")
_TODAY_NOT_A_DAY_BEFORE = re.compile(r"\b(?:USA|Russia|Britain|China|Psychology)[ \t]+\Z")
# A capitalised word before "May" is usually a name (Theresa May), unless it is one of these.
_MAY_DATE_WORDS = re.compile(
    r"(?i:on|in|since|by|until|till|from|through|during|before|after|last|early|late|mid|"
    rf"{'|'.join(WEEKDAYS)}|and|or|of)"
)
_PREVIOUS_WORD = re.compile(r"([A-Za-z]+)[ \t]*\Z")

# Tense around a relative date: is "on Tuesday" the last or the next Tuesday?
_FUTURE_CUE = re.compile(
    # "will be held": the cue takes in the participle, which is no past tense then
    r"(?:(?:'ll|’ll)|\b(?:will|shall|won't|won’t|wo n't))(?:[ \t]+not)?"
    r"(?:[ \t]+(?:be|have)[ \t]+\w+)?\b|"
    r"\b(?:(?:is|are|was|were)[ \t]+"
    r"(?:due|set|scheduled|expected|slated|poised|going|planning|to)|"
    r"(?:scheduled|planned|set|slated|due)[ \t]+(?:for|to)|plans?[ \t]+to|upcoming|tomorrow)\b"
)
PAST_CUE = re.compile(
    r"\b(?:said|told|was|were|had|did|took|began|came|went|met|held|left|fell|won|lost|made|"
    r"gave|saw|spoke|wrote|sent|led|struck|hit|shot|broke|fled|rose|fought|ago|yesterday|"
    r"(?![a-z]*(?:eed|hundred)\b)[a-z]{3,}ed)\b"
)
_HEADING_AFTER = re.compile(r"[ \t]*[-–—:]")
_WORD = re.compile(r"\w+")
_CLAUSE_REACH = 100  # characters each side searched for tense cues
_COMMA_COST = 3  # a comma between a cue and the date weakens the link, in words
_CUE_REACH = 10  # a cue further away (in words, commas included) belongs to another clause

# How far after the anchor a yearless "June 5" may fall before it is taken as last year's.
_FUTURE_TOLERANCE = dt.timedelta(days=60)
# How far before the anchor a yearless date in a future-tense clause may still fall.
_PAST_TOLERANCE = dt.timedelta(days=31)
_YEAR_RANGE = (1000, 2100)
_DETERMINER_YEAR_RANGE = (1900, 2100)


def find_time_expressions(
    text: str,
    anchor: Anchor,
    *,
    span: tuple[dt.date, dt.date] | None = None,
) -> list[TimeExpression]:
    """Temporal expressions in ``text`` normalised to dates, in text order.

    ``anchor`` is the publication date that relative expressions count from, a day or a
    range of days (earliest, latest; see the module docstring); without it only expressions
    carrying their own year are kept, plus weekday + month-day ("Monday, June 4"), whose year
    is the only one, within ``span`` widened by a year each side, in which that day is that
    weekday.
    """
    if isinstance(anchor, tuple):
        first, last = anchor
        if first != last:
            return _against_range(text, first, last, span)
        anchor = first
    return _expressions(text, anchor, span)


def _against_range(
    text: str, first: dt.date, last: dt.date, span: tuple[dt.date, dt.date] | None
) -> list[TimeExpression]:
    """Expressions read against both ends of a ranged anchor (see the module docstring).

    Every rule maps a later anchor to the same or a later date, so readings that agree at
    both ends agree everywhere between them.
    """
    late = {
        (expression.start, expression.end): expression
        for expression in _expressions(text, last, span)
    }
    found = []
    for early in _expressions(text, first, span):
        other = late.get((early.start, early.end))
        if other is None:
            continue  # one end finds no date (e.g. "May 7" too far ahead): no reading
        if other.when == early.when:
            found.append(early)
            continue
        low, high = sorted((early.when, other.when), key=lambda point: point.date)
        if (high.last_day() - low.date).days + 1 > MAX_RELATIVE_RANGE_DAYS:
            continue
        found.append(
            TimeExpression(early.text, early.start, early.end, low, early.relative, until=high)
        )
    return found


def _expressions(
    text: str, anchor: dt.date | None, span: tuple[dt.date, dt.date] | None
) -> list[TimeExpression]:
    found: list[TimeExpression] = []
    matches = list(_matches(text))
    skip_next = False
    for position, match in enumerate(matches):
        if skip_next:
            skip_next = False
            continue
        kind = match.lastgroup
        following = matches[position + 1] if position + 1 < len(matches) else None
        if (
            kind == "wd"
            and (match.group("wd_mod") or "").lower() not in ("last", "next", "this")
            and following is not None
            and following.lastgroup in ("iso", "num", "mdy", "dmy", "md", "dm")
            and _WEEKDAY_DATE_GAP.match(text, match.end(), following.start())
        ):
            weekday = _WEEKDAYS[match.group("wd_w").lower()]
            expression = _weekday_date(text, match, following, weekday, anchor, span)
            skip_next = True
        else:
            expression = _resolve(text, match, anchor, found)
        if expression is not None:
            found.append(expression)
    return found


# ---------------------------------------------------------------- finding candidates

# Every expression contains a digit or one of these word beginnings. Python's backtracking
# regex engine tries each alternative of _DATE_RE at every character, about 1 µs per char;
# finding these triggers with str.find and trying _DATE_RE only at the few word starts before
# each is some 20 times faster and finds the same matches.
_TRIGGER_WORDS = (
    *sorted({name[:3] for name in MONTH_NUMBERS}),  # "jan" ... "dec" also start the full names
    *_WEEKDAYS,
    *("today", "tonight", "tomorrow", "yesterday", "night", "year", "month", "ago"),
)
_DIGITS = re.compile(r"\d+")
_WORD_BEFORE = re.compile(r"\w+")
# Words that may open an expression before its trigger ("late Tuesday", "two days ago").
_OPENING_WORDS = frozenset(
    ["early", "late", "mid", "last", "next", "this", "earlier", "later", *_NUMBER_WORDS]
)
_REACH_BACK = 30  # characters before a trigger where an expression may start ("earlier this")
_REACH_AHEAD = 40  # characters after a trigger an expression may still run ("May 23rd, 2018")


def _trigger_positions(text: str) -> list[int]:
    lowered = text.lower()
    if len(lowered) != len(text):  # a few characters ("İ") lower-case to two
        lowered = "".join(char if len(char.lower()) != 1 else char.lower() for char in text)
    positions = [match.start() for match in _DIGITS.finditer(text)]
    for word in _TRIGGER_WORDS:
        index = lowered.find(word)
        while index >= 0:
            if index == 0 or not lowered[index - 1].isalnum():
                positions.append(index)
            index = lowered.find(word, index + 1)
    positions.sort()
    return positions


def _matches(text: str) -> Iterator[re.Match[str]]:
    """The matches ``_DATE_RE.finditer(text)`` gives, leftmost and non-overlapping."""
    consumed = 0
    for position in _trigger_positions(text):
        if position < consumed:
            continue
        low = max(consumed, position - _REACH_BACK)
        starts = [
            word.start()
            for word in _WORD_BEFORE.finditer(text, low, position)
            if word.group().lower() in _OPENING_WORDS or word.group().isdigit()
        ]
        starts.append(position)
        end = min(len(text), position + _REACH_AHEAD)
        for start in starts:
            match = _DATE_RE.match(text, start, end)
            if match is not None and match.end() > position:
                yield match
                consumed = match.end()
                break


# ---------------------------------------------------------------- dispatch


def _resolve(
    text: str, match: re.Match[str], anchor: dt.date | None, found: list[TimeExpression]
) -> TimeExpression | None:
    kind = match.lastgroup
    if kind in ("iso", "num", "mdy", "dmy", "my"):
        point = _explicit(match, anchor)
        return _expression(text, match.start(), match.end(), point, relative=False)
    if kind == "yr":
        return _year(text, match, found)
    if anchor is None:
        return None  # everything below is relative to the publication date
    if kind in ("md", "dm"):
        return _month_day(text, match, anchor)
    if kind == "bm":
        return _bare_month(text, match, anchor)
    if kind == "wd":
        return _weekday(text, match, anchor)
    if kind == "rd":
        return _relative_day(text, match, anchor)
    if kind == "rp":
        return _relative_period(text, match, anchor)
    if kind == "ago":
        return _ago(text, match, anchor)
    return None


def _expression(
    text: str, start: int, end: int, point: TimePoint | None, *, relative: bool
) -> TimeExpression | None:
    if point is None:
        return None
    return TimeExpression(text[start:end], start, end, point, relative)


# ---------------------------------------------------------------- explicit dates


def _month_number(word: str) -> int:
    return MONTH_NUMBERS[word.lower().rstrip(".")]


def _day_point(year: int, month: int, day: int) -> TimePoint | None:
    try:
        return TimePoint(dt.date(year, month, day), "day")
    except ValueError:
        return None


def _explicit(match: re.Match[str], anchor: dt.date | None) -> TimePoint | None:
    """Dates that carry their year; ``anchor`` only breaks the day/month tie of 09/05/2018."""
    kind = match.lastgroup
    if kind == "iso":
        year, month, day = (int(match.group(f"iso_{part}")) for part in "ymd")
        return _day_point(year, month, day) if _plausible_year(year) else None
    if kind == "num":
        readings = _numeric_readings(match)
        if not readings:
            return None
        if (
            anchor is not None
            and len(readings) == 2
            and readings[0].date > anchor >= readings[1].date
        ):
            return readings[1]  # day/month would be after publication, month/day is not
        return readings[0]
    if kind in ("mdy", "dmy"):
        if not _month_word_is_date(match, f"{kind}_m"):
            return None
        year = int(match.group(f"{kind}_y"))
        month = _month_number(match.group(f"{kind}_m"))
        day = int(match.group(f"{kind}_d"))
        return _day_point(year, month, day) if _plausible_year(year) else None
    # month + year
    if not _month_word_is_date(match, "my_m") or _count_follows(match):
        return None
    year = int(match.group("my_y"))
    return TimePoint.of(year, _month_number(match.group("my_m"))) if _plausible_year(year) else None


def _numeric_readings(match: re.Match[str]) -> list[TimePoint]:
    """Possible dates of "09/05/2018", day/month reading first (the world's usual order)."""
    first, second = int(match.group("num_a")), int(match.group("num_b"))
    year_text = match.group("num_y")
    if len(year_text) == 2:
        if match.group("num_sep") != "/":
            return []  # "1.2.18" is more often a version or a score than a date
        year = 2000 + int(year_text) if int(year_text) < 50 else 1900 + int(year_text)
    else:
        year = int(year_text)
    if not _plausible_year(year):
        return []
    readings = [_day_point(year, second, first), _day_point(year, first, second)]
    unique: list[TimePoint] = []
    for reading in readings:
        if reading is not None and reading not in unique:
            unique.append(reading)
    return unique


def _plausible_year(year: int) -> bool:
    return _YEAR_RANGE[0] <= year <= _YEAR_RANGE[1]


def _month_word_is_date(match: re.Match[str], group: str) -> bool:
    """Reject "may"/"march" in lower case and "May" after a name ("Theresa May 2017")."""
    word = match.group(group)
    if word.lower() not in ("may", "march"):
        return True
    if word.islower():
        return False
    previous = _PREVIOUS_WORD.search(match.string, max(0, match.start() - 30), match.start())
    if previous is None or word != "May":
        return True
    before = previous.group(1)
    return not before[0].isupper() or _MAY_DATE_WORDS.fullmatch(before) is not None


def _count_follows(match: re.Match[str]) -> bool:
    return _COUNT_NOUN_AFTER.match(match.string, match.end()) is not None


def _year(text: str, match: re.Match[str], found: list[TimeExpression]) -> TimeExpression | None:
    """A bare four-digit number, kept only where the context makes it a year."""
    year = int(match.group("yr_y"))
    if not _plausible_year(year) or _count_follows(match):
        return None
    start = match.start()
    before = text[max(0, start - 30) : start]
    if _MONEY_BEFORE.search(before):
        return None
    accepted = bool(match.group("yr_mod"))
    if not accepted and _YEAR_PREPOSITION.search(before):
        accepted = not _COUNT_BEFORE_OF.search(before)
    if not accepted and _YEAR_DETERMINER.search(before):
        # "a 2011 uprising", "the 2014 election": a word must follow the year
        word = _NEXT_WORD.match(text, match.end())
        accepted = (
            word is not None
            and word.group(1).islower()
            and _DETERMINER_YEAR_RANGE[0] <= year <= _DETERMINER_YEAR_RANGE[1]
        )
    if not accepted and found:
        # the second year of a range: "from 2011 to 2014", "2011-2014"
        previous = found[-1]
        accepted = previous.when.granularity == "year" and bool(
            _RANGE_JOINER.match(text[previous.end : start])
        )
    if not accepted:
        return None
    return _expression(text, start, match.end(), TimePoint.of(year), relative=False)


# ---------------------------------------------------------------- relative dates


def is_future_reference(text: str, start: int, end: int) -> bool:
    """Whether the clause around text[start:end] speaks of the future.

    The nearest tense cue wins, counted in words, a comma costing a few words: "said on
    Tuesday that the army will" is past, "talks will resume on Tuesday, officials said" is
    future. Without any cue the past wins: news mostly reports what happened.
    """
    before = text[max(0, start - _CLAUSE_REACH) : start]
    after = text[end : end + _CLAUSE_REACH]
    before = before[max(before.rfind("\n"), before.rfind(". ")) + 1 :]
    cut = min((i for i in (after.find("\n"), after.find(". ")) if i >= 0), default=len(after))
    after = after[:cut]
    if not before.strip() and _HEADING_AFTER.match(after):
        return False  # "April 30 - An aide says ... will": a dated entry of a chronology
    best_future = best_past = None
    for window, is_before in ((before, True), (after, False)):
        future_cues = list(_FUTURE_CUE.finditer(window))
        # "is expected to" is a future cue, not the past participle "expected"; "was due to"
        # is neither (the plan may or may not have happened by now)
        covered = [(cue.start(), cue.end()) for cue in future_cues]
        past_cues = [
            cue
            for cue in PAST_CUE.finditer(window)
            if not any(low <= cue.start() < high for low, high in covered)
        ]
        future_cues = [cue for cue in future_cues if not cue.group().startswith(("was", "were"))]
        for cues, is_future in ((future_cues, True), (past_cues, False)):
            if not cues:
                continue
            # the cue nearest the date: the last one before it, the first one after it
            cue = cues[-1] if is_before else cues[0]
            between = window[cue.end() :] if is_before else window[: cue.start()]
            distance = _cue_distance(between)
            if distance > _CUE_REACH:
                continue
            if is_future:
                best_future = distance if best_future is None else min(best_future, distance)
            else:
                best_past = distance if best_past is None else min(best_past, distance)
    if best_future is None:
        return False
    return best_past is None or best_future < best_past


def _cue_distance(between: str) -> int:
    return len(_WORD.findall(between)) + _COMMA_COST * between.count(",")


def _weekday(text: str, match: re.Match[str], anchor: dt.date) -> TimeExpression | None:
    start, end = match.start(), match.end()
    if _HOLIDAY_BEFORE.search(text, max(0, start - 20), start) or _WEEKDAY_NOT_A_DAY_AFTER.match(
        text[end : end + 30]
    ):
        return None
    weekday = _WEEKDAYS[match.group("wd_w").lower()]
    modifier = (match.group("wd_mod") or "").lower()
    back = (anchor.weekday() - weekday) % 7  # days since the last such weekday, 0 = anchor
    if modifier == "last":
        day = anchor - dt.timedelta(days=back or 7)
    elif modifier == "next":
        day = anchor + dt.timedelta(days=(weekday - anchor.weekday()) % 7 or 7)
    elif is_future_reference(text, start, end):
        day = anchor + dt.timedelta(days=(weekday - anchor.weekday()) % 7)
    else:
        day = anchor - dt.timedelta(days=back)
    return _expression(text, start, end, TimePoint(day, "day"), relative=True)


def _relative_day(text: str, match: re.Match[str], anchor: dt.date) -> TimeExpression | None:
    start = match.start()
    if _TODAY_NOT_A_DAY_BEFORE.search(text, max(0, start - 20), start):
        return None
    word = "yesterday" if match.group("rd_last") else match.group("rd_w").lower()
    offset = {"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1}[word]
    day = anchor + dt.timedelta(days=offset)
    return _expression(text, start, match.end(), TimePoint(day, "day"), relative=True)


def _relative_period(text: str, match: re.Match[str], anchor: dt.date) -> TimeExpression | None:
    start = match.start()
    which = match.group("rp_which").lower()
    if which != "this" and _DURATION_BEFORE.search(text, max(0, start - 20), start):
        return None  # "over the last year", "for the next month": a duration
    shift = {"last": -1, "this": 0, "next": 1}[which]
    if match.group("rp_unit").lower() == "year":
        point = TimePoint.of(anchor.year + shift)
    else:
        point = _shift_month(anchor.year, anchor.month, shift)
    return _expression(text, start, match.end(), point, relative=True)


def _shift_month(year: int, month: int, shift: int) -> TimePoint:
    index = year * 12 + month - 1 + shift
    return TimePoint.of(index // 12, index % 12 + 1)


def _ago(text: str, match: re.Match[str], anchor: dt.date) -> TimeExpression | None:
    amount_text = match.group("ago_n").lower()
    if amount_text.isdigit():
        amount = int(amount_text)
    else:  # "five", "twenty-five", PTB "twenty - five"
        amount = sum(_NUMBER_WORDS[part.strip()] for part in amount_text.split("-"))
    unit = match.group("ago_u").lower().rstrip("s")
    if unit == "day":
        point = TimePoint(anchor - dt.timedelta(days=amount), "day")
    elif unit == "month":
        point = _shift_month(anchor.year, anchor.month, -amount)
    else:
        point = TimePoint.of(anchor.year - amount)
    if not _plausible_year(point.date.year):
        return None
    return _expression(text, match.start(), match.end(), point, relative=True)


def _candidate_days(month: int, day: int, years: range) -> Iterator[dt.date]:
    for year in years:
        try:
            yield dt.date(year, month, day)
        except ValueError:  # February 29 outside leap years
            continue


def _nearest_to_anchor(candidates: list[dt.date], anchor: dt.date, future: bool) -> dt.date | None:
    """The yearless date a writer on ``anchor`` means: the nearest one, not more than a couple
    of months ahead, or in a future-tense clause not more than a month back."""
    if future:
        low, high = anchor - _PAST_TOLERANCE, anchor + dt.timedelta(days=330)
    else:
        low, high = dt.date.min, anchor + _FUTURE_TOLERANCE
    allowed = [day for day in candidates if low <= day <= high]
    return min(allowed, key=lambda day: abs((day - anchor).days), default=None)


def _month_day(text: str, match: re.Match[str], anchor: dt.date) -> TimeExpression | None:
    kind = match.lastgroup
    if not _month_word_is_date(match, f"{kind}_m"):
        return None
    month, day = _month_number(match.group(f"{kind}_m")), int(match.group(f"{kind}_d"))
    year = _stated_year(match, kind, anchor)
    if year is not None:  # "June 25 last year"
        point = _day_point(year, month, day)
    else:
        candidates = list(_candidate_days(month, day, range(anchor.year - 1, anchor.year + 2)))
        future = is_future_reference(text, match.start(), match.end())
        chosen = _nearest_to_anchor(candidates, anchor, future)
        point = TimePoint(chosen, "day") if chosen else None
    return _expression(text, match.start(), match.end(), point, relative=True)


def _stated_year(match: re.Match[str], kind: str, anchor: dt.date) -> int | None:
    """The year of "... last year", "... of this year" after a yearless date, if stated."""
    which = match.group(f"{kind}_rel")
    if which is None:
        return None
    return anchor.year + {"last": -1, "this": 0, "next": 1}[which.lower()]


def _bare_month(text: str, match: re.Match[str], anchor: dt.date) -> TimeExpression | None:
    """ "in March", "since early June", "last December": the month nearest the anchor."""
    word = match.group("bm_m")
    start = match.start()
    if not word[0].isupper() and word.lower() in ("may", "march"):
        return None
    modifier = (match.group("bm_mod") or "").lower()
    if modifier not in ("early", "late", "mid", "last", "next", "this"):
        previous = _PREVIOUS_WORD.search(text, max(0, start - 20), start)
        if previous is None or previous.group(1).lower() not in _MONTH_PREPOSITIONS:
            return None
        if word == "May" and previous.group(1).lower() in ("by", "from", "of"):
            return None  # "backed by May": the politician
    month = _month_number(word)
    year = _stated_year(match, "bm", anchor)
    if year is not None:  # "in March last year"
        return _expression(text, start, match.end(), TimePoint.of(year, month), relative=True)
    current = anchor.year * 12 + anchor.month - 1
    index = anchor.year * 12 + month - 1  # this year's month
    if modifier == "last" or (
        modifier != "next" and not is_future_reference(text, start, match.end())
    ):
        if index > current or (modifier == "last" and index == current):
            index -= 12
    elif index < current or (modifier == "next" and index == current):
        index += 12
    point = TimePoint.of(index // 12, index % 12 + 1)
    return _expression(text, start, match.end(), point, relative=True)


_MONTH_PREPOSITIONS = frozenset(
    [
        "in",
        "since",
        "by",
        "until",
        "till",
        "during",
        "from",
        "through",
        "throughout",
        "before",
        "after",
        "of",
    ]
)


# ---------------------------------------------------------------- weekday + date


def _weekday_date(
    text: str,
    weekday_match: re.Match[str],
    date_match: re.Match[str],
    weekday: int,
    anchor: dt.date | None,
    span: tuple[dt.date, dt.date] | None,
) -> TimeExpression | None:
    """ "Monday, June 4", "Friday 22 April 2016": one expression, the weekday fixing the
    year of a yearless date or choosing between day/month readings of 09/05/2018."""
    start, end = weekday_match.start(), date_match.end()
    kind = date_match.lastgroup
    if kind == "num":
        readings = _numeric_readings(date_match)
        agreeing = [reading for reading in readings if reading.date.weekday() == weekday]
        point = agreeing[0] if len(agreeing) == 1 else _explicit(date_match, anchor)
        return _expression(text, start, end, point, relative=False)
    if kind in ("iso", "mdy", "dmy"):
        # an explicit date wins over a contradicting weekday
        return _expression(text, start, end, _explicit(date_match, anchor), relative=False)
    if not _month_word_is_date(date_match, f"{kind}_m"):
        return None
    month, day = _month_number(date_match.group(f"{kind}_m")), int(date_match.group(f"{kind}_d"))
    chosen: dt.date | None = None
    if anchor is not None:
        stated = _stated_year(date_match, kind, anchor)
        if stated is not None:  # "Monday, June 4 last year"
            chosen = next(_candidate_days(month, day, range(stated, stated + 1)), None)
        else:
            candidates = list(_candidate_days(month, day, range(anchor.year - 1, anchor.year + 2)))
            matching = [candidate for candidate in candidates if candidate.weekday() == weekday]
            future = is_future_reference(text, start, end)
            # a weekday that fits no nearby year is a slip: fall back on the month-day alone
            chosen = _nearest_to_anchor(matching, anchor, future) or _nearest_to_anchor(
                candidates, anchor, future
            )
    elif span is not None and not date_match.group(f"{kind}_rel"):
        chosen = _in_span(month, day, weekday, span)
    point = TimePoint(chosen, "day") if chosen else None
    return _expression(text, start, end, point, relative=True)


def _in_span(month: int, day: int, weekday: int, span: tuple[dt.date, dt.date]) -> dt.date | None:
    """The year, within the span widened by a year each side, in which month/day is that
    weekday; none when several years qualify (a wide span: the weekday cannot tell)."""
    first, last = span
    low, high = first - dt.timedelta(days=366), last + dt.timedelta(days=366)
    candidates = [
        candidate
        for candidate in _candidate_days(month, day, range(low.year, high.year + 1))
        if low <= candidate <= high and candidate.weekday() == weekday
    ]
    return candidates[0] if len(candidates) == 1 else None
