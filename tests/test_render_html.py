"""The HTML report without a browser: the renderer registry, the page's self-containment and
escaping, the timeline chart's spans and the map's geometry (browser tests:
test_report_browser.py)."""

from __future__ import annotations

import base64
import copy
import datetime as dt
import hashlib
import html
import itertools
import json
import math
import re
import subprocess
import sys
from pathlib import Path

import pytest

from storyline.model import Place
from storyline.render import (
    RENDERERS,
    PageLinks,
    formats,
    get_renderer,
    render_html,
    render_json,
    render_markdown,
)
from storyline.render.timechart import Span, layout_chart, layout_charts, span_of
from storyline.render.worldmap import _simplified, _world, draw_map, draw_maps


def test_registry_lists_formats_with_suffix_and_media_type() -> None:
    assert list(RENDERERS) == ["md", "json", "html"]
    assert get_renderer("md").render is render_markdown
    assert get_renderer("json").render is render_json
    html = get_renderer("html")
    assert (html.render, html.suffix, html.media_type) == (
        render_html,
        ".html",
        "text/html; charset=utf-8",
    )
    assert formats("both") == ("md", "json")
    assert formats("all") == ("md", "json", "html")
    assert formats("json") == ("json",)
    with pytest.raises(KeyError, match="known: md, json, html"):
        get_renderer("pdf")


def _inline(page: str, tag: str) -> str:
    match = re.search(rf"<{tag}>(.*?)</{tag}>", page, re.DOTALL)
    assert match, tag
    return match.group(1)


def test_page_is_self_contained_and_allows_only_its_own_inline_code(seed_brief) -> None:
    page = render_html(seed_brief)
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert policy
    rules = dict(rule.strip().split(" ", 1) for rule in html.unescape(policy.group(1)).split(";"))
    assert rules["default-src"] == "'none'"
    for directive, tag in (("style-src", "style"), ("script-src", "script")):
        digest = hashlib.sha256(_inline(page, tag).encode()).digest()
        assert rules[directive] == f"'sha256-{base64.b64encode(digest).decode()}'"
    # Nothing to load: no external file, font, image or stylesheet, no address but #anchors
    # (the example's articles have no URL).
    assert not re.search(r"<(link|img|iframe|object|embed)\b", page)
    assert not re.search(r"\ssrc=", page)
    assert "@import" not in page and "@font-face" not in page
    assert set(re.findall(r'href="([^"#][^"]*)"', page)) == set()
    assert all(ref.startswith("#") for ref in re.findall(r"url\(([^)]*)\)", page))


def test_embedded_articles_cannot_close_their_script(seed_brief) -> None:
    brief = copy.deepcopy(seed_brief)
    article = brief.articles[0]
    article.text = article.text + "\n</script><script>alert(1)</script><!-- \u2028 & done"
    page = render_html(brief)
    assert page.count("<script") == 2 and page.count("</script>") == 2
    data = re.search(
        r'<script type="application/json" id="storyline-articles">(.*?)</script>', page, re.DOTALL
    )
    assert data
    assert json.loads(data.group(1))[article.id]["text"] == article.text


def test_links_hook_and_only_web_addresses_become_links(seed_brief) -> None:
    brief = copy.deepcopy(seed_brief)
    first, second = brief.articles[0], brief.articles[1]
    first.url = "javascript:alert(1)"
    second.url = "https://example.org/derna?a=1&b=2"
    page = render_html(brief)
    assert "javascript:" not in page
    assert 'href="https://example.org/derna?a=1&amp;b=2"' in page
    hosted = render_html(
        brief,
        PageLinks(
            home_href="/stories",
            home_label="Stories",
            article_href=lambda article: f"/stories/1/articles/{article.id}",
        ),
    )
    assert '<a class="home" href="/stories">Stories</a>' in hosted
    assert f'href="/stories/1/articles/{first.id}"' in hosted
    assert "example.org" not in hosted


def test_page_lists_every_section_of_the_brief(seed_brief) -> None:
    page = render_html(seed_brief)
    for section in ("summary", "timeline", "map", "actors", "figures", "quotes", "sources"):
        assert f'<section id="{section}">' in page
    # Summary sentences carry their citation's offsets into the article text.
    for sentence in seed_brief.summary:
        c = sentence.citation
        assert (
            f'data-article="{c.article_id}" data-sentence="{c.sentence_index}" '
            f'data-start="{c.start}" data-end="{c.end}"'
        ) in page
    for actor in seed_brief.story.actors[:10]:
        assert f"<td>{actor.name}</td>" in page.replace("&#39;", "'")
    for article in seed_brief.articles:
        assert f'<tr id="src-{article.id}">' in page


def test_figures_that_disagree_show_who_reports_what(seed_brief) -> None:
    from storyline.model import Figure, FigureReport

    brief = copy.deepcopy(seed_brief)
    cited = brief.summary[0].citation
    brief.story.figures.insert(
        0,
        Figure(
            "killed",
            "people",
            "Derna",
            None,
            [
                FigureReport(150, "150 people", None, "AFP", cited),
                FigureReport(200, "about 200", "about", "Reuters", cited),
                FigureReport(150, "150", None, "a4", cited),
            ],
            "disagree",
        ),
    )
    page = render_html(brief)
    card = re.search(r'<div class="figure disagree">(.*?)</div>', page, re.DOTALL)
    assert card
    values = re.findall(r'<span class="value">([^<]+)</span>', card.group(1))
    assert values == ["150", "200"]  # most reported first
    reporters = re.findall(r'<span class="reporter">([^<]+)</span>', card.group(1))
    assert reporters == ["AFP", "a4", "Reuters"]


def test_year_month_and_day_spans_on_one_axis() -> None:
    from storyline.model import TimePoint

    whens = [TimePoint.of(2014), TimePoint.of(2015, 6), TimePoint.of(2016, 3, 2)]
    chart = layout_chart([span_of(when) for when in whens])
    assert chart
    year, month, day = chart.items
    assert not year.dot and not month.dot and day.dot
    assert year.width == pytest.approx(365 / 30 * month.width, rel=0.05)
    assert year.x < month.x < day.x
    ticks = {tick.label: tick.x for tick in chart.ticks}
    assert list(ticks)[:3] == ["2014-01", "2014-07", "2015-01"]  # half years over two years
    assert year.x == pytest.approx(ticks["2014-01"], abs=0.2)
    assert year.x + year.width == pytest.approx(ticks["2015-01"], abs=0.2)


def test_open_ended_span_runs_to_the_edge_and_overlaps_take_lanes() -> None:
    not_before = Span(dt.date(2017, 7, 1), dt.date(2017, 7, 31), "2017-07", "range", open_end=True)
    spans = [
        span_of_day(2017, 1, 10),
        not_before,
        span_of_day(2017, 8, 1),
        span_of_day(2017, 12, 30),
    ]
    chart = layout_chart(spans)
    assert chart
    items = {item.index: item for item in chart.items}
    assert items[1].x + items[1].width == pytest.approx(chart.width - 16, abs=1)
    assert not items[1].dot
    assert items[2].lane != items[1].lane  # a day inside the open span does not cover it
    assert items[0].lane == items[1].lane == 0


def test_crowded_months_get_a_closer_chart() -> None:
    from storyline.model import TimePoint

    # As in a Timeline17 topic: a war of months, with a few dates years before and after.
    whens = [TimePoint.of(2009), TimePoint.of(2009), TimePoint.of(2011, 2)]
    whens += [TimePoint.of(2011, 2 + n // 8, 1 + n % 8 * 3) for n in range(48)]
    whens.append(TimePoint.of(2013, 2, 20))
    overview, detail = layout_charts([span_of(when) for when in whens])
    assert len(overview.items) == len(whens)  # everything on the whole axis
    shown = {item.index for item in detail.items}
    assert {0, 1, len(whens) - 1}.isdisjoint(shown)  # the far years are left out ...
    assert set(range(3, len(whens) - 1)) <= shown  # ... the busy months are all there
    assert detail.title.startswith("Closer: 2011-02")
    day_gap = detail.items[4].x - detail.items[3].x  # 3 days apart
    assert day_gap > 5 * (overview.items[4].x - overview.items[3].x)
    assert layout_charts([span_of(when) for when in whens[2:-1]]) == [
        layout_chart([span_of(when) for when in whens[2:-1]])
    ]  # no closer chart when the events fill the axis


def span_of_day(year: int, month: int, day: int) -> Span:
    date = dt.date(year, month, day)
    return Span(date, date, date.isoformat(), "day")


def test_map_puts_each_located_place_where_it_is(seed_brief) -> None:
    places = seed_brief.story.places
    view = draw_map(places)
    assert view
    located = {i for i, p in enumerate(places) if p.latitude is not None}
    assert {marker.place for marker in view.markers} == located
    position = {places[m.place].name: (m.x, m.y) for m in view.markers}
    # West to east along the coast, and Paris north of all of them.
    assert position["Tripoli"][0] < position["Sirte"][0] < position["Benghazi"][0]
    assert position["Benghazi"][0] < position["Derna"][0]
    assert position["Paris"][1] < min(y for name, (x, y) in position.items() if name != "Paris")
    for x, y in position.values():
        assert 0 <= x <= view.width and 0 <= y <= view.height
    shapes = {shape.code: shape for shape in view.shapes}
    assert shapes["LY"].named and shapes["FR"].named and not shapes["IT"].named
    assert "BR" not in shapes  # countries far from the view are not drawn
    labels = view.labels
    assert labels and all(label.text in position for label in labels)


def test_simplified_outline_stays_within_tolerance() -> None:
    world = _world()
    greece = next(country for country in world.countries if country.code == "GR")
    arc_index = max(
        (index if index >= 0 else ~index for p in greece.polygons for ring in p for index in ring),
        key=lambda index: len(world.arcs[index]),
    )
    points = [(lon * 10, -lat * 10) for lon, lat in world.arcs[arc_index]]  # 10 units a degree
    assert len(points) > 200
    kept = _simplified(points, 0.6)
    assert kept[0] == points[0] and kept[-1] == points[-1]
    assert len(kept) < len(points) / 2

    def distance(p, a, b) -> float:
        (x, y), (x1, y1), (x2, y2) = p, a, b
        length = math.hypot(x2 - x1, y2 - y1)
        if not length:
            return math.hypot(x - x1, y - y1)
        t = max(0.0, min(1.0, ((x - x1) * (x2 - x1) + (y - y1) * (y2 - y1)) / length**2))
        return math.hypot(x - x1 - t * (x2 - x1), y - y1 - t * (y2 - y1))

    positions = [points.index(point) for point in kept]
    for start, end in itertools.pairwise(positions):
        for point in points[start + 1 : end]:
            assert distance(point, points[start], points[end]) <= 0.6 + 1e-9


def test_cli_writes_all_three_formats(tmp_path: Path, seed_dir: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "storyline",
            "brief",
            str(seed_dir),
            "--format",
            "all",
            "-o",
            str(tmp_path / "derna.html"),
            "--words",
            "60",
            "-q",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["derna.html", "derna.json", "derna.md"]
    data = json.loads((tmp_path / "derna.json").read_text())
    page = (tmp_path / "derna.html").read_text()
    assert page.startswith("<!DOCTYPE html>")
    assert f"<title>{data['title']}</title>" in page.replace("&#39;", "'")
    missing = subprocess.run(
        [sys.executable, "-m", "storyline", "brief", str(seed_dir), "--format", "all"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert missing.returncode == 2 and "OUT.md, OUT.json, OUT.html" in missing.stderr


def _place(name: str, mentions: int, latitude: float, longitude: float, country: str) -> Place:
    return Place(name, [], mentions, ["a1"], name, country, latitude, longitude, "city")


WIDE_STORY = [  # a war in Libya, with statements from Washington, London and Fiji
    _place("Tripoli", 176, 32.89, 13.19, "LY"),
    _place("Misrata", 79, 32.38, 15.09, "LY"),
    _place("Benghazi", 71, 32.11, 20.07, "LY"),
    _place("Washington", 40, 38.90, -77.04, "US"),
    _place("London", 20, 51.51, -0.13, "GB"),
    _place("Suva", 2, -18.14, 178.44, "FJ"),
]


def test_far_apart_places_get_a_closer_map_of_the_main_region() -> None:
    overview, closer = draw_maps(WIDE_STORY)
    assert {marker.place for marker in overview.markers} == set(range(len(WIDE_STORY)))
    assert {marker.place for marker in closer.markers} == {0, 1, 2}
    assert closer.title == "Closer: around Tripoli"
    assert draw_maps(WIDE_STORY[:3]) == [draw_map(WIDE_STORY[:3])]  # one region: one map


def test_no_outline_jumps_across_the_map_at_the_antimeridian() -> None:
    view = draw_map(WIDE_STORY)
    assert view
    shapes = {shape.code: shape for shape in view.shapes}
    assert {"RU", "FJ", "US"} <= set(shapes)  # they cross 180 degrees (Chukotka, Fiji, Alaska)
    for shape in view.shapes:
        for ring in re.findall(r"M([^Z]*)Z", shape.path):
            points = [tuple(map(float, p.split(","))) for p in ring.split("L")]
            for (x1, _), (x2, _) in itertools.pairwise(points):
                assert abs(x2 - x1) < view.width / 3, shape.name


def test_a_bare_brief_says_what_it_lacks() -> None:
    from storybuild import make_story

    from storyline.model import Brief, SummarySentence

    sentences = ["Clashes were reported near the port.", "The army said it advanced."]
    story = make_story([("a1", None, sentences)])
    first = story.articles[0].sentences[0]
    page = render_html(Brief("Clashes", [SummarySentence(first.text, first.citation)], [], story))
    for empty in (
        "No dated events found.",
        "No place could be put on the map.",
        "No actors found.",
        "No figures found.",
        "No quotes found.",
    ):
        assert empty in page
    assert '<td class="date"><span class="muted">unknown</span>' in page
    assert 'class="worldmap' not in page and 'class="timechart' not in page
