"""Build the python-telegram-bot Application exactly as `python -m bot run` uses it."""

from __future__ import annotations

from telegram.ext import Application, ApplicationBuilder
from telegram.request import BaseRequest

from bot.channels.port import Assistant
from bot.channels.telegram.handlers import TelegramChannel
from bot.channels.telegram.journal import JournalingRequest
from bot.channels.telegram.limits import PerChatUpdateProcessor, rate_limiter
from bot.settings import Settings

ALLOWED_UPDATES = ["message", "edited_message", "callback_query"]


def build_application(
    settings: Settings,
    assistant: Assistant,
    *,
    polling: bool,
    request: BaseRequest | None = None,
) -> tuple[Application, TelegramChannel]:  # type: ignore[type-arg]
    """An Application against TELEGRAM_BASE_URL (no updater for webhooks), and the channel;
    `request` replaces the HTTP client (the benchmarks answer in-process)."""
    assert settings.telegram_token, "the caller checks the token"
    base = settings.telegram_base_url
    builder: ApplicationBuilder = (  # type: ignore[type-arg]
        Application.builder()
        .token(settings.telegram_token)
        .base_url(f"{base}/bot")
        .base_file_url(f"{base}/file/bot")
        .rate_limiter(rate_limiter(settings.telegram_overall_rate))
        .concurrent_updates(PerChatUpdateProcessor())
    )
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    elif polling:
        builder = builder.get_updates_request(JournalingRequest(assistant))
    if not polling:
        builder = builder.updater(None)
    application = builder.build()
    channel = TelegramChannel(assistant, application.bot)
    channel.register(application)
    return application, channel
