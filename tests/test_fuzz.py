"""Property-based and fuzz tests (Hypothesis) of ingest and the whole brief.

Seeded and derandomized (the same cases on every run and machine, so CI is reproducible) and
bounded: each test has a fixed number of cases (``CASES``; docs/reliability.md lists them) and
no per-case deadline, since the machine is shared. Properties: reading never raises on
content; every input line is accounted for (an article or a skip entry naming it); article
text and fields carry no control characters, bidi overrides or lone surrogates; a brief of
fuzzed input mixed with a real article exits normally with that article analysed.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import storyline
from storyline.ingest import articles_from_record, load_articles
from storyline.ingest.clean import clean_text
from storyline.ingest.sanitise import safe_text
from storyline.render import brief_to_dict, render_markdown

CASES = {"text": 300, "jsonl": 120, "bytes": 150, "html": 60, "brief": 8}
_UNSAFE = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
GOOD_TEXT = (
    "Forces loyal to Khalifa Haftar entered the port of Derna on Monday after a siege of "
    "several months, officials said. The army said it controlled the naval base."
)


def _fuzz(cases: int):
    return settings(
        max_examples=cases,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )


# Text with every kind of character: controls, surrogates, bidi overrides, escapes, emoji.
_NASTY = st.sampled_from(
    ["\x00", "\x07", "\x08", "\x1b[31m", "\x1b]0;title\x07", "\u202e", "\u2066", "\ud800",
     "\udfff", "\ufeff", "\u00ad", "\r", "\r\n", "\x0c", "\x85", "\u2028", "&lt;script&gt;",
     "<img src=x onerror=alert(1)>", "|", "`", "[x](javascript:1)", "\t", " ", "\n\n"]
)  # fmt: skip
TEXT = st.lists(st.one_of(st.text(max_size=40), _NASTY), max_size=25).map("".join)
WORDS = st.lists(
    st.sampled_from(["Derna", "army", "said", "port", "on", "Monday", "the", "siege", "of"]),
    min_size=0,
    max_size=30,
).map(" ".join)
JSON_SCALAR = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), TEXT, WORDS
)
JSON_VALUE = st.recursive(
    JSON_SCALAR,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
FIELD = st.sampled_from(
    ["text", "body", "content", "title", "date", "url", "link", "id", "source", "outlet",
     "documents", "articles", "published", "headline", "_id"]
)  # fmt: skip
RECORD = st.dictionaries(FIELD, st.one_of(JSON_VALUE, TEXT, WORDS), max_size=6)


@_fuzz(CASES["text"])
@given(TEXT)
def test_safe_text_leaves_nothing_unsafe_and_is_idempotent(text: str) -> None:
    safe = safe_text(text)
    assert not _UNSAFE.search(safe)
    assert safe_text(safe) == safe
    cleaned, _ = clean_text(safe)  # cleaning never raises on any text
    assert isinstance(cleaned, str)


@_fuzz(CASES["jsonl"])
@given(st.lists(st.one_of(RECORD.map(json.dumps), TEXT, JSON_VALUE.map(json.dumps)), max_size=6))
def test_jsonl_lines_are_all_accounted_for(tmp_path_factory, lines: list[str]) -> None:
    folder = tmp_path_factory.mktemp("jsonl")
    path = folder / "input.jsonl"
    # One line per item: a text item's own line breaks would make more lines than items.
    rows = [" ".join(line.split("\n")).replace("\r", " ") for line in lines]
    path.write_bytes("\n".join(rows).encode("utf-8", errors="surrogatepass"))
    result = load_articles([path])
    for article in result.articles:
        assert not _UNSAFE.search(article.text + (article.title or "") + article.source)
        assert article.text.strip()
    mentioned = re.compile(rf"^{re.escape(str(path))}:(\d+)")
    numbers = {
        int(found.group(1))
        for item in [*result.skipped, *result.articles]
        if (found := mentioned.match(item.source))
    }
    lines_with_content = {
        number
        for number, row in enumerate(rows, start=1)
        if re.search(rb"[^ \t\r\n\x0b\x0c]", row.encode("utf-8", errors="surrogatepass"))
    }
    assert numbers == lines_with_content
    if not lines_with_content:
        assert [item.reason for item in result.skipped] in (
            ["whitespace-only file"],
            ["empty file"],
        )


@_fuzz(CASES["jsonl"])
@given(RECORD)
def test_a_record_never_raises(record: dict) -> None:
    result = articles_from_record(record, "record:1")
    assert result.articles or result.skipped
    for article in result.articles:
        assert not _UNSAFE.search(article.text)


_CODECS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1252", "latin-1",
           "shift_jis", "koi8-r", "gb18030"]  # fmt: skip


@_fuzz(CASES["bytes"])
@given(
    st.one_of(
        st.binary(max_size=400),
        st.tuples(st.one_of(TEXT, WORDS), st.sampled_from(_CODECS)).map(
            lambda pair: pair[0].encode(pair[1], errors="ignore")
        ),
        st.tuples(st.binary(max_size=100), WORDS).map(
            lambda pair: pair[1].encode() + b"\n" + pair[0] + b"\n" + pair[1].encode()
        ),
    ),
    st.sampled_from(["a.txt", "a.html", "a.json", "a.jsonl", "a", "a.txt.gz"]),
)
def test_any_bytes_in_any_file_give_articles_or_a_reason(
    tmp_path_factory, data: bytes, name: str
) -> None:
    path = tmp_path_factory.mktemp("bytes") / name
    path.write_bytes(data)
    result = load_articles([path])
    assert result.articles or result.skipped
    for item in result.skipped:
        assert item.reason and item.source.startswith(str(path))
    for article in result.articles:
        assert not _UNSAFE.search(article.text + (article.title or ""))


_TAGS = st.sampled_from(["p", "div", "script", "style", "nav", "a", "article", "h1", "title",
                         "li", "iframe", "noscript", "svg", "img"])  # fmt: skip
HTML = st.recursive(
    st.one_of(TEXT, WORDS, st.sampled_from(["&amp;", "&lt;", "&#0;", "&#xd800;", "<!--", "]]>"])),
    lambda children: st.tuples(_TAGS, st.lists(children, max_size=3)).map(
        lambda pair: f"<{pair[0]}>{''.join(pair[1])}</{pair[0]}>"
    ),
    max_leaves=10,
).map(lambda body: f"<html><head><title>x</title></head><body>{body}</body></html>")


@_fuzz(CASES["html"])
@given(HTML)
def test_html_fragments_never_raise(tmp_path_factory, html: str) -> None:
    path = tmp_path_factory.mktemp("html") / "page.html"
    path.write_bytes(html.encode("utf-8", errors="surrogatepass"))
    result = load_articles([path])
    assert result.articles or result.skipped
    for article in result.articles:
        assert not _UNSAFE.search(article.text + (article.title or ""))


@_fuzz(CASES["brief"])
@given(lines=st.lists(st.one_of(RECORD.map(json.dumps), TEXT), min_size=1, max_size=4), html=HTML)
def test_a_brief_of_fuzzed_input_keeps_the_good_article(
    tmp_path_factory, lines: list[str], html: str, seed_dir: Path
) -> None:
    folder = tmp_path_factory.mktemp("brief")
    shutil.copy(seed_dir / "001_f4de3afd4f13f531.txt", folder / "good.txt")
    rows = [" ".join(line.split("\n")).replace("\r", " ") for line in lines]
    good = json.dumps({"id": "good-line", "text": GOOD_TEXT})
    (folder / "feed.jsonl").write_bytes(
        "\n".join([*rows, good]).encode("utf-8", errors="surrogatepass")
    )
    (folder / "page.html").write_bytes(html.encode("utf-8", errors="surrogatepass"))
    result = storyline.brief(folder, words=60, max_dates=5)
    sources = {article.source for article in result.articles}
    assert str(folder / "good.txt") in sources
    assert any(article.input_id == "good-line" for article in result.articles)
    markdown = render_markdown(result)
    assert not _UNSAFE.search(markdown) and "<script" not in markdown.lower()
    data = brief_to_dict(result)
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
