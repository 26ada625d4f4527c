"""The SMS channel's rules that must be atomic with the turn: STOP/START/HELP first, then flood
accounting (of unasked messages; answers only to a high ceiling), then MORE pages; and how
an answer becomes SMS pages (folded, numbered, paged)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from dialogs.core.actions import MenuAction
from dialogs.core.i18n import Translator
from dialogs.core.steps import Step
from dialogs.render.sms_pages import paged_text, paginate, sms_text
from dialogs.types import Channel, Incoming, Reply
from dialogs.understanding.keywords import keyword_action, says_thanks
from dialogs.understanding.text import fold as fold_words
from dialogs.understanding.text import match_label, match_label_words
from dialogs.understanding.yes_no import yes_or_no
from storage import sms
from storage.content import Municipality
from storage.conversations import Conversation
from storage.rows import Conn

# Twilio's default opt-out and opt-in keywords: the carrier acts on them whatever we answer, so
# no English label or expected answer is one of them (tests check it).
STOP_WORDS = frozenset({"stop", "stopall", "unsubscribe", "cancel", "end", "quit"})
START_WORDS = frozenset({"start", "unstop", "yes"})
CARRIER_KEYWORDS = STOP_WORDS | START_WORDS
HELP_WORDS = frozenset({"help", "info"})  # Twilio's; the dialogs' own help words count too
# The word each page's footer asks for, as written and as folded to GSM-7 ("ЕЩЕ" -> "ESHCHE"),
# and the ways people type it, folded (no case, no diacritics: "ЕЩЁ", "VAIRĀK" fold to these).
MORE_WORDS = frozenset(
    {
        "more",
        "daugiau",
        "vairak",
        "vairaak",
        "еще",
        "ещо",
        "eshche",
        "eshchyo",
        "eshcho",
        "esche",
        "eschyo",
        "escho",
        "eshe",
        "esho",
        "yeshche",
        "yesche",
        "ishcho",
        "dalee",
        "далее",
    }
)


# Steps where the assistant asked the resident for something (a value, or one of its choices in
# words); not the open ones (a search, a list of one's bookings) where anything may be typed.
ASKING_STEPS = frozenset(
    {
        Step.MUNICIPALITY,
        Step.LANGUAGE,
        Step.NEEDS,
        Step.DETAILS,
        Step.ADDRESS,
        Step.KEEP,
        Step.PHONE,
        Step.URGENCY,
        Step.CONFIRM,
        Step.FACILITY,
        Step.DAY,
        Step.FULL,
        Step.CERTIFICATE,
        Step.ISSUED,
        Step.KIND,
        Step.VISIT,
        Step.NEED_PHONE,
    }
)


# A message the assistant sends on its own (a reminder, an offer, a notice) goes whole, not in
# pages asking for MORE: Twilio joins up to 10 segments into one message on the phone.
NOTICE_SEGMENTS = 10


@dataclass(frozen=True)
class SmsPolicy:
    """Flood control and page budget (SMS_FLOOD_LIMIT, SMS_MAX_SEGMENTS)."""

    flood_limit: int = 10  # unasked messages (not answers, not MORE) a number may send in `window`
    # Every message, answers included, in `window`: a person answering questions by SMS does
    # not type one every 12 seconds for 10 minutes; a script or a looping autoresponder does.
    total_limit: int = 50
    window: timedelta = timedelta(minutes=10)
    mute: timedelta = timedelta(minutes=30)  # silence after the one flood notice
    max_segments: int = 2  # an answer longer than this comes in pages
    max_body: int = 1600  # Twilio's limit; a longer body is read to here

    def limits(self) -> sms.FloodLimits:
        """The limits as storage counts them."""
        return sms.FloodLimits(self.flood_limit, self.total_limit, self.window, self.mute)


@dataclass
class Screening:
    """What the policy decided before the dialog: its own answer, or the text to go on with."""

    done: bool = False  # the policy answered (or stays silent): the dialog does not run
    replies: list[Reply] = field(default_factory=list)  # to render (before the dialog's)
    page: str | None = None  # a stored page, sent as it is
    text: str = ""


async def screen(
    conn: Conn,
    incoming: Incoming,
    conversation: Conversation,
    t: Translator,
    policy: SmsPolicy,
    now: datetime,
) -> Screening:
    """STOP/START/HELP (real SMS, never limited), flood accounting (real SMS), MORE, a body
    over the limit."""
    word = fold_words(incoming.text)
    if incoming.channel == Channel.SMS:
        if word in STOP_WORDS:
            await sms.set_opted_out(conn, incoming.address, now)
            text = t._("You will get no more notifications. Send START to get them again.")
            return Screening(done=True, replies=[Reply(text)])
        # "yes" is Twilio's opt-in too, but to a number that never stopped it is an answer.
        if word in START_WORDS and (word != "yes" or await sms.opted_out(conn, incoming.address)):
            await sms.set_opted_out(conn, incoming.address, None)
            return Screening(done=True, replies=[Reply(t._("Notifications are on again."))])
        if word in HELP_WORDS or keyword_action(incoming.text) == MenuAction.HELP:
            until = await sms.muted_until(conn, incoming.address, now)
            notice = [] if until is None else [_flood_notice(t, until)]
            return Screening(replies=notice, text=incoming.text)
    more = word in MORE_WORDS and bool(conversation.pages)
    # A waiting page is never counted, not even while muted: the pages are bounded by the
    # answers that were (the HELP text included).
    if incoming.channel == Channel.SMS and not more:
        unasked = not _answers_a_question(incoming.text, conversation)
        flood = await sms.count_message(
            conn, incoming.address, now, policy.limits(), unasked=unasked
        )
        if flood.verdict == sms.FloodVerdict.MUTED:
            return Screening(done=True)
        if flood.verdict == sms.FloodVerdict.NOTICE and flood.muted_until is not None:
            return Screening(done=True, replies=[_flood_notice(t, flood.muted_until)])
    if word in MORE_WORDS:
        if not conversation.pages:
            return Screening(done=True, replies=[Reply(t._("There is nothing more."))])
        return Screening(done=True, page=conversation.pages.pop(0))
    if len(incoming.text) > policy.max_body:
        lead = Reply(t._("Your message was long: I read its beginning."))
        return Screening(replies=[lead], text=incoming.text[: policy.max_body])
    return Screening(text=incoming.text)


def _answers_a_question(text: str, conversation: Conversation) -> bool:
    """True for a choice on screen (its number, label or the beginnings of its words, or a yes
    or no to it), a word of the assistant's own (menu, help, thanks), or any text at a step
    where the assistant asked for something (an address, a date, the municipality): a
    resident finding their way is never counted as a flood."""
    labels = [label for label, _ in conversation.choices]
    if match_label(text, labels) is not None or match_label_words(text, labels) is not None:
        return True
    if yes_or_no(text) is not None or keyword_action(text) is not None or says_thanks(text):
        return True
    return conversation.step in ASKING_STEPS


def _flood_notice(t: Translator, until: datetime) -> Reply:
    text = t.fill("Too many messages. You can write again at %(time)s.", time=t.time(until))
    emergency = t._("In an emergency call 112.")
    return Reply(f"{text} {emergency}")


def pages(
    replies: Sequence[Reply],
    t: Translator,
    municipality: Municipality | None,
    max_segments: int,
) -> list[str]:
    """The replies as SMS pages: choices numbered, text folded to GSM-7 (Russian transliterated
    unless the municipality keeps Cyrillic), each page within `max_segments`."""
    transliterate = municipality is None or municipality.sms_russian == "transliterate"
    more = sms_text(Reply(t._("Reply MORE for the rest.")), transliterate)
    parts = (paged_text(reply, transliterate, max_segments, more) for reply in replies)
    text = "\n\n".join(part for part in parts if part)
    return paginate(text, max_segments, more) if text else []
