"""The outbox dispatcher: due messages go out once; failures are retried, then given up."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.dispatch import Dispatcher, PermanentDeliveryError
from dialogs.pipeline.engine import Engine
from dialogs.types import Reply
from storage import outbox, residents
from storage.db import Database
from tests.conftest import FixedClock

NOW = datetime(2021, 11, 1, 9, 0, tzinfo=UTC)


class Recorder:
    """A channel that records deliveries and fails as told."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []
        self.failures: list[Exception] = []

    async def __call__(self, address: str, reply: Reply) -> bool:
        if self.failures:
            raise self.failures.pop(0)
        self.sent.append((address, reply.text))
        return True


async def _queue(database: Database, text: str, due: datetime, key: str | None = None) -> None:
    async with database.transaction() as conn:
        await residents.find_or_create(conn, "sms", "+37126000001", NOW)
        await outbox.enqueue(conn, "sms", "+37126000001", text, due, NOW, key=key)


async def _status(database: Database) -> list[str]:
    return [row[0] for row in await database.fetchall("SELECT status FROM outbox ORDER BY id")]


async def test_due_messages_go_out_once(
    engine: Engine, database: Database, clock: FixedClock
) -> None:
    clock.current = NOW
    recorder = Recorder()
    dispatcher = Dispatcher(engine, {"sms": recorder})
    await _queue(database, "now", NOW)
    await _queue(database, "later", NOW + timedelta(hours=1))
    await _queue(database, "cancelled", NOW, key="reminder:9")
    async with database.transaction() as conn:
        await outbox.cancel(conn, "reminder:9")
        await outbox.enqueue(conn, "sms", "+37126000001", "again", NOW, NOW, key="reminder:9")
    assert await dispatcher.run_once() == 1
    assert await dispatcher.run_once() == 0  # never twice
    clock.advance(timedelta(hours=1))
    assert await dispatcher.run_once() == 1
    assert recorder.sent == [("+37126000001", "now"), ("+37126000001", "later")]
    assert await _status(database) == ["sent", "sent", "cancelled"]


async def test_failures_are_retried_with_backoff_then_given_up(
    engine: Engine, database: Database, clock: FixedClock
) -> None:
    clock.current = NOW
    recorder = Recorder()
    recorder.failures = [ConnectionError("down"), ConnectionError("still down")]
    dispatcher = Dispatcher(engine, {"sms": recorder})
    await _queue(database, "hello", NOW)
    assert await dispatcher.run_once() == 0
    assert await dispatcher.run_once() == 0  # waiting for the retry time
    clock.advance(timedelta(seconds=11))
    assert await dispatcher.run_once() == 0  # second failure
    clock.advance(timedelta(seconds=21))
    assert await dispatcher.run_once() == 1
    assert recorder.sent == [("+37126000001", "hello")]
    recorder.failures = [PermanentDeliveryError("blocked")]
    await _queue(database, "blocked", NOW)
    clock.advance(timedelta(days=1))
    assert await dispatcher.run_once() == 0
    assert await _status(database) == ["sent", "failed"]


async def test_messages_for_another_process_stay_pending(
    engine: Engine, database: Database, clock: FixedClock
) -> None:
    clock.current = NOW

    async def not_mine(address: str, reply: Reply) -> bool:
        return False

    await _queue(database, "for the other terminal", NOW)
    assert await Dispatcher(engine, {"sms": not_mine}).run_once() == 0
    assert await Dispatcher(engine, {"telegram": not_mine}).run_once() == 0
    assert await _status(database) == ["pending"]
