"""What a message says (language, intent, details), and the process's reader of messages."""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol


@dataclass(frozen=True)
class Understood:
    """What a message says, as far as the models can tell."""

    text: str
    lang: str | None
    lang_confident: bool
    intent: str
    confidence: float
    alternative: str | None = None
    entities: dict[str, object] = field(default_factory=dict)


class ReadsMessages(Protocol):
    """Anything that reads a message (the models, or a stand-in)."""

    def read(self, text: str, fallback_lang: str | None, today: date) -> Understood: ...


_built: list[ReadsMessages] = []  # the process's one reader, once built
_building = threading.Lock()


def reader() -> ReadsMessages:
    """The process's reader, built once on first use (by whichever thread comes first; the
    others wait): importing numpy and lingua and loading their models takes most of a second,
    which commands that never read free text (imports, rosters) should not pay."""
    with _building:
        if not _built:
            from dialogs.understanding.nlu.models import Reader

            built = Reader()
            # lingua loads its language models on the first text it reads: here, not in the
            # first resident's turn.
            built.read("labas rytas, ar galiu užsirašyti į dušą", None, date.today())
            _built.append(built)
        return _built[0]


async def ready_reader() -> ReadsMessages:
    """The reader, without blocking the event loop while it is still being built."""
    return _built[0] if _built else await asyncio.to_thread(reader)
