"""The desk's request pages: the queues (unassigned, mine, all; oldest first, overdue
marked), the search by number, a request's page, and its actions (take, done, ..., assign,
reply, note), each one unit of the group commit."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.desk.views import page_values, status_label, when
from dialogs.core.i18n import N_
from dialogs.staff.cards import NEED_LABELS, URGENCY_LABELS
from dialogs.staff.web_desk import Page, Result, View
from dialogs.understanding.text import parse_id

if TYPE_CHECKING:
    from bot.desk.app import Desk

VIEW_LABELS = {View.UNASSIGNED: N_("Unassigned"), View.MINE: N_("Mine"), View.ALL: N_("All open")}


class RequestPages:
    """The routes, over the desk's session, language and page frame."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk

    def routes(self) -> list[Route]:
        """The pages' routes, inside /desk."""
        return [
            Route("/", self.queue, methods=["GET"]),
            Route("/requests", self.find, methods=["GET"]),
            Route("/requests/{number}", self.request_page, methods=["GET"]),
            Route("/requests/{number}/{what}", self.post, methods=["POST"]),
        ]

    async def queue(self, request: Request) -> Response:
        """Open requests: unassigned, mine or all, oldest first, overdue marked."""
        members = await self.desk.members_of(request)
        if not members:
            return self.desk.signed_out(request)
        municipalities = [self.desk.engine.content.municipality(m.municipality_id) for m in members]
        if not any(m is not None and m.requests for m in municipalities):  # Koknese: bookings
            done = request.query_params.get("done")
            return RedirectResponse("/desk/roster" + (f"?done={done}" if done else ""), 303)
        t = self.desk.translator(request, members)
        view = _choice(View, request.query_params.get("view"), View.UNASSIGNED)
        urgency = request.query_params.get("urgency")
        urgency = urgency if urgency in URGENCY_LABELS else None
        now = self.desk.engine.clock.now()
        rows = await self.desk.engine.database.unit(
            lambda conn: self.desk.actions.queue(conn, members, view, now, urgency)
        )
        shown = [
            {
                "request": row.request,
                "overdue": row.overdue,
                "needs": ", ".join(t._(NEED_LABELS.get(n, n)) for n in row.request.needs),
                "urgency": t._(URGENCY_LABELS.get(row.request.urgency, row.request.urgency)),
                "status": status_label(t, row.request.status),
                "received": t.moment(when(row.request.created_at)),
            }
            for row in rows
        ]
        views = [(v.value, t._(label)) for v, label in VIEW_LABELS.items()]
        urgencies = [("", t._("Any urgency"))]
        urgencies += [(code, t._(label)) for code, label in URGENCY_LABELS.items()]
        return self.desk.render(
            request,
            "queue.html",
            t,
            rows=shown,
            view=view.value,
            views=views,
            urgency=urgency or "",
            urgencies=urgencies,
        )

    async def find(self, request: Request) -> Response:
        """Search by request number."""
        digits = re.search(r"\d+", request.query_params.get("number", ""))  # "Nr. 3", "#3"
        number = parse_id(digits.group(0)) if digits else None
        target = f"/desk/requests/{number}" if number is not None else "/desk/?done=not-found"
        return RedirectResponse(target, status_code=303)

    async def request_page(self, request: Request) -> Response:
        """A request's card, timeline and actions; 404 for one the member may not see."""
        found = await self.desk.signed_page(request)
        if isinstance(found, Response):
            return found
        members, t = found
        number = parse_id(request.path_params["number"])
        now = self.desk.engine.clock.now()
        page: Page | None = None
        if number is not None:
            page = await self.desk.engine.database.unit(
                lambda conn: self.desk.actions.page(conn, members, number, now)
            )
        if page is None:
            return self.desk.message(
                request, t, 404, N_("Not found"), N_("There is no such request here.")
            )
        names = await self.desk.engine.database.unit(
            lambda conn: self.desk.actions.names(conn, page.request.municipality_id)
        )
        return self.desk.render(request, "request.html", t, **page_values(t, page, names, now))

    async def post(self, request: Request) -> Response:
        """Take / done / ..., a reply to the resident, a note: CSRF checked, then one unit."""
        found = await self.desk.signed_form(request)
        if isinstance(found, Response):
            return found
        members, form = found
        number = parse_id(request.path_params["number"])
        what = request.path_params["what"]
        if number is None:
            return self.desk.expired(request, members)
        desk, now = self.desk.actions, self.desk.engine.clock.now()
        # Each form: what it does with its one field (one unit), and what the page then says.
        forms = {
            "act": (desk.act, "action", "saved"),
            "assign": (desk.assign, "assignee", "saved"),
            "reply": (desk.reply, "text", "sent"),
            "note": (desk.note, "text", "noted"),
        }
        if what not in forms:
            return Response(status_code=404)
        work, field, outcome = forms[what]
        value = str(form.get(field) or "")
        result = await self.desk.engine.database.unit(
            lambda conn: work(conn, members, number, value, now)
        )
        done = result == Result.OK
        if done:
            self.desk.wake()
        return RedirectResponse(
            f"/desk/requests/{number}?done={outcome if done else result.value}", status_code=303
        )


def _choice(kind: type[View], value: str | None, default: View) -> View:
    """A view named in the URL, or the default for anything else."""
    return kind(value) if value in {v.value for v in kind} else default
