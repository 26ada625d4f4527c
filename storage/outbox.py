"""The outbox: notifications written with the change that causes them, delivered later."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

import aiosqlite

from storage.rows import fetch_all
from storage.times import stamp

MAX_ATTEMPTS = 8


@dataclass(frozen=True)
class Message:
    """A notification waiting for delivery."""

    id: int
    channel: str
    address: str
    text: str
    choices: list[tuple[str, str]]
    attempts: int
    key: str | None = None


async def enqueue(
    conn: aiosqlite.Connection,
    channel: str,
    address: str,
    text: str,
    due_at: datetime,
    now: datetime,
    *,
    choices: list[tuple[str, str]] | None = None,
    key: str | None = None,
) -> None:
    """Add a message (inside the caller's transaction); a known `key` is not added twice."""
    await conn.execute(
        "INSERT INTO outbox (channel, address, text, choices, key, due_at, next_attempt_at,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING",
        (
            channel,
            address,
            text,
            json.dumps(choices or [], ensure_ascii=False),
            key,
            stamp(due_at),
            stamp(due_at),
            stamp(now),
        ),
    )


async def cancel(conn: aiosqlite.Connection, key: str) -> None:
    """Withdraw a message that was not sent yet (a reminder for a cancelled booking)."""
    await conn.execute(
        "UPDATE outbox SET status = 'cancelled' WHERE key = ? AND status = 'pending'", (key,)
    )


async def due(conn: aiosqlite.Connection, now: datetime, limit: int = 50) -> list[Message]:
    """Messages whose time has come, oldest first."""
    rows = await fetch_all(
        conn,
        "SELECT id, channel, address, text, choices, attempts, key FROM outbox"
        " WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?",
        (stamp(now), limit),
    )
    return [
        Message(
            row[0], row[1], row[2], row[3], [tuple(c) for c in json.loads(row[4])], row[5], row[6]
        )
        for row in rows
    ]


async def claim(conn: aiosqlite.Connection, messages: list[Message]) -> None:
    """Mark messages as being sent, so that no other round or process sends them too."""
    await conn.executemany(
        "UPDATE outbox SET status = 'sending' WHERE id = ? AND status = 'pending'",
        [(m.id,) for m in messages],
    )


async def recover(conn: aiosqlite.Connection, channels: list[str]) -> int:
    """After a crash: messages this process was sending go back to pending (the send did not
    finish, or it would have been marked); return how many."""
    marks = ", ".join("?" for _ in channels)
    cursor = await conn.execute(
        f"UPDATE outbox SET status = 'pending' WHERE status = 'sending' AND channel IN ({marks})",
        channels,
    )
    return cursor.rowcount


async def mark_sent(conn: aiosqlite.Connection, message_id: int, now: datetime) -> None:
    """Record a delivery."""
    await conn.execute(
        "UPDATE outbox SET status = 'sent', sent_at = ? WHERE id = ?"
        " AND status IN ('pending', 'sending')",
        (stamp(now), message_id),
    )


async def mark_failed(
    conn: aiosqlite.Connection, message: Message, error: str, now: datetime, permanent: bool
) -> None:
    """Try again later with a growing pause, or give up after MAX_ATTEMPTS (or at once)."""
    attempts = message.attempts + 1
    give_up = permanent or attempts >= MAX_ATTEMPTS
    retry_at = now + timedelta(seconds=min(3600, 5 * 2**attempts))
    await conn.execute(
        "UPDATE outbox SET attempts = ?, last_error = ?, next_attempt_at = ?, status = ?"
        " WHERE id = ?",
        (attempts, error[:500], stamp(retry_at), "failed" if give_up else "pending", message.id),
    )


async def recover_one(conn: aiosqlite.Connection, message_id: int) -> None:
    """Give a claimed message back, unsent, for whoever can deliver it."""
    await conn.execute(
        "UPDATE outbox SET status = 'pending' WHERE id = ? AND status = 'sending'", (message_id,)
    )
