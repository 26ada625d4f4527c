"""The evaluation lines as the assistant answers them: each line typed by a new resident at the
menu of a municipality where its intent can be served, through the whole pipeline at default
settings, and the action it led to compared with the line's intent."""

from __future__ import annotations

import tempfile
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from bot.app import open_engine
from bot.settings import Settings
from dialogs.core.turn import Turn
from dialogs.pipeline.resident import ResidentDialogs
from dialogs.types import Incoming, Reply
from dialogs.understanding.nlu.evaluation import EVALUATION_TODAY, group
from dialogs.understanding.nlu.intents import Example

# Where each intent can be served: bookings in Koknese, requests in Elektrėnai; the rest in a
# municipality of the line's language.
BOOKING_INTENTS = ("book_shower", "book_laundry", "my_bookings", "cancel_booking")
HOME = {"lt": "elektrenai", "lv": "koknese", "ru": "daugavpils", "en": "koknese"}
# The first action a turn ran, by its name, as the intent it serves.
SERVES = {
    "contacts": "contacts",
    "dept": "contacts",
    "status": "service_status",
    "svc": "service_status",
    "services": "service_status",
    "cert": "certificate",
    "health": "certificate",
    "certificates": "certificate",
    "mybk": "my_bookings",
    "rq": "isolation_help",
    "human": "human",
    "menu": "greeting",
    "thanks": "greeting",
    "help": "help",
    "language": "language",
}


class RecordingDialogs(ResidentDialogs):
    """The resident dialogs, noting the actions each turn runs."""

    def __init__(self) -> None:
        super().__init__()
        self.ran: list[str] = []

    async def run(self, turn: Turn, action: str) -> Reply:
        """Note the action, then run it."""
        self.ran.append(str(action))
        return await super().run(turn, action)


def served(actions: list[str]) -> str:
    """The intent the turn's actions served; "unknown" when none ran (out of scope)."""
    for action in actions:
        name, _, argument = action.partition(":")
        if name == "bk":
            return f"book_{argument}"
        if name in SERVES:
            return SERVES[name]
    return "unknown"


def municipality_for(example: Example) -> str:
    """A municipality that serves the line's intent, in its language where it can."""
    if example.intent == "isolation_help":
        return "elektrenai"
    if example.intent in BOOKING_INTENTS:
        return "koknese"
    return HOME.get(example.lang, "koknese")


@dataclass
class JourneyReport:
    """Right answers by language group; a department's card (which lists its services'
    status) counts for a question about a service."""

    right: Counter[str] = field(default_factory=Counter)
    total: Counter[str] = field(default_factory=Counter)

    def add(self, example: Example, actions: list[str]) -> None:
        """Count one line."""
        want = "my_bookings" if example.intent == "cancel_booking" else example.intent
        got = served(actions)
        card = want == "service_status" and any(a.startswith("dept:") for a in actions)
        key = "out of scope refused" if example.intent == "unknown" else group(example)
        self.total[key] += 1
        self.right[key] += got == want or card

    def lines(self) -> list[str]:
        """A printable report."""
        out = []
        for key in sorted(self.total):
            right, total = self.right[key], self.total[key]
            out.append(f"  {key}: {right / total:.3f} ({right}/{total})")
        return out


async def journeys(settings: Settings, examples: list[Example]) -> JourneyReport:
    """Type each line as a new resident, at the menu, and grade what the assistant did."""
    report = JourneyReport()
    with tempfile.TemporaryDirectory() as folder:
        pinned = replace(
            settings, database_path=Path(folder) / "eval.sqlite3", today=EVALUATION_TODAY
        )
        async with open_engine(pinned) as engine:
            dialogs = RecordingDialogs()
            engine.use_dialogs(dialogs)
            for number, example in enumerate(examples):
                municipality = engine.content.municipalities[municipality_for(example)]
                lang = example.lang if example.lang in municipality.languages else None
                address = f"eval-{number}"
                payload = f"{municipality.id}_{lang or municipality.default_language}"
                await engine.handle(Incoming("console", address, text=payload, start=True))
                dialogs.ran.clear()
                await engine.handle(Incoming("console", address, text=example.text))
                report.add(example, dialogs.ran)
    return report
