"""Staff members, their one-time invites, the group chats bound to queues, and the audit log."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from storage.rows import Conn, fetch_all, fetch_one
from storage.times import stamp


class Role(StrEnum):
    """What a member may do: staff take requests; supervisors also bind groups, invite and set
    services' statuses."""

    STAFF = "staff"
    SUPERVISOR = "supervisor"


ROLES = tuple(Role)


@dataclass(frozen=True)
class Member:
    """A staff member of one municipality; `queue` None means every queue."""

    user_id: str
    municipality_id: str
    role: str
    queue: str | None
    name: str | None


async def create_invite(
    conn: Conn, municipality_id: str, role: str, queue: str | None, now: datetime
) -> str:
    """A one-time code for `/start <code>`."""
    code = "staff-" + secrets.token_urlsafe(12)
    await conn.execute(
        "INSERT INTO staff_invites (code, municipality_id, role, queue, created_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (code, municipality_id, role, queue, stamp(now)),
    )
    return code


async def redeem(
    conn: Conn, code: str, user_id: str, name: str | None, now: datetime
) -> Member | None:
    """Use an invite once: the user becomes staff. None for an unknown or used code."""
    cursor = await conn.execute(
        "UPDATE staff_invites SET used_by = ?, used_at = ? WHERE code = ? AND used_by IS NULL",
        (user_id, stamp(now), code),
    )
    if cursor.rowcount != 1:
        return None
    municipality_id, role, queue = tuple(
        await fetch_one(
            conn, "SELECT municipality_id, role, queue FROM staff_invites WHERE code = ?", (code,)
        )
        or ()
    )
    member = Member(user_id, municipality_id, role, queue, name)
    await add(conn, member, now)
    return member


async def add(conn: Conn, member: Member, now: datetime) -> None:
    """Make a user staff of a municipality (or change their role, queue and name)."""
    await conn.execute(
        "INSERT INTO staff (user_id, municipality_id, role, queue, name, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (user_id, municipality_id) DO UPDATE SET"
        " role = excluded.role, queue = excluded.queue, name = excluded.name",
        (
            member.user_id,
            member.municipality_id,
            member.role,
            member.queue,
            member.name,
            stamp(now),
        ),
    )


async def member(conn: Conn, user_id: str, municipality_id: str) -> Member | None:
    """The staff record of a user in a municipality, if any."""
    row = await fetch_one(
        conn,
        "SELECT user_id, municipality_id, role, queue, name FROM staff"
        " WHERE user_id = ? AND municipality_id = ?",
        (user_id, municipality_id),
    )
    return Member(*tuple(row)) if row else None


async def memberships(conn: Conn, user_id: str) -> list[Member]:
    """Every municipality a user is staff of."""
    return [
        Member(*tuple(row))
        for row in await fetch_all(
            conn,
            "SELECT user_id, municipality_id, role, queue, name FROM staff WHERE user_id = ?",
            (user_id,),
        )
    ]


async def members(conn: Conn, municipality_id: str | None = None) -> list[Member]:
    """All staff, or those of one municipality."""
    sql = "SELECT user_id, municipality_id, role, queue, name FROM staff"
    params: tuple[str, ...] = ()
    if municipality_id:
        sql, params = sql + " WHERE municipality_id = ?", (municipality_id,)
    return [
        Member(*tuple(row))
        for row in await fetch_all(conn, sql + " ORDER BY municipality_id, user_id", params)
    ]


async def rename(conn: Conn, user_id: str, name: str) -> None:
    """Keep the member's name as Telegram shows it now (cards and lists name the holder)."""
    await conn.execute(
        "UPDATE staff SET name = ? WHERE user_id = ? AND name IS NOT ?", (name, user_id, name)
    )


async def remove(conn: Conn, user_id: str, municipality_id: str) -> bool:
    """Take a user off the staff of a municipality."""
    cursor = await conn.execute(
        "DELETE FROM staff WHERE user_id = ? AND municipality_id = ?", (user_id, municipality_id)
    )
    return cursor.rowcount == 1


async def bind_group(
    conn: Conn,
    chat_id: str,
    municipality_id: str,
    queue: str,
    by: str,
    now: datetime,
) -> None:
    """Cards of `queue` go to this group chat from now on."""
    await conn.execute(
        "INSERT INTO staff_groups (chat_id, municipality_id, queue, bound_by, created_at)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        (chat_id, municipality_id, queue, by, stamp(now)),
    )


async def groups_for(conn: Conn, municipality_id: str, queue: str) -> list[str]:
    """The group chats bound to a queue."""
    return [
        str(row[0])
        for row in await fetch_all(
            conn,
            "SELECT chat_id FROM staff_groups WHERE municipality_id = ? AND queue = ?",
            (municipality_id, queue),
        )
    ]


async def bindings(conn: Conn, chat_id: str) -> list[tuple[str, str]]:
    """(municipality, queue) pairs a group chat is bound to."""
    return [
        (str(row[0]), str(row[1]))
        for row in await fetch_all(
            conn, "SELECT municipality_id, queue FROM staff_groups WHERE chat_id = ?", (chat_id,)
        )
    ]


async def audit(
    conn: Conn,
    actor: str,
    action: str,
    request_id: int | None,
    outcome: str,
    now: datetime,
) -> None:
    """One line of the audit log: who tried what on which request, and what came of it."""
    await conn.execute(
        "INSERT INTO audit_log (at, actor, action, request_id, outcome) VALUES (?, ?, ?, ?, ?)",
        (stamp(now), actor, action, request_id, outcome),
    )
