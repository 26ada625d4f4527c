"""The desk's session: a signed, HttpOnly, SameSite=Strict cookie (Starlette's, signed with
itsdangerous) that holds only the staff member's id, a CSRF token and the chosen language; who
they are allowed to be is read from the database on every request."""

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


def sign_in(request: Request, user_id: str) -> None:
    """A fresh session for the member (a new CSRF token; nothing kept from before)."""
    lang = request.session.get("lang")
    request.session.clear()
    request.session.update({"user": user_id, "csrf": secrets.token_urlsafe(24)})
    if lang:
        request.session["lang"] = lang


def user_of(request: Request) -> str | None:
    """The signed-in member's id, if any."""
    user = request.session.get("user")
    return str(user) if user else None


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
