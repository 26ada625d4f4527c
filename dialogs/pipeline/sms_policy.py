"""The SMS channel's rules that must be atomic with the turn: STOP/START first, then flood
accounting, then MORE pages; and how an answer becomes SMS pages (folded, numbered, paged)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import aiosqlite

from dialogs.core.i18n import Translator
from dialogs.render.sms_pages import paginate, sms_text
from dialogs.types import Channel, Incoming, Reply
from dialogs.understanding.text import fold as fold_words
from storage import sms
from storage.content import Municipality
from storage.conversations import Conversation

STOP_WORDS = frozenset({"stop", "stopall", "unsubscribe", "cancel", "end", "quit"})
START_WORDS = frozenset({"start", "unstop", "yes"})
# The word each page's footer asks for, as written and as folded to GSM-7 ("ЕЩЕ" -> "ESHCHE"),
# and the ways people type it.
MORE_WORDS = frozenset(
    {"more", "daugiau", "vairak", "еще", "eshche", "eshchyo", "esche", "eshe", "dalee", "далее"}
)


@dataclass(frozen=True)
class SmsPolicy:
    """Flood control and page budget (SMS_FLOOD_LIMIT, SMS_MAX_SEGMENTS)."""

    flood_limit: int = 10  # messages a number may send in `window`
    window: timedelta = timedelta(minutes=10)
    mute: timedelta = timedelta(minutes=30)  # silence after the one flood notice
    max_segments: int = 2  # an answer longer than this comes in pages
    max_body: int = 1600  # Twilio's limit; a longer body is read to here


@dataclass
class Screening:
    """What the policy decided before the dialog: its own answer, or the text to go on with."""

    done: bool = False  # the policy answered (or stays silent): the dialog does not run
    replies: list[Reply] = field(default_factory=list)  # to render (before the dialog's)
    page: str | None = None  # a stored page, sent as it is
    text: str = ""


async def screen(
    conn: aiosqlite.Connection,
    incoming: Incoming,
    conversation: Conversation,
    t: Translator,
    policy: SmsPolicy,
    now: datetime,
) -> Screening:
    """STOP/START (real SMS), flood accounting (real SMS), MORE, a body over the limit."""
    word = fold_words(incoming.text)
    if incoming.channel == Channel.SMS:
        if word in STOP_WORDS:
            await sms.set_opted_out(conn, incoming.address, now)
            text = t._("You will get no more notifications. Send START to get them again.")
            return Screening(done=True, replies=[Reply(text)])
        if word in START_WORDS:
            await sms.set_opted_out(conn, incoming.address, None)
            return Screening(done=True, replies=[Reply(t._("Notifications are on again."))])
        verdict = await sms.count_message(
            conn, incoming.address, now, policy.flood_limit, policy.window, policy.mute
        )
        if verdict == sms.FloodVerdict.MUTED:
            return Screening(done=True)
        if verdict == sms.FloodVerdict.NOTICE:
            text = t._("Too many messages. Please wait a while and write again.")
            return Screening(done=True, replies=[Reply(text)])
    if word in MORE_WORDS:
        if not conversation.pages:
            return Screening(done=True, replies=[Reply(t._("There is nothing more."))])
        return Screening(done=True, page=conversation.pages.pop(0))
    if len(incoming.text) > policy.max_body:
        lead = Reply(t._("Your message was long: I read its beginning."))
        return Screening(replies=[lead], text=incoming.text[: policy.max_body])
    return Screening(text=incoming.text)


def pages(
    replies: Sequence[Reply],
    t: Translator,
    municipality: Municipality | None,
    max_segments: int,
) -> list[str]:
    """The replies as SMS pages: choices numbered, text folded to GSM-7 (Russian transliterated
    unless the municipality keeps Cyrillic), each page within `max_segments`."""
    transliterate = municipality is None or municipality.sms_russian == "transliterate"
    text = "\n\n".join(sms_text(reply, transliterate) for reply in replies)
    if not text:
        return []
    more = sms_text(Reply(t._("Reply MORE for the rest.")), transliterate)
    return paginate(text, max_segments, more)
