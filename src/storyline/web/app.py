"""The local web app over the story store: pages rendered on the server (Jinja2, no script of
its own), the JSON API that mirrors them, and FastAPI's OpenAPI page served from local files.

Pages: ``/`` the story list (search by word, actor, place), ``/stories/{id}`` a story's HTML
report (the same page ``storyline brief --format html`` writes, with the app's navigation),
``/stories/{id}/since`` what is new since a date, ``/add`` the form that adds articles.
API: ``/api/stories``, ``/api/stories/{id}``, ``/api/stories/{id}/since``,
``/api/stories/{id}/articles/{article}``, ``POST /api/articles`` and ``/api/uploads``,
``/api/rebuilds``; documented at ``/docs`` (``/openapi.json``).
"""

from __future__ import annotations

import base64
import hashlib
import html
import itertools
import math
import re
from contextlib import asynccontextmanager
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

from fastapi import FastAPI, File, HTTPException, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.formparsers import MultiPartException

from storyline import __version__, settings
from storyline.render import PageLinks, render_html
from storyline.web.api import (
    AddArticles,
    AddedResponse,
    ArticleOut,
    NewsOut,
    RebuildOut,
    StoryDetail,
    StoryList,
    StoryOut,
)
from storyline.web.guard import LOOPBACK, Guard, human_size
from storyline.web.library import Added, Library, StoryQuery, StoryView
from storyline.web.uploads import Pasted, Upload, read_sent

__all__ = ["create_app"]

STORY_ID = r"^s[0-9]{1,12}$"
ARTICLE_ID = r"^a[0-9]{1,12}$"
_REPORT_CSP = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')


@lru_cache(maxsize=1)
def _templates():  # -> jinja2.Environment
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("storyline.web", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["when"] = _when
    environment.filters["size"] = human_size
    environment.globals["version"] = __version__
    return environment


def _when(moment: str | None) -> str:
    """An ISO time as the pages show it: ``2026-12-02 10:31 UTC``."""
    if not moment:
        return ""
    return moment[:16].replace("T", " ") + (" UTC" if len(moment) > 10 else "")


def _page(name: str, status: int = 200, **context: Any) -> HTMLResponse:
    return HTMLResponse(_templates().get_template(name).render(**context), status_code=status)


def error_page(status: int, title: str, message: str) -> str:
    return (
        _templates()
        .get_template("error.html.j2")
        .render(status=status, title=title, message=message)
    )


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def _limits(library: Library, max_request_bytes: int) -> dict[str, str | int]:
    return {
        "file": human_size(library.max_file_bytes),
        "request": human_size(max_request_bytes),
        "files": settings.WEB_MAX_FILES,
        "chars": f"{settings.WEB_MAX_PASTE_CHARS:,}",
    }


def create_app(
    store_path: str | Path,
    *,
    host: str = settings.WEB_DEFAULT_HOST,
    max_request_bytes: int = settings.WEB_MAX_REQUEST_BYTES,
    max_file_bytes: int = settings.WEB_MAX_FILE_BYTES,
    brief_options: dict[str, Any] | None = None,
) -> Guard:
    """The app over the store at ``store_path`` (created when missing), as an ASGI app.

    ``host``: where it is served; on a loopback address only requests that name a loopback
    host are answered. ``brief_options``: words, max_dates, parse_words of rebuilt briefs.
    """
    library = Library(store_path, max_file_bytes=max_file_bytes, brief_options=brief_options)

    @asynccontextmanager
    async def lifespan(_: FastAPI):  # type: ignore[no-untyped-def]
        library.rebuilder.start()
        yield
        library.rebuilder.stop()

    app = FastAPI(
        title="storyline",
        version=__version__,
        summary="Stories from a heap of news articles, each with a sourced brief.",
        description="The JSON API of `storyline serve`: each page of the app has its JSON "
        "here. Briefs are as `storyline brief --format json` writes them (docs/schema.md).",
        docs_url=None,  # served below from local files: no CDN
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.library = library
    app.mount(
        "/static",
        StaticFiles(packages=[("storyline.web", "static")]),
        name="static",
    )
    app.mount(
        "/static-docs",
        StaticFiles(directory=str(resources.files("fastapi_offline") / "static")),
        name="static-docs",
    )
    limits = _limits(library, max_request_bytes)

    # ------------------------------------------------------------ errors

    def _is_api(request: Request) -> bool:
        return request.url.path.startswith("/api/")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        if _is_api(request):
            return JSONResponse({"detail": error.detail}, status_code=error.status_code)
        title = {404: "Not found", 400: "Bad request"}.get(error.status_code, "Error")
        return HTMLResponse(
            error_page(error.status_code, title, str(error.detail)),
            status_code=error.status_code,
        )

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> Response:
        if _is_api(request):
            return JSONResponse({"detail": error.errors()}, status_code=422)
        problems = "; ".join(
            f"{'.'.join(str(part) for part in e['loc'])}: {e['msg']}" for e in error.errors()
        )
        return HTMLResponse(error_page(422, "Bad request", problems), status_code=422)

    def _story_or_404(story_id: str) -> StoryView:
        view = library.story(story_id)
        if view is None:
            raise HTTPException(404, f"No story {story_id!r} in this store.")
        return view

    # ------------------------------------------------------------ pages

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def story_list(
        q: str = "", actor: str = "", place: str = "", page: Annotated[int, Query(ge=1)] = 1
    ) -> HTMLResponse:
        query = StoryQuery(q, actor, place)
        found = library.stories(query)
        shown, pages = _paged(found, page)
        return _page(
            "stories.html.j2",
            stories=shown,
            total=len(found),
            page=page,
            pages=pages,
            query=query,
            store=library.store_path.name,
            busy={view.id for view in shown if library.rebuilder.busy(view.id)},
            paging=lambda number: _query_string(query, number),
        )

    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(story_id: str) -> Response:
        view = _story_or_404(story_id)
        busy = library.rebuilder.busy(story_id)
        if view.brief_version is None:
            failed = library.rebuilder.snapshot().failed.get(story_id)
            return _page("pending.html.j2", story=view, busy=busy, failed=failed)
        nav = [("What's new", f"/stories/{story_id}/since"), ("JSON", f"/api/stories/{story_id}")]
        notice = None
        if view.outdated:
            if busy:
                notice = "Articles joined this story after this brief was built: a new brief "
                notice += "is being built. Reload the page in a while to read it."
            else:
                notice = "Articles joined this story after this brief was built."
                nav.append(("Rebuild brief", f"/stories/{story_id}/rebuild"))
        links = PageLinks(home_href="/", home_label="All stories", extra_nav=nav, notice=notice)
        page = library.page(
            story_id,
            view.brief_version,
            lambda brief: render_html(brief, links),
            key=repr((nav, notice)),
        )
        if page is None:
            raise HTTPException(404, f"No brief of story {story_id!r}.")
        # The report's own policy (its inline style and script by hash, nothing else) holds
        # as a header too, where it also forbids framing.
        found = _REPORT_CSP.search(page)
        policy = html.unescape(found.group(1)) if found else "default-src 'none'"
        return HTMLResponse(
            page, headers={"content-security-policy": policy + "; frame-ancestors 'none'"}
        )

    @app.get("/stories/{story_id}/since", response_class=HTMLResponse, include_in_schema=False)
    def news_page(story_id: str, since: str = "") -> HTMLResponse:
        view = _story_or_404(story_id)
        versions = library.versions(story_id)
        # "Since brief N" = just before brief N+1 was built: the comparison is with brief N.
        choices = [(older, newer.created) for older, newer in itertools.pairwise(versions)]
        context: dict[str, Any] = {"story": view, "since": since, "choices": choices}
        if since.strip():
            try:
                found = library.news(story_id, since)
            except ValueError as error:
                return _page("news.html.j2", 400, error=str(error), news=None, **context)
            if found is not None:
                context["data"], context["news"] = found
                return _page("news.html.j2", error=None, **context)
        return _page("news.html.j2", error=None, news=None, **context)

    @app.get("/stories/{story_id}/rebuild", response_class=HTMLResponse, include_in_schema=False)
    def rebuild_page(story_id: str) -> HTMLResponse:
        view = _story_or_404(story_id)
        return _page("rebuild.html.j2", story=view, busy=library.rebuilder.busy(story_id))

    @app.post("/stories/{story_id}/rebuild", include_in_schema=False)
    def rebuild_form(story_id: str) -> RedirectResponse:
        _story_or_404(story_id)
        library.rebuilder.request([story_id])
        return RedirectResponse(f"/stories/{story_id}", status_code=303)

    @app.get("/add", response_class=HTMLResponse, include_in_schema=False)
    def add_form() -> HTMLResponse:
        return _page("add.html.j2", limits=limits, problem=None, form={})

    @app.post("/add", response_class=HTMLResponse, include_in_schema=False)
    async def add_sent(request: Request) -> HTMLResponse:
        try:
            form = await request.form(
                max_files=settings.WEB_MAX_FILES,
                max_fields=20,
                max_part_size=4 * settings.WEB_MAX_PASTE_CHARS + 1024,
            )
        except MultiPartException as error:
            return _page("add.html.j2", 400, limits=limits, problem=f"{error.message}", form={})
        uploads = []
        for item in form.getlist("files"):
            if isinstance(item, str):
                continue
            data = await item.read()
            if item.filename or data:  # an empty file input sends one nameless empty part
                uploads.append(Upload(item.filename or "", data))
        fields = {
            key: value
            for key in ("text", "title", "url", "date", "outlet")
            if isinstance(value := form.get(key, ""), str)
        }
        pasted = [Pasted(**fields)] if fields.get("text", "").strip() else []
        if not uploads and not pasted:
            problem = "Nothing to add: choose files or paste an article's text."
            return _page("add.html.j2", 400, limits=limits, problem=problem, form=fields)
        added = await run_in_threadpool(_add, uploads, pasted)
        return _page("added.html.j2", added=added, limits=limits)

    def _add(uploads: list[Upload], pasted: list[Pasted]) -> Added:
        return library.add(read_sent(uploads, pasted, max_bytes=library.max_file_bytes))

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        page = get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title="storyline API",
            swagger_js_url="/static-docs/swagger-ui-bundle.js",
            swagger_css_url="/static-docs/swagger-ui.css",
            swagger_favicon_url="/static-docs/favicon.png",
            # No validator badge: it would be an image from another site.
            swagger_ui_parameters={"validatorUrl": None},
        )
        body = bytes(page.body).decode()
        scripts = re.findall(r"<script>(.*?)</script>", body, re.DOTALL)
        policy = (
            "default-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
            f"script-src 'self' {' '.join(_csp_hash(s) for s in scripts)}; "
            "style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; "
            "font-src 'self' data:; form-action 'self'"
        )
        return HTMLResponse(body, headers={"content-security-policy": policy})

    # ------------------------------------------------------------ API

    def _out(view: StoryView) -> StoryOut:
        return StoryOut.of(view, library.rebuilder.busy(view.id))

    @app.get("/api/stories", response_model=StoryList, tags=["stories"])
    def api_stories(
        q: Annotated[str, Query(description="A word or phrase in an article")] = "",
        actor: Annotated[str, Query(description="A name or alias of an actor")] = "",
        place: Annotated[str, Query(description="A place's name or alias, or a country code")] = "",
        page: Annotated[int, Query(ge=1)] = 1,
    ) -> StoryList:
        """The stories, biggest first (the story list), or those that match a search."""
        found = library.stories(StoryQuery(q, actor, place))
        shown, pages = _paged(found, page)
        return StoryList(
            total=len(found),
            page=page,
            pages=pages,
            per_page=settings.WEB_STORIES_PER_PAGE,
            stories=[_out(view) for view in shown],
        )

    @app.get("/api/stories/{story_id}", response_model=StoryDetail, tags=["stories"])
    def api_story(story_id: Annotated[str, _story_path()]) -> Response:
        """One story and its latest brief (the story's page)."""
        view = _story_or_404(story_id)
        head = StoryDetail(
            **_out(view).model_dump(),
            versions=[
                {"version": v.version, "created": v.created} for v in library.versions(story_id)
            ],
            brief=None,
        ).model_dump_json()
        brief = library.brief_json(story_id)
        if brief is None:
            return Response(head, media_type="application/json")
        # The stored JSON goes out as stored (a big story's brief is megabytes).
        assert head.endswith('"brief":null}')
        body = head[: -len("null}")] + brief.strip() + "}"
        return Response(body, media_type="application/json")

    @app.get("/api/stories/{story_id}/since", response_model=NewsOut, tags=["stories"])
    def api_news(
        story_id: Annotated[str, _story_path()],
        since: Annotated[str, Query(description="ISO 8601 date or time (UTC unless given)")],
    ) -> NewsOut:
        """What the story's brief gained since a date (its "what's new" page)."""
        _story_or_404(story_id)
        try:
            found = library.news(story_id, since)
        except ValueError as error:
            raise HTTPException(400, str(error)) from None
        if found is None:
            raise HTTPException(404, f"No brief of story {story_id!r} yet.")
        data, news = found
        return NewsOut(
            story=story_id,
            title=data["title"],
            since=news.since,
            earlier=news.earlier,
            timeline=news.timeline,
            figures=news.figures,
            changed_figures=[[before, after] for before, after in news.changed_figures],
            quotes=news.quotes,
            sources=news.sources,
        )

    @app.get(
        "/api/stories/{story_id}/articles/{article_id}", response_model=ArticleOut, tags=["stories"]
    )
    def api_article(
        story_id: Annotated[str, _story_path()],
        article_id: Annotated[str, _article_path()],
    ) -> ArticleOut:
        """One article of a story as the store keeps it (a citation's article)."""
        _story_or_404(story_id)
        found = library.article(story_id, article_id)
        if found is None:
            raise HTTPException(404, f"No article {article_id!r} in story {story_id!r}.")
        return ArticleOut(**{key: found[key] for key in ArticleOut.model_fields})

    @app.post(
        "/api/stories/{story_id}/rebuild",
        response_model=RebuildOut,
        status_code=202,
        tags=["briefs"],
    )
    def api_rebuild(story_id: Annotated[str, _story_path()]) -> RebuildOut:
        """Queue the story's brief for rebuilding (when articles joined it after its brief)."""
        _story_or_404(story_id)
        library.rebuilder.request([story_id])
        return _rebuilds()

    @app.get("/api/rebuilds", response_model=RebuildOut, tags=["briefs"])
    def api_rebuilds() -> RebuildOut:
        """Briefs being rebuilt, queued, failed."""
        return _rebuilds()

    def _rebuilds() -> RebuildOut:
        status = library.rebuilder.snapshot()
        return RebuildOut(
            current=status.current,
            queued=status.queued,
            failed=status.failed,
            rebuilt=status.rebuilt,
        )

    @app.post("/api/articles", response_model=AddedResponse, tags=["articles"])
    def api_add(sent: AddArticles) -> AddedResponse:
        """Add articles given as JSON (text and what is known about each): they are stored,
        assigned to stories (copies found first) and the changed stories' briefs rebuilt."""
        if len(sent.articles) > settings.WEB_MAX_FILES:
            raise HTTPException(413, f"At most {settings.WEB_MAX_FILES} articles at once.")
        pasted = [Pasted(**item.model_dump()) for item in sent.articles]
        return AddedResponse.of(_add([], pasted))

    @app.post("/api/uploads", response_model=AddedResponse, tags=["articles"])
    async def api_upload(
        files: Annotated[
            list[UploadFile],
            File(description="Text, HTML, JSON or JSONL files (gzipped too), as for the CLI"),
        ],
    ) -> AddedResponse:
        """Add the articles of uploaded files (as `storyline stories --store` reads files)."""
        if len(files) > settings.WEB_MAX_FILES:
            raise HTTPException(413, f"At most {settings.WEB_MAX_FILES} files at once.")
        uploads = [Upload(item.filename or "", await item.read()) for item in files]
        return AddedResponse.of(await run_in_threadpool(_add, uploads, []))

    allowed = LOOPBACK | {host} if host in LOOPBACK else None
    return Guard(
        app,
        max_request_bytes=max_request_bytes,
        allowed_hosts=frozenset(allowed) if allowed is not None else None,
        error_page=error_page,
    )


def _story_path():  # -> fastapi.params.Path
    from fastapi import Path as PathParam

    return PathParam(pattern=STORY_ID, description="Story id, e.g. s1")


def _article_path():  # -> fastapi.params.Path
    from fastapi import Path as PathParam

    return PathParam(pattern=ARTICLE_ID, description="Article id in the story's brief, e.g. a2")


def _paged(found: list[StoryView], page: int) -> tuple[list[StoryView], int]:
    per_page = settings.WEB_STORIES_PER_PAGE
    pages = max(1, math.ceil(len(found) / per_page))
    return found[(page - 1) * per_page : page * per_page], pages


def _query_string(query: StoryQuery, page: int) -> str:
    from urllib.parse import urlencode

    parts = {"q": query.word, "actor": query.actor, "place": query.place}
    parts = {key: value for key, value in parts.items() if value}
    if page > 1:
        parts["page"] = str(page)
    return "?" + urlencode(parts) if parts else "/"
