"""A fake Telegram Bot API server on 127.0.0.1: real HTTP, recorded calls, injected errors."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

JSON_FIELDS = {
    "chat_id",
    "message_id",
    "reply_markup",
    "offset",
    "timeout",
    "limit",
    "allowed_updates",
    "commands",
    "show_alert",
    "cache_time",
    "drop_pending_updates",
    "max_connections",
}
BOT_USER = {"id": 1000, "is_bot": True, "first_name": "Assistant", "username": "assistant_bot"}


@dataclass
class Call:
    """One Bot API request the bot made."""

    method: str
    params: dict[str, Any]
    at: float = field(default_factory=time.monotonic)
    ok: bool = True  # False: answered with an error, or the connection was dropped


DROP = 0  # a Failure status: the connection closes with no answer, the call never arrives
TIMEOUT = -1  # a Failure status: no answer for longer than the client waits (5 s), never arrives


@dataclass
class Failure:
    """An error to answer instead of success, `times` times."""

    status: int
    description: str
    retry_after: int | None = None
    times: int = 1


class FakeTelegram:
    """Serves `/bot<token>/<method>` like api.telegram.org, for one test."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.failures: dict[str, list[Failure]] = {}
        self.messages: dict[int, dict[str, Any]] = {}  # the bot's messages, by id, as edited
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self._closing = False
        self._arrivals: dict[str, int] = {}
        self._hold: tuple[str, int] | None = None
        self.held = asyncio.Event()  # set when the held call arrives
        self.release = asyncio.Event()  # set by the test to let it go on
        self.url = ""

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.url = f"http://127.0.0.1:{port}"

    async def stop(self) -> None:
        async with self._changed:  # release long polls still waiting
            self._closing = True
            self._changed.notify_all()
        if self._runner is not None:
            await self._runner.cleanup()

    # What tests do --------------------------------------------------------------------------

    def hold(self, method: str, nth: int) -> None:
        """Keep the `nth` call of `method` in transit until `release` is set; if the client
        has gone by then (it was killed), the call never arrives, as on a real network."""
        self._hold = (method, nth)

    def fail(self, method: str, status: int, description: str, **kwargs: Any) -> None:
        """Answer the next call(s) of `method` with an error."""
        self.failures.setdefault(method, []).append(Failure(status, description, **kwargs))

    async def user_says(self, user_id: int, text: str, language_code: str = "lt") -> None:
        """A private message from a user, fetched by the bot's long polling."""
        await self._push(self.text_update(user_id, text, language_code))

    def text_update(self, user_id: int, text: str, language_code: str = "lt") -> dict[str, Any]:
        """The update of a private message; "/start x" gets its bot_command entity."""
        message = self._user_message(user_id, language_code, text=text)
        if text.startswith("/"):
            length = len(text.split()[0])
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        return {"update_id": next(self._update_ids), "message": message}

    async def user_shares_contact(self, user_id: int, phone: str, owner_id: int | None) -> None:
        """A contact card; `owner_id` is whose Telegram account it belongs to."""
        contact: dict[str, Any] = {"phone_number": phone, "first_name": "Ona"}
        if owner_id is not None:
            contact["user_id"] = owner_id
        await self._push({"message": self._user_message(user_id, "lt", contact=contact)})

    async def user_sends(self, user_id: int, **content: Any) -> None:
        """A private message with other content than text: voice, location, photo, sticker..."""
        await self._push({"message": self._user_message(user_id, "lt", **content)})

    async def user_edits(self, user_id: int, message_id: int, text: str) -> None:
        """The user changes the text of a message they sent before."""
        message = self._user_message(user_id, "lt", text=text)
        message.update(message_id=message_id, edit_date=int(time.time()))
        await self._push({"edited_message": message})

    async def user_presses(self, user_id: int, message_id: int, data: str) -> None:
        """A press on an inline button of one of the bot's messages."""
        query = {
            "id": str(next(self._update_ids) + 10_000),
            "from": self._user(user_id, "lt"),
            "chat_instance": "1",
            "message": self.messages[message_id],
            "data": data,
        }
        await self._push({"callback_query": query})

    async def group_message(self, chat_id: int, user_id: int, text: str) -> None:
        """A message in a group the bot is in."""
        message = self.text_update(user_id, text)["message"]
        message["chat"] = {"id": chat_id, "type": "group", "title": "Residents"}
        await self._push({"message": message})

    def sent(self, method: str = "sendMessage") -> list[Call]:
        """The calls of one method, oldest first."""
        return [call for call in self.calls if call.method == method]

    def delivered(self, method: str = "sendMessage") -> list[Call]:
        """The calls of one method that succeeded, oldest first."""
        return [call for call in self.sent(method) if call.ok]

    async def wait_for(self, method: str, count: int, within: float = 10.0) -> list[Call]:
        """Wait until `method` was called `count` times."""
        await self.wait_until(lambda: len(self.sent(method)) >= count, within)
        return self.sent(method)

    async def wait_until(self, condition: Callable[[], bool], within: float = 10.0) -> None:
        """Wait until a condition on the recorded calls and messages holds."""
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(condition), within)

    def chat_messages(self, chat_id: int) -> list[dict[str, Any]]:
        """The bot's messages delivered to a chat, oldest first."""
        return [m for m in self.messages.values() if m["chat"]["id"] == chat_id]

    def last_message(self, chat_id: int) -> dict[str, Any]:
        """The bot's newest message to a chat, as edited since."""
        return max(self.chat_messages(chat_id), key=lambda m: m["message_id"])

    @staticmethod
    def buttons(message: dict[str, Any]) -> list[tuple[str, str]]:
        """(label, callback data) of a message's inline keyboard."""
        markup = message.get("reply_markup") or {}
        rows = markup.get("inline_keyboard", [])
        return [(b["text"], b["callback_data"]) for row in rows for b in row]

    # The server ---------------------------------------------------------------------------

    async def _push(self, update: dict[str, Any]) -> None:
        async with self._changed:
            update.setdefault("update_id", next(self._update_ids))
            self._updates.append(update)
            self._changed.notify_all()

    def _user(self, user_id: int, language_code: str) -> dict[str, Any]:
        return {"id": user_id, "is_bot": False, "first_name": "Ona", "language_code": language_code}

    def _user_message(self, user_id: int, language_code: str, **content: Any) -> dict[str, Any]:
        return {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": user_id, "type": "private", "first_name": "Ona"},
            "from": self._user(user_id, language_code),
            **content,
        }

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = {key: _decode(key, value) for key, value in (await request.post()).items()}
        if request.content_type == "application/json":
            params.update(await request.json())
        if method == "getUpdates":
            return _ok(await self._get_updates(params))
        self._arrivals[method] = self._arrivals.get(method, 0) + 1
        failures = self.failures.get(method)
        if failures and failures[0].status == TIMEOUT:
            self._consume(failures)
            await asyncio.sleep(6)  # python-telegram-bot gives up after 5 s (TimedOut)
            return web.Response(status=504)
        if self._hold == (method, self._arrivals[method]):
            self.held.set()
            await self.release.wait()
            if request.transport is None or request.transport.is_closing():
                return web.Response(status=499)  # the sender is gone: nothing was delivered
        async with self._changed:  # record and answer at once, so waiters see both
            call = Call(method, params)
            self.calls.append(call)
            self._changed.notify_all()
            failures = self.failures.get(method)
            if failures:
                call.ok = False
                failure = self._consume(failures)
                if failure.status == DROP and request.transport is not None:
                    request.transport.close()  # as a connection lost before Telegram got it
                return _error(failure)
            return _ok(self._answer(method, params))

    @staticmethod
    def _consume(failures: list[Failure]) -> Failure:
        failure = failures[0]
        failure.times -= 1
        if failure.times <= 0:
            failures.pop(0)
        return failure

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        timeout = float(params.get("timeout") or 0)
        async with self._changed:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
            if not self._updates and timeout:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(
                        self._changed.wait_for(lambda: bool(self._updates) or self._closing),
                        timeout,
                    )
            return list(self._updates)

    def _answer(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return BOT_USER
        if method == "sendMessage":
            message = {
                "message_id": next(self._message_ids),
                "date": int(time.time()),
                "chat": {"id": int(params["chat_id"]), "type": "private"},
                "from": BOT_USER,
                "text": params.get("text", ""),
            }
            markup = params.get("reply_markup")
            if isinstance(markup, dict) and "inline_keyboard" in markup:  # as Telegram returns it
                message["reply_markup"] = markup
            self.messages[message["message_id"]] = message
            return message
        if method == "sendVoice":  # a voice note sent on by its file id
            return {
                "message_id": next(self._message_ids),
                "date": int(time.time()),
                "chat": {"id": int(params["chat_id"]), "type": "private"},
                "from": BOT_USER,
                "voice": {"file_id": params["voice"], "file_unique_id": "v", "duration": 1},
                "caption": params.get("caption", ""),
            }
        if method == "editMessageText":
            message = self.messages[int(params["message_id"])]
            message["text"] = params.get("text", "")
            message["reply_markup"] = params.get("reply_markup")
            return message
        return True


def _decode(key: str, value: Any) -> Any:
    if key in JSON_FIELDS and isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _ok(result: Any) -> web.Response:
    return web.json_response({"ok": True, "result": result})


def _error(failure: Failure) -> web.Response:
    body: dict[str, Any] = {
        "ok": False,
        "error_code": failure.status,
        "description": failure.description,
    }
    if failure.retry_after is not None:
        body["parameters"] = {"retry_after": failure.retry_after}
    return web.json_response(body, status=failure.status)
