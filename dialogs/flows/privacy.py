"""`/forget`: a resident erases their personal data (after a confirmation)."""

from __future__ import annotations

from dialogs.core.actions import PrivacyAction
from dialogs.core.turn import Handler, Turn
from dialogs.flows.booking.changes import cancel_booking, leave_waitlist
from dialogs.flows.requests.changes import withdraw_request
from dialogs.types import Choice, Reply
from storage import bookings, privacy, requests, waitlist


async def ask(turn: Turn, _: str) -> Reply:
    """Say what will be erased, and ask."""
    t = turn.t
    text = t._(
        "This erases your phone number, address, settings and conversation, cancels your "
        "bookings and waiting-list places, withdraws your open requests (no one will come "
        "for them) and removes your contacts from your requests. Erase?"
    )
    return turn.reply(text, [Choice(t._("Erase my data"), PrivacyAction.ERASE)])


async def erase(turn: Turn, _: str) -> Reply:
    """Erase, then say goodbye in the language the resident used."""
    text = turn.t._(
        "Your personal data is erased. If you write again, we start from the beginning."
    )
    conn, now, minutes = turn.connection, turn.now, turn.policy.offer_minutes
    # The same changes as a cancel, a decline and a withdraw: places go to the waiting list,
    # staff hear of withdrawn requests. Then what identifies the resident is erased.
    for booking in await bookings.active_of(conn, turn.resident_id):
        await cancel_booking(conn, turn.content, turn.catalogs, booking, now, minutes)
    for entry in await waitlist.open_of(conn, turn.resident_id):
        await leave_waitlist(conn, turn.content, turn.catalogs, entry, "left", now, minutes)
    for request in await requests.open_of(conn, turn.resident_id):
        await withdraw_request(conn, turn.content, turn.catalogs, request, now)
    await privacy.forget(conn, turn.resident_id, now)
    turn.forgotten = True
    return Reply(text)


ACTIONS: dict[str, Handler] = {PrivacyAction.FORGET: ask, PrivacyAction.ERASE: erase}
