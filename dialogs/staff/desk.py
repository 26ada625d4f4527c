"""The staff side: joining by invite, binding groups, acting on request cards, the queues.

Every action is authorized here, on the server, each time; refusals are audited.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

import aiosqlite

from dialogs.core.clock import Clock, local_today
from dialogs.core.i18n import N_, Catalogs, Translator
from dialogs.flows.booking.offers import facility_name
from dialogs.staff.cards import card_choices, card_text, notify_groups
from dialogs.understanding.dates import parse_day
from storage import bookings, outbox, requests, service_overrides, staff
from storage.content import STATUSES, Content
from storage.db import Database
from storage.requests import Request

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


@dataclass(frozen=True)
class CardUpdate:
    """The outcome of a button press on a card."""

    allowed: bool
    notice: str  # a short text for the person who pressed
    text: str | None = None  # the card's new text
    choices: tuple[tuple[str, str], ...] = ()


class StaffDesk:
    """What staff do in Telegram, independent of the transport."""

    def __init__(
        self, database: Database, content: Content, catalogs: Catalogs, clock: Clock
    ) -> None:
        self._database = database
        self._content = content
        self._catalogs = catalogs
        self._clock = clock

    def _t(self, municipality_id: str) -> Translator:
        municipality = self._content.municipality(municipality_id)
        return self._catalogs.get(municipality.default_language if municipality else None)

    async def join(self, code: str, user_id: str, name: str | None) -> str | None:
        """Redeem a one-time invite; None if the code is unknown or used (nothing is revealed)."""
        now = self._clock.now()
        async with self._database.transaction() as conn:
            member = await staff.redeem(conn, code, user_id, name, now)
            await staff.audit(conn, user_id, "join", None, "ok" if member else "refused", now)
        if member is None:
            return None
        t = self._t(member.municipality_id)
        return t.fill(
            "Welcome to the staff of %(municipality)s (%(role)s).",
            municipality=member.municipality_id,
            role=member.role,
        )

    async def bind(self, user_id: str, chat_id: str, queue: str) -> str | None:
        """A supervisor binds this group to a queue of their municipality; None if not allowed."""
        now = self._clock.now()
        async with self._database.transaction() as conn:
            supervised = [
                m for m in await staff.memberships(conn, user_id) if m.role == "supervisor"
            ]
            if not supervised:
                await staff.audit(conn, user_id, f"bind {queue}", None, "refused", now)
                return None
            member = supervised[0]
            await staff.bind_group(conn, chat_id, member.municipality_id, queue, user_id, now)
            await staff.audit(conn, user_id, f"bind {queue}", None, "ok", now)
        t = self._t(member.municipality_id)
        return t.fill("This group now receives the requests of the queue %(queue)s.", queue=queue)

    async def press(self, user_id: str, name: str | None, data: str) -> CardUpdate:
        """A button on a card: check the member, the municipality and the status, then act."""
        _, action, number = [*data.split(":"), "", ""][:3]
        now = self._clock.now()
        async with self._database.transaction() as conn:
            request = await requests.get(conn, int(number)) if number.isdigit() else None
            member = await staff.member(conn, user_id, request.municipality_id) if request else None
            allowed = (
                request is not None
                and member is not None
                and action in TRANSITIONS
                and (member.queue is None or member.queue == request.queue)
                and (action == "take" or request.taken_by == user_id or member.role == "supervisor")
            )
            if not allowed or request is None:
                log.warning(
                    "a card button was refused (request %s)", number if number.isdigit() else "?"
                )
                await staff.audit(
                    conn, user_id, f"card {action}", request.id if request else None, "refused", now
                )
                t = self._t(request.municipality_id) if request else self._catalogs.get(None)
                return CardUpdate(False, t._("You are not allowed to do this."))
            start, status, message = TRANSITIONS[action]
            holder = user_id if status == "taken" else None
            if not await requests.set_status(conn, request.id, status, holder, now, start):
                await staff.audit(conn, user_id, f"card {action}", request.id, "stale", now)
                return CardUpdate(
                    False, self._t(request.municipality_id)._("This request has changed meanwhile.")
                )
            await staff.audit(conn, user_id, f"card {action}", request.id, "ok", now)
            updated = await requests.get(conn, request.id)
            assert updated is not None
            if message:
                await self._tell_resident(conn, updated, message)
        t = self._t(updated.municipality_id)
        return CardUpdate(
            True, t._("Saved."), card_text(t, updated, name), tuple(card_choices(t, updated))
        )

    async def _tell_resident(
        self, conn: aiosqlite.Connection, request: Request, message: str
    ) -> None:
        if request.channel is None or request.address is None:
            return
        t = self._catalogs.get(request.language)
        municipality = self._content.municipality(request.municipality_id)
        phone = ""
        if municipality and municipality.requests:
            department = municipality.department(municipality.requests.department)
            phone = ", ".join(p.national() for p in department.phones) if department else ""
        text = t._(message) % {"number": request.id, "phone": phone}
        now = self._clock.now()
        key = f"status:{request.id}:{request.status}:{now.timestamp()}"
        await outbox.enqueue(conn, request.channel, request.address, text, now, now, key=key)

    async def queue_text(self, user_id: str, mine: bool) -> str | None:
        """Open requests of the member's municipalities, oldest first (or the member's own)."""
        async with self._database.transaction() as conn:
            memberships = await staff.memberships(conn, user_id)
            if not memberships:
                return None
            blocks = []
            for member in memberships:
                t = self._t(member.municipality_id)
                found = await requests.queue(
                    conn, member.municipality_id, user_id if mine else None
                )
                blocks += [card_text(t, r) for r in found]
        t = self._t(memberships[0].municipality_id)
        return "\n\n".join(blocks) if blocks else t._("No open requests.")

    async def escalate(self) -> None:
        """Requests nobody took in time are raised again in their groups, naming supervisors."""
        now = self._clock.now()
        async with self._database.transaction() as conn:
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

    async def set_service(self, user_id: str, words: list[str]) -> str | None:
        """`/service ID STATUS FROM [TO] [note]`: residents see the new status at once.

        None if the user is not staff; otherwise the confirmation or what is wrong.
        """
        now = self._clock.now()
        async with self._database.transaction() as conn:
            memberships = await staff.memberships(conn, user_id)
            if not memberships:
                await staff.audit(conn, user_id, "service", None, "refused", now)
                return None
            t = self._t(memberships[0].municipality_id)
            usage = t._(
                "Write: /service SERVICE STATUS FROM [TO] [note], for example "
                "/service vievis-day-centre suspended 2020-03-13 2020-03-27"
            )
            if len(words) < 3:
                return usage
            service_id, status, *rest = words
            member = next(
                (
                    m
                    for m in memberships
                    if (mun := self._content.municipality(m.municipality_id))
                    and mun.service(service_id)
                ),
                None,
            )
            start = parse_day(rest[0], now.date()) if rest else None
            end = parse_day(rest[1], now.date()) if len(rest) > 1 else None
            note = " ".join(rest[2:] if end else rest[1:]) or None
            if member is None or status not in STATUSES or start is None or (end and end < start):
                return usage
            override = service_overrides.Override(service_id, status, start, end, note)
            await service_overrides.add(conn, member.municipality_id, override, user_id, now)
            await staff.audit(conn, user_id, f"service {service_id} {status}", None, "ok", now)
        until = t.date(end) if end else "…"
        return t.fill(
            "Saved: %(service)s is %(status)s from %(start)s to %(end)s.",
            service=service_id,
            status=status,
            start=t.date(start),
            end=until,
        )

    async def today_text(self, user_id: str) -> str | None:
        """Today's bookings of the member's municipalities, facility by facility."""
        today = local_today(self._clock)
        async with self._database.transaction() as conn:
            memberships = await staff.memberships(conn, user_id)
            if not memberships:
                return None
            lines = []
            for member in memberships:
                municipality = self._content.municipality(member.municipality_id)
                if municipality is None:
                    continue
                t = self._t(municipality.id)
                rows = await bookings.roster(conn, municipality.id, today)
                for facility in municipality.facilities:
                    mine = [(b, p) for b, p in rows if b.facility_id == facility.id]
                    name = facility_name(t, municipality, facility.id)
                    lines.append(f"{name}: {len(mine)}/{facility.places_per_day}")
                    for booking, phone in mine:
                        how = t._("contactless") if booking.contactless else booking.certificate
                        lines.append(f"  {phone or booking.channel} {how or ''}".rstrip())
        if lines:
            return "\n".join(lines)
        return self._t(memberships[0].municipality_id)._("No bookings today.")

    async def resident_unreachable(self, key: str) -> None:
        """A status message could not reach the resident: tell the request's staff group."""
        parts = key.split(":")
        if len(parts) < 2 or parts[0] != "status" or not parts[1].isdigit():
            return
        now = self._clock.now()
        async with self._database.transaction() as conn:
            request = await requests.get(conn, int(parts[1]))
            if request is None:
                return
            t = self._t(request.municipality_id)
            text = t.fill(
                "The resident of request No. %(number)d cannot be reached through the assistant.",
                number=request.id,
            )
            await notify_groups(conn, request, text, "unreachable", now)
