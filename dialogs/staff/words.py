"""Reading the words of a staff command: a value named in one or more words, in any spelling
the reader's language or the code gives it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TypeVar

from dialogs.understanding.text import fold

T = TypeVar("T")


def phrase_at(
    words: Sequence[str], start: int, forms: Mapping[T, Iterable[str]]
) -> tuple[T, int] | None:
    """The value one of whose forms the words spell from `start` (folded: case, diacritics and
    "_" do not matter), and how many words it took; the longest form wins."""
    found: tuple[T, int] | None = None
    for value, texts in forms.items():
        for text in texts:
            size = len(text.split())
            if not size or start + size > len(words) or (found and found[1] >= size):
                continue
            if fold(" ".join(words[start : start + size])) == fold(text):
                found = (value, size)
    return found
