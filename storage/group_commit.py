"""Group commit: units of work (a turn each) run in the database's own thread, several in one
transaction, each under its own SAVEPOINT, their results released only after COMMIT.

A unit is a coroutine function over a `Conn`. In the database's thread it gets `InThread`, whose
calls complete at once, so the coroutine is driven to its end without ever suspending: a whole
turn (and every other turn queued meanwhile) costs one hop to the thread instead of one per
statement. A unit that fails rolls back to its savepoint alone; the others commit.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Awaitable, Callable, Coroutine, Iterable
from dataclasses import dataclass
from typing import Any

from storage.rows import Conn

MAX_UNITS = 64  # units in one transaction at most: a long batch delays its first answer


class InThread:
    """aiosqlite's calls over the raw sqlite3 connection, for code that runs in the database's
    thread: each completes at once (nothing to wait for on another thread)."""

    def __init__(self, raw: sqlite3.Connection) -> None:
        self._raw = raw

    async def execute(self, sql: str, parameters: Any = ()) -> sqlite3.Cursor:
        """Run one statement (a query is read to its end: an open statement would block the
        next SAVEPOINT)."""
        cursor = self._raw.execute(sql, parameters)
        if cursor.description is not None:
            cursor.fetchall()
        return cursor

    async def executemany(self, sql: str, parameters: Any) -> sqlite3.Cursor:
        """Run one statement for each set of parameters."""
        return self._raw.executemany(sql, parameters)

    async def execute_fetchall(self, sql: str, parameters: Any = ()) -> Iterable[sqlite3.Row]:
        """Run one query; all its rows."""
        return self._raw.execute(sql, parameters).fetchall()


class SuspendedError(RuntimeError):
    """A unit awaited something other than the database (a lock, a timer, another thread):
    it cannot run in the database's thread."""


Unit = Callable[[Conn], Awaitable[Any]]


@dataclass(frozen=True)
class Done:
    """A unit's result, or the exception that rolled it back."""

    value: Any = None
    error: BaseException | None = None


def drive(awaitable: Awaitable[Any]) -> Any:
    """Run a coroutine that never truly suspends to its end, here and now."""
    coroutine: Coroutine[Any, Any, Any] = awaitable  # type: ignore[assignment]
    try:
        coroutine.send(None)
    except StopIteration as finished:
        return finished.value
    coroutine.close()
    raise SuspendedError("a unit of a group commit awaited something outside the database")


def run_batch(raw: sqlite3.Connection, units: list[Unit]) -> list[Done]:
    """In the database's thread: BEGIN IMMEDIATE, each unit under a SAVEPOINT, COMMIT. A
    failing BEGIN or COMMIT raises (nothing of the batch is kept)."""
    conn = InThread(raw)
    raw.execute("BEGIN IMMEDIATE")
    try:
        results = []
        for unit in units:
            raw.execute("SAVEPOINT unit")
            try:
                value = drive(unit(conn))
            except Exception as error:  # this unit's changes go; the batch goes on
                if not raw.in_transaction:  # SQLite rolled it all back (disk full, I/O error)
                    raise
                raw.execute("ROLLBACK TO unit")
                raw.execute("RELEASE unit")
                results.append(Done(error=error))
                continue
            raw.execute("RELEASE unit")
            results.append(Done(value))
        raw.execute("COMMIT")
    except BaseException:
        if raw.in_transaction:
            raw.execute("ROLLBACK")
        raise
    return results
