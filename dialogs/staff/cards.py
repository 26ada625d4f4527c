"""The card of a request in a staff group: its text and the buttons its status allows."""

from __future__ import annotations

from datetime import datetime, timedelta

from babel import Locale
from babel.dates import format_timedelta

from dialogs.core.i18n import N_, Translator
from dialogs.types import Channel
from storage import outbox, staff
from storage.requests import OPEN_STATUSES, Request
from storage.rows import Conn
from storage.times import parse_stamp

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
CHANNEL_LABELS: dict[str, str] = {
    Channel.TELEGRAM: N_("Telegram"),
    Channel.SMS: N_("SMS"),
    Channel.CONSOLE: N_("terminal chat"),
}


def card_text(
    t: Translator, request: Request, holder: str | None = None, now: datetime | None = None
) -> str:
    """What staff need to act: needs, when it came (and, `now`, how long it has waited),
    details, address, phone, the resident's channel and language, urgency, status."""
    needs = ", ".join(t._(NEED_LABELS.get(n, n)) for n in request.needs)
    lines = [t.fill("Request No. %(number)d: %(needs)s", number=request.id, needs=needs)]
    lines.append(_received(t, request, now))
    if request.details:
        lines.append(t.fill("Details: %(text)s", text=request.details))
    if request.home_address:
        lines.append(t.fill("Address: %(text)s", text=request.home_address))
    if request.location:
        lines.append(t.fill("Location: %(place)s", place=map_link(*request.location)))
    if request.voice:
        lines.append(t._("Voice message: below this card."))
    if request.phone:
        lines.append(
            t.n_("Phone: %(numbers)s", "Phones: %(numbers)s", 1) % {"numbers": request.phone}
        )
    if request.channel and request.language:  # both are erased with the resident's data
        lines.append(
            t.fill(
                "Channel: %(channel)s; language: %(language)s",
                channel=t._(CHANNEL_LABELS.get(request.channel, request.channel)),
                language=Locale.parse(request.language).get_display_name(t.lang),
            )
        )
    lines.append(
        t.fill("Urgency: %(text)s", text=t._(URGENCY_LABELS.get(request.urgency, request.urgency)))
    )
    if request.status == "taken" and not holder:  # the holder left the staff since
        status = t._("taken")
    else:
        status = t.fill(STAFF_STATUS.get(request.status, request.status), name=holder)
    lines.append(t.fill("Status: %(text)s", text=status))
    return "\n".join(lines)


def _received(t: Translator, request: Request, now: datetime | None) -> str:
    """When the request came, and how long it has waited while it is still open or taken."""
    received = parse_stamp(request.created_at)
    moment = t.moment(received)
    waited = (now - received) if now is not None else timedelta(0)
    if request.status not in OPEN_STATUSES or waited < timedelta(minutes=1):
        return t.fill("Received: %(moment)s", moment=moment)
    return t.fill(
        "Received: %(moment)s, waiting %(waited)s", moment=moment, waited=_waited(t, waited)
    )


def _waited(t: Translator, waited: timedelta) -> str:
    """A duration to the minute in the reader's language: "2 d. 3 val. 5 min."."""
    minutes = int(waited.total_seconds() // 60)
    parts = (timedelta(days=minutes // 1440), timedelta(hours=minutes // 60 % 24))
    units = [*(p for p in parts if p), timedelta(minutes=minutes % 60)]
    if len(units) > 1 and not units[-1]:
        units.pop()
    return " ".join(
        format_timedelta(unit, threshold=1, format="short", locale=t.lang) for unit in units
    )


def map_link(latitude: float, longitude: float) -> str:
    """Coordinates staff can open on a map."""
    return (
        f"{latitude:.5f}, {longitude:.5f} "
        f"https://www.openstreetmap.org/?mlat={latitude:.5f}&mlon={longitude:.5f}#map=18/"
        f"{latitude:.5f}/{longitude:.5f}"
    )


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
    conn: Conn,
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
