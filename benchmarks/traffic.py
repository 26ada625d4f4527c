"""Simulated residents: realistic mixed conversations fed to a python-telegram-bot Application."""

from __future__ import annotations

import itertools
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from benchmarks.local_api import LocalBotApi
from tests.flows import PERSONAS

Feed = Callable[[dict[str, Any]], Awaitable[None]]


@dataclass
class Traffic:
    """What the residents sent and how long each update took to be answered."""

    updates: dict[int, list[dict[str, Any]]] = field(default_factory=dict)  # by resident
    latencies: list[float] = field(default_factory=list)
    missed_presses: int = 0


class Residents:
    """Builds the updates residents send, as Telegram would deliver them."""

    def __init__(self, api: LocalBotApi, seed: int = 7) -> None:
        self.api = api
        self._ids = itertools.count(1)
        self._random = random.Random(seed)

    def user(self, user_id: int, language: str) -> dict[str, Any]:
        """The `from` of a resident's updates."""
        return {"id": user_id, "is_bot": False, "first_name": "Ona", "language_code": language}

    def message(self, user_id: int, language: str, **content: Any) -> dict[str, Any]:
        """A private message update."""
        number = next(self._ids)
        chat = {"id": user_id, "type": "private", "first_name": "Ona"}
        message = {
            "message_id": 1_000_000 + number,
            "date": int(time.time()),
            "chat": chat,
            "from": self.user(user_id, language),
            **content,
        }
        return {"update_id": number, "message": message}

    def step(self, user_id: int, language: str, step: str) -> dict[str, Any] | None:
        """The update of one persona step; None when the button to press is not there."""
        if step == "share":
            phone = f"+3712{user_id % 10**7:07d}"
            card = {"phone_number": phone, "first_name": "Ona", "user_id": user_id}
            return self.message(user_id, language, contact=card)
        if step.startswith("press:"):
            return self._press(user_id, language, step.removeprefix("press:"))
        text = step.removeprefix("say:")
        update = self.message(user_id, language, text=text)
        if text.startswith("/"):
            length = len(text.split()[0])
            update["message"]["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        return update

    def _press(self, user_id: int, language: str, action: str) -> dict[str, Any] | None:
        message = self.api.newest.get(user_id)
        rows = (message or {}).get("reply_markup", {}).get("inline_keyboard", [])
        found = [
            button["callback_data"]
            for row in rows
            for button in row
            if button["callback_data"] == action or button["callback_data"].startswith(action + ":")
        ]
        if message is None or not found:
            return None
        number = next(self._ids)
        query = {
            "id": str(number),
            "from": self.user(user_id, language),
            "chat_instance": str(user_id),
            "message": message,
            "data": self._random.choice(found),
        }
        return {"update_id": number, "callback_query": query}


async def converse(
    residents: Residents, feed: Feed, user_id: int, persona: str, traffic: Traffic
) -> None:
    """One resident's conversation, each message sent once the previous one is answered."""
    language = persona[:2]
    sent = traffic.updates.setdefault(user_id, [])
    for step in PERSONAS[persona]:
        update = residents.step(user_id, language, step)
        if update is None:
            traffic.missed_presses += 1
            continue
        sent.append(update)
        started = time.perf_counter()
        await feed(update)
        traffic.latencies.append(time.perf_counter() - started)


async def replay(feed: Feed, updates: list[dict[str, Any]], traffic: Traffic) -> None:
    """Send recorded updates again, one after another, timing each."""
    for update in updates:
        started = time.perf_counter()
        await feed(update)
        traffic.latencies.append(time.perf_counter() - started)


def cast(count: int) -> list[tuple[int, str]]:
    """`count` residents (user id, persona), the personas in turn."""
    names = sorted(PERSONAS)
    return [(50_000 + n, names[n % len(names)]) for n in range(count)]
