"""Local vs Ray engine for ``storyline batch`` on the same Multi-News batch, in one command.

- local: ``storyline batch INPUT -o OUT --workers 2`` (two worker processes on this machine);
- ray: ``storyline batch INPUT -o OUT --engine ray --workers 2`` (a Ray instance started for
  the run on this machine, two actors);
each on the first N clusters and on the first 16 (the fixed cost: process start, model
loads, and for Ray the instance and actor start), in rounds of alternating order; wall time and the
CPU time of each run's whole process tree (Ray's own processes included), since this machine
is shared with other jobs. The outputs must be byte-identical.

Then, in this process: Ray's serialisation of the same work (every chunk of 8 stories sent to
an actor and the output lines sent back, through ``ray.put``/``ray.get``), and the per-article
costs that the scaling plan in docs/scaling-out.md starts from (ingest, the same read back
from a WARC file of HTML pages, analysis and brief, a MinHash signature as the duplicate and
story blocking would compute it).

Run: ``python benchmarks/ray_engine.py [--limit N] [--rounds R] [--data PATH]`` (default: 300
clusters of ../shared/data/multinews/val.jsonl.gz, 2 rounds). Needs the ray and bench extras.
"""

from __future__ import annotations

import argparse
import filecmp
import gzip
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from _measure import Run, measure

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "multinews" / "val.jsonl.gz"
# The small run that measures fixed costs: two chunks of 8 stories, so that both local worker
# processes start and load the model, as both Ray actors do.
SMALL = 16


def _subset(source: Path, limit: int, target: Path) -> tuple[int, int, int]:
    """The first ``limit`` clusters as a JSONL file; clusters, articles and words."""
    clusters = articles = words = 0
    with gzip.open(source, "rt", encoding="utf-8") as lines, open(target, "w") as out:
        for line in lines:
            if clusters >= limit:
                break
            out.write(line)
            clusters += 1
            documents = json.loads(line)["documents"]
            articles += len(documents)
            words += sum(len(document.split()) for document in documents)
    return clusters, articles, words


def _batch(data: Path, out: Path, *engine: str) -> Run:
    command = [sys.executable, "-m", "storyline", "batch", str(data), "-o", str(out), "-q"]
    run = measure([*command, "--workers", "2", *engine])
    if run.returncode:
        sys.exit(f"failed: {' '.join(command)} {' '.join(engine)}")
    return run


def _serialisation(data: Path, output: Path) -> tuple[float, int]:
    """Seconds of Ray's round trip (put, get) of every chunk's tasks and output lines."""
    from storyline.batch import BatchResult, _chunks, _tasks
    from storyline.engines.ray_engine import ray_session

    results = output.read_bytes().splitlines(keepends=True)
    chunks = list(_chunks(_tasks(data, set(), BatchResult())))
    with ray_session(num_cpus=1) as ray:
        started = time.perf_counter()
        position = 0
        for chunk in chunks:
            lines = results[position : position + len(chunk)]
            position += len(chunk)
            assert ray.get(ray.put(chunk))[0].story_id == chunk[0].story_id
            assert ray.get(ray.put(lines)) == lines
        seconds = time.perf_counter() - started
    return seconds, len(chunks)


def _ingest_seconds(data: Path) -> tuple[float, int]:
    import logging

    from storyline.ingest import articles_from_record

    logging.getLogger("storyline").setLevel(logging.ERROR)  # the skipped empty documents
    records = [json.loads(line) for line in data.open(encoding="utf-8")]
    started = time.process_time()
    articles = sum(len(articles_from_record(record, "x").articles) for record in records)
    return time.process_time() - started, articles


def _warc_seconds(data: Path, folder: Path) -> tuple[float, int]:
    """Seconds to read every article of ``data`` back from a WARC file of HTML pages (one
    response per article: extraction, cleaning, metadata, language)."""
    import html
    import io
    import logging

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    from storyline.ingest import load_articles

    logging.getLogger("storyline").setLevel(logging.ERROR)
    path = folder / "pages.warc.gz"
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for number, line in enumerate(data.open(encoding="utf-8")):
            for index, text in enumerate(json.loads(line)["documents"]):
                paragraphs = "".join(f"<p>{html.escape(part)}</p>" for part in text.split("\n"))
                page = f"<html><head><title>Story {number}</title></head><body><article>"
                page += f"{paragraphs}</article></body></html>"
                headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], "HTTP/1.1")
                writer.write_record(
                    writer.create_warc_record(
                        f"https://example.org/{number}/{index}",
                        "response",
                        payload=io.BytesIO(page.encode("utf-8")),
                        http_headers=headers,
                    )
                )
    started = time.process_time()
    articles = len(load_articles([path]).articles)
    return time.process_time() - started, articles


def _minhash_seconds(data: Path) -> tuple[float, int] | None:
    """A 128-permutation MinHash of each article's word 5-shingles (datasketch, as the
    duplicates index uses); None when datasketch is not installed."""
    try:
        from datasketch import MinHash
    except ImportError:
        return None
    texts = [text for line in data.open() for text in json.loads(line)["documents"]]
    started = time.process_time()
    for text in texts:
        words = text.lower().split()
        signature = MinHash(num_perm=128)
        signature.update_batch(
            " ".join(words[i : i + 5]).encode("utf-8") for i in range(max(1, len(words) - 4))
        )
    return time.process_time() - started, len(texts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=300, help="first N clusters (default 300)")
    parser.add_argument("--rounds", type=int, default=2, help="runs of each (default 2)")
    args = parser.parse_args()
    # A Ray instance started for a run: no token file in the home folder, no usage report.
    os.environ.setdefault("RAY_AUTH_MODE", "disabled")
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        data, one = work / "clusters.jsonl", work / "one.jsonl"
        clusters, articles, words = _subset(args.data, args.limit, data)
        _subset(args.data, SMALL, one)
        runs: dict[str, list[Run]] = {"local": [], "ray": [], "local-one": [], "ray-one": []}
        identical = True
        for number in range(args.rounds):
            # Alternate the order: the machine's other load drifts during the command.
            order = ("local", "ray") if number % 2 == 0 else ("ray", "local")
            for name in order:
                engine = ("--engine", "ray") if name == "ray" else ()
                for output in (work / f"{name}-one.jsonl", work / f"{name}.jsonl"):
                    output.unlink(missing_ok=True)
                for key, source in ((f"{name}-one", one), (name, data)):
                    runs[key].append(_batch(source, work / f"{key}.jsonl", *engine))
            identical &= filecmp.cmp(work / "local.jsonl", work / "ray.jsonl", shallow=False)
        serialised, chunks = _serialisation(data, work / "local.jsonl")
        ingest, ingested = _ingest_seconds(data)
        minhash = _minhash_seconds(data)
        warc, pages = _warc_seconds(data, work)

    # Wall time: the fastest round (the least disturbed by the machine's other jobs). CPU time
    # of the process tree: the median round (it varies far less with the other jobs).
    wall = {name: min(run.seconds for run in found) for name, found in runs.items()}
    cpu = {
        name: statistics.median(run.cpu_seconds for run in found) for name, found in runs.items()
    }
    rss = {name: max(run.peak_rss_mb for run in found) for name, found in runs.items()}
    print(f"Multi-News val: {clusters} clusters, {articles} articles, {words:,} words; 2 workers")
    print(f"outputs identical (local, ray), every round: {identical}")
    print(
        f"{args.rounds} rounds; wall times (s): "
        + "; ".join(
            f"{name} " + ", ".join(f"{run.seconds:.1f}" for run in found)
            for name, found in runs.items()
        )
    )
    print()
    print("| run | wall (best) | clusters/s | wall ratio | CPU (tree) | CPU ratio | peak RSS |")
    print("|---|---|---|---|---|---|---|")
    for name, label, count in (
        ("local", f"local, {clusters} clusters", clusters),
        ("ray", f"ray, {clusters} clusters", clusters),
        ("local-one", f"local, {SMALL} clusters (fixed cost)", SMALL),
        ("ray-one", f"ray, {SMALL} clusters (fixed cost)", SMALL),
    ):
        base = "local" if count == clusters else "local-one"
        print(
            f"| {label} | {wall[name]:.1f} s | {count / wall[name]:.2f} | "
            f"{wall[name] / wall[base]:.2f} | {cpu[name]:.1f} s | {cpu[name] / cpu[base]:.2f} | "
            f"{rss[name]:.0f} MB |"
        )
    per_story = {
        name: (cpu[name] - cpu[f"{name}-one"]) / (clusters - SMALL) for name in ("local", "ray")
    }
    print()
    print(
        f"- Ray start-up beyond the local run's fixed cost: "
        f"{wall['ray-one'] - wall['local-one']:.1f} s wall "
        f"({(wall['ray-one'] - wall['local-one']) / wall['local']:.2f} x the local run of "
        f"{clusters} clusters), {cpu['ray-one'] - cpu['local-one']:.1f} s CPU"
    )
    print(
        f"- CPU per further cluster: local {1000 * per_story['local']:.0f} ms, ray "
        f"{1000 * per_story['ray']:.0f} ms (ray / local = "
        f"{per_story['ray'] / per_story['local']:.2f}; Ray's own processes included)"
    )
    print(
        f"- serialisation (ray.put + ray.get of {chunks} chunks' tasks and output lines, one "
        f"process): {serialised:.2f} s = {serialised / cpu['local']:.3f} x the local run's CPU"
    )
    print("\nPer-article costs (CPU time; for docs/scaling-out.md):")
    print(f"- ingest (clean, metadata, language): {1000 * ingest / ingested:.1f} ms")
    print(
        f"- the same from a WARC of minimal HTML pages (+ extraction): "
        f"{1000 * warc / pages:.1f} ms ({pages} pages)"
    )
    print(
        f"- brief in batch (ingest, analysis, summary, timeline, JSON), local: "
        f"{1000 * per_story['local'] * clusters / articles:.0f} ms "
        f"({words / articles:.0f} words per article)"
    )
    if minhash is None:
        print("- MinHash signature: datasketch not installed, not measured")
    else:
        print(f"- MinHash signature (128 permutations): {1000 * minhash[0] / minhash[1]:.2f} ms")


if __name__ == "__main__":
    main()
