"""`python -m bot run` with channels configured: Telegram and SMS in one process, one web app."""

from __future__ import annotations

import asyncio
import gc
import logging
import signal
from collections.abc import Awaitable
from pathlib import Path

from starlette.routing import BaseRoute

from bot.app import wire
from bot.backups import keep_daily_copies
from bot.channels.telegram.run import TelegramRuntime
from bot.delivery import Delivery
from bot.desk.app import Desk
from bot.operator_routes import operator_routes
from bot.settings import Settings, SettingsError
from bot.web import Server, create_web_app, make_server
from dialogs.core.clock import local_today
from dialogs.pipeline.engine import Engine
from dialogs.pipeline.warm import warm_up
from dialogs.types import Channel

log = logging.getLogger(__name__)


def stop_event() -> asyncio.Event:
    """An event set by SIGINT or SIGTERM."""
    event = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, event.set)
    return event


async def settle_after(loading: Awaitable[object]) -> None:
    """Once start-up has loaded everything, freeze it: full garbage collections then walk only
    what turns create (walking the models and content stopped the loop for 80-180 ms)."""
    await loading
    gc.collect()
    gc.freeze()


async def _serve(server: Server, settings: Settings) -> bool:
    """Serve the web app; False if it could not listen (said in one line: uvicorn would exit
    the process)."""
    try:
        await server.serve()
    except (OSError, SystemExit):
        log.error(
            "the web app could not listen on %s:%d (is the port in use? HTTP_PORT)",
            settings.http_host,
            settings.http_port,
        )
        return False
    return True


def desk_route(engine: Engine, delivery: Delivery, settings: Settings) -> BaseRoute:
    """The staff desk at /desk, its sign-in links pointing at it."""
    engine.staff.desk_url = settings.desk_base_url
    https = settings.desk_base_url.startswith("https://")
    return Desk(engine, delivery.wake, settings.sms_enabled).app(settings.desk_cookie_key, https)


async def run_channels(settings: Settings, engine: Engine, stop: asyncio.Event) -> None:
    """Serve every configured channel until `stop` is set, then stop cleanly."""
    assistant, delivery = wire(engine, settings)
    telegram = (
        await TelegramRuntime.create(settings, assistant) if settings.telegram_token else None
    )
    sms = None
    if settings.sms_enabled:  # imported only then: Twilio's client brings aiohttp (0.2 s)
        from bot.channels.sms import channel as sms_channel

        sms = sms_channel.SmsChannel(assistant, settings)
    routes: list[BaseRoute] = [desk_route(engine, delivery, settings)]  # always served
    if telegram is not None:
        engine.staff.bot_username = telegram.bot_username  # invites become t.me links
        routes += telegram.routes
        delivery.senders.update(telegram.senders)
    if sms is not None:
        routes += sms.routes()
        delivery.senders[Channel.SMS] = sms.send
    # Webhooks (Telegram's, Twilio's) need the web app; with polling alone it only serves the
    # staff desk, and a taken port leaves residents served without it.
    needed = len(routes) > 1
    if assistant.metrics is not None:
        routes += operator_routes(assistant.metrics)
    server = make_server(create_web_app(routes), settings.http_host, settings.http_port)
    serving = asyncio.create_task(_serve(server, settings))
    # Load the language and intent models (and what else turns load on first use) now, so the
    # first residents do not wait for them; then what start-up built is set outside the
    # garbage collector's sight.
    today = local_today(engine.clock)
    warming = asyncio.create_task(
        settle_after(asyncio.to_thread(warm_up, engine.content, engine.catalogs, today))
    )
    database = Path(engine.database.path)
    copying = asyncio.create_task(keep_daily_copies(settings, database, stop))
    try:
        # Half-sent messages of a killed run are taken back before anything new is claimed.
        await delivery.recover()
        delivered = asyncio.Event()  # set once the channels have stopped taking messages
        delivering = asyncio.create_task(delivery.run(delivered, recover=False))
        if telegram is not None:
            await telegram.start()
        log.warning(
            "web app on %s:%d (%d routes)", settings.http_host, settings.http_port, len(routes)
        )
        waiting = asyncio.create_task(stop.wait())
        watched = {waiting, serving} if needed else {waiting}
        await asyncio.wait(watched, return_when=asyncio.FIRST_COMPLETED)
        stop.set()
        server.should_exit = True
        lost = needed and not await serving  # the webhooks' server never listened
        if telegram is not None:
            await telegram.stop()  # answers to updates already received reach the outbox
        delivered.set()
        await delivering  # a last round, then sends under way finish
        await copying
        await warming
        if lost:
            where = f"{settings.http_host}:{settings.http_port}"
            raise SettingsError(f"the web app could not listen on {where} (HTTP_PORT in use?)")
    finally:
        stop.set()  # the daily copies' loop ends too
        await copying
        if not serving.done():
            server.should_exit = True
            await serving
        if telegram is not None:
            await telegram.shutdown()
        if sms is not None:
            await sms.close()
