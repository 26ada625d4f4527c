"""No overbooking, ever: the capacity trigger under concurrent bookings and cancellations."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, date, datetime
from pathlib import Path

from storage import bookings, residents
from storage.db import Database

NOW = datetime(2021, 11, 1, 9, 0, tzinfo=UTC)
DAY = date(2021, 11, 4)
CAPACITY = 2


async def _resident(db: Database, address: str) -> int:
    async with db.transaction() as conn:
        return (await residents.find_or_create(conn, "sms", address, NOW)).id


def _new(resident_id: int, address: str, day: date = DAY) -> bookings.NewBooking:
    return bookings.NewBooking("koknese", "shower", day, resident_id, "sms", address, CAPACITY)


async def _try_book(db: Database, new: bookings.NewBooking) -> str:
    try:
        async with db.transaction() as conn:
            await bookings.book(conn, new, NOW)
    except bookings.FacilityFullError:
        return "full"
    except bookings.AlreadyBookedError:
        return "already"
    return "booked"


async def test_fifty_concurrent_bookings_from_five_connections(tmp_path: Path) -> None:
    """Five connections stand for five processes: only the database can keep the count."""
    path = tmp_path / "capacity.sqlite3"
    connections = [await Database.open(path) for _ in range(5)]
    try:
        ids = [await _resident(connections[0], f"+3712600{i:04d}") for i in range(50)]
        attempts = [
            _try_book(connections[i % 5], _new(resident_id, f"+3712600{i:04d}"))
            for i, resident_id in enumerate(ids)
        ]
        results = await asyncio.gather(*attempts)
        assert results.count("booked") == CAPACITY
        assert results.count("full") == 50 - CAPACITY
        rows = await connections[0].fetchall(
            "SELECT COUNT(*) FROM bookings WHERE status = 'active'"
        )
        assert rows[0][0] == CAPACITY
    finally:
        for connection in connections:
            await connection.close()


async def test_concurrent_bookings_and_cancellations_stay_within_capacity(tmp_path: Path) -> None:
    path = tmp_path / "mixed.sqlite3"
    connections = [await Database.open(path) for _ in range(3)]
    rng = random.Random(7)
    days = [date(2021, 11, d) for d in (2, 3, 4)]
    try:
        ids = [await _resident(connections[0], f"+3712700{i:04d}") for i in range(40)]

        async def book_then_maybe_cancel(index: int, resident_id: int) -> None:
            db = connections[index % 3]
            day = rng.choice(days)
            new = _new(resident_id, f"+3712700{index:04d}", day)
            if await _try_book(db, new) == "booked" and rng.random() < 0.5:
                await asyncio.sleep(0)
                async with db.transaction() as conn:
                    active = await bookings.active_for(conn, resident_id, "koknese", day)
                    (mine,) = [b for b in active if b.day == day]  # from that day on: this one
                    assert await bookings.cancel(conn, mine.id, NOW)

        for _ in range(3):  # rounds: freed places are taken again by later attempts
            await asyncio.gather(*(book_then_maybe_cancel(i, r) for i, r in enumerate(ids)))
        rows = await connections[0].fetchall(
            "SELECT day, COUNT(*) FROM bookings WHERE status = 'active' GROUP BY day"
        )
        assert rows
        assert all(count <= CAPACITY for _, count in rows)
        once = await connections[0].fetchall(
            "SELECT COUNT(*) FROM bookings WHERE status = 'active'"
            " GROUP BY resident_id, day HAVING COUNT(*) > 1"
        )
        assert once == []
    finally:
        for connection in connections:
            await connection.close()
