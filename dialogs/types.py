"""The only module channels need: Incoming (with who acts), Replies with Choices, Outcome."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

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
class Reply:
    """One message to the resident."""

    text: str
    choices: tuple[Choice, ...] = ()
    ask_phone: str | None = None  # label of a "share my phone" button, where the channel has one
    voice: str | None = None  # a voice note passed on (Telegram's file id); the text is its caption
    back: str | None = None  # the word for "0 = back" where choices are numbered (SMS, terminal)


class Channel(StrEnum):
    """Where messages come from and go to; a destination is a channel and an address."""

    TELEGRAM = "telegram"  # a private chat, addressed by user id
    TELEGRAM_GROUP = "tgroup"  # a staff group chat, addressed by chat id
    SMS = "sms"  # a phone number, E.164
    CONSOLE = "console"  # a terminal user's name


class StaffCommand(StrEnum):
    """What a staff member can ask for (commands and card buttons)."""

    JOIN = "join"  # /start staff-CODE: redeem an invite
    BIND = "bind"  # /bind QUEUE in a group
    QUEUE = "queue"  # open requests
    MINE = "my"  # the member's own taken requests
    TODAY = "today"  # today's bookings
    SERVICE = "service"  # set a service's status
    INVITE = "invite"  # a supervisor's one-time invite for a colleague
    HELP = "help"  # the commands this member may use (others get the residents' help)
    DESK = "desk"  # a one-time sign-in link to the web desk, in the member's private chat
    CARD = "card"  # a button on a request card


@dataclass(frozen=True)
class StaffCall:
    """A staff member acting: who (the user, as the channel knows them) and what. The chat it
    came from is the Incoming's channel and address; the pipeline authorizes both."""

    command: StaffCommand
    user_id: str
    name: str | None = None
    args: tuple[str, ...] = ()


@dataclass(frozen=True)
class Receipt:
    """The inbox key of an update (Telegram update_id, Twilio MessageSid): handled once."""

    channel: str
    key: str


class MediaKind(StrEnum):
    """What a message carried besides text."""

    VOICE = "voice"  # a voice note or an audio file
    LOCATION = "location"
    PHOTO = "photo"
    STICKER = "sticker"
    DOCUMENT = "document"
    VIDEO = "video"
    OTHER = "other"  # a poll, a game, a dice...: something the assistant cannot read


@dataclass(frozen=True)
class Attachment:
    """What came with a message: its kind, the channel's id of the file (to pass it on), and
    the coordinates of a shared location."""

    kind: MediaKind
    file_id: str | None = None
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True)
class Incoming:
    """One message: a resident's text, pressed choice or start of a chat, or a staff call.

    (channel, address) is the chat it came from, where the answers go."""

    channel: str
    address: str
    text: str = ""
    action: str | None = None
    start: bool = False
    reopened: bool = False  # a chat opened again (the terminal restarted): resume, not greet
    language_hint: str | None = None
    shared_phone: str | None = None  # a contact card the resident sent
    shared_phone_is_own: bool = False  # the card is the sender's own (checked by the channel)
    can_share_phone: bool = False  # the channel can send a verified phone number
    verified_phone: str | None = None  # E.164 the channel vouches for (an SMS sender's number)
    receipt: Receipt | None = None  # handled once, even after a crash
    staff: StaffCall | None = None  # a staff member acts (None: a resident)
    edit: int | None = None  # the message whose button was pressed: the answer replaces it
    sms: bool = False  # answer as an SMS: folded, numbered, in pages with MORE
    inline: bool = False  # the channel gives the answer in its own response (TwiML)
    attachment: Attachment | None = None  # a voice note, a location, a photo...
    edited: bool = False  # the resident changed a message sent before


@dataclass(frozen=True)
class Outgoing:
    """A message leaving through a channel (rendered by the channel)."""

    channel: str
    address: str
    reply: Reply
    edit: int | None = None


@dataclass(frozen=True)
class Outcome:
    """What a turn answered. The replies are in the outbox already, unless `saved` is False
    (the database could not take them: the channel gives them itself, once)."""

    replies: tuple[Reply, ...] = ()
    saved: bool = True
    notice: str | None = None  # a short acknowledgement of a pressed button
    alert: bool = False  # the notice is a refusal, shown so it is read
    erased: bool = False  # the resident's data was erased: the answer leaves no trace once sent
    repeated: bool = False  # the update was handled before: its answers given again
