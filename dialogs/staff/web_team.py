"""Staff management and the audit log on the desk, for supervisors of a municipality: the
members with their role and queue, one-time invites (as `/invite` gives them), changing a
member's role or queue, removing a member (their desk session ends at their next click), and
the audit log of the municipality's staff and requests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from dialogs.staff import access
from dialogs.staff.binding import queue_of
from dialogs.staff.web_desk import Result, WebDesk
from storage import staff
from storage.content import Content, Municipality
from storage.rows import Conn, fetch_all
from storage.staff import Member, Role

AUDIT_LINES = 200  # the latest lines the page shows


@dataclass(frozen=True)
class Team:
    """A municipality's staff as its supervisor manages them."""

    municipality: Municipality
    members: list[Member]
    queues: list[str]  # the queues a member may be limited to


@dataclass(frozen=True)
class AuditLine:
    """One line of the audit log."""

    at: str
    actor: str
    action: str
    request_id: int | None
    outcome: str


@dataclass(frozen=True)
class Invite:
    """A one-time invite made on the desk."""

    municipality: Municipality
    role: str
    queue: str | None
    code: str


class WebTeam:
    """Staff management for signed-in supervisors."""

    def __init__(self, content: Content, desk: WebDesk) -> None:
        self._content = content
        self._desk = desk

    def municipalities(self, members: list[Member]) -> list[Municipality]:
        """The municipalities this member manages (as a supervisor)."""
        return access.supervised(self._content, members)

    def _managed(self, members: list[Member], municipality_id: str) -> Municipality | None:
        return next((m for m in self.municipalities(members) if m.id == municipality_id), None)

    def _queues(self, municipality: Municipality) -> list[str]:
        queue = queue_of(self._content, municipality.id)
        return [queue] if queue else []

    async def teams(self, conn: Conn, members: list[Member]) -> list[Team]:
        """Each managed municipality's members."""
        return [
            Team(m, await staff.members(conn, m.id), self._queues(m))
            for m in self.municipalities(members)
        ]

    async def invite(
        self,
        conn: Conn,
        members: list[Member],
        municipality_id: str,
        role: str,
        queue: str | None,
        now: datetime,
    ) -> Invite | Result:
        """A one-time invite for a colleague, as a role limited to a queue or to none."""
        municipality = self._managed(members, municipality_id)
        actor = members[0].user_id if members else "?"
        if municipality is None:
            await staff.audit(conn, actor, "desk invite", None, "refused", now)
            return Result.REFUSED
        if role not in set(Role) or (queue is not None and queue not in self._queues(municipality)):
            return Result.INVALID
        code = await staff.create_invite(conn, municipality.id, role, queue, now)
        await staff.audit(conn, actor, f"desk invite {role}", None, "ok", now)
        return Invite(municipality, role, queue, code)

    async def change(
        self,
        conn: Conn,
        members: list[Member],
        target: Member,
        now: datetime,
    ) -> Result:
        """Set a member's role and queue (not one's own: another supervisor does that)."""
        municipality = self._managed(members, target.municipality_id)
        actor = members[0].user_id if members else "?"
        current = await staff.member(conn, target.user_id, target.municipality_id)
        if municipality is None or current is None or target.user_id == actor:
            await staff.audit(
                conn, actor, f"desk staff change {target.user_id}", None, "refused", now
            )
            return Result.REFUSED
        if target.role not in set(Role) or (
            target.queue is not None and target.queue not in self._queues(municipality)
        ):
            return Result.INVALID
        await staff.add(
            conn,
            Member(
                current.user_id, current.municipality_id, target.role, target.queue, current.name
            ),
            now,
        )
        what = f"desk staff change {target.user_id} {target.role} {target.queue or '-'}"
        await staff.audit(conn, actor, what, None, "ok", now)
        return Result.OK

    async def remove(
        self, conn: Conn, members: list[Member], municipality_id: str, user_id: str, now: datetime
    ) -> Result | int:
        """Take a member off the municipality's staff (not oneself); the requests they held
        go back to the queue: how many."""
        municipality = self._managed(members, municipality_id)
        actor = members[0].user_id if members else "?"
        if municipality is None or user_id == actor:
            await staff.audit(conn, actor, f"desk staff remove {user_id}", None, "refused", now)
            return Result.REFUSED
        if not await staff.remove(conn, user_id, municipality.id):
            return Result.STALE
        await staff.audit(conn, actor, f"desk staff remove {user_id}", None, "ok", now)
        return await self._desk.release(conn, actor, user_id, municipality.id, now)

    async def audit(
        self, conn: Conn, members: list[Member], municipality_id: str
    ) -> list[AuditLine] | None:
        """The latest lines by the municipality's staff or on its requests; None if the
        member does not manage it."""
        municipality = self._managed(members, municipality_id)
        if municipality is None:
            return None
        rows = await fetch_all(
            conn,
            "SELECT at, actor, action, request_id, outcome FROM audit_log WHERE actor IN"
            " (SELECT user_id FROM staff WHERE municipality_id = :m) OR request_id IN"
            " (SELECT id FROM requests WHERE municipality_id = :m) ORDER BY id DESC LIMIT :n",
            {"m": municipality.id, "n": AUDIT_LINES},
        )
        return [
            AuditLine(
                str(r[0]), str(r[1]), str(r[2]), None if r[3] is None else int(r[3]), str(r[4])
            )
            for r in rows
        ]
