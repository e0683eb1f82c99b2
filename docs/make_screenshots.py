"""Screenshots of the HTML report for the README, taken in headless Chromium.

Run from the project folder (needs the test extra and Debian's Chromium):
``python docs/make_screenshots.py [TIMELINE17_TOPIC]``. Writes docs/report-*.png.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def main() -> None:
    from playwright.sync_api import sync_playwright

    import storyline
    from storyline.render import render_html
    from storyline.render.chromium import launch

    pages = {"derna": storyline.brief(ROOT / "examples" / "derna")}
    if len(sys.argv) > 1:
        pages["topic"] = storyline.brief(sys.argv[1])
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        paths = {}
        for name, brief in pages.items():
            paths[name] = Path(folder) / f"{name}.html"
            paths[name].write_text(render_html(brief), encoding="utf-8")
        browser = launch(playwright)

        page = browser.new_page(viewport={"width": 1200, "height": 820})
        page.goto(paths["derna"].as_uri())
        page.screenshot(path=DOCS / "report-overview.png")
        page.locator("#summary a.cite").nth(3).click()
        page.screenshot(path=DOCS / "report-citation.png")
        page.keyboard.press("Escape")
        page.locator(".maps").scroll_into_view_if_needed()
        marker = page.locator(".worldmap.overview .marker").nth(1)
        marker.click()
        page.locator(".maps").screenshot(path=DOCS / "report-map.png")
        page.close()

        phone = browser.new_page(viewport={"width": 390, "height": 760}, device_scale_factor=1)
        phone.goto(paths["derna"].as_uri())
        phone.evaluate("() => document.querySelector('#timeline').scrollIntoView()")
        phone.screenshot(path=DOCS / "report-phone.png")
        phone.close()

        if "topic" in paths:
            page = browser.new_page(viewport={"width": 1200, "height": 820})
            page.goto(paths["topic"].as_uri())
            page.locator("#timeline .charts").screenshot(path=DOCS / "report-timeline17.png")
            page.close()
        browser.close()
    for path in sorted(DOCS.glob("report-*.png")):
        print(f"{path.relative_to(ROOT)}: {path.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
