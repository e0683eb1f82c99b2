"""Actors: one per person, organisation or group of a story, across articles and names."""

from __future__ import annotations

import re

import pytest

from storyline.analyse.actors import merge_actors
from storyline.model import Actor, EntityMention


@pytest.fixture(scope="module")
def seed_actors(seed_mentions: tuple[list[EntityMention], dict[str, str]]) -> list[Actor]:
    mentions, texts = seed_mentions
    return merge_actors(mentions, texts)


def _named(actors: list[Actor], form: str) -> Actor:
    """The one actor that has this name or alias."""
    (actor,) = [actor for actor in actors if form in (actor.name, *actor.aliases)]
    return actor


def _mentions(article_id: str, text: str, labels: dict[str, str]) -> list[EntityMention]:
    """Mentions of the given names wherever they occur in a real snippet, longest first, as
    a tagger finds them ("Cameron" inside "David Cameron" is no mention of its own)."""
    taken: list[tuple[int, int]] = []
    found = []
    for name in sorted(labels, key=len, reverse=True):
        for match in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text):
            if any(start < match.end() and match.start() < end for start, end in taken):
                continue
            taken.append(match.span())
            found.append(
                EntityMention(name, labels[name], article_id, 0, match.start(), match.end())
            )
    return found


def test_haftar_is_one_person_under_all_his_titles(seed_actors: list[Actor]) -> None:
    haftar = _named(seed_actors, "Haftar")
    assert haftar.name == "Khalifa Haftar"
    assert haftar.type == "person"
    assert {"Haftar", "Field Marshal Khalifa Haftar", "Marshal Khalifa Haftar"} <= set(
        haftar.aliases
    )
    assert len(haftar.articles) >= 4
    assert [actor for actor in seed_actors if "Haftar" in actor.name] == [haftar]
    assert seed_actors[0] is haftar  # the most mentioned actor of the story


def test_lna_joins_its_expansion_and_its_french_acronym(seed_actors: list[Actor]) -> None:
    lna = _named(seed_actors, "LNA")
    assert lna.name == "Libyan National Army"
    assert lna.type == "organisation"
    assert "ANL" in lna.aliases  # "Armée nationale libyenne" in the article translated from French
    assert {"000", "001", "002", "003"} <= set(lna.articles)


def test_islamic_state_names_are_one_group(seed_actors: list[Actor]) -> None:
    group = _named(seed_actors, "Daesh")
    assert group.name == "Islamic State"
    assert group.type == "group"
    assert {"ISIS", "IS"} <= set(group.aliases)  # "the Islamic State(IS)" defines IS in 002
    assert len(group.articles) == 5


def test_acronyms_defined_in_the_text_join(seed_actors: list[Actor]) -> None:
    # "Derna Mujahideen Shura Council (DMSC)", "Government of National Accord (GNA)"
    assert _named(seed_actors, "DMSC").name == "Derna Mujahideen Shura Council"
    assert _named(seed_actors, "GNA").name == "Government of National Accord"


def test_transliterations_and_surnames_join(seed_actors: list[Actor]) -> None:
    assert _named(seed_actors, "Ahmad al-Mismari") is _named(seed_actors, "Ahmad Al Mesmari")
    assert _named(seed_actors, "Al-Rafidi").name == "Salim Al-Rafadi"
    assert _named(seed_actors, "Sabra").name == "Abdelkarim Sabra"
    gaddafi = _named(seed_actors, "Gaddafi")
    assert {gaddafi.name, *gaddafi.aliases} >= {"Muammar Gaddafi", "Muammar Qaddafi"}


def test_places_and_adjectives_are_no_actors(seed_actors: list[Actor]) -> None:
    forms = {form for actor in seed_actors for form in (actor.name, *actor.aliases)}
    # Derna is tagged ORG 22 times and PERSON once, still a place
    for name in ("Derna", "Libya", "Tripoli", "Benghazi", "Misrata", "Sirte"):
        assert name not in forms, name
    for adjective in ("Libyan", "Islamist", "Islamic", "jihadist", "Russian", "eastern"):
        assert adjective not in forms, adjective
    assert "Army" not in forms  # "Army forces are steadily advancing"
    assert not any(form.endswith(("’s", "'s")) or "(" in form for form in forms)


def test_actors_sorted_by_mentions_then_name(seed_actors: list[Actor]) -> None:
    keys = [(-actor.mentions, actor.name) for actor in seed_actors]
    assert keys == sorted(keys)
    for actor in seed_actors:
        assert actor.aliases == sorted(actor.aliases, key=lambda a: (a.casefold(), a))
        assert actor.mentions >= 1 and actor.articles


def test_shared_surname_goes_to_nobody_unless_one_person_dominates() -> None:
    # AP on the 2016 campaign; two Clintons in the story
    text = (
        "Hillary Clinton campaigned in Ohio on Monday.\nBill Clinton spoke in Florida.\n"
        "Clinton said the economy was improving.\nHillary Clinton later met supporters.\n"
        "Bill Clinton did not comment."
    )
    labels = {"Hillary Clinton": "PERSON", "Bill Clinton": "PERSON", "Clinton": "PERSON"}
    mentions = _mentions("a", text, labels)
    actors = merge_actors(mentions, {"a": text})
    assert _named(actors, "Clinton").name == "Clinton"
    assert len(actors) == 3

    # with one Clinton mentioned far more often, the bare surname is hers
    mentions += [EntityMention("Hillary Clinton", "PERSON", "b", 0, 0, 15)] * 3
    actors = merge_actors(mentions, {"a": text, "b": "Hillary Clinton"})
    assert _named(actors, "Clinton").name == "Hillary Clinton"


def test_titles_stripped_from_people_only() -> None:
    # Reuters, 2018 and AP, 2009
    text = (
        "Prime Minister Fayez al-Sarraj met the UN envoy in Tripoli.\n"
        "General Motors said it would cut 2,000 jobs.\n"
        "Al-Sarraj said the talks were useful."
    )
    mentions = _mentions(
        "a",
        text,
        {
            "Prime Minister Fayez al-Sarraj": "PERSON",
            "General Motors": "ORG",
            "Al-Sarraj": "PERSON",
            "Tripoli": "GPE",
        },
    )
    actors = merge_actors(mentions, {"a": text})
    sarraj = _named(actors, "Al-Sarraj")
    assert sarraj.name == "Fayez al-Sarraj"
    assert "Prime Minister Fayez al-Sarraj" in sarraj.aliases
    assert _named(actors, "General Motors").type == "organisation"


def test_acronym_defined_after_it_and_ambiguous_acronyms() -> None:
    # BBC, Haiti earthquake (Timeline17)
    text = (
        "The DEC (Disasters Emergency Committee) said donations had passed £60m.\n"
        "The International Rescue Committee (IRC) sent a team.\n"
        "The International Rescue Corps (IRC) flew in search dogs.\n"
        "The IRC said more teams were needed."
    )
    mentions = _mentions(
        "a",
        text,
        {
            "DEC": "ORG",
            "Disasters Emergency Committee": "ORG",
            "International Rescue Committee": "ORG",
            "International Rescue Corps": "ORG",
            "IRC": "ORG",
        },
    )
    actors = merge_actors(mentions, {"a": text})
    assert _named(actors, "DEC").name == "Disasters Emergency Committee"
    # two organisations define IRC: the acronym joins neither
    assert _named(actors, "International Rescue Committee") is not _named(
        actors, "International Rescue Corps"
    )
    assert _named(actors, "IRC").name == "IRC"


def test_known_entities_are_never_joined_to_each_other() -> None:
    # article 002 of the seed writes "al-Qaeda(AQIM)": AQIM is al-Qaeda's North African branch
    text = (
        "extremist leaders with both proven contacts with the Islamic State(IS) and al-Qaeda(AQIM)."
    )
    mentions = _mentions("a", text, {"al-Qaeda": "ORG", "AQIM": "ORG", "Islamic State": "ORG"})
    actors = merge_actors(mentions, {"a": text})
    assert _named(actors, "al-Qaeda") is not _named(actors, "AQIM")
    assert _named(actors, "AQIM").name == "al-Qaeda in the Islamic Maghreb"


def test_company_sharing_a_surname_stays_a_company() -> None:
    # Fox News, BP oil spill (Timeline17)
    text = (
        "The blowout preventer was made by Cameron International.\n"
        "Cameron said its equipment had been tested.\n"
        "Prime Minister David Cameron said BP PLC must pay.\n"
        "BP said it would pay all legitimate claims."
    )
    mentions = _mentions(
        "a",
        text,
        {
            "Cameron International": "ORG",
            "Cameron": "ORG",
            "Prime Minister David Cameron": "PERSON",
            "BP PLC": "ORG",
            "BP": "ORG",
        },
    )
    actors = merge_actors(mentions, {"a": text})
    assert _named(actors, "Cameron") is not _named(actors, "David Cameron")
    assert _named(actors, "BP PLC").name == "BP"


def test_apposition_defines_a_foreign_acronym() -> None:
    # article 002 of the seed, translated from French: spaCy tags only "ANL" and "Libyan"
    text = (
        "The Libyan national army, the self-proclaimed ANL and led by Marshal Khalifa Haftar "
        "has announced that it has taken 75% of the city of Derna.\n"
        "After a few hours of confrontations, the ANL seized a total of five strategic sites."
    )
    mentions = _mentions("a", text, {"ANL": "ORG", "Libyan": "NORP", "Derna": "GPE"})
    actors = merge_actors(mentions, {"a": text})
    anl = _named(actors, "ANL")
    assert anl.name == "Libyan national army"
    assert anl.mentions == 2
    assert not any(actor.name == "Libyan" for actor in actors)


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    from storyline.analyse.nlp import load_pipeline

    return load_pipeline()


def _analysed_mentions(nlp, texts: dict[str, str]) -> list[EntityMention]:  # type: ignore[no-untyped-def]
    """Mentions as the analysis stage finds and reads them (parse, tagger, roles)."""
    from storyline.analyse import analyse_article
    from storyline.model import Article

    mentions = []
    for article_id, text in texts.items():
        article = Article(id=article_id, source=f"{article_id}.txt", text=text)
        mentions += analyse_article(nlp(text), article, None).entities
    return mentions


def test_a_descriptive_word_after_a_name_joins_the_name(seed_actors: list[Actor]) -> None:
    # article 004 of the seed: "Daesh Takfiri militants parade through the city of Sirte"
    assert _named(seed_actors, "Daesh Takfiri") is _named(seed_actors, "Daesh")


def test_an_organisation_with_and_without_its_generic_suffix() -> None:
    # basil-dev 550b80db (HuffPost and NYT, 2011)
    text = (
        "Lois Romano does criticize what she calls the radical nature of the Tea Party that "
        "Bachmann champions.\n"
        "The cover asks about Ms. Bachmann’s place in the Tea Party movement and on the "
        "national stage."
    )
    labels = {"Tea Party": "ORG", "Tea Party movement": "ORG", "Bachmann": "PERSON"}
    actors = merge_actors(_mentions("a", text, labels), {"a": text})
    assert _named(actors, "Tea Party") is _named(actors, "Tea Party movement")
    assert _named(actors, "Bachmann") is not _named(actors, "Tea Party")


def test_a_mention_cut_short_joins_the_name_written_there(nlp) -> None:  # type: ignore[no-untyped-def]
    # basil-dev 8abec8d9 (HuffPost, NYT, Fox News, 2016): the tagger reads "Enrique Peña" in
    # the HuffPost lead and "Enrique Pena" before "Nieto’s", where the text says the full name
    texts = {
        "a": (
            "Former Mexican President Vicente Fox on Wednesday harshly criticized current "
            "President Enrique Peña Nieto for inviting Republican presidential candidate "
            "Donald Trump to meet with him south of the border."
        ),
        "b": (
            "Donald J. Trump is heading to Mexico on Wednesday to meet with President Enrique "
            "Peña Nieto, but one of the Mexican leader’s predecessors had a different message "
            "for the Republican presidential nominee: You are not welcome here."
        ),
        "c": (
            "Fox, an outspoken critic of Trump, started the fight when he said on CNN that he "
            "disagreed with current President Enrique Pena Nieto’s decision to invite the "
            "billionaire to the country to meet with him."
        ),
    }
    mentions = _analysed_mentions(nlp, texts)
    actors = merge_actors(mentions, texts)
    (pena,) = [a for a in actors if "Pe" in a.name]  # Fox News writes "Pena"
    assert pena.name == "Enrique Peña Nieto"
    assert pena.articles == ["a", "b", "c"]


def test_nicknames_join_only_where_the_text_links_them(nlp) -> None:  # type: ignore[no-untyped-def]
    # basil-dev d3a1ce0a (HuffPost and NYT, 2013): 'William "Mo" Cowan', "who is known as Mo"
    texts = {
        "a": (
            'Massachusetts Gov. Deval Patrick (D) on Wednesday appointed William "Mo" Cowan '
            "to the Senate seat vacated by new Secretary of State John Kerry."
        ),
        "b": (
            "Mr. Cowan, 43, who is known as Mo, is a former partner in the politically "
            "connected law firm of Mintz Levin.\n"
            "Mo Cowan will become Massachusetts’ first black senator since Edward Brooke."
        ),
    }
    actors = merge_actors(_analysed_mentions(nlp, texts), texts)
    cowan = _named(actors, "William Cowan")
    assert _named(actors, "Mo Cowan") is cowan
    assert _named(actors, "Cowan") is cowan
    # Multi-News val (2018): a "Bibi" no text links to anyone else stays herself, although
    # the shipped data knows "Bibi Netanyahu"
    text = (
        "Asia Bibi, who had spent eight years on death row, had been left in limbo.\n"
        "Bibi's release was put on hold friday after authorities held talks with radical "
        "islamists."
    )
    labels = {"Asia Bibi": "PERSON", "Bibi": "PERSON"}
    actors = merge_actors(_mentions("a", text, labels), {"a": text})
    assert _named(actors, "Bibi").name == "Asia Bibi"
    assert not any("Netanyahu" in form for a in actors for form in (a.name, *a.aliases))


def test_outlets_as_sources_and_page_furniture_are_no_actors(nlp) -> None:  # type: ignore[no-untyped-def]
    # Timeline17 EgyptianProtest_cnn 202 (Wired, 2011, detokenized): the subscription line
    # is page furniture; Jillian York and the Berkman Center are in the story
    texts = {
        "a": (
            "Vodafone, using the handle @VodafoneEgypt, had tweeted “no blocking from our "
            "side!”\n"
            "Jillian York, who compiles a crowd-sourced ledger of unavailable websites across "
            "the globe for the Berkman Center for Internet and Society at Harvard University, "
            "said the center had received about a dozen reports of Twitter being inaccessible "
            "inside Egypt.\n"
            "Subscribe to WIRED magazine for less than $1 an issue and get a FREE GIFT!"
        ),
    }
    names = {a.name for a in merge_actors(_analysed_mentions(nlp, texts), texts)}
    assert "Jillian York" in names
    assert any(name.startswith("Berkman Center") for name in names)
    assert not any("WIRED" in name for name in names)


def test_outlets_of_the_example_story(seed_brief) -> None:  # type: ignore[no-untyped-def]
    # "told AFP" in AFP's own article, "Reuters reported", "explained to Russian news agency
    # Sputnik": sources of the story, not actors in it
    names = {actor.name for actor in seed_brief.story.actors}
    assert not names & {"Agence France-Presse", "Reuters", "Sputnik"}
    assert {"Human Rights Watch", "United Nations", "NATO"} <= names


def test_a_name_written_without_its_generic_head_joins_it(nlp) -> None:  # type: ignore[no-untyped-def]
    # Timeline17 bpoil_bbc 1119 and bpoil_foxnews 1095 (detokenized): "U.S. Fish and
    # Wildlife spokeswoman" is the "US Fish and Wildlife Service" of the other article; the
    # tagger reads "Wildlife" and "Wildlife Service"
    texts = {
        "a": (
            "US officials announced on Friday that they had closed Breton National Wildlife "
            "Refuge to the public after a silver sheen of oil reached the shoreline.\n"
            "“The refuge closure is important to keep the public safe, to minimize disturbance "
            "to nesting colonial sea birds, and to allow personnel conducting cleanup "
            "operations and recovery efforts to work safely and efficiently,” the US Fish and "
            "Wildlife Service said on Friday."
        ),
        "b": (
            "When wildlife officials tried to rescue one of the pelicans, the birds became "
            "spooked.\nOfficials weren't sure whether they would try again, and U.S. Fish and "
            "Wildlife spokeswoman Stacy Shelton said it is sometimes better to leave the "
            "animals alone."
        ),
    }
    actors = merge_actors(_analysed_mentions(nlp, texts), texts)
    service = _named(actors, "Wildlife")
    assert _named(actors, "Wildlife Service") is service
    assert service.articles == ["a", "b"]
    # tagged as the model tags other sentences ("the US Fish and Wildlife Service" whole; the
    # cut "Wildlife" of "U.S. Fish and Wildlife spokeswoman"), the cut mention is read as
    # the full name's core, spelled as the text spells it
    full = "US Fish and Wildlife Service"
    mentions = _mentions("a", texts["a"], {full: "ORG"})
    at = texts["b"].index("Wildlife spokeswoman")
    mentions.append(EntityMention("Wildlife", "ORG", "b", 0, at, at + len("Wildlife")))
    actors = merge_actors(mentions, texts)
    service = _named(actors, full)
    assert "U.S. Fish and Wildlife" in service.aliases
    assert service.articles == ["a", "b"]
