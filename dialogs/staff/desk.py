"""The staff side of the turn pipeline: joining by invite, binding groups, request cards and
commands. Every action is authorized here, against the chat it came from, each time; refusals
write no resident's data and are audited."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from dialogs.core.clock import LOCAL_ZONE
from dialogs.core.i18n import N_, Catalogs, Translator
from dialogs.staff import access, binding, joining, reports, service_status
from dialogs.staff.cards import card_choices, card_text, notify_groups
from dialogs.types import Choice, Incoming, Outcome, Reply, StaffCall, StaffCommand
from dialogs.understanding.dates import parse_day
from dialogs.understanding.text import parse_id
from storage import desk, outbox, requests, staff
from storage.content import Content
from storage.requests import Request
from storage.rows import Conn
from storage.staff import Member, Role

log = logging.getLogger(__name__)

# action -> (statuses it may start from, status it leads to, message to the resident); "reopen"
# is the desk's (a request closed too soon).
TAKEN = N_("A staff member has taken your request No. %(number)d.")
DONE = N_("Your request No. %(number)d is done.")
UNREACHED = N_("Staff could not reach you about request No. %(number)d. Please call: %(phone)s.")
BACK = N_("Your request No. %(number)d is back in the queue: another staff member will take it.")
REOPENED = N_("Your request No. %(number)d has been opened again: staff will get back to you.")
TRANSITIONS: dict[str, tuple[tuple[str, ...], str, str | None]] = {
    "take": (("open",), "taken", TAKEN),
    "done": (("taken",), "done", DONE),
    "unreach": (("taken",), "unreachable", UNREACHED),
    "back": (("taken",), "open", BACK),
    "reopen": (("done", "unreachable"), "open", REOPENED),
}


class StaffDesk:
    """What staff do, independent of the transport; runs inside the turn's transaction."""

    def __init__(self, content: Content, catalogs: Catalogs) -> None:
        self._content = content
        self._catalogs = catalogs
        self.bot_username: str | None = None  # from Telegram's getMe, for invite links
        self.desk_url: str | None = None  # where the web desk is served, for sign-in links

    def _t(self, municipality_id: str | None) -> Translator:
        """The municipality's language: cards and notices in its staff groups."""
        municipality = self._content.municipality(municipality_id)
        return self._catalogs.get(municipality.default_language if municipality else None)

    def _staff_t(self, incoming: Incoming, municipality_id: str | None) -> Translator:
        """The staff member's own language (their Telegram app's) where the municipality
        offers it, else the municipality's: answers to their commands and presses."""
        municipality = self._content.municipality(municipality_id)
        if municipality and incoming.language_hint in municipality.languages:
            return self._catalogs.get(incoming.language_hint)
        return self._t(municipality_id)

    async def act(self, conn: Conn, incoming: Incoming, now: datetime) -> Outcome | None:
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
                return await self._press(conn, incoming, call, [], now)  # refused
            return Outcome()  # a stranger's command in some group: not answered at all
        if call.name:
            await staff.rename(conn, call.user_id, call.name)
        t = self._staff_t(incoming, memberships[0].municipality_id)
        if call.command == StaffCommand.BIND:
            text = await binding.bind(
                conn, t, self._catalogs, self._content, incoming, call, memberships, now
            )
            return Outcome((Reply(text),))
        if call.command == StaffCommand.CARD:
            here = await access.members_here(conn, incoming, memberships)
            return await self._press(conn, incoming, call, here, now)
        if call.command == StaffCommand.INVITE:
            return await self._invite(conn, t, incoming, call, memberships, now)
        if call.command == StaffCommand.DESK:
            text = await joining.desk_link(conn, t, incoming, call.user_id, self.desk_url, now)
            return Outcome((Reply(text),))
        if call.command == StaffCommand.HELP:
            lines = [t._("What you can write to me:"), *joining.commands_help(t, memberships[0])]
            return Outcome((Reply("\n".join(lines)),))
        if call.command in (StaffCommand.TODAY, StaffCommand.SERVICE):
            # Bookings and service statuses belong to no queue: members limited to none.
            here = await access.bookings_here(conn, incoming, memberships)
            if not here:
                return await self._not_here(conn, t, incoming, call, now)
            if call.command == StaffCommand.SERVICE:  # what every resident sees: supervisors
                chiefs = [member for member in here if member.role == Role.SUPERVISOR]
                if not chiefs:
                    return await self._not_here(conn, t, incoming, call, now)
                text = await service_status.set_service(
                    conn, t, self._content, chiefs, call.args, now
                )
                return Outcome((Reply(text),))
            today = now.astimezone(LOCAL_ZONE).date()
            day = parse_day(" ".join(call.args), today) if call.args else today
            if day is None:
                text = t._("Write /today, or /today DATE for another day, e.g. /today 2021-11-03.")
                return Outcome((Reply(text),))
            text = await reports.today_text(conn, t, self._content, here, day)
            return Outcome((Reply(text),))
        here = await access.members_here(conn, incoming, memberships)
        if not here:
            return await self._not_here(conn, t, incoming, call, now)
        mine = call.command == StaffCommand.MINE
        page = (parse_id(call.args[0]) if call.args else None) or 1
        text = await reports.queue_text(conn, t, here, mine, now, page, call.command.value)
        return Outcome((Reply(text),))

    async def _invite(
        self,
        conn: Conn,
        t: Translator,
        incoming: Incoming,
        call: StaffCall,
        memberships: list[Member],
        now: datetime,
    ) -> Outcome:
        """A supervisor invites a colleague, in their private chat only: the code is a key."""
        supervisors = [m for m in memberships if m.role == Role.SUPERVISOR]
        if not supervisors or not access.private_with(incoming, call.user_id):
            await staff.audit(conn, call.user_id, "invite", None, "refused", now)
            if not supervisors:
                return Outcome((Reply(t._("Only a supervisor can invite.")),))
            return Outcome((Reply(t._("Write /invite to me privately: an invite is a key.")),))
        text = await joining.invite(
            conn, t, self._content, supervisors, call.args, self.bot_username, now
        )
        return Outcome((Reply(text),))

    async def _not_here(
        self,
        conn: Conn,
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
        self, conn: Conn, incoming: Incoming, call: StaffCall, now: datetime
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
        t = self._staff_t(incoming, member.municipality_id)
        return Outcome((Reply(joining.welcome(t, self._content, member)),))

    async def _press(
        self,
        conn: Conn,
        incoming: Incoming,
        call: StaffCall,
        here: list[Member],
        now: datetime,
    ) -> Outcome:
        """A button on a card: check the member here, the request's queue and status, act. The
        card stays in its group's language; the notice to the presser is in theirs."""
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
            return _refused(self._staff_t(incoming, municipality_id))
        own = self._staff_t(incoming, request.municipality_id)
        updated = await self.move(conn, call.user_id, request, action, f"card {action}", now)
        if updated is None:
            return Outcome(notice=own._("This request has changed meanwhile."), alert=True)
        t = self._t(request.municipality_id)
        choices = tuple(Choice(label, act) for label, act in card_choices(t, updated))
        card = Reply(card_text(t, updated, call.name, now), choices)
        return Outcome((card,), notice=own._("Saved."))

    async def move(
        self, conn: Conn, user_id: str, request: Request, action: str, how: str, now: datetime
    ) -> Request | None:
        """Move an authorized member's request on (`action` of TRANSITIONS), audited as `how`,
        the resident told; None if it had changed meanwhile."""
        start, status, message = TRANSITIONS[action]
        holder = user_id if status == "taken" else None
        if not await requests.set_status(conn, request.id, status, holder, now, start):
            await staff.audit(conn, user_id, how, request.id, "stale", now)
            return None
        await staff.audit(conn, user_id, how, request.id, "ok", now)
        await desk.add_event(conn, request.id, desk.EventKind.STATUS, user_id, action, now)
        updated = await requests.get(conn, request.id)
        assert updated is not None
        if message:
            await self.tell_resident(conn, updated, message, now)
        return updated

    async def tell_resident(
        self, conn: Conn, request: Request, message: str, now: datetime
    ) -> None:
        """A status message to the request's resident, in their language (if still known)."""
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

    async def escalate(self, conn: Conn, now: datetime) -> None:
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
                supervisors = [m.name for m in everyone if m.role == Role.SUPERVISOR and m.name]
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

    async def resident_unreachable(self, conn: Conn, key: str, now: datetime) -> None:
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
