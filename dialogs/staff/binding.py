"""`/bind QUEUE` in a staff group: a supervisor sends it their municipality's queue."""

from __future__ import annotations

from datetime import datetime

from dialogs.core.i18n import Catalogs, Translator
from dialogs.staff.cards import GROUP_CHANNEL, card_choices, card_text
from dialogs.types import Channel, Incoming, StaffCall
from storage import outbox, requests, staff
from storage.content import Content
from storage.rows import Conn
from storage.staff import Member, Role


async def bind(
    conn: Conn,
    t: Translator,
    catalogs: Catalogs,
    content: Content,
    incoming: Incoming,
    call: StaffCall,
    memberships: list[Member],
    now: datetime,
) -> str:
    """Bind this group to a queue the content has, in a group no other municipality's staff
    use; a supervisor of several municipalities names one (`/bind QUEUE MUNICIPALITY`)."""
    queue = (call.args[0] if call.args else "isolation").lower()[:32]
    if incoming.channel != Channel.TELEGRAM_GROUP:
        return t._("Write /bind QUEUE in the staff group to bind.")
    supervised = [m for m in memberships if m.role == Role.SUPERVISOR]
    fitting = [m for m in supervised if queue_of(content, m.municipality_id) == queue]
    if len(call.args) > 1:
        fitting = [m for m in fitting if m.municipality_id == call.args[1].lower()]
    bound = {municipality_id for municipality_id, _ in await staff.bindings(conn, incoming.address)}
    if not supervised or len(fitting) != 1 or bound - {fitting[0].municipality_id}:
        await staff.audit(conn, call.user_id, f"bind {queue}", None, "refused", now)
        if not supervised:
            return t._("Only a supervisor can bind a group.")
        if fitting and len(fitting) == 1:
            return t._("This group already receives another municipality's requests.")
        queues = ", ".join(
            f"{q} ({m.municipality_id})"
            for m in supervised
            if (q := queue_of(content, m.municipality_id))
        )
        return t.fill("Write /bind QUEUE; your queues: %(queues)s.", queues=queues or "-")
    member = fitting[0]
    await staff.bind_group(conn, incoming.address, member.municipality_id, queue, call.user_id, now)
    await staff.audit(conn, call.user_id, f"bind {queue}", None, "ok", now)
    waiting = await _post_open_cards(conn, catalogs, content, incoming.address, member, queue, now)
    text = t.fill("This group now receives the requests of the queue %(queue)s.", queue=queue)
    if not waiting:
        return text
    more = t.n_(
        "The %(num)d request already waiting follows, to take.",
        "The %(num)d requests already waiting follow, to take.",
        waiting,
    ) % {"num": waiting}
    return f"{text} {more}"


async def _post_open_cards(
    conn: Conn,
    catalogs: Catalogs,
    content: Content,
    chat_id: str,
    member: Member,
    queue: str,
    now: datetime,
) -> int:
    """The cards of the queue's requests nobody has taken yet, to a newly bound group (the
    same keys as at filing: a card is never posted twice to one group)."""
    municipality = content.municipality(member.municipality_id)
    group_t = catalogs.get(municipality.default_language if municipality else None)
    waiting = [
        request
        for request in await requests.queue(conn, member.municipality_id, queue=queue)
        if request.status == "open"
    ]
    for request in waiting:
        await outbox.enqueue(
            conn,
            GROUP_CHANNEL,
            chat_id,
            card_text(group_t, request, now=now),
            now,
            now,
            choices=card_choices(group_t, request),
            key=f"card:{request.id}:{chat_id}",
        )
    return len(waiting)


def queue_of(content: Content, municipality_id: str) -> str | None:
    """The staff queue a municipality's content sends requests to, if it takes requests."""
    municipality = content.municipality(municipality_id)
    return municipality.requests.queue if municipality and municipality.requests else None
