"""Features of candidate sentences for the learned scorer.

Every feature is computed from the analysed :class:`~storyline.model.Story` alone (position,
length, TF-IDF similarities, entities, figures, quotes), so training and inference see
exactly the same numbers. Features that only make sense relative to the rest of the story
(centrality, support) are also given as a fraction of the story's best value: what counts is
being among the most central sentences of *this* story, not an absolute cosine.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

import numpy as np

from storyline.analyse.vectors import Vector, centroid, cosine
from storyline.model import AnalysedArticle, Sentence, Story
from storyline.settings import SUPPORT_ARTICLES
from storyline.vocabulary import ROLE_NOUNS

__all__ = ["FEATURE_NAMES", "Candidate", "candidate_features", "candidates", "leans_on_previous"]

MIN_WORDS = 8
MAX_WORDS = 60
# News puts what matters first; past this, pages run into comments, bios and link lists.
MAX_POSITION = 30

_DANGLING_START = re.compile(
    r"(?:But|And|Or|So|Yet|However|Meanwhile|Still|Also|Instead|Moreover|Then|Thus|"
    r"He|She|It|They|We|This|These|Those|His|Her|Their|Its)\b"
)
# A quote attributed only to a pronoun ("..., he said.") names no one the reader knows.
_PRONOUN_ATTRIBUTION = re.compile(
    r"[,”\"]\s*(?:he|she|they|it)\s+(?:said|says|added|told|explained|noted)\b", re.I
)
# "The move ...", "This decision ...": a definite noun for an act only the sentence before
# names. (Not a model feature: the shipped scorer was trained without it.)
_ANAPHORIC_START = re.compile(
    r"(?:The|This|That|Such|The latest|The new) (?:move|decision|step|announcement|development|"
    r"attack|offensive|operation|deal|agreement|plan|incident|report|statement|comments?|"
    r"remarks?|news|claim|measure|action|change|call|request|order|ruling|case|episode)\b"
)
# "According to the spokesman, ...", "The minister said ...": a person by role, named only in
# an earlier sentence (a name right after the role, "The spokesman, Ahmed Mismari,", is fine).
_DEFINITE_ROLE_START = re.compile(
    r"(?:According to |As )?(?:[Tt]he|[Tt]his|[Tt]hat) (?:[a-z-]+ ){0,2}"
    rf"(?:{'|'.join(sorted(ROLE_NOUNS))})s?\b(?![ ,]+[A-Z][a-z])"
)
# A sentence that is all quotation ("“Our forces are now targeting their hideouts.”") carries
# no speaker: its attribution is in the sentence before.
_WHOLLY_QUOTED = re.compile(r"[“\"][^“”\"]*[.!?…][”\"]")
_TERMINAL = (".", "!", "?", "”", '"', "’", "'")
_DIGIT = re.compile(r"\d")
_QUOTE_MARK = re.compile(r"[“”\"]")
_FIRST_PERSON = re.compile(r"\b(?:I|me|my|we|us|our)\b")
_SAID = re.compile(r"\b(?:said|says|told|according to)\b")
# Page furniture that cleaning can miss inside a sentence: calls to act, credits, sharing.
_CHROME = re.compile(
    r"\b(?:click|subscribe|newsletter|sign up|log in|copyright|rights reserved|follow us|"
    r"facebook|twitter|instagram|e-?mail|advertisement|read more|cookies?|comments?|"
    r"photo|video|image|getty|reuters|associated press|ap)\b",
    re.I,
)
# Terms of the story's centroid that count as its key words.
KEY_TERMS = 10
LEAD_SENTENCES = 3

FEATURE_NAMES: tuple[str, ...] = (
    "position_inverse",  # 1 / (1 + index in article)
    "position_log",
    "position_relative",  # index / sentences in article
    "candidate_position_inverse",  # 1 / (1 + rank among the article's candidates)
    "first_candidate",
    "article_order",  # article's place in the input, 0 .. 1
    "articles_log",
    "article_sentences_log",
    "article_words_log",
    "words_log",
    "words_scaled",  # words / 30
    "centroid_cosine",
    "centroid_cosine_relative",  # / best in story
    "centroid_rank",  # rank in story by centroid cosine, 0 = best .. 1
    "centroid_mass",  # sum of the centroid weights of the sentence's terms
    "centroid_mass_relative",
    "article_centroid_cosine",
    "support_max",  # best cosine with a sentence of another article
    "support_mean_top",  # mean over other articles of the best cosine in that article
    "support_articles",  # fraction of other articles with a sentence of cosine > 0.3
    "support_relative",
    "lead_centroid_cosine",  # cosine with the centroid of every article's first sentences
    "lead_centroid_relative",
    "key_terms",  # fraction of the story's key terms the sentence contains
    "idf_mean",  # mean story-level IDF of the terms: rare words are specific
    "terms_log",
    "entities",
    "entity_kinds",
    "figures",
    "digits",
    "quote_marks",
    "is_quote",
    "said",
    "first_person",
    "dangling_start",
    "pronoun_attribution",
    "title_overlap",  # fraction of the title's terms in the sentence
    "chrome_words",
)


@dataclass
class Candidate:
    """A sentence that may go into the summary, with its TF-IDF vector and article."""

    sentence: Sentence
    vector: Vector
    article: AnalysedArticle
    article_order: int
    candidate_position: int
    leans_on_previous: bool = False


def _is_pool_sentence(sentence: Sentence, title: str | None) -> bool:
    """Sentences that can be scored at all: sentence-sized, near the top, not the title."""
    text = sentence.text.strip()
    words = len(text.split())
    if not MIN_WORDS <= words <= MAX_WORDS or sentence.index >= MAX_POSITION:
        return False
    return not ((title and text == title.strip()) or text.endswith("?") or "|" in text)


def leans_on_previous(text: str) -> bool:
    """Opens on a connective, a pronoun, a "the move"-like reference or a person by role
    ("According to the spokesman"), is all quotation, or hangs a quote on a pronoun: it needs
    the sentence before it to make sense."""
    text = text.strip()
    return bool(
        _DANGLING_START.match(text)
        or _ANAPHORIC_START.match(text)
        or _DEFINITE_ROLE_START.match(text)
        or _WHOLLY_QUOTED.fullmatch(text)
        or _PRONOUN_ATTRIBUTION.search(text)
    )


def candidates(story: Story) -> list[Candidate]:
    """Pool sentences of every article that end like a sentence, in story order.

    Sentences that lean on the one before them are marked (the summariser then takes them
    only right after that sentence); a sentence that does not end like one is a headline, a
    caption or text cut off mid-sentence.
    """
    found = []
    for order, analysed in enumerate(story.articles):
        position = 0
        for sentence, vector in zip(analysed.sentences, analysed.vectors):
            if not _is_pool_sentence(sentence, analysed.article.title):
                continue
            if not sentence.text.strip().endswith(_TERMINAL):
                continue
            leans = leans_on_previous(sentence.text)
            found.append(Candidate(sentence, vector, analysed, order, position, leans))
            position += 1
    return found


def _matrix(vectors: list[Vector], vocabulary: dict[str, int]) -> np.ndarray:
    matrix = np.zeros((len(vectors), len(vocabulary)), dtype=np.float32)
    for row, vector in enumerate(vectors):
        for term, value in vector.items():
            column = vocabulary.get(term)
            if column is not None:
                matrix[row, column] = value
    return matrix


def quoted_sentences(story: Story) -> set[tuple[str, int]]:
    """(article id, sentence index) of every sentence holding a quote."""
    return {
        (quote.citation.article_id, quote.citation.sentence_index)
        for analysed in story.articles
        for quote in analysed.quotes
    }


def candidate_features(story: Story, found: list[Candidate]) -> np.ndarray:
    """One row of :data:`FEATURE_NAMES` per candidate."""
    rows = np.zeros((len(found), len(FEATURE_NAMES)), dtype=np.float64)
    if not found:
        return rows
    articles = len(story.articles)
    # Copies of one wire story are one report: they neither support each other nor count as
    # more articles (see storyline.analyse.repeats). A sentence that an independent article
    # repeats from another still supports it: that outlet chose to carry it (masking those too
    # cost 0.47 ROUGE-1 on the 6 of the first 300 Multi-News clusters that have repeats).
    report_of_article = [item.article.copy_of or item.article.id for item in story.articles]
    reports = len(set(report_of_article))
    # Story-level document frequency of each term (articles containing it), for IDF.
    frequency: Counter[str] = Counter()
    for analysed in story.articles:
        frequency.update({term for vector in analysed.vectors for term in vector})

    # Similarities through one dense matrix product: support compares every candidate with
    # every sentence near the top of every other article, too slow as dict cosines.
    vocabulary = {term: i for i, term in enumerate({t for c in found for t in c.vector})}
    pool_vectors, pool_articles = [], []
    step = max(1, math.ceil(articles / SUPPORT_ARTICLES))
    sampled = set(range(0, articles, step))
    for order, analysed in enumerate(story.articles):
        if order not in sampled:
            continue
        for sentence, vector in zip(analysed.sentences, analysed.vectors):
            if sentence.index < MAX_POSITION and vector:
                pool_vectors.append(vector)
                pool_articles.append(order)
    found_matrix = _matrix([c.vector for c in found], vocabulary)
    similarity = found_matrix @ _matrix(pool_vectors, vocabulary).T
    owners = np.array(pool_articles, dtype=np.int64)
    best_per_article = np.zeros((len(found), articles), dtype=np.float64)
    for order in sorted(sampled):
        columns = owners == order
        if columns.any():
            best_per_article[:, order] = similarity[:, columns].max(axis=1)

    article_centroids = {
        id(analysed): centroid(analysed.vectors[:MAX_POSITION]) for analysed in story.articles
    }
    title_terms = {
        id(analysed): set(
            term
            for sentence, vector in zip(analysed.sentences, analysed.vectors)
            if analysed.article.title and sentence.text.strip() == analysed.article.title.strip()
            for term in vector
        )
        for analysed in story.articles
    }
    lead_vectors = []
    for analysed in story.articles:
        lead_vectors += [c.vector for c in found if c.article is analysed][:LEAD_SENTENCES]
    lead_centroid = centroid(lead_vectors)
    key_terms = {
        term for term, _ in sorted(story.centroid.items(), key=lambda i: -i[1])[:KEY_TERMS]
    }
    entity_counts: Counter[tuple[str, int]] = Counter()
    entity_kinds: dict[tuple[str, int], set[str]] = {}
    figure_counts: Counter[tuple[str, int]] = Counter()
    quoted = quoted_sentences(story)
    for analysed in story.articles:
        for entity in analysed.entities:
            key = (entity.article_id, entity.sentence_index)
            entity_counts[key] += 1
            entity_kinds.setdefault(key, set()).add(entity.label)
        for figure in analysed.figures:
            figure_counts[(figure.citation.article_id, figure.citation.sentence_index)] += 1

    for row, candidate in enumerate(found):
        sentence, vector, analysed = candidate.sentence, candidate.vector, candidate.article
        text = sentence.text.strip()
        words = len(text.split())
        key = (sentence.article_id, sentence.index)
        own_report = report_of_article[candidate.article_order]
        others = [o for o in sampled if report_of_article[o] != own_report]
        support = best_per_article[row, others] if others else np.zeros(1)
        idfs = [math.log((1 + articles) / (1 + frequency[term])) + 1.0 for term in vector]
        title = title_terms[id(analysed)]
        values = {
            "position_inverse": 1.0 / (1.0 + sentence.index),
            "position_log": math.log1p(sentence.index),
            "position_relative": sentence.index / max(len(analysed.sentences), 1),
            "candidate_position_inverse": 1.0 / (1.0 + candidate.candidate_position),
            "first_candidate": float(candidate.candidate_position == 0),
            "article_order": candidate.article_order / max(articles - 1, 1),
            "articles_log": math.log(reports),
            "article_sentences_log": math.log1p(len(analysed.sentences)),
            "article_words_log": math.log1p(analysed.article.words),
            "words_log": math.log(words),
            "words_scaled": words / 30.0,
            "centroid_cosine": cosine(vector, story.centroid),
            "centroid_mass": sum(story.centroid.get(term, 0.0) for term in vector),
            "article_centroid_cosine": cosine(vector, article_centroids[id(analysed)]),
            "support_max": float(support.max()),
            "support_mean_top": float(support.mean()),
            "support_articles": float((support > 0.3).mean()),
            "idf_mean": sum(idfs) / len(idfs) if idfs else 0.0,
            "terms_log": math.log1p(len(vector)),
            "entities": math.log1p(entity_counts[key]),
            "entity_kinds": len(entity_kinds.get(key, ())),
            "figures": math.log1p(figure_counts[key]),
            "digits": float(bool(_DIGIT.search(text))),
            "quote_marks": float(bool(_QUOTE_MARK.search(text))),
            "is_quote": float(key in quoted),
            "said": float(bool(_SAID.search(text))),
            "first_person": float(bool(_FIRST_PERSON.search(text))),
            "dangling_start": float(bool(_DANGLING_START.match(text))),
            "pronoun_attribution": float(bool(_PRONOUN_ATTRIBUTION.search(text))),
            "title_overlap": len(title & vector.keys()) / len(title) if title else 0.0,
            "lead_centroid_cosine": cosine(vector, lead_centroid),
            "key_terms": len(key_terms & vector.keys()) / max(len(key_terms), 1),
            "chrome_words": math.log1p(len(_CHROME.findall(text))),
        }
        for column, name in enumerate(FEATURE_NAMES):
            rows[row, column] = values.get(name, 0.0)

    # Relative to the story's best: centrality is comparative.
    index = {name: i for i, name in enumerate(FEATURE_NAMES)}
    for name, source in (
        ("centroid_cosine_relative", "centroid_cosine"),
        ("centroid_mass_relative", "centroid_mass"),
        ("support_relative", "support_max"),
        ("lead_centroid_relative", "lead_centroid_cosine"),
    ):
        column = rows[:, index[source]]
        rows[:, index[name]] = column / column.max() if column.max() > 0 else 0.0
    order = np.argsort(-rows[:, index["centroid_cosine"]], kind="stable")
    ranks = np.empty(len(found))
    ranks[order] = np.arange(len(found)) / max(len(found) - 1, 1)
    rows[:, index["centroid_rank"]] = ranks
    return rows
