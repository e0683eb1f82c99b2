"""Readings of place names: each mention of a possible place with what its surroundings
say about it, before the story decides which place it is (:mod:`storyline.analyse.places`).

A reading records whether the text writes the name as a place ("in X", "X village",
"outskirts of X"), as an admin area ("Marib province", or the area of another place:
"Nihm (Sanaa)", "Novi Sad, Serbia"), or as an outlet ("Ha'aretz reported"), and which
areas are written right after it. spaCy's small model misses or cuts many small-town
names ("Foz" of "Foz do Iguacu"), so readings also come from names the text writes as
places and the gazetteer knows, and a mention grows to the longer name the gazetteer knows.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache

from storyline.analyse.gazetteer import Entry, candidates, plain_key
from storyline.model import EntityMention

__all__ = [
    "AREA_KINDS",
    "Reading",
    "areas_of",
    "clean_name",
    "contains",
    "core_name",
    "name_key",
    "readings",
]

AREA_KINDS = frozenset({"region", "district", "country", "continent"})


def _words(text: str) -> frozenset[str]:
    """A word list written as text, one word per whitespace."""
    return frozenset(text.split())


# Words naming what kind of place a name is, written after it ("Ashulia town", "Kohsan
# district"). An area word makes the name an admin area; a settlement word, a town.
_AREA_WORDS = _words(
    "district districts province governorate region county municipality state department"
    " prefecture oblast raion rayon subdistrict sub-district commune territory canton"
    " division wilaya"
)
_SETTLEMENT_WORDS = _words(
    "village town city camp neighbourhood neighborhood suburb locality hamlet township"
)
# "area" says where, not what: "the Islam Qalah area" may be a village or a district.
_KIND_WORDS = _AREA_WORDS | _SETTLEMENT_WORDS | {"area"}
_KIND_WORD = "|".join(sorted(_KIND_WORDS, key=len, reverse=True))
_KIND_AFTER = re.compile(rf"\s+({_KIND_WORD})\b")
# Written as a place: "in X", "near X", "the village of X", "outskirts of X".
# "in the Post" is no place: after "the", only "the village of X" and the like.
_LOCATIVE_BEFORE = re.compile(
    rf"(?:\b(?:[Ii]n|[Nn]ear|[Oo]utside|[Aa]round|[Ii]nside|[Ii]nto|[Tt]owards?|[Aa]cross)"
    rf"|\b(?:{_KIND_WORD}|outskirts|vicinity|suburbs|environs) of)\s+$"
)
# A place spaCy may have missed: after a locative word, a capitalised name.
_DETECT_AFTER = re.compile(
    rf"\b(?:in|near|outside|around|inside|towards?|across)\s+"
    rf"(?:the\s+(?:{_KIND_WORD}|outskirts|vicinity|suburbs|environs)\s+of\s+)?(?=[^\W\d_])"
)
# Used as an outlet or a speaker: "Ha'aretz reported", "told Ha'aretz", "the newspaper X".
_MEDIA_AFTER = re.compile(
    r"\s+(?:has\s+|had\s+)?(?:reported|reports|wrote|writes|quoted|cited|published|said|says)\b"
)
_MEDIA_BEFORE = re.compile(
    r"\b(?:newspaper|daily|weekly|paper|magazine|website|channel|broadcaster|told|"
    r"according to|interview with)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_BRACKET_AFTER = re.compile(r"\s*\(([^()\n]{1,80})\)")
_COMMA = re.compile(r",\s*")
_LIST_GOES_ON = re.compile(r"\s+(?:and|or)\s+[A-Z]")
_MAX_QUALIFIERS = 3
_WORD = re.compile(r"[^\W\d_][\w'’]*")
# Lowercase words allowed inside a place name ("Foz do Iguacu", "Kambi ya Yua", "Port of
# Spain", "Rostov-on-Don", "Mazar-e Sharif"): a name holding one counts only if the
# gazetteer knows it.
_NAME_PARTICLES = _words(
    "al el ad as ash an ar at az de do da dos das del di du la le les des y ya wa bin ibn"
    " bani abu um umm sur sous of on am e i"
)
_MAX_NAME_WORDS = 5

_BRACKETS = re.compile(r"[\[\]{}<>]")
_SPACES = re.compile(r"\s+")
_POSSESSIVE_END = re.compile(r"(?:['’]s|(?<=s)['’])$")
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)
_ABBREVIATION_END = re.compile(r"(?:^|[.\s])[A-Za-z]\.$")
_EDGE_CHARACTERS = "\"“”„‘’'`«»‹›,;:!?*•·–—-/\\|#~^_=+&@ "
_CAPITALISED_WORD = re.compile(r"\b[A-Z]")


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
    return plain_key(text)


def contains(area: Entry, place: Entry) -> bool:
    """Whether a place may lie in a country or admin area: it does, or the data does not
    say which area of that level of the area's country or region it lies in."""
    if place.id == area.id or place.kind in ("country", "continent"):
        return False
    if area.kind == "country":
        return place.country == area.country
    if area.kind == "region":
        return place.admin1 == area.id or (place.admin1 is None and place.country == area.country)
    if area.kind == "district" and place.kind == "city":
        return place.admin2 == area.id or (
            place.admin2 is None and place.admin1 is not None and place.admin1 == area.admin1
        )
    return False


@lru_cache(maxsize=65536)
def areas_of(key: str) -> tuple[Entry, ...]:
    """The countries and admin areas a name key may mean."""
    return tuple(entry for entry, _ in candidates(key) if entry.kind in AREA_KINDS)


@dataclass
class Reading:
    """One mention of a name with what its surroundings say about it."""

    mention: EntityMention
    form: str  # as written, with an area word but no settlement word ("Marib province")
    key: str  # of the name without its kind word ("marib")
    area: bool = False  # written with an area word or as the area of another place
    settlement: bool = False  # written with a settlement word ("Ashulia town")
    locative: bool = False  # written as a place: "in X", "X village"
    media: bool = False  # "X reported", "told X"
    qualifiers: list[str] = field(default_factory=list)  # keys of the areas written after it
    # qualifiers in brackets: a bracket names the areas even where the gazetteer lacks the
    # place in them ("Bamba (Koro, Mopti)": not the Bamba in Sikasso)
    bracketed: bool = False
    kind_word: str | None = None  # the area word written with it ("province", "county")

    @property
    def detected(self) -> bool:
        """Found by its context and the gazetteer, not tagged by spaCy."""
        return not self.mention.label


def core_name(form: str) -> str:
    """A place's name without the words for its kind: ``"Marib province"`` -> ``"Marib"``."""
    return _strip_kind_words(form)[0]


def _strip_kind_words(form: str) -> tuple[str, str | None, bool]:
    """A form without trailing kind words, the area word among them, and whether a
    settlement word was: ``"Marib province"`` -> ``("Marib", "province", False)``."""
    words = form.split()
    area: str | None = None
    settlement = False
    while len(words) > 1 and words[-1].casefold() in _KIND_WORDS:
        word = words.pop().casefold()
        area = area or (word if word in _AREA_WORDS else None)
        settlement = settlement or word in _SETTLEMENT_WORDS
    return " ".join(words), area, settlement


def _capitalised_run(text: str, position: int) -> list[tuple[int, int]]:
    """Word spans of the capitalised name starting at ``position``: capitalised words
    joined by spaces or hyphens, with particles inside but not at the end."""
    words: list[tuple[int, int]] = []
    for match in _WORD.finditer(text, position):
        gap = text[words[-1][1] if words else position : match.start()]
        if gap not in ("", " ", "-") or len(words) >= _MAX_NAME_WORDS * 2:
            break
        word = match.group()
        if word[0].isupper() or (word.casefold() in _NAME_PARTICLES and words):
            words.append(match.span())
        else:
            break
    while words and not text[words[-1][0]].isupper():
        words.pop()
    return words


def _known_prefix(text: str, words: list[tuple[int, int]], area_only: bool) -> tuple[int, int]:
    """The longest prefix of a capitalised run that the gazetteer knows (as an area)."""
    for size in range(min(len(words), _MAX_NAME_WORDS), 0, -1):
        start, end = words[0][0], words[size - 1][1]
        if not text[words[size - 1][0]].isupper():
            continue
        key = name_key(text[start:end])
        if areas_of(key) if area_only else candidates(key):
            return start, end
    return -1, -1


def _qualifier_spans(text: str, end: int) -> tuple[list[tuple[int, int]], bool]:
    """Spans of the names written right after a mention as its areas, and whether in
    brackets: "(Masisi, Nord-Kivu)", ", Texas", ", Aragua state", ", Valencia, Carabobo".
    A comma name followed by "and"/"or" and another name is a list, not a qualifier."""
    kind = _KIND_AFTER.match(text, end)
    position = kind.end() if kind else end
    bracket = _BRACKET_AFTER.match(text, position)
    spans = []
    if bracket:
        offset = bracket.start(1)
        for part in bracket.group(1).split(","):
            lead = len(part) - len(part.lstrip())
            words = _capitalised_run(text, offset + lead)
            if words and words[-1][1] <= bracket.end(1):
                spans.append((words[0][0], words[-1][1]))
            offset += len(part) + 1
        return spans, True
    for _ in range(_MAX_QUALIFIERS):
        comma = _COMMA.match(text, position)
        if not comma:
            break
        start, stop = _known_prefix(text, _capitalised_run(text, comma.end()), area_only=True)
        if start < 0 or _LIST_GOES_ON.match(text, stop):
            break
        spans.append((start, stop))
        kind = _KIND_AFTER.match(text, stop)
        position = kind.end() if kind else stop
    return spans, False


def _read(mention: EntityMention, text: str | None) -> Reading | None:
    form = clean_name(mention.text)
    if not _CAPITALISED_WORD.search(form):
        return None  # "mosques", "eastern": common words, not names
    core, area_word, settlement = _strip_kind_words(form)
    if core != form and any(e.kind == "city" for e, _ in candidates(name_key(form))):
        core, area_word, settlement = form, None, False  # "Guatemala City", "Quezon City"
    key = name_key(core)
    if len(key) < 2:
        return None
    shown = f"{core} {form.split()[-1]}" if area_word else core
    reading = Reading(mention, shown, key, area=area_word is not None, settlement=settlement)
    reading.kind_word = area_word
    reading.locative = reading.area or settlement
    if text:
        before = text[max(0, mention.start - 40) : mention.start]
        kind = _KIND_AFTER.match(text, mention.end)
        if kind:
            word = kind.group(1).casefold()
            reading.locative = True
            if word in _AREA_WORDS and not reading.area:
                reading.area, reading.kind_word = True, word
                reading.form = f"{core} {kind.group(1)}"
            reading.settlement = reading.settlement or word in _SETTLEMENT_WORDS
        reading.locative = reading.locative or bool(_LOCATIVE_BEFORE.search(before))
        # "in Beirut says" is a place; "Ha'aretz reported", "told Ha'aretz" an outlet
        speaks = not reading.locative and _MEDIA_AFTER.match(text, mention.end)
        reading.media = bool(speaks or _MEDIA_BEFORE.search(before))
    return reading


def _run_start(text: str, start: int) -> int:
    """Where the capitalised name holding the word at ``start`` begins: spaCy tags "Rocha"
    of "Catole do Rocha" and "Antonio de Jesus" of "Santo Antonio de Jesus"."""
    words = list(_WORD.finditer(text, max(0, start - 60), start))
    begin = start
    for match in reversed(words):
        gap = text[match.end() : begin]
        word = match.group()
        if gap not in (" ", "-") or not (word[0].isupper() or word.casefold() in _NAME_PARTICLES):
            break
        begin = match.start()
    while begin < start and not text[begin].isupper():  # not from a particle
        following = _WORD.search(text, begin + 1)
        begin = following.start() if following else start
    return begin


def _grown(mention: EntityMention, text: str) -> EntityMention:
    """The mention grown to the longest name the gazetteer knows that holds it: spaCy tags
    "Foz" of "Foz do Iguacu", "Boa" of "Boa Vista", "Rocha" of "Catole do Rocha"."""
    if not text[mention.start : mention.start + 1].isupper():
        return mention
    best = (mention.start, mention.end)
    begin = _run_start(text, mention.start)
    starts = [m.start() for m in _WORD.finditer(text, begin, mention.start + 1)]
    for start in starts:
        if not text[start].isupper():
            continue
        ends = [end for word, end in _capitalised_run(text, start) if text[word].isupper()]
        for end in sorted((end for end in ends if end >= mention.end), reverse=True):
            if end - start <= best[1] - best[0]:
                break
            if candidates(name_key(text[start:end])):
                best = (start, end)
                break
    if best == (mention.start, mention.end):
        return mention
    return replace(mention, text=text[best[0] : best[1]], start=best[0], end=best[1])


def _split(mention: EntityMention) -> list[EntityMention]:
    """A mention that holds a place and its areas ("Nis, Serbia", "Bello, Antioquia
    department", "Rawson (Chubut": spaCy tags them as one) as one mention per name."""
    if "(" in mention.text:
        # "Rawson (Chubut": the bracket is read as the areas written after the name
        head = mention.text.split("(", 1)[0].rstrip()
        if not head:
            return []
        mention = replace(mention, text=head, end=mention.start + len(head))
    if "," not in mention.text:
        return [mention]
    parts = []
    offset = 0
    for part in mention.text.split(","):
        lead = len(part) - len(part.lstrip())
        name = part.strip()
        if name:
            start = mention.start + offset + lead
            parts.append(replace(mention, text=name, start=start, end=start + len(name)))
        offset += len(part) + 1
    return parts


def _without_overlapped(mentions: list[EntityMention], grown: list[bool]) -> list[EntityMention]:
    """Without the mentions that overlap a grown one ("Spain city" of "Port of Spain city",
    "Don" of "Rostov-on-Don")."""
    spans = [(m.start, m.end) for m, was_grown in zip(mentions, grown) if was_grown]
    return [
        m
        for m, was_grown in zip(mentions, grown)
        if was_grown or not any(s < m.end and m.start < e for s, e in spans)
    ]


def _overlaps(start: int, end: int, taken: list[tuple[int, int]]) -> bool:
    return any(s < end and start < e for s, e in taken)


def _detected(text: str, article_id: str, taken: list[tuple[int, int]]) -> list[EntityMention]:
    """Names written as places ("in X", "near the village of X") that no mention covers and
    the gazetteer knows: the longest known prefix of the capitalised name."""
    found = []
    for trigger in _DETECT_AFTER.finditer(text):
        words = _capitalised_run(text, trigger.end())
        if not words or _overlaps(words[0][0], words[-1][1], taken):
            continue
        start, end = _known_prefix(text, words, area_only=False)
        if start >= 0:
            found.append(EntityMention(text[start:end], "", article_id, -1, start, end))
            taken.append((start, end))
    return found


def _with_qualifiers(text: str, article_id: str, own: list[Reading], taken: list) -> list[Reading]:
    """Each reading learns the areas written after it; a reading that is such an area
    becomes an area reading, and bracketed areas no mention covers become readings.

    A comma name counts only if it holds the place ("Alexandria, Va."), so that a list
    ("Cairo, Alexandria") is no qualifier; a bracketed one if the gazetteer knows it as an
    area, whether or not the place is known in it, and it is read as a place of its own
    even where spaCy missed it."""
    by_start = {reading.mention.start: reading for reading in own}
    added: list[Reading] = []
    for reading in list(own):
        spans, bracketed = _qualifier_spans(text, reading.mention.end)
        for start, end in spans:
            name, _, _ = _strip_kind_words(text[start:end])  # "Aragua state": "Aragua"
            key = name_key(name)
            areas = areas_of(key)
            if not areas:
                continue
            if not bracketed:
                places = [entry for entry, _ in candidates(reading.key)]
                if any(entry.kind == "country" for entry in places) or not any(
                    contains(area, place) for area in areas for place in places
                ):
                    continue  # "China, Japan": a country is no place in another
            reading.qualifiers.append(key)
            reading.bracketed = reading.bracketed or bracketed
            qualifier = by_start.get(start)
            if qualifier is None and bracketed and not _overlaps(start, start + len(name), taken):
                mention = EntityMention(name, "", article_id, -1, start, start + len(name))
                qualifier = _read(mention, text)
                if qualifier is not None:
                    taken.append((start, start + len(name)))
                    by_start[start] = qualifier
                    added.append(qualifier)
            if qualifier is not None:
                qualifier.area = True
    return own + added


def readings(mentions: Iterable[EntityMention], texts: dict[str, str]) -> list[Reading]:
    """Readings of the mentions, of the names spaCy missed, and of the areas written
    after them, article by article (``texts``: article id -> text)."""
    by_article: dict[str, list[EntityMention]] = defaultdict(list)
    for mention in mentions:
        by_article[mention.article_id].append(mention)
    found: list[Reading] = []
    for article_id in dict.fromkeys([*by_article, *texts]):
        text = texts.get(article_id)
        own = by_article.get(article_id, [])
        if not text:
            found += [reading for m in own if (reading := _read(m, None)) is not None]
            continue
        parts = [part for mention in own for part in _split(mention)]
        grown = [_grown(part, text) for part in parts]
        own = _without_overlapped(grown, [g is not p for g, p in zip(grown, parts)])
        taken = [(m.start, m.end) for m in own]
        own += _detected(text, article_id, taken)
        article = [reading for m in own if (reading := _read(m, text)) is not None]
        found += _with_qualifiers(text, article_id, article, taken)
    return found
