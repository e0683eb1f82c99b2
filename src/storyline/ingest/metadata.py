"""Title, publication date, outlet and dateline of an article, read from its text.

Scraped text carries its metadata as lines around the body: a headline, a byline with a date
("By AFP - May 23,2018"), a dateline starting the first paragraph ("BENGHAZI, Libya —"), or a
block of short date lines at the end. Those lines are not content: they are removed from the
body and returned as ``RemovedText`` ("metadata: ..."), so summaries never quote them.

Dates are read only from the metadata zone (the first few and last few lines of the article),
never from body sentences, which mention the dates of events rather than of publication.
Container metadata (JSON fields, HTML meta tags) takes precedence over what the text shows;
a container date that cannot be used is reported with the reason (``date_problem``). Last come
a wire dateline's date ("CAIRO, May 4, 2018 (Reuters) -"; without its year, "Jan. 1", it is
kept as ``dateline_date`` for the date inference to place) and a date in the URL path
("/2016/08/31/"), as news sites write them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from dateutil import parser as date_parser

from storyline.model import RemovedText
from storyline.vocabulary import MONTH_NUMBERS, WEEKDAY_ABBREVIATIONS, month_forms, weekday_forms

_HEAD_LINES = 6
_TAIL_LINES = 8
_DATELINE_SEARCH_LINES = 4  # body lines, after the title, that may start with a dateline
_MAX_METADATA_WORDS = 20
_MAX_TITLE_WORDS = 25
_CONTENT_GAP_DAYS = 60  # news is published within weeks of the events it reports

# Month and weekday names and abbreviations, longest form first ("september|sept|sep").
_MONTH_FORMS = [form for month in range(1, 13) for form in month_forms(month)]
_MONTH = rf"(?:{'|'.join(_MONTH_FORMS)})\.?"
_WEEKDAY = rf"(?:{'|'.join(form for day in range(7) for form in weekday_forms(day))})\.?"

_ISO_DATE = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?\b")
_YEAR_FIRST_DATE = re.compile(r"\b(\d{4})/(\d{1,2})/(\d{1,2})\b")
_NUMERIC_DATE = re.compile(
    rf"(?:\b(?P<weekday>{_WEEKDAY})\s*,?\s*)?\b(?P<a>\d{{1,2}})(?P<sep>[/.-])(?P<b>\d{{1,2}})"
    r"(?P=sep)(?P<year>\d{4}|\d{2})\b",
    re.I,
)
_NAMED_DATE = re.compile(
    rf"\b(?:\d{{1,2}}(?:st|nd|rd|th)?(?:\s+of)?\s+{_MONTH}\s*,?\s*\d{{4}}|"
    rf"{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\s*,?\s*\d{{4}})\b",
    re.I,
)
# Month-day mentions in the body ("May 7", "7 May"): capitalised only, "may" is also a verb.
_CONTENT_MONTH = rf"(?:{'|'.join(form.capitalize() for form in _MONTH_FORMS)})\.?"
_CONTENT_DAY = re.compile(
    rf"\b(?P<m1>{_CONTENT_MONTH})\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s*(?P<y1>\d{{4}}))?|"
    rf"\b(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?(?:\s+of)?\s+(?P<m2>{_CONTENT_MONTH})\b"
    r"(?:,?\s*(?P<y2>\d{4}))?"
)
# dateutil silently drops the year of "May 23,2018"; a space after the comma fixes that.
_COMMA_BEFORE_YEAR = re.compile(r"(\d),(\d{4})\b")
_EPOCH = re.compile(r"\d{9,13}(?:\.\d+)?")

# What a date line may hold besides the date: weekday, time, zone, labels, separators.
_DATE_LINE_TOKEN = re.compile(
    rf"\b(?:{_WEEKDAY}|{_MONTH}|\d{{1,2}}(?:st|nd|rd|th)?|\d{{4}}|"
    r"\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}(?:T[\d:.]+Z?)?|\d{1,2}[:.]\d{2}(?:[:.]\d{2})?|"
    r"[ap]\.?m\.?|et|est|edt|ct|cst|cdt|pt|pst|pdt|gmt|utc|bst|cet|cest|eet|eest|ist|jst|"
    r"local time|published|updated|posted|last|modified|dated?|on|at|first|created|issued|"
    r"time)(?=\W|$)",
    re.I,
)
_TIME_ONLY = re.compile(
    r"\d{1,2}[:.]\d{2}(?:[:.]\d{2})?\s*(?:[ap]\.?m\.?)?(?:\s*[a-z]{2,4})?", re.I
)
_HAS_DATE_PART = re.compile(rf"\d|\b{_WEEKDAY}(?=\W|$)|\b{_MONTH}(?=\W|$)", re.I)
_NON_WORD = re.compile(r"[^\w]+")

_BYLINE = re.compile(r"by\s+\S.*", re.I)
_BYLINE_SPLIT = re.compile(r"\s*(?:[|–—]|--)\s*|\s+-\s+|,\s*|\s+for\s+|\s+and\s+")
_BYLINE_ROLE = re.compile(
    r"\b(?:(?:wire\s+)?staff(?:\s+writer)?|correspondents?|reporters?|editors?|writers?)\b", re.I
)
_OUTLET_HINT = re.compile(
    r"\b(?:AFP|AP|Reuters|Agencies|Associated Press|Agence France-Presse|Xinhua|UPI|DPA|ANSA|"
    r"EFE|Anadolu|Bloomberg|TASS|Kyodo|PTI|IANS|Yonhap|BBC|CNN|NPR|News|Times|Post|Press|"
    r"Herald|Journal|Tribune|Guardian|Telegraph|Monitor|Observer|Gazette|Agency|Wire|Network|"
    r"Television|TV|Radio|Daily|Online)\b"
)
# Agencies and broadcasters that bylines name by acronym; other capitals are names or places.
_OUTLET_ACRONYM = re.compile(
    r"\b(?:AFP|AP|UPI|DPA|EFE|ANSA|BBC|CNN|NPR|PTI|IANS|TASS|IRNA|SANA|MENA|WAFA|KUNA|APA|"
    r"CBS|NBC|ABC|MSNBC|PBS|ITV|RT|RFI|DW|VOA|AA)\b"
    r"(?:\s+(?:News|Television|TV|Radio|Online|World|Arabic))?"
)
_BYLINE_PREFIX = re.compile(r"^by\s+", re.I)
# "source : Agencies": a short name only ("Sources: EU data (2010), IOM" credits a chart).
_SOURCE_LINE = re.compile(
    r"(?:source|via)\s*:\s*(?P<outlet>[A-Z][\w.&'-]*(?:\s+[\w.&'-]+){0,3})\.?", re.I
)
_CREDITS_LINE = re.compile(
    r"\(?\s*(?:(?:additional\s+)?reporting|writing|editing|edited|compiled|translated|produced)"
    r"\s+by\b.*|.*\bcontributed (?:reporting )?(?:to )?(?:this|the) (?:report|story|article)\b.*",
    re.I,
)
_SENTENCE_END = re.compile(r"[.!?][\"'”’»)\]]*$")
# A headline may end in a word, "?", "!" or a closing quote, but not in a full stop or comma.
_TITLE_END_OK = re.compile(r"(?:[\w)%]|[?!]|(?<![.,;:])[\"'”’])$")
_TITLE_START_OK = re.compile(r"[\"'“‘(]?[A-Z0-9]")
_TITLE_SITE_SUFFIX = re.compile(r"\s+\|\s+[^|]{2,40}$")

_PLACE_CAPS = r"[A-Z][A-Z'’.-]+(?:\s+[A-Z][A-Z'’.-]+){0,3}"
_PLACE_ANY = r"[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){0,3}"
_REGION = rf"(?:,\s*{_PLACE_ANY}){{0,2}}"
_DATELINE_DATE = (
    rf"(?:,?\s+(?P<dateline_date>(?i:{_MONTH})\s+\d{{1,2}}(?:,\s*(?P<dateline_year>\d{{4}}))?))?"
)
_AGENCY = r"\(\s*(?P<agency>[A-Z][\w .&'-]{0,30}?)\s*\)"
_DASH = r"\s*(?:—|–|--|-)\s+"
_DATELINES = (
    # BENGHAZI, Libya — / TUNIS - / JERUSALEM (AP) — / CAIRO, May 4 (Reuters) -
    # ("NEW DELHI:" is left out: a colon after capitals is far more often a transcript's
    # speaker label or a "NEW:" marker than a dateline.)
    re.compile(rf"(?P<place>{_PLACE_CAPS}{_REGION}){_DATELINE_DATE}\s*(?:{_AGENCY})?{_DASH}"),
    # Tripoli, Libya (CNN) --
    re.compile(rf"(?P<place>{_PLACE_ANY}{_REGION}){_DATELINE_DATE}\s*{_AGENCY}{_DASH}"),
    # (AFP) -
    re.compile(rf"{_AGENCY}{_DASH}"),
)
_NOT_PLACES = frozenset(
    [
        "UPDATE",
        "UPDATED",
        "BREAKING",
        "EXCLUSIVE",
        "WATCH",
        "VIDEO",
        "PHOTOS",
        "PHOTO",
        "LIVE",
        "ANALYSIS",
        "OPINION",
        "EDITORIAL",
        "COMMENT",
        "NOTE",
        "NEWS",
        "FACTBOX",
        "TIMELINE",
        "REFILE",
        "CORRECTED",
        "CORRECTION",
        "URGENT",
        "FLASH",
        "WARNING",
        "READ",
        "MORE",
        "ALSO",
    ]
)


@dataclass
class ArticleMetadata:
    """What is known about an article besides its body text."""

    title: str | None = None
    date: dt.date | None = None
    date_evidence: str | None = None
    # Where the date was read: "metadata" (container), "byline", "date line", "dateline", "url".
    date_source: str | None = None
    # Why a date the container gave was not used ("'2099-01-01' is after today").
    date_problem: str | None = None
    outlet: str | None = None
    dateline: str | None = None
    # The dateline's month and day as written when it has no year ("Jan. 1").
    dateline_date: str | None = None
    url: str | None = None


def extract_metadata(
    text: str,
    *,
    title: str | None = None,
    date_text: str | None = None,
    outlet: str | None = None,
    url: str | None = None,
) -> tuple[str, ArticleMetadata, list[RemovedText]]:
    """Body text without its metadata lines, the metadata, and the removed pieces.

    ``title``, ``date_text``, ``outlet`` and ``url`` are container metadata (JSON fields, HTML
    meta tags); they take precedence over what the text shows. ``text`` should already be
    cleaned of page chrome, so that the first line left is the headline if there is one.
    """
    lines = text.split("\n")
    filled = [index for index, line in enumerate(lines) if line.strip()]
    removals: dict[int, str] = {}
    found_dates: list[tuple[dt.date, str, str]] = []
    outlets: list[str] = []

    _scan_metadata_lines(lines, filled, text, removals, found_dates, outlets)

    remaining = [index for index in filled if index not in removals]
    meta = ArticleMetadata(url=url)
    meta.title = " ".join(title.split()) if title and title.strip() else None
    if remaining:
        first = lines[remaining[0]].strip()
        if meta.title and _same_text(first, meta.title):
            removals[remaining[0]] = "metadata: title"
        elif meta.title is None and len(remaining) > 1 and _is_title(first):
            meta.title = _TITLE_SITE_SUFFIX.sub("", first)
            removals[remaining[0]] = "metadata: title"

    dateline_removed: RemovedText | None = None
    body = [index for index in filled if index not in removals][:_DATELINE_SEARCH_LINES]
    for index in body:
        match = _match_dateline(lines[index])
        if match is None:
            continue
        place = match.group("place") if "place" in match.groupdict() else None
        agency = match.groupdict().get("agency")
        meta.dateline = place.strip() if place else None
        if agency:
            outlets.append(agency.strip())
        written = match.groupdict().get("dateline_date")
        if written:
            day = _parse_full_date(written) if match.group("dateline_year") else None
            if day is not None:
                found_dates.append((day, written, "dateline"))
            elif not match.group("dateline_year"):
                meta.dateline_date = written
        dateline_removed = RemovedText(match.group(0).strip(), "metadata: dateline")
        lines[index] = lines[index][match.end() :]
        break

    if date_text:
        container_date, problem = read_date_text(date_text, context=text)
        if container_date:
            meta.date, meta.date_evidence = container_date, date_text.strip()
            meta.date_source = "metadata"
        else:
            meta.date_problem = problem
    if meta.date is None and found_dates:
        meta.date, meta.date_evidence, meta.date_source = found_dates[0]
    if meta.date is None:
        from_url = date_from_url(url)
        if from_url is not None:
            meta.date, meta.date_evidence, meta.date_source = from_url, url, "url"

    meta.outlet = (
        (outlet.strip() if outlet and outlet.strip() else None)
        or (outlets[0] if outlets else None)
        or _outlet_from_url(url)
    )

    removed = [
        RemovedText(lines[index].strip(), reason) for index, reason in sorted(removals.items())
    ]
    if dateline_removed:
        removed.append(dateline_removed)
    kept = [line for index, line in enumerate(lines) if index not in removals]
    body_text = re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip("\n")
    return body_text, meta, removed


def parse_date_text(value: str, *, context: str = "") -> dt.date | None:
    """A full calendar date from a container date string, or None (see :func:`read_date_text`)."""
    return read_date_text(value, context=context)[0]


def read_date_text(value: str, *, context: str = "") -> tuple[dt.date | None, str | None]:
    """A full calendar date from a container date string, or None and why it was refused.

    Accepts ISO 8601 ("2018-05-23", "2018-05-23T10:00:00Z"), RFC 2822, written dates
    ("23 May 2018"), numeric dates (ambiguous day/month decided as in article text, with
    ``context`` as the article body) and epoch seconds or milliseconds. Dates missing their
    year, month or day, or with a year not written in full ("1 January 1"), are refused
    rather than completed from today's date; so are dates before 1900 or after tomorrow.
    """
    value = " ".join(value.split())
    shown = repr(value[:40])
    if not value:
        return None, "the date field is empty"
    if _EPOCH.fullmatch(value):
        seconds = float(value) / (1000 if len(value.split(".")[0]) == 13 else 1)
        try:
            day = dt.datetime.fromtimestamp(seconds, tz=dt.timezone.utc).date()
        except (OverflowError, OSError, ValueError):
            return None, f"{shown} is not a usable timestamp"
        return _checked(day, shown)
    numeric = _NUMERIC_DATE.search(value)
    if numeric and not _ISO_DATE.search(value):
        day = _resolve_numeric(numeric, context, check=False)
    else:
        day = _parse_full_date(value, check=False)
    if day is None:
        return None, f"{shown} is not a full date (day, month and a four-digit year)"
    return _checked(day, shown)


def _checked(day: dt.date, shown: str) -> tuple[dt.date | None, str | None]:
    if day.year < _EARLIEST_YEAR:
        return None, f"{shown} is before {_EARLIEST_YEAR}"
    if _plausible(day) is None:
        return None, f"{shown} is after today"
    return day, None


# "/2016/08/31/", "/2014-08-21/", "_2019_01_02_": the date news sites put in article paths.
_URL_DATE = re.compile(
    r"(?<![\d])((?:19|20)\d{2})([/_-])(0?[1-9]|1[0-2])\2(0?[1-9]|[12]\d|3[01])(?!\d)"
)


def date_from_url(url: str | None) -> dt.date | None:
    """The year-month-day of a URL path, as news sites write it, or None.

    Our own pattern rather than htmldate's ``extract_url_date``: the same rule, without
    importing htmldate (0.15 s) for every run that reads JSONL.
    """
    if not url:
        return None
    path = urlsplit(url if "//" in url else f"//{url}").path
    match = _URL_DATE.search(path)
    if match is None:
        return None
    return _make_date(int(match.group(1)), int(match.group(3)), int(match.group(4)))


# ---------------------------------------------------------------- metadata lines


def _scan_metadata_lines(
    lines: list[str],
    filled: list[int],
    text: str,
    removals: dict[int, str],
    found_dates: list[tuple[dt.date, str, str]],
    outlets: list[str],
) -> None:
    """Mark bylines, source/credit lines and date lines of the metadata zone for removal.

    ``filled`` holds the indices of the non-empty lines; the zone is the first and last few.
    """
    head = range(min(_HEAD_LINES, len(filled)))
    tail = range(max(0, len(filled) - _TAIL_LINES), len(filled))
    group: list[int] = []  # positions in ``filled`` of consecutive date-fragment lines
    for position in sorted(set(head) | set(tail)):
        index = filled[position]
        line = lines[index].strip()
        words = len(line.split())
        fragment = _is_date_fragment(line)
        if group and (group[-1] != position - 1 or not fragment):
            _close_date_group(lines, [filled[p] for p in group], text, removals, found_dates)
            group = []
        if fragment:
            group.append(position)
            continue
        if _CREDITS_LINE.fullmatch(line) and words <= 40:
            removals[index] = "metadata: credits"
            continue
        if words > _MAX_METADATA_WORDS or (words >= 8 and _SENTENCE_END.search(line)):
            continue
        if _BYLINE.fullmatch(line) and not _SENTENCE_END.search(line):
            removals[index] = "metadata: byline"
            found_dates.extend((day, line, "byline") for day in _dates_in(line, text))
            byline_outlet = _outlet_from_byline(line)
            if byline_outlet:
                outlets.append(byline_outlet)
            continue
        source = _SOURCE_LINE.fullmatch(line)
        if source:
            removals[index] = "metadata: source"
            outlets.append(source.group("outlet").strip())
            continue
        if _residual_words(line) <= 4:
            dates = _dates_in(line, text)
            if dates:
                removals[index] = "metadata: date"
                found_dates.append((dates[0], line, "date line"))
    if group:
        _close_date_group(lines, [filled[p] for p in group], text, removals, found_dates)


def _close_date_group(
    lines: list[str],
    group: list[int],
    text: str,
    removals: dict[int, str],
    found_dates: list[tuple[dt.date, str, str]],
) -> None:
    """Consecutive short date lines ("Friday" / "22 April 2016" / "10:17:57 AM") read as one."""
    # Time-only lines ("10:17:57 AM") go with the date but are no evidence of the day.
    parts = [lines[index].strip() for index in group]
    joined = " ".join(part for part in parts if not _TIME_ONLY.fullmatch(part))
    dates = _dates_in(joined, text)
    if not dates:
        return
    for index in group:
        removals[index] = "metadata: date"
    found_dates.append((dates[0], joined, "date line"))


def _residual_words(line: str) -> int:
    return len(_NON_WORD.sub(" ", _DATE_LINE_TOKEN.sub(" ", line)).split())


def _is_date_fragment(line: str) -> bool:
    """A line holding only date parts, times and labels ("Friday", "10:17:57 AM")."""
    return bool(_HAS_DATE_PART.search(line)) and _residual_words(line) == 0


def _outlet_from_byline(line: str) -> str | None:
    """The outlet named in a byline ("By AFP", "By Jane Doe, Reuters", "By X BBC News")."""
    for part in _BYLINE_SPLIT.split(_BYLINE_PREFIX.sub("", line)):
        part = _BYLINE_ROLE.sub(" ", part).strip(" ()")
        if not part or any(char.isdigit() for char in part):
            continue
        words = part.split()
        acronym = _OUTLET_ACRONYM.search(part)
        if acronym:  # "Finlo Rohrer BBC News" -> "BBC News", "the CNN Wire Staff" -> "CNN"
            return acronym.group(0)
        if len(words) <= 4 and _OUTLET_HINT.search(part):
            return re.sub(r"^the\s+", "", part, flags=re.I)
    return None


def _outlet_from_url(url: str | None) -> str | None:
    if not url:
        return None
    try:
        host = urlsplit(url if "//" in url else f"//{url}").hostname
    except ValueError:  # e.g. "http://[not-an-address": no outlet, the rest of the article stays
        return None
    if not host:
        return None
    return host.removeprefix("www.")


def _same_text(first: str, second: str) -> bool:
    def key(value: str) -> str:
        return _NON_WORD.sub(" ", value.casefold()).strip()

    return key(first) == key(second) or key(_TITLE_SITE_SUFFIX.sub("", first)) == key(second)


def _is_title(line: str) -> bool:
    """A headline: short, capitalised, not a sentence ending in a full stop."""
    words = len(line.split())
    return (
        2 <= words <= _MAX_TITLE_WORDS
        and bool(_TITLE_START_OK.match(line))
        and bool(_TITLE_END_OK.search(line))
        and _match_dateline(line) is None
    )


def _match_dateline(line: str) -> re.Match[str] | None:
    for pattern in _DATELINES:
        match = pattern.match(line)
        if match is None:
            continue
        place = match.groupdict().get("place")
        if place:
            first_word = place.split()[0].strip(",.'’-")
            if first_word.upper() in _NOT_PLACES or len(first_word) < 3:
                continue
        if len(line[match.end() :].split()) < 4:
            continue
        return match
    return None


# ---------------------------------------------------------------- dates


def _dates_in(line: str, context: str) -> list[dt.date]:
    """Full dates written in ``line``, in order of appearance."""
    found: list[tuple[int, dt.date]] = []
    for match in _ISO_DATE.finditer(line):
        day = _make_date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        if day:
            found.append((match.start(), day))
    for match in _YEAR_FIRST_DATE.finditer(line):
        day = _make_date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        if day:
            found.append((match.start(), day))
    for match in _NUMERIC_DATE.finditer(line):
        day = _resolve_numeric(match, context)
        if day:
            found.append((match.start(), day))
    for match in _NAMED_DATE.finditer(line):
        day = _parse_full_date(match.group(0))
        if day:
            found.append((match.start(), day))
    return [day for _, day in sorted(found, key=lambda item: item[0])]


def _parse_full_date(value: str, *, check: bool = True) -> dt.date | None:
    """Parse with dateutil, refusing any part that dateutil would take from its default and
    a year not written with four digits ("1 January 1" is no date of 2001).

    Parsing twice with two different defaults shows which parts were really in ``value``.
    ``check``: also refuse implausible dates (see :func:`_plausible`).
    """
    value = _COMMA_BEFORE_YEAR.sub(r"\1, \2", value)
    try:
        first = date_parser.parse(value, default=dt.datetime(1904, 1, 1), fuzzy=True, ignoretz=True)
        second = date_parser.parse(
            value, default=dt.datetime(1905, 2, 2), fuzzy=True, ignoretz=True
        )
    except (ValueError, OverflowError, TypeError):
        return None
    if first.date() != second.date() or not re.search(rf"(?<!\d){first.year}(?!\d)", value):
        return None
    return _plausible(first.date()) if check else first.date()


_EARLIEST_YEAR = 1900


def _plausible(day: dt.date) -> dt.date | None:
    today = dt.date.today()
    if day.year >= _EARLIEST_YEAR and day <= today + dt.timedelta(days=1):
        return day
    return None


def _make_date(year: int, month: int, day: int, *, check: bool = True) -> dt.date | None:
    try:
        made = dt.date(year, month, day)
    except ValueError:
        return None
    return _plausible(made) if check else made


def _resolve_numeric(match: re.Match[str], context: str, *, check: bool = True) -> dt.date | None:
    """Decide between day/month and month/day for a numeric date such as ``09/05/2018``.

    In order: the only valid reading; the reading whose weekday matches a written weekday;
    the reading that falls shortly after the latest month-day date the article mentions (news
    is published soon after the events it reports); else day/month, as most of the world
    writes it.
    """
    first, second = int(match.group("a")), int(match.group("b"))
    year = int(match.group("year"))
    if year < 100:
        year += 2000 if year <= dt.date.today().year % 100 + 1 else 1900
    day_month = _make_date(year, second, first, check=check)
    month_day = _make_date(year, first, second, check=check)
    readings = [reading for reading in (day_month, month_day) if reading]
    if len(readings) < 2 or day_month == month_day:
        return readings[0] if readings else None
    weekday = match.group("weekday")
    if weekday:
        number = WEEKDAY_ABBREVIATIONS[weekday[:3].lower()]
        matching = [reading for reading in readings if reading.weekday() == number]
        if len(matching) == 1:
            return matching[0]
    gaps = [_gap_after_content(reading, context) for reading in readings]
    if gaps[0] != gaps[1] and min(gaps) <= _CONTENT_GAP_DAYS:
        return readings[gaps.index(min(gaps))]
    return day_month


def _gap_after_content(reading: dt.date, context: str) -> int:
    """Days from the latest body date on or before ``reading`` to ``reading`` (large if none)."""
    latest: dt.date | None = None
    for day in _content_days(context, reading.year):
        if day <= reading and (latest is None or day > latest):
            latest = day
    return (reading - latest).days if latest else 10**6


def _content_days(context: str, default_year: int) -> Iterator[dt.date]:
    for match in _CONTENT_DAY.finditer(context):
        month_name = match.group("m1") or match.group("m2")
        day = int(match.group("d1") or match.group("d2"))
        year_text = match.group("y1") or match.group("y2")
        year = int(year_text) if year_text else default_year
        try:
            yield dt.date(year, MONTH_NUMBERS[month_name[:3].lower()], day)
        except ValueError:
            continue
