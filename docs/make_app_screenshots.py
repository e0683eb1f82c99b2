"""Screenshots of the local web app for the README, taken in headless Chromium.

Run from the project folder (needs the web and test extras, Debian's Chromium and the shared
data): ``python docs/make_app_screenshots.py [STORE]``. STORE (e.g. a Timeline17 topic's store,
as benchmarks/web_app.py builds it) is shown in the story list and a story's page; the form
and "what's new" are shown on a small store made here from basil-dev, with one article held
back and added through the form. Writes docs/app-*.png (palette PNGs when Pillow is there).
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
BASIL = ROOT.parent / "shared" / "data" / "basil-dev" / "articles.jsonl"
HELD = "8f68dc8f-d6db-45b4-977b-3ba2bd56faf6"  # added through the form


def _small_store(folder: Path) -> tuple[Path, dict]:
    from storyline.ingest import load_articles
    from storyline.store import Store
    from storyline.store.update import update

    rows = [json.loads(line) for line in BASIL.read_text(encoding="utf-8").splitlines()]
    events = list(dict.fromkeys(row["story"] for row in rows))[:3]
    rows = [row for row in rows if row["story"] in events]
    feed = folder / "feed.jsonl"
    feed.write_text("".join(json.dumps(r) + "\n" for r in rows if r["id"] != HELD), "utf-8")
    path = folder / "small.sqlite"
    with Store(path) as store:
        update(store, load_articles([feed]))
    return path, next(row for row in rows if row["id"] == HELD)


def _shrink(path: Path) -> None:
    try:
        from PIL import Image
    except ImportError:
        return
    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=96, dither=Image.Dither.NONE)
    small.save(path, optimize=True)


def _wait_for_brief(page, base: str, story_id: str) -> None:
    for _ in range(600):
        story = json.loads(page.request.get(f"{base}/api/stories/{story_id}").text())
        if not story["rebuilding"] and not story["brief_outdated"]:
            return
        page.wait_for_timeout(500)
    raise RuntimeError(f"the brief of {story_id} was not rebuilt")


def main() -> None:
    from playwright.sync_api import sync_playwright

    from storyline.render.chromium import launch
    from storyline.web import create_app
    from storyline.web.running import running

    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page(viewport={"width": 1100, "height": 640})
        if len(sys.argv) > 1:
            with running(create_app(sys.argv[1])) as base:
                page.goto(base + "/")
                page.screenshot(path=DOCS / "app-stories.png")
                page.goto(base + "/?actor=Gadhafi&place=Benghazi")
                page.screenshot(path=DOCS / "app-search.png")
                page.locator("a.story-title").first.click()
                page.wait_for_load_state("load")
                page.screenshot(path=DOCS / "app-story.png")
        store, held = _small_store(Path(folder))
        bad = Path(folder) / "scan.pdf"
        bad.write_bytes(b"%PDF-1.4 not an article")
        with running(create_app(store)) as base:
            page.goto(base + "/add")
            page.fill("input[name=title]", held["title"])
            page.fill("input[name=outlet]", held["source"])
            page.fill("input[name=date]", held["date"])
            page.fill("textarea[name=text]", held["text"])
            page.set_input_files("input[name=files]", str(bad))
            page.screenshot(path=DOCS / "app-add.png", full_page=True)
            page.click("form.add button[type=submit]")
            page.wait_for_load_state("load")
            page.screenshot(path=DOCS / "app-added.png")
            story = page.locator("table.placed a").first.get_attribute("href") or ""
            _wait_for_brief(page, base, story.rsplit("/", 1)[-1])
            page.goto(base + story + "/since")
            page.locator("a.version").first.click()
            page.wait_for_load_state("load")
            page.screenshot(path=DOCS / "app-news.png")
        browser.close()
    for path in sorted(DOCS.glob("app-*.png")):
        _shrink(path)
        print(f"{path.relative_to(ROOT)}: {path.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
