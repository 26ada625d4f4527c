"""The resident's own phone number, shared from the channel (a Telegram contact card)."""

from __future__ import annotations

import logging

from dialogs.core.actions import PhoneAction
from dialogs.core.steps import Dialog, Step
from dialogs.core.turn import Handler, Turn
from dialogs.flows import certificates
from dialogs.flows.menu import menu_reply
from dialogs.flows.onboarding import needs_setup, prompt
from dialogs.flows.requests import dialog as isolation
from dialogs.types import Reply
from storage import residents
from storage.content import Phone
from storage.phones import e164

log = logging.getLogger(__name__)


async def ask(turn: Turn, _: str) -> Reply:
    """Explain why the number helps, and offer the channel's share button."""
    t = turn.t
    if not turn.can_share_phone:
        return menu_reply(
            turn,
            t._(
                "Here the assistant cannot receive a phone number. "
                "On Telegram you can share it with one button."
            ),
        )
    turn.go(Dialog.PHONE)
    lead = ""
    if turn.phone:
        lead = (
            t._("Your verified phone number: %(phone)s.")
            % {"phone": Phone(turn.phone, "").international()}
            + "\n"
        )
    text = lead + t._(
        "With your phone number the assistant can find your certificates and bookings. "
        "Press the button below to share it; only your own number is accepted. "
        'Or write "menu".'
    )
    return Reply(text, ask_phone=t._("Share my phone number"))


async def receive(turn: Turn, raw: str, own: bool) -> Reply:
    """Store the sender's own number as verified; refuse anyone else's card."""
    t = turn.t
    if needs_setup(turn):
        return prompt(turn)
    if not own:
        log.info("a contact card that is not the sender's own was refused")
        return Reply(
            t._(
                "This is someone else's contact. For your safety I only accept your own "
                "phone number: press the button below."
            ),
            ask_phone=t._("Share my phone number"),
        )
    e164 = _parse(raw)
    if e164 is None:
        return menu_reply(turn, t._("Sorry, I could not read this phone number."))
    turn.resident_id = await residents.verify_phone(
        turn.connection, turn.conversation.channel, turn.conversation.address, e164
    )
    turn.phone = e164
    if (
        turn.conversation.dialog == Dialog.CERTIFICATES
        and turn.conversation.step == Step.NEED_PHONE
    ):
        return await certificates.show_status(turn, "")  # continue where the resident was
    if turn.conversation.dialog == Dialog.REQUEST and turn.conversation.step == Step.PHONE:
        return isolation.ask_phone(turn)  # the request goes on with the shared number
    return menu_reply(
        turn,
        t._("Thank you. Your phone number %(phone)s is saved.")
        % {"phone": Phone(e164, "").international()},
    )


def _parse(raw: str) -> str | None:
    # Telegram sends the number with or without "+"; it is always international.
    text = raw.strip()
    return e164(text if text.startswith("+") else f"+{text}")


ACTIONS: dict[str, Handler] = {PhoneAction.PHONE: ask}
