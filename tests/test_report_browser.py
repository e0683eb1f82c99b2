"""The HTML report as a person uses it: opened from a file in headless Chromium (Debian's
package, driven by Playwright), citations clicked, the map's markers opened, on a phone
width and in print, with a hostile article, and with every request the page makes recorded
and refused.

Skips (with the reason) where Chromium or Playwright is missing, except on CI (CI set), where
.ci/run installs both and a missing one fails.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from storyline.render import render_html
from storyline.render.chromium import CHROMIUM, launch

# On CI (.ci/run installs both) a missing browser is a failure, not a skip.
try:
    from playwright import sync_api
except ImportError:
    if os.environ.get("CI"):
        raise
    pytest.skip("Playwright for Python is not installed (test extra)", allow_module_level=True)
if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        raise RuntimeError(f"Chromium not found at {CHROMIUM}: .ci/run installs it")
    pytest.skip(
        f"Chromium not found at {CHROMIUM} (apt-get install chromium)", allow_module_level=True
    )


@pytest.fixture(scope="module")
def browser() -> Iterator:
    with sync_api.sync_playwright() as playwright:
        launched = launch(playwright)
        yield launched
        launched.close()


class Opened:
    """A report opened in a page, with every request it made and every dialog it raised."""

    def __init__(self, browser, path: Path, width: int = 1280) -> None:
        self.url = path.resolve().as_uri()
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.context = browser.new_context(viewport={"width": width, "height": 900})
        # Anything but the report itself is refused, and recorded either way.
        self.context.route(
            "**/*",
            lambda route: route.continue_() if route.request.url == self.url else route.abort(),
        )
        self.page = self.context.new_page()
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on(
            "dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss())
        )
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.goto(self.url)
        self.page.wait_for_load_state("load")

    def close(self) -> None:
        self.context.close()


@pytest.fixture(scope="module")
def seed_report(seed_brief, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("report") / "derna.html"
    path.write_text(render_html(seed_brief), encoding="utf-8")
    return path


@pytest.fixture()
def opened(browser, seed_report: Path) -> Iterator[Opened]:
    report = Opened(browser, seed_report)
    yield report
    report.close()


def _sentence(brief, citation) -> str:
    article = next(a for a in brief.articles if a.id == citation.article_id)
    return article.text[citation.start : citation.end]


def test_a_citation_opens_its_article_at_the_cited_sentence(opened: Opened, seed_brief) -> None:
    page = opened.page
    assert page.locator("#reader").is_hidden()
    # The last summary sentence: its article must scroll for the sentence to be seen.
    summary = seed_brief.summary[-1]
    cite = page.locator("#summary a.cite").nth(len(seed_brief.summary) - 1)
    assert cite.inner_text() == f"{summary.citation.article_id}:{summary.citation.sentence_index}"
    cite.click()
    reader = page.locator("#reader")
    assert reader.is_visible()
    assert reader.get_attribute("data-article") == summary.citation.article_id
    marked = page.locator("#reader mark")
    assert " ".join(marked.all_inner_texts()) == _sentence(seed_brief, summary.citation)
    # Scrolled to: the highlighted sentence is inside the reader's visible area.
    body = page.locator("#reader .reader-body").bounding_box()
    mark = page.locator("#reader mark").first.bounding_box()
    assert body and mark
    assert body["y"] <= mark["y"] and mark["y"] + mark["height"] <= body["y"] + body["height"]
    # The whole article is there, not just the sentence.
    article = next(a for a in seed_brief.articles if a.id == summary.citation.article_id)
    shown = " ".join(page.locator("#reader .reader-body p").all_inner_texts())
    assert shown.split() == article.text.split()
    page.keyboard.press("Escape")
    assert reader.is_hidden()
    assert opened.errors == []


def test_timeline_citation_and_chart_point_to_the_same_event(opened: Opened, seed_brief) -> None:
    page = opened.page
    index = len(seed_brief.timeline) - 1
    entry = seed_brief.timeline[index]
    page.locator(f"#t-{index} a.cite").first.click()
    assert page.locator("#reader mark").first.inner_text() in entry.text
    page.keyboard.press("Escape")
    page.locator(f'.timechart a.event[data-index="{index}"]').first.click()
    assert page.evaluate("location.hash") == f"#t-{index}"
    assert page.locator(f"#t-{index} time").inner_text() == entry.when.iso()


def test_year_events_are_drawn_as_spans_and_days_as_dots(opened: Opened, seed_brief) -> None:
    page = opened.page
    granularities = {entry.when.granularity for entry in seed_brief.timeline}
    assert {"day", "year"} <= granularities, "the example's timeline has both"
    # A day is a dot; a year is a bar as long as a year of the axis (the gap between ticks).
    overview = page.locator("svg.timechart").first
    assert overview.locator("a.event").count() == len(seed_brief.timeline)
    assert overview.locator("a.event.g-day circle").count() == sum(
        entry.when.granularity == "day" for entry in seed_brief.timeline
    )
    assert overview.locator("a.event.g-day rect").count() == 0
    year = overview.locator("a.event.g-year rect").first.bounding_box()
    ticks = [
        (tick.bounding_box(), tick.get_attribute("data-label"))
        for tick in overview.locator("line.tick").all()
    ]
    assert year and all(box for box, _ in ticks)
    assert all(label.isdigit() for _, label in ticks), "a span of years has year ticks"
    gap = ticks[1][0]["x"] - ticks[0][0]["x"]
    assert abs(year["width"] - gap) < 0.03 * gap


def test_the_map_has_a_marker_for_each_geocoded_place(opened: Opened, seed_brief) -> None:
    page = opened.page
    located = [p for p in seed_brief.story.places if p.latitude is not None]
    assert len(located) >= 5
    markers = page.locator(".worldmap.overview .marker")
    assert markers.count() == len(located)
    names = {markers.nth(i).get_attribute("aria-label").split(":")[0] for i in range(len(located))}
    assert names == {p.name for p in located}
    for marker_index in range(markers.count()):  # every marker sits inside the drawn map
        box = markers.nth(marker_index).bounding_box()
        frame = page.locator(".worldmap.overview").bounding_box()
        assert box and frame
        assert frame["x"] <= box["x"] and box["x"] + box["width"] <= frame["x"] + frame["width"]
        assert frame["y"] <= box["y"] and box["y"] + box["height"] <= frame["y"] + frame["height"]
    # Markers are sized by mentions.
    radius = {
        markers.nth(i).get_attribute("aria-label").split(":")[0]: float(
            markers.nth(i).locator("circle").get_attribute("r")
        )
        for i in range(markers.count())
    }
    most, least = located[0], located[-1]
    assert most.mentions > least.mentions and radius[most.name] > radius[least.name]


def test_a_marker_popup_lists_the_sentences_that_name_the_place(opened: Opened, seed_brief) -> None:
    page = opened.page
    place = next(p for p in seed_brief.story.places if p.aliases and p.latitude is not None)
    index = seed_brief.story.places.index(place)
    marker = page.locator(f'.worldmap.overview .marker[data-place="{index}"]')
    marker.click()
    popup = page.locator(f"#place-{index}")
    assert popup.is_visible()
    assert popup.locator("h3").inner_text().startswith(place.name)
    sentences = popup.locator("li").all_inner_texts()
    assert sentences
    forms = [place.name, *place.aliases]
    for sentence in sentences:
        assert any(form in sentence for form in forms), sentence
    # The alias (a typo the geocoder merged) is found too, not just the main name.
    assert any(alias in " ".join(sentences) for alias in place.aliases)
    # A sentence's citation opens its article, as anywhere else on the page.
    popup.locator("a.cite").first.click()
    assert page.locator("#reader").is_visible()
    assert any(form in page.locator("#reader mark").first.inner_text() for form in forms)
    page.keyboard.press("Escape")
    assert popup.is_hidden()
    # Keyboard users open it too.
    marker.focus()
    page.keyboard.press("Enter")
    assert popup.is_visible()


def test_sources_show_inferred_dates_and_removed_text(opened: Opened, seed_brief) -> None:
    page = opened.page
    # 000 and 002 of the seed show no date: ranges inferred from their text
    inferred = [a for a in seed_brief.articles if a.published and not a.published.read]
    assert inferred
    for article in inferred:
        row = page.locator(f'tr[id="src-{article.id}"]')
        row.scroll_into_view_if_needed()  # long sections are laid out when scrolled to
        sync_api.expect(row.locator("td.date")).to_contain_text("inferred")
        sync_api.expect(row.locator("td.date")).to_contain_text(article.published.describe())
    article = next(a for a in seed_brief.articles if a.removed)
    row = page.locator(f'tr[id="src-{article.id}"]')
    row.scroll_into_view_if_needed()
    sync_api.expect(row.locator("td.removed")).to_contain_text(f"{len(article.removed)}: ")
    row.locator("button.show-removed").click()
    assert page.locator("#reader .reader-title").inner_text() == (article.title or "")
    removed = page.locator("#reader ul.removed li")
    assert removed.count() == len(article.removed)
    assert removed.first.is_visible()  # scrolled to
    assert article.removed[0].text[:40] in removed.first.inner_text()
    assert article.removed[0].reason in removed.first.inner_text()
    page.keyboard.press("Escape")
    row.locator("button.read").first.click()
    assert page.locator("#reader .reader-body p").first.is_visible()


def test_no_request_leaves_the_page(opened: Opened) -> None:
    page = opened.page
    page.locator("#summary a.cite").first.click()
    page.keyboard.press("Escape")
    page.locator(".worldmap .marker").first.click()
    page.locator("#sources button.read").first.click()
    page.wait_for_timeout(200)
    assert opened.requests == [opened.url]
    assert opened.errors == []


def test_phone_width_has_no_sideways_scrolling(browser, seed_report: Path) -> None:
    report = Opened(browser, seed_report, width=390)
    try:
        page = report.page
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.locator("#summary a.cite").first.click()
        reader = page.locator("#reader").bounding_box()
        assert reader and reader["width"] <= 390
        page.keyboard.press("Escape")
        page.locator(".worldmap .marker").first.click()
        popup = page.locator(".popup:not([hidden])").bounding_box()
        assert popup and popup["x"] >= 0 and popup["x"] + popup["width"] <= 390
    finally:
        report.close()


def test_print_shows_content_and_hides_controls(opened: Opened, seed_brief) -> None:
    page = opened.page
    page.emulate_media(media="print")
    assert page.locator("header.top").is_hidden()
    timeline = page.locator("ol.timeline li")
    assert timeline.count() == len(seed_brief.timeline)
    assert page.evaluate("getComputedStyle(document.querySelector('ol.timeline')).maxHeight") in (
        "none",
        "",
    )
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 20_000


HOSTILE_TITLE = (  # headline-like, so that ingest keeps it as the title
    'Haftar forces <script>alert("title")</script> tighten the noose '
    '<img src=x onerror="alert(1)"> on Derna militants'
)
HOSTILE_LEAD = (
    'Witnesses said <script>window.__xss = 1; alert("script")</script> the fighting '
    "<img src=x onerror=\"window.__xss = 2; alert('img')\"> reached the port of Derna on Tuesday."
)


@pytest.fixture(scope="module")
def hostile_report(seed_dir: Path, tmp_path_factory) -> tuple[Path, object]:
    from storyline import brief

    folder = tmp_path_factory.mktemp("hostile")
    body = sorted(seed_dir.glob("*.txt"))[1].read_text(encoding="utf-8")
    record = {
        "title": HOSTILE_TITLE,
        "text": HOSTILE_LEAD + "\n" + body,
        "date": "2018-05-23",
        "url": "javascript:alert('url')",
        "source": "<b onmouseover=alert(1)>Outlet</b>",
    }
    (folder / "hostile.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    result = brief([folder / "hostile.jsonl", sorted(seed_dir.glob("*.txt"))[0]])
    path = folder / "hostile.html"
    path.write_text(render_html(result), encoding="utf-8")
    return path, result


def test_hostile_article_text_renders_as_text(browser, hostile_report) -> None:
    path, result = hostile_report
    hostile = next(a for a in result.articles if a.title == HOSTILE_TITLE)
    assert "<script>" in hostile.text, "ingest keeps the text as given: the page must escape it"
    report = Opened(browser, path)
    try:
        page = report.page
        assert page.locator("h1").inner_text() == result.title
        assert page.title() == result.title
        row = page.locator(f'tr[id="src-{hostile.id}"]')
        row.scroll_into_view_if_needed()
        sync_api.expect(row.locator("td").nth(1)).to_have_text(hostile.outlet)
        assert row.locator("a").count() == 0, "a javascript: address is no link"
        row.locator("button.read").first.click()
        shown = page.locator("#reader .reader-body").inner_text()
        assert HOSTILE_LEAD in shown
        assert page.locator("#reader .reader-title").inner_text() == HOSTILE_TITLE
        assert page.locator("#reader a").count() == 0
        for cite in page.locator(f'a.cite[data-article="{hostile.id}"]:visible').all()[:20]:
            cite.click()
            page.keyboard.press("Escape")
        page.wait_for_timeout(200)
        # No markup from the article became an element, so nothing ran or loaded.
        assert page.evaluate("window.__xss") is None
        assert page.locator("img").count() == 0
        assert page.locator("script").count() == 2  # the page's own data and script
        assert report.dialogs == []
        assert report.requests == [report.url]
        assert report.errors == []
    finally:
        report.close()


def test_hostile_html_page_renders_as_text(browser, tmp_path: Path) -> None:
    from storyline import brief

    # Escaped markup in a scraped page is text once extracted: the report must keep it so.
    source = Path(__file__).parent / "data" / "hostile" / "html_injection.html"
    result = brief(source)
    assert any("<script>" in s.text for s in result.summary)
    path = tmp_path / "page.html"
    path.write_text(render_html(result), encoding="utf-8")
    report = Opened(browser, path)
    try:
        page = report.page
        summary = page.locator("#summary li").all_inner_texts()
        assert any("<script>alert(1)</script>" in line for line in summary)
        for cite in page.locator("#summary a.cite").all():
            cite.click()
            assert "<" in page.locator("#reader .reader-body").inner_text()
            page.keyboard.press("Escape")
        assert page.locator("img").count() == 0 and page.locator("script").count() == 2
        assert report.dialogs == [] and report.requests == [report.url] and report.errors == []
    finally:
        report.close()
