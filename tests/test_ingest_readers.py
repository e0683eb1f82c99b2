"""Readers: every kind of input, good and bad, through ``load_articles`` / ``read_inputs``."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import logging
import os
from pathlib import Path

import pytest

from storyline.ingest import load_articles
from storyline.ingest.readers import detokenize_ptb, read_inputs
from storyline.model import RawDocument, SkippedInput

# Real text: the lead of the seed article 001 (Jordan Times / AFP, 23 May 2018).
LEAD = (
    "Strongman Khalifa Haftar's self-proclaimed Libyan National Army said on Wednesday it was "
    "tightening the noose on the last militant bastion in the country's east after breaking "
    "through the suburbs of Derna."
)
SECOND = (
    'Haftar launched an offensive on May 7 to "liberate" the eastern coastal city, home to '
    "about 150,000 people and held by hardline fighters since the fall of Muammar Qaddafi in 2011."
)
HTML_PAGE = f"""<!DOCTYPE html>
<html><head><title>Haftar forces in Libya tighten noose on Derna militants | Jordan Times</title>
<meta property="og:site_name" content="Jordan Times">
<meta property="article:published_time" content="2018-05-23T10:00:00Z"></head>
<body><nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li></ul></nav>
<article><h1>Haftar forces in Libya tighten noose on Derna militants</h1>
<p>BENGHAZI, Libya &mdash; {LEAD}</p><p>{SECOND}</p></article>
<footer><p>Copyright 2018 Jordan Times. All rights reserved.</p></footer></body></html>"""


def skipped_reason(result_skipped: list[SkippedInput], source_end: str) -> str:
    reasons = [item.reason for item in result_skipped if item.source.endswith(source_end)]
    assert len(reasons) == 1, result_skipped
    return reasons[0]


def test_seed_folder_loads_in_sorted_order_with_relative_sources(seed_dir, monkeypatch):
    monkeypatch.chdir(seed_dir.parent.parent)
    result = load_articles(["examples/derna"])
    assert [article.id for article in result.articles] == ["a1", "a2", "a3", "a4", "a5"]
    sources = [article.source for article in result.articles]
    assert sources == sorted(sources)
    assert all(source.startswith("examples/derna/") for source in sources)
    assert sources[0].endswith("000_3fc2ebfb8795452d.txt")
    assert result.skipped == []
    assert {article.encoding for article in result.articles} == {"utf-8"}


def test_empty_whitespace_binary_and_nul_files_are_skipped_with_reasons(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_bytes(b"  \n\n\t \r\n")
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj")
    (tmp_path / "data.bin").write_bytes(b"abc\x00\x01\x02def" * 20)
    (tmp_path / "good.txt").write_text(f"{LEAD}\n\n{SECOND}\n", encoding="utf-8")
    result = load_articles([tmp_path])
    assert [article.source for article in result.articles] == [str(tmp_path / "good.txt")]
    assert skipped_reason(result.skipped, "empty.txt") == "empty file"
    assert skipped_reason(result.skipped, "blank.txt") == "whitespace-only file"
    assert "PNG" in skipped_reason(result.skipped, "image.txt")
    assert "PDF" in skipped_reason(result.skipped, "report.pdf")
    assert "binary" in skipped_reason(result.skipped, "data.bin")


def test_cp1252_latin1_and_bom_files_are_decoded_and_encoding_recorded(tmp_path):
    (tmp_path / "a_cp1252.txt").write_bytes(f"Café — “quoted” text\n{LEAD}".encode("cp1252"))
    (tmp_path / "b_latin1.txt").write_bytes(
        f"Le café était très bon à Zürich, naïve façade.\n{LEAD}".encode("latin-1")
    )
    (tmp_path / "c_bom.txt").write_bytes(f"Derna’s port\n{LEAD}".encode("utf-8-sig"))
    cp1252, latin1, bom = load_articles([tmp_path]).articles
    assert cp1252.encoding == "cp1252"
    assert "Café — “quoted” text" in (cp1252.title or "") + cp1252.text
    assert latin1.encoding == "latin-1"
    assert latin1.text.startswith("Le café était très bon à Zürich, naïve façade.")
    assert bom.encoding == "utf-8-sig"
    assert "\ufeff" not in bom.text + (bom.title or "")
    assert bom.title == "Derna’s port"


def test_html_in_a_txt_file_and_an_html_file_give_the_main_text(tmp_path):
    (tmp_path / "page.html").write_text(HTML_PAGE, encoding="utf-8")
    (tmp_path / "scraped.txt").write_text(HTML_PAGE, encoding="utf-8")
    result = load_articles([tmp_path])
    assert len(result.articles) == 2
    for article in result.articles:
        assert "<" not in article.text
        assert article.text.startswith(LEAD[:40])  # dateline taken off the first paragraph
        assert SECOND in article.text
        assert "\n\n" in article.text  # paragraphs stay apart
        assert "Home" not in article.text and "Copyright" not in article.text
        assert article.title == "Haftar forces in Libya tighten noose on Derna militants"
        assert article.date == dt.date(2018, 5, 23)
        assert article.outlet == "Jordan Times"
        assert article.dateline == "BENGHAZI, Libya"


def test_html_without_main_text_is_skipped(tmp_path):
    (tmp_path / "shell.html").write_text(
        "<html><head><script>var a = 1;</script></head><body><script>go()</script></body></html>",
        encoding="utf-8",
    )
    result = load_articles([tmp_path])
    assert result.articles == []
    assert "no main text" in skipped_reason(result.skipped, "shell.html")


def test_file_over_the_size_limit_is_skipped(tmp_path):
    (tmp_path / "huge.txt").write_text((LEAD + "\n") * 50, encoding="utf-8")
    (tmp_path / "small.txt").write_text(LEAD, encoding="utf-8")
    result = load_articles([tmp_path], max_bytes=2000)
    assert [Path(article.source).name for article in result.articles] == ["small.txt"]
    reason = skipped_reason(result.skipped, "huge.txt")
    assert reason.startswith("file too large") and "limit" in reason


def test_jsonl_malformed_line_in_the_middle_does_not_stop_the_others(tmp_path):
    path = tmp_path / "feed.jsonl"
    lines = [
        json.dumps({"title": "Haftar forces tighten noose", "text": LEAD, "date": "2018-05-23"}),
        '{"title": "cut off", "text": "Derna',
        "[1, 2, 3]",
        json.dumps({"title": "no body here"}),
        json.dumps({"title": "Offensive on Derna", "text": SECOND}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = load_articles([path])
    assert [article.source for article in result.articles] == [f"{path}:1", f"{path}:5"]
    assert result.articles[0].date == dt.date(2018, 5, 23)
    assert "malformed JSON" in skipped_reason(result.skipped, "feed.jsonl:2")
    assert "not a JSON object" in skipped_reason(result.skipped, "feed.jsonl:3")
    assert "no article text" in skipped_reason(result.skipped, "feed.jsonl:4")


def test_jsonl_alternative_field_names(tmp_path):
    path = tmp_path / "alt.jsonl"
    record = {
        "headline": "Haftar forces tighten noose",
        "maintext": LEAD,
        "publish_date": "Wed, 23 May 2018 10:00:00 +0000",
        "link": "https://www.jordantimes.com/news/region/haftar-forces",
        "publisher": "The Jordan Times",
    }
    newsapi = {
        "headline": "Derna offensive",
        "content": SECOND,
        "publishedAt": "2018-05-24T08:00:00Z",
        "source": {"id": None, "name": "BBC News"},
    }
    path.write_text(json.dumps(record) + "\n" + json.dumps(newsapi) + "\n", encoding="utf-8")
    first, second = load_articles([path]).articles
    assert first.title == "Haftar forces tighten noose"
    assert first.text == LEAD
    assert first.date == dt.date(2018, 5, 23)
    assert first.url == "https://www.jordantimes.com/news/region/haftar-forces"
    assert first.outlet == "The Jordan Times"
    assert second.outlet == "BBC News"
    assert second.date == dt.date(2018, 5, 24)


def test_multinews_cluster_line_gives_one_article_per_document(tmp_path):
    path = tmp_path / "clusters.jsonl"
    cluster = {"id": "multinews-val-1", "documents": [LEAD, "", SECOND], "summary": "x"}
    nested = {"articles": [{"body": LEAD, "outlet": "AFP"}]}
    path.write_text(json.dumps(cluster) + "\n" + json.dumps(nested) + "\n", encoding="utf-8")
    result = load_articles([path])
    assert [article.source for article in result.articles] == [
        f"{path}:1#1",
        f"{path}:1#3",
        f"{path}:2#1",
    ]
    assert [article.id for article in result.articles] == ["a1", "a2", "a3"]
    assert result.articles[2].outlet == "AFP"
    assert "empty" in skipped_reason(result.skipped, "clusters.jsonl:1#2")


def test_real_multinews_lines_load(shared_data, tmp_path):
    path = tmp_path / "val_head.jsonl"
    with gzip.open(shared_data / "multinews" / "val.jsonl.gz", "rt", encoding="utf-8") as handle:
        lines = [next(handle) for _ in range(3)]
    path.write_text("".join(lines), encoding="utf-8")
    expected = sum(
        1 for line in lines for document in json.loads(line)["documents"] if document.strip()
    )
    result = load_articles([path])
    assert len(result.articles) == expected
    assert "dan brown" in result.articles[0].text.lower()


def test_json_file_with_a_list_of_articles(tmp_path):
    path = tmp_path / "articles.json"
    path.write_text(json.dumps([{"text": LEAD}, {"text": ""}, {"text": SECOND}]), encoding="utf-8")
    result = load_articles([path])
    assert [article.source for article in result.articles] == [f"{path}[1]", f"{path}[3]"]
    assert "no article text" in skipped_reason(result.skipped, "articles.json[2]")


def write_timeline17_topic(folder: Path) -> None:
    folder.mkdir(parents=True)
    record = {
        "id": "243",
        "time": "2011-08-03",
        "text": (
            "Libyan missile misses Italian warship By the CNN Wire Staff French aircraft carrier "
            "Charles de Gaulle sails on June 13 , 2011 off the Libyan coast .\n"
            "Tripoli , Libya -LRB- CNN -RRB- -- Libyan government forces fired a missile at an "
            "Italian warship in the Mediterranean Sea on Wednesday , a spokesman said .\n"
            "` ` We have n't used our real military power , '' a Gadhafi spokesman says ."
        ),
    }
    with gzip.open(folder / "articles.tokenized.jsonl.gz", "wt", encoding="utf-8") as handle:
        handle.write(json.dumps(record) + "\n")
    (folder / "timelines.jsonl").write_text('[["2011-02-14", ["Protests."]]]\n', encoding="utf-8")
    (folder / "keywords.json").write_text('["LibyaWar"]', encoding="utf-8")


def test_timeline17_topic_folder(tmp_path):
    write_timeline17_topic(tmp_path / "LibyaWar_cnn")
    result = load_articles([tmp_path])
    (article,) = result.articles
    assert article.source.endswith("articles.tokenized.jsonl.gz:1")
    assert article.date == dt.date(2011, 8, 3)
    assert "-LRB-" not in article.text and "` `" not in article.text
    assert '"We haven\'t used our real military power," a Gadhafi spokesman says.' in article.text
    assert "June 13, 2011 off the Libyan coast." in article.text
    assert len(article.text.split("\n")) == 3  # one sentence per line kept
    assert article.outlet == "CNN"
    reasons = {Path(item.source).name: item.reason for item in result.skipped}
    assert "Timeline17 reference timelines" in reasons["timelines.jsonl"]
    assert "not articles" in reasons["keywords.json"]


def test_real_timeline17_articles_are_detokenized(shared_data, tmp_path):
    source = shared_data / "timeline17" / "LibyaWar_cnn" / "articles.tokenized.jsonl.gz"
    if not source.exists():
        pytest.skip("Timeline17 LibyaWar_cnn not available")
    topic = tmp_path / "LibyaWar_cnn"
    topic.mkdir()
    with gzip.open(source, "rt", encoding="utf-8") as handle:
        head = [next(handle) for _ in range(5)]
    with gzip.open(topic / "articles.tokenized.jsonl.gz", "wt", encoding="utf-8") as handle:
        handle.writelines(head)
    result = load_articles([topic])
    assert len(result.articles) == 5
    for article, line in zip(result.articles, head):
        assert article.date == dt.date.fromisoformat(json.loads(line)["time"])
        for escape in ("-LRB-", "-RRB-", "` `", " n't", " 's ", " , ", "''"):
            assert escape not in article.text


def test_detokenize_ptb_on_real_timeline17_sentences():
    tokenized = (
        "He discounted allied claims that pro - Gadhafi forces had been reduced to 20 % of their "
        "capabilities , adding , ` ` For God 's sake , if we are down here to 20 % , what am I "
        "doing here ? ''\n"
        "The frigate was about 19 kilometers -LRB- 12 miles -RRB- off the city , they ' ve said ."
    )
    assert detokenize_ptb(tokenized) == (
        "He discounted allied claims that pro-Gadhafi forces had been reduced to 20% of their "
        "capabilities, adding, \"For God's sake, if we are down here to 20%, what am I doing "
        'here?"\n'
        "The frigate was about 19 kilometers (12 miles) off the city, they've said."
    )


def test_nonexistent_path_and_globs(tmp_path):
    (tmp_path / "one.txt").write_text(LEAD, encoding="utf-8")
    (tmp_path / "two.txt").write_text(SECOND, encoding="utf-8")
    (tmp_path / "notes.md").write_text(SECOND, encoding="utf-8")
    missing = str(tmp_path / "missing.txt")
    nothing = str(tmp_path / "*.html")
    result = load_articles([str(tmp_path / "*.txt"), missing, nothing])
    assert [Path(article.source).name for article in result.articles] == ["one.txt", "two.txt"]
    assert skipped_reason(result.skipped, "missing.txt") == "path not found"
    assert "no files match" in skipped_reason(result.skipped, "*.html")


def test_unreadable_file_is_skipped(tmp_path, monkeypatch):
    locked = tmp_path / "locked.txt"
    locked.write_text(LEAD, encoding="utf-8")
    (tmp_path / "open.txt").write_text(SECOND, encoding="utf-8")
    if os.geteuid() == 0:  # root reads anything: make the open itself fail
        real_open = open

        def failing_open(file, *args, **kwargs):
            if str(file) == str(locked):
                raise PermissionError(13, "Permission denied", str(file))
            return real_open(file, *args, **kwargs)

        monkeypatch.setattr("builtins.open", failing_open)
    else:
        locked.chmod(0)
    result = load_articles([tmp_path])
    assert [Path(article.source).name for article in result.articles] == ["open.txt"]
    assert "unreadable" in skipped_reason(result.skipped, "locked.txt")


def test_archives_and_hidden_files_are_reported(tmp_path):
    (tmp_path / "bundle.zip").write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    with gzip.open(tmp_path / "story.txt.gz", "wt", encoding="utf-8") as handle:
        handle.write(LEAD)
    result = load_articles([tmp_path])
    assert [Path(article.source).name for article in result.articles] == ["story.txt.gz"]
    assert "archive" in skipped_reason(result.skipped, "bundle.zip")
    assert "hidden" in skipped_reason(result.skipped, ".DS_Store")


def test_every_skip_is_logged(tmp_path, caplog):
    (tmp_path / "empty.txt").write_bytes(b"")
    with caplog.at_level(logging.WARNING, logger="storyline"):
        result = load_articles([tmp_path, tmp_path / "missing"])
    assert len(result.skipped) == 2
    logged = [record.getMessage() for record in caplog.records if record.name == "storyline"]
    assert any("empty.txt" in message and "empty file" in message for message in logged)
    assert any("missing" in message and "path not found" in message for message in logged)


def test_read_inputs_yields_raw_documents_with_container_fields(tmp_path):
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps({"title": "T", "text": LEAD, "url": "u", "site": "S"}) + "\n")
    (document,) = list(read_inputs([path]))
    assert isinstance(document, RawDocument)
    assert (document.title, document.url, document.outlet, document.text) == ("T", "u", "S", LEAD)
