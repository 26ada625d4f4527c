"""One turn of a conversation: what a dialog handler may read and change."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TypeVar

from dialogs.core.i18n import Catalogs, Translator
from dialogs.core.state import FlowState
from dialogs.core.steps import Dialog, Step
from dialogs.rules.availability import with_overrides
from dialogs.types import Choice, Reply
from storage.content import Content, Municipality, Period
from storage.conversations import Conversation
from storage.rows import Conn

S = TypeVar("S", bound=FlowState)


@dataclass(frozen=True)
class BookingPolicy:
    """When reminders go out and how long a waiting-list offer is held."""

    reminder_hour: int = 18  # local time, the day before
    offer_minutes: int = 120


@dataclass
class Turn:
    """The resident's settings, the conversation state and the world as of today."""

    content: Content
    catalogs: Catalogs
    conversation: Conversation
    connection: Conn
    today: date
    municipality_id: str | None
    language: str | None
    resident_id: int
    phone: str | None = None
    can_share_phone: bool = False
    timed_out: bool = False
    now: datetime = field(default_factory=lambda: datetime.now(UTC))
    policy: BookingPolicy = field(default_factory=BookingPolicy)
    overrides: tuple[str | None, list[tuple[str, Period]]] = (None, [])  # staff's statuses
    forgotten: bool = False  # the resident erased their data: nothing is saved after the turn
    states: dict[type[FlowState], FlowState] = field(default_factory=dict)

    @property
    def municipality(self) -> Municipality | None:
        """The resident's municipality, once chosen, with the statuses staff have set."""
        municipality = self.content.municipality(self.municipality_id)
        owner, overrides = self.overrides
        if municipality is None or owner != municipality.id:
            return municipality
        return with_overrides(municipality, overrides)

    @property
    def t(self) -> Translator:
        """Translations and formatting in the resident's language."""
        return self.catalogs.get(self.language)

    def text(self, value: object) -> str:
        """A content text (LocalText) in the resident's language."""
        get = getattr(value, "get", None)
        return str(get(self.t.lang)) if callable(get) else str(value)

    def state(self, kind: type[S]) -> S:
        """The flow's saved state, read once a turn; `keep` writes it back."""
        if kind not in self.states:
            self.states[kind] = kind.read(self.conversation.data)
        found = self.states[kind]
        assert isinstance(found, kind)
        return found

    def keep(self) -> None:
        """Write the flows' states back into the conversation, to be saved with it."""
        for state in self.states.values():
            state.write(self.conversation.data)

    def drop(self, kind: type[FlowState]) -> None:
        """A flow is over: its state leaves the conversation."""
        self.states.pop(kind, None)
        kind().forget(self.conversation.data)

    def go(self, dialog: Dialog, step: Step = Step.NONE, back: str = "menu") -> None:
        """Move to a dialog step, where typed text is read next; `back` is where "back" leads."""
        self.conversation.dialog = dialog
        self.conversation.step = step
        self.conversation.data["back"] = back

    def reply(
        self,
        text: str,
        choices: Sequence[Choice] = (),
        *,
        menu: bool = True,
    ) -> Reply:
        """A reply; `menu` adds the way to the main menu (and "0 = back" where choices are
        numbered)."""
        if not menu:
            return Reply(text, tuple(choices))
        extra = (Choice(self.t._("Main menu"), "menu"),)
        return Reply(text, tuple(choices) + extra, back=self.t._("back"))

    def require_municipality(self) -> Municipality:
        """The municipality; dialogs past setup can rely on it (the engine runs setup first)."""
        assert self.municipality is not None, "setup must run before this dialog"
        return self.municipality


Handler = Callable[[Turn, str], Awaitable[Reply]]
"""Handles an action; the string is the part after "name:" (empty if none)."""

Understander = Callable[[Turn, str], Awaitable[Reply | None]]
"""Reads typed text in a dialog's own step; None if it does not understand it."""
