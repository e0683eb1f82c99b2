"""What the articles of a story repeat from each other, so that it counts once.

Copies of one wire story are one report, however many outlets carried them: each sentence
belongs to an independent *report* (:func:`report_keys`), and quotes are listed once with every
outlet that carried them (:func:`list_quotes`). Which article copies which, and which
sentences repeat an earlier article, comes from :mod:`storyline.stories.copies`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from difflib import SequenceMatcher
from itertools import pairwise

from storyline.model import AnalysedArticle, Quote, sentence_index_at

__all__ = ["list_quotes", "report_keys"]

_WORD = re.compile(r"[^\W_]+")
# Two quotes are one when this share of the shorter one's word pairs is in the longer one
# (copies trim, re-punctuate and re-case quotes), or this share of its characters (a typo
# fixed in one copy: "unnacceptable"); quotes shorter than this many words must match exactly.
SAME_QUOTE_CONTAINMENT = 0.8
SAME_QUOTE_CHARACTERS = 0.9
MIN_FUZZY_QUOTE_WORDS = 4
# Candidate quotes (sharing the most word pairs) compared in full.
QUOTE_CANDIDATES = 5
# A word pair found in more quotes than this ("it is", "we are") proposes no candidates.
MAX_PAIR_QUOTES = 50


def report_keys(articles: Sequence[AnalysedArticle]) -> dict[tuple[str, int], str]:
    """(article id, sentence index) -> its report, for sentences not their own article's.

    Every sentence of a copy belongs to its original's report (a copy with a paragraph added
    is still that wire story); a sentence that another article repeats from an earlier one
    belongs to the earlier one's report, the rest of that article is its own reporting.
    """
    copy_of = {item.article.id: item.article.copy_of for item in articles}

    def report(article_id: str) -> str:
        return copy_of.get(article_id) or article_id

    keys: dict[tuple[str, int], str] = {}
    for item in articles:
        article = item.article
        if article.copy_of:
            keys.update({(article.id, s.index): article.copy_of for s in item.sentences})
            continue
        for repeated in article.repeated:
            if not item.sentences:
                break
            first = sentence_index_at(item.sentences, repeated.start)
            last = sentence_index_at(item.sentences, max(repeated.end - 1, repeated.start))
            for sentence in item.sentences[first : last + 1]:
                overlap = min(sentence.end, repeated.end) - max(sentence.start, repeated.start)
                # Rule-split and parsed sentences differ at the edges: most of it must repeat.
                if overlap * 2 >= sentence.end - sentence.start:
                    keys[(article.id, sentence.index)] = report(repeated.article_id)
    return keys


def _words(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(text.casefold()))


def _pairs(words: tuple[str, ...]) -> set[tuple[str, str]]:
    return set(pairwise(words))


def list_quotes(articles: Sequence[AnalysedArticle]) -> list[Quote]:
    """Every quote once, in story order, with where else it appears and who carried it.

    The same words quoted by several articles (copies of one story, or outlets quoting one
    statement) are one quote; its speaker is the one most articles give (ties: the first).
    """
    outlet = {item.article.id: item.article.outlet or item.article.id for item in articles}
    for item in articles:
        for quote in item.quotes:
            outlet.setdefault(quote.citation.article_id, quote.citation.article_id)
    groups: list[list[Quote]] = []
    exact: dict[tuple[str, ...], int] = {}
    pair_index: dict[tuple[str, str], list[int]] = {}
    group_words: list[tuple[str, ...]] = []
    for item in articles:
        for quote in item.quotes:
            words = _words(quote.text)
            number = exact.get(words)
            pairs = _pairs(words)
            if number is None and len(words) >= MIN_FUZZY_QUOTE_WORDS:
                number = _similar_group(words, pairs, pair_index, group_words)
            if number is None:
                number = len(groups)
                groups.append([])
                group_words.append(words)
                for pair in pairs:
                    pair_index.setdefault(pair, []).append(number)
            exact.setdefault(words, number)
            groups[number].append(quote)
    return [_merged(group, outlet) for group in groups]


def _similar_group(
    words: tuple[str, ...],
    pairs: set[tuple[str, str]],
    pair_index: dict[tuple[str, str], list[int]],
    group_words: list[tuple[str, ...]],
) -> int | None:
    """The group of an earlier quote saying the same words, if any."""
    hits: Counter[int] = Counter()
    for pair in pairs:
        found = pair_index.get(pair, ())
        if len(found) <= MAX_PAIR_QUOTES:
            hits.update(found)
    ranked = sorted(hits.items(), key=lambda item: (-item[1], item[0]))
    for number, shared in ranked[:QUOTE_CANDIDATES]:
        other = group_words[number]
        shorter = min(len(pairs), len(_pairs(other)))
        if shorter and shared / shorter >= SAME_QUOTE_CONTAINMENT:
            return number
        if _character_containment(" ".join(words), " ".join(other)) >= SAME_QUOTE_CHARACTERS:
            return number
    return None


def _character_containment(one: str, other: str) -> float:
    """Share of the shorter string's characters in blocks it shares with the longer one."""
    shorter = min(len(one), len(other))
    if not shorter:
        return 0.0
    matcher = SequenceMatcher(None, one, other, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()) / shorter


def _merged(group: list[Quote], outlet: dict[str, str]) -> Quote:
    # Shown: the fullest wording (a fragment quoted by one outlet is part of it).
    shown = max(group, key=lambda quote: len(quote.text))
    speakers = Counter(quote.speaker for quote in group if quote.speaker)
    speaker = shown.speaker
    if speakers:
        best = max(speakers.values())
        speaker = next(q.speaker for q in group if q.speaker and speakers[q.speaker] == best)
    carriers = dict.fromkeys(quote.citation.article_id for quote in group)
    return Quote(
        text=shown.text,
        speaker=speaker,
        citation=shown.citation,
        repeats=[quote.citation for quote in group if quote is not shown],
        outlets=list(dict.fromkeys(outlet[a] for a in carriers)) if len(carriers) > 1 else [],
    )
