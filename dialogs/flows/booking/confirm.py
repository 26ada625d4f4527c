"""Writing a booking: the row (the database checks capacity), the reminder, the confirmation."""

from __future__ import annotations

from datetime import date, time, timedelta

from dialogs.core.actions import BookingAction
from dialogs.core.state import BookingState
from dialogs.core.steps import Dialog, Step
from dialogs.core.turn import Turn
from dialogs.flows.booking.offers import day_label, facility_name
from dialogs.types import Choice, Reply
from dialogs.understanding.dates import local_datetime
from storage import bookings, outbox, waitlist
from storage.content import Facility, Municipality
from storage.times import stamp


async def confirm_booking(
    turn: Turn,
    municipality: Municipality,
    facility: Facility,
    day: date,
    certificate: str | None,
    *,
    contactless: bool,
) -> Reply:
    """Book, or say why not (someone was quicker: the waiting list is offered)."""
    t = turn.t
    new = bookings.NewBooking(
        municipality.id,
        facility.id,
        day,
        turn.resident_id,
        turn.conversation.channel,
        turn.conversation.address,
        facility.places_per_day,
        certificate,
        contactless,
    )
    try:
        booking_id = await bookings.book(turn.connection, new, turn.now)
    except bookings.FacilityFullError:
        turn.go(Dialog.BOOKING, Step.FULL, back=BookingAction.BOOK)
        text = t.fill(
            "%(day)s is full. Shall I put you on the waiting list?", day=day_label(t, day)
        )
        choices = [
            Choice(t._("Join the waiting list"), f"{BookingAction.WAITLIST}:{day.isoformat()}"),
            Choice(t._("Other days"), f"{BookingAction.FACILITY}:{facility.id}"),
        ]
        return turn.reply(text, choices)
    except bookings.AlreadyBookedError:
        return turn.reply(
            t.fill("You already have a booking for %(day)s.", day=t.date(day)),
            [Choice(t._("My bookings"), BookingAction.MINE)],
        )
    state = turn.state(BookingState)
    if state.offer is not None and state.holds(facility.id, day.isoformat()):
        await waitlist.close(turn.connection, state.offer, "accepted")  # the held place is booked
        state.offer = state.offer_for = None
    name = facility_name(t, municipality, facility.id)
    lines = [t.fill("Booked: %(facility)s, %(day)s.", facility=name, day=day_label(t, day))]
    if contactless:
        lines.append(
            t._("Without a certificate the laundry is handed over and returned without contact.")
        )
    # What the notice says to bring is its health certificate: only while a rule asks for one
    # (the door's roster says "no certificate needed" after it).
    bring = facility.bring if any(r.covers(day) for r in municipality.health_rules) else None
    if bring:
        lines.append(t.fill("Please bring: %(what)s.", what=turn.text(bring)))
    reminder_at = local_datetime(day - timedelta(days=1), time(turn.policy.reminder_hour))
    if reminder_at > turn.now:
        reminder = t.fill(
            "Reminder: tomorrow, %(day)s, you are booked for %(facility)s.",
            day=day_label(t, day),
            facility=name,
        )
        if bring:
            reminder += " " + t.fill("Please bring: %(what)s.", what=turn.text(bring))
        await outbox.enqueue(
            turn.connection,
            turn.conversation.channel,
            turn.conversation.address,
            reminder,
            reminder_at,
            turn.now,
            key=f"reminder:{booking_id}",
            # "Tomorrow" is true only until the day begins: a bot that was down then sends none.
            meta={"expires": stamp(local_datetime(day, time(0)))},
        )
        lines.append(t._("I will remind you the day before."))
    turn.go(Dialog.MENU)
    return turn.reply("\n".join(lines), [Choice(t._("My bookings"), BookingAction.MINE)])
