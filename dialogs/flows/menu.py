"""The main menu, help, and the answer to anything not understood."""

from __future__ import annotations

from babel.lists import format_list

from dialogs.core.actions import (
    BookingAction,
    CertificatesAction,
    ContactsAction,
    MenuAction,
    PhoneAction,
    RequestAction,
    ServicesAction,
    SetupAction,
)
from dialogs.core.i18n import N_
from dialogs.core.state import FallbackState
from dialogs.core.steps import Dialog
from dialogs.core.turn import Handler, Turn
from dialogs.types import Choice, Reply

MENU_ITEMS = (
    (N_("Contacts"), ContactsAction.CONTACTS),
    (N_("Service availability"), ServicesAction.SERVICES),
    (N_("Help"), MenuAction.HELP),
    (N_("Language"), SetupAction.CHANGE_LANGUAGE),
    (N_("Municipality"), SetupAction.CHANGE_MUNICIPALITY),
)
PHONE_ITEM = (N_("My phone number"), PhoneAction.PHONE)  # only where the channel can share one
CERTIFICATES_ITEM = (
    N_("Certificates"),
    CertificatesAction.CERTIFICATES,
)  # where the content has a register
BOOKING_ITEM = (N_("Bookings"), BookingAction.BOOK)  # where the content has facilities
REQUEST_ITEM = (
    N_("Help at home"),
    RequestAction.REQUEST,
)  # where the content sends requests to staff


def menu_choices(turn: Turn) -> tuple[Choice, ...]:
    """The main menu's choices in the resident's language."""
    items = list(MENU_ITEMS)
    if turn.municipality is not None and turn.municipality.checks_certificates:
        items.insert(2, CERTIFICATES_ITEM)
    if turn.municipality is not None and turn.municipality.facilities:
        items.insert(2, BOOKING_ITEM)
    if turn.municipality is not None and turn.municipality.requests is not None:
        items.insert(2, REQUEST_ITEM)
    if turn.can_share_phone:
        items.append(PHONE_ITEM)
    return tuple(Choice(turn.t._(label), action) for label, action in items)


def menu_reply(turn: Turn, lead: str = "") -> Reply:
    """The main menu, after an optional first paragraph."""
    turn.go(Dialog.MENU)
    assert turn.municipality is not None
    question = turn.t.fill(
        "%(name)s. What would you like to know?", name=turn.text(turn.municipality.name)
    )
    return Reply("\n\n".join(part for part in (lead, question) if part), menu_choices(turn))


async def show_menu(turn: Turn, _: str) -> Reply:
    """Show the main menu."""
    return menu_reply(turn)


async def show_help(turn: Turn, _: str) -> Reply:
    """Explain what the assistant does here and how to talk to it."""
    t = turn.t
    paragraphs = [
        t._(
            "Reply with the number of a choice, or write a word: "
            "menu, contacts, services, restrictions, language, municipality, help. "
            'You can also write what you need, for example "home help".'
        ),
        t._("In an emergency call 112."),
    ]
    if turn.municipality is None:
        return turn.reply("\n\n".join(paragraphs), menu=False)
    topics = ", ".join(t._(topic) for topic in _topics(turn))
    person = (
        t._('Write "talk to a person" to be called back, or "forget me" to erase your data.')
        if turn.municipality.requests is not None
        else t._(
            'Write "talk to a person" to learn whom to contact, or "forget me" to erase your data.'
        )
    )
    lead = t.fill("Here I help with: %(topics)s.", topics=topics)
    return menu_reply(turn, "\n\n".join([lead, paragraphs[0], person, paragraphs[1]]))


MISSES_BEFORE_PERSON = 3  # messages in a row not understood before a person is put first


def not_understood(turn: Turn, out_of_scope: bool = False) -> Reply:
    """A friendly answer to text nothing understood: the menu, and a person to talk to (put
    first, and asked about, after a few misses in a row)."""
    t = turn.t
    fallback = turn.state(FallbackState)
    fallback.misses = 1 if turn.timed_out else fallback.misses + 1
    lead = t._("Sorry, I did not understand that.")
    if out_of_scope:
        topics = format_list([t._(topic) for topic in _topics(turn)], locale=t.lang)
        lead = " ".join(
            (
                t.fill(
                    "Sorry, I can only help with the social services: %(topics)s.", topics=topics
                ),
                t._("You can also talk to a person."),
            )
        )
    person = Choice(t._("Talk to a person"), RequestAction.CALL_BACK)
    if turn.timed_out:
        lead = t._("We have not talked for a while, so let us start again from the menu.")
    elif fallback.misses >= MISSES_BEFORE_PERSON:
        lead = t._("Sorry, I still do not understand. Would you like to talk to a person?")
        reply = menu_reply(turn, lead)
        return Reply(reply.text, (person, *reply.choices))
    reply = menu_reply(turn, lead)
    return Reply(reply.text, (*reply.choices, person))


def _topics(turn: Turn) -> list[str]:
    """What the assistant does in this municipality, as the menu offers it."""
    municipality = turn.require_municipality()
    topics = [N_("contacts"), N_("service availability")]
    if municipality.checks_certificates:
        topics.append(N_("certificates"))
    if municipality.facilities:
        topics.append(N_("bookings"))
    if municipality.requests is not None:
        topics.append(N_("help at home"))
    return topics


async def thanks(turn: Turn, _: str) -> Reply:
    """A thank-you: answered kindly, with the menu for whatever comes next."""
    return menu_reply(turn, turn.t._("You are welcome! Write whenever you need something."))


ACTIONS: dict[str, Handler] = {
    MenuAction.MENU: show_menu,
    MenuAction.HELP: show_help,
    MenuAction.THANKS: thanks,
}
