"""What a message says (language, intent, details), and the process's reader of messages."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
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


@lru_cache(maxsize=1)
def reader() -> ReadsMessages:
    """The process's reader, built on first use: importing scikit-learn and lingua takes
    over a second, which commands that never read free text (imports, rosters) should not pay."""
    from dialogs.nlu.models import Reader

    return Reader()
