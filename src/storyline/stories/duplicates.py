"""Near-duplicate texts (syndicated copies) and passages shared between texts.

A *copy* is a text whose words are mostly another text's words: a wire story reposted under
another headline, trimmed, with a few paragraphs added, or a video page carrying the article.
Similarity is measured on word 5-grams ("shingles") of lower-cased words, and it is
*containment* (the share of one text's shingles found in the other) that decides, not Jaccard:
a short copy inside a long page has a small Jaccard similarity but is all inside the page.

Candidates come from MinHash-LSH indexes (datasketch), one over whole texts and one over their
passages, and from an exact index of whole sentences (a short copy inside a long page shares
them), and are verified on the exact shingle sets, so the cost of adding a text depends on
how many similar texts there are, not on how many texts the index holds. A passage or sentence
found in more than PASSAGE_MAX_MATCHES texts is furniture and proposes nothing; a text inside
STOCK_TEXT_CONTAINERS unrelated texts (an ad on every page of a site) copies none of them.

Public surface:
- :class:`DuplicateIndex` (incremental, for streams): ``add`` (the original a new text
  copies, or None; decided at arrival), ``original_of``, ``match_of`` (evidence),
  ``copies_of``, ``inside_of`` / ``containers_of``, ``shared_passages_of``, ``discard``;
- :func:`find_copies` (a batch: as added in input order, then a text found inside a later,
  longer one joins that one's group);
- :func:`find_repeats` (copies plus, sentence by sentence, what each text repeats of another);
- :func:`shared_paragraphs` (passages found in two or more texts of a batch);
- :func:`passages`, :func:`shingles`, :func:`containment` for callers that need the measures.
"""

from __future__ import annotations

import functools
import re
import unicodedata
import zlib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from storyline import settings

if TYPE_CHECKING:  # datasketch (and the scipy its LSH imports) loads only when an index needs it
    from datasketch.lsh import MinHashLSH
    from datasketch.minhash import MinHash

__all__ = [
    "CopyMatch",
    "DuplicateIndex",
    "Passage",
    "PassageMatch",
    "RepeatedSentence",
    "Repeats",
    "SharedPassage",
    "containment",
    "find_copies",
    "find_repeats",
    "passages",
    "shared_paragraphs",
    "shingles",
]

_WORD = re.compile(r"[^\W_]+")
# After a sentence end (closing quotes and brackets stay with the sentence), or a line break.
_BREAK = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+|\s*\n\s*")


def _identity(value: int) -> int:
    return value


@dataclass(frozen=True)
class _Sentence:
    """A sentence (or line) of a text: where it is and its words, case-folded."""

    start: int
    end: int
    words: list[str]
    line_end: bool  # a line break follows


def _words(text: str) -> list[str]:
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    return _WORD.findall(text.casefold())


def _sentences(text: str) -> list[_Sentence]:
    """Sentences and lines of ``text`` split by rule (cheap; consistent across copies)."""
    found = []
    start = 0
    for match in [*_BREAK.finditer(text), None]:
        end, next_start = (match.start(), match.end()) if match else (len(text), len(text))
        if match is not None and match.group(0).startswith(("'", '"', "”", "’", ")", "]")):
            end += len(match.group(0)) - len(match.group(0).lstrip("\"'”’)]"))
        piece = text[start:end]
        words = _words(piece)
        if words:
            found.append(_Sentence(start, end, words, bool(match and "\n" in match.group(0))))
        start = next_start
    return found


_GRAM_MULTIPLIER = np.uint64(0x9E3779B1)  # odd 32-bit constant (golden ratio)
_LOW32 = np.uint64(0xFFFFFFFF)


def _gram_hashes(words: list[str], size: int) -> np.ndarray:
    """32-bit hash of each word n-gram, in text order (one gram for a text shorter than n).

    Each word is hashed once (crc32: stable across runs, unlike Python's salted str hash) and
    the n-grams are polynomial combinations computed with numpy, so a passage's shingles are
    a slice of its text's.
    """
    if not words:
        return np.empty(0, dtype=np.uint32)
    codes = np.fromiter((zlib.crc32(word.encode()) for word in words), np.uint64, len(words))
    width = min(size, len(words))
    grams = np.zeros(len(words) - width + 1, dtype=np.uint64)
    for offset in range(width):
        grams = (grams * _GRAM_MULTIPLIER + codes[offset : offset + grams.size]) & _LOW32
    return grams.astype(np.uint32)


def _shingle_set(grams: np.ndarray) -> np.ndarray:
    return np.unique(grams)


def shingles(text: str, size: int = settings.DUPLICATE_SHINGLE_WORDS) -> np.ndarray:
    """Hashes of a text's word n-grams (sorted, unique): the set copies are measured on."""
    return _shingle_set(_gram_hashes(_words(text), size))


def _overlap(a: np.ndarray, b: np.ndarray) -> int:
    return int(np.intersect1d(a, b, assume_unique=True).size)


def containment(part: str, whole: str, size: int = settings.DUPLICATE_SHINGLE_WORDS) -> float:
    """Share of ``part``'s shingles that are also in ``whole`` (0.0 for an empty ``part``)."""
    a, b = shingles(part, size), shingles(whole, size)
    return _overlap(a, b) / a.size if a.size else 0.0


@dataclass(frozen=True)
class Passage:
    """A paragraph (or a piece of a long one) of a text; offsets into that text."""

    key: str
    index: int
    start: int
    end: int


def _passage_spans(sentences: list[_Sentence]) -> list[tuple[int, int]]:
    """(first sentence, end sentence) of each passage.

    Paragraphs are the text's lines; a paragraph shorter than PASSAGE_MIN_WORDS joins the next.
    A long paragraph is cut after a sentence whose hash is even (content-defined cut points,
    as in rsync/LBFS chunking: a copy with a sentence added before still cuts at the same
    sentences), and at the latest at the first sentence end after PASSAGE_MAX_WORDS.
    """
    spans: list[tuple[int, int]] = []
    first = length = 0
    for i, sentence in enumerate(sentences):
        length += len(sentence.words)
        last = i + 1 == len(sentences)
        if last or (
            length >= settings.PASSAGE_MIN_WORDS
            and (
                sentence.line_end
                or length >= settings.PASSAGE_MAX_WORDS
                or zlib.crc32(" ".join(sentence.words).encode()) % 2 == 0
            )
        ):
            spans.append((first, i + 1))
            first, length = i + 1, 0
    return spans


def passages(key: str, text: str) -> list[Passage]:
    """The passages of ``text`` (see :func:`shared_paragraphs`)."""
    sentences = _sentences(text)
    return [
        Passage(key, index, sentences[first].start, sentences[end - 1].end)
        for index, (first, end) in enumerate(_passage_spans(sentences))
    ]


@dataclass
class _Fingerprint:
    shingles: np.ndarray
    minhash: MinHash | None  # None in an exhaustive index
    passages: list[Passage]
    passage_shingles: list[np.ndarray]
    passage_minhashes: list[MinHash | None]  # None: too short, or an exhaustive index
    sentence_hashes: list[int]


@dataclass(frozen=True)
class CopyMatch:
    """Why a text is a copy: the text it copies and how much they share."""

    original: str  # the first text of the group (what ``add`` returns)
    nearest: str  # the indexed text it shares most with (the original or one of its copies)
    contained: float  # share of this text's shingles found in ``nearest``
    covered: float  # share of ``nearest``'s shingles found in this text


@dataclass(frozen=True)
class PassageMatch:
    """A passage of one text found again (near-identical) in an earlier text."""

    passage: Passage
    earlier: Passage
    contained: float


@dataclass
class SharedPassage:
    """Near-identical passages found in two or more texts (first occurrence first)."""

    passages: list[Passage] = field(default_factory=list)

    @property
    def keys(self) -> list[str]:
        return list(dict.fromkeys(passage.key for passage in self.passages))


@functools.lru_cache(maxsize=8)
def _lsh_bands(threshold: float, num_perm: int) -> tuple[int, int]:
    """Bands and rows datasketch chooses for a threshold (its search takes ~20 ms: cached)."""
    from datasketch.lsh import MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return lsh.b, lsh.r


def _lsh(threshold: float, num_perm: int) -> MinHashLSH:
    from datasketch.lsh import MinHashLSH

    return MinHashLSH(num_perm=num_perm, params=_lsh_bands(threshold, num_perm))


class DuplicateIndex:
    """Incremental near-duplicate detection over a stream of texts (MinHash-LSH, datasketch).

    ``add`` answers at arrival: the key of the earlier text this one copies (the original of
    its group), or None. A text that copies a copy gets the copy's original. A later, longer
    text that embeds an earlier one with much reporting of its own is not a copy; its shared
    part is reported by :meth:`shared_passages_of`.
    """

    def __init__(
        self,
        *,
        shingle_words: int = settings.DUPLICATE_SHINGLE_WORDS,
        num_perm: int = settings.DUPLICATE_NUM_PERM,
        seed: int = settings.DUPLICATE_SEED,
        copy_containment: float = settings.DUPLICATE_CONTAINMENT,
        min_shared: float = settings.DUPLICATE_MIN_SHARED,
        min_shingles: int = settings.DUPLICATE_MIN_SHINGLES,
        lsh_threshold: float = settings.DUPLICATE_LSH_THRESHOLD,
        passage_lsh_threshold: float = settings.PASSAGE_LSH_THRESHOLD,
        passage_containment: float = settings.PASSAGE_CONTAINMENT,
        passage_max_matches: int = settings.PASSAGE_MAX_MATCHES,
        stock_containers: int = settings.STOCK_TEXT_CONTAINERS,
        exhaustive: bool = False,
    ) -> None:
        self.shingle_words = shingle_words
        self.num_perm = num_perm
        self.seed = seed
        self.copy_containment = copy_containment
        self.min_shared = min_shared
        self.min_shingles = min_shingles
        self.passage_containment = passage_containment
        self.passage_max_matches = passage_max_matches
        self.stock_containers = stock_containers
        # Exhaustive: every earlier text is a candidate, no sketches (a small batch, such as
        # one story's articles: cheaper than building sketches, and nothing to import).
        self.exhaustive = exhaustive
        # Passages are many and short: a quarter of the permutations (each band costs a lookup;
        # candidates are verified exactly, so a rougher sketch only costs some comparisons).
        self.passage_num_perm = max(num_perm // 4, 16)
        self._texts: MinHashLSH | None = None
        self._passages: MinHashLSH | None = None
        self._permutations: dict[int, object] = {}
        if not exhaustive:
            from datasketch.minhash import MinHash

            self._texts = _lsh(lsh_threshold, num_perm)
            self._passages = _lsh(passage_lsh_threshold, self.passage_num_perm)
            # One permutation set for every MinHash (building it per sketch costs more than
            # hashing).
            self._permutations = {
                size: MinHash(num_perm=size, seed=seed).permutations
                for size in {num_perm, self.passage_num_perm}
            }
        self._order: dict[str, int] = {}
        self._sentences: dict[int, list[str]] = {}  # sentence hash -> keys (see _fingerprint)
        self._prints: dict[str, _Fingerprint] = {}
        self._matches: dict[str, CopyMatch] = {}
        self._copies: dict[str, list[str]] = {}
        self._shared: dict[str, list[PassageMatch]] = {}
        self._inside: dict[str, list[str]] = {}
        self._containers: dict[str, set[str]] = {}
        self._count = 0
        # Exact comparisons made so far (texts and passages): what adding a text costs.
        self.comparisons = 0

    # ------------------------------------------------------------ queries

    def __contains__(self, key: object) -> bool:
        return key in self._order

    def __len__(self) -> int:
        return len(self._order)

    def original_of(self, key: str) -> str | None:
        """The original that ``key`` copies, None when it is not a copy."""
        match = self._matches.get(key)
        return match.original if match else None

    def match_of(self, key: str) -> CopyMatch | None:
        """The evidence for ``key`` being a copy, None when it is not one."""
        return self._matches.get(key)

    def copies_of(self, key: str) -> list[str]:
        """Keys of the texts that copy the original ``key``, in the order they were added."""
        return list(self._copies.get(key, []))

    def inside_of(self, key: str) -> list[str]:
        """Earlier texts that lie inside ``key``'s, which adds much of its own.

        At arrival they keep their answer (``add`` never changes an earlier one); a batch can
        make them copies of ``key``, as :func:`find_copies` does.
        """
        return list(self._inside.get(key, []))

    def containers_of(self, key: str) -> set[str]:
        """Originals of the earlier texts that ``key`` lies inside."""
        return set(self._containers.get(key, ()))

    def shared_passages_of(self, key: str) -> list[PassageMatch]:
        """Passages of ``key`` found again in earlier texts (of other keys)."""
        return list(self._shared.get(key, []))

    # ------------------------------------------------------------ building

    def _minhash(self, hashes: np.ndarray, num_perm: int) -> MinHash | None:
        if self.exhaustive:
            return None
        from datasketch.minhash import MinHash

        minhash = MinHash(
            num_perm=num_perm,
            seed=self.seed,
            hashfunc=_identity,
            permutations=self._permutations[num_perm],
            scheme="affine32",
        )
        minhash.update_batch(hashes.tolist())
        return minhash

    def _fingerprint(self, key: str, text: str) -> _Fingerprint:
        sentences = _sentences(text)
        words = [word for sentence in sentences for word in sentence.words]
        grams = _gram_hashes(words, self.shingle_words)
        found, hashes = [], []
        offset = 0
        word_at = [0]
        for sentence in sentences:
            offset += len(sentence.words)
            word_at.append(offset)
        for index, (first, end) in enumerate(_passage_spans(sentences)):
            found.append(Passage(key, index, sentences[first].start, sentences[end - 1].end))
            # A passage's shingles: the n-grams that start and end inside it.
            first_word, end_word = word_at[first], word_at[end]
            hashes.append(
                _shingle_set(grams[first_word : end_word - self.shingle_words + 1])
                if end_word - first_word >= self.shingle_words
                else np.empty(0, dtype=np.uint32)
            )
        sketches = [
            self._minhash(h, self.passage_num_perm) if h.size >= self.min_shingles else None
            for h in hashes
        ]
        whole = _shingle_set(grams)
        # Whole sentences, hashed exactly: a short copy (a teaser, a quoted tweet) inside a
        # long text shares them although its Jaccard similarity with any passage is small.
        sentence_hashes = list(
            dict.fromkeys(
                zlib.crc32(" ".join(sentence.words).encode())
                for sentence in sentences
                if len(sentence.words) >= settings.REPEAT_MIN_WORDS
            )
        )
        return _Fingerprint(
            whole, self._minhash(whole, self.num_perm), found, hashes, sketches, sentence_hashes
        )

    def _candidates(
        self, fingerprint: _Fingerprint
    ) -> tuple[list[str], list[PassageMatch], list[bool]]:
        """Earlier texts sharing the whole or a passage (by LSH), the verified shared passages,
        and which passages are too common to index (furniture, stock phrases)."""
        if self.exhaustive:
            return self._all_candidates(fingerprint)
        assert self._texts is not None and self._passages is not None
        found: set[str] = set(self._texts.query(fingerprint.minhash))
        for value in fingerprint.sentence_hashes:
            keys = self._sentences.get(value, ())
            if len(keys) <= self.passage_max_matches:  # else a stock sentence: furniture
                found.update(keys)
        shared: list[PassageMatch] = []
        popular_passages: list[bool] = []
        for passage, hashes, sketch in zip(
            fingerprint.passages, fingerprint.passage_shingles, fingerprint.passage_minhashes
        ):
            if sketch is None:
                popular_passages.append(False)
                continue
            hits = self._passages.query(sketch)
            popular = len(hits) > self.passage_max_matches
            popular_passages.append(popular)
            if popular:
                continue
            ordered = sorted(hits, key=lambda hit: (self._order[hit[0]], hit[1]))
            best = self._best_passage(passage, hashes, ordered)
            found.update(key for key, _ in hits)
            if best is not None:
                shared.append(best)
        return sorted(found, key=self._order.__getitem__), shared, popular_passages

    def _best_passage(
        self, passage: Passage, hashes: np.ndarray, hits: Iterable[tuple[str, int]]
    ) -> PassageMatch | None:
        """The earlier passage (of ``hits``, in order) that ``passage`` repeats best, if any."""
        best: PassageMatch | None = None
        for hit_key, hit_index in hits:
            earlier = self._prints[hit_key]
            other = earlier.passage_shingles[hit_index]
            if other.size < self.min_shingles:
                continue
            self.comparisons += 1
            share = _overlap(hashes, other) / min(hashes.size, other.size)
            if share >= self.passage_containment and (best is None or share > best.contained):
                best = PassageMatch(passage, earlier.passages[hit_index], share)
        return best

    def _all_candidates(
        self, fingerprint: _Fingerprint
    ) -> tuple[list[str], list[PassageMatch], list[bool]]:
        """Exhaustive :meth:`_candidates`: every earlier text; passages are compared with the
        passages of the earlier texts that share at least a passage's worth of shingles."""
        keys = list(self._order)
        related = []
        for key in keys:
            self.comparisons += 1
            if _overlap(fingerprint.shingles, self._prints[key].shingles) >= self.min_shingles:
                related.append(key)
        shared: list[PassageMatch] = []
        for passage, hashes in zip(fingerprint.passages, fingerprint.passage_shingles):
            if hashes.size < self.min_shingles:
                continue
            hits = (
                (key, index) for key in related for index in range(len(self._prints[key].passages))
            )
            best = self._best_passage(passage, hashes, hits)
            if best is not None:
                shared.append(best)
        return keys, shared, [False] * len(fingerprint.passages)

    def _verify(
        self, fingerprint: _Fingerprint, candidates: Iterable[str]
    ) -> tuple[CopyMatch | None, list[str], set[str]]:
        """The best copy match, the earlier texts that lie inside the new one, and the
        originals of the earlier texts the new one lies inside."""
        new = fingerprint.shingles
        if new.size < self.min_shingles:
            return None, [], set()
        best: CopyMatch | None = None
        inside: list[str] = []
        containers: set[str] = set()
        for key in candidates:
            other = self._prints[key].shingles
            self.comparisons += 1
            if other.size < self.min_shingles:
                continue
            common = _overlap(new, other)
            contained, covered = common / new.size, common / other.size
            is_copy = contained >= self.copy_containment or (
                covered >= self.copy_containment and contained >= self.min_shared
            )
            if contained >= self.copy_containment:
                containers.add(self.original_of(key) or key)
            # The text it is most inside; among equals, the one most like it as a whole.
            if is_copy and (best is None or (contained, covered) > (best.contained, best.covered)):
                original = self.original_of(key) or key
                best = CopyMatch(original, key, contained, covered)
            elif covered >= self.copy_containment:
                inside.append(key)
        if len(containers) >= self.stock_containers and (
            best is None or best.covered < self.copy_containment
        ):
            best = None  # stock text (an ad, a standing notice) inside unrelated texts
        return best, inside if best is None else [], containers

    def add(self, key: str, text: str) -> str | None:
        """Index ``text`` under ``key``; the key of the original it copies, or None."""
        if key in self._order:
            raise ValueError(f"key already indexed: {key!r}")
        fingerprint = self._fingerprint(key, text)
        candidates, shared, popular = self._candidates(fingerprint)
        match, inside, containers = self._verify(fingerprint, candidates)
        self._order[key] = self._count
        self._count += 1
        self._prints[key] = fingerprint
        if shared:
            self._shared[key] = shared
        if inside:
            self._inside[key] = inside
        if containers:
            self._containers[key] = containers
        if match is not None:
            self._matches[key] = match
            self._copies.setdefault(match.original, []).append(key)
        # A near-exact copy adds nothing to match against: not indexing it keeps the buckets
        # of a story carried by hundreds of outlets small.
        exact = match is not None and min(match.contained, match.covered) >= 0.95
        if not exact and not self.exhaustive:
            assert self._texts is not None and self._passages is not None
            self._texts.insert(key, fingerprint.minhash)
            for passage, sketch, too_common in zip(
                fingerprint.passages, fingerprint.passage_minhashes, popular
            ):
                if sketch is not None and not too_common:
                    self._passages.insert((key, passage.index), sketch)
            for value in fingerprint.sentence_hashes:
                keys = self._sentences.setdefault(value, [])
                if len(keys) <= self.passage_max_matches:
                    keys.append(key)
        return match.original if match else None

    def discard(self, key: str) -> None:
        """Forget ``key`` (e.g. a story gone quiet): it is no longer matched against."""
        if key not in self._order:
            return
        if self._texts is not None and key in self._texts:
            self._texts.remove(key)
        fingerprint = self._prints.pop(key)
        for passage in fingerprint.passages:
            if self._passages is not None and (key, passage.index) in self._passages:
                self._passages.remove((key, passage.index))
        for value in fingerprint.sentence_hashes:
            keys = self._sentences.get(value, [])
            if key in keys:
                keys.remove(key)
        del self._order[key]


def _indexed(texts: Mapping[str, str], options: Mapping[str, float]) -> DuplicateIndex:
    """An index holding ``texts`` (exhaustive for a batch of at most DUPLICATE_EXACT_TEXTS)."""
    options = {"exhaustive": len(texts) <= settings.DUPLICATE_EXACT_TEXTS, **options}
    index = DuplicateIndex(**options)  # type: ignore[arg-type]
    for key, text in texts.items():
        index.add(key, text)
    return index


def _batch_copies(index: DuplicateIndex, keys: Iterable[str]) -> dict[str, str]:
    """Copies of a batch: as added, then texts found inside later ones join them, except
    stock text (inside STOCK_TEXT_CONTAINERS or more originals), which copies nothing."""
    keys = list(keys)
    containers = {key: index.containers_of(key) for key in keys}
    for key in keys:
        for earlier in index.inside_of(key):
            containers[earlier].add(index.original_of(key) or key)
    stock = {
        key
        for key in keys
        if len(containers[key]) >= index.stock_containers
        # ... unless it is the same text as its original (two copies of one notice)
        and ((match := index.match_of(key)) is None or match.covered < index.copy_containment)
    }
    parent = {
        key: original for key in keys if (original := index.original_of(key)) and key not in stock
    }
    for key in keys:
        if key in parent:
            continue
        for earlier in index.inside_of(key):
            # The first container wins: two reports quoting one tweet stay apart.
            if earlier not in parent and earlier not in stock:
                parent[earlier] = key

    def root(key: str) -> str:
        seen = {key}
        while key in parent and parent[key] not in seen:
            key = parent[key]
            seen.add(key)
        return key

    return {key: root(key) for key in keys if key in parent}


def find_copies(texts: Mapping[str, str], **options: float) -> dict[str, str]:
    """Key -> key of the original it copies, for the copies among ``texts`` only.

    Deterministic: texts are added in input order and a copy's original is the first text of
    its group, except that a text found inside a later, longer one (a teaser, a tweet quoted
    whole, a wire story embedded in an outlet's own report) joins that one's group.
    ``options`` are :class:`DuplicateIndex` keyword arguments.
    """
    return _batch_copies(_indexed(texts, options), texts)


@dataclass(frozen=True)
class RepeatedSentence:
    """A sentence of one text found again (near-identical) in an earlier text of the batch."""

    key: str
    start: int
    end: int
    source: str  # the text it first appeared in (following repeats of repeats)
    source_start: int
    source_end: int


@dataclass
class Repeats:
    """What the texts of a batch repeat from each other."""

    copies: dict[str, str]  # as :func:`find_copies`
    sentences: dict[str, list[RepeatedSentence]]  # per key, in text order


def _sentence_shingles(sentence: _Sentence, size: int) -> np.ndarray:
    return _shingle_set(_gram_hashes(sentence.words, size))


def find_repeats(texts: Mapping[str, str], **options: float) -> Repeats:
    """Copies among ``texts`` and, sentence by sentence, what each text repeats of another.

    Sentences are compared only between texts the index relates (copies, texts sharing a
    passage, a text inside another), so the cost follows the copying, not the batch size. A
    sentence repeats an earlier one when REPEAT_CONTAINMENT of its shingles are in it and it
    has at least REPEAT_MIN_WORDS words (short lines such as "Read more" are furniture).
    """
    index = _indexed(texts, options)
    size = index.shingle_words
    keys = list(texts)
    order = {key: number for number, key in enumerate(keys)}
    parsed: dict[str, list[_Sentence]] = {}
    shingled: dict[str, list[np.ndarray]] = {}

    def sentences_of(key: str) -> tuple[list[_Sentence], list[np.ndarray]]:
        if key not in parsed:
            parsed[key] = _sentences(texts[key])
            shingled[key] = [_sentence_shingles(s, size) for s in parsed[key]]
        return parsed[key], shingled[key]

    first_seen: dict[tuple[str, int], tuple[str, int, int]] = {}
    repeated: dict[str, list[RepeatedSentence]] = {}
    for key in keys:
        partners: list[str] = []
        match = index.match_of(key)
        if match is not None:
            partners.append(match.nearest)
        partners += [shared.earlier.key for shared in index.shared_passages_of(key)]
        partners += index.inside_of(key)
        partners = sorted(
            dict.fromkeys(p for p in partners if order[p] < order[key]), key=order.get
        )
        if not partners:
            continue
        own, own_shingles = sentences_of(key)
        found: dict[int, RepeatedSentence] = {}
        for partner in partners:
            theirs, their_shingles = sentences_of(partner)
            where: dict[int, list[int]] = {}
            for number, hashes in enumerate(their_shingles):
                for value in hashes.tolist():
                    where.setdefault(value, []).append(number)
            for number, (sentence, hashes) in enumerate(zip(own, own_shingles)):
                if number in found or len(sentence.words) < settings.REPEAT_MIN_WORDS:
                    continue
                hits = Counter(n for value in hashes.tolist() for n in where.get(value, ()))
                if not hits:
                    continue
                best, shared = min(hits.items(), key=lambda item: (-item[1], item[0]))
                if shared / hashes.size < settings.REPEAT_CONTAINMENT:
                    continue
                origin = theirs[best]
                source = first_seen.get(
                    (partner, origin.start), (partner, origin.start, origin.end)
                )
                first_seen[(key, sentence.start)] = source
                found[number] = RepeatedSentence(key, sentence.start, sentence.end, *source)
        if found:
            repeated[key] = [found[number] for number in sorted(found)]
    return Repeats(_batch_copies(index, keys), repeated)


def shared_paragraphs(
    texts: Mapping[str, str], index: DuplicateIndex | None = None
) -> list[SharedPassage]:
    """Passages found (near-identical) in two or more of ``texts``, in order of first occurrence.

    Each group lists every occurrence, the first first. A passage shared by texts of one
    outlet or of many unrelated texts is page furniture; one shared by copies of a story is
    the wire text: telling them apart is the caller's business (it knows the outlets).
    Pass ``index`` to reuse one already holding ``texts`` (added in this order).
    """
    if index is None:
        index = _indexed(texts, {})
    group_of: dict[tuple[str, int], int] = {}
    groups: list[SharedPassage] = []
    for key in texts:
        for match in index.shared_passages_of(key):
            earlier = (match.earlier.key, match.earlier.index)
            if earlier not in group_of:
                group_of[earlier] = len(groups)
                groups.append(SharedPassage([match.earlier]))
            number = group_of[earlier]
            group_of[(key, match.passage.index)] = number
            groups[number].passages.append(match.passage)
    return groups
