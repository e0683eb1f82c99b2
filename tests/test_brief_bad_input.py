"""Broken input end to end: bad files are skipped with a reason, listed in the brief, and
the rest still makes a brief (also a story of one undated article)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

from storyline import brief
from storyline.render import brief_to_dict, render_markdown


def _messy_folder(tmp_path: Path, seed_dir: Path) -> Path:
    folder = tmp_path / "story"
    folder.mkdir()
    shutil.copy(seed_dir / "002_15e226d91572ecee.txt", folder / "french.txt")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)))
    text = (seed_dir / "001_f4de3afd4f13f531.txt").read_text(encoding="utf-8")
    # Curly quotes and dashes are where cp1252 differs from latin-1.
    text = text.replace("Haftar's", "Haftar’s").replace('"', "“", 1)
    (folder / "afp_cp1252.txt").write_bytes(text.encode("cp1252"))
    (folder / "feed.jsonl").write_text(
        '{"title": "Derna", "text": "Clashes were reported in Derna on Monday, officials said.",'
        ' "date": "2018-06-11"}\n'
        "{not json\n"
        '{"title": "no body"}\n',
        encoding="utf-8",
    )
    return folder


def test_bad_files_are_listed_and_the_rest_is_briefed(tmp_path: Path, seed_dir: Path) -> None:
    result = brief(_messy_folder(tmp_path, seed_dir))
    sources = sorted(Path(a.source.split(":")[0]).name for a in result.articles)
    assert sources == ["afp_cp1252.txt", "feed.jsonl", "french.txt"]
    skipped = {Path(s.source).name: s.reason for s in result.skipped}
    assert set(skipped) == {"empty.txt", "photo.jpg", "feed.jsonl:2", "feed.jsonl:3"}
    assert all(reason for reason in skipped.values())
    (cp1252,) = [a for a in result.articles if a.source.endswith("afp_cp1252.txt")]
    assert cp1252.encoding and cp1252.encoding.lower() in {"cp1252", "windows-1252"}
    assert cp1252.date == dt.date(2018, 5, 23)
    assert "Haftar’s forces" in cp1252.text and "BENGHAZI, Libya" in (cp1252.dateline or "")

    data = brief_to_dict(result)
    assert {Path(s["source"]).name for s in data["skipped"]} == set(skipped)
    markdown = render_markdown(result)
    for name in skipped:
        assert name in markdown
    assert result.summary and result.timeline


def test_story_of_one_undated_article(tmp_path: Path, seed_dir: Path) -> None:
    folder = tmp_path / "one"
    folder.mkdir()
    shutil.copy(seed_dir / "002_15e226d91572ecee.txt", folder)
    result = brief(folder)
    (article,) = result.articles
    # No other article to compare with: the text alone bounds the date ("In 2015" places
    # "Tuesday, June 5th" in 2018), and the weekday-dated events are on the timeline.
    assert article.date is None and article.published is not None
    assert article.published.first_day == dt.date(2018, 6, 5)
    assert any(e.when.iso() == "2018-06-04" for e in result.timeline)
    # "On Monday, Khalifa Haftar had already announced ..." counts from an unknown day.
    assert not any("On Monday, Khalifa Haftar" in e.text for e in result.timeline)
    assert json.loads(json.dumps(brief_to_dict(result)))["stats"]["articles"] == 1
