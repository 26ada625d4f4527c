"""The models behind the reader: lingua for the language, a linear model for the intent
(its numbers saved after the first training, so later starts never import scikit-learn)."""

from __future__ import annotations

import hashlib
import logging
from datetime import date
from pathlib import Path

from dialogs.understanding.nlu.entities import extract
from dialogs.understanding.nlu.intents import (
    Example,
    IntentModel,
    load_examples,
    train,
    with_latin_russian,
)
from dialogs.understanding.nlu.language import LanguageGuesser, vocabulary
from dialogs.understanding.nlu.reader import Understood
from dialogs.understanding.nlu.scorer import LinearScorer

log = logging.getLogger(__name__)
SAVED = Path(__file__).parent / "data" / "intents.npz"  # made at the first start, not shipped


def fingerprint(examples: list[Example]) -> str:
    """What the numbers were trained on: a new training line makes them train again."""
    text = "\n".join(f"{e.lang}\t{e.intent}\t{e.text}" for e in examples)
    return hashlib.sha256(text.encode()).hexdigest()


def intent_model(saved: Path = SAVED, lines: list[Example] | None = None) -> IntentModel:
    """The saved numbers if they match the bundled examples (`lines`, if already read); else
    train and save them."""
    examples = with_latin_russian(lines if lines is not None else load_examples("train.tsv"))
    key = fingerprint(examples)
    scorer = LinearScorer.load(saved, key)
    if scorer is None:
        scorer = train(examples)
        try:
            scorer.save(saved, key)
        except OSError:  # a read-only install: train at each start instead
            log.warning("could not save the intent model's numbers")
    return IntentModel(scorer=scorer)


class Reader:
    """The language guesser, the intent model and the entity rules together."""

    def __init__(self) -> None:
        examples = load_examples("train.tsv")
        self.languages = LanguageGuesser(vocabulary((e.lang, e.text) for e in examples))
        self.intents = intent_model(lines=examples)  # the training lines read once

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
