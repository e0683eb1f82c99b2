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
    assert close.speaker == "Khalifa Haftar"  # "he said": written with the article's full name
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
    # '... said that the LNA was “imposing a harsh blockade on the terrorist groups.”': a
    # phrase quoted inside the reporter's sentence, not a quote
    assert not [quote for quote in quotes if "harsh blockade" in quote.text]
    for quote in quotes:
        cited = article.text[quote.citation.start : quote.citation.end]
        assert quote.text[:30] in cited


def test_speakers_explaining_to_an_agency_and_role_nouns(seed) -> None:  # type: ignore[no-untyped-def]
    _article, quotes = seed["a1"]
    assert _quote(quotes, "Our battle against terrorism").speaker == "Haftar"
    assert _quote(quotes, "the road is still long and arduous").speaker == "Haftar"
    _article, quotes = seed["a5"]
    # 'The terrorists “escaped ..., and from there they fled into the desert,” Sabra said.'
    assert _quote(quotes, "escaped into an area south of Derna").speaker == "Abdelkarim Sabra"
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


def test_a_possessive_is_not_the_speaker(nlp) -> None:  # type: ignore[no-untyped-def]
    # basil-dev 3d65b2c4 (NYT, 2019): the spokesman, not Pelosi; the second quote continues
    text = (
        "“In his opening comments at the meeting, President Trump brought up impeachment,” "
        "Ms. Pelosi’s spokesman, Drew Hammill, wrote on Twitter. “Speaker Pelosi made clear "
        "that today’s meeting was about re-opening government, not impeachment.”"
    )
    quotes = _quotes_of(nlp, text)
    assert [quote.speaker for quote in quotes] == ["Drew Hammill", "Drew Hammill"]


def test_a_name_inside_the_quote_is_not_the_speaker(nlp) -> None:  # type: ignore[no-untyped-def]
    # basil-dev a4389be5 (HuffPost, 2012): "he" is the last person speaking, not the Romney
    # of the same sentence; '"Why can't Mitt Romney ...?" Akin continued.' names its speaker
    # in a sentence of its own
    text = (
        "Presumptive GOP presidential nominee Mitt Romney on Tuesday joined a chorus of "
        "Republicans calling for Rep. Todd Akin (R-Mo.) to drop out of the U.S. Senate race in "
        "Missouri.\n\n"
        "\"As I said yesterday, Todd Akin's comments were offensive and wrong and he should "
        'very seriously consider what course would be in the best interest of our country," '
        "said Romney in a statement.\n\n"
        "Akin, however, continued his refusal to step down Tuesday in a subsequent interview "
        "on Sean Hannity's radio show.\n\n"
        '"It still seems to me that there has to be room … to broaden the scope of what a '
        'campaign needs to be about," he said, going on to suggest Romney had made a bigger '
        "deal of the remark than he needed to.\n\n"
        "\"Why can't Mitt Romney run his race and I'll run mine?\" Akin continued.\n\n"
        "He later confirmed that vice presidential candidate Paul Ryan called him and told "
        'him to "give some thought to stepping down," but didn\'t tell him to get out.'
    )
    quotes = _quotes_of(nlp, text)
    assert [(quote.text[:20], quote.speaker) for quote in quotes] == [
        ("As I said yesterday,", "Mitt Romney"),
        ("It still seems to me", "Todd Akin"),
        ("Why can't Mitt Romne", "Todd Akin"),
    ]  # "give some thought to stepping down": a fragment of the reporter's sentence


def test_fragments_are_not_quotes(nlp) -> None:  # type: ignore[no-untyped-def]
    # basil-dev 4f4dc5fb (Fox News, 2012)
    text = (
        '"I believe that we can win this," Akin said, citing a "tremendous outpouring of '
        'support" from individual donors even as party heavyweights freeze him out.\n\n'
        "Akin's ad, and claims Monday that he's \"going to stay in for many years to come,\" "
        "defied Republican Party leaders who are nervous the controversy could imperil their "
        "chances of taking control of the Senate after the November elections."
    )
    quotes = _quotes_of(nlp, text)
    assert [(quote.text, quote.speaker) for quote in quotes] == [
        ("I believe that we can win this", "Akin")
    ]


def test_a_quote_continued_in_the_next_paragraph(nlp) -> None:  # type: ignore[no-untyped-def]
    # basil-dev 25af626f (Fox News, 2013): the colon introduces the quote, which runs on
    # into the next paragraph without a closing mark; later an imperative after "saying,"
    text = (
        "Mary Cheney, openly lesbian and married to Heather Poe since 2012, reportedly posted "
        "to her personal page on the social media site: “For the record, I love my sister, "
        "but she is dead wrong on the issue of marriage.\n\n"
        "“Freedom means freedom for everyone. That means that all families — regardless of "
        "how they look or how they are made — all families are entitled to the same rights, "
        "privileges and protections as every other.”\n\n"
        "Her sister replied by pulling no punches.\n\n"
        "“It’s not something to be decided by a show of hands,” Mary Cheney reportedly wrote "
        "on her personal Facebook page, concluding her internecine post by saying, “Please "
        "like and share if you agree.”"
    )
    quotes = _quotes_of(nlp, text)
    assert [(quote.text[:12], quote.speaker) for quote in quotes] == [
        ("For the reco", "Mary Cheney"),
        ("Freedom mean", "Mary Cheney"),
        ("It’s not som", "Mary Cheney"),
        ("Please like ", "Mary Cheney"),
    ]


def test_mixed_marks_and_a_speaker_the_text_does_not_name(nlp) -> None:  # type: ignore[no-untyped-def]
    # basil-dev 1b0567c9 (Fox News, 2012): a straight mark opens what a curly one closes; the
    # voice-over is nobody the text names, and the prime minister's quote before it is no
    # reason to give him this one
    text = (
        "His words are taken from a recent news conference.\n\n"
        '"The fact is that every day that passes, Iran gets closer and closer to a nuclear '
        "bomb,” Netanyahu says. “The world tells Israel, wait, there's still time. And I say "
        'wait for what? Wait until when?"\n\n'
        "A voice-over at the end of the ad underscores the prime minister's message: \"The "
        'world needs American strength, not apologies."'
    )
    quotes = _quotes_of(nlp, text)
    assert [(quote.text[:15], quote.speaker) for quote in quotes] == [
        ("The fact is tha", "Netanyahu"),
        ("The world tells", "Netanyahu"),
        ("The world needs", None),
    ]


def test_an_organisation_speaks_through_its_statement(nlp) -> None:  # type: ignore[no-untyped-def]
    # basil-dev 1f4cce14 (NYT, 2012): "a statement from the Democratic committee said" is the
    # Democratic National Committee named before; a bare "judges" would name nobody
    text = (
        "Democrats have already pounced. Officials with the Democratic National Committee "
        "quickly called the Republican abortion position the “Akin plank” and scheduled a "
        "news conference to denounce it.\n\n"
        "“American women know that Mitt Romney, Paul Ryan and the party they lead are the "
        "wrong choice for women and their families,” a statement from the Democratic "
        "committee said. “Mitt Romney should do the right thing and denounce this dangerous "
        "language.”"
    )
    quotes = _quotes_of(nlp, text)
    assert [quote.speaker for quote in quotes] == ["Democratic National Committee"] * 2


def test_pronoun_in_lower_cased_multinews_skips_a_photo_credit(nlp) -> None:  # type: ignore[no-untyped-def]
    # Multi-News val 45981: "she" is Roberts, the subject of the sentence before, not the
    # photographer of the credit line glued to the quote
    text = (
        "Julia roberts has one of the most illustrious careers in all of hollywood. Roberts, "
        "who turns 51 over the weekend, is showing no signs of slowing down. in a new "
        "interview with the u.k.'s i news, roberts opens up about gender equality and aging. "
        "Valerie macon/afp/getty images \"i think that's made up, that at a certain age, the "
        'bell is going to ring and you are done, " she said. " i don\'t think anybody buys into '
        "that. I don't think i am special. \""
    )
    quotes = _quotes_of(nlp, text)
    assert [quote.speaker.casefold().split()[-1] for quote in quotes] == ["roberts"] * 2


def test_a_court_speaks_when_the_text_names_it(nlp) -> None:  # type: ignore[no-untyped-def]
    # Multi-News val 47332 and 45435: "the court said in a statement" is the court the text
    # named; a court the text never names is nobody the reader can tell
    text = (
        "The european court of justice has ruled that companies can ban employees from wearing "
        'the islamic headscarf. "an internal rule of an undertaking which prohibits the '
        "visible wearing of any political, philosophical or religious sign does not constitute "
        'direct discrimination, " the court said in a statement.'
    )
    (quote,) = _quotes_of(nlp, text)
    assert quote.speaker is not None and quote.speaker.startswith("european court")
    text = (
        "Adults who provide alcohol to underage drinkers can be held civilly liable, a ruling "
        'holds. "children under 21 are often less able to make responsible decisions regarding '
        'the consumption of alcohol, " the court wrote.'
    )
    assert [quote.speaker for quote in _quotes_of(nlp, text)] == [None]
