"""Quote attribution against hand-annotated speakers on real articles.

``benchmarks/data/quotes_gold.jsonl`` holds, per quoted span of some basil-dev articles and
Multi-News validation documents, the speaker a careful reader names from the text (a list of
acceptable forms; empty when the text names nobody) and whether the quotation is speech or a
fragment (a quoted phrase inside the reporter's sentence: "a 'tremendous outpouring of
support'"). Only the first words of each quotation are stored; the texts are read from
``../shared/data``. The ``dev`` items were looked at while the attribution rules were written,
the ``test`` items only to annotate them.

Figures per set:

- precision: share of quotes listed with a speaker whose speaker is right (a name for an
  item whose text names nobody is wrong);
- coverage: share of attributable speech quotes listed with the right speaker;
- unattributed: share of attributable speech quotes listed without a speaker;
- missed: share of speech quotes not listed at all;
- fragments listed: share of fragments listed as quotes.

Run: ``python benchmarks/quotes.py [--data ../shared/data] [--show dev|test|all]``
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
from collections import Counter, defaultdict
from pathlib import Path

from storyline.analyse.nlp import load_pipeline
from storyline.analyse.quotes import extract_quotes
from storyline.ingest import articles_from_record
from storyline.model import Article, Quote

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "benchmarks" / "data" / "quotes_gold.jsonl"
_HONORIFIC = re.compile(r"^(?:the|mr\.?|mrs\.?|ms\.?|dr\.?)\s+")


def _normal(text: str) -> str:
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return " ".join(text.casefold().split())


def _speaker_key(name: str) -> str:
    return _HONORIFIC.sub("", _normal(name))


def _records(data: Path, docs: set[str]) -> dict[str, list[Article]]:
    """Cleaned articles of every document the gold file names (as the pipeline ingests it)."""
    wanted_basil = {doc.split(":", 1)[1] for doc in docs if doc.startswith("basil:")}
    wanted_news = {doc.split(":")[0] for doc in docs if doc.startswith("multinews")}
    found: dict[str, list[Article]] = {}
    with open(data / "basil-dev" / "articles.jsonl", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            key = record["id"][:8]
            if key in wanted_basil:
                found[f"basil:{key}"] = articles_from_record(record, key).articles
    with gzip.open(data / "multinews" / "val.jsonl.gz", "rt", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            if record["id"] in wanted_news:
                articles = articles_from_record(record, record["id"]).articles
                for doc in docs:
                    if doc.split(":")[0] == record["id"]:
                        found[doc] = articles
    return found


def _article_for(items: list[dict], articles: list[Article]) -> Article | None:
    """The article of a cluster that holds the annotated quotations."""
    best, best_hits = None, 0
    for article in articles:
        text = _normal(article.text)
        hits = sum(_normal(item["quote"]) in text for item in items)
        if hits > best_hits:
            best, best_hits = article, hits
    return best


def evaluate(data: Path, show: str | None = None) -> dict[str, Counter[str]]:
    """Counts per set ("dev", "test", "all"); ``show``: print the verdicts of that set."""
    gold = [json.loads(line) for line in GOLD.read_text("utf-8").splitlines() if line.strip()]
    by_doc: dict[str, list[dict]] = defaultdict(list)
    for item in gold:
        by_doc[item["doc"]].append(item)
    records = _records(data, set(by_doc))
    nlp = load_pipeline()
    totals: dict[str, Counter[str]] = defaultdict(Counter)
    for doc, items in by_doc.items():
        article = _article_for(items, records[doc])
        quotes: list[Quote] = []
        if article is not None:
            quotes = extract_quotes(nlp(article.text), article)
        for item in items:
            key = _normal(item["quote"])
            listed = [quote for quote in quotes if key in _normal(quote.text)]
            shown = show in (item["set"], "all")
            _score(item, listed[0] if listed else None, totals[item["set"]], shown)
    totals["all"] = sum(totals.values(), Counter())
    return totals


def _score(item: dict, quote: Quote | None, counts: Counter[str], show: bool) -> None:
    kind = item["kind"]
    speakers = {_speaker_key(name) for name in item["speakers"]}
    counts[kind] += 1
    attributable = kind == "speech" and bool(speakers)
    counts["attributable"] += attributable
    verdict = "missed"
    if quote is not None:
        counts[f"{kind} listed"] += 1
        if quote.speaker is None:
            verdict = "unattributed"
        else:
            right = _speaker_key(quote.speaker) in speakers
            counts["named"] += 1
            counts["named right"] += right
            verdict = "right" if right else "WRONG"
        if attributable:
            counts[f"attributable {verdict}"] += 1
    if show:
        speaker = quote.speaker if quote is not None else "-"
        gold = item["speakers"]
        print(f"{verdict:12} {kind:8} {item['quote'][:40]:40} -> {speaker}  gold={gold}")


def _share(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}% ({part}/{whole})" if whole else "-"


def table(totals: dict[str, Counter[str]]) -> str:
    lines = [
        "| set | quotes (speech / fragments) | precision | coverage | unattributed | "
        "speech missed | fragments listed |",
        "|---|---|---|---|---|---|---|",
    ]
    for name in ("dev", "test", "all"):
        c = totals.get(name)
        if not c:
            continue
        lines.append(
            f"| {name} | {c['speech'] + c['partial']} / {c['fragment']} | "
            f"{_share(c['named right'], c['named'])} | "
            f"{_share(c['attributable right'], c['attributable'])} | "
            f"{_share(c['attributable unattributed'], c['attributable'])} | "
            f"{_share(c['speech'] - c['speech listed'], c['speech'])} | "
            f"{_share(c['fragment listed'], c['fragment'])} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--show", choices=("dev", "test", "all"), help="print verdicts")
    args = parser.parse_args()
    print(table(evaluate(args.data, show=args.show)))


if __name__ == "__main__":
    main()
