"""Geocoding on ACLED's human-geocoded conflict events, beside a context-free lookup.

Each country's events are briefed as one story, as a user would: the events' ``notes`` go
into a JSONL file (one article per event, dated by ``event_date``) and ``storyline.brief``
reads it. Then, for every exactly coded location (``geo_precision`` 1) whose name the notes
of its events write, the brief must list a place of that name (name or alias) with
coordinates within 25 km of the coders' point.

- found: the brief lists a place of that name; placed: with coordinates within 25 km;
  wrong: with coordinates farther away; the share placed is the measure;
- context-free: ``geocode_name(location)`` for the same names, with no story around them;
- in gazetteer: the gazetteer holds a place of that name within 25 km (the most any reading
  of the names could place);
- time: the brief of the country's story (ingest, analysis, summary, timeline).

Countries are split in two halves by a hash of their name (``dev``: tuned on; ``held``:
only reported), so that the held half says how the rules generalise; the real held-out
countries are elsewhere. A location coded several times counts once per distinct point.

Run: ``python benchmarks/geocoding.py [--split dev|held|all] [--countries A,B] [--limit N]``
(``PYTHONPATH=OLD/src python benchmarks/geocoding.py`` measures another source tree; the
"in gazetteer" column then reads 0).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import math
import re
import sys
import tempfile
import time
import zlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "acled-dev" / "events_2020_05.csv"
MAX_KM = 25.0


@dataclass(frozen=True)
class Location:
    country: str
    name: str
    latitude: float
    longitude: float


@dataclass
class Result:
    """Counts of one country or of a group of countries."""

    locations: int = 0
    found: int = 0
    placed: int = 0
    wrong: int = 0
    context_free: int = 0
    reachable: int = 0  # the gazetteer holds a namesake within MAX_KM: the most placeable
    places: int = 0
    geocoded: int = 0
    articles: int = 0
    seconds: float = 0.0
    misses: list[str] = field(default_factory=list)

    def add(self, other: Result) -> None:
        for name in (
            "locations",
            "found",
            "placed",
            "wrong",
            "context_free",
            "reachable",
            "places",
            "geocoded",
            "articles",
            "seconds",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.misses += other.misses


def split_of(country: str) -> str:
    """``dev`` or ``held``: a stable half of the countries, independent of the data order."""
    return "dev" if zlib.crc32(country.encode("utf-8")) % 2 == 0 else "held"


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, mean Earth radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, a)))


def _event_date(text: str) -> str:
    return dt.datetime.strptime(text, "%d-%b-%y").date().isoformat()


def _named_in(name_key: str, text_key: str) -> bool:
    return re.search(rf"(?:^| ){re.escape(name_key)}(?: |$)", text_key) is not None


def read_events(path: Path) -> dict[str, list[dict[str, str]]]:
    by_country: dict[str, list[dict[str, str]]] = defaultdict(list)
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["country"] and row["notes"].strip():
                by_country[row["country"]].append(row)
    return by_country


def coded_locations(rows: Iterable[dict[str, str]], key: object) -> list[Location]:
    """Exactly coded locations whose name the notes of their events write."""
    seen: dict[tuple[str, float, float], Location] = {}
    for row in rows:
        if row["geo_precision"] != "1" or not row["location"]:
            continue
        name_key = key(row["location"])
        if not name_key or not _named_in(name_key, key(row["notes"])):
            continue
        latitude, longitude = float(row["latitude"]), float(row["longitude"])
        point = (name_key, round(latitude, 3), round(longitude, 3))
        seen.setdefault(point, Location(row["country"], row["location"], latitude, longitude))
    return list(seen.values())


def brief_country(rows: list[dict[str, str]], folder: Path):  # -> Brief
    from storyline import brief

    path = folder / "events.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for row in rows:
            record = {"id": row["event_id_cnty"], "text": row["notes"]}
            record["date"] = _event_date(row["event_date"])
            out.write(json.dumps(record) + "\n")
    return brief(path, workers=1)


def evaluate_country(country: str, rows: list[dict[str, str]], folder: Path) -> Result:
    from storyline.analyse.places import geocode_name, name_key

    try:
        from storyline.analyse.gazetteer import candidates as namesakes
        from storyline.analyse.place_readings import core_name
    except ImportError:  # an older storyline (PYTHONPATH=...): the same measure, less detail

        def namesakes(key: str) -> tuple:
            return ()

        def core_name(form: str) -> str:
            return form

    started = time.perf_counter()
    brief = brief_country(rows, folder)
    seconds = time.perf_counter() - started
    places = brief.story.places
    by_key: dict[str, list] = defaultdict(list)
    for place in places:
        forms = (place.name, *place.aliases)
        keys = {name_key(form) for form in forms} | {name_key(core_name(f)) for f in forms}
        for key in keys:
            by_key[key].append(place)
    result = Result(
        places=len(places),
        geocoded=sum(place.latitude is not None for place in places),
        articles=len(rows),
        seconds=seconds,
    )
    for location in coded_locations(rows, name_key):
        result.locations += 1
        result.reachable += any(
            entry.latitude is not None
            and distance_km(entry.latitude, entry.longitude, location.latitude, location.longitude)
            <= MAX_KM
            for entry, _ in namesakes(name_key(location.name))
        )
        match = geocode_name(location.name)
        if match is not None and match.latitude is not None:
            km = distance_km(match.latitude, match.longitude, location.latitude, location.longitude)
            result.context_free += km <= MAX_KM
        candidates = by_key.get(name_key(location.name), [])
        if not candidates:
            result.misses.append(f"{country}: {location.name} (not found)")
            continue
        result.found += 1
        # the town of that name if the brief lists the town and its area apart
        place = min(candidates, key=lambda p: (p.kind != "city", p.latitude is None, -p.mentions))
        if place.latitude is None:
            result.misses.append(f"{country}: {location.name} (no coordinates)")
            continue
        km = distance_km(place.latitude, place.longitude, location.latitude, location.longitude)
        if km <= MAX_KM:
            result.placed += 1
        else:
            result.wrong += 1
            result.misses.append(
                f"{country}: {location.name} -> {place.geo_name}, {place.country} ({km:.0f} km)"
            )
    return result


def _share(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "-"


def _row(label: str, result: Result) -> str:
    return (
        f"| {label} | {result.articles} | {result.locations} | {result.found} | "
        f"{result.placed} ({_share(result.placed, result.locations)}) | {result.wrong} | "
        f"{result.context_free} ({_share(result.context_free, result.locations)}) | "
        f"{result.reachable} ({_share(result.reachable, result.locations)}) | "
        f"{result.places} | {result.seconds:.1f} s |"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--split", choices=("dev", "held", "all"), default="all")
    parser.add_argument("--countries", help="comma-separated country names (default: all)")
    parser.add_argument("--limit", type=int, help="at most this many events per country")
    parser.add_argument("--min-locations", type=int, default=1, help="skip smaller countries")
    parser.add_argument("--misses", action="store_true", help="list what was not placed")
    args = parser.parse_args(argv)

    by_country = read_events(args.data)
    wanted = set(args.countries.split(",")) if args.countries else None
    totals = {"dev": Result(), "held": Result()}
    lines = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        for country in sorted(by_country):
            half = split_of(country)
            if wanted is not None and country not in wanted:
                continue
            if wanted is None and args.split != "all" and half != args.split:
                continue
            rows = by_country[country][: args.limit] if args.limit else by_country[country]
            from storyline.analyse.places import name_key

            if len(coded_locations(rows, name_key)) < args.min_locations:
                continue
            result = evaluate_country(country, rows, Path(folder))
            totals[half].add(result)
            lines.append(_row(f"{country} ({half})", result))
            print(lines[-1], file=sys.stderr, flush=True)
    print(f"data: {args.data.name}; within {MAX_KM:.0f} km; {dt.date.today().isoformat()}")
    print(
        "| story | events | coded locations | found | placed within 25 km | wrong | "
        "context-free lookup | in gazetteer | places in brief | brief time |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for half in ("dev", "held"):
        if totals[half].articles:
            print(_row(f"**{half} countries**", totals[half]))
    everything = Result()
    for result in totals.values():
        everything.add(result)
    print(_row("**all**", everything))
    print(f"wall time {time.perf_counter() - started:.0f} s")
    if args.misses:
        print("\n".join(everything.misses))


if __name__ == "__main__":
    main()
