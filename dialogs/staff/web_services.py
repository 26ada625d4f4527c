"""The desk's service statuses: what residents see of each service today (in each of the
municipality's languages, as the assistant answers them, with the SMS segments), and the
statuses supervisors set from a day (to a day), see the history of, and undo. Only
supervisors, as with `/service`: residents see a change at once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from dialogs.core.clock import LOCAL_ZONE
from dialogs.core.i18n import Catalogs
from dialogs.core.turn import Turn
from dialogs.flows.services import show_service, status_summary
from dialogs.pipeline import sms_policy
from dialogs.pipeline.sms_policy import SmsPolicy
from dialogs.render.sms_encoding import segments
from dialogs.rules.availability import availability
from dialogs.staff import access
from dialogs.staff.broadcasts import WebBroadcasts
from dialogs.staff.service_news import tell_subscribers
from dialogs.staff.web_desk import Result
from storage import broadcasts, service_overrides, staff
from storage.content import STATUSES, Content, Municipality, Service
from storage.conversations import Conversation
from storage.rows import Conn
from storage.service_overrides import Change, Override
from storage.staff import Member

MAX_NOTE = 1000  # characters of a note residents read with the status (as a desk reply)
SETTABLE_DAYS = 730  # a status starts and ends within two years of today (else a typo)


@dataclass(frozen=True)
class Preview:
    """A service's answer to residents in one language, and what it costs as an SMS."""

    lang: str
    text: str
    sms_segments: int


@dataclass(frozen=True)
class ServicePage:
    """A service as residents see it now, and the statuses staff set for it."""

    municipality: Municipality
    service: Service
    previews: list[Preview]
    history: list[Change]
    names: dict[str, str]  # staff names by user id, for the history
    subscribers: int = 0  # residents who asked for the service's news


class WebServices:
    """Service statuses for signed-in supervisors."""

    def __init__(self, content: Content, catalogs: Catalogs, sms: bool = True) -> None:
        self._content = content
        self._catalogs = catalogs
        self._news = WebBroadcasts(content, catalogs, sms)

    def municipalities(self, members: list[Member]) -> list[Municipality]:
        """The municipalities whose services this member may set (as a supervisor)."""
        return [m for m in access.supervised(self._content, members) if m.services]

    async def today(
        self, conn: Conn, municipality: Municipality, lang: str, day: date
    ) -> list[tuple[Service, str]]:
        """Each service with its status today, as residents are told it."""
        turn = await self._turn(conn, municipality, lang, day)
        shown = turn.require_municipality()
        return [(s, status_summary(turn, availability(s, day))) for s in shown.services]

    async def page(
        self, conn: Conn, members: list[Member], municipality_id: str, service_id: str, day: date
    ) -> ServicePage | None:
        """A service of a municipality the member is supervisor of, or None."""
        municipality = self._mine(members, municipality_id)
        service = municipality.service(service_id) if municipality else None
        if municipality is None or service is None:
            return None
        previews = []
        for lang in municipality.languages:
            turn = await self._turn(conn, municipality, lang, day)
            reply = await show_service(turn, service.id)
            # As the SMS channel sends it: folded, Russian as the municipality sends it, paged.
            sent = sms_policy.pages([reply], turn.t, municipality, SmsPolicy().max_segments)
            count = sum(segments(page)[1] for page in sent)
            previews.append(Preview(lang, reply.text, count))
        history = await service_overrides.history(conn, municipality.id, service.id)
        everyone = await staff.members(conn, municipality.id)
        names = {m.user_id: m.name or m.user_id for m in everyone}
        asked = await broadcasts.subscribers(conn, municipality.id, service.id)
        count = len({recipient.resident_id for recipient in asked})
        return ServicePage(municipality, service, previews, history, names, count)

    async def set_status(
        self,
        conn: Conn,
        members: list[Member],
        municipality_id: str,
        change: Override,
        now: datetime,
        tell: bool = False,
    ) -> Result:
        """A new status from a day (to a day), with an optional note; residents see it at
        once, and with `tell` those who asked for the service's news get its new answer."""
        municipality = self._mine(members, municipality_id)
        actor = members[0].user_id if members else "?"
        if municipality is None or municipality.service(change.service_id) is None:
            await staff.audit(conn, actor, "desk service", None, "refused", now)
            return Result.REFUSED
        today = now.astimezone(LOCAL_ZONE).date()
        furthest = (change.end or change.start) - today
        if (
            change.status not in STATUSES
            or (change.end and change.end < change.start)
            or abs((change.start - today).days) > SETTABLE_DAYS
            or furthest.days > SETTABLE_DAYS
        ):
            return Result.INVALID
        if change.note and any(len(text) > MAX_NOTE for text in change.note.values()):
            return Result.TOO_LONG
        await service_overrides.add(conn, municipality.id, change, actor, now)
        what = f"desk service {change.service_id} {change.status}"
        await staff.audit(conn, actor, what, None, "ok", now)
        if tell:
            await tell_subscribers(
                conn, self._news, self._catalogs, members, municipality, change, now
            )
        return Result.OK

    async def undo(
        self, conn: Conn, members: list[Member], municipality_id: str, change_id: int, now: datetime
    ) -> Result:
        """Withdraw a status set before (it stays in the history, marked undone); who asked
        for the service's news is told."""
        municipality = self._mine(members, municipality_id)
        actor = members[0].user_id if members else "?"
        if municipality is None:
            await staff.audit(conn, actor, "desk service undo", None, "refused", now)
            return Result.REFUSED
        if not await service_overrides.undo(conn, municipality.id, change_id, actor, now):
            return Result.STALE
        await staff.audit(conn, actor, f"desk service undo {change_id}", None, "ok", now)
        undone = await service_overrides.get(conn, municipality.id, change_id)
        if undone is not None:
            news, catalogs = self._news, self._catalogs
            await tell_subscribers(conn, news, catalogs, members, municipality, undone, now, True)
        return Result.OK

    def _mine(self, members: list[Member], municipality_id: str) -> Municipality | None:
        return next((m for m in self.municipalities(members) if m.id == municipality_id), None)

    async def _turn(self, conn: Conn, municipality: Municipality, lang: str, day: date) -> Turn:
        """A resident's turn, only to read what the assistant would answer today."""
        overrides = await service_overrides.active(conn, municipality.id)
        return Turn(
            content=self._content,
            catalogs=self._catalogs,
            conversation=Conversation("desk", "preview"),
            connection=conn,
            today=day,
            municipality_id=municipality.id,
            language=lang,
            resident_id=0,
            overrides=(municipality.id, service_overrides.as_periods(overrides)),
        )
