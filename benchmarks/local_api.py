"""The Bot API answered in-process: python-telegram-bot's request class with no sockets."""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from typing import Any

from telegram.request import BaseRequest, RequestData

BOT_USER = {"id": 1000, "is_bot": True, "first_name": "Assistant", "username": "assistant_bot"}


class LocalBotApi(BaseRequest):
    """Answers every call as Telegram would and keeps each chat's newest bot message."""

    def __init__(self) -> None:
        self.calls = 0
        self.newest: dict[int, dict[str, Any]] = {}  # chat id -> the bot's newest message
        self._message_ids = itertools.count(1)
        self._waiting: dict[int, asyncio.Future[None]] = {}  # chat id -> its next message

    def next_message(self, chat_id: int) -> asyncio.Future[None]:
        """Done when the bot next sends or edits a message in the chat: what the resident
        waits for (answers leave through the outbox, after the update's handler is done)."""
        future = asyncio.get_running_loop().create_future()
        self._waiting[chat_id] = future
        return future

    @property
    def read_timeout(self) -> float:
        """Nothing waits on a network."""
        return 1.0

    async def initialize(self) -> None:
        """No connection pool to open."""

    async def shutdown(self) -> None:
        """No connection pool to close."""

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
        """Answer one Bot API call with a success."""
        self.calls += 1
        api_method = url.rsplit("/", 1)[-1]
        params = request_data.parameters if request_data else {}
        result = self._answer(api_method, params)
        return 200, json.dumps({"ok": True, "result": result}).encode()

    def _answer(self, api_method: str, params: dict[str, Any]) -> Any:
        if api_method == "getMe":
            return BOT_USER
        if api_method == "getUpdates":
            return []
        if api_method in ("sendMessage", "editMessageText"):
            chat_id = int(params["chat_id"])
            message = {
                "message_id": int(params.get("message_id") or next(self._message_ids)),
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private"},
                "from": BOT_USER,
                "text": params.get("text", ""),
            }
            markup = params.get("reply_markup")
            if isinstance(markup, str):  # sent as the JSON the Bot API receives
                markup = json.loads(markup)
            if isinstance(markup, dict) and "inline_keyboard" in markup:
                message["reply_markup"] = markup
            self.newest[chat_id] = message
            waiting = self._waiting.pop(chat_id, None)
            if waiting is not None and not waiting.done():
                waiting.set_result(None)
            return message
        return True
