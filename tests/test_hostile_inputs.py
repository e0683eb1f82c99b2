"""Hostile and broken input (issue 9): the committed corpus in tests/data/hostile/ and inputs
made here (too big to commit, or file system objects), mixed with good articles. Every good
article is analysed, every bad input is listed with the reason, the run exits 0, and nothing
from article text reaches the Markdown as live HTML or the terminal as a control sequence."""

from __future__ import annotations

import gzip
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

import storyline
from storyline import settings
from storyline.cli import main
from storyline.ingest import load_articles
from storyline.render import render_markdown

HOSTILE = Path(__file__).resolve().parent / "data" / "hostile"
SCHEMA = Path(__file__).resolve().parent.parent / "src" / "storyline" / "schema"
GOOD = ("001_f4de3afd4f13f531.txt", "002_15e226d91572ecee.txt")
# Corpus file (or file:line) -> words its skip reason must hold.
SKIPPED = {
    "deep_nesting.jsonl:1": "nested too deeply",
    "huge_number.jsonl:1": "malformed JSON",
    "not_objects.jsonl:1": "not a JSON object",
    "not_objects.jsonl:2": "not a JSON object",
    "not_objects.jsonl:3": "not a JSON object",
    "not_objects.jsonl:4#1#1#1": "nested more than 3 deep",
    "french.txt": "not in English (language detected: fr",
    "navigation_only.html": "not an article",
    "numbers_only.txt": "numbers and symbols only",
}
ANALYSED = {
    "html_injection.html",
    "mixed_encoding.txt",
    "surrogates_and_controls.jsonl:1",
    "terminal_escapes.txt",
    "utf16_no_bom.txt",
    "with_ids.jsonl:1",
    "with_ids.jsonl:2",
}
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _run_cli(args: list[str]):
    """The CLI in this process, with the loggers put back as other tests expect them."""
    loggers = [logging.getLogger(name) for name in ("storyline", "storyline.batch")]
    saved = [(logger.handlers[:], logger.propagate) for logger in loggers]
    try:
        return CliRunner().invoke(main, args)
    finally:
        for logger, (handlers, propagate) in zip(loggers, saved):
            logger.handlers, logger.propagate = handlers, propagate


@pytest.fixture(scope="module")
def mixed_run(tmp_path_factory: pytest.TempPathFactory, seed_dir: Path):
    """The corpus and two real articles briefed by the CLI, as Markdown and JSON."""
    folder = tmp_path_factory.mktemp("hostile") / "input"
    shutil.copytree(HOSTILE, folder)
    for name in GOOD:
        shutil.copy(seed_dir / name, folder / name)
    out = folder.parent / "brief"
    result = _run_cli(["brief", str(folder), "--format", "both", "-o", str(out), "-q"])
    return folder, result, out


def _name(source: str, folder: Path) -> str:
    return source.removeprefix(str(folder) + os.sep)


def test_mixed_hostile_input_exits_0_and_accounts_for_everything(mixed_run) -> None:
    folder, result, out = mixed_run
    assert result.exit_code == 0, result.output
    data = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    jsonschema.validate(data, json.loads((SCHEMA / "brief.schema.json").read_text()))
    analysed = {_name(source["source"], folder) for source in data["sources"]}
    assert analysed == ANALYSED | set(GOOD)
    skipped = {_name(item["source"], folder): item["reason"] for item in data["skipped"]}
    assert set(skipped) == set(SKIPPED)
    for source, words in SKIPPED.items():
        assert words in skipped[source], (source, skipped[source])
    (french,) = [item for item in data["skipped"] if item["source"].endswith("french.txt")]
    assert french["language"] == "fr"
    # Every real article is analysed: it contributes sentences and is in English.
    for source in data["sources"]:
        assert source["language"] == "en" and source["words_kept"] > 10
    # Page furniture and numbers never title the brief.
    assert data["title"] not in ("Home", "2018") and re.search(r"[A-Za-z]{3}", data["title"])


def test_no_article_text_reaches_markdown_as_html_or_control_sequences(mixed_run) -> None:
    _, _, out = mixed_run
    markdown = out.with_suffix(".md").read_text(encoding="utf-8")
    assert not _CONTROL.search(markdown)
    assert "<script" not in markdown.lower() and "<img" not in markdown.lower()
    assert "](javascript:" not in markdown
    data = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    for source in data["sources"]:
        assert not _CONTROL.search(source["text"] + (source["title"] or ""))
    (page,) = [s for s in data["sources"] if s["source"].endswith("html_injection.html")]
    assert "<script>alert(1)</script>" in page["text"]  # the JSON keeps the text as it is


def test_markdown_shows_html_in_article_text_as_text() -> None:
    result = storyline.brief(HOSTILE / "html_injection.html")
    markdown = render_markdown(result)
    assert "<script" not in markdown and "<img" not in markdown
    # Still readable, as text: the summary quotes the sentences that held the markup.
    assert "Monday &lt;script&gt;alert(1)&lt;/script&gt; after a siege" in markdown
    assert "&lt;img src=x onerror=alert(2)&gt;" in markdown
    assert "](javascript:" not in markdown


def test_encodings_are_decided_per_line_and_ids_are_kept(mixed_run) -> None:
    folder, _, out = mixed_run
    data = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    by_name = {_name(source["source"], folder): source for source in data["sources"]}
    mixed = by_name["mixed_encoding.txt"]
    assert mixed["encoding"] == "utf-8+cp1252" and "mixed encodings" in mixed["warnings"][0]
    assert "Haftar’s army" in mixed["title"] and "the “siege” had cut" in mixed["text"]
    utf16 = by_name["utf16_no_bom.txt"]
    assert utf16["encoding"] == "utf-16-le" and "army’s spokesman" in utf16["text"]
    assert by_name["with_ids.jsonl:1"]["input_id"] == "wire-123"
    assert by_name["with_ids.jsonl:1"]["url"] == "https://example.org/derna-port"
    assert by_name["with_ids.jsonl:2"]["input_id"] == "42"
    assert by_name["with_ids.jsonl:2"]["url"] == "https://example.org/derna-water"
    assert by_name[GOOD[0]]["input_id"] is None
    markdown = out.with_suffix(".md").read_text(encoding="utf-8")
    assert "(wire-123)" in markdown and "https://example.org/derna-port" in markdown


def test_limits_give_skip_entries_quickly(tmp_path: Path, seed_dir: Path) -> None:
    folder = tmp_path / "big"
    folder.mkdir()
    shutil.copy(seed_dir / GOOD[0], folder)
    # One word of 600,000 letters: no sentence break anywhere (spaCy's E088 past 1,000,000).
    (folder / "blob.txt").write_text("x" * (settings.MAX_ARTICLE_CHARS + 100_000))
    with gzip.open(folder / "blank.jsonl.gz", "wb", compresslevel=1) as handle:
        handle.write(b"\n" * (40 * 1024 * 1024))
    with gzip.open(folder / "long_line.jsonl.gz", "wb", compresslevel=1) as handle:
        handle.write(b'{"text": "' + b"a " * (settings.MAX_LINE_BYTES // 2 + 10) + b'"}\n')
        good_line = {"id": "after", "text": "Fighting resumed in Derna on Friday, residents said."}
        handle.write(json.dumps(good_line).encode() + b"\n")
    started = time.perf_counter()
    result = load_articles([folder])
    seconds = time.perf_counter() - started
    skipped = {Path(item.source).name: item.reason for item in result.skipped}
    assert "article too long (600,000 characters" in skipped["blob.txt"]
    assert skipped["blank.jsonl.gz"] == "whitespace-only file"
    assert "line too long" in skipped["long_line.jsonl.gz:1"]
    assert {Path(a.source).name for a in result.articles} == {GOOD[0], "long_line.jsonl.gz:2"}
    assert seconds < 20, f"limits must be cheap: {seconds:.1f} s"


def test_file_system_oddities_are_listed(tmp_path: Path, seed_dir: Path) -> None:
    folder = tmp_path / "fs"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(seed_dir / GOOD[0], folder / "sub" / "good.txt")
    os.symlink("missing.txt", folder / "dangling.txt")
    os.symlink("loop_b.txt", folder / "loop_a.txt")
    os.symlink("loop_a.txt", folder / "loop_b.txt")
    os.symlink("..", folder / "sub" / "parent")  # a folder loop
    os.mkfifo(folder / "pipe.txt")  # reading it would block forever
    latin1_name = os.fsdecode(b"caf\xe9.txt")  # not valid UTF-8
    shutil.copy(seed_dir / GOOD[1], folder / latin1_name)
    result = load_articles([folder])
    skipped = {item.source.removeprefix(str(folder) + "/"): item.reason for item in result.skipped}
    assert skipped == {
        "dangling.txt": "broken symbolic link (its target does not exist)",
        "loop_a.txt": "symbolic link loop",
        "loop_b.txt": "symbolic link loop",
        "pipe.txt": "not a regular file (named pipe)",
        "sub/parent": "symbolic link loop (a folder already read)",
    }
    sources = sorted(a.source.removeprefix(str(folder) + "/") for a in result.articles)
    assert sources == ["caf\\xe9.txt", "sub/good.txt"]
    # A non-UTF-8 file name in, a non-UTF-8 output name out: written, nothing half-done.
    out = tmp_path / os.fsdecode(b"br\xefef.json")
    run = _run_cli(["brief", str(folder / latin1_name), "--format", "json", "-o", str(out)])
    assert run.exit_code == 0, run.output
    assert json.loads(out.read_text(encoding="utf-8"))["sources"][0]["source"].endswith(
        "caf\\xe9.txt"
    )
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_unreadable_folder_is_listed(seed_dir: Path) -> None:
    """Read without the right to read every folder (as root: with the capabilities that
    bypass file permissions dropped, by util-linux's setpriv): the unreadable subfolder is a
    skip entry, not an "empty folder", and the readable article is still read."""
    base = Path(tempfile.mkdtemp(prefix="storyline-perm-"))
    folder = base / "story"
    (folder / "locked").mkdir(parents=True)
    shutil.copy(seed_dir / GOOD[0], folder / "good.txt")
    shutil.copy(seed_dir / GOOD[1], folder / "locked" / "hidden.txt")
    for path in (folder, folder / "good.txt"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    (folder / "locked").chmod(0)
    script = (
        "import json, sys\n"
        "from storyline.ingest import load_articles\n"
        "r = load_articles([sys.argv[1]])\n"
        "print(json.dumps({'articles': [a.source for a in r.articles],"
        " 'skipped': [[s.source, s.reason] for s in r.skipped]}))\n"
    )
    command = [sys.executable, "-c", script, str(folder)]
    if os.geteuid() == 0:
        drop = "-dac_override,-dac_read_search"
        command = ["setpriv", f"--bounding-set={drop}", f"--inh-caps={drop}", *command]
    try:
        run = subprocess.run(command, capture_output=True, text=True)
    finally:
        (folder / "locked").chmod(0o755)
        shutil.rmtree(base)
    assert run.returncode == 0, run.stderr
    found = json.loads(run.stdout.splitlines()[-1])
    assert found["articles"] == [str(folder / "good.txt")]
    assert found["skipped"] == [[str(folder / "locked"), "unreadable folder (Permission denied)"]]


def test_api_raises_clear_documented_errors(tmp_path: Path) -> None:
    with pytest.raises(storyline.NoArticlesError, match="no input was given") as empty:
        storyline.brief([])
    assert empty.value.skipped == []
    with pytest.raises(storyline.NoArticlesError, match="nonexistent: path not found") as missing:
        storyline.brief(tmp_path / "nonexistent")
    assert [item.reason for item in missing.value.skipped] == ["path not found"]
    with pytest.raises(TypeError, match="a path or an iterable of paths"):
        storyline.brief(None)  # type: ignore[arg-type]
    for arguments, message in (
        ({"words": -5}, "words must be at least 10"),
        ({"max_dates": 0}, "max_dates must be at least 1"),
        ({"parse_words": -1}, "parse_words must be at least 0"),
        ({"workers": 0}, "workers must be at least 1"),
        ({"words": "150"}, "words must be an integer"),
    ):
        with pytest.raises(storyline.BriefArgumentError, match=message):
            storyline.brief(HOSTILE, **arguments)
    # The CLI says the same, exits 1 and writes nothing.
    out = tmp_path / "none.md"
    run = _run_cli(["brief", str(tmp_path / "nonexistent"), "-o", str(out)])
    assert run.exit_code == 1 and "path not found" in run.output and not out.exists()
