"""The card of a request in a staff group: its text and the buttons its status allows."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from dialogs.core.i18n import N_, Translator
from dialogs.types import Channel
from storage import outbox, staff
from storage.requests import Request

GROUP_CHANNEL = Channel.TELEGRAM_GROUP  # staff group chats, addressed by chat id

NEED_LABELS = {
    "food": N_("Food"),
    "medicine": N_("Medicines"),
    "hygiene": N_("Hygiene supplies"),
    "other": N_("Other help"),
    "callback": N_("Call me back"),
}
URGENCY_LABELS = {"today": N_("Today"), "soon": N_("In the next days")}
STAFF_STATUS = {
    "open": N_("open"),
    "taken": N_("taken by %(name)s"),
    "done": N_("done"),
    "unreachable": N_("resident not reached"),
    "withdrawn": N_("withdrawn by the resident"),
}


def card_text(t: Translator, request: Request, holder: str | None = None) -> str:
    """What staff need to act: needs, details, address, phone, urgency, status."""
    needs = ", ".join(t._(NEED_LABELS.get(n, n)) for n in request.needs)
    lines = [t.fill("Request No. %(number)d: %(needs)s", number=request.id, needs=needs)]
    if request.details:
        lines.append(t.fill("Details: %(text)s", text=request.details))
    if request.home_address:
        lines.append(t.fill("Address: %(text)s", text=request.home_address))
    if request.phone:
        lines.append(
            t.n_("Phone: %(numbers)s", "Phones: %(numbers)s", 1) % {"numbers": request.phone}
        )
    lines.append(
        t.fill("Urgency: %(text)s", text=t._(URGENCY_LABELS.get(request.urgency, request.urgency)))
    )
    status = t.fill(
        STAFF_STATUS.get(request.status, request.status), name=holder or request.taken_by or "?"
    )
    lines.append(t.fill("Status: %(text)s", text=status))
    return "\n".join(lines)


def card_choices(t: Translator, request: Request) -> list[tuple[str, str]]:
    """Take an open request; finish, report not reached, or hand back a taken one."""
    if request.status == "open":
        return [(t._("Take"), f"rq:take:{request.id}")]
    if request.status == "taken":
        return [
            (t._("Done"), f"rq:done:{request.id}"),
            (t._("Could not reach"), f"rq:unreach:{request.id}"),
            (t._("Back to queue"), f"rq:back:{request.id}"),
        ]
    return []


async def notify_groups(
    conn: aiosqlite.Connection,
    request: Request,
    text: str,
    kind: str,
    now: datetime,
    choices: list[tuple[str, str]] | None = None,
) -> None:
    """Put a message about `request` in every staff group of its queue, once per `kind`."""
    for chat_id in await staff.groups_for(conn, request.municipality_id, request.queue):
        key = f"{kind}:{request.id}:{chat_id}"
        await outbox.enqueue(conn, GROUP_CHANNEL, chat_id, text, now, now, choices=choices, key=key)
