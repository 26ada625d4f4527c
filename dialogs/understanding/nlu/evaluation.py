"""How well the intent model does on the held-out examples: accuracy, confusion, rejection."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from dialogs.understanding.latin_russian import in_latin_letters, to_cyrillic
from dialogs.understanding.nlu.entities import BOOKINGS, extract
from dialogs.understanding.nlu.intents import UNKNOWN, Example, IntentModel


@dataclass
class Report:
    """Counts from one evaluation run."""

    right: Counter[str] = field(default_factory=Counter)  # by language, in scope
    total: Counter[str] = field(default_factory=Counter)
    by_intent: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)
    rejected: int = 0
    out_of_scope: int = 0
    refused: int = 0  # in-scope messages answered as out of scope
    days_right: int = 0
    days: int = 0
    facilities_right: int = 0  # booking lines whose facility was read right
    facilities: int = 0

    def accuracy(self, lang: str) -> float:
        """In-scope accuracy for one language."""
        return self.right[lang] / self.total[lang] if self.total[lang] else 0.0

    @property
    def rejection(self) -> float:
        """Share of out-of-scope messages answered as out of scope."""
        return self.rejected / self.out_of_scope if self.out_of_scope else 0.0

    def lines(self) -> list[str]:
        """A printable report."""
        out = ["accuracy by language (in scope):"]
        out += [
            f"  {lang}: {self.accuracy(lang):.3f} ({self.right[lang]}/{self.total[lang]})"
            for lang in sorted(self.total)
        ]
        out.append(
            f"out of scope rejected: {self.rejection:.3f} ({self.rejected}/{self.out_of_scope})"
        )
        in_scope = sum(self.total.values())
        if in_scope:
            out.append(
                f"real requests refused: {self.refused / in_scope:.3f} ({self.refused}/{in_scope})"
            )
        if self.days:
            out.append(
                f"day read right: {self.days_right / self.days:.3f} ({self.days_right}/{self.days})"
            )
        if self.facilities:
            out.append(
                f"facility read right: {self.facilities_right / self.facilities:.3f}"
                f" ({self.facilities_right}/{self.facilities})"
            )
        out.append("accuracy by intent:")
        out += [f"  {intent}: {ok}/{n}" for intent, (ok, n) in sorted(self.by_intent.items())]
        out.append("confusions (expected -> got: count):")
        out += [f"  {a} -> {b}: {n}" for (a, b), n in self.confusion.most_common()] or ["  none"]
        return out


FACILITY_OF = {intent: facility for facility, intent in BOOKINGS.items()}
EVALUATION_TODAY = date(2021, 11, 1)  # the day the evaluation lines' days are read from


def group(example: Example) -> str:
    """The language, with Russian typed in Latin letters apart: "ru (Latin letters)"."""
    if example.lang == "ru" and not any("\u0400" <= c <= "\u04ff" for c in example.text):
        return "ru (Latin letters)"
    return example.lang


def evaluate(model: IntentModel, examples: list[Example]) -> Report:
    """Run the model (and the day reading) over the examples."""
    report = Report()
    for example in examples:
        if example.day is not None:
            report.days += 1
            found = extract(example.text, EVALUATION_TODAY).get("day")
            report.days_right += found == example.day
        facility = FACILITY_OF.get(example.intent)
        if facility is not None:
            report.facilities += 1
            report.facilities_right += extract(example.text, EVALUATION_TODAY).get("facility") in (
                facility,
                None,  # "zapisat na zavtra": the booking asks which, nothing is misread
            )
        got = model.guess(example.text).intent
        if example.lang == "ru" and in_latin_letters(example.text):
            # As the assistant reads it in a Russian conversation: back in Cyrillic too.
            as_russian = model.guess(to_cyrillic(example.text)).intent
            got = as_russian if as_russian != UNKNOWN or got == UNKNOWN else got
        counts = report.by_intent[example.intent]
        counts[1] += 1
        counts[0] += got == example.intent
        if got != example.intent:
            report.confusion[(example.intent, got)] += 1
        if example.intent == UNKNOWN:
            report.out_of_scope += 1
            report.rejected += got == UNKNOWN
        else:
            report.total[group(example)] += 1
            report.right[group(example)] += got == example.intent
            report.refused += got == UNKNOWN
    return report
