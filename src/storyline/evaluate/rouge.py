"""ROUGE for evaluation: Multi-News scores via ``rouge-score`` and a ROUGE-1.5.5 clone.

Two flavours are needed because the two benchmarks were scored with different tools:

* Multi-News papers report ``rouge-score`` (Google's Python package) F1 with Porter stemming;
  :func:`multinews_scores` calls it directly.
* Timeline17 papers report the tilse toolkit, which runs the Perl ROUGE-1.5.5 as
  ``ROUGE-1.5.5.pl -e data -a -n 2 -x -f A -d -m -s -t 2`` (raw counts, Porter stemming,
  SMART stopwords removed, model-average over references). Perl is slow to start and awkward
  to ship, so :func:`rouge155_tokens` and :func:`rouge155_counts` reproduce its counting in
  Python; tests compare them with the Perl script when it is installed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from storyline.vocabulary import MONTH_ABBREVIATIONS, TITLE_ABBREVIATIONS

if TYPE_CHECKING:
    from rouge_score.rouge_scorer import RougeScorer

MULTINEWS_ROUGE_TYPES = ("rouge1", "rouge2", "rougeLsum")

# ---------------------------------------------------------------- Multi-News (rouge-score)

# Sentence end: . ! ? (plus closing quotes/brackets), whitespace, then an upper-case letter,
# possibly behind an opening quote. Good enough for the single-paragraph Multi-News
# references (a wrong split only moves a line break for ROUGE-Lsum); sentences that start
# with a digit or lower case are not split off.
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+(?=[\"'“‘(\[]?\s?[A-Z])")
_WORD_BEFORE_END = re.compile(r"(\S+)[.!?][\"'”’)\]]*\s+$")
# A full stop after these is an abbreviation, not a sentence end ("Mr. Smith", "U.S. Army").
# Title abbreviations as when the published figures were measured: "Maj.", "Brig.", "Cpl.",
# "Adm.", "Cmdr." still end a reference sentence (62 of Multi-News val's 20,989 texts would
# split differently), so that figures stay comparable.
_ABBREVIATIONS = (
    (TITLE_ABBREVIATIONS - {"maj", "brig", "cpl", "adm", "cmdr"})
    | frozenset(MONTH_ABBREVIATIONS)
    | frozenset(
        {"st", "jr", "sr", "inc", "corp", "co", "ltd", "no", "vs", "u.s", "u.k", "u.n", "e.g"}
        | {"i.e"}
    )
)
_REFERENCE_BULLET = re.compile(r"^\s*[–—-]\s+")


def _is_abbreviation(text_before_end: str) -> bool:
    match = _WORD_BEFORE_END.search(text_before_end)
    if match is None:
        return False
    word = match.group(1).lstrip("\"'“‘([").lower()
    # Single letters are initials ("J. K. Rowling").
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def _split_reference_sentences(text: str) -> list[str]:
    """One sentence per item: existing line breaks kept, lines split at sentence ends.

    Multi-News references are single paragraphs, in the original release starting with
    "– "; the dash is dropped (``rouge-score`` keeps only [a-z0-9] tokens anyway).
    """
    sentences: list[str] = []
    for line in text.splitlines():
        line = _REFERENCE_BULLET.sub("", line).strip()
        start = 0
        for boundary in _SENTENCE_END.finditer(line):
            if _is_abbreviation(line[start : boundary.end()]):
                continue
            sentences.append(line[start : boundary.end()].strip())
            start = boundary.end()
        if line[start:].strip():
            sentences.append(line[start:].strip())
    return sentences


def _truncate_words(text: str, max_words: int) -> str:
    """First ``max_words`` whitespace-separated words, keeping the line structure."""
    kept: list[str] = []
    remaining = max_words
    for line in text.splitlines():
        if remaining <= 0:
            break
        words = line.split()
        if not words:
            continue
        kept.append(" ".join(words[:remaining]))
        remaining -= len(words[:remaining])
    return "\n".join(kept)


@lru_cache(maxsize=1)
def _multinews_scorer() -> RougeScorer:
    # Imported lazily: rouge-score is an optional (eval) dependency.
    from rouge_score import rouge_scorer

    return rouge_scorer.RougeScorer(list(MULTINEWS_ROUGE_TYPES), use_stemmer=True)


def multinews_scores(prediction: str, reference: str, *, max_words: int = 230) -> dict[str, float]:
    """ROUGE-1, ROUGE-2 and ROUGE-Lsum F1 of a Multi-News prediction (``rouge-score``).

    The prediction has one sentence per line (ROUGE-Lsum reads line breaks as sentence
    boundaries) and is cut to its first ``max_words`` words; the reference is split into
    sentences by a simple punctuation rule and is not cut. ROUGE-1/2 do not depend on the
    line breaks. Averaging over clusters is left to the caller.
    """
    prediction_lines = _truncate_words(prediction, max_words)
    reference_lines = "\n".join(_split_reference_sentences(reference))
    scores = _multinews_scorer().score(reference_lines, prediction_lines)
    return {rouge_type: scores[rouge_type].fmeasure for rouge_type in MULTINEWS_ROUGE_TYPES}


# ---------------------------------------------------------------- ROUGE-1.5.5 clone

_DATA = resources.files("storyline.evaluate") / "data"
# ROUGE turns "-" into its own token, then every other character but [A-Za-z0-9-] into space.
_NON_WORD = re.compile(r"[^A-Za-z0-9-]+")
_HYPHEN = re.compile(r"-")
# After the stopword check ROUGE keeps only tokens starting like this ("$" cannot survive).
_COUNTED_TOKEN = re.compile(r"^[a-z0-9$]")


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    text = (_DATA / "smart_common_words.txt").read_text(encoding="ascii")
    return frozenset(text.splitlines())


@lru_cache(maxsize=1)
def _wordnet_exceptions() -> dict[str, str]:
    exceptions: dict[str, str] = {}
    text = (_DATA / "wordnet_2.0_exceptions.tsv").read_text(encoding="ascii")
    for line in text.splitlines():
        inflected, _, base = line.partition("\t")
        exceptions[inflected] = base
    return exceptions


# Porter stemmer exactly as in ROUGE-1.5.5.pl (sub stem), including Chin-Yew Lin's 2004 change
# to step 4 ("-ement" words do not then try "-ment"/"-ent" on the same suffix). NLTK's
# PorterStemmer differs from it on some words, so it cannot be used for Perl-equal counts.
_C = "[^aeiou][^aeiouy]*"  # consonant sequence (an upper-case initial Y counts as consonant)
_V = "[aeiouy][aeiou]*"  # vowel sequence
_M_GT_0 = re.compile(f"^({_C})?{_V}{_C}")
_M_EQ_1 = re.compile(f"^({_C})?{_V}{_C}({_V})?$")
_M_GT_1 = re.compile(f"^({_C})?{_V}{_C}{_V}{_C}")
_HAS_VOWEL = re.compile(f"^({_C})?[aeiouy]")
_CVC_END = re.compile(f"^{_C}[aeiouy][^aeiouwxy]$")
_STEP1A_SSES_IES = re.compile(r"(ss|i)es$")
_STEP1A_S = re.compile(r"([^s])s$")
_STEP1B_EED = re.compile(r"eed$")
_STEP1B_ED_ING = re.compile(r"(ed|ing)$")
_STEP1B_RESTORE_E = re.compile(r"(at|bl|iz)$")
_STEP1B_DOUBLE = re.compile(r"([^aeiouylsz])\1$")
_STEP2_SUFFIXES = {
    "ational": "ate", "tional": "tion", "enci": "ence", "anci": "ance", "izer": "ize",
    "bli": "ble", "alli": "al", "entli": "ent", "eli": "e", "ousli": "ous", "ization": "ize",
    "ation": "ate", "ator": "ate", "alism": "al", "iveness": "ive", "fulness": "ful",
    "ousness": "ous", "aliti": "al", "iviti": "ive", "biliti": "ble", "logi": "log",
}  # fmt: skip
_STEP2 = re.compile(
    "(ational|tional|enci|anci|izer|bli|alli|entli|eli|ousli|ization|ation|ator|alism"
    "|iveness|fulness|ousness|aliti|iviti|biliti|logi)$"
)
_STEP3_SUFFIXES = {
    "icate": "ic", "ative": "", "alize": "al", "iciti": "ic", "ical": "ic", "ful": "", "ness": "",
}  # fmt: skip
_STEP3 = re.compile("(icate|ative|alize|iciti|ical|ful|ness)$")
_STEP4 = re.compile("(al|ance|ence|er|ic|able|ible|ant|ement|ou|ism|ate|iti|ous|ive|ize)$")
_STEP4_MENT = re.compile("ment$")
_STEP4_ENT = re.compile("ent$")
_STEP4_ION = re.compile("(s|t)(ion)$")


def _porter_stem(word: str) -> str:
    """ROUGE-1.5.5's Porter stemmer (a line-by-line port of its Perl ``stem``)."""
    if len(word) < 3:
        return word
    starts_with_y = word[0] == "y"
    if starts_with_y:
        word = "Y" + word[1:]
    # Step 1a
    if (match := _STEP1A_SSES_IES.search(word)) or (match := _STEP1A_S.search(word)):
        word = word[: match.start()] + match.group(1)
    # Step 1b
    if match := _STEP1B_EED.search(word):
        if _M_GT_0.search(word[: match.start()]):
            word = word[:-1]
    elif match := _STEP1B_ED_ING.search(word):
        stem = word[: match.start()]
        if _HAS_VOWEL.search(stem):
            word = stem
            if _STEP1B_RESTORE_E.search(word):
                word += "e"
            elif _STEP1B_DOUBLE.search(word):
                word = word[:-1]
            elif _CVC_END.search(word):
                word += "e"
    # Step 1c
    if word.endswith("y") and _HAS_VOWEL.search(word[:-1]):
        word = word[:-1] + "i"
    # Steps 2 and 3
    for pattern, replacements in ((_STEP2, _STEP2_SUFFIXES), (_STEP3, _STEP3_SUFFIXES)):
        if match := pattern.search(word):
            stem = word[: match.start()]
            if _M_GT_0.search(stem):
                word = stem + replacements[match.group(1)]
    # Step 4
    if (match := _STEP4.search(word)) and _M_GT_1.search(word[: match.start()]):
        word = word[: match.start()]
    if (match := _STEP4_MENT.search(word)) and _M_GT_1.search(word[: match.start()]):
        word = word[: match.start()]
    if match := _STEP4_ENT.search(word):
        if _M_GT_1.search(word[: match.start()]):
            word = word[: match.start()]
    elif (match := _STEP4_ION.search(word)) and _M_GT_1.search(word[: match.start() + 1]):
        word = word[: match.start() + 1]
    # Step 5
    if word.endswith("e"):
        stem = word[:-1]
        if _M_GT_1.search(stem) or (_M_EQ_1.search(stem) and not _CVC_END.search(stem)):
            word = stem
    if word.endswith("ll") and _M_GT_1.search(word):
        word = word[:-1]
    if starts_with_y:
        word = "y" + word[1:]
    return word


@lru_cache(maxsize=200_000)
def _rouge155_stem(token: str) -> str:
    """ROUGE's MorphStem: WordNet exception list first, then Porter."""
    exceptions = _wordnet_exceptions()
    return exceptions[token] if token in exceptions else _porter_stem(token)


def rouge155_tokens(sentences: Iterable[str]) -> list[str]:
    """The tokens ROUGE-1.5.5 counts for a summary given as sentences, as tilse runs it.

    Mirrors tilse's pyrouge input (whitespace-normalised sentences in SEE HTML, "^" written as
    "&circ;", a sentence cut at its first "<") and ROUGE's readText/createNGram: ASCII
    lower-casing, "-" split off, other non-alphanumerics to spaces, SMART stopwords removed
    (-s), tokens not starting with [a-z0-9$] dropped, tokens longer than 3 characters stemmed
    (-m). Sentences are concatenated, so bigrams run across sentence boundaries as in ROUGE.
    """
    stopwords = _stopwords()
    tokens: list[str] = []
    for sentence in sentences:
        text = " ".join(sentence.split()).replace("^", "&circ;").partition("<")[0]
        text = _NON_WORD.sub(" ", _HYPHEN.sub(" - ", text)).lower()
        for token in text.split():
            if token in stopwords or not _COUNTED_TOKEN.match(token):
                continue
            tokens.append(_rouge155_stem(token) if len(token) > 3 else token)
    return tokens


@dataclass(frozen=True)
class RougeCounts:
    """ROUGE-1.5.5 raw counts (``-t 2``): clipped hits, model n-grams and peer n-grams."""

    hits: int
    model_count: int
    peer_count: int

    def __add__(self, other: RougeCounts) -> RougeCounts:
        return RougeCounts(
            self.hits + other.hits,
            self.model_count + other.model_count,
            self.peer_count + other.peer_count,
        )


def _ngrams(tokens: Sequence[str], n: int) -> Counter[tuple[str, ...]]:
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def rouge155_counts(
    peer_tokens: Sequence[str], model_tokens: Sequence[Sequence[str]], n: int
) -> RougeCounts:
    """ROUGE-N counts of a peer against models with ROUGE-1.5.5's ``-f A`` (model average).

    Each model clips the hits separately and they are summed; the peer's n-grams are counted
    once per model (so precision is hits / (models x peer n-grams)), as in computeNGramScore.
    """
    peer_grams = _ngrams(peer_tokens, n)
    peer_total = sum(peer_grams.values())
    total = RougeCounts(0, 0, 0)
    for tokens in model_tokens:
        model_grams = _ngrams(tokens, n)
        hits = sum(min(count, peer_grams[gram]) for gram, count in model_grams.items())
        total += RougeCounts(hits, sum(model_grams.values()), peer_total)
    return total
