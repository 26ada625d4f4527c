"""One Telegram resident floods 1,000 messages at the default pace (one message a second per
chat): five others are answered within 2 s meanwhile, and after a SIGKILL and a restart the
flood's backlog holds them no more; the flooder's surplus is coalesced with one notice."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest

from tests.bot.fake_telegram import FakeTelegram
from tests.bot.telegram_harness import TelegramUser
from tests.bot.test_run import _start, _stop

# processes, crashes or many generated cases; timed under load: never beside other tests
pytestmark = [pytest.mark.slow, pytest.mark.serial]

FLOODER = 5999
NOTICE = "Atsiuntėte daug žinučių iš karto"


async def _latencies(fake: FakeTelegram, others: list[TelegramUser], rounds: int) -> list[float]:
    """Seconds from each of the others' messages to its answer."""
    seconds = []
    for _ in range(rounds):
        for other in others:
            started = time.monotonic()
            await other.say("kontaktai")
            seconds.append(time.monotonic() - started)
    return seconds


async def test_a_flood_holds_nobody_else_and_is_not_replayed_as_a_backlog(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    database = tmp_path / "flood.sqlite3"
    process = await _start(fake, database)  # the default pace: 1 message/s to a private chat
    others = [TelegramUser(fake, 6000 + n, "lt") for n in range(5)]
    for other in [*others, TelegramUser(fake, FLOODER, "lt")]:
        await other.say("/start elektrenai_lt")
    for number in range(1000):
        await fake.user_says(FLOODER, "kontaktai" if number % 2 else "paslaugos")
    during = await _latencies(fake, others, rounds=3)
    process.kill()  # the flooder's updates and answers are still queued
    await process.wait()
    process = await _start(fake, database)
    after = await _latencies(fake, others, rounds=3)
    flooder_got = len(fake.chat_messages(FLOODER))
    await _stop(process, signal.SIGTERM)
    assert max(during) < 2.0, sorted(during)  # p99 of 15 answers: the slowest
    assert max(after) < 2.0, sorted(after)
    # The flood was answered at its own pace, its surplus dropped with a notice, not replayed.
    assert flooder_got < 100
    assert any(NOTICE in str(m["text"]) for m in fake.chat_messages(FLOODER))
