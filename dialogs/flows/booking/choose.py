"""Booking a facility (shower, laundry): the day, the certificate check, the booking."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from dialogs.core.actions import BookingAction
from dialogs.core.state import BookingState
from dialogs.core.steps import Dialog, Step
from dialogs.core.turn import Handler, Turn, Understander
from dialogs.flows.booking.confirm import confirm_booking
from dialogs.flows.booking.offers import day_label, facility_name, holiday_label
from dialogs.flows.health import KIND_LABELS
from dialogs.flows.menu import menu_reply
from dialogs.rules.opening import closed_reason, open_days
from dialogs.rules.validity import health_check
from dialogs.types import Choice, Reply
from dialogs.understanding.dates import local_datetime, parse_day, parse_moment
from storage import bookings, waitlist
from storage.content import HEALTH_KINDS, Facility, Municipality

DAYS_OFFERED = 5


async def choose_facility(turn: Turn, _: str) -> Reply:
    """Which facility: shower or laundry."""
    municipality = turn.require_municipality()
    t = turn.t
    if not municipality.facilities:
        return menu_reply(turn, t._("There is no shower or laundry to book in your municipality."))
    turn.drop(BookingState)  # a new booking: a held place answered earlier is not this one
    turn.go(Dialog.BOOKING, Step.FACILITY)
    choices = [
        Choice(facility_name(t, municipality, f.id), f"{BookingAction.FACILITY}:{f.id}")
        for f in municipality.facilities
    ]
    choices.append(Choice(t._("My bookings"), BookingAction.MINE))
    return turn.reply(t._("What would you like to book?"), choices)


async def choose_day(turn: Turn, facility_id: str) -> Reply:
    """The next open days with the places left; full days lead to the waiting list."""
    municipality = turn.require_municipality()
    facility = _facility(municipality, facility_id)
    if facility is None:
        return await choose_facility(turn, "")
    t = turn.t
    turn.go(Dialog.BOOKING, Step.DAY, back=BookingAction.BOOK)
    turn.state(BookingState).facility = facility.id
    choices = []
    for day in open_days(facility, municipality, turn.today, DAYS_OFFERED):
        left = facility.places_per_day - await bookings.taken(
            turn.connection, municipality.id, facility.id, day
        )
        label = (
            day_label(t, day)
            + " — "
            + (
                t.n_("%(num)d place left", "%(num)d places left", left) % {"num": left}
                if left > 0
                else t._("full, waiting list")
            )
        )
        choices.append(Choice(label, f"{BookingAction.DAY}:{day.isoformat()}"))
    name = facility_name(t, municipality, facility.id)
    text = t.fill("%(facility)s: which day? Choose one or write a date.", facility=name)
    return turn.reply(text, choices)


async def pick_day(turn: Turn, iso: str) -> Reply:
    """Check the chosen day; ask for the certificate where the rules want one, else book."""
    municipality = turn.require_municipality()
    facility = _facility(municipality, turn.state(BookingState).facility)
    if facility is None:
        return await choose_facility(turn, "")
    try:
        day = date.fromisoformat(iso)
    except ValueError:
        return await choose_day(turn, facility.id)
    t = turn.t
    reason = closed_reason(facility, municipality, day, turn.today)
    if reason is not None:
        return turn.reply(
            _closed_text(turn, municipality, facility, day, reason), _other_days(turn, facility)
        )
    limit = facility.max_active_bookings
    if limit is not None:
        mine = await bookings.active_for(
            turn.connection, turn.resident_id, municipality.id, turn.today
        )
        if sum(b.facility_id == facility.id for b in mine) >= limit:
            text = t.n_(
                "You already have %(num)d booking for this service; cancel it to book another day.",
                "You already have %(num)d bookings for this service; cancel one to book another.",
                limit,
            ) % {"num": limit}
            return turn.reply(text, [Choice(t._("My bookings"), BookingAction.MINE)])
    turn.state(BookingState).day = day.isoformat()
    taken = await bookings.taken(turn.connection, municipality.id, facility.id, day)
    if turn.state(BookingState).holds(facility.id, day.isoformat()):
        taken -= 1  # the place held for this resident
    if taken >= facility.places_per_day:
        turn.go(Dialog.BOOKING, Step.FULL, back=BookingAction.BOOK)
        text = t.fill(
            "%(day)s is full. Shall I put you on the waiting list?", day=day_label(t, day)
        )
        choices = [
            Choice(t._("Join the waiting list"), f"{BookingAction.WAITLIST}:{day.isoformat()}"),
            *_other_days(turn, facility),
        ]
        return turn.reply(text, choices)
    if _rule_for(municipality, day) is None or not _asks_certificate(facility):
        return await confirm_booking(turn, municipality, facility, day, None, contactless=False)
    turn.go(Dialog.BOOKING, Step.CERTIFICATE, back=BookingAction.BOOK)
    choices = [
        Choice(t._(KIND_LABELS[k]), f"{BookingAction.CERTIFICATE}:{k}") for k in HEALTH_KINDS
    ]
    choices.append(Choice(t._("I have none"), f"{BookingAction.CERTIFICATE}:none"))
    return turn.reply(t._("Which certificate will you show?"), choices)


async def pick_certificate(turn: Turn, kind: str) -> Reply:
    """No certificate: refuse the shower, or book laundry without contact; else ask its date."""
    municipality = turn.require_municipality()
    facility = _facility(municipality, turn.state(BookingState).facility)
    day = _day(turn)
    if facility is None or day is None:
        return await choose_facility(turn, "")
    t = turn.t
    if kind not in HEALTH_KINDS:
        if facility.contactless_without_certificate:
            return await confirm_booking(turn, municipality, facility, day, None, contactless=True)
        return turn.reply(t._("Sorry, this service is only for clients with a valid certificate."))
    turn.state(BookingState).kind = kind
    turn.go(Dialog.BOOKING, Step.ISSUED, back=BookingAction.BOOK)
    if kind == "test":
        return turn.reply(
            t._("When was the test taken? Write the date and time, for example 25.10.2021 14:30.")
        )
    return turn.reply(t._("What is the date on the certificate? For example 25.10.2021."))


async def understand(turn: Turn, text: str) -> Reply | None:
    """A typed day ("tomorrow", "Friday", "24.03"), or the certificate's date."""
    step = turn.conversation.step
    t = turn.t
    if step in (Step.DAY, Step.FULL):
        day = parse_day(text, turn.today)
        if day is None:
            return turn.reply(
                t._("Sorry, I could not read that date. Please write it like 25.10.2021.")
            )
        return await pick_day(turn, day.isoformat())
    if step == Step.ISSUED:
        return await _check_certificate(turn, text)
    return None


async def _check_certificate(turn: Turn, text: str) -> Reply:
    municipality = turn.require_municipality()
    facility = _facility(municipality, turn.state(BookingState).facility)
    day, kind = _day(turn), turn.state(BookingState).kind
    if facility is None or day is None or kind not in HEALTH_KINDS:
        return await choose_facility(turn, "")
    t = turn.t
    issued_day, at = parse_moment(text, turn.today)
    if issued_day is None or (kind == "test" and at is None):
        return turn.reply(
            t._("Sorry, I could not read that. Please write it like 25.10.2021 14:30.")
        )
    health_kind = next(k for k in HEALTH_KINDS if k == kind)
    check = health_check(
        health_kind, local_datetime(issued_day, at), day, municipality.health_rules
    )
    if check.accepted:
        reply = await confirm_booking(
            turn, municipality, facility, day, health_kind, contactless=False
        )
        if check.reason != "until_time" or check.valid_until is None:
            return reply
        until = t.fill(
            "Your certificate is valid that day only until %(time)s: come before then.",
            time=t.time(check.valid_until),
        )
        return replace(reply, text=f"{reply.text}\n{until}")
    if facility.contactless_without_certificate:
        reply = await confirm_booking(turn, municipality, facility, day, None, contactless=True)
        lead = t.fill(
            "Your certificate is not valid on %(day)s, so the hand-over is without contact.",
            day=t.date(day),
        )
        return replace(reply, text=f"{lead}\n{reply.text}")
    turn.go(Dialog.BOOKING, Step.REFUSED, back=BookingAction.BOOK)
    text = t.fill(
        "Sorry, I cannot book this: the certificate is not valid on %(day)s.", day=t.date(day)
    )
    return turn.reply(text, _other_days(turn, facility))


async def book_offered(turn: Turn, entry: waitlist.Entry) -> Reply:
    """Go on with a place held from the waiting list: the certificate step, then the booking."""
    state = turn.state(BookingState)
    state.facility, state.day, state.offer = entry.facility_id, entry.day.isoformat(), entry.id
    state.offer_for = f"{entry.facility_id}:{entry.day.isoformat()}"
    return await pick_day(turn, entry.day.isoformat())


async def join_waitlist(turn: Turn, iso: str) -> Reply:
    """Put the resident on the waiting list of a full day."""
    municipality = turn.require_municipality()
    facility = _facility(municipality, turn.state(BookingState).facility)
    day = _day(turn)
    if facility is None or day is None or day.isoformat() != iso:
        return await choose_facility(turn, "")
    t = turn.t
    entry = waitlist.Entry(
        0,
        municipality.id,
        facility.id,
        day,
        turn.resident_id,
        turn.conversation.channel,
        turn.conversation.address,
        turn.language,
        "waiting",
    )
    await waitlist.join(turn.connection, entry, turn.now)
    turn.go(Dialog.MENU)
    text = t.fill(
        "You are on the waiting list for %(facility)s, %(day)s. "
        "If a place frees up, I will write to you.",
        facility=facility_name(t, municipality, facility.id),
        day=day_label(t, day),
    )
    return turn.reply(text)


def _closed_text(
    turn: Turn, municipality: Municipality, facility: Facility, day: date, reason: str
) -> str:
    t = turn.t
    when = t.date(day)
    if reason == "past":
        return t.fill("%(day)s has already passed.", day=when)
    if reason == "too_far":
        return t.n_(
            "Bookings open %(num)d day ahead.",
            "Bookings open %(num)d days ahead.",
            facility.book_ahead_days,
        ) % {"num": facility.book_ahead_days}
    if reason == "holiday":
        name = holiday_label(t, municipality.country, day)
        return t.fill("%(day)s is a public holiday (%(name)s): closed.", day=when, name=name)
    if reason == "suspended":
        return t.fill("%(day)s: the service is suspended, nobody can come in person.", day=when)
    return t.fill("%(day)s is not a working day of this service.", day=when)


def _other_days(turn: Turn, facility: Facility) -> list[Choice]:
    return [Choice(turn.t._("Other days"), f"{BookingAction.FACILITY}:{facility.id}")]


def _facility(municipality: Municipality, facility_id: str) -> Facility | None:
    return next((f for f in municipality.facilities if f.id == facility_id), None)


def _day(turn: Turn) -> date | None:
    value = turn.state(BookingState).day
    return date.fromisoformat(value) if value else None


def _asks_certificate(facility: Facility) -> bool:
    return facility.certificate_required or facility.contactless_without_certificate


def _rule_for(municipality: Municipality, day: date) -> object | None:
    return next((r for r in municipality.health_rules if r.covers(day)), None)


ACTIONS: dict[str, Handler] = {
    BookingAction.BOOK: choose_facility,
    BookingAction.FACILITY: choose_day,
    BookingAction.DAY: pick_day,
    BookingAction.CERTIFICATE: pick_certificate,
    BookingAction.WAITLIST: join_waitlist,
}
UNDERSTANDS: dict[str, Understander] = {Dialog.BOOKING: understand}
