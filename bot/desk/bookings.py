"""The desk's roster pages (`/desk/roster`): a day's bookings and waiting lists, booking for a
resident who phoned, cancelling, and who came. Printable."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.desk import pages
from bot.desk.roster_view import roster_values
from dialogs.core.clock import local_today
from dialogs.staff.booking_desk_types import CLOSED_OUTCOMES, OnBehalf, Outcome
from dialogs.staff.web_bookings import WebBookings
from dialogs.understanding.text import parse_id
from storage.staff import Member

if TYPE_CHECKING:
    from bot.desk.app import Desk

ROSTER_DAYS = 730  # a roster further than two years away is a typo in the URL
# Outcomes after which the form is shown again with what was typed (not a redirect: the phone
# stays out of URLs and access logs).
KEEP_TYPED = {
    Outcome.BAD_PHONE,
    Outcome.NO_OFFER,
    *CLOSED_OUTCOMES.values(),
    Outcome.FULL,
    Outcome.ALREADY,
    Outcome.CERTIFICATE,
}


class BookingPages:
    """The routes, over the desk's session, language and page frame."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk
        engine = desk.engine
        self.bookings = WebBookings(
            engine.content, engine.catalogs, engine.booking_policy, sms=desk.sms
        )

    def routes(self) -> list[Route]:
        """The pages' routes, inside /desk."""
        return [
            Route("/roster", self.page, methods=["GET"]),
            Route("/roster/{what}", self.post, methods=["POST"]),
        ]

    async def page(self, request: Request) -> Response:
        """A day's bookings, facility by facility (?day=YYYY-MM-DD; today)."""
        members = await self.desk.members_of(request)
        if not members:
            return self.desk.signed_out(request)
        today = local_today(self.desk.engine.clock)
        day = parse_day(request.query_params.get("day", ""), today)
        return await self._show(request, members, day, None, {})

    async def _show(
        self,
        request: Request,
        members: list[Member],
        day: date,
        outcome: Outcome | None,
        typed: dict[str, str],
    ) -> Response:
        desk = self.desk
        t = desk.translator(request, members)
        today = local_today(desk.engine.clock)
        found = await desk.engine.database.unit(
            lambda conn: self.bookings.roster(conn, members, day)
        )
        values = roster_values(t, found, day, today)
        status = 200 if outcome is None else 400
        done = outcome.value if outcome else None
        return desk.render(request, "roster.html", t, status, done=done, typed=typed, **values)

    @pages.form
    async def post(self, request: Request, members: list[Member], form: FormData) -> Response:
        """Book, put on the waiting list, cancel, mark who came: CSRF checked, then one unit."""
        desk = self.desk
        today = local_today(desk.engine.clock)
        day = parse_day(str(form.get("day") or ""), today)
        what = request.path_params["what"]
        outcome = await self._do(what, form, members, day)
        if outcome is None:
            return Response(status_code=404)
        if outcome in KEEP_TYPED:
            typed = {k: str(v) for k, v in form.items() if k != "csrf"}
            return await self._show(request, members, day, outcome, typed)
        if outcome not in (Outcome.REFUSED, Outcome.STALE):
            desk.wake()
        return RedirectResponse(f"/desk/roster?day={day}&done={outcome.value}", status_code=303)

    async def _do(
        self, what: str, form: FormData, members: list[Member], day: date
    ) -> Outcome | None:
        engine = self.desk.engine
        now, today = engine.clock.now(), local_today(engine.clock)
        work = self.bookings
        if what in ("book", "wait"):
            wish = OnBehalf(
                str(form.get("municipality") or ""),
                str(form.get("facility") or ""),
                day,
                str(form.get("phone") or ""),
                str(form.get("certificate") or ""),
                str(form.get("language") or "") or None,
                str(form.get("note") or "") or None,
            )
            act = work.book if what == "book" else work.wait
            done: Outcome = await engine.database.unit(
                lambda conn: act(conn, members, wish, now, today)
            )
            return done
        booking = parse_id(str(form.get("booking") or "")) or 0
        mark = str(form.get("attendance") or "")
        if what == "cancel":
            done = await engine.database.unit(lambda conn: work.cancel(conn, members, booking, now))
        elif what == "attendance":
            done = await engine.database.unit(
                lambda conn: work.attend(conn, members, booking, mark, now, today)
            )
        else:
            return None
        return done


def parse_day(text: str, today: date) -> date:
    """A day from the URL (YYYY-MM-DD) within two years of today; today for anything else."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return today
    return day if abs((day - today).days) <= ROSTER_DAYS else today
