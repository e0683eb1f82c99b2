"""Local vs Ray engine for ``storyline batch`` on the same Multi-News batch, in one command.

- local: ``storyline batch INPUT -o OUT --workers 2`` (two worker processes on this machine);
- ray: ``storyline batch INPUT -o OUT --engine ray --workers 2`` (a Ray instance started for
  the run on this machine, two actors);
each on the first N clusters and on 1 cluster (its fixed cost: process start, model loads,
and for Ray the instance and actor start), in rounds of alternating order (the best run of
each counts: the machine is shared). The outputs must be byte-identical.

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
import resource
import sys
import tempfile
import time
from pathlib import Path

from _measure import Run, measure

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "multinews" / "val.jsonl.gz"


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


def _batch(data: Path, out: Path, *engine: str) -> tuple[Run, float]:
    """The run and the CPU seconds of its finished processes (the local pool's workers are
    counted; Ray's actors are the raylet's, not ours, and are not)."""
    command = [sys.executable, "-m", "storyline", "batch", str(data), "-o", str(out), "-q"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    run = measure([*command, "--workers", "2", *engine])
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if run.returncode:
        sys.exit(f"failed: {' '.join(command)} {' '.join(engine)}")
    return run, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


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
        _subset(args.data, 1, one)
        runs: dict[str, list[Run]] = {"local": [], "ray": [], "local-one": [], "ray-one": []}
        cpu: dict[str, list[float]] = {name: [] for name in runs}
        identical = True
        for number in range(args.rounds):
            # Alternate the order: the machine's other load drifts during the command.
            order = ("local", "ray") if number % 2 == 0 else ("ray", "local")
            for name in order:
                engine = ("--engine", "ray") if name == "ray" else ()
                for output in (work / f"{name}-one.jsonl", work / f"{name}.jsonl"):
                    output.unlink(missing_ok=True)
                for key, source in ((f"{name}-one", one), (name, data)):
                    run, seconds = _batch(source, work / f"{key}.jsonl", *engine)
                    runs[key].append(run)
                    cpu[key].append(seconds)
            identical &= filecmp.cmp(work / "local.jsonl", work / "ray.jsonl", shallow=False)
        # The fastest of the rounds: the least disturbed by the rest of the machine.
        local, ray, local_one, ray_one = (
            min(runs[name], key=lambda run: run.seconds)
            for name in ("local", "ray", "local-one", "ray-one")
        )
        serialised, chunks = _serialisation(data, work / "local.jsonl")
        ingest, ingested = _ingest_seconds(data)
        minhash = _minhash_seconds(data)
        warc, pages = _warc_seconds(data, work)

    def steady(full: Run, fixed: Run) -> float:  # clusters/s once started
        return (clusters - 1) / max(full.seconds - fixed.seconds, 1e-9)

    print(f"Multi-News val: {clusters} clusters, {articles} articles, {words:,} words; 2 workers")
    print(f"outputs identical (local, ray), every round: {identical}")
    print(
        f"best of {args.rounds} rounds; all rounds (s): "
        + "; ".join(
            f"{name} " + ", ".join(f"{run.seconds:.1f}" for run in found)
            for name, found in runs.items()
        )
    )
    print("| run | wall time | clusters/s | ratio to local | peak RSS (tree) |")
    print("|---|---|---|---|---|")
    for name, run in (("local", local), ("ray", ray)):
        print(
            f"| {name}, {clusters} clusters | {run.seconds:.1f} s | {clusters / run.seconds:.2f} | "
            f"{run.seconds / local.seconds:.2f} | {run.peak_rss_mb:.0f} MB |"
        )
    for name, run in (("local", local_one), ("ray", ray_one)):
        print(
            f"| {name}, 1 cluster (fixed cost) | {run.seconds:.1f} s | | "
            f"{run.seconds / local_one.seconds:.2f} | {run.peak_rss_mb:.0f} MB |"
        )
    local_steady, ray_steady = steady(local, local_one), steady(ray, ray_one)
    print()
    print(
        f"- Ray start-up (instance, actors; beyond the local run's fixed cost): "
        f"{ray_one.seconds - local_one.seconds:.1f} s = "
        f"{(ray_one.seconds - local_one.seconds) / local.seconds:.2f} x the local run of "
        f"{clusters} clusters"
    )
    print(
        f"- throughput once started: local {local_steady:.2f}, ray {ray_steady:.2f} clusters/s "
        f"(ray / local = {ray_steady / local_steady:.2f})"
    )
    print(
        f"- serialisation (ray.put + ray.get of {chunks} chunks' tasks and output lines, one "
        f"process): {serialised:.2f} s = {serialised / local.seconds:.3f} x the local run"
    )
    core_ms = 2 * 1000 * (local.seconds - local_one.seconds) / articles
    cpu_ms = 1000 * (min(cpu["local"]) - min(cpu["local-one"])) / articles
    print(
        "\nPer-article costs (for docs/scaling-out.md; CPU time, not wall: the machine is shared):"
    )
    print(f"- ingest (clean, metadata, language): {1000 * ingest / ingested:.1f} ms per article")
    print(
        f"- the same from a WARC of minimal HTML pages (+ extraction): "
        f"{1000 * warc / pages:.1f} ms per page ({pages} pages)"
    )
    print(
        f"- whole batch brief (ingest, analysis, summary, timeline, JSON): {cpu_ms:.0f} CPU-ms "
        f"per article ({words / articles:.0f} words; wall x 2 cores: {core_ms:.0f} ms)"
    )
    if minhash is None:
        print("- MinHash signature: datasketch not installed, not measured")
    else:
        print(f"- MinHash signature (128 permutations): {1000 * minhash[0] / minhash[1]:.2f} ms")


if __name__ == "__main__":
    main()
