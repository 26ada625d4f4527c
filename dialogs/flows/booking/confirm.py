"""Writing a booking: the row (the database checks capacity), the reminder, the confirmation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from dialogs.core.actions import BookingAction
from dialogs.core.i18n import Translator
from dialogs.core.state import BookingState
from dialogs.core.steps import Dialog, Step
from dialogs.core.turn import Turn
from dialogs.flows.booking.changes import settle_waiting
from dialogs.flows.booking.offers import day_label, facility_name
from dialogs.types import Choice, Reply
from dialogs.understanding.dates import local_datetime
from storage import bookings, outbox
from storage.content import Facility, Municipality
from storage.rows import Conn
from storage.times import stamp


@dataclass(frozen=True)
class Booked:
    """A booking just made, as its confirmation names it."""

    municipality: Municipality
    facility: Facility
    day: date
    booking_id: int
    contactless: bool = False


@dataclass(frozen=True)
class Address:
    """Where the resident's reminder goes."""

    channel: str
    address: str


async def booked_lines(
    conn: Conn,
    t: Translator,
    booked: Booked,
    where: Address | None,
    now: datetime,
    reminder_hour: int,
) -> list[str]:
    """The confirmation's lines, and the reminder for the day before enqueued (to `where`;
    none when None: a landline reads no SMS). One text whether the resident or staff booked."""
    municipality, facility, day = booked.municipality, booked.facility, booked.day
    name = facility_name(t, municipality, facility.id)
    lines = [t.fill("Booked: %(facility)s, %(day)s.", facility=name, day=day_label(t, day))]
    if booked.contactless:
        lines.append(
            t._("Without a certificate the laundry is handed over and returned without contact.")
        )
    # What the notice says to bring is its health certificate: only while a rule asks for one
    # (the door's roster says "no certificate needed" after it).
    covered = any(r.covers(day) for r in municipality.health_rules)
    bring = facility.bring.get(t.lang) if facility.bring and covered else None
    if bring:
        lines.append(t.fill("Please bring: %(what)s.", what=bring))
    reminder_at = local_datetime(day - timedelta(days=1), time(reminder_hour))
    if where is None or reminder_at <= now:
        return lines
    reminder = t.fill(
        "Reminder: tomorrow, %(day)s, you are booked for %(facility)s.",
        day=day_label(t, day),
        facility=name,
    )
    if bring:
        reminder += " " + t.fill("Please bring: %(what)s.", what=bring)
    await outbox.enqueue(
        conn,
        where.channel,
        where.address,
        reminder,
        reminder_at,
        now,
        key=f"reminder:{booked.booking_id}",
        # "Tomorrow" is true only until the day begins: a bot that was down then sends none.
        meta={"expires": stamp(local_datetime(day, time(0)))},
    )
    lines.append(t._("I will remind you the day before."))
    return lines


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
    await settle_waiting(turn.connection, new)  # a held place, or a place in line, is done
    if state.holds(facility.id, day.isoformat()):
        state.offer = state.offer_for = None
    where = Address(turn.conversation.channel, turn.conversation.address)
    lines = await booked_lines(
        turn.connection,
        t,
        Booked(municipality, facility, day, booking_id, contactless=contactless),
        where,
        turn.now,
        turn.policy.reminder_hour,
    )
    turn.go(Dialog.MENU)
    return turn.reply("\n".join(lines), [Choice(t._("My bookings"), BookingAction.MINE)])
