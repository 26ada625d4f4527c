"""Fault injection on the fake servers: Telegram answers 500, 502 and 429, drops connections and
times out for a while, Twilio answers errors; then both recover. Nothing is lost, nothing is
sent twice. (A timeout after Telegram did take a message cannot be told from a lost one: the
Bot API has no idempotency key, so the fake's timeouts are calls that never arrived.)"""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta

import pytest

from dialogs.pipeline.engine import Engine
from storage import outbox, residents
from tests.bot.fake_telegram import DROP, TIMEOUT, FakeTelegram
from tests.bot.fake_twilio import FakeTwilio
from tests.bot.sms_harness import running_sms
from tests.bot.telegram_harness import running_bot
from tests.conftest import FixedClock

pytestmark = pytest.mark.slow  # processes, crashes or many generated cases

NOTIFIED = [str(1100 + n) for n in range(6)]
CHATTING = [1200 + n for n in range(4)]


async def _notifications(engine: Engine, channel: str, addresses: list[str]) -> list[str]:
    """One due notification to each address; their texts."""
    now = engine.clock.now()
    texts = [f"Pranesimas {n}" for n in range(len(addresses))]
    async with engine.database.transaction() as conn:
        for address, text in zip(addresses, texts, strict=True):
            await residents.find_or_create(conn, channel, address, now)
            await outbox.enqueue(conn, channel, address, text, now, now, key=f"fault:{text}")
    return texts


async def _settled(engine: Engine, clock: FixedClock) -> None:
    """Let the outbox retry (its pauses pass on the test clock) until nothing is pending."""
    for _ in range(200):
        rows = await engine.database.fetchall(
            "SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending')"
        )
        if rows[0][0] == 0:
            return
        clock.advance(timedelta(minutes=1))
        await asyncio.sleep(0.05)
    raise AssertionError("the outbox did not settle")


async def test_telegram_outage_then_recovery(
    fake: FakeTelegram, engine: Engine, clock: FixedClock
) -> None:
    texts = await _notifications(engine, "telegram", NOTIFIED)
    # Errors for the next calls, as a bad minute at Telegram would give them.
    fake.fail("sendMessage", 500, "Internal Server Error", times=4)
    fake.fail("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
    fake.fail("sendMessage", DROP, "connection lost", times=3)
    fake.fail("sendMessage", TIMEOUT, "no answer in time")
    fake.fail("sendMessage", 502, "Bad Gateway", times=12)
    async with running_bot(fake, engine, BOT_OUTBOX_INTERVAL="0.05"):
        for user in CHATTING:  # residents write during the outage
            await fake.user_says(user, "/start elektrenai_lt")
        await fake.wait_until(
            lambda: {int(c.params["chat_id"]) for c in fake.delivered()} >= set(CHATTING),
            within=30,
        )
        await _settled(engine, clock)
    delivered = Counter((str(c.params["chat_id"]), c.params["text"]) for c in fake.delivered())
    for address, text in zip(NOTIFIED, texts, strict=True):
        assert delivered[(address, text)] == 1  # every notification, once
    for user in CHATTING:  # every resident's answer, once
        answers = [key for key in delivered if key[0] == str(user)]
        assert len(answers) == 1
        assert delivered[answers[0]] == 1
        assert "Ką norėtumėte sužinoti?" in answers[0][1]
    assert not fake.failures["sendMessage"]  # every injected fault was met
    deferred = await engine.database.fetchall(
        "SELECT COUNT(*) FROM outbox WHERE key IS NULL AND address IN (?, ?, ?, ?)",
        [str(user) for user in CHATTING],
    )
    assert deferred[0][0] >= 1  # answers Telegram refused for too long waited in the outbox
    rows = await engine.database.fetchall("SELECT DISTINCT status FROM outbox")
    assert [row[0] for row in rows] == ["sent"]


async def test_twilio_errors_then_recovery(
    twilio: FakeTwilio, engine: Engine, clock: FixedClock
) -> None:
    numbers = [f"+3706000{n:04d}" for n in range(5)]
    texts = await _notifications(engine, "sms", numbers)
    twilio.failures = [500, 500, 429, 503, 500, 429]
    async with running_sms(twilio, engine):
        await _settled(engine, clock)
    assert twilio.failures == []
    for number, text in zip(numbers, texts, strict=True):
        assert twilio.to(number) == [text]  # once each
    rows = await engine.database.fetchall("SELECT DISTINCT status FROM outbox")
    assert [row[0] for row in rows] == ["sent"]
