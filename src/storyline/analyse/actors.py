"""Actors of a story: people, organisations and groups, merged across articles and names.

Input is every entity mention of the story (spaCy labels are noisy: "Haftar" is PERSON in one
sentence and ORG in the next, "Derna" ORG, "Marshal Khalifa Haftar" ORG), so names are first
grouped by a spelling-insensitive key whatever their label, then groups are joined when they
name the same actor:

- titles and ranks are stripped ("Libyan Field-Marshal Khalifa Haftar" -> "Khalifa Haftar");
- an acronym joins the name whose initials it is ("LNA" = "Libyan National Army"), also in a
  foreign word order ("ANL", Armée nationale libyenne) when that name is in the story; the
  texts' own definitions join too: "Libyan National Army (LNA)", "LNA (Libyan National
  Army)", "the Libyan national army, the self-proclaimed ANL", "the Islamic State (ISIS)";
- well-known entities with unrelated names (Daesh = ISIS = Islamic State) come from
  ``data/known_aliases.json``; two different known entities are never joined;
- a surname joins the one full name of the story that ends with it ("Haftar");
  transliterations of Arabic names join ("Ahmad Al Mesmari" = "Ahmad al-Mismari");
- an organisation's name with a generic suffix or a descriptive adjective joins the name
  without it ("Likud Party" = "Likud", "Daesh Takfiri" = "Daesh"); a mention the tagger cut
  short of a longer name written right there joins that name ("Blue" of "Blue and White");
- a nickname joins a name only where the text links them ('Benjamin "Bibi" Netanyahu',
  "..., known as Bibi") or the shipped data does.

Page furniture is no actor: an organisation named only in sentences without a clause
(credits, promo lines), and an outlet named only as a source or addressee of reported speech
("told AFP", "Reuters reported") or in its own article, are left out.

Places are left to :mod:`storyline.analyse.places`: a name it takes as a place is no actor.
spaCy does not offer this story-level merging (its entity linker needs a knowledge base we
do not have), hence our own rules.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from typing import TYPE_CHECKING

from storyline.analyse.places import (
    _known_aliases,
    clean_name,
    country_of_demonym,
    geocode_places,
    name_key,
)
from storyline.model import Actor, EntityMention, Place
from storyline.vocabulary import (
    PERSON_TITLES,
    PLACE_LABELS,
    SUBJECT_DEPENDENCIES,
    TITLE_ABBREVIATIONS,
)

if TYPE_CHECKING:
    from spacy.tokens import Span

__all__ = ["mention_role", "merge_actors"]


def _phrases(text: str) -> frozenset[str]:
    """Lowercase phrases separated by "|" or line breaks."""
    return frozenset(
        phrase.strip() for line in text.splitlines() for phrase in line.split("|") if phrase.strip()
    )


_LABEL_TYPES = {"PERSON": "person", "ORG": "organisation", "NORP": "group"}
# Titles before a name are matched longest first ("lt gen" before "lt").
_MAX_TITLE_WORDS = max(len(title.split()) for title in PERSON_TITLES)
# Words that may stand before a title: "former President", "Libyan Field-Marshal",
# "LNA spokesman", "self-proclaimed Marshal".
_TITLE_MODIFIERS = _phrases(
    "former|late|ex|then|acting|deputy|interim|self|proclaimed|military|rebel|militia|"
    "opposition|veteran|retired|outgoing|incoming"
)
# Words that make a name an organisation whatever spaCy says ("Ansar al-Sharia" PERSON).
_ORGANISATION_WORDS = _phrases(
    """
    council|army|party|front|movement|group|brigade|brigades|forces|force|ministry|agency
    union|committee|commission|court|bank|company|corporation|inc|ltd|llc|university
    institute|association|organisation|organization|government|parliament|assembly|police
    watch|network|foundation|office|department|room|command|coalition|alliance|militia
    battalion|division|unit|units|authority|service|services|news|times|post|tribune
    ansar|jaish|harakat|jabhat|liwa|katiba|kataib|hizb
    """
)
# Bare generic nouns that spaCy tags ORG ("Army forces are advancing"): not a named actor.
_GENERIC_NAMES = _phrases(
    "army|forces|military|government|police|ministry|navy|air force|security forces|state|"
    "defense|defence|interior|bst|gmt|est|edt|cet|cest|pst|pdt|pdf|rss|html|url|faq|gmt|utc|am|pm|reply|share|comments|newsletter|"
    "subscribe|sign in|log in|login|terms of service|terms of use|privacy policy|cookie policy"
)
_NAME_STOPWORDS = _phrases(
    "of|the|for|and|in|on|at|to|by|de|du|des|la|le|les|el|al|et|a|an|with|from"
)
# Arabic articles written before a name ("al-Mismari", "Al Mesmari", "el-Sisi").
_PARTICLES = _phrases("al|el|ad|as|ash|at|az|an|ar|ul")
_ADJECTIVE_ENDINGS = ("an", "ese", "ist", "ic", "ish", "i", "ern")
# Creed and party words whose singular is an adjective or one member, not the group.
_CREED_WORDS = _phrases(
    "arab|muslim|moslem|shia|shiite|sunni|jew|kurd|sikh|hindu|protestant|democrat|conservative|"
    "liberal|islamist|jihadist|western|eastern|northern|southern"
)

_TRAILING_TITLE = re.compile(
    rf"\s+(?:{'|'.join(sorted(title.capitalize() for title in TITLE_ABBREVIATIONS))})\.?$"
)
_COMPANY_SUFFIXES = _phrases("plc|inc|ltd|llc|corp|co|sa|ag|gmbh|nv|bv|spa|lp")
_GENERATIONS = _phrases("jr|sr|ii|iii|iv")
# Generic words an organisation's name may be written with or without ("Likud Party",
# "Hamas movement", "Polisario Front").
_ORGANISATION_SUFFIXES = _phrases(
    "party|movement|front|army|alliance|coalition|group|bloc|faction|militia|organisation|"
    "organization|network|league|union"
)
# Words a name is also written without, in front of another noun ("the US Fish and Wildlife
# Service" -> "U.S. Fish and Wildlife spokeswoman").
_CORE_SUFFIXES = (
    _ORGANISATION_SUFFIXES
    | _COMPANY_SUFFIXES
    | _phrases(
        "service|agency|department|ministry|committee|commission|council|administration|office"
    )
)
# 'Benjamin "Bibi" Netanyahu': a nickname quoted between the given name and the surname.
_QUOTED_NICKNAME = re.compile(
    r"\b([A-Z][\w’'.-]+) [\"“‘']([A-Z][\w.’'-]+)[\"”’'] ([A-Z][\w’'-]+)\b"
)
# "Benjamin Netanyahu, known as Bibi", "Cowan, 43, who is known as Mo", "nicknamed".
_KNOWN_AS = re.compile(
    r"\b([A-Z][\w’'.-]+(?: [A-Z][\w’'.-]+){0,3})(?: \(|, (?:[^,.;()\n]{1,40}, )?)"
    r"(?:who (?:is|was) )?(?:(?:also|widely|popularly|commonly|better|affectionately) )?"
    r"(?:known as|nicknamed) [\"“‘']?([A-Z][\w.’'-]+(?: [A-Z][\w.’'-]+){0,2})"
)
_COMPANY_WORDS = _phrases("international|group|holdings|corporation|company|industries")
_ACRONYM = re.compile(r"^(?:[A-Z]\.?){2,8}$")
_WEB_ADDRESS = re.compile(r"@|https?:|www\.|\.(?:com|org|net|co|ca|uk|au|in)\b", re.IGNORECASE)
_POSSESSIVE_INSIDE = re.compile(r"^(?P<owner>[^'’]+?)['’]s\s+(?P<owned>[A-Z].*)$")
_PAREN_ACRONYM = re.compile(r"\(\s*((?:[A-Z]\.?){2,8})\s*\)")
_ACRONYM_PAREN = re.compile(r"\b([A-Z]{2,8})\s*\(([^()\n]{3,80})\)")
_APPOSITION = re.compile(
    r",\s+(?:(?:the|a|its|their)\s+)?(?:[a-z][\w-]*\s+){0,2}([A-Z]{2,8})\b(?!['’-]?\w)"
)
_BEFORE_BREAK = re.compile(r"[.;:!?()\[\]\"“”\n,]")
_PARTICLE_NAME = re.compile(r"^(?:al|el|ad|as|an|ar|at)[-‐][A-Z]")
_WORD = re.compile(r"[\w’'-]+")
_NAME_WORD = re.compile(r"[\w’'.&-]+")
_POSSESSIVE_END = re.compile(r"['’]s?$")
_VOWELS = re.compile(r"[aeiouy]")
_DOUBLED = re.compile(r"(.)\1+")
_SOUND_SPELLINGS = (("kh", "k"), ("gh", "k"), ("dh", "d"), ("th", "t"), ("ph", "f"), ("q", "k"))

# A bare surname shared by several full names goes to the most mentioned one only when it has
# at least this many times the mentions of all the others together.
_SURNAME_DOMINANCE = 2.0
# Transliteration variants must be this long: "Dan"/"Don" are different people.
_MIN_VARIANT_LENGTH = 5


# ---------------------------------------------------------------- how a name is used


def mention_role(ent: Span, reporting: set[int]) -> str:
    """How the sentence of a parsed mention uses it (:attr:`EntityMention.role`):
    "attribution" when it names the source or addressee of reported speech (``reporting``,
    from :func:`storyline.analyse.quotes.reporting_tokens`), "furniture" when its sentence
    has no clause (no verb with a subject: credits, bylines, "Watch CBSN Live"), else
    "narrative"."""
    if any(token.i in reporting for token in ent):
        return "attribution"
    if not any(
        token.dep_ in SUBJECT_DEPENDENCIES and token.head.pos_ in ("VERB", "AUX")
        for token in ent.sent
    ):
        return "furniture"
    return "narrative"


def _repair_truncated(mentions: list[EntityMention], texts: dict[str, str]) -> list[EntityMention]:
    """Mentions the tagger cut short of a longer name of the story that the text writes right
    there ("Blue" where the text says "Blue and White") become mentions of that name; a
    mention inside 'William "Mo" Cowan' is one of William Cowan."""
    longer: dict[str, dict[str, Counter[str]]] = defaultdict(dict)  # word -> name -> labels
    for mention in mentions:
        words = mention.text.split()
        if len(words) >= 2:
            for word in words:
                longer[word.casefold()].setdefault(mention.text, Counter())[mention.label] += 1
    nicknamed = {
        article_id: [(found.start(), found.end(), f"{found[1]} {found[3]}") for found in matches]
        for article_id, text in texts.items()
        if (matches := list(_QUOTED_NICKNAME.finditer(text)))
    }
    repaired: list[EntityMention] = []
    seen: set[tuple[str, int, int]] = set()
    for mention in mentions:
        extended = _extended(mention, longer, texts.get(mention.article_id, ""))
        for start, end, name in nicknamed.get(mention.article_id, ()):
            if start <= mention.start < end:  # 'William "Mo' of 'William "Mo" Cowan'
                extended = EntityMention(
                    name, "PERSON", mention.article_id, mention.sentence_index, start, end,
                    role=mention.role,
                )  # fmt: skip
        if extended is mention:
            repaired.append(mention)
            continue
        place = (extended.article_id, extended.start, extended.end)
        if place not in seen:  # "Blue" and "White" both extended to one "Blue and White"
            seen.add(place)
            repaired.append(extended)
    return repaired


def _extended(
    mention: EntityMention, longer: dict[str, dict[str, Counter[str]]], text: str
) -> EntityMention:
    own = [name_key(word) for word in mention.text.split()]
    if not own or not all(own):
        return mention
    found = longer.get(mention.text.split()[0].casefold(), {})
    for name in sorted(found, key=len, reverse=True):
        # the core too: "Wildlife" of "U.S. Fish and Wildlife spokeswoman" is the "US Fish and
        # Wildlife" of "the US Fish and Wildlife Service"
        for form in _core_forms(name):
            keys = [name_key(word) for word in form.split()]
            if len(keys) <= len(own) or name_key(form) == name_key(mention.text):
                continue
            for at in range(len(keys) - len(own) + 1):
                if keys[at : at + len(own)] != own:
                    continue
                before = _words_around(text, mention.start, at, backwards=True)
                after = _words_around(text, mention.end, len(keys) - at - len(own))
                if before is None or after is None:
                    continue
                if [key for key, _, _ in before] + own + [key for key, _, _ in after] != keys:
                    continue
                start = before[0][1] if before else mention.start
                end = after[-1][2] if after else mention.end
                label = found[name].most_common(1)[0][0]
                return EntityMention(
                    text[start:end], label, mention.article_id, mention.sentence_index,
                    start, end, role=mention.role,
                )  # fmt: skip
    return mention


def _words_around(
    text: str, at: int, count: int, backwards: bool = False
) -> list[tuple[str, int, int]] | None:
    """The ``count`` words of the text right before (or after) offset ``at``, separated by
    spaces only, as (name key, start, end); None if there are fewer."""
    if count == 0:
        return []
    offset = max(0, at - 120) if backwards else at
    window = text[offset:at] if backwards else text[at : at + 120]
    words = [(m.group(), offset + m.start(), offset + m.end()) for m in _NAME_WORD.finditer(window)]
    chosen = words[-count:] if backwards else words[:count]
    if len(chosen) < count:
        return None
    spans = [(start, end) for _, start, end in chosen]
    if backwards:
        between = [(a[1], b[0]) for a, b in pairwise(spans)] + [(spans[-1][1], at)]
    else:
        between = [(at, spans[0][0])] + [(a[1], b[0]) for a, b in pairwise(spans)]
    if any(text[start:end].strip() for start, end in between):
        return None  # punctuation or a line break between: not one name
    found = []
    for word, start, end in chosen:
        owner = _POSSESSIVE_END.sub("", word)  # "Enrique Pena Nieto’s decision"
        found.append((name_key(owner), start, end - (len(word) - len(owner))))
    return found


def _core_forms(name: str) -> list[str]:
    """A name as written, and without a leading "the" and trailing generic words ("the
    Blue and White party" -> "Blue and White", "the US Fish and Wildlife Service" -> "US Fish
    and Wildlife")."""
    forms = [name]
    words = name.split()
    if words and words[0].casefold() == "the":
        words = words[1:]
    while len(words) > 1 and name_key(words[-1]) in _CORE_SUFFIXES:
        words = words[:-1]
    core = " ".join(words)
    if core and core != name:
        forms.append(core)
    return forms


# ---------------------------------------------------------------- known entities


@dataclass(frozen=True)
class _KnownEntity:
    name: str
    type: str


@lru_cache(maxsize=1)
def _known_entities() -> tuple[dict[str, int], tuple[_KnownEntity, ...]]:
    """Name key -> entity number, and the entities (countries are left to places)."""
    entities = []
    keys: dict[str, int] = {}
    for entry in _known_aliases()["entities"]:
        number = len(entities)
        entities.append(_KnownEntity(entry["name"], entry["type"]))
        for alias in (entry["name"], *entry["aliases"]):
            keys.setdefault(name_key(alias), number)
    return keys, tuple(entities)


# ---------------------------------------------------------------- names and titles


def _split_title(form: str) -> tuple[str, bool]:
    """The name without leading titles and their modifiers, and whether a title was there.

    ``"Libyan Field-Marshal Khalifa Haftar"`` -> ``("Khalifa Haftar", True)``; a bare title
    (``"Libyan Field-Marshal"``) gives ``("", True)``.
    """
    tokens = form.split()
    token_words = [name_key(token).split() for token in tokens]
    position = 0
    name_start = None
    while position < len(tokens):
        matched = _title_at(token_words, position)
        if matched:
            position = name_start = position + matched
            continue
        words = token_words[position]
        if not words:
            position += 1
            continue
        is_modifier = (
            all(word in _TITLE_MODIFIERS for word in words)
            or country_of_demonym(tokens[position]) is not None
            or bool(_ACRONYM.match(tokens[position]))
        )
        if not is_modifier:
            break
        position += 1
    if name_start is None:
        return form, False
    return " ".join(tokens[name_start:]), True


def _title_at(token_words: list[list[str]], position: int) -> int:
    """How many tokens from ``position`` form a title (longest first), 0 if none."""
    for length in range(min(_MAX_TITLE_WORDS, len(token_words) - position), 0, -1):
        words = tuple(word for token in token_words[position : position + length] for word in token)
        if words and " ".join(words) in PERSON_TITLES:
            return length
    return 0


def _is_adjective_norp(form: str) -> bool:
    """A nationality or creed adjective ("Libyan", "Islamist", "North African", "Muslim",
    "Libyans"): context, not an actor. Plural group names ("Houthis", "Arabs", "Republicans")
    and names that are no adjective ("Peshmerga") stay."""
    if country_of_demonym(form) is not None:
        return True
    last = name_key(form).rsplit(" ", 1)[-1]
    return last in _CREED_WORDS or last.endswith(_ADJECTIVE_ENDINGS)


@lru_cache(maxsize=65536)
def _is_junk(form: str, key: str) -> bool:
    """Not a name: too short, lowercase, mostly digits, an adjective, page furniture, or a
    bare generic noun."""
    if len(key) < 2 or not any(char.isalpha() for char in key):
        return True
    if not any(char.isupper() for char in form):
        return True  # all lowercase: a common word, not a name
    if sum(char.isdigit() for char in key) * 2 >= len(key.replace(" ", "")):
        return True
    if key.split(" ", 1)[0] in ("pro", "anti"):
        return True  # "pro-Gadhafi": an adjective
    if _WEB_ADDRESS.search(form):
        return True  # "@g_e_anderson", "Ctvnews.ca": page furniture, not a name
    return key in _GENERIC_NAMES


def _is_acronym(form: str) -> bool:
    return bool(_ACRONYM.match(form))


def _acronym_letters(form: str) -> str:
    return form.replace(".", "").upper()


def _initial_variants(words: list[str]) -> set[str]:
    """Initials an acronym of these words may use: of content words only ("GNA" for
    Government of National Accord), of all words ("ISIL"), counting hyphenated parts."""
    parts = [part for word in words for part in re.split(r"[-‐]", word) if part]
    variants = set()
    for group in (words, parts):
        content = [w for w in group if w.casefold() not in _NAME_STOPWORDS]
        for chosen in (content, group):
            letters = "".join(w[0] for w in chosen if w[0].isalpha()).upper()
            if len(letters) >= 2:
                variants.add(letters)
    return variants


def _skeleton(word: str) -> str:
    """A spelling-blind form of a name word for transliteration variants: consonants only
    after the first letter, doubled letters once, q/k and gh/k alike (Mismari = Mesmari,
    Qaddafi = Gaddafi = Kadhafi, Mohammed = Muhammad)."""
    for written, sound in _SOUND_SPELLINGS:
        word = word.replace(written, sound)
    word = word.replace("g", "k")
    return _DOUBLED.sub(r"\1", word[:1] + _VOWELS.sub("", word[1:]))


def _is_variant_word(word: str) -> bool:
    """Long enough, with consonants enough, to compare by skeleton: not Dan/Don, not
    Meyer/Murray."""
    return len(word) >= _MIN_VARIANT_LENGTH and len(_skeleton(word)) >= 3


def _name_words(key: str) -> list[str]:
    return [word for word in key.split() if word not in _PARTICLES]


# ---------------------------------------------------------------- grouping of mentions


@dataclass
class _Group:
    """All mentions of one name key, whatever their label."""

    key: str
    forms: Counter[str] = field(default_factory=Counter)  # as written (cleaned)
    names: Counter[str] = field(default_factory=Counter)  # without titles
    labels: Counter[str] = field(default_factory=Counter)
    articles: set[str] = field(default_factory=set)
    titled: int = 0
    # Articles where the name takes part in what the story tells (see EntityMention.role),
    # and how many mentions are in a sentence with a clause at all.
    narrative_articles: set[str] = field(default_factory=set)
    in_clauses: int = 0

    @property
    def count(self) -> int:
        return sum(self.labels.values())

    @property
    def actor_votes(self) -> int:
        return sum(self.labels[label] for label in _LABEL_TYPES)

    @property
    def place_votes(self) -> int:
        return sum(self.labels[label] for label in PLACE_LABELS)


@dataclass
class _Reading:
    """How one written mention is read: the form kept, the name without titles."""

    form: str
    name: str
    titled: bool


def _read_mentions(mentions: list[EntityMention]) -> list[tuple[EntityMention, _Reading]]:
    """Clean every mention; strip titles when the rest is clearly a person's name."""
    cleaned = {text: clean_name(text) for text in {mention.text for mention in mentions}}
    all_keys = {name_key(form) for form in cleaned.values()}
    person_keys: set[str] = set()
    split_titles = {form: _split_title(form) for form in set(cleaned.values())}
    for mention in mentions:
        if mention.label == "PERSON":
            form = cleaned[mention.text]
            person_keys.add(name_key(form))
            person_keys.add(name_key(split_titles[form][0]))

    readings = []
    for mention in mentions:
        form = cleaned[mention.text]
        inside = _POSSESSIVE_INSIDE.match(form)
        if inside and name_key(inside["owner"]) in all_keys:
            # "Haftar’s Libyan National Army": the owner is an actor of its own.
            form = inside["owned"]
        if " " in form:
            form = _TRAILING_TITLE.sub("", form)  # "Coast Guard Adm." of "... Adm. Thad Allen"
        name, titled = split_titles.get(form) or _split_title(form)
        if titled and name and not _is_person_after_title(mention.label, name, person_keys):
            name, titled = form, False  # "General Motors", "Justice Department"
        readings.append((mention, _Reading(form, name, titled)))
    return readings


def _is_person_after_title(label: str, name: str, person_keys: set[str]) -> bool:
    words = name_key(name).split()
    if any(word in _ORGANISATION_WORDS for word in words):
        return False
    return label == "PERSON" or len(words) >= 2 or name_key(name) in person_keys


def _group_readings(readings: Iterable[tuple[EntityMention, _Reading]]) -> dict[str, _Group]:
    groups: dict[str, _Group] = {}
    for mention, reading in readings:
        if not reading.name:
            continue  # a bare title ("Libyan Field-Marshal") names nobody we can tell
        key = name_key(reading.name)
        if _is_junk(reading.name, key):
            continue
        group = groups.get(key)
        if group is None:
            group = groups[key] = _Group(key)
        group.forms[reading.form] += 1
        group.names[reading.name] += 1
        group.labels["PERSON" if reading.titled else mention.label] += 1
        group.titled += reading.titled
        group.articles.add(mention.article_id)
        if mention.role == "narrative":
            group.narrative_articles.add(mention.article_id)
        group.in_clauses += mention.role != "furniture"
    return groups


# ---------------------------------------------------------------- in-text definitions


def _suffix_defining(words: list[str], acronym: str, loose: bool) -> list[str] | None:
    """The shortest run of words ending the list whose initials spell the acronym (in any
    order for three letters or more); ``loose`` also takes initials that begin it (ISIS for
    Islamic State)."""
    letters = _acronym_letters(acronym)
    for length in range(1, min(len(words), len(letters) + 4) + 1):
        suffix = words[-length:]
        if not _starts_name(suffix[0]):
            continue
        for variant in _initial_variants(suffix):
            if variant == letters or (len(letters) >= 3 and sorted(variant) == sorted(letters)):
                return suffix
    if loose:
        for length in range(2, min(len(words), len(letters) + 4) + 1):
            suffix = words[-length:]
            if _starts_name(suffix[0]) and any(
                letters.startswith(variant) and len(letters) - len(variant) <= 2
                for variant in _initial_variants(suffix)
            ):
                return suffix
    return None


def _starts_name(word: str) -> bool:
    return word[:1].isupper() or bool(_PARTICLE_NAME.match(word))


def _words_before(text: str, end: int) -> list[str]:
    chunk = text[max(0, end - 150) : end]
    breaks = list(_BEFORE_BREAK.finditer(chunk))
    if breaks:
        chunk = chunk[breaks[-1].end() :]
    return _WORD.findall(chunk)


def _definitions(texts: dict[str, str]) -> Iterator[tuple[str, str]]:
    """(name, acronym) pairs that the texts define."""
    for text in texts.values():
        for found in _PAREN_ACRONYM.finditer(text):
            suffix = _suffix_defining(_words_before(text, found.start()), found[1], loose=True)
            if suffix:
                yield " ".join(suffix), found[1]
        for found in _ACRONYM_PAREN.finditer(text):
            words = _WORD.findall(found[2])
            if words and words[0].casefold() == "the":
                words = words[1:]
            if words and _suffix_defining(words, found[1], loose=False) == words:
                yield " ".join(words), found[1]
        for found in _APPOSITION.finditer(text):
            suffix = _suffix_defining(_words_before(text, found.start()), found[1], loose=False)
            if suffix:
                yield " ".join(suffix), found[1]
        for found in _QUOTED_NICKNAME.finditer(text):
            full = f"{found[1]} {found[3]}"
            yield full, found[2]
            yield full, f"{found[2]} {found[3]}"
        for found in _KNOWN_AS.finditer(text):
            name = _split_title(found[1])[0] or found[1]  # "Mr. Cowan, who is known as Mo"
            yield name, found[2]
            if " " not in found[2]:  # "Mo" of "Cowan": also "Mo Cowan"
                yield name, f"{found[2]} {name.split()[-1]}"


# ---------------------------------------------------------------- union of groups


class _Union:
    """Union-find over name keys; a set holds at most one known entity."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}
        self.known: dict[str, int] = {}

    def add(self, key: str, known: int | None = None) -> None:
        if key not in self.parent:
            self.parent[key] = key
            if known is not None:
                self.known[key] = known

    def find(self, key: str) -> str:
        root = key
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[key] != root:
            self.parent[key], key = root, self.parent[key]
        return root

    def union(self, first: str, second: str) -> None:
        first, second = self.find(first), self.find(second)
        if first == second:
            return
        first_known, second_known = self.known.get(first), self.known.get(second)
        if first_known is not None and second_known is not None and first_known != second_known:
            return
        self.parent[second] = first
        if first_known is None and second_known is not None:
            self.known[first] = second_known

    def sets(self) -> dict[str, list[str]]:
        members: dict[str, list[str]] = defaultdict(list)
        for key in self.parent:
            members[self.find(key)].append(key)
        return members


def _join_suffixed_forms(union: _Union, groups: dict[str, _Group]) -> None:
    """A name written with a generic suffix or descriptive words joins the name without them
    when that one is an organisation or group of the story: "BP PLC" = "BP", "Likud Party"
    = "Likud", "Blue and White party" = "Blue and White", "US Fish and Wildlife Service" =
    "U.S. Fish and Wildlife", "Daesh Takfiri" = "Daesh" (not
    "Cameron Inc" and David Cameron, nor "United Nations General Assembly" and the UN)."""
    suffix_kinds = (
        lambda word: word in _CORE_SUFFIXES,
        _is_adjective_norp,
    )
    for key in groups:
        for is_extra in suffix_kinds:  # one kind at a time: not "Republican Jewish Coalition"
            head = key.split()
            while len(head) > 1 and is_extra(head[-1]):
                head = head[:-1]
                head_key = " ".join(head)
                labels = groups[head_key].labels if head_key in groups else None
                if labels and labels["ORG"] + labels["NORP"] >= labels["PERSON"]:
                    union.union(head_key, key)
                    break


def _join_acronyms(union: _Union, groups: dict[str, _Group]) -> None:
    """LNA = Libyan National Army; ANL too (same initials in another order, 3+ letters)."""
    exact: dict[str, set[str]] = defaultdict(set)
    anagram: dict[str, set[str]] = defaultdict(set)
    for key, group in groups.items():
        name = group.names.most_common(1)[0][0]
        words = name.split()
        if len(words) < 2 or group.labels["PERSON"] * 2 > group.count:
            continue
        for variant in _initial_variants(words):
            exact[variant].add(key)
            if len(variant) >= 3:
                anagram["".join(sorted(variant))].add(key)
    for key, group in groups.items():
        form = group.names.most_common(1)[0][0]
        if not _is_acronym(form):
            continue
        letters = _acronym_letters(form)
        targets = {union.find(target) for target in exact.get(letters, ())}
        if not targets and len(letters) >= 3:
            targets = {union.find(target) for target in anagram.get("".join(sorted(letters)), ())}
        if len(targets) == 1:
            union.union(next(iter(targets)), key)


# ---------------------------------------------------------------- people


def _type_of(votes: Counter[str], titled: int, known: _KnownEntity | None) -> str:
    if known is not None:
        return known.type
    types: Counter[str] = Counter()
    for label, count in votes.items():
        if label in _LABEL_TYPES:
            types[_LABEL_TYPES[label]] += count
    if not types:
        return "organisation"
    # Ties: a title makes a person; else organisation before person before group.
    order = {"person": 0 if titled else 2, "organisation": 1, "group": 3}
    return min(types, key=lambda kind: (-types[kind], order[kind]))


def _same_transliteration(first: list[str], second: list[str]) -> bool:
    """Full names whose differing words are spelling variants of 5+ letters (Muammar Qaddafi
    = Moammar Gadhafi), at least one of them with three consonants or more."""
    if len(first) != len(second):
        return False
    strong = False
    for a, b in zip(first, second):
        if a == b:
            strong = strong or len(_skeleton(a)) >= 3
            continue
        if min(len(a), len(b)) < _MIN_VARIANT_LENGTH or _skeleton(a) != _skeleton(b):
            return False
        strong = strong or len(_skeleton(a)) >= 3
    return strong


def _join_people(union: _Union, groups: dict[str, _Group], types: dict[str, str]) -> set[str]:
    """Join spellings of one person's full name, then bare surnames to the full name.

    A full name joins another written with the same words save transliteration
    (Mesmari/Mismari, 5+ letters), or with extra middle names (same first and last word).
    A single word joins the one full name ending with it (for Arabic-style names with
    particles, containing it: "Baghdadi" in "Abu Bakr al-Baghdadi al-Husseini"). When several
    full names share it, it joins the most mentioned only if that one has at least
    ``_SURNAME_DOMINANCE`` times the mentions of all the others together; else it stays alone.
    A spelling variant of a surname (Ghadafi) joins only if mostly tagged PERSON. Returns
    the keys of the surnames joined.
    """
    joined: set[str] = set()
    full_names: list[tuple[str, list[str]]] = []
    for key in groups:
        words = _name_words(key)
        if len(words) >= 2 and types[union.find(key)] == "person":
            full_names.append((key, words))

    by_skeleton: dict[tuple[str, ...], list[tuple[str, list[str]]]] = defaultdict(list)
    for key, words in full_names:
        by_skeleton[tuple(_skeleton(word) for word in words)].append((key, words))
    for bucket in by_skeleton.values():
        for (key, words), (other, other_words) in pairwise(bucket):
            if _same_transliteration(words, other_words):
                union.union(key, other)

    # "Donald Trump" = "Donald J. Trump" (same first and last word); "Enrique Pena" =
    # "Enrique Peña Nieto" (a given name and the first of two surnames)
    by_ends: dict[tuple[str, str], set[str]] = defaultdict(set)
    by_start: dict[tuple[str, str], set[str]] = defaultdict(set)
    for key, words in full_names:
        if len(words) >= 3:
            by_ends[(_skeleton(words[0]), _skeleton(words[-1]))].add(union.find(key))
            if words[-1] not in _GENERATIONS:  # "Donald Trump Jr" is not Donald Trump
                by_start[(_skeleton(words[0]), _skeleton(words[1]))].add(union.find(key))
    for key, words in full_names:
        if len(words) == 2:
            pair = (_skeleton(words[0]), _skeleton(words[-1]))
            longer = by_ends.get(pair, set()) or by_start.get(pair, set())
            if len(longer) == 1:
                union.union(next(iter(longer)), key)

    last_words: dict[str, set[str]] = defaultdict(set)
    inner_words: dict[str, set[str]] = defaultdict(set)
    given_name_uses: Counter[str] = Counter()
    surname_uses: Counter[str] = Counter()
    for key, words in full_names:
        last_words[words[-1]].add(key)
        given_name_uses[words[0]] += groups[key].count
        surname_uses[words[-1]] += groups[key].count
        for word in words[1:-1]:
            inner_words[word].add(key)
    skeleton_last: dict[str, set[str]] = defaultdict(set)
    for word, keys in last_words.items():
        if _is_variant_word(word):
            skeleton_last[_skeleton(word)].update(keys)

    # "Cameron" next to "Cameron International" in the story is the company, not a surname
    companies = {
        key.rpartition(" ")[0]
        for key in groups
        if key.rpartition(" ")[2] in _COMPANY_SUFFIXES | _COMPANY_WORDS
    }
    mentions_of: Counter[str] = Counter()
    for key, group in groups.items():
        mentions_of[union.find(key)] += group.count
    for key, group in groups.items():
        words = _name_words(key)
        if len(words) != 1 or union.known.get(union.find(key)) is not None or key in companies:
            continue
        if group.labels["PERSON"] == 0 or _is_acronym(group.names.most_common(1)[0][0]):
            continue
        (word,) = words
        if given_name_uses[word] >= surname_uses[word] > 0 or (
            given_name_uses[word] and not surname_uses[word]
        ):
            continue  # a given name at least as often ("Ahmed"): whose is unclear
        candidates = last_words.get(word) or inner_words.get(word)
        if not candidates and _is_variant_word(word) and group.labels["PERSON"] * 2 > group.count:
            candidates = skeleton_last.get(_skeleton(word))
        if not candidates:
            continue
        roots = {union.find(candidate) for candidate in candidates}
        roots.discard(union.find(key))
        if not roots:
            continue
        ranked = sorted(roots, key=lambda root: -mentions_of[root])
        others = sum(mentions_of[root] for root in ranked[1:])
        if len(ranked) == 1 or mentions_of[ranked[0]] >= _SURNAME_DOMINANCE * others:
            union.union(ranked[0], key)
            joined.add(key)
    return joined


# ---------------------------------------------------------------- actors


def _canonical(names: Counter[str], actor_type: str, known: _KnownEntity | None) -> str:
    """The most informative frequent name: the full name of a person, the expansion of an
    acronym, the usual name of a known entity."""
    if known is not None:
        return known.name
    candidates = list(names)
    if actor_type == "person":
        full = [name for name in candidates if len(_name_words(name_key(name))) >= 2]
        candidates = full or candidates
    else:
        # "Libyan National Army" over "LNA"; "BP" over "BP PLC"
        spelled = [name for name in candidates if not any(map(_is_acronym, name.split()))]
        candidates = spelled or candidates
        plain = [
            name
            for name in candidates
            if name_key(name).rpartition(" ")[2] not in _COMPANY_SUFFIXES
        ]
        candidates = plain or candidates
    last_word_counts: Counter[str] = Counter()
    for name, count in names.items():
        last_word_counts[name_key(name).rsplit(" ", 1)[-1]] += count
    return max(
        candidates,
        key=lambda name: (
            names[name],
            # between spellings, the one whose surname is written most (Gaddafi, not Qaddafi)
            last_word_counts[name_key(name).rsplit(" ", 1)[-1]],
            len(name.split()),
            sum(word[:1].isupper() for word in name.split()),
            name,
        ),
    )


def _build_actor(
    members: list[str],
    groups: dict[str, _Group],
    defined_forms: dict[str, set[str]],
    surnames: set[str],
    known: _KnownEntity | None,
) -> Actor | None:
    member_groups = [groups[key] for key in members if key in groups]
    if not member_groups:
        return None  # only a definition or a known name, never mentioned
    labels: Counter[str] = Counter()
    names: Counter[str] = Counter()
    forms: Counter[str] = Counter()
    articles: set[str] = set()
    titled = 0
    for group in member_groups:
        if group.key in surnames:
            # a surname joined to a person's full name is the person, whatever spaCy said
            labels["PERSON"] += group.actor_votes
            labels.update({label: group.labels[label] for label in PLACE_LABELS})
        else:
            labels.update(group.labels)
        names.update(group.names)
        forms.update(group.forms)
        forms.update(group.names)
        articles |= group.articles
        titled += group.titled
    if not any(labels[label] for label in _LABEL_TYPES):
        return None
    for key in members:
        for form in defined_forms.get(key, ()):
            names[form] += 0  # "the Libyan national army, the self-proclaimed ANL"
            forms[form] += 0
    actor_type = _type_of(labels, titled, known)
    name = _canonical(names, actor_type, known)
    if actor_type == "person" and any(
        word in _ORGANISATION_WORDS for word in name_key(name).split()
    ):
        actor_type = "organisation"
    aliases: dict[str, str] = {}
    for form in sorted(forms, key=lambda form: (-forms[form], form)):
        if form.casefold() != name.casefold():
            aliases.setdefault(form.casefold(), form)
    return Actor(
        name=name,
        type=actor_type,
        aliases=sorted(aliases.values(), key=lambda alias: (alias.casefold(), alias)),
        mentions=sum(group.count for group in member_groups),
        articles=sorted(articles),
    )


def _place_keys(places: list[Place]) -> set[str]:
    keys = set()
    for place in places:
        keys.add(name_key(place.name))
        keys.update(name_key(alias) for alias in place.aliases)
    return keys


def _is_actor_group(group: _Group, place_keys: set[str]) -> bool:
    """Not a place, not mostly tagged as one, not a nationality or creed adjective."""
    if group.key in place_keys or not group.actor_votes:
        return False
    if group.place_votes > group.actor_votes:
        return False
    return not (
        group.labels["NORP"] * 2 >= group.actor_votes
        and _is_adjective_norp(group.names.most_common(1)[0][0])
    )


def _join_known(union: _Union, keys: Iterable[str], known_keys: dict[str, int]) -> None:
    """The story's names of one well-known entity join through its entry."""
    for key in keys:
        number = known_keys.get(key)
        if number is not None:
            anchor = f"\0known{number}"
            union.add(anchor, number)
            union.union(anchor, key)


def _one_person(keys: list[str]) -> bool:
    """A full name and its surname ("william cowan", "cowan"): one meaning, not two."""
    full = [key for key in keys if " " in key]
    return len(full) == 1 and all(key.split()[-1] == full[0].split()[-1] for key in keys)


def _join_definitions(
    union: _Union, groups: dict[str, _Group], texts: dict[str, str], known_keys: dict[str, int]
) -> dict[str, set[str]]:
    """Join what the texts define as the same ("Libyan National Army (LNA)"); return the
    forms written only in definitions, by key. An acronym defined as two different names in
    the story ("International Rescue Committee (IRC)", "International Rescue Corps (IRC)") is
    ambiguous and joins nothing."""
    pairs: dict[str, dict[str, tuple[str, str]]] = defaultdict(dict)
    for name, acronym in _definitions(texts):
        name_form, acronym_form = clean_name(name), clean_name(acronym)
        name_group_key, acronym_key = name_key(name_form), name_key(acronym_form)
        if name_group_key != acronym_key:
            pairs[acronym_key][name_group_key] = (name_form, acronym_form)
    defined_forms: dict[str, set[str]] = defaultdict(set)
    for acronym_key, names in pairs.items():
        meanings = {union.find(key) if key in union.parent else key for key in names}
        if len(meanings) > 1 and not _one_person(list(names)):
            continue
        for name_group_key, (name_form, acronym_form) in names.items():
            if name_group_key not in union.parent and acronym_key not in union.parent:
                continue  # defines nothing the story tags
            for key, form in ((name_group_key, name_form), (acronym_key, acronym_form)):
                if key not in union.parent:
                    union.add(key, known_keys.get(key))
                    _join_known(union, [key], known_keys)
                if key not in groups:
                    defined_forms[key].add(form)  # written in the text, never tagged
            union.union(name_group_key, acronym_key)
    return defined_forms


def _types(
    union: _Union, groups: dict[str, _Group], known_entities: tuple[_KnownEntity, ...]
) -> dict[str, str]:
    types = {}
    for root, members in union.sets().items():
        labels: Counter[str] = Counter()
        titled = 0
        for key in members:
            if key in groups:
                labels.update(groups[key].labels)
                titled += groups[key].titled
        known_number = union.known.get(root)
        known = None if known_number is None else known_entities[known_number]
        types[root] = _type_of(labels, titled, known)
    return types


def _outlet_keys(
    outlets: dict[str, str], known_keys: dict[str, int]
) -> dict[str, tuple[str, int | None]]:
    """Article id -> its outlet's name key and known entity number."""
    found = {}
    for article_id, outlet in outlets.items():
        key = name_key(outlet)
        found[article_id] = (key, known_keys.get(key))
    return found


def _takes_part(
    members: list[str],
    groups: dict[str, _Group],
    known: _KnownEntity | None,
    known_number: int | None,
    own_outlets: dict[str, tuple[str, int | None]],
) -> bool:
    """Whether a set of names is an actor rather than page furniture: a person always; an
    organisation named in a sentence with a clause; an outlet only when named in what the
    story tells, in an article that is not its own (not "told AFP", not a byline)."""
    member_groups = [groups[key] for key in members if key in groups]
    if not member_groups:
        return True  # nothing to judge: the actor is not built anyway
    labels: Counter[str] = Counter()
    for group in member_groups:
        labels.update(group.labels)
    if _type_of(labels, sum(group.titled for group in member_groups), known) == "person":
        return True
    if not any(group.in_clauses for group in member_groups):
        return False
    keys = set(members)
    own = {
        article_id
        for article_id, (key, number) in own_outlets.items()
        if key in keys or (number is not None and number == known_number)
    }
    if not own and (known is None or known.type != "media"):
        return True
    told = set().union(*(group.narrative_articles for group in member_groups))
    return bool(told - own)


def merge_actors(
    mentions: list[EntityMention],
    texts: dict[str, str],
    *,
    places: list[Place] | None = None,
    outlets: dict[str, str] | None = None,
) -> list[Actor]:
    """The actors of a story: one per person, organisation or group, across articles.

    ``texts`` (article id -> text) supply in-text definitions of acronyms and nicknames.
    Places (as :func:`~storyline.analyse.places.geocode_places` finds them), nationality
    adjectives, junk and page furniture are left out; pass ``places`` when the caller has
    geocoded them already, ``outlets`` (article id -> outlet name) to leave out an outlet
    that is only the publisher or a source of the story. Sorted by mentions, most first,
    then by name.
    """
    known_keys, known_entities = _known_entities()
    groups = _group_readings(_read_mentions(_repair_truncated(mentions, texts)))
    if places is None:
        places = geocode_places(mentions, texts)
    place_keys = _place_keys(places)
    for key in list(groups):
        if key not in known_keys and not _is_actor_group(groups[key], place_keys):
            del groups[key]

    union = _Union()
    for key in groups:
        union.add(key, known_keys.get(key))
    _join_known(union, list(groups), known_keys)
    defined_forms = _join_definitions(union, groups, texts, known_keys)
    _join_acronyms(union, groups)
    _join_suffixed_forms(union, groups)
    surnames = _join_people(union, groups, _types(union, groups, known_entities))

    own_outlets = _outlet_keys(outlets or {}, known_keys)
    actors = []
    for root, members in union.sets().items():
        known_number = union.known.get(root)
        known = None if known_number is None else known_entities[known_number]
        if not _takes_part(members, groups, known, known_number, own_outlets):
            continue
        actor = _build_actor(members, groups, defined_forms, surnames, known)
        if actor is not None:
            actors.append(actor)
    actors.sort(key=lambda actor: (-actor.mentions, actor.name))
    return actors
