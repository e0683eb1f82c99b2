"""Figures: numbers with what they count, on the seed story and real Timeline17/Multi-News text."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from storyline.analyse.figure_agreement import merge_figures
from storyline.analyse.figures import extract_figures
from storyline.analyse.nlp import load_pipeline
from storyline.model import Article, FigureMention

SEED = Path(__file__).resolve().parent.parent / "examples" / "derna"
# Publication dates of the seed articles in file order (000 has none).
SEED_DATES = [
    None,
    dt.date(2018, 5, 23),
    dt.date(2018, 6, 5),
    dt.date(2018, 5, 9),
    dt.date(2016, 4, 22),
]
SEED_OUTLETS = [None, "AFP", None, "The Arab Weekly", None]


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    return load_pipeline()


@pytest.fixture(scope="module")
def seed(nlp) -> tuple[dict[str, Article], dict[str, list[FigureMention]]]:  # type: ignore[no-untyped-def]
    articles: dict[str, Article] = {}
    mentions: dict[str, list[FigureMention]] = {}
    for index, path in enumerate(sorted(SEED.glob("*.txt"))):
        article = Article(
            id=f"a{index + 1}",
            source=path.name,
            text=path.read_text(encoding="utf-8"),
            date=SEED_DATES[index],
            outlet=SEED_OUTLETS[index],
        )
        articles[article.id] = article
        mentions[article.id] = extract_figures(nlp(article.text), article)
    return articles, mentions


def _figures_of(nlp, text: str, date: dt.date | None = None, article_id: str = "x"):  # type: ignore[no-untyped-def]
    article = Article(id=article_id, source=f"{article_id}.txt", text=text, date=date)
    return article, extract_figures(nlp(text), article)


def _by_value(mentions: list[FigureMention], value: float) -> FigureMention:
    found = [mention for mention in mentions if mention.value == value]
    assert len(found) == 1, (value, mentions)
    return found[0]


def _sentence(article: Article, mention: FigureMention) -> str:
    return article.text[mention.citation.start : mention.citation.end]


def test_population_of_derna_reported_by_two_outlets_agrees(seed) -> None:  # type: ignore[no-untyped-def]
    articles, mentions = seed
    figures = merge_figures([m for ms in mentions.values() for m in ms], articles)
    population = [figure for figure in figures if figure.category == "population"]
    assert len(population) == 1
    figure = population[0]
    assert figure.subject == "Derna"
    assert figure.status == "agree"
    assert {report.citation.article_id for report in figure.reports} == {"a2", "a4"}
    assert all(report.value == 150_000 for report in figure.reports)
    afp = next(report for report in figure.reports if report.citation.article_id == "a2")
    assert afp.qualifier == "about"
    assert afp.reporter == "AFP"  # the outlet; the sentence attributes the number to no one


def test_casualties_of_the_june_fighting(seed) -> None:  # type: ignore[no-untyped-def]
    _articles, mentions = seed
    civilians = _by_value(mentions["a3"], 10)
    assert (civilians.category, civilians.counted, civilians.qualifier) == (
        "killed",
        "civilians",
        "about",
    )
    assert civilians.subject is None
    assert civilians.reporter == "concordant sources"
    soldiers = _by_value(mentions["a3"], 20)
    assert (soldiers.category, soldiers.counted, soldiers.subject) == ("killed", "soldiers", "ANL")
    jihadists = _by_value(mentions["a3"], 30)
    assert (jihadists.category, jihadists.counted) == ("killed", "jihadists")
    sites = _by_value(mentions["a3"], 5)
    assert (sites.category, sites.counted) == ("count", "sites")


def test_percentages_say_what_they_are_of(seed) -> None:  # type: ignore[no-untyped-def]
    _articles, mentions = seed
    taken = _by_value(mentions["a3"], 75)
    assert taken.category == "percent controlled"
    assert "Derna" in taken.counted
    fighters = _by_value(mentions["a3"], 70)
    assert (fighters.category, fighters.counted, fighters.subject) == (
        "percent",
        "fighters",
        "Derna",
    )


def test_may_fighting_casualties_are_credited_to_the_dmsc_spokesman(seed) -> None:  # type: ignore[no-untyped-def]
    _articles, mentions = seed
    casualties = _by_value(mentions["a4"], 4)
    assert (casualties.category, casualties.qualifier, casualties.subject) == (
        "killed",
        "at least",
        "LNA",
    )
    assert casualties.reporter == "Mohammed Idris Taher"
    member = _by_value(mentions["a4"], 1)
    assert (member.category, member.subject) == ("killed", "DMSC")
    assert _by_value(mentions["a4"], 15).category == "distance"


def test_assassinations_in_benghazi_keep_their_qualifier(seed) -> None:  # type: ignore[no-untyped-def]
    _articles, mentions = seed
    officers = _by_value(mentions["a1"], 150)
    assert (officers.category, officers.qualifier) == ("killed", "more than")


def test_distances_and_vehicles(seed) -> None:  # type: ignore[no-untyped-def]
    articles, mentions = seed
    distance = _by_value(mentions["a2"], 1000)
    assert (distance.category, distance.counted) == ("distance", "km")
    escaped = _by_value(mentions["a5"], 32)
    assert (escaped.category, escaped.qualifier) == ("vehicles", "about")
    assert escaped.reporter == "Abdelkarim Sabra"
    assert _by_value(mentions["a5"], 200).category == "vehicles"
    # Two different vehicle counts are two quantities, not a disagreement.
    figures = merge_figures(mentions["a5"], articles)
    vehicles = [figure for figure in figures if figure.category == "vehicles"]
    assert len(vehicles) == 2
    assert all(figure.status == "single" for figure in vehicles)


def test_dates_durations_ages_and_ordinals_are_not_figures(seed) -> None:  # type: ignore[no-untyped-def]
    articles, mentions = seed
    years = {2011, 2014, 2015, 2016, 2018}
    not_figures = {
        "three year battle": 3,
        "2-week trip": 2,
        "mid 70s": 70,
        "fourth anniversary": 4,
        "one way or another": 1,
        "last for three days": 3,
        "over in two days": 2,
        "nearly two years": 2,
        "May 7": 7,
    }
    for article_id, found in mentions.items():
        for mention in found:
            assert mention.value not in years, mention
            sentence = _sentence(articles[article_id], mention)
            for phrase, value in not_figures.items():
                assert not (phrase in sentence and mention.value == value), mention


def test_every_mention_quotes_its_cited_sentence(seed) -> None:  # type: ignore[no-untyped-def]
    articles, mentions = seed
    for article_id, found in mentions.items():
        assert found, article_id
        for mention in found:
            assert mention.citation.article_id == article_id
            assert mention.text in _sentence(articles[article_id], mention)


def test_death_toll_above_a_value(nlp) -> None:  # type: ignore[no-untyped-def]
    # Timeline17 haiti_bbc, article 572 (detokenized).
    _article, found = _figures_of(
        nlp,
        "The confirmed death toll from Haiti's devastating earthquake has risen above 150,000 "
        "in the Port-au-Prince area alone, a government minister has said.",
    )
    toll = _by_value(found, 150_000)
    assert (toll.category, toll.qualifier) == ("killed", "more than")
    assert toll.reporter is not None and "minister" in toll.reporter


def test_ranges_and_updates_are_one_figure(nlp) -> None:  # type: ignore[no-untyped-def]
    # Timeline17 haiti_bbc 379 and 419.
    _article, found = _figures_of(
        nlp,
        "Haitian officials say the death toll from the quake was likely to be between 100,000 "
        "and 200,000, and that 75,000 bodies had already been buried in mass graves.",
    )
    assert 200_000 not in [mention.value for mention in found]
    toll = _by_value(found, 100_000)
    assert (toll.category, toll.qualifier) == ("killed", "between")
    assert toll.text == "between 100,000 and 200,000"
    assert toll.reporter == "Haitian officials"
    _article, found = _figures_of(
        nlp, "Brazil says the death toll of its peacekeepers has risen from 11 to 14."
    )
    assert [(m.value, m.category, m.counted) for m in found] == [(14, "killed", "peacekeepers")]


def test_real_sentences_from_other_stories(nlp) -> None:  # type: ignore[no-untyped-def]
    # Multi-News val 46214 and Timeline17 LibyaWar_cnn 377, bpoil_washingtonpost 701.
    _article, found = _figures_of(
        nlp, "Millis is a bedroom community of 8,000 people about 30 miles southwest of boston."
    )
    town = _by_value(found, 8000)
    assert (town.category, town.subject) == ("population", "Millis")
    assert _by_value(found, 30).category == "distance"
    _article, found = _figures_of(
        nlp,
        "Four children in the same family were among 13 civilians killed in Misrata fighting "
        "Tuesday, said Dr. Khaled Mansouri of Misrata Central Hospital.",
    )
    civilians = _by_value(found, 13)
    assert (civilians.category, civilians.reporter) == ("killed", "Khaled Mansouri")
    _article, found = _figures_of(
        nlp, "The Coast Guard sent BP a bill Thursday for $69 million to cover its costs."
    )
    bill = _by_value(found, 69_000_000)
    assert (bill.category, bill.counted) == ("money", "dollars")
    _article, found = _figures_of(
        nlp,
        "The United States fired 20 Tomahawk cruise missiles into Libya during a 12-hour "
        "period; a level six pandemic alert was issued for flight 370 at 1:30 p.m.",
    )
    assert [mention.value for mention in found] == [20]


def test_tolls_reported_the_same_days_disagree_and_later_ones_are_updates(nlp) -> None:  # type: ignore[no-untyped-def]
    # Timeline17 haiti_bbc: articles 1149 and 1728 (2010-01-23), 1204 (2010-01-22), 1672
    # (2010-01-16), detokenized.
    sources = [
        (
            "h1149",
            dt.date(2010, 1, 23),
            "The official death toll from the 7.0-magnitude quake has risen to 110,000.",
        ),
        (
            "h1728",
            dt.date(2010, 1, 23),
            "The rescues came as the official government death toll from the earthquake rose "
            "to 110,000.",
        ),
        (
            "h1204",
            dt.date(2010, 1, 22),
            "The earthquake's death toll so far is estimated at 200,000, with around two "
            "million thought to be homeless.",
        ),
        (
            "h1672",
            dt.date(2010, 1, 16),
            "The Haitian government says it has collected 50,000 bodies, although there are "
            "fears the death toll could rise to between 100,000 and 200,000.",
        ),
    ]
    articles, mentions = {}, []
    for article_id, date, text in sources:
        article, found = _figures_of(nlp, text, date, article_id)
        articles[article_id] = article
        mentions.extend(found)
    figures = merge_figures(mentions, articles)
    assert figures[0].status == "disagree"  # disagreements come first
    toll = figures[0]
    assert toll.category == "killed"
    assert sorted(report.value for report in toll.reports) == [110_000, 110_000, 200_000]
    assert {report.citation.article_id for report in toll.reports} == {"h1149", "h1728", "h1204"}
    # A week earlier the counts differ: an earlier state, not a contradiction; and one
    # article's two numbers never contradict each other.
    early = [f for f in figures if any(r.citation.article_id == "h1672" for r in f.reports)]
    assert len(early) == 2
    assert all(figure.status == "single" for figure in early)


def test_same_toll_restated_weeks_later_agrees(nlp) -> None:  # type: ignore[no-untyped-def]
    # Timeline17 bpoil_reuters 801 (2010-05-21) and bpoil_bbc 1392 (2010-05-29).
    reuters, first = _figures_of(
        nlp,
        "A month since the Deepwater Horizon rig exploded and sank, killing 11 people and "
        "leaving a ruptured well that has been leaking crude ever since, the feared "
        "environmental catastrophe is becoming more and more real.",
        dt.date(2010, 5, 21),
        "reuters",
    )
    bbc, second = _figures_of(
        nlp,
        "The worst oil spill in US history began when a drilling rig exploded and sank last "
        "month, killing 11 people.",
        dt.date(2010, 5, 29),
        "bbc",
    )
    reuters.outlet = "Reuters"
    figures = merge_figures(first + second, {"reuters": reuters, "bbc": bbc})
    assert len(figures) == 1
    assert figures[0].status == "agree"
    assert {report.reporter for report in figures[0].reports} == {"Reuters", "bbc"}
