"""The channel-agnostic messages: Incoming from a resident, Replies with Choices back."""

from __future__ import annotations

from dataclasses import dataclass

MAX_ACTION_BYTES = 64  # Telegram's callback_data limit, counted in UTF-8 bytes


@dataclass(frozen=True)
class Choice:
    """An option offered to the resident: a button on Telegram, a numbered line elsewhere."""

    label: str
    action: str

    def __post_init__(self) -> None:
        if not 1 <= len(self.action.encode()) <= MAX_ACTION_BYTES:
            raise ValueError(f"action {self.action!r} must be 1-{MAX_ACTION_BYTES} bytes")


@dataclass(frozen=True)
class Link:
    """A phone (`tel:`) or e-mail (`mailto:`) link, for channels that can make it tappable."""

    label: str
    url: str


@dataclass(frozen=True)
class Reply:
    """One message to the resident."""

    text: str
    choices: tuple[Choice, ...] = ()
    links: tuple[Link, ...] = ()
    ask_phone: str | None = None  # label of a "share my phone" button, where the channel has one


@dataclass(frozen=True)
class Incoming:
    """One message from a resident: typed text, a pressed choice, or the start of a chat."""

    channel: str
    address: str
    text: str = ""
    action: str | None = None
    start: bool = False
    language_hint: str | None = None
    shared_phone: str | None = None  # a contact card the resident sent
    shared_phone_is_own: bool = False  # the card is the sender's own (checked by the channel)
    can_share_phone: bool = False  # the channel can send a verified phone number
    verified_phone: str | None = None  # E.164 the channel vouches for (an SMS sender's number)
    receipt: str | None = None  # the inbox key of the update: handled once, even after a crash
