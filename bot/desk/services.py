"""The desk's service statuses pages (`/desk/services`): for supervisors, each service as
residents see it today, a new status from a day (to a day) with a note, the history, undo."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.desk import pages
from dialogs.core.clock import local_today
from dialogs.core.i18n import N_, Translator
from dialogs.flows.services import STATUS_LABELS
from dialogs.staff.web_desk import Result
from dialogs.staff.web_services import WebServices
from dialogs.understanding.text import parse_id
from storage.content import STATUSES
from storage.rows import Conn
from storage.service_overrides import Override
from storage.staff import Member

if TYPE_CHECKING:
    from bot.desk.app import Desk


class ServicePages:
    """The routes, over the desk's session, language and page frame."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk
        self.services = WebServices(desk.engine.content, desk.engine.catalogs, sms=desk.sms)

    def routes(self) -> list[Route]:
        """The pages' routes, inside /desk."""
        return [
            Route("/services", self.listing, methods=["GET"]),
            Route("/services/{municipality}/{service}", self.page, methods=["GET"]),
            Route("/services/{municipality}/{service}/{what}", self.post, methods=["POST"]),
        ]

    @pages.page
    async def listing(self, request: Request, members: list[Member], t: Translator) -> Response:
        """Every service of the member's municipalities with its status today."""
        desk = self.desk
        day = local_today(desk.engine.clock)
        municipalities = self.services.municipalities(members)

        async def today(conn: Conn) -> list[Any]:
            return [(m, await self.services.today(conn, m, t.lang, day)) for m in municipalities]

        blocks = await desk.engine.database.unit(today)
        return desk.render(request, "services.html", t, blocks=blocks, day=t.date(day))

    @pages.page
    async def page(self, request: Request, members: list[Member], t: Translator) -> Response:
        """One service: what residents see in each language, the form, the history."""
        desk = self.desk
        day = local_today(desk.engine.clock)
        municipality_id = request.path_params["municipality"]
        service_id = request.path_params["service"]
        shown = await desk.engine.database.unit(
            lambda conn: self.services.page(conn, members, municipality_id, service_id, day)
        )
        if shown is None:
            return desk.message(
                request, t, 404, N_("Not found"), N_("There is no such service here.")
            )
        statuses = [(s, t._(STATUS_LABELS[s])) for s in STATUSES]
        catalogs, languages = desk.engine.catalogs, [p.lang for p in shown.previews]
        history = [
            {
                "change": change,
                "start": t.date(change.override.start),
                "end": t.date(change.override.end) if change.override.end else "",
                "set": t.moment(datetime.fromisoformat(change.set_at)),
                "who": shown.names.get(change.set_by, change.set_by),
            }
            for change in shown.history
        ]
        return desk.render(
            request,
            "service.html",
            t,
            page=shown,
            history=history,
            statuses=statuses,
            status_names=dict(statuses),
            language_names={lang: catalogs.get(lang).language_name() for lang in languages},
            today=day.isoformat(),
        )

    @pages.form
    async def post(self, request: Request, members: list[Member], form: FormData) -> Response:
        """Set a status, or undo one: CSRF checked, then one unit."""
        desk = self.desk
        municipality_id = request.path_params["municipality"]
        service_id = request.path_params["service"]
        now = desk.engine.clock.now()
        what = request.path_params["what"]
        if what == "undo":
            change = parse_id(str(form.get("change") or ""))
            result = await desk.engine.database.unit(
                lambda conn: self.services.undo(conn, members, municipality_id, change or 0, now)
            )
        elif what == "set":
            start = _day(form.get("start"))
            override = Override(
                service_id,
                str(form.get("status") or ""),
                start or date.min,
                _day(form.get("end")),
                _notes(form),
            )
            result = Result.INVALID
            tell = form.get("tell") == "yes"
            if start is not None:
                result = await desk.engine.database.unit(
                    lambda conn: self.services.set_status(
                        conn, members, municipality_id, override, now, tell
                    )
                )
        else:
            return Response(status_code=404)
        done = "saved" if result == Result.OK else result.value
        if what == "undo":  # said in the words of undoing
            done = "undone" if result == Result.OK else "undone-before"
        target = f"/desk/services/{municipality_id}/{service_id}?done={done}"
        return RedirectResponse(target, status_code=303)


def _day(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value or ""))
    except ValueError:
        return None


def _notes(form: FormData) -> dict[str, str] | None:
    """The note for residents in each language it was written in (note-lt, note-ru, ...)."""
    notes = {
        key.removeprefix("note-"): str(value).strip()
        for key, value in form.items()
        if key.startswith("note-") and str(value).strip()
    }
    return notes or None
