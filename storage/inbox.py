"""The inbox: incoming updates journaled on arrival and marked when handled (exactly once)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from storage.rows import Conn, fetch_all
from storage.times import stamp


async def record(conn: Conn, channel: str, items: Iterable[tuple[str, str]], now: datetime) -> None:
    """Journal (key, body) pairs; one seen before (Telegram sent it again) is kept as it was."""
    await conn.executemany(
        "INSERT OR IGNORE INTO inbox (channel, key, body, received_at) VALUES (?, ?, ?, ?)",
        [(channel, key, body, stamp(now)) for key, body in items],
    )


async def pending(conn: Conn, channel: str) -> list[tuple[str, str]]:
    """(key, body) of updates journaled but never handled (a crash came between), oldest first."""
    rows = await fetch_all(
        conn,
        "SELECT key, body FROM inbox WHERE channel = ? AND handled_at IS NULL"
        " ORDER BY received_at, CAST(key AS INTEGER)",
        (channel,),
    )
    return [(str(row[0]), str(row[1])) for row in rows]


async def mark_handled(conn: Conn, channel: str, key: str, now: datetime) -> bool:
    """Mark an update handled, in one statement; False if it already was (a copy: do nothing
    again). An update that was never journaled is recorded as handled (with no body)."""
    cursor = await conn.execute(
        "INSERT INTO inbox (channel, key, body, received_at, handled_at) VALUES (?, ?, '', ?, ?)"
        " ON CONFLICT (channel, key) DO UPDATE SET handled_at = excluded.handled_at"
        " WHERE inbox.handled_at IS NULL",
        (channel, key, stamp(now), stamp(now)),
    )
    return bool(cursor.rowcount)


async def handled(conn: Conn, channel: str, key: str) -> bool:
    """True if the update was handled already."""
    rows = await fetch_all(
        conn,
        "SELECT 1 FROM inbox WHERE channel = ? AND key = ? AND handled_at IS NOT NULL",
        (channel, key),
    )
    return bool(rows)


async def purge(conn: Conn, handled_before: datetime) -> int:
    """Forget handled updates (their text is personal data); return how many."""
    cursor = await conn.execute(
        "DELETE FROM inbox WHERE handled_at IS NOT NULL AND handled_at < ?",
        (stamp(handled_before),),
    )
    return cursor.rowcount
