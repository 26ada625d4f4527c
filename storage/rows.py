"""Queries in one round trip to aiosqlite's thread (execute, fetch and close are one call)."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from typing import Any

import aiosqlite

Params = Sequence[Any] | Mapping[str, Any]  # positional (?) or named (:name) parameters


async def fetch_all(conn: aiosqlite.Connection, sql: str, params: Params = ()) -> list[sqlite3.Row]:
    """Every row of a query."""
    return list(await conn.execute_fetchall(sql, params))


async def fetch_one(
    conn: aiosqlite.Connection, sql: str, params: Params = ()
) -> sqlite3.Row | None:
    """The first row of a query (meant for queries by key), or None."""
    rows = await fetch_all(conn, sql, params)
    return rows[0] if rows else None
