"""Freed places go to the waiting list: offers, their expiry, and the messages about them."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from babel.dates import format_date

from dialogs.core.actions import BookingAction
from dialogs.core.i18n import Catalogs, Translator
from dialogs.rules.opening import holiday_name
from storage import outbox, waitlist
from storage.content import Content, Municipality
from storage.rows import Conn


def facility_name(t: Translator, municipality: Municipality, facility_id: str) -> str:
    """A facility is named after its service: "Dušas pakalpojums"."""
    facility = next((f for f in municipality.facilities if f.id == facility_id), None)
    service = municipality.service(facility.service) if facility else None
    return service.name.get(t.lang) if service else facility_id


def holiday_label(t: Translator, country: str, day: date) -> str:
    """The public holiday's name in the resident's language ("" if `day` is none); names the
    holidays package has only in English come through the catalog."""
    name = holiday_name(country, day, t.lang)
    return t._(name) if name else ""


def day_label(t: Translator, day: date) -> str:
    """A weekday with day and month: "ceturtdiena, 4. novembris", "четверг, 4 ноября"."""
    return f"{format_date(day, 'EEEE', locale=t.lang)}, {t.day_month(day)}"


async def offer_next(
    conn: Conn,
    content: Content,
    catalogs: Catalogs,
    key: tuple[str, str, date],
    now: datetime,
    minutes: int,
) -> None:
    """Offer a freed place to the first in line, held for `minutes`, by a message."""
    municipality_id, facility_id, day = key
    entry = await waitlist.first_waiting(conn, municipality_id, facility_id, day)
    municipality = content.municipality(municipality_id)
    if entry is None or municipality is None:
        return
    expires = now + timedelta(minutes=minutes)
    await waitlist.offer(conn, entry.id, expires)
    t = catalogs.get(entry.language)
    text = t.fill(
        "A place has freed up: %(facility)s, %(day)s. Do you want it? "
        "It is kept for you until %(until)s.",
        facility=facility_name(t, municipality, facility_id),
        day=day_label(t, day),
        until=t.moment(expires),
    )
    choices = [
        (t._("Book it"), f"{BookingAction.OFFER_YES}:{entry.id}"),
        (t._("No, thank you"), f"{BookingAction.OFFER_NO}:{entry.id}"),
    ]
    await outbox.enqueue(
        conn, entry.channel, entry.address, text, now, now, choices=choices, key=f"offer:{entry.id}"
    )


async def expire_offers(
    conn: Conn, content: Content, catalogs: Catalogs, now: datetime, minutes: int
) -> int:
    """Close offers nobody took in time and pass each place on; return how many expired."""
    expired = await waitlist.expired_offers(conn, now)
    for entry in expired:
        if await waitlist.close(conn, entry.id, "expired"):
            key = (entry.municipality_id, entry.facility_id, entry.day)
            await offer_next(conn, content, catalogs, key, now, minutes)
    return len(expired)
