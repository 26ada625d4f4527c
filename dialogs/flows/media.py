"""What residents send besides text: a voice note and a location go to a request; a photo, a
sticker, a file or a video get a short answer that says what the assistant can read."""

from __future__ import annotations

from dialogs.core.i18n import N_
from dialogs.core.turn import Turn
from dialogs.flows import onboarding
from dialogs.flows.requests import progress
from dialogs.types import Attachment, MediaKind, Reply

LEADS = {
    MediaKind.VOICE: N_("I cannot listen to voice messages."),
    MediaKind.LOCATION: N_("I need a location only when I ask for your address."),
    MediaKind.PHOTO: N_("I cannot look at photos."),
    MediaKind.STICKER: N_("Thank you for the sticker!"),
    MediaKind.DOCUMENT: N_("I cannot open files."),
    MediaKind.VIDEO: N_("I cannot watch videos."),
    MediaKind.OTHER: N_("I cannot read this kind of message."),
}


def answer(turn: Turn, attachment: Attachment) -> Reply | str:
    """The answer to a message without text: a Reply, or a lead to say with the last choices."""
    if onboarding.needs_setup(turn):
        return cannot_read(turn, attachment.kind)
    if attachment.kind == MediaKind.VOICE and attachment.file_id:
        return progress.receive_voice(turn, attachment.file_id)
    if attachment.latitude is not None and attachment.longitude is not None:
        reply = progress.receive_location(turn, attachment.latitude, attachment.longitude)
        if reply is not None:
            return reply
    return cannot_read(turn, attachment.kind)


def cannot_read(turn: Turn, kind: MediaKind) -> str:
    """What the assistant cannot read, and what it can."""
    t = turn.t
    can = t._("I read text and buttons: please write in words or choose a number.")
    return f"{t._(LEADS[kind])} {can}"
