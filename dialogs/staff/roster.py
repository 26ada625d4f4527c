"""A day's bookings as the staff at the door read them, in their language: each facility's
places (or that it is closed) and, for each resident, what recognises them (the phone where
one is known) and the certificate or the contactless hand-over. `/today` and
`python -m bot roster` print the same."""

from __future__ import annotations

from datetime import date

from dialogs.core.i18n import Translator
from dialogs.flows.booking.offers import facility_name, holiday_label
from dialogs.flows.health import KIND_LABELS
from dialogs.rules.availability import with_overrides
from dialogs.rules.opening import closed_reason
from dialogs.staff.cards import CHANNEL_LABELS
from dialogs.types import Channel
from storage import service_overrides
from storage.bookings import Booking
from storage.content import Facility, Municipality
from storage.phones import reads_sms
from storage.rows import Conn


async def as_set_now(conn: Conn, municipality: Municipality) -> Municipality:
    """The municipality with the services' statuses staff have set (a suspended service's
    facility is closed)."""
    overrides = await service_overrides.active(conn, municipality.id)
    return with_overrides(municipality, service_overrides.as_periods(overrides))


def roster_text(
    t: Translator, municipality: Municipality, day: date, rows: list[tuple[Booking, str | None]]
) -> str:
    """The municipality's bookings on `day`, facility by facility."""
    lines = [f"{municipality.name.get(t.lang)}, {t.date(day)}"]
    for facility in municipality.facilities:
        booked = [(booking, phone) for booking, phone in rows if booking.facility_id == facility.id]
        name = facility_name(t, municipality, facility.id)
        closed = closed_label(t, facility, municipality, day)
        if closed:
            lines.append(f"{name}: {closed}")
        else:
            places = t.n_(
                "%(booked)d of %(places)d place booked",
                "%(booked)d of %(places)d places booked",
                facility.places_per_day,
            ) % {"booked": len(booked), "places": facility.places_per_day}
            lines.append(f"{name}: {places}")
        for number, (booking, phone) in enumerate(booked, start=1):
            lines.append(f"  {number}. {who(t, booking, phone)}, {how(t, booking)}")
    return "\n".join(lines)


def closed_label(
    t: Translator, facility: Facility, municipality: Municipality, day: date
) -> str | None:
    """ "closed" (with the holiday's name, or that the service is suspended) on a day the
    facility does not open, else None."""
    reason = closed_reason(facility, municipality, day, day)
    if reason == "holiday":
        holiday = holiday_label(t, municipality.country, day)
        return t.fill("closed: %(holiday)s", holiday=holiday)
    if reason == "suspended":
        return t._("closed: the service is suspended")
    return t._("closed") if reason else None


def who(t: Translator, booking: Booking, phone: str | None) -> str:
    """The resident's phone where one is known (an SMS client's number is one), else how they
    wrote."""
    if phone or booking.channel == Channel.SMS:
        number = phone or booking.address
        known = f"{number} ({t._('landline')})" if number and not reads_sms(number) else number
        return f"{known}, {booking.note}" if booking.note else known
    channel = t._(CHANNEL_LABELS.get(booking.channel, booking.channel))
    return t.fill("no phone known (booked by %(channel)s)", channel=channel)


def how(t: Translator, booking: Booking) -> str:
    """Contactless hand-over, the certificate shown, or none needed."""
    if booking.contactless:
        return t._("contactless hand-over")
    label = next((text for kind, text in KIND_LABELS.items() if kind == booking.certificate), None)
    return t._(label or "no certificate needed")
