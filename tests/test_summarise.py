from __future__ import annotations

import datetime as dt

from storybuild import make_story

from storyline.summarise import rank_sentences, summarise

LEAD = (
    "Strongman Khalifa Haftar's self-proclaimed Libyan National Army said on Wednesday it was "
    "tightening the noose on the last militant bastion in the country's east."
)
ARTICLES = [
    (
        "a1",
        dt.date(2018, 5, 23),
        [
            LEAD,
            "Haftar launched an offensive on May 7 to liberate the eastern coastal city of Derna.",
            "Rights groups, including Human Rights Watch, have expressed concern over risks to "
            "civilians in Derna.",
            "Newsletter",
        ],
    ),
    (
        "a2",
        dt.date(2018, 5, 9),
        [
            "Libyan Field-Marshal Khalifa Haftar launched an offensive into the eastern city of "
            "Derna, promising to liberate the town from terrorist militias.",
            "Derna, a port city of 150,000, is the last major pocket of Islamist resistance to "
            "Haftar's Libyan National Army in the east.",
            "Haftar, in his mid 70s, was speaking on his return from a trip to Paris.",
        ],
    ),
    (
        "a3",
        dt.date(2018, 5, 24),
        [
            LEAD,
            "The army said more troops were on the way to Derna.",
            "“We are close to liberating our country from the last bastion of terrorism "
            "in Derna and the east,” he said.",
            "But the army in Derna has not said when the offensive on the city will end.",
        ],
    ),
]


def test_summary_respects_the_word_budget_and_cites_exact_offsets() -> None:
    story = make_story(ARTICLES)
    for budget in (25, 60, 150):
        summary = summarise(story, words=budget)
        assert summary and sum(len(s.text.split()) for s in summary) <= budget
        for sentence in summary:
            text = story.article(sentence.citation.article_id).article.text
            assert text[sentence.citation.start : sentence.citation.end] == sentence.text


def test_summary_says_a_repeated_fact_once_and_skips_non_sentences() -> None:
    summary = summarise(make_story(ARTICLES), words=400)
    texts = [s.text for s in summary]
    assert texts.count(LEAD) <= 1
    assert "Newsletter" not in texts
    # Sentences that lean on one the reader of the summary has not seen.
    assert not any(text.endswith("he said.") or text.startswith("But ") for text in texts)
    assert len({s.citation.article_id for s in summary}) >= 2


def test_summary_is_in_story_order() -> None:
    summary = summarise(make_story(ARTICLES), words=150)
    dates = {"a1": dt.date(2018, 5, 23), "a2": dt.date(2018, 5, 9), "a3": dt.date(2018, 5, 24)}
    order = [dates[s.citation.article_id] for s in summary]
    assert order == sorted(order)


def test_central_sentences_rank_above_peripheral_ones() -> None:
    ranked = [item.sentence.text for item in rank_sentences(make_story(ARTICLES))]
    offensive = ranked.index(ARTICLES[1][2][0])
    paris = ranked.index(ARTICLES[1][2][2])
    assert offensive < paris
