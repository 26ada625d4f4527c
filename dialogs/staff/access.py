"""Whose data may be written where: every staff action is authorized against the chat it came
from. Residents' data goes only to a private chat with an authorized member or to a group
bound to that queue."""

from __future__ import annotations

from dataclasses import replace

from dialogs.types import Channel, Incoming
from storage import staff
from storage.content import Content, Municipality
from storage.requests import Request
from storage.rows import Conn
from storage.staff import Member, Role


def private_with(incoming: Incoming, user_id: str) -> bool:
    """True if the message came from the member's own private chat."""
    return incoming.channel == Channel.TELEGRAM and incoming.address == user_id


async def members_here(conn: Conn, incoming: Incoming, memberships: list[Member]) -> list[Member]:
    """The memberships as they apply in this chat: all of them in the member's private chat;
    in a group, those of a queue the group is bound to, narrowed to that queue; else none."""
    user_id = memberships[0].user_id if memberships else ""
    if private_with(incoming, user_id):
        return memberships
    if incoming.channel != Channel.TELEGRAM_GROUP:
        return []
    bound = await staff.bindings(conn, incoming.address)
    return [
        replace(member, queue=queue)
        for member in memberships
        for municipality_id, queue in bound
        if member.municipality_id == municipality_id and member.queue in (None, queue)
    ]


async def bookings_here(conn: Conn, incoming: Incoming, memberships: list[Member]) -> list[Member]:
    """Bookings belong to no queue: members limited to none see them, in their private chat or
    in a group bound to their municipality."""
    unlimited = [member for member in memberships if member.queue is None]
    if not unlimited or private_with(incoming, unlimited[0].user_id):
        return unlimited
    if incoming.channel != Channel.TELEGRAM_GROUP:
        return []
    bound = {municipality_id for municipality_id, _ in await staff.bindings(conn, incoming.address)}
    return [member for member in unlimited if member.municipality_id in bound]


def may_act(member: Member, request: Request, action: str) -> bool:
    """Anyone of the request's municipality and queue may take it; only its holder or a
    supervisor may move a taken one on."""
    return (
        member.municipality_id == request.municipality_id
        and member.queue in (None, request.queue)
        and (action == "take" or request.taken_by == member.user_id or member.role == "supervisor")
    )


def supervised(content: Content, members: list[Member]) -> list[Municipality]:
    """The municipalities the member is a supervisor of (services, notices, staff, register)."""
    found = [content.municipality(m.municipality_id) for m in members if m.role == Role.SUPERVISOR]
    return [m for m in found if m is not None]
