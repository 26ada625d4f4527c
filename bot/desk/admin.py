"""The desk's staff pages (`/desk/staff`, `/desk/audit`) for supervisors, and the figures
(`/desk/figures`) for every member."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from babel.dates import format_timedelta
from babel.units import format_unit
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.desk import pages
from dialogs.core.i18n import Translator
from dialogs.staff.figures import Figures, figures
from dialogs.staff.joining import ROLE_LABELS
from dialogs.staff.web_desk import Result
from dialogs.staff.web_team import Invite, WebTeam
from storage.content import Municipality
from storage.rows import Conn
from storage.staff import Member, Role

if TYPE_CHECKING:
    from bot.desk.app import Desk


class AdminPages:
    """The routes, over the desk's session, language and page frame."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk
        self.team = WebTeam(desk.engine.content, desk.actions)

    def routes(self) -> list[Route]:
        """The pages' routes, inside /desk."""
        return [
            Route("/staff", self.staff, methods=["GET"]),
            Route("/staff/{what}", self.post, methods=["POST"]),
            Route("/audit", self.audit, methods=["GET"]),
            Route("/figures", self.figures, methods=["GET"]),
        ]

    async def staff(self, request: Request) -> Response:
        """The members of the municipalities the member manages, and the invite form."""
        members = await self.desk.members_of(request)
        if not members:
            return self.desk.signed_out(request)
        return await self._show(request, members, None)

    async def _show(
        self, request: Request, members: list[Member], invite: Invite | None
    ) -> Response:
        desk = self.desk
        t = desk.translator(request, members)
        teams = await desk.engine.database.unit(lambda conn: self.team.teams(conn, members))
        roles = [(role.value, t._(ROLE_LABELS[role])) for role in Role]
        link = None
        if invite is not None and desk.engine.staff.bot_username:
            link = f"https://t.me/{desk.engine.staff.bot_username}?start={invite.code}"
        return desk.render(
            request,
            "team.html",
            t,
            teams=teams,
            me=members[0].user_id,
            roles=roles,
            role_names=dict(roles),
            invite=invite,
            invite_link=link,
        )

    @pages.form
    async def post(self, request: Request, members: list[Member], form: FormData) -> Response:
        """Invite, change a member's role and queue, remove a member: CSRF checked, one unit."""
        desk = self.desk
        now = desk.engine.clock.now()
        what = request.path_params["what"]
        municipality = str(form.get("municipality") or "")
        queue = str(form.get("queue") or "") or None
        role = str(form.get("role") or "")
        if what == "invite":
            made = await desk.engine.database.unit(
                lambda conn: self.team.invite(conn, members, municipality, role, queue, now)
            )
            if isinstance(made, Invite):  # shown once, never put in a URL
                return await self._show(request, members, made)
            return RedirectResponse(f"/desk/staff?done={made.value}", status_code=303)
        done = await self._change(what, form, members, now)
        if done is None:
            return Response(status_code=404)
        return RedirectResponse(f"/desk/staff?done={done}", status_code=303)

    async def _change(
        self, what: str, form: FormData, members: list[Member], now: datetime
    ) -> str | None:
        """Remove a member or change their role and queue; what the page then says."""
        user = str(form.get("user") or "")
        municipality = str(form.get("municipality") or "")
        database = self.desk.engine.database
        if what == "remove":
            removed: Result | int = await database.unit(
                lambda conn: self.team.remove(conn, members, municipality, user, now)
            )
            if isinstance(removed, int):  # how many requests went back to the queue
                return "removed-held" if removed else "saved"
            return removed.value
        if what == "change":
            queue = str(form.get("queue") or "") or None
            target = Member(user, municipality, str(form.get("role") or ""), queue, None)
            done = await database.unit(lambda conn: self.team.change(conn, members, target, now))
            return "saved" if done == Result.OK else str(done.value)
        return None

    @pages.page
    async def audit(self, request: Request, members: list[Member], t: Translator) -> Response:
        """The latest audit lines of a municipality the member manages."""
        desk = self.desk
        managed = self.team.municipalities(members)
        chosen = request.query_params.get("municipality") or (managed[0].id if managed else "")
        lines = await desk.engine.database.unit(lambda conn: self.team.audit(conn, members, chosen))
        if lines is None:
            return desk.render(request, "audit.html", t, lines=None, managed=managed, names={})
        names = await desk.engine.database.unit(lambda conn: desk.actions.names(conn, chosen))
        shown = [(t.moment(datetime.fromisoformat(line.at)), line) for line in lines]
        return desk.render(request, "audit.html", t, lines=shown, managed=managed, names=names)

    @pages.page
    async def figures(self, request: Request, members: list[Member], t: Translator) -> Response:
        """Open requests and the last weeks' figures of the member's municipalities."""
        desk = self.desk
        now = desk.engine.clock.now()
        places = [desk.engine.content.municipality(m.municipality_id) for m in members]
        municipalities = [m for m in places if m is not None]

        async def every(conn: Conn) -> list[Figures]:
            return [await figures(conn, m.id, now) for m in municipalities]

        found = await desk.engine.database.unit(every)
        blocks = [_figure_values(t, m, f) for m, f in zip(municipalities, found, strict=True)]
        return desk.render(request, "figures.html", t, blocks=blocks)


def _figure_values(t: Translator, municipality: Municipality, found: Figures) -> dict[str, Any]:
    """The figures in the member's language: durations in words, weeks by their Monday."""

    def span(value: timedelta | None) -> str:
        """ "2 val. 30 min.": hours and minutes (days beyond two days)."""
        if value is None:
            return "–"
        if value >= timedelta(days=2):
            return format_timedelta(value, locale=t.lang, granularity="day", threshold=2)
        hours, minutes = divmod(round(value.total_seconds() / 60), 60)
        parts = (
            [format_unit(hours, "duration-hour", length="short", locale=t.lang)] if hours else []
        )
        if minutes or not hours:
            parts.append(format_unit(minutes, "duration-minute", length="short", locale=t.lang))
        return " ".join(parts)

    return {
        "name": municipality.name.get(t.lang),
        "requests": municipality.requests is not None,
        "bookings": bool(municipality.facilities),
        "open": [(q.queue, q.count, span(q.oldest)) for q in found.open],
        "weeks": [
            {
                "week": t.date(week.monday),
                "filed": week.filed,
                "to_take": span(week.to_take),
                "to_done": span(week.to_done),
                "booked": week.booked,
                "came": week.came,
                "no_show": week.no_show,
            }
            for week in found.weeks
        ],
    }
