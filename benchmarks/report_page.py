"""Size and speed of the HTML report of a big story, in headless Chromium, against the
example story's report measured in the same command (absolute times depend on the machine).

For each report: page size (and its parts: embedded article texts, map, chart), time to
render it in Python (against rendering the same brief as JSON), and in the browser (median
of --repeat fresh page loads): DOMContentLoaded, first contentful paint and load; then the
first citation opened (parses the embedded articles, builds the article view, scrolls to
the sentence) and the first map popup opened.

Needs the test extra (Playwright) and Debian's Chromium (apt-get install chromium).
Run: ``python benchmarks/report_page.py ../shared/data/timeline17/LibyaWar_cnn [--repeat 5]``
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "derna"

# Runs in the page: the navigation timings, then a citation and a popup opened by script
# (same handlers as a click), each timed until its layout is done.
MEASURE_LOAD = """() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const paint = performance.getEntriesByName("first-contentful-paint")[0];
  return {dcl: nav.domContentLoadedEventEnd, load: nav.loadEventEnd,
          fcp: paint ? paint.startTime : null, nodes: document.getElementsByTagName("*").length};
}"""
MEASURE_CLICKS = """() => {
  const cites = document.querySelectorAll("#summary a.cite");
  const cite = cites[cites.length - 1];
  let started = performance.now();
  cite.click();
  document.querySelector("#reader mark").getBoundingClientRect();
  const citation = performance.now() - started;
  document.dispatchEvent(new KeyboardEvent("keydown", {key: "Escape"}));
  const marker = document.querySelector(".worldmap .marker");
  started = performance.now();
  marker.dispatchEvent(new MouseEvent("click", {bubbles: true}));
  document.querySelector(".popup:not([hidden])").getBoundingClientRect();
  return {citation: citation, popup: performance.now() - started};
}"""


def _parts(page: str) -> dict[str, int]:
    def size(pattern: str) -> int:
        return sum(len(m.encode()) for m in re.findall(pattern, page, re.DOTALL))

    return {
        "page": len(page.encode()),
        "articles": size(r'<script type="application/json" id="storyline-articles">.*?</script>'),
        "maps": size(r'<svg class="worldmap[^"]*".*?</svg>'),
        "charts": size(r'<svg class="timechart[^"]*".*?</svg>'),
    }


def _render(brief, repeat: int) -> tuple[str, float, float]:
    from storyline.render import render_html, render_json

    render_html(brief)  # loads the template and the outlines once
    html_times, json_times = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        page = render_html(brief)
        html_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        render_json(brief)
        json_times.append(time.perf_counter() - started)
    return page, statistics.median(html_times), statistics.median(json_times)


def _browse(browser, path: Path, repeat: int) -> dict[str, float]:
    loads, clicks = [], []
    for _ in range(repeat):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.route(  # anything but the page itself would be a bug: refuse it
            "**/*",
            lambda route: (
                route.continue_() if route.request.url.startswith("file:") else route.abort()
            ),
        )
        page = context.new_page()
        page.goto(path.as_uri(), wait_until="load")
        page.wait_for_function(
            "() => performance.getEntriesByName('first-contentful-paint').length > 0",
            timeout=10_000,
        )
        loads.append(page.evaluate(MEASURE_LOAD))
        clicks.append(page.evaluate(MEASURE_CLICKS))
        context.close()
    timing = {key: statistics.median(run[key] for run in loads) for key in ("dcl", "fcp", "load")}
    timing.update({key: statistics.median(run[key] for run in clicks) for key in clicks[0]})
    timing["nodes"] = loads[0]["nodes"]
    return timing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("topic", type=Path, help="a story folder, e.g. a Timeline17 topic")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="also write the big story's page here")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    import storyline
    from storyline.render.chromium import CHROMIUM, launch

    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for name, source in (("example (derna)", EXAMPLE), (args.topic.name, args.topic)):
            started = time.perf_counter()
            brief = storyline.brief(source, progress=False)
            pipeline = time.perf_counter() - started
            page, html_seconds, json_seconds = _render(brief, args.repeat)
            path = Path(folder) / f"{args.topic.name if source == args.topic else 'derna'}.html"
            path.write_text(page, encoding="utf-8")
            if args.keep and source == args.topic:
                args.keep.write_text(page, encoding="utf-8")
            rows.append((name, len(brief.articles), pipeline, html_seconds, json_seconds, page))
        with sync_playwright() as playwright:
            browser = launch(playwright)
            timings = [
                _browse(browser, Path(folder) / name, args.repeat)
                for name in ("derna.html", f"{args.topic.name}.html")
            ]
            browser.close()

    print(f"storyline HTML report, median of {args.repeat} (Chromium {CHROMIUM}):")
    header = (
        "| story | articles | page KB | article texts KB | maps KB | charts KB | DOM elements "
        "| render HTML s (JSON s) | DOMContentLoaded ms | first paint ms | load ms "
        "| first citation opened ms | popup opened ms |"
    )
    print(header)
    print("|" + "---|" * 13)
    for (name, articles, _, html_s, json_s, page), timing in zip(rows, timings):
        parts = _parts(page)
        print(
            f"| {name} | {articles} | {parts['page'] / 1024:,.0f} "
            f"| {parts['articles'] / 1024:,.0f} "
            f"| {parts['maps'] / 1024:,.0f} | {parts['charts'] / 1024:,.1f} | {timing['nodes']:,} "
            f"| {html_s:.3f} ({json_s:.3f}) | {timing['dcl']:.0f} | {timing['fcp']:.0f} "
            f"| {timing['load']:.0f} | {timing['citation']:.1f} | {timing['popup']:.1f} |"
        )
    (small, big) = timings
    print(
        f"big/example ratios: load {big['load'] / small['load']:.1f}x, first citation "
        f"{big['citation'] / max(small['citation'], 0.1):.1f}x; "
        f"HTML/JSON render time {rows[1][3] / rows[1][4]:.1f}x on {rows[1][0]}"
    )


if __name__ == "__main__":
    sys.exit(main())
