"""The resident's bookings: list, cancel with confirmation, and answers to waiting-list offers."""

from __future__ import annotations

from dataclasses import replace

from dialogs.core.actions import BookingAction
from dialogs.core.steps import Dialog, Step
from dialogs.core.turn import Handler, Turn
from dialogs.flows.booking.changes import cancel_booking, leave_waitlist
from dialogs.flows.booking.choose import book_offered
from dialogs.flows.booking.offers import day_label, facility_name
from dialogs.types import Choice, Reply
from dialogs.understanding.text import parse_id
from storage import bookings, waitlist


async def show(turn: Turn, _: str) -> Reply:
    """Bookings from today on, places held by an offer and waiting-list places, each with
    what the resident can do about it."""
    municipality = turn.require_municipality()
    t = turn.t
    turn.go(Dialog.BOOKING, Step.MINE, back=BookingAction.BOOK)
    mine = await bookings.active_for(turn.connection, turn.resident_id, municipality.id, turn.today)
    waiting = [
        entry
        for entry in await waitlist.open_of(turn.connection, turn.resident_id)
        if entry.municipality_id == municipality.id
    ]
    if not mine and not waiting:
        return turn.reply(t._("You have no bookings."), [Choice(t._("Book"), BookingAction.BOOK)])
    lines, choices = [], []
    if mine:
        lines.append(t._("Your bookings:"))
    for booking in mine:
        name = facility_name(t, municipality, booking.facility_id)
        lines.append(f"• {name}: {day_label(t, booking.day)}")
        label = t.fill(
            "Call off: %(facility)s, %(day)s", facility=name, day=t.day_month(booking.day)
        )
        choices.append(Choice(label, f"{BookingAction.CANCEL}:{booking.id}"))
    for entry in waiting:
        line, entry_choices = await _waiting_line(turn, entry)
        lines.append(line)
        choices.extend(entry_choices)
    return turn.reply("\n".join(lines), choices)


async def _waiting_line(turn: Turn, entry: waitlist.Entry) -> tuple[str, list[Choice]]:
    """A waiting-list place: the offer that holds a place (take it or pass it on), or the
    place in line (leave it)."""
    t = turn.t
    name = facility_name(t, turn.require_municipality(), entry.facility_id)
    day = day_label(t, entry.day)
    short = t.day_month(entry.day)
    if entry.status == "offered" and entry.offer_expires_at is not None:
        line = t.fill(
            "• A place is held for you: %(facility)s, %(day)s, until %(until)s.",
            facility=name,
            day=day,
            until=t.moment(entry.offer_expires_at),
        )
        return line, [
            Choice(
                t.fill("Book it: %(facility)s, %(day)s", facility=name, day=short),
                f"{BookingAction.OFFER_YES}:{entry.id}",
            ),
            Choice(
                t.fill("Pass it on: %(facility)s, %(day)s", facility=name, day=short),
                f"{BookingAction.OFFER_NO}:{entry.id}",
            ),
        ]
    place = await waitlist.place_in_line(turn.connection, entry)
    line = t.fill(
        "• Waiting list: %(facility)s, %(day)s (number %(place)s in line).",
        facility=name,
        day=day,
        place=place,
    )
    label = t.fill("Leave the waiting list: %(facility)s, %(day)s", facility=name, day=short)
    return line, [Choice(label, f"{BookingAction.LEAVE_WAITLIST}:{entry.id}")]


async def confirm_cancel(turn: Turn, booking_id: str) -> Reply:
    """Ask before cancelling."""
    booking = await _own_booking(turn, booking_id)
    if booking is None:
        return await show(turn, "")
    t = turn.t
    name = facility_name(t, turn.require_municipality(), booking.facility_id)
    text = t.fill("Call off %(facility)s on %(day)s?", facility=name, day=day_label(t, booking.day))
    choices = [
        Choice(t._("Call it off"), f"{BookingAction.CANCEL_CONFIRMED}:{booking.id}"),
        Choice(t._("No, keep it"), BookingAction.KEEP),
    ]
    return turn.reply(text, choices)


async def cancel_named(turn: Turn, argument: str) -> Reply:
    """ "Ne pridu v ponedelnik na dush": the one booking the words name ("shower:2021-11-08",
    the day may be empty) asked about at once; several or none: the list."""
    facility, _, day = argument.partition(":")
    municipality = turn.require_municipality()
    mine = await bookings.active_for(turn.connection, turn.resident_id, municipality.id, turn.today)
    of_facility = [booking for booking in mine if booking.facility_id == facility]
    named = [booking for booking in of_facility if booking.day.isoformat() == day]
    # A day that fits none ("v ponedelnik" said of next Monday's): the facility's one booking,
    # asked about with its date.
    named = named or of_facility
    if len(named) == 1:
        return await confirm_cancel(turn, str(named[0].id))
    return await show(turn, "")


async def cancel(turn: Turn, booking_id: str) -> Reply:
    """Cancel, withdraw the reminder, and offer the place to the first on the waiting list."""
    booking = await _own_booking(turn, booking_id)
    t = turn.t
    if booking is None or not await cancel_booking(
        turn.connection, turn.content, turn.catalogs, booking, turn.now, turn.policy.offer_minutes
    ):
        return await show(turn, "")
    turn.go(Dialog.MENU)
    return turn.reply(
        t._("Your booking is cancelled."), [Choice(t._("My bookings"), BookingAction.MINE)]
    )


async def accept_offer(turn: Turn, entry_id: str) -> Reply:
    """Take the place held for the resident, if the offer still stands."""
    entry = await _own_offer(turn, entry_id)
    if entry is None:
        return turn.reply(turn.t._("This offer is no longer open."))
    return await book_offered(turn, entry)


async def decline_offer(turn: Turn, entry_id: str) -> Reply:
    """Give the held place to the next in line."""
    entry = await _own_offer(turn, entry_id)
    t = turn.t
    if entry is None or not await leave_waitlist(
        turn.connection,
        turn.content,
        turn.catalogs,
        entry,
        "declined",
        turn.now,
        turn.policy.offer_minutes,
    ):
        return turn.reply(t._("This offer is no longer open."))
    return turn.reply(t._("All right, the place goes to the next person."))


async def keep(turn: Turn, _: str) -> Reply:
    """ "No, keep it": say the booking stays, and show the bookings."""
    reply = await show(turn, "")
    stays = turn.t._("All right, your booking stays.")
    return replace(reply, text=f"{stays}\n\n{reply.text}")


async def leave(turn: Turn, entry_id: str) -> Reply:
    """Leave a waiting list the resident is on."""
    number = parse_id(entry_id)
    entry = await waitlist.get(turn.connection, number) if number is not None else None
    t = turn.t
    if (
        entry is None
        or entry.resident_id != turn.resident_id
        or not await leave_waitlist(
            turn.connection,
            turn.content,
            turn.catalogs,
            entry,
            "left",
            turn.now,
            turn.policy.offer_minutes,
        )
    ):
        return await show(turn, "")
    turn.go(Dialog.MENU)
    return turn.reply(
        t._("You have left the waiting list."), [Choice(t._("My bookings"), BookingAction.MINE)]
    )


async def _own_booking(turn: Turn, booking_id: str) -> bookings.Booking | None:
    """The booking, only if it is this resident's and still active (never trust the id)."""
    number = parse_id(booking_id)
    booking = await bookings.get(turn.connection, number) if number is not None else None
    if booking is None or booking.resident_id != turn.resident_id or booking.status != "active":
        return None
    return booking


async def _own_offer(turn: Turn, entry_id: str) -> waitlist.Entry | None:
    number = parse_id(entry_id)
    entry = await waitlist.get(turn.connection, number) if number is not None else None
    if entry is None or entry.resident_id != turn.resident_id or entry.status != "offered":
        return None
    return entry


ACTIONS: dict[str, Handler] = {
    BookingAction.MINE: show,
    BookingAction.KEEP: keep,
    BookingAction.LEAVE_WAITLIST: leave,
    BookingAction.CANCEL: confirm_cancel,
    BookingAction.CANCEL_NAMED: cancel_named,
    BookingAction.CANCEL_CONFIRMED: cancel,
    BookingAction.OFFER_YES: accept_offer,
    BookingAction.OFFER_NO: decline_offer,
}
