"""Which of lt, lv, ru a message is written in (lingua, restricted to the three)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from lingua import Language, LanguageDetectorBuilder

from dialogs.understanding.latin_russian import in_latin_letters, latin_spellings
from dialogs.understanding.text import fold

CODES = {Language.LITHUANIAN: "lt", Language.LATVIAN: "lv", Language.RUSSIAN: "ru"}
MIN_WORDS = 3  # one- or two-word messages ("labas", "sveiki") are too short to tell
MIN_CONFIDENCE = 0.8


@dataclass(frozen=True)
class Vocabulary:
    """Words only the Russian lines use as typed in Latin letters, and words only the
    Lithuanian and Latvian lines use ("ne", "man": both, so neither)."""

    russian: frozenset[str] = frozenset()
    baltic: frozenset[str] = frozenset()


def vocabulary(examples: Iterable[tuple[str, str]]) -> Vocabulary:
    """The vocabulary of training lines, as (language, text) pairs."""
    russian: set[str] = set()
    baltic: set[str] = set()
    for lang, text in examples:
        if lang == "ru":
            russian.update(w for spelling in latin_spellings(text) for w in fold(spelling).split())
        else:
            baltic.update(fold(text).split())
    return Vocabulary(frozenset(russian - baltic), frozenset(baltic - russian))


class LanguageGuesser:
    """Cyrillic is Russian; Latin text is lt or lv by lingua, if the text says enough."""

    def __init__(self, words: Vocabulary | None = None) -> None:
        # Words that tell Russian typed in Latin letters, which lingua takes for lt or lv.
        self._words = words or Vocabulary()
        # English is told apart too (residents of Elektrėnai may write it): it is never taken
        # for Lithuanian or Latvian, and it keeps the conversation's language.
        self._detector = (
            LanguageDetectorBuilder.from_languages(*CODES, Language.ENGLISH)
            .with_low_accuracy_mode()
            .build()
        )

    def guess(self, text: str, fallback: str | None) -> tuple[str | None, bool]:
        """(language, confident); not confident means the fallback (conversation's) is kept."""
        letters = [c for c in text if c.isalpha()]
        if letters and sum("\u0400" <= c <= "\u04ff" for c in letters) > len(letters) / 2:
            return "ru", True
        if len(text.split()) < MIN_WORDS:
            return fallback, False
        if self._in_latin_russian(text):
            return "ru", True
        values = self._detector.compute_language_confidence_values(text)
        best = values[0] if values else None
        if best is None or best.value < MIN_CONFIDENCE or best.language not in CODES:
            return fallback, False
        return CODES[best.language], True

    def _in_latin_russian(self, text: str) -> bool:
        """At least two words are Russian ones as typed in Latin letters, and more of them
        than Lithuanian or Latvian ones."""
        if not in_latin_letters(text):
            return False
        words = fold(text).split()
        russian = sum(word in self._words.russian for word in words)
        return russian >= 2 and russian > sum(word in self._words.baltic for word in words)
