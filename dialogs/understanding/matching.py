"""Matching what a resident typed to named things (departments, services, municipalities).

Every query word is compared with every word of the candidates' phrases once (rapidfuzz, in
C); a phrase scores by how well its words appear in the query, or the query's in it. The
phrases of a municipality are the same for every message, so they are laid out as index
arrays once and each query is scored with a few numpy operations instead of Python loops
(this was a tenth of a turn's time in the database thread).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process

from dialogs.understanding.text import tokens

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

MIN_SCORE = 85.0
SAME_WORD = 100.0
SAME_STEM = 95.0  # one stem with other endings (Baltic and Russian inflection)
STEM_PREFIX = 4  # letters two forms of a word share at least
SIGNIFICANT = 3  # shorter words ("i", "na", "ir") neither need to match nor count


@dataclass(frozen=True)
class Candidate:
    """Something a resident may mean, with the phrases that name it."""

    key: str
    phrases: tuple[str, ...]


def same_stem(a: str, b: str) -> bool:
    """ "pagalba"/"pagalbos", "kontaktai"/"kontakti", "лекарства"/"лекарств": one stem."""
    if a[:STEM_PREFIX] != b[:STEM_PREFIX]:
        return False
    common = STEM_PREFIX
    for x, y in zip(a[STEM_PREFIX:], b[STEM_PREFIX:], strict=False):
        if x != y:
            break
        common += 1
    return common >= min(len(a), len(b)) - 3


@dataclass(frozen=True)
class _Layout:
    """The candidates' phrases as arrays over one vocabulary (its last column: no word)."""

    vocabulary: tuple[str, ...]
    by_prefix: dict[str, tuple[int, ...]]  # first letters -> vocabulary indices
    words: npt.NDArray[np.intp]  # phrase x position -> vocabulary index (padding: no word)
    significant: npt.NDArray[np.bool_]  # phrase x position: a word of 3+ letters
    counts: npt.NDArray[np.intp]  # significant words a phrase has
    starts: npt.NDArray[np.intp]  # the first phrase of each candidate that has phrases
    keys: tuple[str, ...]  # the candidates that have phrases, in order


@lru_cache(maxsize=256)  # one a municipality and search kind; the content is fixed at start
def _layout(candidates: tuple[Candidate, ...]) -> _Layout:
    import numpy as np  # here: numpy loads with the intent model, not at start

    phrases = [_phrase_tokens(p) for c in candidates for p in c.phrases]
    named = [c for c in candidates if c.phrases]
    starts = np.cumsum([0] + [len(c.phrases) for c in named[:-1]], dtype=np.intp)
    vocabulary = tuple(sorted({w for words in phrases for w in words}))
    index = {word: i for i, word in enumerate(vocabulary)}
    width = max((len(words) for words in phrases), default=0) or 1
    words = np.full((len(phrases), width), len(vocabulary), dtype=np.intp)
    significant = np.zeros((len(phrases), width), dtype=bool)
    for row, phrase in enumerate(phrases):
        for col, word in enumerate(phrase):
            words[row, col] = index[word]
            significant[row, col] = len(word) >= SIGNIFICANT
    by_prefix: dict[str, list[int]] = {}
    for i, word in enumerate(vocabulary):
        by_prefix.setdefault(word[:STEM_PREFIX], []).append(i)
    return _Layout(
        vocabulary,
        {prefix: tuple(indices) for prefix, indices in by_prefix.items()},
        words,
        significant,
        significant.sum(axis=1),
        starts,
        tuple(c.key for c in named),
    )


@lru_cache(maxsize=8192)
def _phrase_tokens(phrase: str) -> tuple[str, ...]:
    return tuple(tokens(phrase))


def best_matches(
    query: str, candidates: Iterable[Candidate], minimum: float = MIN_SCORE
) -> list[str]:
    """Keys of the candidates that match best (ties kept), or none if nothing is close enough."""
    import numpy as np

    query_words = tokens(query)
    layout = _layout(tuple(candidates))
    if not query_words or not layout.vocabulary:
        return []
    table = _similarities(query_words, layout)  # query word x vocabulary word (+ no word)
    # The phrase inside the query: each significant phrase word's best match in the query.
    best_in_query = table.max(axis=0)[layout.words]
    inside_sum = np.where(layout.significant, best_in_query, 0.0).sum(axis=1)
    inside = np.divide(
        inside_sum, layout.counts, out=np.zeros_like(inside_sum), where=layout.counts > 0
    )
    # The query inside the phrase: each significant query word's best match in the phrase.
    rows = [i for i, word in enumerate(query_words) if len(word) >= SIGNIFICANT]
    around = (
        table[rows][:, layout.words].max(axis=2).mean(axis=0) if rows else np.zeros_like(inside)
    )
    scores = np.maximum.reduceat(np.maximum(inside, around), layout.starts)
    scored = [(float(s), key) for s, key in zip(scores, layout.keys, strict=True) if s >= minimum]
    if not scored:
        return []
    top = max(score for score, _ in scored)
    return [key for score, key in scored if score >= top - 1.0]


def _similarities(query_words: Sequence[str], layout: _Layout) -> npt.NDArray[np.float64]:
    """100 for the same word, 95 for one stem with other endings, else the spelling ratio; a
    last column of zeros stands for the padding of short phrases."""
    import numpy as np

    ratios = process.cdist(query_words, layout.vocabulary, scorer=fuzz.ratio)
    table = np.zeros((len(query_words), len(layout.vocabulary) + 1), dtype=np.float64)
    table[:, :-1] = ratios
    for row, word in enumerate(query_words):
        for col in layout.by_prefix.get(word[:STEM_PREFIX], ()):
            other = layout.vocabulary[col]
            if other == word:
                table[row, col] = SAME_WORD
            elif same_stem(word, other):
                table[row, col] = SAME_STEM
    return table
