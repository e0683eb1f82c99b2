"""Places: offline geocoding of the entity mentions of a story, disambiguated by the story."""

from __future__ import annotations

import re

import pytest

from storyline.analyse.places import (
    clean_name,
    country_of_demonym,
    geocode_name,
    geocode_places,
    name_key,
)
from storyline.model import EntityMention, Place


@pytest.fixture(scope="module")
def seed_places(seed_mentions: tuple[list[EntityMention], dict[str, str]]) -> dict[str, Place]:
    mentions, texts = seed_mentions
    return {place.name: place for place in geocode_places(mentions, texts)}


def _mentions(article_id: str, text: str, labels: dict[str, str]) -> list[EntityMention]:
    """Mentions of the given names wherever they occur in a real snippet."""
    found = []
    for name, label in labels.items():
        for match in re.finditer(rf"\b{re.escape(name)}\b", text):
            found.append(EntityMention(name, label, article_id, 0, match.start(), match.end()))
    return found


def test_seed_cities_are_geocoded_in_libya(seed_places: dict[str, Place]) -> None:
    derna = seed_places["Derna"]
    assert (derna.geo_name, derna.country, derna.kind) == ("Darnah", "LY", "city")
    assert derna.latitude == pytest.approx(32.77, abs=0.05)
    assert derna.longitude == pytest.approx(22.64, abs=0.05)
    tripoli = seed_places["Tripoli"]
    assert tripoli.country == "LY"
    assert (tripoli.latitude, tripoli.longitude) == pytest.approx((32.89, 13.19), abs=0.05)
    for name in ("Benghazi", "Sirte", "Misrata", "Tobruk", "Ajdabiya"):
        assert seed_places[name].country == "LY", name
    assert seed_places["Misrata"].geo_name == "Misratah"
    assert seed_places["Paris"].country == "FR"
    libya = seed_places["Libya"]
    assert (libya.kind, libya.country) == ("country", "LY")


def test_derna_counts_every_mention_whatever_its_label(
    seed_mentions: tuple[list[EntityMention], dict[str, str]], seed_places: dict[str, Place]
) -> None:
    mentions, _ = seed_mentions
    derna_mentions = [m for m in mentions if clean_name(m.text) == "Derna"]
    assert {m.label for m in derna_mentions} > {"GPE"}  # spaCy also tags it ORG or PERSON
    derna = seed_places["Derna"]
    assert derna.mentions == len(derna_mentions)
    assert derna.articles == sorted({m.article_id for m in derna_mentions})


def test_misspelt_place_joins_the_place_it_misspells(seed_places: dict[str, Place]) -> None:
    # article 003 writes "Bengahzi" in a caption
    assert "Bengahzi" in seed_places["Benghazi"].aliases
    assert "Bengahzi" not in seed_places


def test_seed_non_places_stay_out(seed_places: dict[str, Place]) -> None:
    names = {name for place in seed_places.values() for name in (place.name, *place.aliases)}
    assert "Daesh" not in names  # tagged GPE three times, but a known group
    assert "Sabra" not in names  # the surname of Abdelkarim Sabra, not Sabratah
    assert "Libyan" not in names and "Haftar" not in names
    assert not any(name.islower() for name in names)  # "mosques" is tagged FAC


def test_places_sorted_by_mentions(seed_places: dict[str, Place]) -> None:
    counts = [place.mentions for place in seed_places.values()]
    assert counts == sorted(counts, reverse=True)
    assert next(iter(seed_places)) == "Derna"


def test_tripoli_is_lebanese_in_a_story_about_lebanon() -> None:
    # BBC, Syrian crisis (Timeline17)
    text = (
        "The BBC's Jim Muir in Beirut says the incident shows how divided the Lebanese are "
        "over the Syrian crisis.\nIt follows a week of clashes in the northern city of Tripoli "
        "between anti-Syrian Sunnis and Alawites who support the regime of Syrian President "
        "Bashar al-Assad.\nSectarian tensions have already spilled into Lebanon, where at least "
        "three people were killed in a clash between Alawis and Sunnis in the northern city "
        "of Tripoli Friday."
    )
    mentions = _mentions(
        "a",
        text,
        {
            "Beirut": "GPE",
            "Lebanese": "NORP",
            "Syrian": "NORP",
            "Tripoli": "GPE",
            "Lebanon": "GPE",
            "Jim Muir": "PERSON",
            "Bashar al-Assad": "PERSON",
        },
    )
    found = {place.name: place for place in geocode_places(mentions, {"a": text})}
    assert found["Tripoli"].country == "LB"
    assert found["Tripoli"].latitude == pytest.approx(34.43, abs=0.05)
    assert found["Beirut"].country == "LB"
    assert "Syrian" not in found and "Lebanese" not in found


def test_alexandria_follows_its_written_state_and_else_the_story() -> None:
    # Washington Post, financial crisis (Timeline17), and Reuters/BBC on Egypt (Timeline17)
    american = (
        "It's not the first time the region has dealt with whether disaster money should be "
        "taxed, said John Ams, executive vice president of the Alexandria, Va.-based National "
        "Society of Accountants."
    )
    mentions = _mentions("a", american, {"Alexandria": "GPE", "John Ams": "PERSON"})
    alexandria = {p.name: p for p in geocode_places(mentions, {"a": american})}["Alexandria"]
    assert (alexandria.country, alexandria.geo_name) == ("US", "Alexandria")
    assert alexandria.longitude == pytest.approx(-77.05, abs=0.1)

    egyptian = (
        "Protesters have increasingly criticised the army and arranged coordinated "
        "demonstrations in Cairo and the port cities of Alexandria and Suez."
    )
    mentions = _mentions("b", egyptian, {"Cairo": "GPE", "Alexandria": "GPE", "Suez": "GPE"})
    found = {place.name: place for place in geocode_places(mentions, {"b": egyptian})}
    assert {place.country for place in found.values()} == {"EG"}


def test_city_names_in_a_list_are_no_qualifiers() -> None:
    # "China, Japan": a country is not qualified by the next country; Japan has a town China
    text = "Officials in China, Japan and South Korea said the virus had not spread."
    mentions = _mentions("a", text, {"China": "GPE", "Japan": "GPE", "South Korea": "GPE"})
    found = {place.name: place for place in geocode_places(mentions, {"a": text})}
    assert (found["China"].kind, found["China"].country) == ("country", "CN")


def test_surname_that_is_a_town_stays_a_person() -> None:
    # BBC, Michael Jackson (Timeline17): Jackson is also a US city, and spaCy tags it GPE once
    text = (
        "Michael Jackson died in Los Angeles.\nJackson had been rehearsing for his London "
        "concerts.\nFans of Jackson gathered outside the hospital in Los Angeles."
    )
    mentions = _mentions(
        "a", text, {"Michael Jackson": "PERSON", "Los Angeles": "GPE", "London": "GPE"}
    )
    # the two bare "Jackson" mentions: one tagged PERSON, one GPE
    bare = list(re.finditer(r"(?<!Michael )\bJackson\b", text))
    mentions += [
        EntityMention("Jackson", label, "a", 0, match.start(), match.end())
        for match, label in zip(bare, ("PERSON", "GPE"))
    ]
    names = {place.name for place in geocode_places(mentions, {"a": text})}
    assert "Jackson" not in names
    assert {"Los Angeles", "London"} <= names


def test_geocode_name_uses_alternate_names_and_hints() -> None:
    derna = geocode_name("Derna")
    assert derna is not None
    assert (derna.name, derna.country, derna.kind) == ("Darnah", "LY", "city")
    assert derna.latitude == pytest.approx(32.767, abs=0.01)
    assert geocode_name("Misrata").name == "Misratah"  # type: ignore[union-attr]
    assert geocode_name("Tripoli").country == "LY"  # type: ignore[union-attr]
    assert geocode_name("Tripoli", "LB").country == "LB"  # type: ignore[union-attr]
    assert geocode_name("Paris").country == "FR"  # type: ignore[union-attr]
    assert geocode_name("Paris", country_hint="us").country == "US"  # type: ignore[union-attr]
    assert geocode_name("the U.S.").kind == "country"  # type: ignore[union-attr]
    assert geocode_name("Britain").country == "GB"  # type: ignore[union-attr]
    assert geocode_name("Daesh") is None
    assert geocode_name("Haftar") is None
    # an old name of Tallahassee is not Tallahassee
    newtown = geocode_name("Newtown")
    assert newtown is None or newtown.name != "Tallahassee"


def test_names_and_demonyms() -> None:
    assert clean_name("Haftar’s") == "Haftar"
    assert clean_name("al-Qaeda(AQIM") == "al-Qaeda"
    assert clean_name("Abu Bakr] al-Baghdadi") == "Abu Bakr al-Baghdadi"
    assert clean_name("the U.S.") == "U.S."
    assert name_key("The Libyan national army") == name_key("Libyan National Army")
    assert name_key("al-Qaeda") == name_key("Al Qaeda")
    assert country_of_demonym("Libyan") == "LY"
    assert country_of_demonym("Libyans") == "LY"
    assert country_of_demonym("Haftar") is None
