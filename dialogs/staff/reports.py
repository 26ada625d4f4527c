"""What staff read and set by command: the queue, their own requests, today's bookings, and a
service's status. Callers pass only the memberships authorized in the chat."""

from __future__ import annotations

from datetime import date, datetime

import aiosqlite

from dialogs.core.i18n import Translator
from dialogs.flows.booking.offers import facility_name
from dialogs.staff.cards import card_text
from dialogs.understanding.dates import parse_day
from storage import bookings, requests, service_overrides, staff
from storage.content import STATUSES, Content
from storage.staff import Member

PAGE_SIZE = 8  # request cards in one message: well within Telegram's 4,096 characters


async def queue_text(
    conn: aiosqlite.Connection,
    t: Translator,
    members: list[Member],
    mine: bool,
    page: int = 1,
    command: str = "queue",
) -> str:
    """Open requests of the members' municipalities and queues, oldest first (or their own),
    a page at a time so that a long queue is never cut off unseen."""
    found: list[tuple[requests.Request, str | None]] = []
    for member in members:
        names = {m.user_id: m.name for m in await staff.members(conn, member.municipality_id)}
        for request in await requests.queue(
            conn, member.municipality_id, member.user_id if mine else None, member.queue
        ):
            found.append((request, names.get(request.taken_by or "")))
    if not found:
        return t._("No open requests.")
    pages = max(1, -(-len(found) // PAGE_SIZE))
    page = min(max(page, 1), pages)
    shown = found[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    blocks = [card_text(t, request, holder) for request, holder in shown]
    if pages > 1:
        blocks.append(
            t.fill(
                "Page %(page)d of %(pages)d; open requests in all: %(total)d. "
                "Write /%(command)s %(next)d for the next page.",
                page=page,
                pages=pages,
                total=len(found),
                command=command,
                next=page % pages + 1,
            )
        )
    return "\n\n".join(blocks)


async def today_text(
    conn: aiosqlite.Connection, t: Translator, content: Content, members: list[Member], day: date
) -> str:
    """The day's bookings of the members' municipalities, facility by facility."""
    lines = []
    for member in members:
        municipality = content.municipality(member.municipality_id)
        if municipality is None:
            continue
        rows = await bookings.roster(conn, municipality.id, day)
        for facility in municipality.facilities:
            mine = [(b, p) for b, p in rows if b.facility_id == facility.id]
            name = facility_name(t, municipality, facility.id)
            lines.append(f"{name}: {len(mine)}/{facility.places_per_day}")
            for booking, phone in mine:
                how = t._("contactless") if booking.contactless else booking.certificate
                lines.append(f"  {phone or booking.channel} {how or ''}".rstrip())
    return "\n".join(lines) if lines else t._("No bookings today.")


async def set_service(
    conn: aiosqlite.Connection,
    t: Translator,
    content: Content,
    members: list[Member],
    words: tuple[str, ...],
    now: datetime,
) -> str:
    """`/service ID STATUS FROM [TO] [note]`: residents see the new status at once."""
    usage = t._(
        "Write: /service SERVICE STATUS FROM [TO] [note], for example "
        "/service vievis-day-centre suspended 2020-03-13 2020-03-27"
    )
    if len(words) < 3:
        return usage
    service_id, status, *rest = words
    member = next(
        (
            m
            for m in members
            if (mun := content.municipality(m.municipality_id)) and mun.service(service_id)
        ),
        None,
    )
    start = parse_day(rest[0], now.date()) if rest else None
    end = parse_day(rest[1], now.date()) if len(rest) > 1 else None
    note = " ".join(rest[2:] if end else rest[1:]) or None
    if member is None or status not in STATUSES or start is None or (end and end < start):
        return usage
    override = service_overrides.Override(service_id, status, start, end, note)
    await service_overrides.add(conn, member.municipality_id, override, member.user_id, now)
    await staff.audit(conn, member.user_id, f"service {service_id} {status}", None, "ok", now)
    return t.fill(
        "Saved: %(service)s is %(status)s from %(start)s to %(end)s.",
        service=service_id,
        status=status,
        start=t.date(start),
        end=t.date(end) if end else "…",
    )
