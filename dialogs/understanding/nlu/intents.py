"""Intents: TF-IDF character n-grams of folded text into a logistic-loss linear model."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from importlib import resources

import numpy as np

from dialogs.understanding.latin_russian import latin_spellings
from dialogs.understanding.nlu.entities import CONTRAST, facilities_in, facility_named
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
BOOKINGS = {"shower": "book_shower", "laundry": "book_laundry"}  # facility -> its intent
MIN_CONFIDENCE = 0.27  # below this, the message is out of scope
CLOSE_MARGIN = 0.06  # two intents this close: ask instead of guessing
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
        """The intent of one message; UNKNOWN when nothing fits well enough."""
        if is_greeting(text):
            return Guess("greeting", 1.0)
        if len(prepare(text).replace(" ", "")) < 3:  # emoji, symbols, a letter: nothing to read
            return Guess(UNKNOWN, 0.0)
        probabilities = self.scorer.probabilities(prepare(text))
        order = np.argsort(-probabilities, kind="stable")
        classes = self.scorer.classes
        best, second = classes[order[0]], classes[order[1]]
        best_p, second_p = float(probabilities[order[0]]), float(probabilities[order[1]])
        if best == UNKNOWN or best_p < MIN_CONFIDENCE:
            return Guess(UNKNOWN, best_p)
        corrected = best == "cancel_booking" and _corrects(text)
        facility = facility_named(text) if best in BOOKINGS.values() or corrected else None
        if facility is not None and BOOKINGS[facility] != best:
            # The words say it better than the model: "veļu" is laundry, and "ne dush, a
            # stirka" books the laundry rather than cancelling the shower.
            best, second = BOOKINGS[facility], best
        close = second != UNKNOWN and best_p - second_p < CLOSE_MARGIN
        return Guess(best, best_p, second if close else None)


def _corrects(text: str) -> bool:
    """Names both facilities with a turn between ("ne dush, a stirka"): a correction."""
    words = fold(text).split()
    return any(word in CONTRAST for word in words) and len(facilities_in(words)) == 2


def train(examples: list[Example]) -> LinearScorer:
    """Fit the vectorizer and the classifier (scikit-learn, imported only here) and keep their
    numbers."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import SGDClassifier

    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=NGRAMS, sublinear_tf=True)
    classifier = SGDClassifier(loss="log_loss", alpha=1e-4, max_iter=50, random_state=0)
    features = vectorizer.fit_transform([prepare(e.text) for e in examples])
    classifier.fit(features, [e.intent for e in examples])
    return LinearScorer(
        {str(gram): int(index) for gram, index in vectorizer.vocabulary_.items()},
        np.asarray(vectorizer.idf_, dtype=np.float64),
        np.asarray(classifier.coef_, dtype=np.float64),
        np.asarray(classifier.intercept_, dtype=np.float64),
        tuple(str(c) for c in classifier.classes_),
    )
