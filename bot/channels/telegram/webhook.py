"""The `/telegram` webhook route: a constant-time secret check, then PTB's update queue."""

from __future__ import annotations

import hmac
import logging
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from telegram import Update
from telegram.ext import Application

from bot.channels.port import Assistant
from bot.channels.telegram.journal import journal

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def webhook_route(
    application: Application,  # type: ignore[type-arg]
    assistant: Assistant,
    secret: str,
    path: str = "/telegram",
) -> Route:
    """A POST route that journals and queues Telegram's updates; 403 without the right secret."""

    async def receive(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), secret.encode()):
            log.warning("webhook call with a wrong or missing secret refused")
            assistant.refused("telegram", "secret")
            return Response(status_code=403)
        try:
            data: Any = await request.json()
            update = Update.de_json(data, application.bot) if isinstance(data, dict) else None
        except Exception:  # malformed JSON or an update PTB cannot read
            update = None
        if update is None:
            assistant.refused("telegram", "malformed")
            return Response(status_code=400)
        await journal(assistant, [data])
        await application.update_queue.put(update)
        return Response(status_code=200)

    return Route(path, receive, methods=["POST"])
