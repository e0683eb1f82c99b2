"""Size and speed of the local web app (``storyline serve``) on a Timeline17 topic's store.

Two stores of the same topic: as ``storyline stories --store`` groups it (hundreds of
articles in many event stories: the list, the searches, a story's page), and the same
articles moved into one story (SQL, here only), so that one page holds hundreds of articles.
For each page: bytes, the server's time to answer (median of --repeat GETs; a story's page
also cold, its first request, which renders it), and in headless Chromium (fresh page each
time) DOMContentLoaded, load and DOM elements. Baselines in the same command: the app's
static stylesheet (the server's floor) and the same story page opened from a file (the
report without the app).

Needs the web and test extras and Debian's Chromium.
Run: ``python benchmarks/web_app.py ../shared/data/timeline17/LibyaWar_cnn [--repeat 5]
[--keep FOLDER]`` (--keep: build the stores there once and reuse them).
"""

from __future__ import annotations

import argparse
import re
import sqlite3
import statistics
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

MEASURE = """() => {
  const nav = performance.getEntriesByType("navigation")[0];
  return {dcl: nav.domContentLoadedEventEnd, load: nav.loadEventEnd,
          nodes: document.getElementsByTagName("*").length};
}"""


def _build(topic: Path, path: Path, *, one_story: bool) -> float:
    """Store the topic (and brief its stories); seconds taken."""
    from storyline.ingest import load_articles
    from storyline.store import Store
    from storyline.store.update import rebuild_briefs, update

    started = time.perf_counter()
    with Store(path) as store:
        update(store, load_articles([topic]), briefs=not one_story)
    if one_story:
        with sqlite3.connect(path) as db:  # every article into the first story
            (first,) = db.execute("SELECT MIN(story) FROM story_articles").fetchone()
            db.execute("UPDATE story_articles SET story = ?", (first,))
            db.execute("DELETE FROM stories WHERE id != ?", (first,))
            db.execute("UPDATE stories SET changed = 1")
        with Store(path) as store:
            rebuild_briefs(store)
    return time.perf_counter() - started


def _get(url: str) -> tuple[float, int]:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=600) as answer:
        size = len(answer.read())
    return time.perf_counter() - started, size


def _browse(browser, url: str, repeat: int) -> dict[str, float]:
    runs = []
    allowed = "/".join(url.split("/", 3)[:3]) if url.startswith("http") else "file:"
    for _ in range(repeat):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.route(  # a request that leaves the app would be a bug: refuse it
            "**/*",
            lambda route: (
                route.continue_() if route.request.url.startswith(allowed) else route.abort()
            ),
        )
        page = context.new_page()
        page.goto(url, wait_until="load")
        runs.append(page.evaluate(MEASURE))
        context.close()
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def _measure(base: str, path: str, browser, repeat: int) -> dict[str, float]:
    """Server times, and browser times unless ``browser`` is None (a stylesheet is no page)."""
    url = base + path
    cold, size = _get(url)
    warm = statistics.median(_get(url)[0] for _ in range(repeat))
    opened = _browse(browser, url, repeat) if browser is not None else {}
    return {"bytes": size, "cold": cold, "warm": warm, **opened}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("topic", type=Path, help="a Timeline17 topic folder")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="folder to build the stores in once")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    from storyline.render.chromium import launch
    from storyline.store import Store
    from storyline.web import create_app
    from storyline.web.running import running

    folder = args.keep or Path(tempfile.mkdtemp(prefix="storyline-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    stores = {
        "events": folder / f"{args.topic.name}.sqlite",
        "one story": folder / f"{args.topic.name}-one-story.sqlite",
    }
    for kind, path in stores.items():
        if not path.exists():
            seconds = _build(args.topic, path, one_story=kind == "one story")
            print(f"built the {kind} store in {seconds:.0f} s: {path}", file=sys.stderr)

    with Store(stores["events"]) as store:
        rows = store.stories()
        articles = store.count("articles")
        brief = __import__("json").loads(store.brief_json(rows[0].id)[0])
    actor = brief["actors"][0]["name"]
    place = brief["places"][0]["name"]
    word = next(w for w in re.findall(r"[A-Za-z]+", brief["title"]) if len(w) >= 6)
    pages = [
        ("static stylesheet (baseline)", "/static/app.css"),
        (f"story list, {len(rows)} stories (first 50 shown)", "/"),
        (f"search word {word!r}", "/?" + urllib.parse.urlencode({"q": word})),
        (f"search actor {actor!r}", "/?" + urllib.parse.urlencode({"actor": actor})),
        (f"search place {place!r}", "/?" + urllib.parse.urlencode({"place": place})),
        (f"biggest story's page ({rows[0].articles} articles)", f"/stories/{rows[0].id}"),
        ("its what's new since 2000-01-01", f"/stories/{rows[0].id}/since?since=2000-01-01"),
        ("API: story list", "/api/stories"),
        ("API: biggest story with its brief", f"/api/stories/{rows[0].id}"),
    ]
    results = []
    with sync_playwright() as playwright:
        browser = launch(playwright)
        with running(create_app(stores["events"])) as base:
            for label, path in pages:
                shown = None if path.startswith("/static/") else browser
                results.append((label, _measure(base, path, shown, args.repeat)))
        with Store(stores["one story"]) as store:
            (big,) = store.stories()
        with running(create_app(stores["one story"])) as base:
            label = f"one story of {big.articles} articles: its page"
            results.append((label, _measure(base, f"/stories/{big.id}", browser, args.repeat)))
            page = urllib.request.urlopen(f"{base}/stories/{big.id}", timeout=600).read()
        file = folder / "one-story.html"
        file.write_bytes(page)
        results.append(
            (
                "the same page opened from a file (baseline)",
                _browse(browser, file.as_uri(), args.repeat),
            )
        )
        browser.close()

    print(f"storyline serve on {args.topic.name} ({articles} articles), median of {args.repeat}:")
    print(
        "| page | KB | server cold s | server warm s | DOMContentLoaded ms | load ms "
        "| DOM elements |"
    )
    print("|---|---|---|---|---|---|---|")
    for label, r in results:
        cells = [
            f"{r['bytes'] / 1024:,.0f}" if "bytes" in r else "",
            f"{r['cold']:.3f}" if "cold" in r else "",
            f"{r['warm']:.3f}" if "warm" in r else "",
            f"{r['dcl']:.0f}" if "dcl" in r else "",
            f"{r['load']:.0f}" if "load" in r else "",
            f"{r['nodes']:,.0f}" if "nodes" in r else "",
        ]
        print(f"| {label} | " + " | ".join(cells) + " |")
    floor = results[0][1]["warm"]
    listing = results[1][1]["warm"]
    big_page, from_file = results[-2][1], results[-1][1]
    print(
        f"ratios: story list / static file {listing / floor:.1f}x (server); big story page "
        f"load in the app / from a file {big_page['load'] / from_file['load']:.2f}x; its cold "
        f"/ warm server time {big_page['cold'] / big_page['warm']:.0f}x"
    )


if __name__ == "__main__":
    sys.exit(main())
