"""A request withdrawn: one home, whether the resident withdraws it or erases their data."""

from __future__ import annotations

from datetime import datetime

from dialogs.core.i18n import Catalogs
from dialogs.staff.cards import GROUP_CHANNEL, notify_groups
from storage import outbox, requests, staff
from storage.content import Content
from storage.rows import Conn


async def withdraw_request(
    conn: Conn,
    content: Content,
    catalogs: Catalogs,
    request: requests.Request,
    now: datetime,
) -> bool:
    """Withdraw an open request and tell its staff groups; False if it was no longer open."""
    if not await requests.set_status(conn, request.id, "withdrawn", request.taken_by, now):
        return False
    municipality = content.municipality(request.municipality_id)
    t = catalogs.get(municipality.default_language if municipality else None)
    text = t.fill("Request No. %(number)d was withdrawn by the resident.", number=request.id)
    await notify_groups(conn, request, text, "withdrawn", now)
    return True


async def pass_voice(
    conn: Conn,
    content: Content,
    catalogs: Catalogs,
    request: requests.Request,
    now: datetime,
) -> None:
    """The resident's voice note goes to the request's staff groups right after its card
    (Telegram sends it on by its file id), so staff can listen to it."""
    if request.voice is None:
        return
    municipality = content.municipality(request.municipality_id)
    t = catalogs.get(municipality.default_language if municipality else None)
    caption = t.fill("Voice message of request No. %(number)d", number=request.id)
    for chat_id in await staff.groups_for(conn, request.municipality_id, request.queue):
        key = f"voice:{request.id}:{chat_id}"
        await outbox.enqueue(
            conn, GROUP_CHANNEL, chat_id, caption, now, now, key=key, meta={"voice": request.voice}
        )
