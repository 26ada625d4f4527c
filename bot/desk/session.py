"""The desk's session: a signed, HttpOnly, SameSite=Strict cookie (Starlette's, signed with
itsdangerous) that holds only a random session id (its record is in the database, where
signing out ends it), a CSRF token and the chosen language; who the member is allowed to be is
read from the database on every request."""

from __future__ import annotations

import hmac
import secrets

from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request

SESSION_HOURS = 8  # a working day; signing in again takes one message to the bot
COOKIE = "desk"


def middleware(secret_key: str, https_only: bool) -> Middleware:
    """The session cookie's middleware."""
    return Middleware(
        SessionMiddleware,
        secret_key=secret_key,
        session_cookie=COOKIE,
        max_age=SESSION_HOURS * 3600,
        path="/desk",
        same_site="strict",
        https_only=https_only,
    )


def sign_in(request: Request, session_id: str) -> None:
    """A fresh session (a new CSRF token; only the chosen language kept from before)."""
    sign_out(request)
    request.session.update({"sid": session_id, "csrf": secrets.token_urlsafe(24)})


def sign_out(request: Request) -> None:
    """Forget the session in the cookie (the language chosen stays)."""
    lang = request.session.get("lang")
    request.session.clear()
    if lang:
        request.session["lang"] = lang


def session_id(request: Request) -> str | None:
    """The cookie's session id, if any (whether it is still live is the database's say)."""
    found = request.session.get("sid")
    return str(found) if found else None


def csrf_token(request: Request) -> str:
    """The session's CSRF token, made on first need."""
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(24)
        request.session["csrf"] = token
    return str(token)


def csrf_ok(request: Request, sent: object) -> bool:
    """Whether a form carried this session's token."""
    expected = request.session.get("csrf")
    return bool(expected) and isinstance(sent, str) and hmac.compare_digest(sent, str(expected))
