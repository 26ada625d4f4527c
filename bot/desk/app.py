"""The desk's pages: server-rendered (Jinja2, escaped everywhere), plain forms that work with
the keyboard and on a tablet, each action one unit of the group commit, like a turn."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from babel import negotiate_locale
from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route

from bot.desk import session
from bot.desk.admin import AdminPages
from bot.desk.bookings import BookingPages
from bot.desk.broadcasts import BroadcastPages
from bot.desk.register import RegisterPages
from bot.desk.request_pages import RequestPages
from bot.desk.services import ServicePages
from bot.desk.views import (
    ERRORS,
    FLASHES,
    menu,
)
from dialogs.core.i18n import LANGUAGES, N_, Translator
from dialogs.pipeline.engine import Engine
from dialogs.staff.web_desk import WebDesk
from storage import desk as desk_store
from storage.staff import Member


class Desk:
    """The desk's routes over the engine; `wake` tells delivery that messages wait; `sms`: this
    server sends SMS (else what would go by SMS is not promised, and staff are told)."""

    def __init__(self, engine: Engine, wake: Callable[[], None], sms: bool = True) -> None:
        self.engine = engine
        self.wake = wake
        self.sms = sms
        self.actions = WebDesk(engine.content, engine.catalogs, engine.staff)
        self.templates = Environment(
            loader=PackageLoader("bot.desk", "templates"), autoescape=select_autoescape()
        )

    def app(self, secret_key: str | None, https_only: bool) -> Mount:
        """The desk mounted at /desk (a random key if none is set: sessions end at restart)."""
        routes = [
            Route("/login/{token}", self.login, methods=["GET"]),
            Route("/logout", self.logout, methods=["POST"]),
            *RequestPages(self).routes(),
            *ServicePages(self).routes(),
            *BookingPages(self).routes(),
            *BroadcastPages(self).routes(),
            *AdminPages(self).routes(),
            *RegisterPages(self).routes(),
        ]
        key = secret_key or secrets.token_urlsafe(32)
        inner = Starlette(routes=routes, middleware=[session.middleware(key, https_only)])
        return Mount("/desk", app=inner)

    def translator(self, request: Request, members: list[Member]) -> Translator:
        lang = request.query_params.get("lang") or request.session.get("lang")
        if lang in LANGUAGES:
            request.session["lang"] = lang
        elif members:
            municipality = self.engine.content.municipality(members[0].municipality_id)
            lang = municipality.default_language if municipality else "en"
        else:  # not signed in: the browser's language, if the desk speaks it
            accepted = request.headers.get("accept-language", "").replace("-", "_")
            offers = [part.split(";")[0].strip() for part in accepted.split(",")]
            lang = negotiate_locale(offers, list(LANGUAGES)) or "en"
        return self.engine.catalogs.get(str(lang))

    def render(
        self,
        request: Request,
        name: str,
        t: Translator,
        status: int = 200,
        done: str | None = None,
        **values: Any,
    ) -> HTMLResponse:
        """A page in the member's language; `done` (else ?done=) names what the page says after
        an action."""

        def translate(message: str, **fill: object) -> str:
            return t._(message) % fill if fill else t._(message)

        done = done or request.query_params.get("done", "")
        flash = FLASHES.get(done)
        context = {
            "_": translate,
            "lang": t.lang,
            "languages": [
                (code, self.engine.catalogs.get(code).language_name(), _with_lang(request, code))
                for code in LANGUAGES
            ],
            "user": session.session_id(request) is not None,
            "menu": menu(self.engine.content, getattr(request.state, "members", [])),
            "csrf": session.csrf_token(request),
            "flash": t._(flash) if flash else None,
            "flash_error": done in ERRORS,
            **values,
        }
        html = self.templates.get_template(name).render(context)
        return HTMLResponse(html, status_code=status)

    def message(
        self, request: Request, t: Translator, status: int, heading: str, text: str
    ) -> Response:
        return self.render(request, "message.html", t, status, heading=t._(heading), text=t._(text))

    def expired(self, request: Request, members: list[Member]) -> Response:
        """A form without this session's CSRF token: refused, nothing changed."""
        t = self.translator(request, members)
        text = N_("This form has expired. Open the page and try again.")
        return self.message(request, t, 403, N_("Refused"), text)

    async def members_of(self, request: Request) -> list[Member]:
        sid = session.session_id(request)
        if sid is None:
            return []
        now = self.engine.clock.now()
        members: list[Member] = await self.engine.database.unit(
            lambda conn: self.actions.signed_in(conn, sid, now)
        )
        if not members:
            session.sign_out(request)  # signed out, expired, or removed from the staff
        request.state.members = members  # the pages the menu offers
        return members

    async def signed_page(self, request: Request) -> tuple[list[Member], Translator] | Response:
        """A page's member and language; the sign-in page if signed out."""
        members = await self.members_of(request)
        if not members:
            return self.signed_out(request)
        return members, self.translator(request, members)

    async def signed_form(self, request: Request) -> tuple[list[Member], FormData] | Response:
        """A form's member and fields; the refusal if signed out or the CSRF token is wrong."""
        members = await self.members_of(request)
        if not members:
            return self.signed_out(request)
        form = await request.form()
        if not session.csrf_ok(request, form.get("csrf")):
            return self.expired(request, members)
        return members, form

    def signed_out(self, request: Request) -> Response:
        t = self.translator(request, [])
        return self.message(
            request,
            t,
            401,
            N_("Sign in"),
            N_(
                "Write /desk to the assistant in your private Telegram chat to get a sign-in"
                " link, or ask the operator for one (python -m bot staff desk-link)."
            ),
        )

    async def login(self, request: Request) -> Response:
        """A one-time link from the bot: a session, or a refusal if used or expired."""
        token = request.path_params["token"]
        now = self.engine.clock.now()
        sid = await self.engine.database.unit(lambda conn: desk_store.redeem_link(conn, token, now))
        if sid is None:
            t = self.translator(request, [])
            return self.message(
                request,
                t,
                403,
                N_("This link cannot be used"),
                N_("It was used or has expired. Write /desk to the assistant for a new one."),
            )
        session.sign_in(request, sid)
        return RedirectResponse("/desk/?done=signed-in", status_code=303)

    async def logout(self, request: Request) -> Response:
        """End the session (a form with the CSRF token)."""
        form = await request.form()
        sid = session.session_id(request)
        if sid is None or not session.csrf_ok(request, form.get("csrf")):
            return RedirectResponse("/desk/", status_code=303)
        now = self.engine.clock.now()
        await self.engine.database.unit(lambda conn: desk_store.end_session(conn, sid, now))
        session.sign_out(request)
        return RedirectResponse("/desk/?done=signed-out", status_code=303)


def _with_lang(request: Request, lang: str) -> str:
    """This page's address in another language (the day shown and the filters kept)."""
    kept = {k: v for k, v in request.query_params.items() if k not in ("lang", "done")}
    return "?" + urlencode({**kept, "lang": lang})
