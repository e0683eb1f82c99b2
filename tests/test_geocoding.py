"""Geocoding on real text: small towns found and placed, admin context, junk rejected.

Excerpts of ACLED event notes (acled-dev, human-geocoded: the coders' points are in the
tests), Timeline17 and BASIL articles, run through the real spaCy pipeline.
"""

from __future__ import annotations

import math
import sqlite3

import pytest

from storyline.analyse import gazetteer
from storyline.analyse.places import geocode_name, geocode_places, name_key
from storyline.model import EntityMention, Place


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def _places(*texts: str) -> dict[str, list[Place]]:
    """The places of a story of these articles, by name key (a name may be a town and, as
    the area of other places, a region)."""
    from storyline.analyse import ENTITY_LABELS
    from storyline.analyse.nlp import load_pipeline

    nlp = load_pipeline()
    articles = {f"a{number}": text for number, text in enumerate(texts, start=1)}
    mentions = [
        EntityMention(ent.text, ent.label_, article_id, 0, ent.start_char, ent.end_char)
        for article_id, text in articles.items()
        for ent in nlp(text).ents
        if ent.label_ in ENTITY_LABELS
    ]
    found: dict[str, list[Place]] = {}
    for place in geocode_places(mentions, articles):
        found.setdefault(name_key(place.name), []).append(place)
    return found


def _town(places: dict[str, list[Place]], name: str) -> Place:
    (town,) = [place for place in places[name_key(name)] if place.kind in ("city", None)]
    return town


def _within(place: Place, latitude: float, longitude: float, km: float = 25.0) -> bool:
    assert place.latitude is not None and place.longitude is not None, place
    return _km(place.latitude, place.longitude, latitude, longitude) <= km


# ---------------------------------------------------------------- the index


def test_index_holds_villages_districts_and_their_regions() -> None:
    (coxilha,) = [e for e, _ in gazetteer.candidates("coxilha") if e.kind == "city"]
    assert coxilha.country == "BR" and coxilha.population < 5_000  # a town of ~2,700
    # a district of Yemen's Sanaa governorate: "Nihm (Sanaa)"
    (nihm,) = [e for e, _ in gazetteer.candidates("nihm") if e.country == "YE"]
    assert nihm.kind == "district" and nihm.admin1 is not None
    assert nihm.admin1 in {e.id for e, _ in gazetteer.candidates("sanaa") if e.kind == "region"}
    israel = geocode_name("State of Israel")
    assert israel is not None and (israel.kind, israel.country) == ("country", "IL")


def test_index_is_read_in_place() -> None:
    # SQLite read-only and immutable: a run reads the rows of the names it looks up
    with sqlite3.connect(f"{gazetteer.INDEX_PATH.as_uri()}?mode=ro", uri=True) as db:
        (places,) = db.execute("SELECT count(*) FROM entry WHERE kind = 'city'").fetchone()
        (fmt,) = db.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
    assert places > 200_000
    assert int(fmt) == gazetteer.INDEX_FORMAT


# ---------------------------------------------------------------- small towns


def test_small_towns_are_found_and_placed() -> None:
    places = _places(
        # ACLED: Brazil, Serbia, Cameroon (coders' points below)
        "On 27 April 2020, in Coxilha, Rio Grande do Sul, federal police forces seized more "
        "than a ton of marijuana during a highway inspection in ERS-135. Three people were "
        "arrested.",
        "On 5 May 2020, in Foz do Iguacu, Parana, a man was shot to death in Porto Meira "
        "neighborhood by two armed men.",
        "On 6 May 2020, a man drove through a fence of former military barracks, now housing "
        "migrants and refugees in Obrenovac, Serbia, and continued to drive through the camp.",
        "On 9 May 2020, a gendarme shot and killed a taxi bike driver in Bafoussam town "
        "(Mifi, Ouest) after a dispute.",
    )
    assert _within(_town(places, "Coxilha"), -28.1253, -52.2979)
    # spaCy tags "Foz" alone: the mention grows to the name the gazetteer knows
    assert _within(_town(places, "Foz do Iguacu"), -25.5478, -54.5881)
    assert _within(_town(places, "Obrenovac"), 44.6623, 20.2014)
    assert _within(_town(places, "Bafoussam"), 5.4778, 10.4176)
    # the areas written after a town are places too, and mean the areas
    assert {p.kind for p in places[name_key("Parana")]} <= {"region", "district"}


def test_a_town_the_gazetteer_lacks_is_listed_without_coordinates() -> None:
    # ACLED, DR Congo: Remeka is in no gazetteer we have; its areas are
    places = _places(
        "On 6 May 2020, Mayi Mayi Kifuafua militiamen under Maachano clashed with the FARDC "
        "in Remeka village (Masisi, Nord-Kivu) resulting in 2 rebel and 1 military fatality."
    )
    remeka = _town(places, "Remeka")
    assert (remeka.latitude, remeka.country) == (None, "CD")
    assert all(p.country == "CD" for p in places[name_key("Nord-Kivu")])
    # Maachano leads the militia: a person, though a village may have the name
    assert name_key("Maachano") not in places
    assert name_key("FARDC") not in places


# ---------------------------------------------------------------- admin context


def test_admin_area_in_brackets_picks_the_namesake() -> None:
    # ACLED, Argentina: two towns called Rawson; the context-free lookup takes the bigger
    # one in San Juan, the brief the one in the Chubut written beside it
    alone = geocode_name("Rawson")
    assert alone is not None and alone.latitude is not None and alone.latitude > -35
    places = _places(
        "On 8 May 2020, in Rawson (Chubut), around 60 fishermen workers of Fyrsa company "
        "gathered in the Government House to demand the payment of their unpaid wages.",
        "On 5 May 2020, in Santa Fe (Santa Fe), merchants protested in front of the Grey House "
        "to demand an urgent opening of the commercial establishments.",
    )
    assert _within(_town(places, "Rawson"), -43.2993, -65.0935)
    assert _within(_town(places, "Santa Fe"), -31.6295, -60.701)


def test_admin_area_after_a_comma_picks_the_namesake() -> None:
    # ACLED, Honduras: Santa Fe, Ocotepeque, not the Argentine or the New Mexican one
    places = _places(
        "On 8 May 2020, in Santa Fe, Ocotepeque, armed men driving a car intercepted a "
        "vehicle and shot the passengers. Three men were killed and six persons were injured."
    )
    assert _within(_town(places, "Santa Fe"), 14.5105, -89.2306)


def test_bracketed_areas_that_hold_no_namesake_leave_the_town_unplaced() -> None:
    # ACLED, Mali: the gazetteer's only Malian Bamba lies in Sikasso, 650 km away
    places = _places(
        "On 6 May 2020, suspected Fulani militiamen attacked the village of Bamba (Koro, "
        "Mopti), and seized livestock. Dan Na Ambassagou militiamen routed the assailants."
    )
    bamba = _town(places, "Bamba")
    assert bamba.latitude is None


def test_province_written_after_a_name_means_the_province() -> None:
    # ACLED, Afghanistan and Iraq: Farah and Kirkuk are towns and provinces
    places = _places(
        "Around 7 May 2020 (as reported), Taliban militants ambushed a convoy of Afghan "
        "forces in Farah province. Casualties unknown.",
        "On 5 May 2020, Iraqi forces in Ghaydah in Kirkuk province killed 3 IS militants.",
    )
    (farah,) = places[name_key("Farah province")]
    assert (farah.kind, farah.country) == ("region", "AF")
    (kirkuk,) = places[name_key("Kirkuk province")]
    assert (kirkuk.kind, kirkuk.country) == ("region", "IQ")


# ---------------------------------------------------------------- junk


def test_outlets_and_polities_are_no_places() -> None:
    places = _places(
        # BASIL (Fox News), Timeline17 (Syria, Libya, Egypt)
        "Meanwhile, Haaretz reported that the Republican Jewish Coalition has launched a "
        "separate $5 million TV advertising blitz.",
        "The fall of Sirte was first reported 28/08/2011 by Haaretz.",
        "On 6 February 2012, Israel's Haaretz newspaper reported that Gen Qassem Suleimani, "
        "the commander of IRGC's elite Quds Force, was in Syria.",
        "The first Arab revolt was in 1916 against the Ottoman Empire that ruled most of the "
        "Arab lands.",
        "The recent turmoil in North Africa gives the lie to the notion that the State of "
        "Israel is the source of all the Arab countries' problems.",
    )
    assert name_key("Haaretz") not in places
    assert name_key("Ottoman Empire") not in places
    israel = [p for key in ("israel", "state of israel") for p in places.get(key, [])]
    assert israel and all((p.kind, p.country) == ("country", "IL") for p in israel)
    assert _within(_town(places, "Sirte"), 31.21, 16.59)


@pytest.mark.parametrize("word", ["March", "May", "Sunday"])
def test_months_and_weekdays_are_no_places(word: str) -> None:
    places = _places(f"The talks in Geneva resumed in {word} after a pause.")
    assert name_key(word) not in places
    assert name_key("Geneva") in places
