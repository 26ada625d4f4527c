"""Delivery from the outbox: due messages go out once, per destination in order and paced;
failures are retried, then given up; a flood is coalesced."""

from __future__ import annotations

import asyncio
import itertools
import time
from datetime import UTC, datetime, timedelta

from bot.delivery import Delivery, PermanentDeliveryError
from dialogs.pipeline.engine import Engine
from dialogs.types import Incoming, Outgoing
from storage import outbox, residents
from storage.db import Database
from tests.conftest import FixedClock

NOW = datetime(2021, 11, 1, 9, 0, tzinfo=UTC)


class Recorder:
    """A channel that records deliveries and fails as told."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []
        self.failures: list[Exception] = []

    async def __call__(self, outgoing: Outgoing) -> bool:
        if self.failures:
            raise self.failures.pop(0)
        self.sent.append((outgoing.address, outgoing.reply.text))
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
    dispatcher = Delivery(engine, {"sms": recorder})
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
    dispatcher = Delivery(engine, {"sms": recorder})
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

    async def not_mine(outgoing: Outgoing) -> bool:
        return False

    await _queue(database, "for the other terminal", NOW)
    assert await Delivery(engine, {"sms": not_mine}).run_once() == 0
    assert await Delivery(engine, {"telegram": not_mine}).run_once() == 0
    assert await _status(database) == ["pending"]


async def _answers(database: Database, address: str, count: int) -> None:
    async with database.transaction() as conn:
        await residents.find_or_create(conn, "telegram", address, NOW)
        for number in range(count):
            await outbox.enqueue(
                conn, "telegram", address, f"{address}:{number}", NOW, NOW, kind=outbox.Kind.ANSWER
            )


async def test_a_destination_is_paced_and_others_do_not_wait_for_it(
    engine: Engine, database: Database, clock: FixedClock
) -> None:
    clock.current = NOW
    times: dict[str, list[float]] = {}

    async def send(outgoing: Outgoing) -> bool:
        times.setdefault(outgoing.address, []).append(time.monotonic())
        return True

    await _answers(database, "1", 3)
    await _answers(database, "2", 1)
    start = time.monotonic()
    delivery = Delivery(engine, {"telegram": send}, pacing={"telegram": 0.2})
    assert await delivery.drain() == 4
    assert times["2"][0] - start < 0.15  # not behind chat 1's queue
    gaps = [b - a for a, b in itertools.pairwise(times["1"])]
    assert all(gap >= 0.19 for gap in gaps), gaps  # chat 1 got one message per 0.2 s


async def test_one_message_per_destination_at_a_time_in_order(
    engine: Engine, database: Database, clock: FixedClock
) -> None:
    clock.current = NOW
    await _answers(database, "1", 3)
    await _answers(database, "2", 2)
    async with database.transaction() as conn:
        first = await outbox.heads(conn, NOW, ["telegram"])
        await outbox.claim(conn, first)
        assert [m.text for m in first] == ["1:0", "2:0"]
        assert await outbox.heads(conn, NOW, ["telegram"]) == []  # both are being sent
        await outbox.mark_sent(conn, first[0].id, NOW)
        assert [m.text for m in await outbox.heads(conn, NOW, ["telegram"])] == ["1:1"]


async def test_a_flood_of_answers_is_coalesced_with_one_notice(
    engine: Engine, database: Database, clock: FixedClock
) -> None:
    clock.current = NOW
    recorder = Recorder()

    async def send(outgoing: Outgoing) -> bool:
        return await recorder(outgoing)

    await _answers(database, "1", 40)
    async with database.transaction() as conn:  # a notice is never dropped
        await outbox.enqueue(conn, "telegram", "1", "reminder", NOW, NOW, key="reminder:1")
    assert await Delivery(engine, {"telegram": send}).run_once() == 2
    assert recorder.sent == [
        ("1", "You sent many messages at once; this answers the last one.\n\n1:39"),
        ("1", "reminder"),
    ]
    rows = await database.fetchall("SELECT status, text FROM outbox WHERE status = 'dropped'")
    assert len(rows) == 39
    assert {row[1] for row in rows} == {""}  # what was dropped is erased too


async def test_a_destinations_answers_go_before_its_notices(
    engine: Engine, database: Database, clock: FixedClock
) -> None:
    """An offer written before the resident's next message is shown after its answer, so the
    offer's numbered choices are the last on screen (and the ones its numbers answer)."""
    clock.current = NOW
    await _queue(database, "offer", NOW, key="offer:1")
    async with database.transaction() as conn:
        await outbox.enqueue(conn, "sms", "+37126000001", "menu", NOW, NOW, kind=outbox.Kind.ANSWER)
    recorder = Recorder()
    assert await Delivery(engine, {"sms": recorder}).run_once() == 2
    assert [text for _, text in recorder.sent] == ["menu", "offer"]


async def test_a_new_answer_is_claimed_in_its_transaction_only_when_it_is_next(
    engine: Engine, database: Database, clock: FixedClock
) -> None:
    async def answer(address: str, text: str) -> int | None:
        async with database.transaction() as conn:
            added = await outbox.enqueue(
                conn, "telegram", address, text, NOW, NOW, kind=outbox.Kind.ANSWER
            )
            assert added is not None
            claimed = await outbox.claim_next(conn, added)
            return claimed.id if claimed is not None else None

    await _answers(database, "1", 1)  # an older answer waits for chat 1
    assert await answer("1", "behind it") is None
    first = await answer("2", "alone")
    assert first is not None  # chat 2 had nothing waiting
    assert await answer("2", "while the first is being sent") is None
    async with database.transaction() as conn:
        assert [m.text for m in await outbox.heads(conn, NOW, ["telegram"])] == ["1:0"]
        await outbox.mark_sent(conn, first, NOW)
        heads = await outbox.heads(conn, NOW, ["telegram"])
    assert [m.text for m in heads] == ["1:0", "while the first is being sent"]


async def test_a_turns_answer_goes_out_as_it_commits_without_a_round(
    engine: Engine, database: Database, clock: FixedClock
) -> None:
    """While delivery runs, a turn's answer is handed to it at COMMIT: it reaches the chat even
    with no delivery round ever claiming it."""
    clock.current = NOW
    received: asyncio.Queue[str] = asyncio.Queue()

    async def send(outgoing: Outgoing) -> bool:
        received.put_nowait(outgoing.reply.text)
        return True

    delivery = Delivery(engine, {"telegram": send}, interval=3600)
    rounds = 0
    first_round = asyncio.Event()
    claim = engine.postman.claim

    async def counted(channels: list[str], limit: int = 100) -> list[outbox.Message]:
        nonlocal rounds
        rounds += 1
        claimed = await claim(channels, limit)
        first_round.set()
        return claimed

    engine.postman.claim = counted  # type: ignore[method-assign]
    stop = asyncio.Event()
    running = asyncio.create_task(delivery.run(stop))
    await first_round.wait()  # recovery done, the first round claimed nothing
    assert engine.hand_off is not None
    (reply,) = await engine.handle(Incoming("telegram", "42", text="/start", start=True))
    assert await asyncio.wait_for(received.get(), timeout=10) == reply.text
    assert rounds == 1  # no round was woken or needed
    stop.set()
    await running
    assert engine.hand_off is None
    assert await _status(database) == ["sent"]
