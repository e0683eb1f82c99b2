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
@click.argument("paths", nargs=-1, required=True)
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
@click.option("-q", "--quiet", is_flag=True, help="No progress bar or warnings on stderr.")
def brief(
    paths: tuple[str, ...],
    fmt: str,
    out: Path | None,
    words: int,
    max_dates: int,
    parse_words: int,
    workers: int | None,
    quiet: bool,
) -> None:
    """Build the brief of the articles in PATHS (files, folders or globs).

    Reads .txt, .html/.htm and .jsonl(.gz) (one article per line, or Multi-News cluster
    lines with "documents"). Unreadable inputs are skipped with a message and listed in the
    brief.
    """
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
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(min=1),
    help="Processes, each with its own spaCy pipeline.",
)
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
    workers: int,
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
    _route_warnings("storyline", show=False)  # per-article skips are listed in each brief
    _route_warnings("storyline.batch", show=not quiet)

    from storyline.batch import run_batch

    result = run_batch(
        input_path,
        out,
        workers=workers,
        progress=not quiet,
        words=words,
        max_dates=max_dates,
        parse_words=parse_words or None,
        retry_failed=retry_failed,
    )
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
