"""The desk's broadcasts pages (`/desk/broadcasts`): for supervisors, a notice to chosen
residents with a preview per language (SMS segments, who gets it) before sending it now or at
a set time; the broadcasts sent, with their delivery so far; withdrawing what is not sent."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.desk import pages
from dialogs.core.i18n import N_, Translator, own_name
from dialogs.flows.booking.offers import facility_name
from dialogs.staff.broadcasts import Audience, Plan, WebBroadcasts, Wish
from dialogs.staff.cards import CHANNEL_LABELS
from dialogs.staff.web_desk import Result
from dialogs.types import Channel
from dialogs.understanding.dates import local_datetime
from dialogs.understanding.text import parse_id
from storage.broadcasts import Broadcast
from storage.content import Content, Municipality
from storage.staff import Member

if TYPE_CHECKING:
    from bot.desk.app import Desk

AUDIENCE_LABELS = {
    Audience.ALL: N_("All residents of the municipality"),
    Audience.BOOKED: N_("Residents booked on the day"),
    Audience.WAITING: N_("The day's waiting list"),
    Audience.SUBSCRIBERS: N_("Residents who asked to be told when the service changes"),
}
STATUS_LABELS = {
    "pending": N_("waiting to be sent"),
    "sending": N_("being sent"),
    "sent": N_("sent"),
    "failed": N_("not delivered"),
    "cancelled": N_("withdrawn before sending"),
}


class BroadcastPages:
    """The routes, over the desk's session, language and page frame."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk
        self.broadcasts = WebBroadcasts(desk.engine.content, desk.engine.catalogs, sms=desk.sms)

    def routes(self) -> list[Route]:
        """The pages' routes, inside /desk."""
        return [
            Route("/broadcasts", self.listing, methods=["GET"]),
            Route("/broadcasts/preview", self.preview, methods=["POST"]),
            Route("/broadcasts/send", self.send, methods=["POST"]),
            Route("/broadcasts/{number}", self.page, methods=["GET"]),
            Route("/broadcasts/{number}/cancel", self.cancel, methods=["POST"]),
        ]

    async def listing(self, request: Request) -> Response:
        """The form for a new broadcast, and the latest ones with their delivery."""
        members = await self.desk.members_of(request)
        if not members:
            return self.desk.signed_out(request)
        return await self._show(request, members, {}, None, None)

    async def _show(
        self,
        request: Request,
        members: list[Member],
        typed: dict[str, str],
        plan: Plan | None,
        refusal: Result | None,
    ) -> Response:
        desk = self.desk
        t = desk.translator(request, members)
        sent = await desk.engine.database.unit(lambda conn: self.broadcasts.listing(conn, members))
        municipalities = self.broadcasts.municipalities(members)
        values = {
            "forms": [_form_values(t, m) for m in municipalities],
            "typed": typed,
            "plan": _plan_values(t, plan) if plan else None,
            "sent": [_sent_values(t, desk.engine.content, s.broadcast, s.delivery) for s in sent],
            "sms_off": not desk.sms,
        }
        status = 200 if refusal is None else 400
        done = f"broadcast-{refusal.value}" if refusal else None
        return desk.render(request, "broadcasts.html", t, status, done=done, **values)

    @pages.form
    async def preview(self, request: Request, members: list[Member], form: FormData) -> Response:
        """What the broadcast would be: each language's text, SMS segments, who gets it."""
        wish = _wish(form)
        now = self.desk.engine.clock.now()
        plan = await self.desk.engine.database.unit(
            lambda conn: self.broadcasts.plan(conn, members, wish, now)
        )
        typed = {k: str(v) for k, v in form.items() if k != "csrf"}
        if isinstance(plan, Result):
            return await self._show(request, members, typed, None, plan)
        return await self._show(request, members, typed, plan, None)

    @pages.form
    async def send(self, request: Request, members: list[Member], form: FormData) -> Response:
        """Send now, or at the time set."""
        wish = _wish(form)
        now = self.desk.engine.clock.now()
        send_at = _moment(form.get("send_at"), now)
        typed = {k: str(v) for k, v in form.items() if k != "csrf"}
        if send_at is None:
            return await self._show(request, members, typed, None, Result.INVALID)
        made = await self.desk.engine.database.unit(
            lambda conn: self.broadcasts.send(conn, members, wish, send_at, now)
        )
        if isinstance(made, Result):
            return await self._show(request, members, typed, None, made)
        self.desk.wake()
        later = send_at > now + timedelta(minutes=1)
        done = "broadcast-scheduled" if later else "broadcast-sent"
        return RedirectResponse(f"/desk/broadcasts/{made}?done={done}", status_code=303)

    @pages.page
    async def page(self, request: Request, members: list[Member], t: Translator) -> Response:
        """One broadcast: to whom, the texts, delivered so far."""
        desk = self.desk
        number = parse_id(request.path_params["number"]) or 0
        now = desk.engine.clock.now()
        sent = await desk.engine.database.unit(
            lambda conn: self.broadcasts.one(conn, members, number, now)
        )
        if sent is None:
            return desk.message(request, t, 404, N_("Not found"), N_("There is no such notice."))
        values = _sent_values(t, desk.engine.content, sent.broadcast, sent.delivery)
        return desk.render(request, "broadcast.html", t, item=values)

    @pages.form
    async def cancel(self, request: Request, members: list[Member], _: FormData) -> Response:
        """Withdraw what is not sent yet."""
        number = parse_id(request.path_params["number"]) or 0
        now = self.desk.engine.clock.now()
        result = await self.desk.engine.database.unit(
            lambda conn: self.broadcasts.cancel(conn, members, number, now)
        )
        done = "broadcast-withdrawn" if result == Result.OK else f"broadcast-{result.value}"
        return RedirectResponse(f"/desk/broadcasts/{number}?done={done}", status_code=303)


def _wish(form: FormData) -> Wish:
    """The form's broadcast."""
    texts = {
        key.removeprefix("text-"): str(value)
        for key, value in form.items()
        if key.startswith("text-")
    }
    audience = str(form.get("audience") or "")
    return Wish(
        str(form.get("municipality") or ""),
        Audience(audience) if audience in set(Audience) else Audience.ALL,
        texts,
        str(form.get("language") or "") or None,
        str(form.get("channel") or "") or None,
        _day(form.get("day")),
        str(form.get("facility") or "") or None,
        str(form.get("service") or "") or None,
    )


def _day(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value or ""))
    except ValueError:
        return None


def _moment(value: object, now: datetime) -> datetime | None:
    """The local time the form sets (YYYY-MM-DDTHH:MM), now if empty, None if unreadable."""
    text = str(value or "").strip()
    if not text:
        return now
    try:
        at = datetime.fromisoformat(text)
    except ValueError:
        return None
    return local_datetime(at.date(), time(at.hour, at.minute))


def _form_values(t: Translator, municipality: Municipality) -> dict[str, Any]:
    """The choices of a municipality's broadcast form."""
    return {
        "id": municipality.id,
        "name": municipality.name.get(t.lang),
        "languages": [(lang, own_name(lang)) for lang in municipality.languages],
        "default_language": municipality.default_language,
        "audiences": [(a.value, t._(label)) for a, label in AUDIENCE_LABELS.items()],
        "channels": [
            (c.value, t._(CHANNEL_LABELS.get(c, c))) for c in (Channel.TELEGRAM, Channel.SMS)
        ],
        "facilities": [
            (f.id, facility_name(t, municipality, f.id)) for f in municipality.facilities
        ],
        "services": [(s.id, s.name.get(t.lang)) for s in municipality.services],
    }


def _plan_values(t: Translator, plan: Plan) -> dict[str, Any]:
    """The preview: each language's message, its SMS segments, its readers; the totals."""
    return {
        "previews": [
            {
                "lang": p.lang,
                "name": own_name(p.lang),
                "text": p.text,
                "segments": p.sms_segments,
                "readers": p.readers,
            }
            for p in plan.previews
        ],
        "recipients": len(plan.recipients),
        "by_channel": [
            (t._(CHANNEL_LABELS.get(channel, channel)), count)
            for channel, count in sorted(plan.by_channel.items())
        ],
        "skipped": plan.skipped,
        "sms": plan.sms_segments,
    }


def _details(t: Translator, municipality: Municipality | None, audience: dict[str, str]) -> str:
    """Whom a notice was for, in words: the day, the facility or service, language, channel."""
    words = []
    for key, value in audience.items():
        if key == "day":
            words.append(t.date(date.fromisoformat(value)))
        elif key == "facility" and municipality is not None:
            words.append(facility_name(t, municipality, value))
        elif key == "service" and municipality is not None:
            service = municipality.service(value)
            words.append(service.name.get(t.lang) if service else value)
        elif key == "language":
            words.append(own_name(value))
        elif key == "channel":
            words.append(t._(CHANNEL_LABELS.get(value, value)))
    return ", ".join(words)


def _sent_values(
    t: Translator, content: Content, broadcast: Broadcast, delivery: dict[str, int]
) -> dict[str, Any]:
    """A broadcast as the list and its page show it."""
    audience = broadcast.audience
    label = AUDIENCE_LABELS.get(Audience(audience.get("audience", "all")), "")
    return {
        "id": broadcast.id,
        "audience": t._(label),
        "details": _details(t, content.municipality(broadcast.municipality_id), audience),
        "texts": [(own_name(lang), text) for lang, text in broadcast.texts.items()],
        "send_at": t.moment(broadcast.send_at),
        "recipients": broadcast.recipients,
        "skipped": broadcast.skipped,
        "delivery": [
            (t._(label), delivery.get(status, 0))
            for status, label in STATUS_LABELS.items()
            if delivery.get(status)
        ],
        "pending": bool(delivery.get("pending")) and broadcast.cancelled_at is None,
        "cancelled": broadcast.cancelled_at is not None,
    }
