"""What a Telegram message carries besides text, as the dialogs' Attachment (parsing only:
the dialogs decide what to answer)."""

from __future__ import annotations

from telegram import Message

from dialogs.types import Attachment, MediaKind


def attachment(message: Message) -> Attachment | None:
    """The voice note, location, photo, sticker, file or video of a message; None for text."""
    if message.voice is not None:
        return Attachment(MediaKind.VOICE, message.voice.file_id)
    if message.location is not None:  # a venue carries its location too
        location = message.location
        return Attachment(
            MediaKind.LOCATION, latitude=location.latitude, longitude=location.longitude
        )
    if message.photo:
        return Attachment(MediaKind.PHOTO, message.photo[-1].file_id)  # the largest size
    if message.sticker is not None:
        return Attachment(MediaKind.STICKER, message.sticker.file_id)
    media = message.video or message.video_note or message.animation
    if media is not None:  # an animation carries a document too: it is checked first
        return Attachment(MediaKind.VIDEO, media.file_id)
    document = message.document or message.audio
    if document is not None:
        return Attachment(MediaKind.DOCUMENT, document.file_id)
    if message.text is None and message.caption is None:
        return Attachment(MediaKind.OTHER)  # a poll, a dice, a game...
    return None
