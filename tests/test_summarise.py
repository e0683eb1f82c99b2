from __future__ import annotations

import datetime as dt

from storybuild import make_story

from storyline.summarise import rank_sentences, summarise
from storyline.summarise.features import leans_on_previous

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
    assert len({s.citation.article_id for s in summary}) >= 2


def test_a_sentence_that_leans_on_the_previous_one_only_follows_it() -> None:
    # "But the army ..." and "..., he said." need the sentence before them.
    for budget in (40, 80, 400):
        summary = summarise(make_story(ARTICLES), words=budget)
        for before, after in zip([None, *summary], summary):
            text = after.text
            if text.startswith("But ") or text.endswith("he said."):
                assert before is not None
                assert before.citation.article_id == after.citation.article_id
                assert before.citation.sentence_index == after.citation.sentence_index - 1
    # With room for everything, the chain a3:1 -> a3:2 -> a3:3 can be told in order.
    everything = summarise(make_story(ARTICLES), words=400)
    assert any(s.text.startswith("But ") for s in everything)


def test_summary_opens_on_a_lead_then_follows_dated_order() -> None:
    story = make_story(ARTICLES)
    summary = summarise(story, words=150)
    leads = {analysed.sentences[0].text for analysed in story.articles}
    assert summary[0].text in leads
    dates = {"a1": dt.date(2018, 5, 23), "a2": dt.date(2018, 5, 9), "a3": dt.date(2018, 5, 24)}
    order = [dates[s.citation.article_id] for s in summary[1:]]
    assert order == sorted(order)


def test_a_person_named_only_by_role_leans_on_an_earlier_sentence() -> None:
    # examples/derna 004: the spokesman is named two sentences before
    assert leans_on_previous(
        "According to the spokesman, the government forces are conducting mop-up operations "
        "in both districts."
    )
    assert leans_on_previous("The spokesman said the fleeing militants also detonated a bomb.")
    assert not leans_on_previous(
        "Abdelkarim Sabra, the spokesman for Derna's Omar Mukhtar Security Operations Room, "
        "said on Thursday that Daesh had escaped in some 32 vehicles."
    )


def test_central_sentences_rank_above_peripheral_ones() -> None:
    ranked = [item.sentence.text for item in rank_sentences(make_story(ARTICLES))]
    offensive = ranked.index(ARTICLES[1][2][0])
    paris = ranked.index(ARTICLES[1][2][2])
    assert offensive < paris


BOILERPLATE = [
    "Sign up for our newsletter to get the latest headlines delivered to your inbox every morning.",
    "Copyright 2018 The Associated Press, all rights reserved, and this material may not be "
    "published or redistributed.",
    "Click here to read more stories about the region and follow us on Facebook and Twitter.",
]


def test_shipped_scorer_loads_and_scores_every_candidate() -> None:
    import numpy as np

    from storyline.summarise.features import FEATURE_NAMES, candidate_features, candidates
    from storyline.summarise.scorer import default_scorer

    scorer = default_scorer()
    assert set(scorer.meta) >= {"label", "clusters"} and scorer.meta["clusters"] >= 1000
    story = make_story(ARTICLES)
    found = candidates(story)
    features = candidate_features(story, found)
    assert features.shape == (len(found), len(FEATURE_NAMES))
    scores = scorer(features)
    assert scores.shape == (len(found),) and np.isfinite(scores).all()
    assert len(set(scores.round(6))) > 1  # it does discriminate


def test_ranking_prefers_the_central_lead_over_boilerplate() -> None:
    # Each outlet ends its page with its own furniture, as pages do.
    articles = [
        (article_id, date, [*sentences, chrome])
        for (article_id, date, sentences), chrome in zip(ARTICLES, BOILERPLATE)
    ]
    ranked = [item.sentence.text for item in rank_sentences(make_story(articles))]
    assert ranked[0] == LEAD
    assert max(ranked.index(text) for text in BOILERPLATE) >= len(ranked) - 3
    assert sum(ranked.index(text) >= len(ranked) // 2 for text in BOILERPLATE) >= 2


def test_training_runs_end_to_end_and_is_deterministic(tmp_path) -> None:
    import json

    from storyline.summarise.scorer import Scorer
    from storyline.summarise.train import cluster_examples, fit, main

    reference = (
        "– The Libyan National Army of Khalifa Haftar says it is tightening the noose on "
        "Derna, the last militant bastion in the east, after an offensive launched May 7."
    )
    clusters = [cluster_examples(make_story(ARTICLES), reference)] * 3
    assert clusters[0].components.max() > 0.5  # the lead shares most of its words
    first = fit(clusters, hidden=4, epochs=5, batch=4)
    assert fit(clusters, hidden=4, epochs=5, batch=4) == first
    ranked = [item.sentence.text for item in rank_sentences(make_story(ARTICLES), Scorer(first))]
    assert ranked and ranked[-1] != LEAD

    # The command: reads a Multi-News file, skips the evaluation clusters, writes the model.
    record = {
        "documents": ["\n".join(sentences) for _, _, sentences in ARTICLES],
        "summary": reference,
    }
    data = tmp_path / "train.jsonl"
    data.write_text(json.dumps({"id": "held-out", "documents": ["x"]}) + "\n" + json.dumps(record))
    output = tmp_path / "scorer.json"
    argv = [str(data), "--skip", "1", "--limit", "1", "--hidden", "0", "-o", str(output)]
    assert main(argv) == 0
    model = json.loads(output.read_text())
    assert model["meta"]["clusters"] == 1 and model["meta"]["hidden"] == 0
    assert Scorer(model)(clusters[0].features).shape == (len(clusters[0].features),)


def test_seed_summary_reads_as_an_account_not_a_list_of_quotes(seed_brief) -> None:  # type: ignore[no-untyped-def]
    from storyline.summarise import WORDS_PER_QUOTE
    from storyline.summarise.features import leans_on_previous

    story = seed_brief.story
    quoted = {
        (q.citation.article_id, q.citation.sentence_index) for a in story.articles for q in a.quotes
    }
    assert len(quoted) > 5  # the example story quotes Haftar and spokesmen at length
    summary = seed_brief.summary
    words = sum(len(s.text.split()) for s in summary)
    in_quotes = [s for s in summary if (s.citation.article_id, s.citation.sentence_index) in quoted]
    assert len(in_quotes) <= max(1, 150 // WORDS_PER_QUOTE) and words <= 150
    # Nothing that needs its predecessor ("The move ...", a bare quotation) stands alone.
    for before, after in zip([None, *summary], summary):
        if leans_on_previous(after.text):
            assert before is not None
            assert (before.citation.article_id, before.citation.sentence_index + 1) == (
                after.citation.article_id,
                after.citation.sentence_index,
            )
    assert leans_on_previous("The move has added to the speculation over the last weeks.")
    assert leans_on_previous("“Our army forces are now targeting their hideouts.”")
    assert not leans_on_previous("“Zero Hour has struck,” Haftar said at a parade in Benghazi.")
