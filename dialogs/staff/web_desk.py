"""What staff do on the web desk, without the web: the same authorization as their Telegram
commands and cards, checked on every action against the member's current memberships (a
removed member can do nothing, whatever their browser holds), every refusal audited, every
message to a resident sent through the outbox in the action's transaction."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from dialogs.core.i18n import Catalogs
from dialogs.staff import access
from dialogs.staff.cards import card_choices, card_text, notify_groups
from dialogs.staff.desk import TAKEN, TRANSITIONS, StaffDesk
from storage import desk, outbox, requests, staff
from storage.content import Content
from storage.requests import OPEN_STATUSES, Request
from storage.rows import Conn, fetch_all
from storage.staff import Member, Role

MAX_REPLY = 1000  # characters of a reply or note (a reply: a few SMS pages at most)


class Result(StrEnum):
    """How a desk action ended (the page says which)."""

    OK = "ok"
    EMPTY = "empty"  # nothing was written
    TOO_LONG = "too-long"  # over MAX_REPLY characters: nothing sent or kept
    STALE = "stale"  # the request changed meanwhile
    INVALID = "invalid"  # a form's values do not fit (a status, dates)
    REFUSED = "refused"  # not this member's to do (audited)
    NOBODY = "nobody"  # a notice nobody would receive: not sent


class View(StrEnum):
    """Which requests a queue page lists."""

    UNASSIGNED = "unassigned"
    MINE = "mine"
    ALL = "all"


@dataclass(frozen=True)
class Row:
    """A request as the queue page lists it."""

    request: Request
    overdue: bool  # nobody took it within the municipality's time


@dataclass(frozen=True)
class Page:
    """A request with its timeline, for a member allowed to see it."""

    request: Request
    events: list[desk.Event]
    actions: list[str]  # of TRANSITIONS, those this member may do now
    may_reply: bool
    colleagues: list[Member]  # whom this member (a supervisor) may assign it to


def _actor(members: list[Member]) -> str:
    return members[0].user_id if members else "?"


def _allowed(members: list[Member], request: Request | None, action: str) -> Member | None:
    """The membership that allows `action` on the request, if any."""
    if request is None:
        return None
    return next(
        (m for m in members if _sees(m, request) and access.may_act(m, request, action)), None
    )


async def _refused(conn: Conn, actor: str, action: str, request_id: int, now: datetime) -> Result:
    await staff.audit(conn, actor, action, request_id, "refused", now)
    return Result.REFUSED


def _sees(member: Member, request: Request) -> bool:
    return member.municipality_id == request.municipality_id and member.queue in (
        None,
        request.queue,
    )


class WebDesk:
    """The desk's actions for a signed-in staff member (their Telegram user id)."""

    def __init__(self, content: Content, catalogs: Catalogs, staff_desk: StaffDesk) -> None:
        self._content = content
        self._catalogs = catalogs
        self._staff = staff_desk

    async def signed_in(self, conn: Conn, session: str, now: datetime) -> list[Member]:
        """The memberships, now, of a live session's member (none: signed out, expired, or no
        longer staff)."""
        user = await desk.session_user(conn, session, now)
        return await staff.memberships(conn, user) if user else []

    async def queue(
        self,
        conn: Conn,
        members: list[Member],
        view: View,
        now: datetime,
        urgency: str | None = None,
    ) -> list[Row]:
        """Open requests of the member's municipalities and queues, oldest first (of one
        urgency, if given)."""
        found: dict[int, Request] = {}
        for member in members:
            for request in await requests.queue(conn, member.municipality_id, queue=member.queue):
                found[request.id] = request
        user_id = members[0].user_id if members else ""
        rows = []
        for request in sorted(found.values(), key=lambda r: r.id):
            if view == View.UNASSIGNED and request.status != "open":
                continue
            if view == View.MINE and request.taken_by != user_id:
                continue
            if urgency and request.urgency != urgency:
                continue
            rows.append(Row(request, self._overdue(request, now)))
        return rows

    def _overdue(self, request: Request, now: datetime) -> bool:
        municipality = self._content.municipality(request.municipality_id)
        if request.status != "open" or municipality is None or municipality.requests is None:
            return False
        waited = now - datetime.fromisoformat(request.created_at)
        return waited > timedelta(minutes=municipality.requests.escalate_after_minutes)

    async def page(
        self, conn: Conn, members: list[Member], request_id: int, now: datetime
    ) -> Page | None:
        """A request the member may see, or None (another municipality's or queue's: audited)."""
        request = await requests.get(conn, request_id)
        if request is None or not any(_sees(m, request) for m in members):
            actor = members[0].user_id if members else "?"
            await staff.audit(conn, actor, "desk view", request_id, "refused", now)
            return None
        allowed = [
            action
            for action, (start, _, _) in TRANSITIONS.items()
            if request.status in start and any(access.may_act(m, request, action) for m in members)
        ]
        may_reply = any(access.may_act(m, request, "reply") for m in members)
        colleagues = await self._colleagues(conn, members, request)
        events = await desk.events(conn, request.id)
        return Page(request, events, allowed, may_reply, colleagues)

    async def _colleagues(
        self, conn: Conn, members: list[Member], request: Request
    ) -> list[Member]:
        """Whom a supervisor of the request's municipality may give an open request to."""
        chief = any(m.role == Role.SUPERVISOR and _sees(m, request) for m in members)
        if not chief or request.status not in OPEN_STATUSES:
            return []
        everyone = await staff.members(conn, request.municipality_id)
        return [m for m in everyone if m.queue in (None, request.queue)]

    async def assign(
        self, conn: Conn, members: list[Member], request_id: int, assignee: str, now: datetime
    ) -> Result:
        """A supervisor gives an open or taken request to a named colleague (who then holds
        it); the resident is told if nobody had taken it yet; the group's card follows."""
        request = await requests.get(conn, request_id)
        colleagues = await self._colleagues(conn, members, request) if request else []
        target = next((m for m in colleagues if m.user_id == assignee), None)
        actor = members[0].user_id if members else "?"
        if request is None or target is None:
            return await _refused(conn, actor, "desk assign", request_id, now)
        if not await requests.set_status(conn, request.id, "taken", assignee, now):
            await staff.audit(conn, actor, "desk assign", request.id, "stale", now)
            return Result.STALE
        await staff.audit(conn, actor, "desk assign", request.id, "ok", now)
        name = target.name or target.user_id  # as named now: they may leave the staff later
        await desk.add_event(conn, request.id, desk.EventKind.ASSIGNED, actor, name, now)
        updated = await requests.get(conn, request.id)
        assert updated is not None
        if request.status == "open":
            await self._staff.tell_resident(conn, updated, TAKEN, now)
        await self._new_card(conn, updated, target.name, now)
        return Result.OK

    async def _new_card(
        self, conn: Conn, request: Request, holder: str | None, now: datetime
    ) -> None:
        """The request's card as it is now, in its staff groups."""
        municipality = self._content.municipality(request.municipality_id)
        t = self._catalogs.get(municipality.default_language if municipality else None)
        card = card_text(t, request, holder, now)
        kind = f"desk-{request.status}-{secrets.token_hex(4)}"  # each change its own card
        await notify_groups(conn, request, card, kind, now, card_choices(t, request))

    async def act(
        self, conn: Conn, members: list[Member], request_id: int, action: str, now: datetime
    ) -> Result:
        """Take, finish, report not reached, hand back or reopen; the staff group's card
        follows."""
        request = await requests.get(conn, request_id)
        member = _allowed(members, request, action)
        if request is None or member is None or action not in TRANSITIONS:
            return await _refused(conn, _actor(members), f"desk {action}", request_id, now)
        how = f"desk {action}"
        updated = await self._staff.move(conn, member.user_id, request, action, how, now)
        if updated is None:
            return Result.STALE
        await self._new_card(conn, updated, member.name, now)
        return Result.OK

    async def reply(
        self, conn: Conn, members: list[Member], request_id: int, text: str, now: datetime
    ) -> Result:
        """A message to the resident through the assistant (their Telegram chat or SMS), in
        their language under the request's number, kept in the timeline as written."""
        text = text.strip()
        if not text or len(text) > MAX_REPLY:
            return Result.EMPTY if not text else Result.TOO_LONG
        request = await requests.get(conn, request_id)
        member = _allowed(members, request, "reply")
        if request is None or member is None or request.address is None:
            return await _refused(conn, _actor(members), "desk reply", request_id, now)
        assert request.channel is not None
        t = self._catalogs.get(request.language)
        message = t.fill(
            "About your request No. %(number)d, from the social service:\n%(text)s",
            number=request.id,
            text=text,
        )
        event = await desk.add_event(
            conn, request.id, desk.EventKind.REPLY, member.user_id, text, now
        )
        key = f"reply:{request.id}:{event}"
        await outbox.enqueue(conn, request.channel, request.address, message, now, now, key=key)
        await staff.audit(conn, member.user_id, "desk reply", request.id, "ok", now)
        return Result.OK

    async def note(
        self, conn: Conn, members: list[Member], request_id: int, text: str, now: datetime
    ) -> Result:
        """An internal note on the request's timeline (never sent)."""
        text = text.strip()
        if not text or len(text) > MAX_REPLY:
            return Result.EMPTY if not text else Result.TOO_LONG
        request = await requests.get(conn, request_id)
        member = next((m for m in members if request is not None and _sees(m, request)), None)
        if request is None or member is None:
            return await _refused(conn, _actor(members), "desk note", request_id, now)
        await desk.add_event(conn, request.id, desk.EventKind.NOTE, member.user_id, text, now)
        return Result.OK

    async def release(
        self, conn: Conn, actor: str, user_id: str, municipality_id: str, now: datetime
    ) -> int:
        """A member leaving the staff: the requests they held go back to the queue (the
        resident told, the groups' cards follow); how many."""
        held = await requests.queue(conn, municipality_id, taken_by=user_id)
        for request in held:
            updated = await self._staff.move(conn, actor, request, "back", "staff removed", now)
            if updated is not None:
                await self._new_card(conn, updated, None, now)
        return len(held)

    async def names(self, conn: Conn, municipality_id: str) -> dict[str, str]:
        """Staff names by user id, for the timeline."""
        rows = await fetch_all(
            conn, "SELECT user_id, name FROM staff WHERE municipality_id = ?", (municipality_id,)
        )
        return {str(r[0]): str(r[1] or r[0]) for r in rows}
