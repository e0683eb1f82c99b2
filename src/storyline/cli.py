"""Command line: ``storyline brief PATH... [--format FORMAT] [-o OUT] [--words N]`` and more.

Formats come from the renderer registry (``storyline.render``): md, json, html, and the
groups both (md+json) and all (md+json+html).
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import click

from storyline import __version__
from storyline.ingest.sanitise import safe_text
from storyline.render import FORMAT_GROUPS, RENDERERS, formats, get_renderer
from storyline.settings import (
    DEFAULT_MAX_DATES,
    DEFAULT_PARSE_WORDS,
    DEFAULT_WORDS,
    MAX_DEFAULT_WORKERS,
    MIN_SUMMARY_WORDS,
    PARALLEL_MIN_WORDS,
    WEB_DEFAULT_HOST,
    WEB_DEFAULT_PORT,
)

FORMATS = (*RENDERERS, *FORMAT_GROUPS)


class _SkipWarnings(logging.Handler):
    """Prints the ingest stage's warnings (skipped files, bad lines) as CLI messages."""

    def emit(self, record: logging.LogRecord) -> None:
        # Messages name inputs: nothing in them may reach the terminal as a control sequence.
        click.echo(f"storyline: {safe_text(record.getMessage())}", err=True)


def _brief_options(command: Callable[..., None]) -> Callable[..., None]:
    """--words, --max-dates and --parse-words, shared by the commands that build briefs."""
    command = click.option(
        "--parse-words",
        default=DEFAULT_PARSE_WORDS,
        show_default=True,
        type=click.IntRange(min=0),
        help="Parse budget of a story in words (0: no limit). Past it, names, figures and "
        "quotes are read from each article's first sentences; dates, timeline and summary "
        "still use all text.",
    )(command)
    command = click.option(
        "--max-dates",
        default=DEFAULT_MAX_DATES,
        show_default=True,
        type=click.IntRange(min=1),
        help="Most dates shown in a timeline.",
    )(command)
    return click.option(
        "--words",
        default=DEFAULT_WORDS,
        show_default=True,
        type=click.IntRange(min=MIN_SUMMARY_WORDS),
        help="Word budget of a summary.",
    )(command)


def _engine_options(command: Callable[..., None]) -> Callable[..., None]:
    """--engine, --address and --workers, shared by the commands that brief many stories."""
    command = click.option(
        "--address",
        help="Ray cluster to run on (auto, HOST:PORT or ray://HOST:10001; default: a Ray "
        "instance started on this machine for the run, on 127.0.0.1 only). With --engine ray.",
    )(command)
    command = click.option(
        "--engine",
        type=click.Choice(["local", "ray"]),
        default="local",
        show_default=True,
        help="Where the briefs are built: this machine, or a Ray cluster "
        '(pip install "storyline[ray]"). The output is the same.',
    )(command)
    return click.option(
        "--workers",
        type=click.IntRange(min=1),
        help="Workers, each with its own spaCy pipeline (default: local 1, this process; ray: "
        "one per CPU of the cluster).",
    )(command)


def _check_engine(engine: str, address: str | None) -> None:
    if address is not None and engine != "ray":
        raise click.UsageError("--address is for --engine ray")


def _route_warnings(name: str, *, show: bool) -> None:
    """Print a logger's warnings as ``storyline: ...`` lines on stderr, or drop them."""
    logger = logging.getLogger(name)
    logger.handlers = [_SkipWarnings() if show else logging.NullHandler()]
    logger.propagate = False


@click.group()
@click.version_option(__version__, prog_name="storyline")
def main() -> None:
    """storyline: turn a pile of news articles about one story into a sourced brief."""


def _outputs(fmt: str, out: Path | None) -> dict[str, Path | None]:
    """Where each format goes: one format to OUT (or stdout), a group to OUT + each suffix."""
    kinds = formats(fmt)
    if len(kinds) == 1:
        return {kinds[0]: out}
    suffixes = [get_renderer(kind).suffix for kind in kinds]
    if out is None:
        names = ", ".join(f"OUT{suffix}" for suffix in suffixes)
        raise click.UsageError(f"--format {fmt} writes {len(kinds)} files: give -o OUT ({names})")
    stem = out.with_suffix("") if out.suffix in suffixes else out
    return {kind: stem.with_name(stem.name + suffix) for kind, suffix in zip(kinds, suffixes)}


@main.command()
@click.argument("paths", nargs=-1)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="md",
    show_default=True,
    help="md: Markdown for people; json: JSON for programs; html: one self-contained page "
    "(timeline chart, map, articles to open); both: md+json; all: md+json+html "
    "(both and all need -o).",
)
@click.option(
    "-o",
    "--output",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write here instead of standard output (with --format both or all: OUT.md, "
    "OUT.json, OUT.html).",
)
@_brief_options
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    help=f"Analysis processes (default: all cores, at most {MAX_DEFAULT_WORKERS}, for stories "
    f"of {PARALLEL_MIN_WORDS:,}+ words).",
)
@click.option(
    "--store",
    "store_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Read the brief from this store (see `storyline stories --store`) instead of PATHS.",
)
@click.option("--story", "story_id", help="With --store: the story (an id of the index).")
@click.option(
    "--since",
    help="With --store: only what is new since this date or time (ISO 8601, UTC): timeline "
    "entries, figures, quotes and sources added since, figures whose values changed.",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar or warnings on stderr.")
def brief(
    paths: tuple[str, ...],
    fmt: str,
    out: Path | None,
    words: int,
    max_dates: int,
    parse_words: int,
    workers: int | None,
    store_path: Path | None,
    story_id: str | None,
    since: str | None,
    quiet: bool,
) -> None:
    """Build the brief of the articles in PATHS (files, folders or globs).

    Reads .txt, .html/.htm, .jsonl(.gz) (one article per line, or Multi-News cluster
    lines with "documents") and .warc(.gz) web archives (their HTML pages). Unreadable
    inputs are skipped with a message and listed in the brief.
    """
    if store_path is not None or story_id is not None or since is not None:
        if paths:
            raise click.UsageError("give PATHS or --store, not both")
        _brief_from_store(store_path, story_id, since, fmt, out, quiet)
        return
    if not paths:
        raise click.UsageError("give PATHS (files, folders or globs), or --store and --story")
    targets = _outputs(fmt, out)
    _route_warnings("storyline", show=not quiet)

    from storyline.ingest import load_articles
    from storyline.pipeline import NoArticlesError, brief_from_articles

    ingested = load_articles(paths, progress=not quiet)
    try:
        result = brief_from_articles(
            ingested,
            words=words,
            max_dates=max_dates,
            parse_words=parse_words or None,
            progress=not quiet,
            workers=workers,
        )
    except NoArticlesError as error:
        raise click.ClickException(str(error)) from None
    # Everything is rendered before anything is written: a failure leaves no output at all.
    texts = {kind: get_renderer(kind).render(result) for kind in targets}
    for kind, target in targets.items():
        text = texts[kind] if texts[kind].endswith("\n") else texts[kind] + "\n"
        if target is None:
            sys.stdout.write(text)
        else:
            write_atomically(target, text)
            if not quiet:
                click.echo(f"storyline: wrote {safe_text(os.fsdecode(target))}", err=True)


def _brief_from_store(
    store_path: Path | None,
    story_id: str | None,
    since: str | None,
    fmt: str,
    out: Path | None,
    quiet: bool,
) -> None:
    """``brief --store DB --story ID [--since DATE]``."""
    if store_path is None or story_id is None:
        raise click.UsageError("--store and --story go together (and --since needs both)")
    if not store_path.is_file():
        raise click.ClickException(f"{store_path}: no such store")
    from storyline.render import load_brief
    from storyline.store import Store

    with Store(store_path) as store:
        found = store.brief_json(story_id)
        if found is None:
            known = ", ".join(row.id for row in store.stories()[:10])
            raise click.ClickException(
                f"{store_path}: no brief of story {story_id!r} (biggest stories: {known or 'none'})"
            )
        if since is None:
            targets = _outputs(fmt, out)
            result = load_brief(found[0])
            texts = {kind: get_renderer(kind).render(result) for kind in targets}
        else:
            texts, targets = _news_texts(store, story_id, found[0], since, fmt, out)
    for kind, target in targets.items():
        text = texts[kind] if texts[kind].endswith("\n") else texts[kind] + "\n"
        if target is None:
            sys.stdout.write(text)
        else:
            write_atomically(target, text)
            if not quiet:
                click.echo(f"storyline: wrote {safe_text(os.fsdecode(target))}", err=True)


def _news_texts(store, story_id: str, current: str, since: str, fmt: str, out: Path | None):
    """Markdown and/or JSON of what is new in the story's brief since ``since``."""
    import dataclasses
    import datetime as dt
    import json

    from storyline.store.news import new_since, render_news_markdown

    try:
        moment = dt.datetime.fromisoformat(since)
    except ValueError:
        raise click.BadParameter(
            f"{since!r} is not an ISO date or time", param_hint="--since"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    moment_text = moment.astimezone(dt.timezone.utc).isoformat(timespec="microseconds")
    earlier = store.brief_json(story_id, before=moment_text)
    data = json.loads(current)
    news = new_since(
        data,
        json.loads(earlier[0]) if earlier else None,
        since=since,
        earlier_time=earlier[1] if earlier else None,
    )
    kinds = {kind for kind in formats(fmt) if kind in ("md", "json")}
    if not kinds:
        raise click.UsageError("--since writes md or json")
    targets = {kind: target for kind, target in _outputs(fmt, out).items() if kind in kinds}
    texts = {}
    if "md" in targets:
        texts["md"] = render_news_markdown(data["title"], news)
    if "json" in targets:
        texts["json"] = json.dumps(
            {"story": story_id, "title": data["title"], **dataclasses.asdict(news)},
            ensure_ascii=False,
            indent=2,
        )
    return texts, targets


def write_atomically(target: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``target`` through a temporary file in the same folder and a
    rename: a run that fails or is killed leaves the old file or none, never a partial one."""
    target.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8", errors="backslashreplace")  # lone surrogates shown, not fatal
    descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # as a plain open() would create it
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@main.command()
@click.argument(
    "input_path",
    metavar="INPUT.jsonl[.gz]",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)
@click.option(
    "-o",
    "--output",
    "out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="JSONL file of briefs; stories already in it are skipped (resume).",
)
@_engine_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json"]),
    default="json",
    show_default=True,
    help="Format of each brief (JSON only).",
)
@_brief_options
@click.option(
    "--retry-failed",
    is_flag=True,
    help="Remove the error lines from OUT and run their stories again.",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar or failure messages on stderr.")
def batch(
    input_path: Path,
    out: Path,
    workers: int | None,
    engine: str,
    address: str | None,
    fmt: str,
    words: int,
    max_dates: int,
    parse_words: int,
    retry_failed: bool,
    quiet: bool,
) -> None:
    """One brief per story line of INPUT (JSONL, optionally gzipped).

    Each input line is a story: {"id": ..., "documents": [...]} (Multi-News) or
    {"id": ..., "articles": [{...}]}. Each output line is {"id": ..., "brief": {...}} (the
    brief as `storyline brief --format json` writes it) or, for a story that failed,
    {"id": ..., "error": "reason"}; failures are also reported on stderr. A line without an
    id gets the id "line-N". Lines are written as stories finish, in input order.

    Re-running with the same OUT resumes: ids already in OUT (briefs and errors) are skipped,
    and an unfinished last line from an interrupted run is removed (--retry-failed: errors
    are removed and run again).
    """
    _check_engine(engine, address)
    _route_warnings("storyline", show=False)  # per-article skips are listed in each brief
    _route_warnings("storyline.batch", show=not quiet)
    _route_warnings("storyline.engines", show=not quiet)

    from storyline.batch import run_batch
    from storyline.engines import EngineError

    try:
        result = run_batch(
            input_path,
            out,
            workers=workers,
            progress=not quiet,
            words=words,
            max_dates=max_dates,
            parse_words=parse_words or None,
            retry_failed=retry_failed,
            engine=engine,
            address=address,
        )
    except EngineError as error:
        raise click.ClickException(str(error)) from None
    if not quiet:
        click.echo(
            f"storyline: {result.written} briefs, {result.failed} failed, "
            f"{result.already_done} already in {out}"
            + (f", {result.duplicates} duplicate ids skipped" if result.duplicates else "")
            + (f" ({result.per_second:.2f} clusters/s)" if result.per_second else ""),
            err=True,
        )


@main.group(name="eval")
def evaluate() -> None:
    """Benchmark the summariser and the timeline builder against classic methods.

    Needs the eval extra: pip install "storyline[eval]".
    """


def _predictions_file(path: Path | None):  # -> contextlib.AbstractContextManager[IO | None]
    import contextlib

    if path is None:
        return contextlib.nullcontext(None)
    path.parent.mkdir(parents=True, exist_ok=True)
    return path.open("w", encoding="utf-8")


@evaluate.command(name="multinews")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--limit", type=click.IntRange(min=1), help="Only the first N clusters.")
@click.option(
    "--predictions",
    type=click.Path(dir_okay=False, path_type=Path),
    help='Write storyline\'s summaries here, one {"id", "summary"} JSON line per cluster.',
)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
def evaluate_multinews_command(
    file: Path, limit: int | None, predictions: Path | None, quiet: bool
) -> None:
    """ROUGE-1/2/Lsum F1 on a Multi-News JSONL(.gz) FILE: storyline, Lead, LexRank, TextRank,
    TF-IDF centroid and the greedy oracle, summaries cut at 230 words."""
    _route_warnings("storyline", show=False)
    from storyline.evaluate.multinews import evaluate_multinews

    with _predictions_file(predictions) as out:
        result = evaluate_multinews(file, limit=limit, predictions=out, progress=not quiet)
    click.echo(result.table())


@evaluate.command(name="timeline17")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--predictions",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write storyline's timelines here, one JSON line per reference timeline.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    help="Topics analysed at once, one process each (default: the cores, at most "
    f"{MAX_DEFAULT_WORKERS}).",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
def evaluate_timeline17_command(
    folder: Path, predictions: Path | None, workers: int | None, quiet: bool
) -> None:
    """Timeline metrics (tilse: align+ m:1 ROUGE-1/2, concat ROUGE-1/2, date F1) on FOLDER,
    one topic or a folder of topics in the Timeline17 layout: storyline against random
    dates and most-published dates."""
    _route_warnings("storyline", show=False)
    from storyline.evaluate.timeline17 import evaluate_timeline17, topic_folders

    if not topic_folders(folder):
        raise click.ClickException(
            f"{folder}: no topic folder with articles*.jsonl[.gz] and timelines.jsonl"
        )
    with _predictions_file(predictions) as out:
        result = evaluate_timeline17(folder, predictions=out, progress=not quiet, workers=workers)
    click.echo(result.table())


if __name__ == "__main__":  # pragma: no cover
    main()


@evaluate.command(name="stories")
@click.argument("file", type=click.Path(exists=True, path_type=Path))
@click.option("--limit", type=click.IntRange(min=1), help="Only the first N gold stories.")
@click.option("--no-baselines", is_flag=True, help="Score storyline's clustering only.")
def evaluate_stories_command(file: Path, limit: int | None, no_baselines: bool) -> None:
    """Story clustering on FILE, articles with a gold story: B-cubed and pairwise F1, stories
    found, CPU time per 1,000 articles, also on look-alike story pairs; against each article
    alone, TF-IDF average-linkage agglomerative clustering and a single-pass clusterer.

    FILE: JSONL(.gz) of articles with a "story" field, of clusters ({"id", "documents"}:
    Multi-News, documents mixed into one stream), or a Timeline17 folder (a story is a topic:
    the folder name before "_").
    """
    _route_warnings("storyline", show=False)
    from storyline.evaluate.stories import evaluate_stories

    result = evaluate_stories(file, limit=limit, baselines=not no_baselines)
    click.echo(result.table())


def _read_stdin() -> object:  # -> IngestResult
    """JSONL articles on standard input (``-``), each line read as a JSONL file's line."""
    import json

    from storyline.ingest import articles_from_record
    from storyline.model import IngestResult, SkippedInput

    result = IngestResult(articles=[], skipped=[])
    for number, line in enumerate(sys.stdin, 1):
        source = f"<stdin>:{number}"
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            item = SkippedInput(source, f"malformed JSON ({error.msg} at column {error.colno})")
            logging.getLogger("storyline").warning("skipped %s: %s", item.source, item.reason)
            result.skipped.append(item)
            continue
        found = articles_from_record(record, source)
        result.articles.extend(found.articles)
        result.skipped.extend(found.skipped)
    return result


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "-o",
    "--output",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for one brief per story (STORY.md, STORY.json) and the index (index.md, "
    "index.json).",
)
@click.option(
    "--assignments",
    type=click.Path(dir_okay=False, path_type=Path),
    help='Write one JSON line per input article: {"article", "story", "duplicate_of"}.',
)
@click.option(
    "--store",
    "store_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Keep articles, copies, stories and briefs in this SQLite file; a new run adds only "
    "new articles and rebuilds only the briefs of stories that changed.",
)
@click.option(
    "--no-briefs",
    is_flag=True,
    help="Only store and group the articles (briefs are built by the next run without it).",
)
@_engine_options
@_brief_options
@click.option("-q", "--quiet", is_flag=True, help="No progress or warnings on stderr.")
def stories(
    paths: tuple[str, ...],
    out_dir: Path | None,
    assignments: Path | None,
    store_path: Path | None,
    no_briefs: bool,
    words: int,
    max_dates: int,
    parse_words: int,
    engine: str,
    address: str | None,
    workers: int | None,
    quiet: bool,
) -> None:
    """Group the articles in PATHS into stories and brief each story.

    PATHS are what `storyline brief` reads (files, folders, globs; `-` for JSONL on standard
    input), a heap of articles about many stories. Copies of the same article are found first
    (they join their original's story); the rest are grouped by an online clusterer that
    weighs their words, names and publication dates.
    """
    _check_engine(engine, address)
    _route_warnings("storyline.engines", show=not quiet)
    _route_warnings("storyline", show=not quiet)
    from storyline.ingest import load_articles
    from storyline.model import IngestResult
    from storyline.store import Store
    from storyline.store.update import update, write_outputs

    files = [path for path in paths if path != "-"]
    ingested = load_articles(files, progress=not quiet) if files else IngestResult([], [])
    if "-" in paths:
        piped = _read_stdin()
        for article in piped.articles:  # ids stay unique across files and stdin
            article.id = f"a{len(ingested.articles) + 1}"
            ingested.articles.append(article)
        ingested.skipped.extend(piped.skipped)
    if not ingested.articles and store_path is None:
        reasons = "".join(f"\n  {s.source}: {s.reason}" for s in ingested.skipped)
        raise click.ClickException(f"no article could be read from the input{reasons}")

    def progress(story_id: str, number: int, total: int) -> None:
        if not quiet:
            click.echo(f"storyline: briefed {story_id} ({number}/{total})", err=True)

    from storyline.engines import EngineError

    with Store(store_path if store_path is not None else ":memory:") as store:
        try:
            run = update(
                store,
                ingested,
                briefs=not no_briefs,
                words=words,
                max_dates=max_dates,
                parse_words=parse_words or None,
                progress=progress,
                engine=engine,
                address=address,
                workers=workers,
            )
        except EngineError as error:
            raise click.ClickException(str(error)) from None
        if assignments is not None:
            import json

            lines = [
                json.dumps(
                    {"article": a.article, "story": a.story, "duplicate_of": a.duplicate_of},
                    ensure_ascii=False,
                )
                for a in run.assigned
            ]
            write_atomically(assignments, "\n".join(lines))
        written = write_outputs(store, out_dir) if out_dir is not None else 0
        if not quiet:
            click.echo(
                f"storyline: {len(run.assigned)} articles read, {run.new_articles} new, "
                f"{len({a.story for a in run.assigned})} stories among them, "
                f"{len(run.rebuilt)} briefs rebuilt"
                + (f", {len(run.failed)} failed" if run.failed else "")
                + (f"; {written} briefs in {safe_text(os.fsdecode(out_dir))}" if out_dir else ""),
                err=True,
            )


@main.command()
@click.option(
    "--store",
    "store_path",
    default="storyline.sqlite",
    show_default=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The store to serve (made by `storyline stories --store`; created when missing).",
)
@click.option(
    "--host",
    default=WEB_DEFAULT_HOST,
    show_default=True,
    help="Address to listen on. The app has no accounts: anyone who can reach it can read "
    "the stories and add articles, so keep it on 127.0.0.1 unless that is what you want.",
)
@click.option(
    "--port", default=WEB_DEFAULT_PORT, show_default=True, type=click.IntRange(min=0, max=65535)
)
@_brief_options
def serve(
    store_path: Path, host: str, port: int, words: int, max_dates: int, parse_words: int
) -> None:
    """A local web app over a story store: the story list with search (word, actor, place),
    each story's HTML report, what is new since a date, a form to add articles, and a JSON
    API (/api/stories...; documented at /docs). Needs the web extra:
    pip install "storyline[web]".
    """
    try:
        from storyline.web import serve as run
    except ImportError as error:
        raise click.ClickException(
            f'the web app needs the web extra: pip install "storyline[web]" ({error})'
        ) from None
    _route_warnings("storyline", show=False)  # an upload's skips are shown on its page
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(
            f"storyline: listening on {host}: anyone who can reach it can read and add "
            "articles (no accounts)",
            err=True,
        )
    click.echo(f"storyline: serving {safe_text(os.fsdecode(store_path))}", err=True)
    run(
        store_path,
        host=host,
        port=port,
        brief_options={
            "words": words,
            "max_dates": max_dates,
            "parse_words": parse_words or None,
        },
    )
