"""The local web app (``storyline serve``) as a person uses it: a store of real stories
(basil-dev events, one article held back), the server started here on a free loopback port,
the pages opened in headless Chromium (Debian's package, driven by Playwright): the story
list and its search, a story's page with a citation clicked, an article added through the
form and seen in its story, bad uploads and their reasons, every request the pages make
recorded (none may leave the app); then the JSON API against its own OpenAPI schema.

Skips (with the reason) where Chromium, Playwright or the web extra is missing, except on CI
(CI set), where .ci/run installs them and a missing one fails.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from storyline.render.chromium import CHROMIUM, launch

try:
    import fastapi  # noqa: F401
    import uvicorn  # noqa: F401
    from playwright import sync_api
except ImportError as missing:
    if os.environ.get("CI"):
        raise
    pytest.skip(f"{missing.name} is not installed (test extra)", allow_module_level=True)
if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        raise RuntimeError(f"Chromium not found at {CHROMIUM}: .ci/run installs it")
    pytest.skip(
        f"Chromium not found at {CHROMIUM} (apt-get install chromium)", allow_module_level=True
    )

from storyline.ingest import load_articles
from storyline.store import Store
from storyline.store.update import update
from storyline.web import create_app
from storyline.web.running import running

# Held back from the store, then added through the form: the third outlet of an event.
HELD = "8f68dc8f-d6db-45b4-977b-3ba2bd56faf6"
MAX_FILE_BYTES = 64 * 1024
MAX_REQUEST_BYTES = 256 * 1024
ROOT = Path(__file__).resolve().parent


@pytest.fixture(scope="module")
def basil_rows(shared_data: Path) -> list[dict]:
    lines = (shared_data / "basil-dev" / "articles.jsonl").read_text(encoding="utf-8")
    rows = [json.loads(line) for line in lines.splitlines()]
    events = list(dict.fromkeys(row["story"] for row in rows))[:3]
    return [row for row in rows if row["story"] in events]


@pytest.fixture(scope="module")
def held(basil_rows: list[dict]) -> dict:
    return next(row for row in basil_rows if row["id"] == HELD)


@pytest.fixture(scope="module")
def db(tmp_path_factory, basil_rows: list[dict]) -> Path:
    folder = tmp_path_factory.mktemp("web")
    feed = folder / "feed.jsonl"
    feed.write_text(
        "".join(json.dumps(row) + "\n" for row in basil_rows if row["id"] != HELD),
        encoding="utf-8",
    )
    path = folder / "store.sqlite"
    with Store(path) as store:
        update(store, load_articles([feed]))
    return path


@pytest.fixture(scope="module")
def base(db: Path) -> Iterator[str]:
    app = create_app(db, max_file_bytes=MAX_FILE_BYTES, max_request_bytes=MAX_REQUEST_BYTES)
    with running(app) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator:
    with sync_api.sync_playwright() as playwright:
        launched = launch(playwright)
        yield launched
        launched.close()


class Browsing:
    """A browser tab on the app that records every request and refuses any that leaves it."""

    def __init__(self, browser, base: str, width: int = 1280) -> None:
        self.base = base
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.context = browser.new_context(viewport={"width": width, "height": 900})
        self.context.route(
            "**/*",
            lambda route: (
                route.continue_() if route.request.url.startswith(base + "/") else route.abort()
            ),
        )
        self.page = self.context.new_page()
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("console", self._console)

    def _console(self, message) -> None:
        # A page answered with an error status (a refused form) is logged too: not a bug.
        if message.type == "error" and not message.text.startswith(
            "Failed to load resource: the server responded with a status of 4"
        ):
            self.errors.append(message.text)

    def open(self, path: str):  # -> playwright Response
        return self.page.goto(self.base + path, wait_until="load")

    def left_the_app(self) -> list[str]:
        return [url for url in self.requests if not url.startswith(self.base + "/")]


@pytest.fixture()
def tab(browser, base: str) -> Iterator[Browsing]:
    browsing = Browsing(browser, base)
    yield browsing
    browsing.context.close()


def _get(url: str, **headers: str) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def _json(url: str):  # -> Any
    status, _, body = _get(url)
    assert status == 200, body[:300]
    return json.loads(body)


def _stored(db: Path) -> dict[str, dict]:
    """Each story of the store (read here, not through the app) with its brief's data."""
    with Store(db) as store:
        return {
            row.id: {
                "row": row,
                "brief": json.loads(store.brief_json(row.id)[0]),
                "keys": [r.input_key for r, _ in store.story_articles(row.id)],
                "texts": [a.text for _, a in store.story_articles(row.id)],
            }
            for row in store.stories()
        }


def _wait_for_brief(base: str, story_id: str, articles: int, timeout: float = 300) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        story = _json(f"{base}/api/stories/{story_id}")
        if story["brief"] and story["brief"]["stats"]["articles"] == articles:
            return story
        time.sleep(0.5)
    raise AssertionError(f"the brief of {story_id} was not rebuilt in {timeout} s")


# ---------------------------------------------------------------- the pages


def test_the_story_list_shows_every_story_and_searches_narrow_it(tab: Browsing, db: Path) -> None:
    stored = _stored(db)
    page = tab.page
    tab.open("/")
    rows = page.locator("table.stories tbody tr")
    # Each story once, biggest first, with its title, dates and size as the store has them.
    assert rows.count() == len(stored)
    for index, (story_id, story) in enumerate(stored.items()):
        row = rows.nth(index)
        assert row.get_attribute("id") == f"story-{story_id}"
        assert row.locator("a.story-title").inner_text() == story["row"].title
        assert story["row"].first_date in row.locator("td.dates").inner_text()
        assert row.locator("td.num").first.inner_text().split()[0] == str(story["row"].articles)

    def search(field: str, value: str) -> list[str]:
        page.fill(f"form.search input[name={field}]", value)
        page.click("form.search button[type=submit]")
        page.wait_for_load_state("load")
        found = [
            (row.get_attribute("id") or "").removeprefix("story-")
            for row in page.locator("table.stories tbody tr").all()
        ]
        page.fill(f"form.search input[name={field}]", "")
        return found

    # Expected answers read from the store's briefs and texts, not from the app.
    def with_actor(name: str) -> list[str]:
        return [
            story_id
            for story_id, story in stored.items()
            if any(
                re.search(rf"\b{name}\b", alias, re.I)
                for actor in story["brief"]["actors"]
                for alias in (actor["name"], *actor["aliases"])
            )
        ]

    actor = next(  # a surname the briefs know, in some stories but not all
        name.split()[-1]
        for story in stored.values()
        for a in story["brief"]["actors"]
        if a["type"] == "person"
        for name in [a["name"]]
        if 0 < len(with_actor(name.split()[-1])) < len(stored)
    )
    assert search("actor", actor) == with_actor(actor)
    place = next(
        p["name"]
        for story in stored.values()
        for p in story["brief"]["places"]
        if p.get("country") and p["country"] != "US"
    )
    in_place = [
        story_id
        for story_id, story in stored.items()
        if any(
            place.lower() in (x.lower() for x in (p["name"], *p["aliases"]))
            for p in story["brief"]["places"]
        )
    ]
    assert 0 < len(in_place) < len(stored)
    assert search("place", place) == in_place
    phrase = "gay couples"
    with_phrase = [
        story_id
        for story_id, story in stored.items()
        if any(re.search(r"\bgay\s+couples\b", text, re.I) for text in story["texts"])
    ]
    assert 0 < len(with_phrase) < len(stored)
    assert search("q", phrase) == with_phrase
    assert "match the search" in page.locator("#count").inner_text() or len(with_phrase) == 1
    assert search("q", "zzzqqq-nowhere") == []
    assert tab.left_the_app() == [] and tab.errors == []


def test_a_story_page_is_its_report_and_a_citation_opens_the_cited_sentence(
    tab: Browsing, db: Path
) -> None:
    stored = _stored(db)
    story_id, story = next(iter(stored.items()))
    brief = story["brief"]
    page = tab.page
    tab.open("/")
    page.click(f"#story-{story_id} a.story-title")
    page.wait_for_load_state("load")
    assert page.url == f"{tab.base}/stories/{story_id}"
    assert page.locator("h1").inner_text() == brief["title"]
    # The app's navigation, added through PageLinks.
    assert page.locator("header.top a.home").get_attribute("href") == "/"
    summary = brief["summary"][-1]
    cite = page.locator("#summary a.cite").nth(len(brief["summary"]) - 1)
    assert (
        cite.inner_text() == f"{summary['citation']['article']}:{summary['citation']['sentence']}"
    )
    cite.click()
    reader = page.locator("#reader")
    assert reader.is_visible()
    source = next(s for s in brief["sources"] if s["id"] == summary["citation"]["article"])
    position = [s["id"] for s in brief["sources"]].index(source["id"])
    text = story["texts"][position]
    cited = text[summary["citation"]["start"] : summary["citation"]["end"]]
    assert " ".join(page.locator("#reader mark").all_inner_texts()) == cited
    page.keyboard.press("Escape")
    # The report needs nothing but its own page: no stylesheet, script or image requested.
    assert tab.requests == [f"{tab.base}/", f"{tab.base}/static/app.css", page.url]
    assert tab.errors == []
    page.click("header.top a.home")
    page.wait_for_load_state("load")
    assert page.url == f"{tab.base}/"


def test_report_pages_keep_their_content_security_policy(base: str, db: Path) -> None:
    story_id = next(iter(_stored(db)))
    status, headers, body = _get(f"{base}/stories/{story_id}")
    assert status == 200
    page = body.decode()
    meta = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page)
    assert meta is not None
    header = headers["content-security-policy"]
    policy = meta.group(1).replace("&#39;", "'")
    assert header.startswith(policy) and "frame-ancestors 'none'" in header
    assert "default-src 'none'" in header and "connect-src" not in header
    for path in ("/", "/add", f"/stories/{story_id}/since"):
        status, headers, _ = _get(base + path)
        assert status == 200
        assert headers["content-security-policy"].startswith("default-src 'none'")
        assert "script-src" not in headers["content-security-policy"]  # app pages run no script
        assert headers["x-frame-options"] == "DENY"


def test_an_article_added_through_the_form_joins_its_story_and_its_brief(
    tab: Browsing, base: str, db: Path, held: dict, basil_rows: list[dict]
) -> None:
    stored = _stored(db)
    siblings = {row["id"] for row in basil_rows if row["story"] == held["story"]} - {HELD}
    (expected,) = [s for s, story in stored.items() if siblings & set(story["keys"])]
    before = stored[expected]["row"].articles
    page = tab.page
    tab.open("/")
    page.click("header.top a[href='/add']")
    page.wait_for_load_state("load")
    page.fill("input[name=title]", held["title"])
    page.fill("input[name=outlet]", held["source"])
    page.fill("input[name=date]", held["date"])
    page.fill("input[name=url]", held["url"])
    page.fill("textarea[name=text]", held["text"])
    page.click("form.add button[type=submit]")
    page.wait_for_load_state("load")
    assert page.locator("h1").inner_text() == "Articles added"
    row = page.locator("table.placed tbody tr")
    assert row.count() == 1
    assert row.locator("td.source").inner_text() == "pasted:1"
    link = row.locator("a")
    assert link.get_attribute("href") == f"/stories/{expected}"
    assert "new story" not in row.inner_text()
    assert expected in page.locator("p.note").inner_text()  # its brief is being rebuilt
    story = _wait_for_brief(base, expected, before + 1)
    assert held["title"] in [s["title"] for s in story["brief"]["sources"]]
    link.click()
    page.wait_for_load_state("load")
    assert held["title"] in (page.locator("#sources").text_content() or "")
    # What's new since the brief it had before: the added article, and only it, is a new source.
    page.click("header.top nav a[href$='/since']")
    page.wait_for_load_state("load")
    page.locator("a.version").first.click()
    page.wait_for_load_state("load")
    new_sources = page.locator("#new-sources li")
    assert new_sources.count() == 1 and held["title"] in new_sources.inner_text()
    assert tab.left_the_app() == [] and tab.errors == []


def test_bad_uploads_get_the_command_line_reasons_on_the_page(
    tab: Browsing, db: Path, tmp_path: Path
) -> None:
    files = {
        "chart.png": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
        "empty.txt": b"",
        "huge.txt": ("A long line of words about nothing at all. " * 2000).encode(),
        "french.txt": (ROOT / "data" / "hostile" / "french.txt").read_bytes(),
        "menu.html": (ROOT / "data" / "hostile" / "navigation_only.html").read_bytes(),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    assert len(files["huge.txt"]) > MAX_FILE_BYTES
    # What the command line's ingest says about the same files, with the same size limit.
    expected = {
        Path(item.source).name: item.reason
        for item in load_articles(
            [tmp_path / name for name in files], max_bytes=MAX_FILE_BYTES
        ).skipped
    }
    assert len(expected) == len(files)
    with Store(db) as store:
        articles = store.count("articles")
    page = tab.page
    tab.open("/add")
    page.set_input_files("input[name=files]", [str(tmp_path / name) for name in files])
    page.click("form.add button[type=submit]")
    page.wait_for_load_state("load")
    shown = {
        item.locator(".source").inner_text().removeprefix("upload:"): item.inner_text()
        for item in page.locator("#skipped li").all()
    }
    assert set(shown) == set(expected)
    for name, reason in expected.items():
        assert shown[name] == f"upload:{name}: {reason}"
    assert "file too large" in shown["huge.txt"] and "limit" in shown["huge.txt"]
    assert page.locator("table.placed").count() == 0
    with Store(db) as store:
        assert store.count("articles") == articles  # nothing stored, nothing half-stored
    # Nothing chosen: the form says so instead of adding nothing.
    tab.open("/add")
    page.click("form.add button[type=submit]")
    page.wait_for_load_state("load")
    assert "Nothing to add" in page.locator("#problem").inner_text()
    assert tab.left_the_app() == [] and tab.errors == []


def test_an_upload_over_the_request_limit_is_refused_with_a_message(
    tab: Browsing, db: Path, tmp_path: Path
) -> None:
    big = tmp_path / "feed.jsonl"
    big.write_bytes(b'{"text": "' + b"x" * (MAX_REQUEST_BYTES + 1000) + b'"}\n')
    with Store(db) as store:
        articles = store.count("articles")
    page = tab.page
    tab.open("/add")
    page.set_input_files("input[name=files]", str(big))
    page.click("form.add button[type=submit]")
    page.wait_for_load_state("load")
    assert page.locator("h1").inner_text() == "Upload too large"
    message = page.locator("p.problem").inner_text()
    assert "the limit is 256.0 kB per upload" in message
    with Store(db) as store:
        assert store.count("articles") == articles


def test_the_openapi_page_documents_the_api_without_leaving_the_app(tab: Browsing) -> None:
    page = tab.page
    tab.open("/docs")
    page.wait_for_selector(".opblock", timeout=30_000)
    shown = " ".join(page.locator(".opblock-summary-path").all_inner_texts())
    for path in ("/api/stories", "/api/stories/{story_id}", "/api/stories/{story_id}/since"):
        assert path in shown.split() or path.replace("_", "\u200b_") in shown
    assert {url for url in tab.requests} <= {
        f"{tab.base}/docs",
        f"{tab.base}/openapi.json",
        f"{tab.base}/static-docs/swagger-ui.css",
        f"{tab.base}/static-docs/swagger-ui-bundle.js",
        f"{tab.base}/static-docs/favicon.png",
    }
    assert tab.left_the_app() == [] and tab.errors == []


# ---------------------------------------------------------------- the JSON API


def _validator(spec: dict, path: str, method: str = "get", status: str = "200"):
    import jsonschema

    schema = spec["paths"][path][method]["responses"][status]["content"]["application/json"]
    return jsonschema.Draft202012Validator({**schema["schema"], "components": spec["components"]})


def test_the_json_api_mirrors_the_pages_and_matches_its_openapi_schema(base: str, db: Path) -> None:
    spec = _json(f"{base}/openapi.json")
    stored = _stored(db)
    listing = _json(f"{base}/api/stories")
    _validator(spec, "/api/stories").validate(listing)
    assert [s["id"] for s in listing["stories"]] == list(stored)
    assert listing["total"] == len(stored)
    for item in listing["stories"]:
        row = stored[item["id"]]["row"]
        assert (item["title"], item["articles"], item["first_date"], item["last_date"]) == (
            row.title,
            row.articles,
            row.first_date,
            row.last_date,
        )
    story_id = listing["stories"][0]["id"]
    story = _json(f"{base}/api/stories/{story_id}")
    _validator(spec, "/api/stories/{story_id}").validate(story)
    assert story["brief"] == stored[story_id]["brief"]
    article = _json(f"{base}/api/stories/{story_id}/articles/a1")
    _validator(spec, "/api/stories/{story_id}/articles/{article_id}").validate(article)
    assert article["text"] == stored[story_id]["texts"][0]
    news = _json(f"{base}/api/stories/{story_id}/since?since=2000-01-01")
    _validator(spec, "/api/stories/{story_id}/since").validate(news)
    assert news["earlier"] is None and len(news["sources"]) == len(story["brief"]["sources"])
    status, _, body = _get(f"{base}/api/stories/{story_id}/since?since=last+week")
    assert status == 400 and "not an ISO 8601 date" in json.loads(body)["detail"]
    assert _get(f"{base}/api/stories/s99999")[0] == 404
    assert _get(f"{base}/api/stories/../etc")[0] == 404
    assert _get(f"{base}/api/stories/x1")[0] == 422
    searched = _json(f"{base}/api/stories?q=gay+couples")
    page = _get(f"{base}/?q=gay+couples")[2].decode()
    assert [s["id"] for s in searched["stories"]] == re.findall(r'id="story-(s\d+)"', page)


def test_the_api_adds_articles_and_says_why_others_were_skipped(
    base: str, db: Path, basil_rows: list[dict]
) -> None:
    again = next(row for row in basil_rows if row["id"] != HELD)
    body = json.dumps(
        {"articles": [{"text": again["text"], "title": again["title"]}, {"text": "   "}]}
    ).encode()
    request = urllib.request.Request(
        f"{base}/api/articles", data=body, headers={"content-type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=120) as answer:
        added = json.load(answer)
    spec = _json(f"{base}/openapi.json")
    _validator(spec, "/api/articles", "post").validate(added)
    # The same text again is no new article: it is where the store has it.
    (placed,) = added["placed"]
    assert placed["new"] is False and placed["duplicate_of"] == again["id"]
    assert any(
        again["id"] in story["keys"] for s, story in _stored(db).items() if s == placed["story"]
    )
    assert added["skipped"] == [{"source": "pasted:2", "reason": "no text pasted"}]


def test_writes_from_other_sites_and_unknown_hosts_are_refused(base: str) -> None:
    request = urllib.request.Request(
        f"{base}/api/articles",
        data=b'{"articles": [{"text": "An article about the weather in the hills today."}]}',
        headers={"content-type": "application/json", "origin": "http://attacker.example"},
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    assert refused.value.code == 403
    assert _get(f"{base}/api/stories", Host="storyline.attacker.example")[0] == 400
    assert _get(f"{base}/api/stories", Host="localhost")[0] == 200


def test_serve_starts_on_loopback_and_stops(tmp_path: Path) -> None:
    store = tmp_path / "new.sqlite"
    command = [sys.executable, "-m", "storyline", "serve", "--store", str(store), "--port", "0"]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    try:
        address = None
        deadline = time.monotonic() + 120
        while address is None and time.monotonic() < deadline:
            line = process.stderr.readline()
            if not line and process.poll() is not None:
                break
            found = re.search(r"running on (http://127\.0\.0\.1:\d+)", line)
            address = found.group(1) if found else None
        assert address, "the server did not say where it listens"
        assert _json(f"{address}/api/stories") == {
            "total": 0,
            "page": 1,
            "pages": 1,
            "per_page": 50,
            "stories": [],
        }
        assert "No story yet" in _get(address + "/")[2].decode()
    finally:
        process.terminate()
        process.wait(timeout=30)
    assert store.is_file()


def test_a_story_without_a_brief_gets_one_from_its_page(
    browser, tmp_path: Path, basil_rows: list[dict]
) -> None:
    event = basil_rows[0]["story"]
    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        "".join(json.dumps(row) + "\n" for row in basil_rows if row["story"] == event),
        encoding="utf-8",
    )
    path = tmp_path / "store.sqlite"
    with Store(path) as store:  # as `storyline stories --no-briefs` leaves it
        update(store, load_articles([feed]), briefs=False)
        (row,) = store.stories()
    with running(create_app(path)) as base:
        tab = Browsing(browser, base)
        try:
            page = tab.page
            tab.open("/")
            assert page.locator(f"#story-{row.id} td.state").inner_text() == "none yet"
            page.click(f"#story-{row.id} a.story-title")
            page.wait_for_load_state("load")
            page.click("form button[type=submit]")  # "Build its brief"
            # The page reloads by itself while the brief is built, then shows the report.
            page.wait_for_selector("#summary", timeout=300_000)
            with Store(path) as store:
                title = json.loads(store.brief_json(row.id)[0])["title"]
            assert page.locator("h1").inner_text() == title
            assert tab.left_the_app() == [] and tab.errors == []
        finally:
            tab.context.close()
