"""Group commit: units queued together share one transaction; each result comes back only after
COMMIT; a failing unit rolls back alone; a unit that truly waits is refused, alone."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from storage.db import Database
from storage.group_commit import SuspendedError
from storage.rows import Conn


@pytest.fixture
async def db(tmp_path: Path) -> Database:
    database = await Database.open(tmp_path / "units.sqlite3")
    async with database.transaction() as conn:
        await conn.execute("CREATE TABLE notes (body TEXT NOT NULL)")
    return database


def writing(body: str | None) -> Callable[[Conn], Awaitable[str]]:
    async def unit(conn: Conn) -> str:
        await conn.execute("INSERT INTO notes (body) VALUES (?)", (body,))
        rows = list(await conn.execute_fetchall("SELECT count(*) FROM notes"))
        return f"{body}:{rows[0][0]}"

    return unit


def committed(path: str) -> list[str]:
    """What another connection sees: only committed rows."""
    with sqlite3.connect(path) as other:
        return [row[0] for row in other.execute("SELECT body FROM notes ORDER BY rowid")]


async def test_units_queued_together_share_one_transaction_and_come_back_after_it(
    db: Database,
) -> None:
    commits = []
    original = db._connection._execute

    async def counting(fn: Callable[..., object], *args: list[object]) -> object:
        if len(args) < 2:  # not a batch (closing)
            return await original(fn, *args)  # type: ignore[no-untyped-call]
        commits.append(len(args[1]))
        result = await original(fn, *args)  # type: ignore[no-untyped-call]
        # Each result is released after COMMIT: another connection sees every row by now.
        assert len(committed(db.path)) == sum(commits)
        return result

    db._connection._execute = counting  # type: ignore[method-assign]
    results = await asyncio.gather(*(db.unit(writing(f"n{n}")) for n in range(5)))
    assert results == ["n0:1", "n1:2", "n2:3", "n3:4", "n4:5"]  # in order, one after another
    assert commits == [5]  # queued in the same moment: one transaction
    await db.close()


async def test_a_failing_unit_rolls_back_alone(db: Database) -> None:
    results = await asyncio.gather(
        db.unit(writing("kept")),
        db.unit(writing(None)),  # NOT NULL: this unit fails
        db.unit(writing("also kept")),
        return_exceptions=True,
    )
    assert results[0] == "kept:1"
    assert isinstance(results[1], sqlite3.IntegrityError)
    assert results[2] == "also kept:2"
    assert committed(db.path) == ["kept", "also kept"]
    await db.close()


async def test_a_unit_that_waits_outside_the_database_is_refused_alone(db: Database) -> None:
    async def waits(conn: Conn) -> None:
        await conn.execute("INSERT INTO notes (body) VALUES ('lost')")
        await asyncio.sleep(0)  # a real wait: it cannot run in the database's thread

    results = await asyncio.gather(db.unit(waits), db.unit(writing("kept")), return_exceptions=True)
    assert isinstance(results[0], SuspendedError)
    assert results[1] == "kept:1"
    assert committed(db.path) == ["kept"]
    await db.close()
