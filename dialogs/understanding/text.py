"""Normalising what residents type, and matching it to choices, keywords and names."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from rapidfuzz import fuzz

MAX_MESSAGE_CHARS = 4096  # Telegram's limit; longer input is refused with an explanation
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")
_NON_WORD = re.compile(r"[^\w]+")


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
