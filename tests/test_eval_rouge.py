"""Multi-News ROUGE (rouge-score): the 230-word cut and the sentence lines ROUGE-Lsum reads."""

from __future__ import annotations

import pytest

from storyline.evaluate import multinews_scores

rouge_scorer = pytest.importorskip("rouge_score.rouge_scorer")

# Real Multi-News validation reference (multinews-val-44972), first sentences, in the
# original release's "– " format.
REFERENCE = (
    "– The da vinci code has sold so many copies — that would be at least 80 million — that "
    "it's bound to turn up in book donation piles. But at one charity shop in the uk, it's "
    "been donated so heavily that the shop has posted a sign propped up on a tower of da vinci "
    'code copies that reads: " you could give us another da vinci code... But we would rather '
    "have your vinyl! \" Dan brown's book isn't the only one that shops like oxfam struggle "
    "to re-sell. Last year, oxfam was hit with a large and steady supply of fifty shades of "
    "grey. The da vinci code was published in 2003, and within six years brown had booted john "
    "grisham from the no. 1 slot on the list of writers whose books were most often donated to "
    "oxfam's 700 shops, reported the guardian at the time."
)
# Its first source document (beginning).
DOCUMENT = (
    "Whether a sign of a good read; or a comment on the ' pulp ' nature of some genres of "
    "fiction, the oxfam second-hand book charts have remained in the da vinci code author's "
    "favour for the past four years. Dan brown has topped oxfam's ' most donated ' list again, "
    "his fourth consecutive year. Having sold more than 80 million copies of the da vinci code "
    "and had all four of his novels on the new york times bestseller list in the same week, "
    "it's hardly surprising that brown's hefty tomes are being donated to charity by readers "
    "keen to make some room on their shelves."
)
REFERENCE_SENTENCES = [
    "The da vinci code has sold so many copies — that would be at least 80 million — that "
    "it's bound to turn up in book donation piles.",
    "But at one charity shop in the uk, it's been donated so heavily that the shop has posted "
    'a sign propped up on a tower of da vinci code copies that reads: " you could give us '
    "another da vinci code...",
    "But we would rather have your vinyl!",
    "\" Dan brown's book isn't the only one that shops like oxfam struggle to re-sell.",
    "Last year, oxfam was hit with a large and steady supply of fifty shades of grey.",
    "The da vinci code was published in 2003, and within six years brown had booted john "
    "grisham from the no. 1 slot on the list of writers whose books were most often donated "
    "to oxfam's 700 shops, reported the guardian at the time.",
]


def test_scores_are_rouge_score_f1_on_sentence_lines() -> None:
    scores = multinews_scores(DOCUMENT, REFERENCE)
    assert set(scores) == {"rouge1", "rouge2", "rougeLsum"}
    direct = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeLsum"], use_stemmer=True).score(
        "\n".join(REFERENCE_SENTENCES), DOCUMENT
    )
    # The reference was split into the sentences above: at "code... But" but not at "no. 1",
    # the "– " bullet dropped. (Quotes do not matter: rouge-score drops punctuation.)
    for name, value in scores.items():
        assert value == pytest.approx(direct[name].fmeasure)
    assert 0 < scores["rouge2"] < scores["rouge1"] < 1


def test_lsum_reads_reference_sentences_not_one_paragraph() -> None:
    # The reference sentences in reverse order on one line: every reference sentence is a
    # contiguous part of the prediction, so the summary-level LCS finds all of it -- but only
    # because the reference was split into sentences. Read as one paragraph, the LCS of the
    # reversed text keeps about one sentence.
    reversed_line = " ".join(reversed(REFERENCE_SENTENCES))
    scores = multinews_scores(reversed_line, REFERENCE)
    assert scores["rougeLsum"] == pytest.approx(1.0)
    assert scores["rouge1"] == pytest.approx(1.0)
    unsplit = rouge_scorer.RougeScorer(["rougeLsum"], use_stemmer=True).score(
        REFERENCE.removeprefix("– "), reversed_line
    )
    assert unsplit["rougeLsum"].fmeasure < 0.5


def test_prediction_is_cut_at_max_words() -> None:
    words = len(DOCUMENT.split())  # 107
    lines = [DOCUMENT, *REFERENCE_SENTENCES]
    prediction = "\n".join(lines)
    # Only the document survives a cut at its length: the reference lines after it are
    # ignored, which the uncut score shows to matter.
    cut = multinews_scores(prediction, REFERENCE, max_words=words)
    assert cut == pytest.approx(multinews_scores(DOCUMENT, REFERENCE, max_words=words))
    assert cut["rouge1"] < multinews_scores(prediction, REFERENCE, max_words=10_000)["rouge1"]
    # The cut can fall inside a line and keeps the line breaks before it (Lsum sees them).
    partial = multinews_scores(prediction, REFERENCE, max_words=words + 5)
    first_words = " ".join(REFERENCE_SENTENCES[0].split()[:5])
    assert partial == pytest.approx(
        multinews_scores(f"{DOCUMENT}\n{first_words}", REFERENCE, max_words=10_000)
    )
    assert partial["rougeLsum"] > cut["rougeLsum"]


def test_default_cut_is_230_words() -> None:
    long_prediction = "\n".join([DOCUMENT] * 3)  # 321 words
    assert len(long_prediction.split()) > 230
    first_230 = " ".join(long_prediction.split()[:230])
    default = multinews_scores(long_prediction, REFERENCE)
    # Same words, no line breaks: ROUGE-1/2 ignore lines.
    explicit = multinews_scores(first_230, REFERENCE, max_words=10_000)
    assert default["rouge1"] == pytest.approx(explicit["rouge1"])
    assert default["rouge2"] == pytest.approx(explicit["rouge2"])
    assert default["rouge1"] != pytest.approx(
        multinews_scores(long_prediction, REFERENCE, max_words=10_000)["rouge1"]
    )
