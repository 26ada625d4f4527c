"""The models behind the reader: lingua for the language, scikit-learn for the intent."""

from __future__ import annotations

from datetime import date

from dialogs.understanding.nlu.entities import extract
from dialogs.understanding.nlu.intents import IntentModel, load_examples, with_latin_russian
from dialogs.understanding.nlu.language import LanguageGuesser
from dialogs.understanding.nlu.reader import Understood


class Reader:
    """The language guesser, the intent model and the entity rules together."""

    def __init__(self) -> None:
        self.languages = LanguageGuesser()
        self.intents = IntentModel(with_latin_russian(load_examples("train.tsv")))

    def read(self, text: str, fallback_lang: str | None, today: date) -> Understood:
        """Read one message; `fallback_lang` decides when the text is too short to tell."""
        lang, confident = self.languages.guess(text, fallback_lang)
        guess = self.intents.guess(text)
        return Understood(
            text,
            lang,
            confident,
            guess.intent,
            guess.confidence,
            guess.alternative,
            extract(text, today),
        )
