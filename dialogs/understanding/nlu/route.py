"""From an understood message to the dialog that answers it, using the details it gave."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace

from dialogs.core.actions import (
    BookingAction,
    CertificatesAction,
    ContactsAction,
    RequestAction,
    ServicesAction,
)
from dialogs.core.i18n import N_
from dialogs.core.turn import Turn
from dialogs.types import Choice, Reply
from dialogs.understanding.nlu.entities import BOOKINGS
from dialogs.understanding.nlu.reader import Understood
from dialogs.understanding.search import find, which_one

Run = Callable[[Turn, str], Awaitable[Reply]]
BALTIC_LETTERS = frozenset("ąčęėįšųūžāēīķļņģ")

SIMPLE = {
    "my_bookings": "mybk",
    "cancel_booking": "mybk",
    "human": "human",
    "greeting": "menu",
    "help": "help",
    "language": "language",
}
LABELS = {
    "contacts": N_("Contacts"),
    "service_status": N_("Service availability"),
    "certificate": N_("Certificates"),
    "book_shower": N_("Bookings"),
    "book_laundry": N_("Bookings"),
    "my_bookings": N_("My bookings"),
    "cancel_booking": N_("My bookings"),
    "isolation_help": N_("Help at home"),
    "human": N_("Talk to a person"),
    "help": N_("Help"),
    "language": N_("Language"),
}


async def answer(turn: Turn, understood: Understood, run: Run) -> Reply | None:
    """The reply for the message's intent, or None when no dialog fits."""
    if understood.intent == "unknown" and understood.entities.get("needs"):
        # Food or medicines named, but no intent sure enough: never refused - the request
        # starts with them ticked, which asks whether that is what is wanted.
        understood = replace(understood, intent="isolation_help", alternative=None)
    # The resident wrote in another offered language; but plain Latin letters never take a
    # Russian conversation to lt or lv: that is Russian typed without Cyrillic ("nuzhna
    # pomosch"). Lithuanian or Latvian letters ("ačiū", "paldies, gribu uz dušu") do.
    latin_russian = (
        turn.language == "ru"
        and understood.lang in ("lt", "lv")
        and not any(letter in BALTIC_LETTERS for letter in understood.text.casefold())
    )
    if understood.lang_confident and understood.lang != turn.language and not latin_russian:
        municipality = turn.municipality
        if municipality is not None and understood.lang in municipality.languages:
            turn.language = understood.lang
    if understood.alternative is not None:
        return await _ask_which(turn, understood, run)
    action = _action(turn, understood)
    if action is None:
        return None
    if understood.intent == "isolation_help" and action == "human":
        # No requests taken here: the home-help service the words name, else whom to contact.
        found = find(turn, understood.text)
        return await run(turn, found[0].action if len(found) == 1 else action)
    if action.startswith(
        (
            f"{ContactsAction.DEPARTMENT}:",
            f"{ServicesAction.SERVICE}:",
            f"{ServicesAction.RESTRICTED}:",
            ContactsAction.CONTACTS,
        )
    ):
        return await _named_or(turn, understood, action, run)
    reply = await run(turn, action)
    return await _use_details(turn, understood, action, reply, run)


def _action(turn: Turn, understood: Understood) -> str | None:
    municipality = turn.require_municipality()
    intent = understood.intent
    if intent in ("my_bookings", "cancel_booking") and not municipality.facilities:
        # Nothing can be booked here: "atšaukti" is about the resident's requests, if any;
        # never when the words name the shower or laundry (that would offer to withdraw a food
        # request): then, and without requests, the answer says nothing can be booked here.
        if municipality.requests is not None and "facility" not in understood.entities:
            return RequestAction.MINE
        return BookingAction.BOOK
    if intent in SIMPLE:
        return SIMPLE[intent]
    if intent == "contacts":
        return "contacts"
    if intent == "service_status":
        return f"{ServicesAction.RESTRICTED}:now"
    if intent == "certificate":
        if municipality.certificates is not None:
            return f"{CertificatesAction.STATUS}:status"
        # Without either check here, the certificates answer says so and whom to ask.
        return "health" if municipality.health_rules else CertificatesAction.CERTIFICATES
    if intent in ("book_shower", "book_laundry"):
        facility = intent.removeprefix("book_")
        if not municipality.facilities:
            return BookingAction.BOOK  # which says plainly that nothing can be booked here
        has = any(f.id == facility for f in municipality.facilities)
        return f"{BookingAction.FACILITY}:{facility}" if has else None
    if intent == "isolation_help":
        return "rq" if municipality.requests is not None else "human"
    return None


def can_do(turn: Turn, intent: str) -> bool:
    """The assistant can do here what the intent wishes (book, take a request), not only point
    to someone: only then does the wish come before the names a message mentions."""
    municipality = turn.require_municipality()
    if intent in BOOKINGS.values():
        return any(BOOKINGS.get(f.id) == intent for f in municipality.facilities)
    if intent in ("my_bookings", "cancel_booking"):
        return bool(municipality.facilities) or municipality.requests is not None
    if intent == "isolation_help":
        return municipality.requests is not None
    return intent == "human"


async def _named_or(turn: Turn, understood: Understood, action: str, run: Run) -> Reply:
    """A department or service named in the message beats the general list."""
    found = find(
        turn, understood.text, departments=action == "contacts", services=action != "contacts"
    )
    if len(found) == 1:
        return await run(turn, found[0].action)
    if found:
        return which_one(turn, found)
    return await run(turn, action)


async def _use_details(
    turn: Turn, understood: Understood, action: str, reply: Reply, run: Run
) -> Reply:
    """Skip the questions the message already answered: the day to book, the needs."""
    entities = understood.entities
    if action.startswith(f"{BookingAction.FACILITY}:") and isinstance(entities.get("day"), str):
        return await run(turn, f"{BookingAction.DAY}:{entities['day']}")
    facility = entities.get("facility")
    if action == BookingAction.MINE and understood.intent == "cancel_booking" and facility:
        day = entities.get("day") or ""
        return await run(turn, f"{BookingAction.CANCEL_NAMED}:{facility}:{day}")
    needs = entities.get("needs")
    if action == "rq" and isinstance(needs, list) and needs:
        for need in needs:
            reply = await run(turn, f"{RequestAction.NEED}:{need}")
    return reply


async def _ask_which(turn: Turn, understood: Understood, run: Run) -> Reply:
    t = turn.t
    choices = []
    for intent in (understood.intent, understood.alternative):
        if intent is None:
            continue
        action = _action(turn, Understood(understood.text, None, False, intent, 0.0))
        if action is not None and intent in LABELS:
            choices.append(Choice(t._(LABELS[intent]), action))
    if len(choices) == 1:  # only one of the two can be done here: no question
        return await run(turn, choices[0].action)
    if not choices:
        return turn.reply(t._("Sorry, I did not understand that."))
    return turn.reply(t._("Did you mean one of these?"), choices)
