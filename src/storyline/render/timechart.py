"""The report's timeline chart, laid out in Python and drawn as SVG by the template.

Every event is a span of days: a day-dated event is one day (drawn as a dot, since a day is
often narrower than a pixel), a month- or year-dated one covers its whole month or year, so
"in 2014" never looks like a precise day. Bounds may be open ("not before 2017-07"): the span
then runs to the edge of the chart and fades out. Overlapping spans go to separate lanes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from storyline.model import TimePoint

__all__ = ["Chart", "ChartItem", "Span", "Tick", "layout_chart", "layout_charts", "span_of"]

CHART_WIDTH = 640  # about the drawn width beside the list, so text keeps its size
LANE_HEIGHT = 22
AXIS_HEIGHT = 28
MARGIN = 16
MIN_BAR = 4.0  # narrowest drawn span, in SVG units
DOT_RADIUS = 5.0
MAX_LANES = 14  # more overlapping events share the last lane
# A closer chart is drawn when DETAIL_SHARE of the events fit in 1/DETAIL_ZOOM of the axis.
DETAIL_SHARE = 0.8
DETAIL_ZOOM = 4
DETAIL_MIN_EVENTS = 6


@dataclass(frozen=True)
class Span:
    """When an event happened, as the days it may have happened on (both ends inclusive)."""

    first: dt.date
    last: dt.date
    label: str  # as written in the timeline list: 2018-05-07, 2015-06, 2014
    granularity: str  # day, month, year (or range, for bounds that are not one period)
    open_start: bool = False  # "not after ...": the start is unknown
    open_end: bool = False  # "not before ...": the end is unknown


def span_of(when: TimePoint) -> Span:
    return Span(when.date, when.last_day(), when.iso(), when.granularity)


@dataclass(frozen=True)
class ChartItem:
    index: int  # position in the timeline list
    x: float
    width: float
    lane: int
    y: float
    dot: bool  # drawn as a dot (a day, or a span narrower than a dot)
    span: Span
    fade_start: bool = False  # open or cut at the chart's edge
    fade_end: bool = False


@dataclass(frozen=True)
class Tick:
    x: float
    label: str
    anchor: str = "middle"  # SVG text-anchor: start or end near the chart's edges


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    axis_y: float
    items: list[ChartItem]
    ticks: list[Tick]
    lanes: int
    title: str = ""


MONTH_STEPS = (1, 2, 3, 6, 12, 24, 60, 120, 240)
DAY_STEPS = (1, 2, 7, 14)
MAX_TICKS = 8


def _month_starts(first: dt.date, last: dt.date, step: int) -> list[dt.date]:
    """First days of months from ``first`` to ``last`` whose month count is a multiple of
    ``step`` (quarters start in January, April, ...; decades in years ending in 0)."""
    count = first.year * 12 + first.month - 1
    if first.day > 1:
        count += 1
    count += -count % step
    days = []
    while (day := dt.date(count // 12, count % 12 + 1, 1)) <= last:
        days.append(day)
        count += step
    return days


def _ticks(first: dt.date, last: dt.date, x_of: Callable[[dt.date], float]) -> list[Tick]:
    """Day, week, month, quarter, year... ticks: the finest that leaves at most 8."""
    days = (last - first).days
    for step in DAY_STEPS:
        if days // step + 1 <= MAX_TICKS:
            return [
                Tick(x_of(day), day.isoformat())
                for n in range(0, days + 1, step)
                if (day := first + dt.timedelta(days=n))
            ]
    for step in MONTH_STEPS:
        starts = _month_starts(first, last, step)
        if len(starts) <= MAX_TICKS:
            return [
                Tick(x_of(day), str(day.year) if step >= 12 else f"{day.year}-{day.month:02d}")
                for day in starts
            ]
    return []


def layout_chart(
    spans: Sequence[Span],
    width: int = CHART_WIDTH,
    window: tuple[dt.date, dt.date] | None = None,
    title: str = "",
) -> Chart | None:
    """Positions of the events on a shared time axis, or None for an empty timeline.

    With ``window`` (first and last day) only the events that overlap it are drawn, cut at
    its edges (and faded there, like open bounds).
    """
    if window is not None:
        chosen = [i for i, s in enumerate(spans) if s.first <= window[1] and s.last >= window[0]]
        first, last = window
    else:
        chosen = list(range(len(spans)))
        if not spans:
            return None
        first = min(span.first for span in spans)
        last = max(span.last for span in spans)
    if not chosen:
        return None
    total = max((last - first).days + 1, 1)
    # A little room each side, so that dots at the ends are not cut.
    pad = max(round(total * 0.02), 1)
    start = first - dt.timedelta(days=pad)
    days = total + 2 * pad
    inner = width - 2 * MARGIN
    low, high = float(MARGIN), float(width - MARGIN)

    def x_of(day: dt.date) -> float:
        return MARGIN + (day - start).days / days * inner

    lane_ends: list[float] = []
    items = []
    for index in sorted(chosen, key=lambda i: (spans[i].first, spans[i].last)):
        span = spans[index]
        x = x_of(span.first) if not span.open_start else low
        end = x_of(span.last + dt.timedelta(days=1)) if not span.open_end else high
        fade_start, fade_end = span.open_start or x < low, span.open_end or end > high
        x, end = max(x, low), min(end, high)
        bar = end - x
        dot = (span.granularity == "day" or bar < MIN_BAR) and not (fade_start or fade_end)
        left, right = (x + bar / 2 - DOT_RADIUS, x + bar / 2 + DOT_RADIUS) if dot else (x, end)
        lane = next((n for n, lane_end in enumerate(lane_ends) if lane_end + 2 < left), None)
        if lane is None:
            if len(lane_ends) < MAX_LANES:
                lane_ends.append(right)
            lane = len(lane_ends) - 1
        lane_ends[lane] = max(lane_ends[lane], right)
        y = MARGIN + lane * LANE_HEIGHT + LANE_HEIGHT / 2
        items.append(
            ChartItem(
                index,
                round(x, 1),
                round(max(bar, MIN_BAR), 1),
                lane,
                y,
                dot,
                span,
                fade_start,
                fade_end,
            )
        )
    items.sort(key=lambda item: item.index)
    axis_y = MARGIN + len(lane_ends) * LANE_HEIGHT + 4
    return Chart(
        width=width,
        height=round(axis_y + AXIS_HEIGHT),
        axis_y=axis_y,
        items=items,
        ticks=[
            dataclasses.replace(
                tick,
                anchor="start" if tick.x < 40 else "end" if tick.x > width - 40 else "middle",
            )
            for tick in _ticks(first, last, lambda day: round(x_of(day), 1))
        ],
        lanes=len(lane_ends),
        title=title,
    )


def _busiest_window(spans: Sequence[Span]) -> tuple[dt.date, dt.date]:
    """The shortest stretch of time holding the middles of DETAIL_SHARE of the events,
    widened to the events that follow on from it without a long gap."""
    middles = sorted(span.first + (span.last - span.first) / 2 for span in spans)
    size = max(math.ceil(DETAIL_SHARE * len(middles)), 1)
    first = min(range(len(middles) - size + 1), key=lambda i: middles[i + size - 1] - middles[i])
    last = first + size - 1
    gap = max((middles[last] - middles[first]) / DETAIL_ZOOM, dt.timedelta(days=7))
    while last + 1 < len(middles) and middles[last + 1] - middles[last] <= gap:
        last += 1
    while first > 0 and middles[first] - middles[first - 1] <= gap:
        first -= 1
    return middles[first], middles[last]


def layout_charts(spans: Sequence[Span], width: int = CHART_WIDTH) -> list[Chart]:
    """The whole timeline on one axis and, when most events crowd into a small part of it
    (a story of months with a few dates years away), that part again on its own axis."""
    overview = layout_chart(spans, width)
    if overview is None:
        return []
    first = min(span.first for span in spans)
    last = max(span.last for span in spans)
    window_first, window_last = _busiest_window(spans)
    window = (window_last - window_first).days + 1
    if len(spans) < DETAIL_MIN_EVENTS or window * DETAIL_ZOOM > (last - first).days + 1:
        return [overview]
    margin = dt.timedelta(days=max(round(window * 0.05), 3))
    detail = layout_chart(
        spans,
        width,
        window=(window_first - margin, window_last + margin),
        title=f"Closer: {window_first.isoformat()} to {window_last.isoformat()}",
    )
    overview = dataclasses.replace(
        overview, title=f"All events: {first.isoformat()} to {last.isoformat()}"
    )
    return [overview, detail] if detail else [overview]
