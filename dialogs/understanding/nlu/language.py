"""Which of lt, lv, ru a message is written in (lingua, restricted to the three)."""

from __future__ import annotations

from lingua import Language, LanguageDetectorBuilder

CODES = {Language.LITHUANIAN: "lt", Language.LATVIAN: "lv", Language.RUSSIAN: "ru"}
MIN_WORDS = 3  # one- or two-word messages ("labas", "sveiki") are too short to tell
MIN_CONFIDENCE = 0.8


class LanguageGuesser:
    """Cyrillic is Russian; Latin text is lt or lv by lingua, if the text says enough."""

    def __init__(self) -> None:
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
        values = self._detector.compute_language_confidence_values(text)
        best = values[0] if values else None
        if best is None or best.value < MIN_CONFIDENCE or best.language not in CODES:
            return fallback, False
        return CODES[best.language], True
