"""Bookings on the web desk: a day's roster with the waiting list, booking for a resident who
phoned (found or created by their phone number), cancelling (the place goes to the waiting
list), and who came. Bookings belong to no queue: only members limited to none may see or
change them, as with /today; every change is audited and told to the resident."""

from __future__ import annotations

from datetime import date, datetime

from dialogs.core.i18n import Catalogs
from dialogs.core.turn import BookingPolicy
from dialogs.flows.booking.changes import cancel_booking, settle_waiting
from dialogs.flows.booking.confirm import Address, Booked, booked_lines
from dialogs.flows.booking.offers import day_label, facility_name
from dialogs.rules.opening import closed_reason
from dialogs.staff.booking_desk_types import (
    CLOSED_OUTCOMES,
    CONTACTLESS,
    OnBehalf,
    Outcome,
    Roster,
)
from dialogs.staff.roster import as_set_now
from dialogs.types import Channel
from storage import bookings, outbox, residents, staff, waitlist
from storage.content import HEALTH_KINDS, Content, Facility, Municipality
from storage.phones import e164, reads_sms
from storage.rows import Conn
from storage.staff import Member

MAX_NOTE = 200  # characters of a booking's note for the door


def _bookers(members: list[Member], municipality_id: str) -> Member | None:
    """The membership that may handle the municipality's bookings (limited to no queue)."""
    return next(
        (m for m in members if m.municipality_id == municipality_id and m.queue is None), None
    )


class WebBookings:
    """The roster's actions for a signed-in staff member."""

    def __init__(
        self, content: Content, catalogs: Catalogs, policy: BookingPolicy, sms: bool = True
    ) -> None:
        self._content = content
        self._catalogs = catalogs
        self._policy = policy
        self._sms = sms  # this server sends SMS

    async def roster(self, conn: Conn, members: list[Member], day: date) -> list[Roster]:
        """The day's bookings and waiting lists of the member's municipalities with facilities."""
        found = []
        for member in members:
            municipality = self._content.municipality(member.municipality_id)
            if member.queue is not None or municipality is None or not municipality.facilities:
                continue
            rows = await bookings.roster(conn, municipality.id, day)
            waiting = await waitlist.of_day(conn, municipality.id, day)
            found.append(Roster(await as_set_now(conn, municipality), rows, waiting))
        return found

    async def book(
        self, conn: Conn, members: list[Member], wish: OnBehalf, now: datetime, today: date
    ) -> Outcome:
        """Book a place for the resident with this phone, by the notice's rules; the resident
        gets the confirmation and the reminder by SMS unless the number is a landline."""
        checked = await self._check(conn, members, wish, (now, today), "desk book")
        if isinstance(checked, Outcome):
            return checked
        municipality, facility, member = checked
        phone = e164(wish.phone, municipality.country)
        assert phone is not None  # _check read it
        certificate = wish.certificate if wish.certificate in HEALTH_KINDS else None
        contactless = wish.certificate == CONTACTLESS
        covered = any(rule.covers(wish.day) for rule in municipality.health_rules)
        if (covered and facility.certificate_required and certificate is None) or (
            contactless and not facility.contactless_without_certificate
        ):
            return Outcome.CERTIFICATE
        places = facility.places_per_day
        refusal = await bookings.refusal_for(
            conn, municipality.id, facility.id, wish.day, places, phone
        )
        if refusal is not None:  # nobody is created for a booking that cannot be
            return Outcome.FULL if refusal is bookings.FacilityFullError else Outcome.ALREADY
        resident = await self._resident(conn, municipality, phone, wish.language, now)
        new = bookings.NewBooking(
            municipality.id,
            facility.id,
            wish.day,
            resident.id,
            Channel.SMS,
            phone,
            facility.places_per_day,
            certificate if covered else None,
            contactless,
            (wish.note or "").strip()[:MAX_NOTE] or None,
        )
        try:
            booking_id = await bookings.book(conn, new, now)
        except bookings.FacilityFullError:
            return Outcome.FULL
        except bookings.AlreadyBookedError:
            return Outcome.ALREADY
        await settle_waiting(conn, new)
        await staff.audit(conn, member.user_id, f"desk book {booking_id}", None, "ok", now)
        texts = self._sms and reads_sms(phone)
        t = self._catalogs.get(resident.language)
        booked = Booked(municipality, facility, wish.day, booking_id, contactless=contactless)
        where = Address(Channel.SMS, phone) if texts else None
        lines = await booked_lines(conn, t, booked, where, now, self._policy.reminder_hour)
        if texts:
            lead = t._("The social service has booked a place for you.")
            text = "\n".join([lead, *lines])
            key = f"desk-booked:{booking_id}"
            await outbox.enqueue(conn, Channel.SMS, phone, text, now, now, key=key)
        if texts:
            return Outcome.BOOKED
        return Outcome.BOOKED_LANDLINE if self._sms else Outcome.BOOKED_NO_SMS

    async def wait(
        self, conn: Conn, members: list[Member], wish: OnBehalf, now: datetime, today: date
    ) -> Outcome:
        """Put the resident with this phone on a day's waiting list (a freed place is offered
        to them by SMS, as to anyone on it)."""
        checked = await self._check(conn, members, wish, (now, today), "desk waitlist")
        if isinstance(checked, Outcome):
            return checked
        municipality, facility, member = checked
        phone = e164(wish.phone, municipality.country)
        assert phone is not None
        if not (self._sms and reads_sms(phone)):
            return Outcome.NO_OFFER
        resident = await self._resident(conn, municipality, phone, wish.language, now)
        if any(
            b.facility_id == facility.id and b.day == wish.day
            for b in await bookings.active_of(conn, resident.id)
        ):
            return Outcome.ALREADY
        entry = waitlist.Entry(
            0,
            municipality.id,
            facility.id,
            wish.day,
            resident.id,
            Channel.SMS,
            phone,
            resident.language,
            "waiting",
        )
        if not await waitlist.join(conn, entry, now):
            return Outcome.ALREADY
        await staff.audit(conn, member.user_id, "desk waitlist", None, "ok", now)
        return Outcome.WAITLISTED

    async def cancel(
        self, conn: Conn, members: list[Member], booking_id: int, now: datetime
    ) -> Outcome:
        """Cancel a booking (the resident phoned, or the facility cannot take them): the
        resident is told where they booked, and the place is offered to the waiting list."""
        booking = await bookings.get(conn, booking_id)
        member = _bookers(members, booking.municipality_id) if booking else None
        if booking is None or member is None:
            actor = members[0].user_id if members else "?"
            await staff.audit(conn, actor, f"desk cancel {booking_id}", None, "refused", now)
            return Outcome.REFUSED
        if not await cancel_booking(
            conn, self._content, self._catalogs, booking, now, self._policy.offer_minutes
        ):
            return Outcome.STALE
        await staff.audit(conn, member.user_id, f"desk cancel {booking.id}", None, "ok", now)
        municipality = self._content.municipality(booking.municipality_id)
        by_sms = booking.channel == Channel.SMS
        texts = self._sms and reads_sms(booking.address) if by_sms else True
        if municipality is None or not booking.address or not texts:
            return Outcome.CANCELLED_UNTOLD
        language = await residents.language_of(conn, booking.channel, booking.address)
        t = self._catalogs.get(language)
        text = t.fill(
            "The social service has cancelled your booking: %(facility)s, %(day)s.",
            facility=facility_name(t, municipality, booking.facility_id),
            day=day_label(t, booking.day),
        )
        key = f"desk-cancelled:{booking.id}"
        await outbox.enqueue(conn, booking.channel, booking.address, text, now, now, key=key)
        return Outcome.CANCELLED

    async def attend(
        self,
        conn: Conn,
        members: list[Member],
        booking_id: int,
        attendance: str,
        now: datetime,
        today: date,
    ) -> Outcome:
        """Mark who came and who did not, on the day or after it (never before)."""
        booking = await bookings.get(conn, booking_id)
        member = _bookers(members, booking.municipality_id) if booking else None
        value = attendance if attendance in bookings.ATTENDANCE else None
        if booking is None or member is None:
            actor = members[0].user_id if members else "?"
            await staff.audit(conn, actor, f"desk attendance {booking_id}", None, "refused", now)
            return Outcome.REFUSED
        if booking.day > today:
            return Outcome.NOT_YET
        if not await bookings.mark_attendance(conn, booking.id, value):
            return Outcome.STALE
        await staff.audit(
            conn, member.user_id, f"desk attendance {booking.id}", None, value or "unmarked", now
        )
        return Outcome.MARKED

    async def _check(
        self,
        conn: Conn,
        members: list[Member],
        wish: OnBehalf,
        when: tuple[datetime, date],
        action: str,
    ) -> tuple[Municipality, Facility, Member] | Outcome:
        """The municipality, facility and membership for a wish, or why it cannot be."""
        now, today = when
        municipality = self._content.municipality(wish.municipality_id)
        member = _bookers(members, wish.municipality_id)
        facilities = municipality.facilities if municipality else ()
        facility = next((f for f in facilities if f.id == wish.facility_id), None)
        if municipality is None or member is None or facility is None:
            actor = members[0].user_id if members else "?"
            await staff.audit(conn, actor, action, None, "refused", now)
            return Outcome.REFUSED
        if e164(wish.phone, municipality.country) is None:
            return Outcome.BAD_PHONE
        reason = closed_reason(facility, await as_set_now(conn, municipality), wish.day, today)
        if reason is not None:
            return CLOSED_OUTCOMES[reason]
        return municipality, facility, member

    async def _resident(
        self,
        conn: Conn,
        municipality: Municipality,
        phone: str,
        language: str | None,
        now: datetime,
    ) -> residents.Resident:
        """The resident behind the phone, with a municipality and a language to be written in
        (staff's choice, else what they chose before, else the municipality's)."""
        found = await residents.by_phone(conn, phone, now)
        chosen = language if language in municipality.languages else None
        settled = residents.Resident(
            found.id,
            found.municipality_id or municipality.id,
            chosen or found.language or municipality.default_language,
            phone,
        )
        if settled != found:
            await residents.save_preferences(conn, settled)
        return settled
