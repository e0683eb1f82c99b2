"""The pipeline storyline runs must annotate exactly as the stock English model does, while
skipping the slow attribute ruler and lemmatizer passes."""

from __future__ import annotations

import importlib

import pytest

from storyline.analyse.nlp import PIPELINE_PACKAGES, lemma_of, load_pipeline

TEXT = (
    "Strongman Khalifa Haftar's self-proclaimed Libyan National Army said on Wednesday it was "
    "tightening the noose on the last militant bastion in the country's east.\n"
    "There are gonna be more clashes, said residents who ain't leaving; y'all know that.\n"
    "Fighters were killed and 20 soldiers wounded as the troops advanced on Derna's old city."
)


@pytest.fixture(scope="module")
def stock():  # type: ignore[no-untyped-def]
    for name in PIPELINE_PACKAGES:
        try:
            nlp = importlib.import_module(name).load()
        except ImportError:
            continue
        nlp.add_pipe("storyline_line_breaks", before="parser")
        return nlp
    pytest.skip("no English pipeline")


def test_fast_attributes_and_lazy_lemmas_equal_the_stock_pipeline(stock) -> None:  # type: ignore[no-untyped-def]
    nlp = load_pipeline()
    assert "attribute_ruler" not in nlp.pipe_names and "lemmatizer" not in nlp.pipe_names
    ours, theirs = nlp(TEXT), stock(TEXT)
    assert [t.text for t in ours] == [t.text for t in theirs]
    for mine, reference in zip(ours, theirs):
        assert (mine.pos_, mine.tag_, mine.dep_, str(mine.morph)) == (
            reference.pos_,
            reference.tag_,
            reference.dep_,
            str(reference.morph),
        ), mine.text
        assert lemma_of(mine) == reference.lemma_, mine.text
    # The multi-token rules ("gonna" -> "go", "ai" -> "be") and inflections are exercised.
    lemmas = {t.text: lemma_of(t) for t in ours}
    assert lemmas["gon"] == "go" and lemmas["killed"] == "kill" and lemmas["soldiers"] == "soldier"


def test_line_breaks_start_sentences() -> None:
    doc = load_pipeline()(TEXT)
    starts = [sent.text.split()[0] for sent in doc.sents]
    assert starts[1] == "There" and starts[-1] == "Fighters"
