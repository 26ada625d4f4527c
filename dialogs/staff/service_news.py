"""A service's news to the residents who asked for it ("Tell me when this changes"): the
status staff set, from when (to when), with their note, in each resident's language; or that
a change announced is withdrawn. Sent as a notice (a broadcast to the service's subscribers)."""

from __future__ import annotations

from datetime import datetime

from dialogs.core.i18n import Catalogs
from dialogs.flows.services import STATUS_LABELS
from dialogs.staff.broadcasts import Audience, WebBroadcasts, Wish
from dialogs.staff.web_desk import MAX_REPLY
from storage.content import Municipality, Service
from storage.rows import Conn
from storage.service_overrides import Override
from storage.staff import Member


def news_texts(
    catalogs: Catalogs, municipality: Municipality, service: Service, change: Override, undone: bool
) -> dict[str, str]:
    """The news in each of the municipality's languages."""
    texts = {}
    for lang in municipality.languages:
        t = catalogs.get(lang)
        fill = {
            "service": service.name.get(lang),
            "status": t._(next((v for k, v in STATUS_LABELS.items() if k == change.status), "")),
            "start": t.date(change.start),
            "end": t.date(change.end) if change.end else "",
        }
        if undone:
            line = t._("%(service)s: the change announced from %(start)s is withdrawn.") % fill
        elif change.end:
            line = t._("%(service)s: %(status)s from %(start)s to %(end)s.") % fill
        else:
            line = t._("%(service)s: %(status)s from %(start)s.") % fill
        note = ""
        if change.note and not undone:
            note = change.note.get(lang) or next(iter(change.note.values()))
        texts[lang] = "\n".join(part for part in (line, note) if part)[:MAX_REPLY]
    return texts


async def tell_subscribers(
    conn: Conn,
    news: WebBroadcasts,
    catalogs: Catalogs,
    members: list[Member],
    municipality: Municipality,
    change: Override,
    now: datetime,
    undone: bool = False,
) -> None:
    """Send the news to who asked for it (nothing if nobody did)."""
    service = municipality.service(change.service_id)
    if service is None:
        return
    texts = news_texts(catalogs, municipality, service, change, undone)
    wish = Wish(municipality.id, Audience.SUBSCRIBERS, texts, service_id=service.id)
    await news.send(conn, members, wish, now, now)  # nobody asked: nothing is sent
