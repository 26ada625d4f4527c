"""Normalising what residents type, and matching it to choices, keywords and names."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

MAX_MESSAGE_CHARS = 4096  # Telegram's limit; longer input is refused with an explanation
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")
_NON_WORD = re.compile(r"[^\w]+")
MIN_SCORE = 85.0


def clean(text: str) -> str:
    """Drop control and invisible characters, keep line breaks, trim."""
    return _CONTROL.sub("", text).strip()


@lru_cache(maxsize=16384)  # the same names, labels and keywords are folded for every message
def fold(text: str) -> str:
    """Lowercase without diacritics or punctuation: "Pagalba į namus?" -> "pagalba i namus"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NON_WORD.sub(" ", plain).replace("_", " ").split())


def tokens(text: str) -> list[str]:
    """The folded words of a text."""
    return fold(text).split()


def _same_stem(a: str, b: str) -> bool:
    # "pagalba"/"pagalbos", "kontaktai"/"kontakti", "лекарства"/"лекарств": same stem.
    if a[:4] != b[:4]:
        return False
    common = 4
    for x, y in zip(a[4:], b[4:], strict=False):
        if x != y:
            break
        common += 1
    return common >= min(len(a), len(b)) - 3


Similarities = dict[str, dict[str, float]]  # query word -> phrase word -> 0-100


def _similarities(query_words: Sequence[str], vocabulary: Sequence[str]) -> Similarities:
    """Every query word against every phrase word: 100 for the same word, 95 for one stem with
    other endings (Baltic and Russian inflection), else the spelling ratio (rapidfuzz, in C)."""
    ratios = process.cdist(query_words, vocabulary, scorer=fuzz.ratio)
    table: Similarities = {}
    for row, word in zip(ratios, query_words, strict=True):
        scores = dict(zip(vocabulary, (float(r) for r in row), strict=True))
        for other in vocabulary:
            if other == word:
                scores[other] = 100.0
            elif _same_stem(word, other):
                scores[other] = 95.0
        table[word] = scores
    return table


def _coverage(
    words: Sequence[str], other: Sequence[str], score: Callable[[str, str], float]
) -> float:
    """How well every significant word (3+ letters) of `words` appears among `other` (0-100)."""
    significant = [w for w in words if len(w) >= 3]
    if not significant or not other:
        return 0.0
    return sum(max(score(w, o) for o in other) for w in significant) / len(significant)


@lru_cache(maxsize=8192)
def _phrase_tokens(phrase: str) -> tuple[str, ...]:
    """The words of a content phrase; the same few hundred phrases are scored for every query."""
    return tuple(tokens(phrase))


def _phrase_score(phrase: str, query_words: Sequence[str], table: Similarities) -> float:
    """How well a phrase and a query match: the phrase inside the query, or the query inside it."""
    words = _phrase_tokens(phrase)
    inside = _coverage(words, query_words, lambda p, q: table[q][p])
    around = _coverage(query_words, words, lambda q, p: table[q][p])
    return max(inside, around)


@dataclass(frozen=True)
class Candidate:
    """Something a resident may mean, with the phrases that name it."""

    key: str
    phrases: tuple[str, ...]


def best_matches(
    query: str, candidates: Iterable[Candidate], minimum: float = MIN_SCORE
) -> list[str]:
    """Keys of the candidates that match best (ties kept), or none if nothing is close enough."""
    query_words = tokens(query)
    candidates = list(candidates)
    vocabulary = sorted({w for c in candidates for p in c.phrases for w in _phrase_tokens(p)})
    if not query_words or not vocabulary:
        return []
    table = _similarities(query_words, vocabulary)
    scored: list[tuple[float, str]] = []
    for candidate in candidates:
        score = max((_phrase_score(p, query_words, table) for p in candidate.phrases), default=0.0)
        if score >= minimum:
            scored.append((score, candidate.key))
    if not scored:
        return []
    top = max(score for score, _ in scored)
    return [key for score, key in scored if score >= top - 1.0]


def match_label(text: str, labels: Sequence[str]) -> int | None:
    """Index of the label the text names: its number, its words, or a close spelling."""
    folded = fold(text)
    number = parse_id(folded)  # "➁" and "²" are digits to str.isdigit, not to int()
    if number is not None:
        return number - 1 if 1 <= number <= len(labels) else None
    if not folded:
        return None
    folded_labels = [fold(label) for label in labels]
    if folded in folded_labels:
        return folded_labels.index(folded)
    scores = [fuzz.ratio(folded, label) for label in folded_labels]
    best = max(range(len(scores)), key=scores.__getitem__, default=None)
    if best is not None and scores[best] >= 88 and scores.count(scores[best]) == 1:
        return best
    return None


STEM = 4  # letters two words must share at the start to be taken for the same word


def match_label_words(text: str, labels: Sequence[str]) -> int | None:
    """Index of the one label whose words the text's words begin like ("tests" for "Negatīvs
    tests", "siusk" for "Siųsti"); None if no label or several do."""
    words = [word for word in tokens(text) if len(word) >= 3]
    if not words:
        return None
    found = [
        index
        for index, label in enumerate(labels)
        if all(
            any(_stem(word) == _stem(other) for other in tokens(label) if len(other) >= 3)
            for word in words
        )
    ]
    return found[0] if len(found) == 1 else None


def _stem(word: str) -> str:
    return word[:STEM]


MAX_ID_DIGITS = 12  # record ids from buttons; longer numbers are forged (and overflow SQLite)


def parse_id(text: str) -> int | None:
    """A record id as buttons carry it ("42"); None for anything else ("x", "²", 30 digits)."""
    if text.isascii() and text.isdigit() and len(text) <= MAX_ID_DIGITS:
        return int(text)
    return None
