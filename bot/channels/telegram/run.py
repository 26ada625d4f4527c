"""Run the bot until SIGINT/SIGTERM: long polling, or a webhook served beside /healthz."""

from __future__ import annotations

import asyncio
import logging
import signal

from telegram.error import InvalidToken, NetworkError
from telegram.ext import Application

from bot.channels.telegram.app import ALLOWED_UPDATES, build_application
from bot.channels.telegram.handlers import CHANNEL
from bot.channels.telegram.render import register_commands
from bot.channels.telegram.webhook import webhook_route
from bot.dispatch import Dispatcher
from bot.settings import Settings, SettingsError
from bot.web import create_web_app, make_server
from dialogs.engine import Engine
from dialogs.staff_cards import GROUP_CHANNEL

log = logging.getLogger(__name__)
WEBHOOK_PATH = "/telegram"


def stop_event() -> asyncio.Event:
    """An event set by SIGINT or SIGTERM."""
    event = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, event.set)
    return event


async def run_telegram(settings: Settings, engine: Engine, stop: asyncio.Event) -> None:
    """Serve Telegram until `stop` is set; updates already received are processed first."""
    polling = settings.telegram_webhook_url is None
    application, channel = build_application(settings, engine, polling=polling)
    try:
        await application.initialize()  # getMe: checks the token and the server
    except InvalidToken as error:
        raise SettingsError(f"Telegram refused TELEGRAM_BOT_TOKEN ({error})") from None
    except NetworkError as error:
        url = settings.telegram_base_url
        raise SettingsError(f"cannot reach the Telegram Bot API at {url} ({error})") from None
    senders = {CHANNEL: channel.notify, GROUP_CHANNEL: channel.notify_group}
    dispatcher = Dispatcher(engine, senders, settings.outbox_interval)
    async with application:  # already initialized; shuts down at the end
        await register_commands(application.bot, engine.catalogs)
        delivering = asyncio.create_task(dispatcher.run(stop))
        if polling:
            await _poll(application, stop)
        else:
            await _serve_webhook(application, settings, stop)
        await delivering


async def _poll(application: Application, stop: asyncio.Event) -> None:  # type: ignore[type-arg]
    updater = application.updater
    assert updater is not None
    await updater.start_polling(allowed_updates=ALLOWED_UPDATES)
    await application.start()
    log.warning("Telegram bot @%s is polling for updates", application.bot.username)
    await stop.wait()
    await updater.stop()
    await application.stop()  # processes what the queue still holds


async def _serve_webhook(
    application: Application,  # type: ignore[type-arg]
    settings: Settings,
    stop: asyncio.Event,
) -> None:
    assert settings.telegram_webhook_url
    assert settings.telegram_webhook_secret
    routes = [webhook_route(application, settings.telegram_webhook_secret, WEBHOOK_PATH)]
    server = make_server(create_web_app(routes), settings.http_host, settings.http_port)
    await application.start()
    serving = asyncio.create_task(server.serve())
    await application.bot.set_webhook(
        f"{settings.telegram_webhook_url}{WEBHOOK_PATH}",
        secret_token=settings.telegram_webhook_secret,
        allowed_updates=ALLOWED_UPDATES,
    )
    log.warning("Telegram webhook served on %s:%d", settings.http_host, settings.http_port)
    stopping = asyncio.create_task(stop.wait())
    await asyncio.wait({serving, stopping}, return_when=asyncio.FIRST_COMPLETED)
    server.should_exit = True
    await serving
    stopping.cancel()
    await application.stop()
