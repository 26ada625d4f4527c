"""Updates per second: the assistant through python-telegram-bot against a bare echo bot.

Both get the same updates through `Application.update_queue`, answer through an in-process
request class (no sockets) and are measured in the same run; the echo bot is the ceiling.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.ext import (
    Application,
    ContextTypes,
    TypeHandler,
)

from benchmarks.echo import canned_bot, echo_bot, open_store
from benchmarks.local_api import LocalBotApi
from benchmarks.open_loop import sweep
from benchmarks.traffic import Feed, Residents, Traffic, cast, converse, replay
from bot.app import open_engine, wire
from bot.channels.telegram.app import build_application
from bot.runner import settle_after
from bot.settings import Settings
from dialogs.core.clock import local_today
from dialogs.pipeline.warm import warm_up
from dialogs.types import Channel
from storage.db import Database

TOKEN = "123456:BENCHMARK"
DONE_GROUP = 99  # a handler group after every other: the update has been answered


def chat_of(data: dict[str, Any]) -> int:
    """The private chat an update comes from."""
    if "callback_query" in data:
        return int(data["callback_query"]["from"]["id"])
    return int(data["message"]["chat"]["id"])


@asynccontextmanager
async def feeding(
    application: Application,  # type: ignore[type-arg]
    api: LocalBotApi,
) -> AsyncIterator[Feed]:
    """Start the application; the feed puts an update on its queue and waits until it is
    handled and its answer has reached the chat."""
    waiting: dict[int, asyncio.Future[None]] = {}

    async def done(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        if isinstance(update, Update):
            waiting.pop(update.update_id).set_result(None)

    application.add_handler(TypeHandler(Update, done), group=DONE_GROUP)

    async def feed(data: dict[str, Any]) -> None:
        future = asyncio.get_running_loop().create_future()
        waiting[data["update_id"]] = future
        answer = api.next_message(chat_of(data))
        await application.update_queue.put(Update.de_json(data, application.bot))
        await asyncio.gather(future, answer)

    async with application:
        await application.start()
        try:
            yield feed
        finally:
            await application.stop()


def summary(traffic: Traffic, seconds: float) -> dict[str, float]:
    """Updates per second and latency percentiles in milliseconds."""
    latencies = sorted(traffic.latencies)
    cuts = statistics.quantiles(latencies, n=100)
    return {
        "updates": len(latencies),
        "seconds": round(seconds, 2),
        "updates_per_second": round(len(latencies) / seconds, 1),
        "p50_ms": round(cuts[49] * 1000, 2),
        "p99_ms": round(cuts[98] * 1000, 2),
    }


ALONE = 40  # residents one after another: the latency of an update on an idle bot


async def timed(conversations: list[Awaitable[None]], together: bool) -> float:
    """Run conversations all at once or one after another; the seconds they took."""
    started = time.perf_counter()
    if together:
        await asyncio.gather(*conversations)
    else:
        for conversation in conversations:
            await conversation
    return time.perf_counter() - started


@asynccontextmanager
async def assistant_feed(path: Path) -> AsyncIterator[tuple[Feed, LocalBotApi]]:
    """The assistant with its real engine, a SQLite file and its delivery loop, fed updates."""
    settings = Settings.from_env(
        {
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "BOT_DATABASE": str(path),
            "BOT_TODAY": "2021-11-01",
            "TELEGRAM_CHAT_RATE": "1000",  # the residents are simulated, not Telegram's users
            "TELEGRAM_OVERALL_RATE": "0",
        }
    )
    api = LocalBotApi()
    async with open_engine(settings) as engine:
        today = local_today(engine.clock)  # warmed up as `python -m bot run` starts
        await settle_after(asyncio.to_thread(warm_up, engine.content, engine.catalogs, today))
        assistant, delivery = wire(engine, settings)
        application, channel = build_application(settings, assistant, polling=False, request=api)
        delivery.senders.update({Channel.TELEGRAM: channel.send})
        stop = asyncio.Event()
        delivering = asyncio.create_task(delivery.run(stop))
        try:
            async with feeding(application, api) as feed:
                yield feed, api
        finally:
            stop.set()
            await delivering


async def measure_assistant(
    count: int, folder: Path, together: bool = True
) -> tuple[dict[str, float], Traffic]:
    """The assistant, `count` residents at once (or one after another)."""
    traffic = Traffic()
    async with assistant_feed(folder / f"bench-{together}.sqlite3") as (feed, api):
        residents = Residents(api)
        seconds = await timed(
            [converse(residents, feed, uid, persona, traffic) for uid, persona in cast(count)],
            together,
        )
    return summary(traffic, seconds), traffic


async def measure_echo(
    recorded: Traffic, together: bool = True, store: Database | None = None, canned: bool = False
) -> dict[str, float]:
    """The echo bot, fed exactly the updates the assistant got, resident by resident; `canned`:
    the framework's floor instead (answers the size of the assistant's, with a keyboard)."""
    traffic = Traffic()
    api = LocalBotApi()
    bot = canned_bot(api) if canned else echo_bot(api, store=store)
    async with feeding(bot, api) as feed:
        seconds = await timed(
            [replay(feed, updates, traffic) for updates in recorded.updates.values()], together
        )
    return summary(traffic, seconds)


async def run(count: int = 500) -> dict[str, Any]:
    """The assistant, the echo bot and the echo bot that stores each update; their ratios."""
    with tempfile.TemporaryDirectory() as folder:
        assistant, traffic = await measure_assistant(count, Path(folder))
        alone, lone_traffic = await measure_assistant(ALONE, Path(folder), together=False)
        store = await open_store(str(Path(folder) / "echo.sqlite3"))
        try:
            storing = await measure_echo(traffic, store=store)
        finally:
            await store.close()
        async with assistant_feed(Path(folder) / "open-loop.sqlite3") as (feed, api):
            open_loop = await sweep(feed, api)
    echo = await measure_echo(traffic)
    floor = await measure_echo(traffic, canned=True)
    echo_alone = await measure_echo(lone_traffic, together=False)
    speed = assistant["updates_per_second"]
    return {
        "residents": count,
        "missed_presses": traffic.missed_presses,
        "assistant": assistant,
        "echo_bot": echo,
        "framework_floor": floor,
        "storing_echo_bot": storing,
        "ratio": round(speed / echo["updates_per_second"], 3),
        "ratio_to_storing_echo": round(speed / storing["updates_per_second"], 3),
        "floor_ratio": round(floor["updates_per_second"] / echo["updates_per_second"], 3),
        "alone": {"assistant": alone, "echo_bot": echo_alone},
        "open_loop": open_loop,
    }


def main() -> None:
    """Measure and print."""
    figures = asyncio.run(run())
    names = ("assistant", "echo_bot", "framework_floor", "storing_echo_bot")
    lines = [(name, figures[name]) for name in names]
    lines += [(f"{name}, alone", f) for name, f in figures["alone"].items()]
    for name, f in lines:
        print(
            f"{name}: {f['updates']} updates in {f['seconds']} s, {f['updates_per_second']}/s,"
            f" p50 {f['p50_ms']} ms, p99 {f['p99_ms']} ms"
        )
    print(
        f"ratio {figures['ratio']} to the echo bot, {figures['ratio_to_storing_echo']} to the"
        f" storing echo bot (the framework's floor: {figures['floor_ratio']});"
        f" presses with no such button: {figures['missed_presses']}"
    )
    for row in figures["open_loop"]["rates"]:
        print(
            f"open loop {row['rate']}/s: p50 {row['p50_ms']} ms, p99 {row['p99_ms']} ms,"
            f" p999 {row['p999_ms']} ms"
        )
    highest = figures["open_loop"]["highest_rate_p99_under_50ms"]
    print(f"highest rate with p99 under 50 ms: {highest}/s")


if __name__ == "__main__":
    main()
