"""A flow's saved state as a small dataclass, kept in the conversation between turns (stored as
the same JSON object, so conversations saved before stay readable)."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Self


@dataclass
class FlowState:
    """Fields a flow keeps between turns; a subclass per flow."""

    @classmethod
    def read(cls, data: dict[str, Any]) -> Self:
        """The flow's fields from the conversation's data (others are left alone)."""
        names = {f.name for f in fields(cls)}
        return cls(**{key: value for key, value in data.items() if key in names})

    def write(self, data: dict[str, Any]) -> None:
        """Put the fields back into the conversation's data (lists copied, so the data does
        not change with the state; no deeper: fields are plain values and lists of them)."""
        for item in fields(self):
            value = getattr(self, item.name)
            data[item.name] = list(value) if isinstance(value, list) else value

    def forget(self, data: dict[str, Any]) -> None:
        """Take the flow's fields out of the conversation's data (the flow is over)."""
        for item in fields(self):
            data.pop(item.name, None)


@dataclass
class BookingState(FlowState):
    """A booking under way: the facility, the day, the certificate kind, a held offer."""

    facility: str = ""
    day: str | None = None  # ISO date
    kind: str | None = None
    offer: int | None = None  # the waiting-list entry whose held place is being booked
    offer_for: str | None = None  # "facility:day" of that place: only its booking accepts it

    def holds(self, facility: str, day: str) -> bool:
        """True if a held place is being booked for exactly this facility and day."""
        return self.offer is not None and self.offer_for == f"{facility}:{day}"


@dataclass
class RequestDraft(FlowState):
    """A request from an isolated resident, as collected so far."""

    needs: list[str] = field(default_factory=list)
    details: str | None = None
    home: str | None = None
    saved_home: str | None = None
    phone: str | None = None
    urgency: str | None = None
    voice: str | None = None  # a voice note for staff (the channel's file id)
    location: list[float] | None = None  # latitude, longitude the resident shared
    at: str = ""  # the step the request was at, to come back to
    left: bool = False  # the resident left it unsent and was told so


@dataclass
class HeldMessage(FlowState):
    """A first message that asked for something before the municipality was known: it is
    answered once setup is done."""

    held: str | None = None


@dataclass
class FallbackState(FlowState):
    """How many messages in a row were not understood: after a few, a person is offered."""

    misses: int = 0


@dataclass
class HealthState(FlowState):
    """ "Can I come in person?": the certificate's kind and when it was issued."""

    kind: str | None = None
    issued: str | None = None  # ISO moment
