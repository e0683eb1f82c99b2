"""WARC input (Common Crawl's news crawl layout): a small archive built here from the real
example articles, as HTML responses beside the records a crawl also holds (requests, metadata,
errors, redirects, images, revisits)."""

from __future__ import annotations

import gzip
import html
import io
import json
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from storyline.ingest import load_articles
from storyline.ingest.readers import read_inputs
from storyline.model import RawDocument, SkippedInput

CRAWLED = "2018-05-23T14:02:11Z"


@dataclass
class Page:
    url: str
    title: str
    outlet: str
    paragraphs: list[str]

    def html(self) -> str:
        body = "".join(f"<p>{html.escape(paragraph)}</p>\n" for paragraph in self.paragraphs)
        return (
            f"<!DOCTYPE html><html><head><title>{html.escape(self.title)} | {self.outlet}</title>"
            f'<meta property="og:site_name" content="{self.outlet}"></head><body>'
            '<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li></ul></nav>'
            f"<article><h1>{html.escape(self.title)}</h1>\n{body}</article>"
            f"<footer><p>Copyright 2018 {self.outlet}. All rights reserved.</p></footer>"
            "</body></html>"
        )


def _page(seed_dir: Path, prefix: str, url: str, outlet: str) -> Page:
    """A news page holding one real example article: its headline line, then its paragraphs
    of real prose (lines of 12+ words, once each: the scraped menus are left out)."""
    (path,) = seed_dir.glob(f"{prefix}_*.txt")
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    prose = list(dict.fromkeys(line for line in lines if len(line.split()) >= 12))
    title = next(line for line in lines if 4 <= len(line.split()) < 15)
    return Page(url, title, outlet, prose)


@dataclass
class Crawl:
    path: Path
    pages: dict[str, Page]  # url -> page, the HTML responses that hold articles
    record_ids: dict[str, str]  # url -> WARC-Record-ID of its response


def _http(status: str, headers: list[tuple[str, str]]) -> StatusAndHeaders:
    return StatusAndHeaders(status, headers, protocol="HTTP/1.1")


def _write_crawl(path: Path, seed_dir: Path, *, gzipped: bool = True) -> Crawl:
    pages = {
        "utf8": _page(
            seed_dir, "001", "https://www.jordantimes.com/news/region/derna", "Jordan Times"
        ),
        "gzip": _page(
            seed_dir, "003", "https://thearabweekly.com/haftar-moves-derna", "The Arab Weekly"
        ),
        "cp1252": _page(
            seed_dir, "004", "https://example-news.org/derna-offensive", "Example News"
        ),
    }
    record_ids: dict[str, str] = {}
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=gzipped)
        writer.write_record(
            writer.create_warcinfo_record("crawl.warc.gz", {"software": "storyline tests"})
        )

        def response(url: str, status: str, headers: list[tuple[str, str]], payload: bytes) -> None:
            writer.write_record(
                writer.create_warc_record(
                    url,
                    "request",
                    payload=io.BytesIO(f"GET {url} HTTP/1.1\r\n\r\n".encode()),
                    warc_headers_dict={"WARC-Date": CRAWLED},
                )
            )
            record = writer.create_warc_record(
                url,
                "response",
                payload=io.BytesIO(payload),
                http_headers=_http(status, headers),
                warc_headers_dict={"WARC-Date": CRAWLED},
            )
            record_ids[url] = record.rec_headers.get_header("WARC-Record-ID")
            writer.write_record(record)

        utf8 = pages["utf8"]
        response(
            utf8.url,
            "200 OK",
            [("Content-Type", "text/html; charset=utf-8")],
            utf8.html().encode("utf-8"),
        )
        response(
            "https://www.jordantimes.com/missing",
            "404 Not Found",
            [("Content-Type", "text/html")],
            b"<html><body><h1>Page not found</h1></body></html>",
        )
        compressed = pages["gzip"]
        response(
            compressed.url,
            "200 OK",
            [("Content-Type", "text/html"), ("Content-Encoding", "gzip")],
            gzip.compress(compressed.html().encode("utf-8")),
        )
        response(
            "http://thearabweekly.com/haftar",
            "301 Moved Permanently",
            [("Location", compressed.url), ("Content-Type", "text/html")],
            b"",
        )
        response(
            "https://thearabweekly.com/photo.jpg",
            "200 OK",
            [("Content-Type", "image/jpeg")],
            b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(200),
        )
        legacy = pages["cp1252"]
        response(
            legacy.url,
            "200 OK",
            [("Content-Type", "text/html; charset=ISO-8859-1")],
            legacy.html().encode("cp1252"),
        )
        response(
            "https://example-news.org/shell",
            "200 OK",
            [("Content-Type", "text/html")],
            b"<html><head><script>var a = 1;</script></head><body><script>go()</script></body>"
            b"</html>",
        )
        writer.write_record(
            writer.create_warc_record(
                utf8.url,
                "metadata",
                payload=io.BytesIO(b"fetchTimeMs: 112\r\n"),
                warc_content_type="application/warc-fields",
            )
        )
        revisit = writer.create_revisit_record(
            utf8.url,
            digest="sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            refers_to_uri=utf8.url,
            refers_to_date=CRAWLED,
        )
        writer.write_record(revisit)
    return Crawl(path, {page.url: page for page in pages.values()}, record_ids)


@pytest.fixture
def crawl(tmp_path: Path, seed_dir: Path) -> Crawl:
    return _write_crawl(tmp_path / "crawl.warc.gz", seed_dir)


def _reasons(skipped: list[SkippedInput]) -> list[str]:
    return [item.reason for item in skipped]


def test_html_responses_become_articles_with_the_record_url_date_and_id(crawl: Crawl) -> None:
    result = load_articles([crawl.path])
    assert [article.url for article in result.articles] == list(crawl.pages)
    for article in result.articles:
        page = crawl.pages[article.url]
        assert article.retrieved == CRAWLED
        assert article.input_id == crawl.record_ids[article.url]
        assert article.outlet == page.outlet
        assert article.title == page.title
        # Every paragraph is in the text but for what cleaning removed and listed (datelines,
        # photo credits, a repeated caption): nothing is dropped silently.
        text = " ".join(article.text.split())
        for paragraph in page.paragraphs:
            for removed in article.removed:
                paragraph = paragraph.replace(removed.text, " ")
            assert " ".join(paragraph.split()) in text
        assert "Home" not in article.text and "Copyright" not in article.text
        # The source names the record by its byte offset: reading there gives its response.
        name, _, offset = article.source.rpartition("@")
        assert name == str(crawl.path)
        with open(crawl.path, "rb") as handle:
            handle.seek(int(offset))
            record = next(iter(ArchiveIterator(handle)))
        assert record.rec_type == "response"
        assert record.rec_headers.get_header("WARC-Target-URI") == article.url
    # windows-1252 labelled ISO-8859-1 (as browsers read it): the curly quotes survive.
    legacy = next(article for article in result.articles if "example-news" in (article.url or ""))
    assert legacy.encoding == "cp1252"
    assert any(mark in legacy.text for mark in "’“”")


def test_records_that_are_not_articles_are_listed_with_their_reason(crawl: Crawl) -> None:
    result = load_articles([crawl.path])
    reasons = _reasons(result.skipped)
    expected = [
        "HTTP 404 response, not a page (https://www.jordantimes.com/missing)",
        "HTTP 301 response, not a page (http://thearabweekly.com/haftar)",
        "not an HTML page (Content-Type image/jpeg) (https://thearabweekly.com/photo.jpg)",
        "no main text found in HTML (https://example-news.org/shell)",
        "revisit record, no page stored (a repeat of an earlier capture) "
        "(https://www.jordantimes.com/news/region/derna)",
        "WARC records that hold no page, not read: 1 metadata, 7 request, 1 warcinfo",
    ]
    assert sorted(reasons) == sorted(expected)
    assert all(item.source.startswith(str(crawl.path)) for item in result.skipped)


def test_a_page_is_extracted_as_the_same_html_file_would_be(crawl: Crawl, tmp_path: Path) -> None:
    from_warc = load_articles([crawl.path]).articles
    folder = tmp_path / "pages"
    folder.mkdir()
    for number, page in enumerate(crawl.pages.values()):
        (folder / f"{number}.html").write_text(page.html(), encoding="utf-8")
    from_files = load_articles([folder]).articles
    assert [article.text for article in from_warc] == [article.text for article in from_files]
    assert [article.title for article in from_warc] == [article.title for article in from_files]


def test_streamed_record_by_record_past_the_size_limit_of_a_whole_file(crawl: Crawl) -> None:
    size = crawl.path.stat().st_size
    largest = max(len(page.html().encode("utf-8")) for page in crawl.pages.values())
    # A limit below the file's size but above every page: the file is still read.
    documents = [
        item
        for item in read_inputs([crawl.path], max_bytes=largest + 10)
        if isinstance(item, RawDocument)
    ]
    assert largest + 10 < size
    assert len(documents) == 3
    # Below one page's size, that page is skipped with the limit, the others are read.
    smallest = min(len(page.html().encode("utf-8")) for page in crawl.pages.values())
    items = list(read_inputs([crawl.path], max_bytes=smallest))
    assert sum(isinstance(item, RawDocument) for item in items) == 1
    assert sum("page too large" in getattr(item, "reason", "") for item in items) == 2


def test_plain_whole_gzipped_and_cut_short_warc_files(tmp_path: Path, seed_dir: Path) -> None:
    plain = _write_crawl(tmp_path / "plain.warc", seed_dir, gzipped=False)
    assert len(load_articles([plain.path]).articles) == 3
    # gzip of the whole file (not one member per record, as Common Crawl writes it).
    whole = tmp_path / "whole.warc.gz"
    whole.write_bytes(gzip.compress(plain.path.read_bytes()))
    assert len(load_articles([whole]).articles) == 3
    # Found by content without the suffix.
    unnamed = tmp_path / "download.bin"
    unnamed.write_bytes(_write_crawl(tmp_path / "x.warc.gz", seed_dir).path.read_bytes())
    assert len(load_articles([unnamed]).articles) == 3
    # Cut in the middle of the cp1252 page's record: the records before it are read, and the
    # cut is named.
    data = (tmp_path / "x.warc.gz").read_bytes()
    with open(tmp_path / "x.warc.gz", "rb") as handle:
        records = ArchiveIterator(handle)
        starts = [
            records.offset
            for record in records
            if record.rec_type == "response"
            and record.rec_headers.get_header("WARC-Target-URI").endswith("/derna-offensive")
        ]
    cut_at = starts[0] + 400
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data[:cut_at])
    result = load_articles([cut])
    assert len(result.articles) == 2
    assert f"{cut}@{starts[0]}" in [item.source for item in result.skipped]
    assert "the file ends inside this record (cut short)" in _reasons(result.skipped)
    # Broken headers and files that only look like WARC: one reason each, never an exception.
    head = b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: "
    broken = {
        "no_type.warc": b"WARC/1.0\r\nnonsense\r\n\r\n" + zlib.compress(b"x" * 100),
        "bad_length.warc": head + b"99999999999\r\n\r\nab",
        "not_http.warc": head + b"9e9\r\n\r\nab",
        "not_gzip.warc.gz": b"\x1f\x8b\x08\x00garbage",
    }
    for name, content in broken.items():
        (tmp_path / name).write_bytes(content)
    skipped = load_articles([tmp_path / name for name in broken]).skipped
    assert [(Path(item.source).name, item.reason.split(" (")[0]) for item in skipped] == [
        ("no_type.warc@0", "not a WARC record"),
        ("bad_length.warc@0", "corrupt WARC file from here on"),
        ("not_http.warc@0", "not an HTTP response"),
        ("not_gzip.warc.gz", "not a WARC file"),
    ]


def test_a_brief_of_a_warc_file_cites_its_pages(crawl: Crawl) -> None:
    from storyline import brief
    from storyline.render import render_json

    data = json.loads(render_json(brief(crawl.path)))
    urls = [source["url"] for source in data["sources"]]
    assert urls == list(crawl.pages)
    assert {source["retrieved"] for source in data["sources"]} == {CRAWLED}
    texts = {source["id"]: source["text"] for source in data["sources"]}
    assert data["summary"]
    for sentence in data["summary"]:
        cited = sentence["citation"]
        assert texts[cited["article"]][cited["start"] : cited["end"]] == sentence["text"]
    assert any("HTTP 404" in item["reason"] for item in data["skipped"])
