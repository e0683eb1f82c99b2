"""Places of a story: offline geocoding of place mentions against GeoNames.

The gazetteer (:mod:`storyline.analyse.gazetteer`) holds populated places of 500 people or
more with their alternate names, provinces and districts with the areas each place lies
in, countries and continents; ``data/known_aliases.json`` adds country aliases ("Britain"),
demonyms and US state abbreviations. No network at run time.

Which names are places: spaCy's entity mentions, whatever their label, plus names spaCy
missed that the text writes as places and the gazetteer knows (see
:mod:`storyline.analyse.place_readings`). A name not tagged as a place needs the story's
support: a place in one of its main countries, next to its admin area, or written as a
place. Names the gazetteer does not know are kept without coordinates only if nothing says
they are something else (a demonym's: "German Empire", a person's: "Kingdom of Netanyahu",
an outlet: "Ha'aretz reported").

Which place a name means is decided on the whole story: one name keeps one sense, and its
candidates are scored by size, by the story's countries (country names, demonyms, the
countries of the other place names), by the admin areas written beside the name ("Nihm
(Sanaa)", "Novi Sad, Serbia", "Paris, Texas") or named in the same article ("in Marib
province"), by its country named in the same article, and by the other places of the same
article nearby. A bare name means the town rather than the district named after it;
written with its kind ("Marib province") or as the area of another place, it means the
area. A small namesake that nothing in the story supports is not placed, nor a name whose
bracketed areas hold none of its namesakes: a wrong confident place is worse than none.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from storyline.analyse import gazetteer
from storyline.analyse.gazetteer import Candidate, Entry, candidates
from storyline.analyse.gazetteer import known_aliases as _known_aliases
from storyline.analyse.place_readings import (
    AREA_KINDS,
    Reading,
    areas_of,
    clean_name,
    contains,
    name_key,
    readings,
)
from storyline.model import EntityMention, Place
from storyline.settings import (
    MAIN_COUNTRY_SHARE,
    MIN_UNSUPPORTED_POPULATION,
    MIN_UNTAGGED_POPULATION,
    NEARBY_KM,
)
from storyline.vocabulary import MONTHS, PLACE_LABELS, WEEKDAYS

__all__ = [
    "GeoMatch",
    "clean_name",
    "country_of_demonym",
    "geocode_name",
    "geocode_places",
    "name_key",
]

# spaCy's labels of the names that are not places, whatever the context says ("in Trump's")
_ACTOR_LABELS = frozenset({"PERSON", "ORG"})

# Scores are in units of log10(population).
# A story entirely about one country outweighs a 100 times bigger namesake elsewhere
# (Alexandria, Virginia in a US story) but not more.
_CONTEXT_WEIGHT = 2.0
# The official name beats an alternate name of a place ten times bigger (Washington, D.C. vs
# Reisterstown, once called Washington).
_PRIMARY_BONUS = 1.0
# A bare name means the town more often than the province of the same name: an area needs
# ten times the people of a town to win without its kind written beside it, a hundred times
# when the text calls it a town ("Khairpur city").
_AREA_PENALTY = 1.0
# Admin area or country written right beside the name ("Remeka (Masisi, Nord-Kivu)"): as
# good as certain.
_QUALIFIER_WEIGHT = 8.0
# Admin area of a candidate named anywhere in the same article ("in Marib province").
_ADMIN_CONTEXT_WEIGHT = 3.0
# The candidate's country named in the same article ("Lebanon" for Tripoli).
_COUNTRY_NAMED_WEIGHT = 1.0
# Another place of the same article within NEARBY_KM.
_NEARBY_WEIGHT = 1.5
_MIN_POPULATION = 500
_TYPO_MIN_LENGTH = 6
# A town is its area's seat if the area has at most this many times its people.
_SEAT_SHARE = 10


def _words(text: str) -> frozenset[str]:
    """A word list written as text, one word per whitespace."""
    return frozenset(text.split())


# Capitalised words that are also names of places, and are rarely meant as the place when
# spaCy does not call them one.
_STOPLIST = _words(
    """
    university union independence mission reading mobile nice split sale bath hope victory
    liberty opportunity progress justice unity concord enterprise commerce republic center
    centre media police army navy marine man most date of deal young best home god time
    parliament congress senate government state people islam christ allah
    """
)
# Tagged as places but not on a map: compass directions ("the West"), months and weekdays
# (a town March, Cambridgeshire); and never the town of that name: a landmark that is an
# alternate name of Casablanca (Dar el Beida), "the media".
_NOT_PLACES = frozenset(
    {"west", "east", "north", "south", "white house", "media", *MONTHS, *WEEKDAYS}
)
_ORGANISATION_WORDS = frozenset(
    {"herald", "times", "post", "news", "tribune", "journal", "gazette", "council", "party"}
    | {"ministry", "agency", "bank", "university", "company", "group", "committee", "court"}
)
# Words of polities: "Kingdom of X" is X if X is a country; a polity the gazetteer does not
# hold as a country is no place ("Kingdom of Netanyahu", "German Empire", "Ottoman Empire").
# ("State" is no such word: "Rakhine State" is an admin area.)
_GOVERNMENT_FORMS = _words(
    "kingdom republic emirate sultanate principality duchy federation commonwealth empire"
    " caliphate union"
)


@dataclass(frozen=True)
class GeoMatch:
    """One gazetteer entry. Countries have no coordinates in the data; admin areas have the
    centroid of their populated places."""

    name: str
    country: str | None  # ISO 3166-1 alpha-2; None for continents
    latitude: float | None
    longitude: float | None
    kind: str  # city, district, region, country, continent
    population: int


# ---------------------------------------------------------------- shared data file


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


# ---------------------------------------------------------------- one name


def _prior(candidate: Candidate, area_reading: bool, settlement: bool = False) -> float:
    entry, official = candidate
    score = math.log10(max(entry.population, _MIN_POPULATION))
    if official:
        score += _PRIMARY_BONUS
    if entry.kind in ("region", "district") and not area_reading:
        score -= _AREA_PENALTY * (2 if settlement else 1)
    return score


def _without_seat_areas(found: Sequence[Candidate]) -> list[Candidate]:
    """Without the admin areas named after their seat, a town of the same name that lies in
    them and holds a tenth of their people or more (Sialkot district, Kismaayo district,
    Hama governorate): the bare name means the town. California the state stays, though a
    village California lies in it."""
    towns = [(entry, official) for entry, official in found if entry.kind == "city"]

    def is_seat(town: Entry, official: bool, area: Entry) -> bool:
        if area.id not in (town.admin1, town.admin2):
            return False
        if not official and name_key(town.name) != name_key(area.name):
            return False  # Oklahoma City, also called Oklahoma, is no seat of Oklahoma
        return town.population * _SEAT_SHARE >= area.population

    return [
        (entry, official)
        for entry, official in found
        if entry.kind not in ("region", "district")
        or not any(is_seat(town, town_official, entry) for town, town_official in towns)
    ]


def _as_match(entry: Entry) -> GeoMatch:
    return GeoMatch(
        entry.name, entry.country, entry.latitude, entry.longitude, entry.kind, entry.population
    )


@lru_cache(maxsize=8192)
def geocode_name(name: str, country_hint: str | None = None) -> GeoMatch | None:
    """The gazetteer entry a place name most likely means with no story around it, or None.

    Official and alternate names match (``"Derna"`` -> Darnah, ``"Misrata"`` -> Misratah),
    whatever the case or accents. With ``country_hint`` (ISO code), a candidate in that
    country wins; otherwise the official name and the bigger place win, a town before the
    district named after it.
    """
    found = _without_seat_areas(candidates(name_key(clean_name(name))))
    if not found:
        return None
    hint = country_hint.upper() if country_hint else None
    hinted = [c for c in found if c[0].country == hint] if hint else []
    best = max(hinted or found, key=lambda c: (_prior(c, False), c[0].name, -c[0].id))
    return _as_match(best[0])


# ---------------------------------------------------------------- places of a story

_Ident = tuple[str, bool]  # (name key, area reading?)


@dataclass
class _NameGroup:
    """All readings of one name (one key) in one role (area or not) in the story."""

    key: str
    area: bool
    forms: Counter[str] = field(default_factory=Counter)
    labels: Counter[str] = field(default_factory=Counter)
    articles: set[str] = field(default_factory=set)
    readings: list[Reading] = field(default_factory=list)
    media: int = 0
    settlement: int = 0
    locative: int = 0
    kind_words: set[str] = field(default_factory=set)

    @property
    def count(self) -> int:
        return len(self.readings)

    @property
    def place_votes(self) -> int:
        """Mentions tagged as places, or written as places where spaCy did not call them a
        person or an organisation (names it missed, the areas of other places)."""
        return sum(
            reading.mention.label in PLACE_LABELS
            or (reading.mention.label not in _ACTOR_LABELS and (reading.locative or reading.area))
            for reading in self.readings
        )

    @property
    def other_votes(self) -> int:
        return self.count - self.place_votes


def _group(found: Iterable[Reading]) -> dict[_Ident, _NameGroup]:
    groups: dict[_Ident, _NameGroup] = {}
    for reading in found:
        ident = (reading.key, reading.area)
        group = groups.get(ident)
        if group is None:
            group = groups[ident] = _NameGroup(reading.key, reading.area)
        group.forms[reading.form] += 1
        group.labels[reading.mention.label or "GAZETTEER"] += 1
        group.articles.add(reading.mention.article_id)
        group.readings.append(reading)
        group.media += reading.media
        group.settlement += reading.settlement
        group.locative += reading.locative
        if reading.kind_word:
            group.kind_words.add(reading.kind_word)
    return groups


def _candidates(group: _NameGroup) -> list[Candidate]:
    """The entries a group may mean: areas for an area reading, else towns before the areas
    named after them ("Puno city": the town, not the region of Puno)."""
    found = list(candidates(group.key))
    if group.area:
        areas = [c for c in found if c[0].kind in AREA_KINDS]
        if group.kind_words:
            # "Washington state" is no Washington County: an area found without its kind
            # word must be of the kind written
            areas = [
                (entry, official)
                for entry, official in areas
                if official or group.kind_words & set(name_key(entry.name).split())
            ]
        return areas or found
    # a bare name means an area only by its own name, not without its kind word
    found = [c for c in found if c[1] or c[0].kind not in ("region", "district")]
    return _without_seat_areas(found)


def _demonym_weights(groups: dict[_Ident, _NameGroup]) -> dict[_Ident, Counter[str]]:
    """The country of each demonym of the story ("Libyans"), weighted by its mentions."""
    weights = {}
    for ident, group in groups.items():
        country = _demonyms().get(group.key)
        if country is not None:
            weights[ident] = Counter({country: group.count})
    return weights


def _story_countries(
    groups: dict[_Ident, _NameGroup], found: dict[_Ident, list[Candidate]]
) -> dict[_Ident, Counter[str]]:
    """What each name says the story is about: a demonym or a country's name, its country;
    a name tagged or written as a place, the countries of its readings, shared by their
    prior odds (Beirut: Lebanon, not the Polish Bierutów). Only place readings count, so
    that a person's name that is also a town ("Obama") does not pull the story to Japan."""
    contributions = _demonym_weights(groups)
    for ident, group in groups.items():
        votes = group.place_votes
        if ident not in found or votes == 0:
            continue
        named = [c for c in found[ident] if c[1] and c[0].kind == "country"]
        odds: Counter[str] = Counter()
        for candidate in named or found[ident]:
            if candidate[0].country is not None:
                odds[candidate[0].country] += 10 ** _prior(candidate, group.area)
        total = sum(odds.values())
        share = contributions.setdefault(ident, Counter())
        for country, odd in odds.items():
            share[country] += votes * odd / total
    return contributions


def _surnames(found: Iterable[Reading]) -> Counter[str]:
    """How often each word ends a multi-word person name ("Abdelkarim Sabra")."""
    words: Counter[str] = Counter()
    for reading in found:
        # an area written after a place is no person's name, whatever spaCy says
        # ("Shahdadkot town (Qambar Shahdadkot, Sindh)")
        if reading.mention.label == "PERSON" and not reading.area:
            parts = name_key(clean_name(reading.mention.text)).split()
            if len(parts) > 1:
                words[parts[-1]] += 1
    return words


@dataclass
class _Context:
    """What the story says around its names."""

    # what each name says about the story's countries (see _story_countries)
    contributions: dict[_Ident, Counter[str]]
    # article -> ids of the admin areas and countries its names may mean -> those names
    article_areas: dict[str, dict[int, set[str]]]
    # article -> points of the places already resolved in it: (name key, latitude, longitude)
    article_points: dict[str, list[tuple[str, float, float]]] = field(default_factory=dict)
    weights: Counter[str] = field(init=False)

    def __post_init__(self) -> None:
        self.weights = Counter()
        for contribution in self.contributions.values():
            self.weights.update(contribution)

    def countries_without(self, ident: _Ident) -> Counter[str]:
        """The story's countries as the other names say: a name is no evidence for itself."""
        own = self.contributions.get(ident)
        if not own:
            return self.weights
        weights = Counter(self.weights)
        weights.subtract(own)
        return Counter({country: w for country, w in weights.items() if w > 1e-9})


def _article_areas(groups: Iterable[_NameGroup]) -> dict[str, dict[int, set[str]]]:
    """Per article, the admin areas and countries its names may mean, with those names."""
    areas: dict[str, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    for group in groups:
        for reading in group.readings:
            article = reading.mention.article_id
            for key in (group.key, *reading.qualifiers):
                for entry, _ in candidates(key):
                    if entry.kind in AREA_KINDS:
                        areas[article][entry.id].add(key)
    return areas


def _qualifier_support(group: _NameGroup, entry: Entry) -> float | None:
    """Share of the group's qualified mentions whose written areas hold this candidate
    (None: no mention is qualified by an area the data knows in the candidate's country:
    Malawi's "Central" region is no area of the data, and says nothing against Dowa)."""
    qualified = 0
    held = 0
    for reading in group.readings:
        areas = [area for key in reading.qualifiers for area in areas_of(key)]
        if not any(area.country == entry.country for area in areas):
            continue
        qualified += 1
        held += any(contains(area, entry) for area in areas)
    return held / qualified if qualified else None


def _admin_support(group: _NameGroup, entry: Entry, context: _Context) -> tuple[float, float]:
    """Shares of the group's articles that name the candidate's own admin areas, and its
    country, by another name ("Derna" does not name the Romanian Comuna Derna of its town)."""
    own = {entry.admin1, entry.admin2} - {None}
    country = None
    if entry.country and entry.kind != "country":
        country = gazetteer.by_code(entry.country)
    admin = named_country = 0
    for article in group.articles:
        areas = context.article_areas.get(article, {})
        admin += any(areas.get(area, set()) - {group.key} for area in own)  # type: ignore[arg-type]
        if country is not None:
            named_country += bool(areas.get(country.id, set()) - {group.key})
    return admin / len(group.articles), named_country / len(group.articles)


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, a)))


def _nearby_support(group: _NameGroup, entry: Entry, context: _Context) -> float:
    """Share of the group's articles with another place within NEARBY_KM of the candidate."""
    if entry.latitude is None or entry.longitude is None or not context.article_points:
        return 0.0
    near = 0
    for article in group.articles:
        points = context.article_points.get(article, ())
        near += any(
            key != group.key and _km(entry.latitude, entry.longitude, lat, lon) <= NEARBY_KM
            for key, lat, lon in points
        )
    return near / len(group.articles)


@dataclass(frozen=True)
class _Choice:
    entry: Entry
    score: float
    # by the story: an area written beside it or in its article, its country named, a place
    # nearby, or one of the story's main countries
    supported: bool
    # by an admin area written beside it or named in its article, or a place nearby
    specific: bool = False
    # its bracketed areas hold none of the name's candidates: the place is not in the data
    contradicted: bool = False


def _choose(ident: _Ident, group: _NameGroup, found: list[Candidate], context: _Context) -> _Choice:
    weights = context.countries_without(ident)
    total = sum(weights.values())
    top = max(weights.values(), default=0.0)
    best: _Choice | None = None
    qualified = judged = False
    for candidate in found:
        entry = candidate[0]
        share = weights[entry.country] / total if total and entry.country else 0.0
        qualifier = _qualifier_support(group, entry)
        qualified = qualified or bool(qualifier)
        judged = judged or qualifier is not None
        admin, country = _admin_support(group, entry, context)
        nearby = _nearby_support(group, entry, context)
        score = (
            _prior(candidate, group.area, group.settlement * 2 > group.count)
            + _CONTEXT_WEIGHT * share
            + _QUALIFIER_WEIGHT * (qualifier or 0.0)
            + _ADMIN_CONTEXT_WEIGHT * admin
            + _COUNTRY_NAMED_WEIGHT * country
            + _NEARBY_WEIGHT * nearby
        )
        main = top > 0 and weights[entry.country or ""] >= MAIN_COUNTRY_SHARE * top
        # one article of twenty naming the candidate's state is no evidence of its own
        specific = bool(qualifier) or admin >= 0.5 or nearby >= 0.5
        supported = bool(specific or country or main)
        ranked = (score, entry.name, -entry.id)
        if best is None or ranked > (best.score, best.entry.name, -best.entry.id):
            best = _Choice(entry, score, supported, specific)
    assert best is not None
    bracketed = sum(reading.bracketed for reading in group.readings)
    if judged and not qualified and bracketed * 2 >= group.count:
        return _Choice(best.entry, best.score, False, False, contradicted=True)
    return best


def _is_place(group: _NameGroup, choice: _Choice, surnames: Counter[str]) -> bool:
    """Whether a name the gazetteer knows is the chosen place here.

    Not if it is written as a person's surname at least as often as it is tagged as a
    place ("Jackson" in a story about Michael Jackson, "Sabra" of Abdelkarim Sabra), nor
    used as an outlet ("Ha'aretz reported"), nor if its bracketed areas hold no namesake.
    A country: if not mostly tagged PERSON. Mostly tagged or written as a place: if the
    story supports the place or it is big. Else only if the story supports it and it is big
    or written as a place.
    """
    entry = choice.entry
    if choice.contradicted:
        return False
    if group.labels["NORP"] * 2 > group.count and group.locative * 2 < group.count:
        return False  # a nationality or a creed ("Arab"), not the town of that name
    if entry.kind in ("country", "continent"):
        return group.labels["PERSON"] * 2 < group.count
    if surnames[group.key] and surnames[group.key] >= group.place_votes + group.locative:
        return False
    if group.media * 2 >= group.count:
        return False
    if group.place_votes > group.other_votes:
        if group.labels["LOC"] * 2 > group.count and entry.kind == "city":
            # spaCy's LOC is a region or a landmark ("Middle East", "Silicon Valley"): the
            # small town of that name only if an area written beside it says so
            return choice.specific or entry.population >= MIN_UNSUPPORTED_POPULATION
        return choice.supported or entry.population >= MIN_UNSUPPORTED_POPULATION
    if group.key in _STOPLIST or not choice.supported:
        return False
    if choice.specific or group.locative > 0:
        return True
    if group.place_votes > 0:
        return entry.population >= MIN_UNTAGGED_POPULATION
    # never written as a place, only its country supports it ("the Post" tagged ORG, a town
    # in Texas, in a story about the US): only a big one
    return entry.population >= MIN_UNSUPPORTED_POPULATION


def _is_unknown_place(group: _NameGroup, surnames: Counter[str]) -> bool:
    """A name mostly tagged as a place that the gazetteer does not know: not a date line
    ("Reply March 9, 2011"), a body ("Miami Herald"), a demonym's thing ("Israeli Army"), a
    person's ("Abu Sabra"), a polity ("Kingdom of Netanyahu", "German Empire") or an outlet
    ("Ha'aretz reported", "told Ha'aretz")."""
    words = group.key.split()
    if group.place_votes <= group.other_votes or group.media or group.key in _STOPLIST:
        return False
    if not any(reading.mention.label in PLACE_LABELS for reading in group.readings):
        return False
    if any(char.isdigit() for char in group.key):
        return False
    if any(word in _ORGANISATION_WORDS or word in _demonyms() for word in words):
        return False
    if any(surnames[word] for word in words):
        return False
    # a polity the gazetteer does not hold as a country is a historic or a mock one
    return not any(word in _GOVERNMENT_FORMS for word in words)


def _is_written_in_area(group: _NameGroup, surnames: Counter[str]) -> bool:
    """A name the gazetteer lacks that the text writes as a place in bracketed admin areas
    ("Rukore hill (Ntega, Kirundo)"), whatever spaCy tagged it, unless a person's."""
    if surnames[group.key] or group.media or group.key in _STOPLIST:
        return False
    written = [
        r for r in group.readings if r.bracketed and (r.locative or r.mention.label in PLACE_LABELS)
    ]
    return len(written) * 2 > group.count


def _written_country(group: _NameGroup) -> str | None:
    """The country of the admin areas written in brackets after a place the gazetteer lacks
    ("Ashulia town (Savar, Dhaka)": Bangladesh); no coordinates: the area's centre can lie
    far from the place (the data gives no area's extent)."""
    countries: Counter[str] = Counter()
    for reading in group.readings:
        if reading.bracketed and reading.qualifiers:
            found = {area.country for area in areas_of(reading.qualifiers[0]) if area.country}
            if len(found) == 1:
                countries[found.pop()] += 1
    if not countries:
        return None
    (country, count), *_ = countries.most_common(1)
    return country if count * 2 > group.count else None


def _government_form_country(key: str) -> list[Candidate]:
    """``"kingdom of bahrain"`` -> Bahrain: the country a government form names."""
    words = key.split()
    if len(words) > 2 and words[0] in _GOVERNMENT_FORMS and words[1] == "of":
        return [c for c in candidates(" ".join(words[2:])) if c[0].kind == "country"]
    return []


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
    places: dict[Entry, list[_NameGroup]],
) -> dict[tuple[str, int], list[tuple[str, Entry, int]]]:
    """Resolved names by first letter and length, so that a typo is compared only with
    names one letter longer or shorter: linear in the number of names, not quadratic."""
    buckets: dict[tuple[str, int], list[tuple[str, Entry, int]]] = defaultdict(list)
    for entry, groups in places.items():
        count = sum(group.count for group in groups)
        for group in groups:
            buckets[(group.key[0], len(group.key))].append((group.key, entry, count))
    return buckets


def _typo_target(
    key: str, buckets: dict[tuple[str, int], list[tuple[str, Entry, int]]]
) -> Entry | None:
    """The resolved place whose name is this unknown name with one typo (Bengahzi)."""
    if len(key) < _TYPO_MIN_LENGTH:
        return None
    best = None
    best_count = 0
    for length in (len(key) - 1, len(key), len(key) + 1):
        for known, entry, count in buckets.get((key[0], length), ()):
            if key in (known + "s", known[:-1]):
                continue  # a plural is another thing: the Americas are not America
            if count > best_count and _osa_distance_at_most_one(key, known):
                best, best_count = entry, count
    return best


def _as_place(groups: list[_NameGroup], entry: Entry | None) -> Place:
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
    if entry is not None:
        place.geo_name, place.country, place.kind = entry.name, entry.country, entry.kind
        place.latitude, place.longitude = entry.latitude, entry.longitude
    return place


def _context_from(
    groups: dict[_Ident, _NameGroup],
    contributions: dict[_Ident, Counter[str]],
    article_areas: dict[str, dict[int, set[str]]],
    chosen: dict[_Ident, Entry] | None = None,
) -> _Context:
    points: dict[str, list[tuple[str, float, float]]] = defaultdict(list)
    for ident, entry in (chosen or {}).items():
        if entry.latitude is None or entry.longitude is None:
            continue
        if entry.kind in ("city", "district"):
            for article in groups[ident].articles:
                points[article].append((ident[0], entry.latitude, entry.longitude))
    return _Context(contributions, article_areas, points)


def _resolve(
    groups: dict[_Ident, _NameGroup],
    found: dict[_Ident, list[Candidate]],
    context: _Context,
    surnames: Counter[str],
) -> dict[_Ident, Entry]:
    chosen = {}
    for ident, options in found.items():
        group = groups[ident]
        choice = _choose(ident, group, options, context)
        if _is_place(group, choice, surnames):
            chosen[ident] = choice.entry
    return chosen


def geocode_places(mentions: list[EntityMention], texts: dict[str, str]) -> list[Place]:
    """The places of a story, merged across articles and spellings, with coordinates.

    All mentions of a name count, whatever spaCy's label, and so do names spaCy missed that
    the text writes as places and the gazetteer knows (see the module docstring). The
    story's countries are first estimated from every place reading, then from the places
    chosen, and the names are resolved again with them and with the places nearby. Names
    the gazetteer does not know are kept without coordinates when mostly tagged as places
    and nothing says they are something else, or join a place of the story they are one
    typo away from (Bengahzi). Demonyms, directions and known organisations (Daesh) are no
    places. Sorted by mentions, most first, then by name.
    """
    found_readings = readings(mentions, texts)
    groups = _group(found_readings)
    known_actors = _known_actor_keys()
    excluded = {
        ident
        for ident, group in groups.items()
        if group.key in known_actors or group.key in _demonyms() or group.key in _NOT_PLACES
    }
    found: dict[_Ident, list[Candidate]] = {}
    for ident, group in groups.items():
        if ident not in excluded:
            options = _candidates(group) or _government_form_country(group.key)
            if options:
                found[ident] = options
    surnames = _surnames(found_readings)
    article_areas = _article_areas(groups[ident] for ident in found)

    contributions = _story_countries(groups, found)
    chosen = _resolve(groups, found, _context_from(groups, contributions, article_areas), surnames)
    # Second pass: the countries of the places chosen, and the places nearby.
    contributions = _demonym_weights(groups)
    for ident, entry in chosen.items():
        if entry.country is not None:
            contributions[ident] = Counter({entry.country: groups[ident].place_votes or 1})
    context = _context_from(groups, contributions, article_areas, chosen)
    chosen = _resolve(groups, found, context, surnames)

    resolved: dict[Entry, list[_NameGroup]] = defaultdict(list)
    for ident, entry in chosen.items():
        resolved[entry].append(groups[ident])
    unresolved = [
        group
        for ident, group in groups.items()
        if ident not in chosen
        and ident not in excluded
        and (_is_unknown_place(group, surnames) or _is_written_in_area(group, surnames))
    ]
    leftovers: list[_NameGroup] = []
    buckets = _typo_targets(resolved)
    for group in unresolved:
        # a person's name one letter from a place (Georgina, Georgia) is no typo
        target = None if group.labels["PERSON"] else _typo_target(group.key, buckets)
        if target is None:
            leftovers.append(group)
        else:
            resolved[target].append(group)
    places = [_as_place(members, entry) for entry, members in resolved.items()]
    for group in leftovers:
        place = _as_place([group], None)
        place.country = _written_country(group)
        places.append(place)
    places.sort(key=lambda place: (-place.mentions, place.name))
    return places
