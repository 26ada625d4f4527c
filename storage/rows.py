"""Queries in one round trip to aiosqlite's thread (execute, fetch and close are one call)."""

from __future__ import annotations

import sqlite3
from collections.abc import Awaitable, Iterable, Mapping, Sequence
from typing import Any, Protocol

Params = Sequence[Any] | Mapping[str, Any]  # positional (?) or named (:name) parameters


class Cursor(Protocol):
    """What storage reads of a statement's cursor."""

    @property
    def rowcount(self) -> int:
        """Rows the statement changed."""
        ...

    @property
    def lastrowid(self) -> int | None:
        """The row an INSERT added."""
        ...


class Conn(Protocol):
    """What storage asks of a connection: aiosqlite's, or `InThread` for code that runs in the
    database's own thread (a turn of a group commit), where every call completes at once."""

    def execute(self, sql: str, parameters: Any = ..., /) -> Awaitable[Cursor]:
        """Run one statement; the cursor (rowcount, lastrowid)."""
        ...

    def executemany(self, sql: str, parameters: Any, /) -> Awaitable[Cursor]:
        """Run one statement for each set of parameters."""
        ...

    def execute_fetchall(self, sql: str, parameters: Any = ..., /) -> Awaitable[Iterable[Any]]:
        """Run one query; all its rows."""
        ...


async def fetch_all(conn: Conn, sql: str, params: Params = ()) -> list[sqlite3.Row]:
    """Every row of a query."""
    return list(await conn.execute_fetchall(sql, params))


async def fetch_one(conn: Conn, sql: str, params: Params = ()) -> sqlite3.Row | None:
    """The first row of a query (meant for queries by key), or None."""
    rows = await fetch_all(conn, sql, params)
    return rows[0] if rows else None
