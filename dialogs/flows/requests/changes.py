"""A request withdrawn: one home, whether the resident withdraws it or erases their data."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from dialogs.core.i18n import Catalogs
from dialogs.staff.cards import notify_groups
from storage import requests
from storage.content import Content


async def withdraw_request(
    conn: aiosqlite.Connection,
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
