"""Cleaning: page chrome goes (and is recorded), sentences stay, text is normalised."""

from __future__ import annotations

from collections import Counter

import pytest

from storyline.ingest.clean import clean_text, remove_shared_boilerplate

# Real sentences from the seed articles and Timeline17 (BBC, CNN, Reuters).
SENTENCES = [
    "Haftar launched an offensive on May 7 to liberate the eastern coastal city, home to about "
    "150,000 people.",
    "The LNA carried out combat missions and took control of fortified positions at the "
    "entrances of the city, he said.",
    "Rights groups, including Human Rights Watch, have expressed concern over risks to civilians "
    "in Derna.",
    "NATO planes and warships joined the fight in March, pounding government troops under a U.N. "
    "mandate to protect civilians.",
]


def seed_text(seed_dir, prefix: str) -> str:
    (path,) = seed_dir.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_every_removed_piece_is_recorded(seed_dir, prefix):
    raw = seed_text(seed_dir, prefix)
    cleaned, removed = clean_text(raw)
    kept_words = cleaned.split() + [word for item in removed for word in item.text.split()]
    assert Counter(kept_words) == Counter(raw.split())


def test_trailing_photo_credits_are_cut_from_captions(seed_dir):
    text_003, removed_003 = clean_text(seed_text(seed_dir, "003"))
    caption = "Khalifa Haftar attends a military parade in the eastern city of Bengahzi on May 7."
    assert f"{caption}\n" in text_003
    assert "(AFP)" not in text_003
    assert ("(AFP)", "photo credit") in [(item.text, item.reason) for item in removed_003]
    text_004, _ = clean_text(seed_text(seed_dir, "004"))
    assert "Sirte, Libya, February 18, 2015.\n" in text_004 and "©AP" not in text_004


def test_seed_001_chrome_is_removed_with_reasons(seed_dir):
    cleaned, removed = clean_text(seed_text(seed_dir, "001"))
    reasons = {item.text: item.reason for item in removed}
    assert reasons == {
        "You are here": "navigation",
        "up": "vote counter",
        "107 users have voted.": "vote counter",
        "Newsletter": "newsletter prompt",
        "Get top stories and blog posts emailed to you each day.": "newsletter prompt",
        "PDF": "share widget",
    }
    assert cleaned.startswith("Haftar forces in Libya tighten noose on Derna militants\n")
    assert cleaned.endswith(
        "is the only area in the country's east not controlled by Haftar's forces."
    )
    assert "\u00a0" not in cleaned and " \n" not in cleaned
    assert "\n\n\n" not in cleaned


def test_seed_002_comment_prompts_and_widgets_are_removed(seed_dir):
    cleaned, removed = clean_text(seed_text(seed_dir, "002"))
    assert {item.reason for item in removed} == {"widget", "comment prompt"}
    for chrome in ("Show More", "Leave a Reply", "Required fields", "Back to top button"):
        assert chrome not in cleaned
    assert cleaned.endswith("On Monday, Khalifa Haftar had already announced a close victory.")


def test_seed_repeated_lead_and_caption_are_kept_once(seed_dir):
    text_004, removed_004 = clean_text(seed_text(seed_dir, "004"))
    lead = "Forces loyal to Libya’s internationally-recognized government have pushed Daesh out"
    assert text_004.count(lead) == 1
    assert text_004.startswith(lead)
    assert [item.reason for item in removed_004].count("repeated paragraph") == 1
    assert {"/257": "numeric footer", "749064": "numeric footer"}.items() <= {
        item.text: item.reason for item in removed_004
    }.items()
    text_003, _ = clean_text(seed_text(seed_dir, "003"))
    assert text_003.count("attends a military parade in the eastern city of Bengahzi") == 1


def test_seed_000_loses_nothing(seed_dir):
    raw = seed_text(seed_dir, "000")
    cleaned, removed = clean_text(raw)
    assert removed == []
    assert cleaned == raw.strip()


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Home > News > Middle East", "navigation"),
        ("You are here: Home / World", "navigation"),
        ("Skip to main content", "navigation"),
        ("Tags: Libya, Derna, Haftar", "navigation"),
        ("1,024 readers have voted", "vote counter"),
        ("down", "vote counter"),
        ("Sign up", "newsletter prompt"),
        ("Subscribe to our daily newsletter", "newsletter prompt"),
        (
            "Get the latest headlines delivered straight to your inbox every morning.",
            "newsletter prompt",
        ),
        ("Your email address will not be published.", "comment prompt"),
        ("Required fields are marked *", "comment prompt"),
        ("12 Comments", "comment prompt"),
        ("Read more", "widget"),
        ("Continue reading...", "widget"),
        ("Advertisement", "advertisement"),
        ("Share this article", "share widget"),
        ("Share on Facebook", "share widget"),
        ("Facebook Twitter WhatsApp Email Print", "share widget"),
        ("Tweet", "share widget"),
        ("Related: Libya's eastern army says it has taken Derna port", "related links"),
        ("Photograph: Pablo Martinez Monsivais/AP", "photo credit"),
        ("(AFP)", "photo credit"),
        ("REUTERS/Esam Omran Al-Fetori", "photo credit"),
        (
            "We use cookies to ensure that we give you the best experience on our website. If you "
            "continue to use this site we will assume that you are happy with it.",
            "cookie notice",
        ),
        ("Copyright © 2018 The Libya Observer", "copyright"),
        ("Thomson Reuters 2013 All rights reserved.", "copyright"),
        ("749064", "numeric footer"),
    ],
)
def test_general_chrome_patterns(line, reason):
    text = f"{SENTENCES[0]}\n{line}\n{SENTENCES[1]}"
    cleaned, removed = clean_text(text)
    assert [(item.text, item.reason) for item in removed] == [(line, reason)]
    assert cleaned == f"{SENTENCES[0]}\n{SENTENCES[1]}"


@pytest.mark.parametrize(
    "sentence",
    [
        # Real sentences that mention chrome words but are content.
        "Google said it would phase out third-party cookies in its Chrome browser, a move "
        "privacy advocates welcomed.",
        "He said the vote on the unity government was up to the House of Representatives.",
        "The group announced in its weekly newsletter that it had subscribed to the ceasefire.",
        "Copyright lawyers for the author said the lawsuit would be filed on Monday.",
        "Related talks in Geneva ended without agreement, the U.N. envoy said.",
        "Share prices fell 3% in early trading in London.",
        "2011",
        "Up to 20,000 people have fled the city since the offensive began, the U.N. said.",
    ],
)
def test_content_sentences_are_kept(sentence):
    cleaned, removed = clean_text(f"{SENTENCES[0]}\n{sentence}\n{SENTENCES[1]}")
    assert removed == []
    assert sentence in cleaned


def test_normalisation_of_spaces_blank_lines_and_mojibake():
    raw = (
        "Haftarâ€™s army\u00a0 took\tthe Â\u00a0port.   \r\n\r\n\r\n\r\n"
        "It was\u200b â€œa victoryâ€\x9d, he said.  \n"
    )
    cleaned, removed = clean_text(raw)
    assert cleaned == "Haftar’s army took the port.\n\nIt was “a victory”, he said."
    assert removed == []


def test_short_repeated_lines_are_not_treated_as_repeated_paragraphs():
    text = "Q: Who controls Derna?\nA: The LNA.\nQ: Who controls Sirte?\nA: The LNA."
    cleaned, removed = clean_text(text)
    assert removed == []
    assert cleaned == text


def site_page(body: str) -> str:
    return f"Libya Observer\nFollow us on Telegram\n{body}\nSend us your news tips\nMay 23, 2018"


def test_shared_site_chrome_is_removed_across_articles():
    texts = [site_page(sentence) for sentence in SENTENCES] + [SENTENCES[0]]
    results = remove_shared_boilerplate(texts)
    assert len(results) == len(texts)
    for (cleaned, removed), sentence in zip(results[:4], SENTENCES):
        assert cleaned == f"{sentence}\nMay 23, 2018"  # date lines are metadata, not chrome
        assert [item.text for item in removed] == [
            "Libya Observer",
            "Follow us on Telegram",
            "Send us your news tips",
        ]
        assert all("in 4 articles" in item.reason for item in removed)
    assert results[4] == (SENTENCES[0], [])


def test_shared_lines_below_the_thresholds_and_shared_sentences_stay():
    wire_copy = SENTENCES[3]  # the same agency sentence published by several outlets
    texts = [f"{wire_copy}\n{sentence}" for sentence in SENTENCES[:3]]
    texts += [f"Libya Observer\n{sentence}" for sentence in SENTENCES[:2]]
    results = remove_shared_boilerplate(texts)
    assert [cleaned for cleaned, _ in results] == texts
    small = remove_shared_boilerplate([site_page(s) for s in SENTENCES[:3]] + SENTENCES * 3)
    assert all(removed == [] for _, removed in small)  # 3 of 15 articles is under 30%


def test_chrome_sentences_inside_one_long_paragraph_are_removed() -> None:
    # A Multi-News document: the NBC newsletter promo sits between article sentences.
    paragraph = (
        "Breaking news emails get breaking news alerts and special reports. "
        "The news and stories that matter, delivered weekday mornings. "
        "Nov. 29, 2018 by phil mccausland for weeks, student veterans across the country "
        "have raised an alarm about delayed or incorrect gi bill benefit payments, which the "
        "department of veterans affairs has blamed on computer issues. The department said "
        "it would not reimburse veterans who were paid less than they were owed."
    )
    text, removed = clean_text(paragraph)
    assert text.startswith("Nov. 29, 2018 by phil mccausland")
    assert text.endswith("less than they were owed.")
    assert [r.reason for r in removed] == ["newsletter prompt", "newsletter prompt"]
    # Short paragraphs are judged whole, as before.
    assert clean_text("The army said it would sign up for the talks.")[1] == []


def test_view_counters_prompts_and_link_lines_are_removed() -> None:
    """Issue 8.6: lines as scraped pages carry them (the first four as reported on a real
    CBS News page, the rest from Multi-News val documents); article sentences about views,
    following up or subscribing stay."""
    chrome = [
        "Subscribe to the CBS News Channel HERE: http://youtube.com/cbsnews",
        "Follow CBS News on Instagram HERE: https://www.instagram.com/cbsnews/",
        "https://t.co/cz34tv08uf",
        "14,786,179 views",
        "Email him at will.oremus@slate.com or follow him on twitter.",
        "You must select a newsletter to subscribe to.",
        "Like us on facebook, and @slatecrime.",
    ]
    content = [
        "published: 28 Feb 2019 views: 20694",
        "The video, which has over 1,000 views on facebook, began with the man in the park.",
        "Investigators are to follow up on more allegations of chemical weapons use.",
        "The president said he would subscribe to the plan if Congress passed it.",
    ]
    text, removed = clean_text("\n\n".join([content[0], *chrome, *content[1:]]))
    reasons = {item.text: item.reason for item in removed}
    for line in chrome:
        assert line not in text and reasons[line] in {
            "follow prompt",
            "subscribe prompt",
            "links",
            "view counter",
        }, line
    # The counter goes; the date stays for the metadata reader.
    assert text.startswith("published: 28 Feb 2019\n") and reasons["views: 20694"] == "view counter"
    for line in content[1:]:
        assert line in text
