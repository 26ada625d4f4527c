"""A booking or a waiting-list place given up: one home, whether the resident cancels, declines
an offer, or erases their data (/forget). The freed place goes to the first in line."""

from __future__ import annotations

from datetime import datetime

from dialogs.core.i18n import Catalogs
from dialogs.flows.booking.offers import offer_next
from storage import bookings, outbox, waitlist
from storage.content import Content
from storage.rows import Conn


async def cancel_booking(
    conn: Conn,
    content: Content,
    catalogs: Catalogs,
    booking: bookings.Booking,
    now: datetime,
    offer_minutes: int,
) -> bool:
    """Cancel, withdraw the reminder, offer the place to the waiting list; False if the
    booking was no longer active."""
    if not await bookings.cancel(conn, booking.id, now):
        return False
    await outbox.cancel(conn, f"reminder:{booking.id}")
    key = (booking.municipality_id, booking.facility_id, booking.day)
    await offer_next(conn, content, catalogs, key, now, offer_minutes)
    return True


async def leave_waitlist(
    conn: Conn,
    content: Content,
    catalogs: Catalogs,
    entry: waitlist.Entry,
    status: str,
    now: datetime,
    offer_minutes: int,
) -> bool:
    """Leave a waiting list (`status`: declined, left); a place held for this resident passes
    to the next in line. False if the entry was no longer open."""
    if not await waitlist.close(conn, entry.id, status):
        return False
    if entry.status == "offered":
        key = (entry.municipality_id, entry.facility_id, entry.day)
        await offer_next(conn, content, catalogs, key, now, offer_minutes)
    return True


async def settle_waiting(conn: Conn, booking: bookings.NewBooking) -> None:
    """A resident just booked a day they were waiting for (by the bot or by staff): their
    waiting-list entry is done, and an offer message not sent yet is withdrawn."""
    for entry in await waitlist.open_of(conn, booking.resident_id):
        if (entry.municipality_id, entry.facility_id, entry.day) == (
            booking.municipality_id,
            booking.facility_id,
            booking.day,
        ):
            await waitlist.close(conn, entry.id, "accepted")
            await outbox.cancel(conn, f"offer:{entry.id}")
