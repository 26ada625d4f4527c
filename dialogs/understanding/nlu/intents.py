"""Intents: TF-IDF character n-grams of folded text into a logistic-loss linear model."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np

from dialogs.understanding.latin_russian import latin_spellings
from dialogs.understanding.nlu.entities import (
    BOOKINGS,
    facilities_in,
    facility_named,
    names_a_language,
    refused_facility,
    says_booked,
)
from dialogs.understanding.nlu.scorer import NGRAMS, LinearScorer
from dialogs.understanding.text import fold

INTENTS = (
    "contacts",
    "service_status",
    "certificate",
    "book_shower",
    "book_laundry",
    "my_bookings",
    "cancel_booking",
    "isolation_help",
    "human",
    "greeting",
    "help",
    "language",
    "unknown",
)
UNKNOWN = "unknown"
# Intents that ask about the facilities rather than book one ("is the shower or the laundry
# open?"): a message naming both is not a correction there.
QUESTIONS = frozenset({"contacts", "service_status", "certificate", "my_bookings"})
# Below this, the message is out of scope: chosen in the flat middle of 0.18-0.22, where both
# independent evaluation sets keep their figures.
MIN_CONFIDENCE = 0.2
UNSURE_MARGIN = 0.03  # an intent barely ahead of out-of-scope is not taken
SURE = 0.5  # a sentence of a long message speaks for it only this sure
CLOSE_MARGIN = 0.04  # two intents this close: ask instead of guessing
_GREETING = re.compile(
    r"^(labas( rytas| vakaras)?|laba diena|sveiki|sveikas|labdien|labrit|labvakar|sveiks|cau"
    r"|здравствуите|здравствуи|привет|добрыи (день|вечер)|доброе утро)\b[\s,!.]*"
)


@dataclass(frozen=True)
class Example:
    """One line of the training or evaluation data."""

    lang: str
    intent: str
    text: str
    day: str | None = None  # the day the message names, ISO (evaluation lines only)


@dataclass(frozen=True)
class Guess:
    """The best intent, its probability, and the runner-up when it is close."""

    intent: str
    confidence: float
    alternative: str | None = None


def load_examples(name: str) -> list[Example]:
    """`train.tsv` or an evaluation file: language, intent, text (and the day), tab-separated."""
    data = (
        resources.files("dialogs.understanding.nlu")
        .joinpath("data", name)
        .read_text(encoding="utf-8")
    )
    lines = [line for line in data.splitlines() if line and not line.startswith("#")]
    return [
        Example(row[0], row[1], row[2], row[3] if len(row) > 3 and row[3] else None)
        for row in csv.reader(lines, delimiter="\t")
    ]


def with_latin_russian(examples: list[Example]) -> list[Example]:
    """The examples, and each Russian one again as typed in Latin letters (formally and
    informally): many Russian speakers write so on phones."""
    latin = [
        Example(e.lang, e.intent, spelling)
        for e in examples
        if e.lang == "ru"
        for spelling in latin_spellings(e.text)
    ]
    return examples + latin


def prepare(text: str) -> str:
    """Folded, without a leading greeting: "Labas, noriu į dušą" -> "noriu i dusa"."""
    folded = fold(text)
    return _GREETING.sub("", folded).strip() or folded


def is_greeting(text: str) -> bool:
    """A greeting, perhaps with one more word ("labdien jums"), and nothing else."""
    folded = fold(text)
    rest = _GREETING.sub("", folded).strip()
    return rest != folded and len(rest.split()) <= 1


class IntentModel:
    """A linear model over TF-IDF character n-grams: trained from the bundled examples with
    scikit-learn, or loaded from its saved numbers (then scikit-learn is never imported)."""

    def __init__(self, examples: list[Example] | None = None, scorer: LinearScorer | None = None):
        if scorer is None:
            scorer = train(examples or [])
        self.scorer = scorer

    def guess(self, text: str) -> Guess:
        """The intent of one message; UNKNOWN when nothing fits well enough. In a long
        message whose whole reads as nothing sure, a sure sentence speaks for it: "Labdien,
        esmu pensionāre... Kaimiņiene stāstīja... Kur man zvanīt?"."""
        guess = self._guess(text)
        sentences = [part for part in _SENTENCE_END.split(text) if len(part.split()) >= 3]
        if (guess.intent != UNKNOWN and guess.confidence >= SURE) or len(sentences) < 2:
            return guess
        found = [self._guess(sentence) for sentence in sentences]
        understood = [
            g for g in found if g.intent not in (UNKNOWN, "greeting") and g.confidence >= SURE
        ]
        surest = max(understood, key=lambda g: g.confidence, default=guess)
        return surest if guess.intent == UNKNOWN or surest.confidence > guess.confidence else guess

    def _guess(self, text: str) -> Guess:
        if is_greeting(text):
            return Guess("greeting", 1.0)
        if len(prepare(text).replace(" ", "")) < 3:  # emoji, symbols, a letter: nothing to read
            return Guess(UNKNOWN, 0.0)
        probabilities = self.scorer.probabilities(prepare(text))
        order = np.argsort(-probabilities, kind="stable")
        classes = self.scorer.classes
        best, second = classes[order[0]], classes[order[1]]
        best_p, second_p = float(probabilities[order[0]]), float(probabilities[order[1]])
        wanted = _wanted_instead(text)
        if wanted is not None and best not in QUESTIONS:
            # "ne dush, a stirka", "nereikia man dušo, noriu skalbimo": a booking of the other.
            return Guess(BOOKINGS[wanted], max(best_p, MIN_CONFIDENCE), None)
        if (
            best == UNKNOWN
            or best_p < MIN_CONFIDENCE
            or (second == UNKNOWN and best_p - second_p < UNSURE_MARGIN)
        ):
            return Guess(UNKNOWN, best_p)
        if best == "language" and not names_a_language(text):
            return Guess(UNKNOWN, best_p)  # "Rungos 5" is an address, whatever its letters
        if best in BOOKINGS.values() and says_booked(text):
            return Guess("my_bookings", best_p, None)  # "ya zapisan na zavtra na stirku?"
        if best not in QUESTIONS and refused_facility(text) is not None:
            return Guess("cancel_booking", best_p, None)  # "nebereikia to skalbimo"
        facility = facility_named(text) if best in BOOKINGS.values() else None
        if facility is not None and BOOKINGS[facility] != best:
            # The words say it better than the model: "veļu" is laundry.
            best, second = BOOKINGS[facility], best
        close = second != UNKNOWN and best_p - second_p < CLOSE_MARGIN
        return Guess(best, best_p, second if close else None)


_SENTENCE_END = re.compile(r"[.!?;\n]+")


def _wanted_instead(text: str) -> str | None:
    """The facility wanted when a message names both and turns from one to the other."""
    if len(facilities_in(fold(text).split())) != 2:
        return None
    return facility_named(text)


def fitted(examples: list[Example]) -> tuple[Any, Any]:
    """The vectorizer and the classifier, fitted with scikit-learn (imported only here)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import SGDClassifier

    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=NGRAMS, sublinear_tf=True)
    # Balanced: the out-of-scope lines outnumber each intent's, and would swallow real ones.
    classifier = SGDClassifier(
        loss="log_loss", alpha=5e-5, max_iter=50, random_state=0, class_weight="balanced"
    )
    features = vectorizer.fit_transform([prepare(e.text) for e in examples])
    classifier.fit(features, [e.intent for e in examples])
    return vectorizer, classifier


def train(examples: list[Example]) -> LinearScorer:
    """Fit the model and keep its numbers."""
    vectorizer, classifier = fitted(examples)
    return LinearScorer(
        {str(gram): int(index) for gram, index in vectorizer.vocabulary_.items()},
        np.asarray(vectorizer.idf_, dtype=np.float64),
        np.asarray(classifier.coef_, dtype=np.float64),
        np.asarray(classifier.intercept_, dtype=np.float64),
        tuple(str(c) for c in classifier.classes_),
    )
