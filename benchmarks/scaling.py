"""Time and peak memory of one brief against story size, plotted to docs/scaling.png.

Stories of 10, 100, 1,000 and 5,000 articles are built by concatenating the Timeline17
topics (in folder order; they hold ~4,650 articles, so the largest story is topped up with
Multi-News validation documents, undated) and briefed with ``storyline brief`` as a new
process each time, default settings (parse budget, 2 parser processes for big stories).
Growth should be near-linear in the number of articles; the target for 5,000 articles is a
peak RSS (whole process tree) under 2 GB.

Run: ``python benchmarks/scaling.py [--sizes 10 100 1000 5000] [--plot docs/scaling.png]``
(needs the ``bench`` extra for psutil and matplotlib).
"""

from __future__ import annotations

import argparse
import gzip
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from _measure import Run, measure

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"


def _article_lines(shared: Path) -> Iterator[str]:
    import json

    root = shared / "timeline17"
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        for path in sorted(folder.glob("articles*.jsonl*")):
            with gzip.open(path, "rt", encoding="utf-8") as lines:
                yield from (line for line in lines if line.strip())
    with gzip.open(shared / "multinews" / "val.jsonl.gz", "rt", encoding="utf-8") as clusters:
        for cluster in clusters:
            for document in json.loads(cluster)["documents"]:
                yield json.dumps({"text": document}) + "\n"


def _story(root: Path, size: int, target: Path) -> int:
    """Write the first ``size`` articles of the concatenated topics; return their words."""
    import json

    words = 0
    with target.open("w", encoding="utf-8") as out:
        for count, line in enumerate(_article_lines(root)):
            if count >= size:
                break
            out.write(line if line.endswith("\n") else line + "\n")
            words += len(json.loads(line).get("text", "").split())
    return words


def _plot(results: list[tuple[int, int, Run]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = [size for size, _, _ in results]
    figure, (time_axis, memory_axis) = plt.subplots(1, 2, figsize=(10, 4))
    time_axis.plot(sizes, [run.seconds for _, _, run in results], "o-", label="storyline brief")
    first_size, _, first = results[-1]
    time_axis.plot(
        sizes,
        [first.seconds * size / first_size for size in sizes],
        ":",
        color="grey",
        label="linear through the largest",
    )
    time_axis.set(
        xscale="log", yscale="log", xlabel="articles", ylabel="wall time (s)", title="Time"
    )
    time_axis.legend()
    memory_axis.plot(sizes, [run.peak_rss_mb for _, _, run in results], "o-")
    memory_axis.axhline(2048, color="red", linestyle="--", label="2 GB target")
    memory_axis.set(xscale="log", xlabel="articles", ylabel="peak RSS, MB", title="Memory")
    memory_axis.legend()
    figure.suptitle("storyline brief vs story size (Timeline17 topics concatenated)")
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=100)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000, 5000])
    parser.add_argument("--data", type=Path, default=SHARED, help="the shared data folder")
    parser.add_argument("--plot", type=Path, default=ROOT / "docs" / "scaling.png")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            story = Path(folder) / f"story-{size}.jsonl"
            words = _story(args.data, size, story)
            out = Path(folder) / f"brief-{size}.json"
            command = [sys.executable, "-m", "storyline", "brief", str(story)]
            run = measure([*command, "--format", "json", "-o", str(out), "-q"])
            if run.returncode:
                sys.exit(f"the brief of {size} articles failed")
            results.append((size, words, run))
            print(f"{size} articles: {run.seconds:.1f} s, {run.peak_rss_mb:.0f} MB", flush=True)
    print("| articles | words | wall time | ms / article | peak RSS (tree) |")
    print("|---|---|---|---|---|")
    for size, words, run in results:
        print(
            f"| {size:,} | {words:,} | {run.seconds:.1f} s | {1000 * run.seconds / size:.0f} | "
            f"{run.peak_rss_mb:.0f} MB |"
        )
    _plot(results, args.plot)
    print(f"\nplot: {args.plot}")


if __name__ == "__main__":
    main()
