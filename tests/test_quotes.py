"""Quotes and their speakers, on the seed story and real Multi-News / Timeline17 text."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.analyse.nlp import load_pipeline
from storyline.analyse.quotes import attribution_sources, extract_quotes, sentence_citations
from storyline.model import Article, Quote

SEED = Path(__file__).resolve().parent.parent / "examples" / "derna"


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    return load_pipeline()


@pytest.fixture(scope="module")
def seed(nlp) -> dict[str, tuple[Article, list[Quote]]]:  # type: ignore[no-untyped-def]
    result = {}
    for index, path in enumerate(sorted(SEED.glob("*.txt"))):
        article = Article(id=f"a{index + 1}", source=path.name, text=path.read_text("utf-8"))
        result[article.id] = (article, extract_quotes(nlp(article.text), article))
    return result


def _quote(quotes: list[Quote], start: str) -> Quote:
    found = [quote for quote in quotes if quote.text.startswith(start)]
    assert len(found) == 1, (start, quotes)
    return found[0]


def _quotes_of(nlp, text: str) -> list[Quote]:  # type: ignore[no-untyped-def]
    article = Article(id="x", source="x.txt", text=text)
    return extract_quotes(nlp(text), article)


def test_pronoun_speakers_resolve_to_the_last_speaker(seed) -> None:  # type: ignore[no-untyped-def]
    _article, quotes = seed["a2"]
    close = _quote(quotes, "We are close... to liberating our country")
    assert close.speaker == "Haftar"
    advancing = _quote(quotes, "Army forces are steadily advancing on Derna")
    assert advancing.speaker == "Ahmad Al Mesmari"  # "LNA spokesman General Ahmad Al Mesmari"
    # "he added" after "the spokesman announced ... Haftar's forces": the spokesman, not Haftar.
    losses = _quote(quotes, "The enemy has suffered heavy losses")
    assert losses.speaker == "Ahmad Al Mesmari"


def test_scare_quotes_are_not_quotes(seed) -> None:  # type: ignore[no-untyped-def]
    short = {"liberate", "combat missions", "near victory", "terrorist", "in good health"}
    short |= {"steadfast", "resolute.", "Operation Dignity", "day and night"}
    for _article, quotes in seed.values():
        for quote in quotes:
            assert quote.text not in short
            assert len(quote.text.split()) >= 4


def test_haftar_quotes_in_the_arab_weekly(seed) -> None:  # type: ignore[no-untyped-def]
    article, quotes = seed["a4"]
    zero_hour = _quote(quotes, "Zero Hour for the liberation of Derna has struck")
    assert zero_hour.speaker == "Haftar"
    # The next quote of the same paragraph has no speech verb: same speaker.
    assert _quote(quotes, "Our army forces are now targeting").speaker == "Haftar"
    rumours = _quote(quotes, "I won’t respond to those promoting rumours")
    assert rumours.speaker == "Haftar"
    assert "you are not responsible for them" in rumours.text  # the apostrophe did not close it
    blockade = _quote(quotes, "imposing a harsh blockade")
    assert blockade.speaker == "Khalifa al-Obeidi"
    for quote in quotes:
        cited = article.text[quote.citation.start : quote.citation.end]
        assert quote.text[:30] in cited


def test_speakers_explaining_to_an_agency_and_role_nouns(seed) -> None:  # type: ignore[no-untyped-def]
    _article, quotes = seed["a1"]
    assert _quote(quotes, "Our battle against terrorism").speaker == "Haftar"
    assert _quote(quotes, "the road is still long and arduous").speaker == "Haftar"
    _article, quotes = seed["a5"]
    assert _quote(quotes, "escaped into an area south of Derna").speaker == "Sabra"
    # "the ex-official explained" -> the official named in the previous sentence.
    assert _quote(quotes, "We are expecting they will go to Sirte").speaker == "Said Mohamed"
    assert _quote(quotes, "They will have to split up").speaker == "Said Mohamed"


def test_quotes_are_cited_by_the_analyse_stage_sentence_numbers(nlp, seed) -> None:  # type: ignore[no-untyped-def]
    article, quotes = seed["a2"]
    doc = nlp(article.text)
    citations = sentence_citations(doc, article.id)
    # Blank sentences are not numbered, so indices are consecutive over non-blank text.
    assert [c.sentence_index for c in citations.values()] == list(range(len(citations)))
    assert all(article.text[c.start : c.end].strip() for c in citations.values())
    assert {quote.citation for quote in quotes} <= set(citations.values())


def test_multi_sentence_quote_in_lower_cased_multinews(nlp) -> None:  # type: ignore[no-untyped-def]
    # Multi-News val 45143: straight quotes padded with spaces, lower-cased names.
    text = (
        '" we did find out they did do a ct scan. The brain right now is a little swollen, " '
        "said joe tavares, kristen's father."
    )
    quotes = _quotes_of(nlp, text)
    assert len(quotes) == 1
    assert quotes[0].speaker == "joe tavares"
    assert quotes[0].text == (
        "we did find out they did do a ct scan. The brain right now is a little swollen"
    )
    assert quotes[0].citation.sentence_index == 0  # cited by its first sentence


def test_titles_in_quotes_are_not_speech(nlp) -> None:  # type: ignore[no-untyped-def]
    # Multi-News val 44972.
    text = (
        'A woman reads a copy of the newly released book " the lost symbol " by dan brown, at '
        "a speed reading book launch event in sydney, september 15, 2009. "
        '" we are seeing historic, record-breaking sales across all types of our accounts in '
        "north america for'the lost symbol, \" said sonny mehta, editor in chief of knopf "
        "doubleday"
    )
    quotes = _quotes_of(nlp, text)
    assert [quote.speaker for quote in quotes] == ["sonny mehta"]
    assert quotes[0].text.startswith("we are seeing historic, record-breaking sales")


def test_said_after_the_quote_with_an_apposition(nlp) -> None:  # type: ignore[no-untyped-def]
    # Timeline17 H1N1_reuters 451 (detokenized).
    text = (
        "“There were five adjudicators checking every single smurf and if patches of skin were "
        "showing the smurf didn't count,” said James Houston, president of the Swansea "
        "University Student Union and organizer of the event."
    )
    quotes = _quotes_of(nlp, text)
    assert [(quote.speaker, quote.text[:16]) for quote in quotes] == [
        ("James Houston", "There were five ")
    ]


def test_attribution_cues_name_sources_of_reported_facts(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp(
        "According to concordant sources, about ten civilians died.\n"
        "The move has added to the speculation that the army would attack."
    )
    sources = attribution_sources(doc)
    assert sorted(sources.values()) == ["concordant sources"]  # "the move added to": no source
