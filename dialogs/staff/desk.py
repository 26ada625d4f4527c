"""The staff side of the turn pipeline: joining by invite, binding groups, request cards and
commands. Every action is authorized here, against the chat it came from, each time; refusals
write no resident's data and are audited."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import aiosqlite

from dialogs.core.clock import LOCAL_ZONE
from dialogs.core.i18n import N_, Catalogs, Translator
from dialogs.staff import access, reports
from dialogs.staff.cards import card_choices, card_text, notify_groups
from dialogs.types import Channel, Choice, Incoming, Outcome, Reply, StaffCall, StaffCommand
from dialogs.understanding.text import parse_id
from storage import outbox, requests, staff
from storage.content import Content
from storage.requests import Request
from storage.staff import Member

log = logging.getLogger(__name__)

# action -> (statuses it may start from, status it leads to, message to the resident)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str, str | None]] = {
    "take": (("open",), "taken", N_("A staff member has taken your request No. %(number)d.")),
    "done": (("taken",), "done", N_("Your request No. %(number)d is done.")),
    "unreach": (
        ("taken",),
        "unreachable",
        N_("Staff could not reach you about request No. %(number)d. Please call: %(phone)s."),
    ),
    "back": (("taken",), "open", None),
}


class StaffDesk:
    """What staff do, independent of the transport; runs inside the turn's transaction."""

    def __init__(self, content: Content, catalogs: Catalogs) -> None:
        self._content = content
        self._catalogs = catalogs

    def _t(self, municipality_id: str | None) -> Translator:
        municipality = self._content.municipality(municipality_id)
        return self._catalogs.get(municipality.default_language if municipality else None)

    async def act(
        self, conn: aiosqlite.Connection, incoming: Incoming, now: datetime
    ) -> Outcome | None:
        """A staff call, authorized; None if the caller is no staff and wrote in their own
        private chat (the text is then a resident's message)."""
        call = incoming.staff
        assert call is not None
        if call.command == StaffCommand.JOIN:
            return await self._join(conn, incoming, call, now)
        memberships = await staff.memberships(conn, call.user_id)
        if not memberships:
            await staff.audit(conn, call.user_id, call.command.value, None, "refused", now)
            if access.private_with(incoming, call.user_id) and call.command != StaffCommand.CARD:
                return None
            if call.command == StaffCommand.CARD:
                return await self._press(conn, call, [], now)  # refused, in the request's language
            return Outcome()  # a stranger's command in some group: not answered at all
        t = self._t(memberships[0].municipality_id)
        if call.command == StaffCommand.BIND:
            return await self._bind(conn, incoming, call, memberships, now)
        if call.command == StaffCommand.CARD:
            here = await access.members_here(conn, incoming, memberships)
            return await self._press(conn, call, here, now)
        if call.command in (StaffCommand.TODAY, StaffCommand.SERVICE):
            # Bookings and service statuses belong to no queue: members limited to none.
            here = await access.bookings_here(conn, incoming, memberships)
            if not here:
                return await self._not_here(conn, t, incoming, call, now)
            if call.command == StaffCommand.SERVICE:  # what every resident sees: supervisors
                chiefs = [member for member in here if member.role == "supervisor"]
                if not chiefs:
                    return await self._not_here(conn, t, incoming, call, now)
                text = await reports.set_service(conn, t, self._content, chiefs, call.args, now)
                return Outcome((Reply(text),))
            day = now.astimezone(LOCAL_ZONE).date()
            text = await reports.today_text(conn, t, self._content, here, day)
            return Outcome((Reply(text),))
        here = await access.members_here(conn, incoming, memberships)
        if not here:
            return await self._not_here(conn, t, incoming, call, now)
        mine = call.command == StaffCommand.MINE
        page = (parse_id(call.args[0]) if call.args else None) or 1
        text = await reports.queue_text(conn, t, here, mine, page, call.command.value)
        return Outcome((Reply(text),))

    async def _not_here(
        self,
        conn: aiosqlite.Connection,
        t: Translator,
        incoming: Incoming,
        call: StaffCall,
        now: datetime,
    ) -> Outcome:
        await staff.audit(conn, call.user_id, call.command.value, None, "refused here", now)
        if access.private_with(incoming, call.user_id):  # their role or queue does not allow it
            return Outcome((Reply(t._("You are not allowed to do this.")),))
        text = t._(
            "Nothing is shown in this chat: it is not bound to your queue. "
            "Write to me privately, or bind the group with /bind."
        )
        return Outcome((Reply(text),))

    async def _join(
        self, conn: aiosqlite.Connection, incoming: Incoming, call: StaffCall, now: datetime
    ) -> Outcome:
        """Redeem a one-time invite, in the new member's private chat only."""
        code = call.args[0] if call.args else ""
        member = None
        if access.private_with(incoming, call.user_id):
            member = await staff.redeem(conn, code, call.user_id, call.name, now)
        await staff.audit(conn, call.user_id, "join", None, "ok" if member else "refused", now)
        if member is None:
            t = self._catalogs.get(incoming.language_hint)
            return Outcome((Reply(t._("This invite is unknown or was already used.")),))
        t = self._t(member.municipality_id)
        municipality = self._content.municipality(member.municipality_id)
        text = t.fill(
            "Welcome to the staff of %(municipality)s (%(role)s).",
            municipality=municipality.place.get(t.lang) if municipality else member.municipality_id,
            role=member.role,
        )
        return Outcome((Reply(text),))

    async def _bind(
        self,
        conn: aiosqlite.Connection,
        incoming: Incoming,
        call: StaffCall,
        memberships: list[Member],
        now: datetime,
    ) -> Outcome:
        """A supervisor binds this group to a queue of their municipality: a queue the content
        has, in a group no other municipality's staff use."""
        queue = (call.args[0] if call.args else "isolation").lower()[:32]
        t = self._t(memberships[0].municipality_id)
        if incoming.channel != Channel.TELEGRAM_GROUP:
            return Outcome((Reply(t._("Write /bind QUEUE in the staff group to bind.")),))
        supervised = [m for m in memberships if m.role == "supervisor"]
        fitting = [m for m in supervised if self._queue_of(m.municipality_id) == queue]
        if len(call.args) > 1:  # /bind QUEUE MUNICIPALITY, for a supervisor of several
            fitting = [m for m in fitting if m.municipality_id == call.args[1].lower()]
        bound = {
            municipality_id for municipality_id, _ in await staff.bindings(conn, incoming.address)
        }
        if not supervised or len(fitting) != 1 or bound - {fitting[0].municipality_id}:
            await staff.audit(conn, call.user_id, f"bind {queue}", None, "refused", now)
            if not supervised:
                return Outcome((Reply(t._("Only a supervisor can bind a group.")),))
            if fitting and len(fitting) == 1:
                text = t._("This group already receives another municipality's requests.")
                return Outcome((Reply(text),))
            queues = ", ".join(
                f"{q} ({m.municipality_id})"
                for m in supervised
                if (q := self._queue_of(m.municipality_id))
            )
            text = t.fill("Write /bind QUEUE; your queues: %(queues)s.", queues=queues or "-")
            return Outcome((Reply(text),))
        member = fitting[0]
        t = self._t(member.municipality_id)
        await staff.bind_group(
            conn, incoming.address, member.municipality_id, queue, call.user_id, now
        )
        await staff.audit(conn, call.user_id, f"bind {queue}", None, "ok", now)
        text = t.fill("This group now receives the requests of the queue %(queue)s.", queue=queue)
        return Outcome((Reply(text),))

    def _queue_of(self, municipality_id: str) -> str | None:
        """The staff queue a municipality's content sends requests to, if it takes requests."""
        municipality = self._content.municipality(municipality_id)
        return municipality.requests.queue if municipality and municipality.requests else None

    async def _press(
        self, conn: aiosqlite.Connection, call: StaffCall, here: list[Member], now: datetime
    ) -> Outcome:
        """A button on a card: check the member here, the request's queue and status, act."""
        data = call.args[0] if call.args else ""
        _, action, number = [*data.split(":"), "", ""][:3]
        request_id = parse_id(number)
        request = await requests.get(conn, request_id) if request_id is not None else None
        member = next(
            (m for m in here if request is not None and access.may_act(m, request, action)), None
        )
        if request is None or member is None or action not in TRANSITIONS:
            log.warning("a card button was refused (request %s)", request.id if request else "?")
            request_id = request.id if request else None
            await staff.audit(conn, call.user_id, f"card {action}", request_id, "refused", now)
            municipality_id = request.municipality_id if request else None
            if municipality_id is None and here:
                municipality_id = here[0].municipality_id
            return _refused(self._t(municipality_id))
        start, status, message = TRANSITIONS[action]
        holder = call.user_id if status == "taken" else None
        t = self._t(request.municipality_id)
        if not await requests.set_status(conn, request.id, status, holder, now, start):
            await staff.audit(conn, call.user_id, f"card {action}", request.id, "stale", now)
            return Outcome(notice=t._("This request has changed meanwhile."), alert=True)
        await staff.audit(conn, call.user_id, f"card {action}", request.id, "ok", now)
        updated = await requests.get(conn, request.id)
        assert updated is not None
        if message:
            await self._tell_resident(conn, updated, message, now)
        choices = tuple(Choice(label, act) for label, act in card_choices(t, updated))
        card = Reply(card_text(t, updated, call.name), choices)
        return Outcome((card,), notice=t._("Saved."))

    async def _tell_resident(
        self, conn: aiosqlite.Connection, request: Request, message: str, now: datetime
    ) -> None:
        if request.channel is None or request.address is None:
            return
        t = self._catalogs.get(request.language)
        municipality = self._content.municipality(request.municipality_id)
        phone = ""
        if municipality and municipality.requests:
            department = municipality.department(municipality.requests.department)
            phone = ", ".join(p.national() for p in department.phones) if department else ""
        text = t.fill(message, number=request.id, phone=phone)
        key = f"status:{request.id}:{request.status}:{now.timestamp()}"
        await outbox.enqueue(conn, request.channel, request.address, text, now, now, key=key)

    async def escalate(self, conn: aiosqlite.Connection, now: datetime) -> None:
        """Requests nobody took in time are raised again in their groups, naming supervisors."""
        for municipality in self._content.municipalities.values():
            settings = municipality.requests
            if settings is None:
                continue
            limit = now - timedelta(minutes=settings.escalate_after_minutes)
            for request in await requests.unescalated(conn, limit):
                if request.municipality_id != municipality.id:
                    continue
                t = self._t(municipality.id)
                everyone = await staff.members(conn, municipality.id)
                supervisors = [m.name or m.user_id for m in everyone if m.role == "supervisor"]
                text = t.fill(
                    "Request No. %(number)d has waited over %(minutes)d minutes. "
                    "Supervisors: %(names)s.",
                    number=request.id,
                    minutes=settings.escalate_after_minutes,
                    names=", ".join(supervisors) or "-",
                )
                choices = card_choices(t, request)
                await notify_groups(conn, request, text, "escalation", now, choices)
                await requests.mark_escalated(conn, request.id, now)

    async def resident_unreachable(
        self, conn: aiosqlite.Connection, key: str, now: datetime
    ) -> None:
        """A status message could not reach the resident: tell the request's staff group."""
        parts = key.split(":")
        request_id = parse_id(parts[1]) if len(parts) > 1 and parts[0] == "status" else None
        if request_id is None:
            return
        request = await requests.get(conn, request_id)
        if request is None:
            return
        t = self._t(request.municipality_id)
        text = t.fill(
            "The resident of request No. %(number)d cannot be reached through the assistant.",
            number=request.id,
        )
        await notify_groups(conn, request, text, "unreachable", now)


def _refused(t: Translator) -> Outcome:
    return Outcome(notice=t._("You are not allowed to do this."), alert=True)
