"""What staff read by command: the queue, their own requests, a day's bookings. Callers pass
only the memberships authorized in the chat."""

from __future__ import annotations

from datetime import date, datetime

from dialogs.core.i18n import Translator
from dialogs.staff.cards import card_text
from dialogs.staff.roster import as_set_now, roster_text
from storage import bookings, requests, staff
from storage.content import Content
from storage.rows import Conn
from storage.staff import Member

PAGE_SIZE = 8  # request cards in one message: well within Telegram's 4,096 characters


async def queue_text(
    conn: Conn,
    t: Translator,
    members: list[Member],
    mine: bool,
    now: datetime,
    page: int = 1,
    command: str = "queue",
) -> str:
    """Open requests of the members' municipalities and queues, oldest first (or their own),
    a page at a time so that a long queue is never cut off unseen; each names its holder."""
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
    blocks = [card_text(t, request, holder, now) for request, holder in shown]
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
    conn: Conn, t: Translator, content: Content, members: list[Member], day: date
) -> str:
    """The day's bookings of the members' municipalities that have facilities (or that there is
    nothing to book)."""
    blocks = []
    for member in members:
        municipality = content.municipality(member.municipality_id)
        if municipality is None or not municipality.facilities:
            continue
        rows = await bookings.roster(conn, municipality.id, day)
        blocks.append(roster_text(t, await as_set_now(conn, municipality), day, rows))
    if blocks:
        return "\n\n".join(blocks)
    return t._("There is no shower or laundry to book in your municipality.")
