"""Runs the real bot (run_telegram, as `python -m bot run` does) against the fake server."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from bot.runner import run_channels
from bot.settings import Settings
from dialogs.pipeline.engine import Engine
from tests.bot.fake_telegram import FakeTelegram

TOKEN = "123456:TEST-TOKEN"


def bot_settings(fake: FakeTelegram, **env: str) -> Settings:
    """Settings as the environment of `python -m bot run` would give them."""
    return Settings.from_env(
        {
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_BASE_URL": fake.url,
            "TELEGRAM_CHAT_RATE": "100",  # the 1/s default is tested on its own
            **env,
        }
    )


@asynccontextmanager
async def running_bot(fake: FakeTelegram, engine: Engine, **env: str) -> AsyncIterator[None]:
    """The bot serving until the block ends, then stopped as SIGTERM would stop it."""
    stop = asyncio.Event()
    task = asyncio.create_task(run_channels(bot_settings(fake, **env), engine, stop))
    ready = "setWebhook" if "TELEGRAM_WEBHOOK_URL" in env else "deleteWebhook"
    await fake.wait_for(ready, len(fake.sent(ready)) + 1)
    try:
        yield
    finally:
        stop.set()
        await asyncio.wait_for(task, 30)


class TelegramUser:
    """A Telegram user in a private chat with the bot."""

    def __init__(self, fake: FakeTelegram, user_id: int, language_code: str = "lt") -> None:
        self.fake = fake
        self.id = user_id
        self.language_code = language_code

    async def say(self, text: str) -> dict[str, Any]:
        """Send text and return the bot's answer."""
        count = len(self.fake.chat_messages(self.id))
        await self.fake.user_says(self.id, text, self.language_code)
        await self.fake.wait_until(lambda: len(self.fake.chat_messages(self.id)) > count)
        return self.fake.last_message(self.id)

    async def press(self, label: str) -> dict[str, Any]:
        """Press the button whose label contains `label` on the newest message."""
        message = self.fake.last_message(self.id)
        found = [data for text, data in self.fake.buttons(message) if label in text]
        assert len(found) == 1, (label, self.fake.buttons(message))
        return await self.press_data(message["message_id"], found[0])

    async def press_data(self, message_id: int, data: str) -> dict[str, Any]:
        """Press a button with this callback data on a message; return the edited message, or
        the new one when the answer cannot be an edit (it asks for a contact card)."""
        edits, count = len(self.fake.sent("editMessageText")), len(self.fake.chat_messages(self.id))
        await self.fake.user_presses(self.id, message_id, data)
        await self.fake.wait_until(
            lambda: (
                len(self.fake.sent("editMessageText")) > edits
                or len(self.fake.chat_messages(self.id)) > count
            )
        )
        if len(self.fake.chat_messages(self.id)) > count:
            return self.fake.last_message(self.id)
        return self.fake.messages[message_id]

    async def sends(self, **content: Any) -> dict[str, Any]:
        """Send a message without text (voice=..., location=..., photo=...); return the answer."""
        count = len(self.fake.chat_messages(self.id))
        await self.fake.user_sends(self.id, **content)
        await self.fake.wait_until(lambda: len(self.fake.chat_messages(self.id)) > count)
        return self.fake.last_message(self.id)

    async def share_own_contact(self, phone: str) -> dict[str, Any]:
        """Share the user's own contact card and return the bot's answer."""
        count = len(self.fake.chat_messages(self.id))
        await self.fake.user_shares_contact(self.id, phone, owner_id=self.id)
        await self.fake.wait_until(lambda: len(self.fake.chat_messages(self.id)) > count)
        return self.fake.last_message(self.id)
