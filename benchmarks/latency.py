"""Latency of one brief of the example story, as ratios against a baseline run in the same
command (absolute times depend on the machine).

- cold: ``storyline brief examples/derna`` as a new process, against a bare Python process
  that imports spaCy and loads the same English pipeline (target: at most 1.5x);
- warm: ``storyline.brief()`` again in a process that has built one brief already
  (target: under 0.5 s), against one spaCy ``nlp.pipe`` pass over the same cleaned texts.

Run: ``python benchmarks/latency.py [--repeat 5]``
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "derna"
BARE_LOAD = (
    "from storyline.analyse.nlp import PIPELINE_PACKAGES\n"
    "import importlib\n"
    "for name in PIPELINE_PACKAGES:\n"
    "    try:\n"
    "        importlib.import_module(name).load(); break\n"
    "    except ImportError:\n"
    "        pass\n"
)


def _seconds(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    repeat = parser.parse_args().repeat

    bare = [_seconds([sys.executable, "-c", BARE_LOAD]) for _ in range(repeat)]
    cold = [
        _seconds([sys.executable, "-m", "storyline", "brief", str(EXAMPLE), "-q"])
        for _ in range(repeat)
    ]

    from storyline import brief
    from storyline.analyse.nlp import load_pipeline
    from storyline.ingest import load_articles

    brief(EXAMPLE)  # loads the models and the gazetteer once
    texts = [article.text for article in load_articles([EXAMPLE]).articles]
    nlp = load_pipeline()
    warm, parse = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        brief(EXAMPLE)
        warm.append(time.perf_counter() - started)
        started = time.perf_counter()
        list(nlp.pipe(texts))
        parse.append(time.perf_counter() - started)

    med = statistics.median
    print(f"example story: {len(texts)} articles, {sum(len(t.split()) for t in texts)} words")
    print("| measure | median | ratio | target |")
    print("|---|---|---|---|")
    print(f"| bare spaCy import + load (process) | {med(bare):.2f} s | 1.00 | |")
    print(
        f"| cold `storyline brief` (process) | {med(cold):.2f} s | "
        f"{med(cold) / med(bare):.2f} x bare load | <= 1.5 x |"
    )
    print(f"| spaCy nlp.pipe over the texts (warm) | {med(parse):.3f} s | 1.00 | |")
    print(
        f"| warm `storyline.brief()` | {med(warm):.3f} s | "
        f"{med(warm) / med(parse):.2f} x the parse | < 0.5 s |"
    )


if __name__ == "__main__":
    main()
