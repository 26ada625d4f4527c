"""A read-only database under the running channels: residents on Telegram and SMS are asked to
try again later, the outbox waits, the operator reads one line each, and all of it recovers."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

import pytest

from bot.delivery import Delivery
from dialogs.pipeline.engine import Engine
from dialogs.types import Outgoing
from storage import outbox, residents
from tests.bot.fake_telegram import FakeTelegram
from tests.bot.fake_twilio import FakeTwilio
from tests.bot.sms_harness import Phone, running_sms
from tests.bot.telegram_harness import TelegramUser, running_bot

NOW = datetime(2020, 3, 20, 9, 0, tzinfo=UTC)

NOT_ANSWERED = "SM" + "5" * 32  # an SMS whose answer a fault swallowed


async def _read_only(engine: Engine, on: bool) -> None:
    await engine.database.fetchall(f"PRAGMA query_only = {'ON' if on else 'OFF'}")


def _no_tracebacks(caplog: pytest.LogCaptureFixture) -> list[str]:
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert all(r.exc_info is None for r in errors), [r.getMessage() for r in errors]
    return [r.getMessage() for r in errors]


async def test_telegram_resident_is_asked_to_try_later(
    fake: FakeTelegram, engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    async with running_bot(fake, engine):
        ona = TelegramUser(fake, 901, "lt")
        await ona.say("/start elektrenai_lt")
        await _read_only(engine, True)
        with caplog.at_level(logging.WARNING):
            message = await ona.say("kontaktai")
        assert message["text"] == "Atsiprašau, sistema laikinai neveikia. Pabandykite vėliau."
        await _read_only(engine, False)
        message = await ona.say("kontaktai")
        assert message["text"].startswith("Į ką norite kreiptis?")
    errors = _no_tracebacks(caplog)
    turn = (
        f"a telegram turn was not saved: the database is read-only ({engine.database.path}:"
        " attempt to write a readonly database)"
    )
    assert errors.count(turn) == 1
    # The outbox's rounds and the journal of updates meanwhile may have said so too.
    others = ("an outbox round was skipped", "1 Telegram update(s) not journaled")
    assert all(e == turn or e.startswith(others) for e in errors)


async def test_sms_resident_is_asked_to_try_later(
    twilio: FakeTwilio, engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    async with running_sms(twilio, engine) as base:
        phone = Phone(base, "+37060000902")
        await phone.text("labas")
        await _read_only(engine, True)
        with caplog.at_level(logging.WARNING):
            answer = await phone.text("kontaktai", sid=NOT_ANSWERED)
        assert answer == [
            "Atsiprasau, sistema laikinai neveikia. Pabandykite veliau.\n1 Pagrindinis meniu"
        ]
        await _read_only(engine, False)
        # Twilio retries the message (where its webhook is set to): now it is answered; a
        # further retry gets the same answer again, and the turn is not run twice.
        answer = await phone.text("kontaktai", sid=NOT_ANSWERED)
        assert answer
        assert "nepasiekiama" not in answer[0]
        assert await phone.text("kontaktai", sid=NOT_ANSWERED) == answer
        assert await phone.text("1")  # the conversation goes on from where it was
    errors = _no_tracebacks(caplog)
    (turn,) = [e for e in errors if e.startswith("a sms turn was not saved")]
    assert "the database is read-only" in turn
    assert all("37060000902" not in e for e in errors)
    # The outbox's rounds meanwhile may have said so too.
    assert all(e == turn or e.startswith("an outbox round was skipped") for e in errors)


async def test_outbox_waits_for_the_database_and_then_delivers(
    engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    async with engine.database.transaction() as conn:
        await residents.find_or_create(conn, "telegram", "903", NOW)
        await outbox.enqueue(conn, "telegram", "903", "Priminimas", NOW, NOW, key="fault:1")
    delivered: list[str] = []
    arrived = asyncio.Event()

    async def send(outgoing: Outgoing) -> bool:
        delivered.append(outgoing.address)
        arrived.set()
        return True

    dispatcher = Delivery(engine, {"telegram": send}, interval=0.02)
    stop = asyncio.Event()
    await _read_only(engine, True)
    with caplog.at_level(logging.WARNING):
        running = asyncio.create_task(dispatcher.run(stop, recover=False))
        await asyncio.sleep(0.2)
        assert delivered == []
        await _read_only(engine, False)
        await asyncio.wait_for(arrived.wait(), 10)
        await asyncio.sleep(0.1)  # more rounds: nothing is sent twice
        stop.set()
        await running
    assert delivered == ["903"]  # once, after the database came back
    errors = _no_tracebacks(caplog)
    assert errors
    assert all(e.startswith("an outbox round was skipped: the database") for e in errors)
