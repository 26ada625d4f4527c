"""A bot killed (SIGKILL) in the middle of delivering the outbox: after a restart every pending
message arrives exactly once."""

from __future__ import annotations

import asyncio
import signal
from datetime import UTC, datetime
from pathlib import Path

from storage import outbox, residents
from storage.db import Database
from tests.bot.fake_telegram import FakeTelegram
from tests.bot.test_run import _start, _stop

NOW = datetime(2020, 3, 20, 0, 0, tzinfo=UTC)


async def test_killed_mid_delivery_then_restarted(fake: FakeTelegram, tmp_path: Path) -> None:
    path = tmp_path / "crash.sqlite3"
    database = await Database.open(path)
    texts = [f"Pranešimas {n}" for n in range(1, 6)]
    async with database.transaction() as conn:
        for number, text in enumerate(texts, start=1):
            address = str(900 + number)
            await residents.find_or_create(conn, "telegram", address, NOW)
            await outbox.enqueue(conn, "telegram", address, text, NOW, NOW, key=f"crash:{number}")
    await database.close()
    fake.hold("sendMessage", 3)
    first = await _start(fake, path, BOT_OUTBOX_INTERVAL="0.05")
    await asyncio.wait_for(fake.held.wait(), 30)
    first.kill()  # SIGKILL: no clean-up at all, while the third message is in transit
    await first.wait()
    fake.release.set()
    delivered_before = [call.params["text"] for call in fake.sent()]
    assert delivered_before == texts[:2]
    second = await _start(fake, path, BOT_OUTBOX_INTERVAL="0.05")
    await fake.wait_until(lambda: len(fake.sent()) >= 5, within=30)
    await asyncio.sleep(0.5)  # more rounds: nothing is sent again
    await _stop(second, signal.SIGTERM)
    delivered = [call.params["text"] for call in fake.sent()]
    assert sorted(delivered) == texts  # each exactly once
    database = await Database.open(path)
    statuses = await database.fetchall("SELECT DISTINCT status FROM outbox")
    await database.close()
    assert [row[0] for row in statuses] == ["sent"]
