"""Telegram's part of the running process: start (polling or webhook) and stop cleanly."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from starlette.routing import BaseRoute
from telegram.error import InvalidToken, NetworkError
from telegram.ext import Application

from bot.channels.port import Assistant
from bot.channels.telegram.app import ALLOWED_UPDATES, build_application
from bot.channels.telegram.handlers import CHANNEL
from bot.channels.telegram.journal import replay
from bot.channels.telegram.render import register_commands
from bot.channels.telegram.webhook import webhook_route
from bot.delivery import Sender
from bot.settings import Settings, SettingsError
from dialogs.types import Channel

log = logging.getLogger(__name__)
WEBHOOK_PATH = "/telegram"


@dataclass
class TelegramRuntime:
    """The bot's Application with the routes and senders it adds to the process."""

    settings: Settings
    assistant: Assistant
    application: Application  # type: ignore[type-arg]
    routes: list[BaseRoute] = field(default_factory=list)
    senders: dict[str, Sender] = field(default_factory=dict)

    @property
    def bot_username(self) -> str:
        """The bot's @username, as getMe gave it at initialize."""
        return str(self.application.bot.username)

    @property
    def polling(self) -> bool:
        """True without a webhook URL."""
        return self.settings.telegram_webhook_url is None

    @classmethod
    async def create(cls, settings: Settings, assistant: Assistant) -> TelegramRuntime:
        """Build and initialize the bot (getMe checks the token and the server)."""
        polling = settings.telegram_webhook_url is None
        application, channel = build_application(settings, assistant, polling=polling)
        try:
            await application.initialize()
        except InvalidToken as error:
            raise SettingsError(f"Telegram refused TELEGRAM_BOT_TOKEN ({error})") from None
        except NetworkError as error:
            url = settings.telegram_base_url
            raise SettingsError(f"cannot reach the Telegram Bot API at {url} ({error})") from None
        await register_commands(application.bot, assistant)
        runtime = cls(settings, assistant, application)
        runtime.senders = {CHANNEL: channel.send, Channel.TELEGRAM_GROUP: channel.send}
        if not polling:
            assert settings.telegram_webhook_secret
            runtime.routes = [
                webhook_route(
                    application, assistant, settings.telegram_webhook_secret, WEBHOOK_PATH
                )
            ]
        return runtime

    async def start(self) -> None:
        """Begin taking updates: long polling, or register the webhook."""
        await self.application.start()
        await replay(self.application, self.assistant)  # before new ones: the order is kept
        if self.polling:
            assert self.application.updater is not None
            await self.application.updater.start_polling(allowed_updates=ALLOWED_UPDATES)
            log.warning("Telegram bot @%s is polling for updates", self.application.bot.username)
            return
        await self.application.bot.set_webhook(
            f"{self.settings.telegram_webhook_url}{WEBHOOK_PATH}",
            secret_token=self.settings.telegram_webhook_secret,
            allowed_updates=ALLOWED_UPDATES,
        )
        log.warning(
            "Telegram webhook set on %s%s", self.settings.telegram_webhook_url, WEBHOOK_PATH
        )

    async def stop(self) -> None:
        """Stop taking updates and answer (into the outbox) those already received."""
        if self.polling and self.application.updater is not None:
            await self.application.updater.stop()
        await self.application.stop()

    async def shutdown(self) -> None:
        """Release the bot's connections (after delivery's last messages)."""
        await self.application.shutdown()
