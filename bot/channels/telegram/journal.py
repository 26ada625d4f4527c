"""Nothing lost in a crash: updates are journaled in the inbox before Telegram hears they
arrived (the next getUpdates or the webhook's 200 tells it), and replayed at start."""

from __future__ import annotations

import json
import logging
from typing import Any

from telegram import Update
from telegram.ext import Application
from telegram.request import HTTPXRequest, RequestData

from bot.channels.port import Assistant
from bot.channels.telegram.handlers import CHANNEL

log = logging.getLogger(__name__)


async def journal(assistant: Assistant, updates: list[Any]) -> None:
    """Write updates (Bot API JSON) to the inbox. A database that cannot take them cannot
    take the residents' turns either: they are let through, to be told to try again later."""
    items = [
        (str(update["update_id"]), json.dumps(update, ensure_ascii=False))
        for update in updates
        if isinstance(update, dict) and isinstance(update.get("update_id"), int)
    ]
    if not items:
        return
    try:
        await assistant.journal(CHANNEL, items)
    except Exception as error:
        log.error("%d Telegram update(s) not journaled: %s", len(items), error)


class JournalingRequest(HTTPXRequest):
    """PTB's HTTP client for getUpdates, journaling each batch before PTB can confirm it."""

    def __init__(self, assistant: Assistant) -> None:
        super().__init__(connection_pool_size=1)  # as PTB's own getUpdates client
        self._assistant = assistant

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        """Ask Telegram; journal what getUpdates brought before handing it to PTB."""
        code, payload = await super().do_request(
            url, method, request_data, read_timeout, write_timeout, connect_timeout, pool_timeout
        )
        if code == 200 and url.endswith("/getUpdates"):
            try:
                result = json.loads(payload).get("result")
            except (ValueError, AttributeError):
                result = None
            if isinstance(result, list):
                await journal(self._assistant, result)
        return code, payload


async def replay(application: Application, assistant: Assistant) -> int:  # type: ignore[type-arg]
    """Queue the updates a crash left journaled but not handled; return how many."""
    pending = await assistant.unhandled(CHANNEL)
    for _, body in pending:
        update = Update.de_json(json.loads(body), application.bot)
        if update is not None:
            await application.update_queue.put(update)
    if pending:
        log.warning("%d Telegram update(s) received before a crash are handled now", len(pending))
    return len(pending)
