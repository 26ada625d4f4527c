"""Start-up time and memory of `python -m bot run` against a local Bot API server, after start
and after many conversations; the same for a bare echo bot process, measured in the same run."""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bot.settings import PROJECT_DIR
from tests.bot.fake_telegram import FakeTelegram

TOKEN = "123456:BENCHMARK"
WAVE = 250  # residents writing at the same time
CONVERSATIONS = [
    ("/start elektrenai_lt", "kada dirba socialinių paslaugų centras?"),
    ("/start koknese_lv", "vai var pierakstīties dušā?"),
    ("/start daugavpils_ru", "какие услуги сейчас не работают?"),
    ("/start visaginas_ru", "контакты"),
]


def memory_mb(pid: int) -> tuple[float, float]:
    """(resident now, peak resident) of a process, in MB, from /proc."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        fields[name] = value.split()
    return int(fields["VmRSS"][0]) / 1024, int(fields["VmHWM"][0]) / 1024


async def spawn(module: list[str], fake: FakeTelegram, **env: str) -> asyncio.subprocess.Process:
    """A bot process polling the fake server."""
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        *module,
        cwd=PROJECT_DIR,
        env={**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_BASE_URL": fake.url, **env},
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )


async def answered(fake: FakeTelegram, users: range, step: int) -> None:
    """Each user sends their conversation's message number `step`; wait for every answer."""
    expected = len(fake.sent()) + len(users)
    for user in users:
        await fake.user_says(user, CONVERSATIONS[user % len(CONVERSATIONS)][step])
    await fake.wait_until(lambda: len(fake.sent()) >= expected, within=300)


async def converse(fake: FakeTelegram, count: int) -> float:
    """`count` conversations of two messages, in waves; returns the seconds they took."""
    started = time.perf_counter()
    for first in range(0, count, WAVE):
        users = range(100_000 + first, 100_000 + min(first + WAVE, count))
        for step in (0, 1):
            await answered(fake, users, step)
        fake.calls.clear()  # the server's own records, not the bot's memory
        fake.messages.clear()
    return time.perf_counter() - started


async def measure(module: list[str], count: int, **env: str) -> dict[str, Any]:
    """Start a bot, answer the first message, converse, stop; the figures."""
    fake = FakeTelegram()
    await fake.start()
    try:
        started = time.perf_counter()
        process = await spawn(module, fake, **env)
        await fake.user_says(99, CONVERSATIONS[0][0])
        await fake.wait_for("sendMessage", 1, within=120)
        first_reply = time.perf_counter() - started
        await fake.user_says(99, CONVERSATIONS[0][1])  # typed: the language models answer it
        await fake.wait_for("sendMessage", 2, within=120)
        first_typed = time.perf_counter() - started
        after_start = memory_mb(process.pid)[0]
        seconds = await converse(fake, count)
        now, peak = memory_mb(process.pid)
        process.terminate()
        await asyncio.wait_for(process.wait(), 60)
    finally:
        await fake.stop()
    return {
        "first_reply_s": round(first_reply, 2),
        "first_typed_answer_s": round(first_typed, 2),
        "rss_after_start_mb": round(after_start, 1),
        "rss_after_mb": round(now, 1),
        "peak_rss_mb": round(peak, 1),
        "conversations": count,
        "conversations_per_second": round(count / seconds, 1),
    }


async def run(count: int = 10_000) -> dict[str, Any]:
    """The assistant and the echo bot, one after the other."""
    with tempfile.TemporaryDirectory() as folder:
        assistant = await measure(
            ["bot", "run"],
            count,
            BOT_DATABASE=str(Path(folder) / "footprint.sqlite3"),
            BOT_TODAY="2021-11-01",
            TELEGRAM_CHAT_RATE="1000",
            TELEGRAM_OVERALL_RATE="0",
        )
    echo = await measure(["benchmarks.echo"], count)
    return {"assistant": assistant, "echo_bot": echo}


def main() -> None:
    """Measure and print."""
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    for name, f in asyncio.run(run(count)).items():
        print(
            f"{name}: first reply {f['first_reply_s']} s after start, to typed text"
            f" {f['first_typed_answer_s']} s;"
            f" memory {f['rss_after_start_mb']} MB after start,"
            f" {f['rss_after_mb']} MB after {f['conversations']} conversations"
            f" (peak {f['peak_rss_mb']} MB); {f['conversations_per_second']} conversations/s"
        )


if __name__ == "__main__":
    main()
