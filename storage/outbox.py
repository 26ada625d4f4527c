"""The outbox: answers and notifications, written in the transaction that causes them, then
delivered, one destination's messages in order, never two of one destination at once."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from storage.rows import Conn, fetch_all, fetch_one
from storage.times import stamp

MAX_ATTEMPTS = 8
# A message to a resident who erased their data keeps neither address nor text once sent.
ERASE = (
    ", address = CASE WHEN json_extract(meta, '$.erase') THEN '' ELSE address END,"
    " text = CASE WHEN json_extract(meta, '$.erase') THEN '' ELSE text END"
)
COLUMNS = "id, channel, address, text, choices, attempts, key, kind, meta, reply_to"


class Kind(StrEnum):
    """An answer to a message (a flood's surplus may be dropped), or a notice (never dropped)."""

    ANSWER = "answer"
    NOTICE = "notice"


@dataclass(frozen=True)
class Message:
    """A message waiting for delivery."""

    id: int
    channel: str
    address: str
    text: str
    choices: list[tuple[str, str]]
    attempts: int
    key: str | None = None
    kind: Kind = Kind.NOTICE
    meta: dict[str, Any] = field(default_factory=dict)  # how a channel shows it (edit, ask phone)
    reply_to: str | None = None


def _message(row: sqlite3.Row) -> Message:
    v = tuple(row)
    choices = [(str(label), str(action)) for label, action in json.loads(v[4])]
    return Message(v[0], v[1], v[2], v[3], choices, v[5], v[6], Kind(v[7]), json.loads(v[8]), v[9])


async def enqueue(
    conn: Conn,
    channel: str,
    address: str,
    text: str,
    due_at: datetime,
    now: datetime,
    *,
    choices: list[tuple[str, str]] | None = None,
    key: str | None = None,
    kind: Kind = Kind.NOTICE,
    meta: dict[str, Any] | None = None,
    reply_to: str | None = None,
) -> int | None:
    """Add a message (inside the caller's transaction); a known `key` is not added twice.
    The new row's id (None if the key was known)."""
    cursor = await conn.execute(
        "INSERT INTO outbox (channel, address, text, choices, key, due_at, next_attempt_at,"
        " created_at, kind, meta, reply_to) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (key) DO NOTHING",
        (
            channel,
            address,
            text,
            json.dumps(choices or [], ensure_ascii=False),
            key,
            stamp(due_at),
            stamp(due_at),
            stamp(now),
            kind.value,
            json.dumps(meta or {}, ensure_ascii=False),
            reply_to,
        ),
    )
    return cursor.lastrowid if cursor.rowcount else None


async def claim_next(conn: Conn, message_id: int) -> Message | None:
    """Claim a new answer in the transaction that wrote it, if it is its destination's next
    (no older answer waiting, nothing being sent): delivery can send it the moment that
    transaction commits, without a round of its own."""
    row = await fetch_one(
        conn,
        f"UPDATE outbox SET status = 'sending' WHERE id = :id AND id = (SELECT p.id FROM outbox p"
        " JOIN outbox o ON o.id = :id WHERE p.channel = o.channel AND p.address = o.address"
        " AND p.status = 'pending' AND p.kind = 'answer' ORDER BY p.id LIMIT 1)"
        " AND NOT EXISTS (SELECT 1 FROM outbox s JOIN outbox o ON o.id = :id"
        " WHERE s.channel = o.channel AND s.address = o.address AND s.status = 'sending')"
        f" RETURNING {COLUMNS}",
        {"id": message_id},
    )
    return _message(row) if row is not None else None


async def answers_to(conn: Conn, channel: str, reply_to: str) -> list[Message]:
    """The answers written for one incoming message, in order (Twilio asks again for them)."""
    rows = await fetch_all(
        conn,
        f"SELECT {COLUMNS} FROM outbox WHERE channel = ? AND reply_to = ? AND kind = 'answer'"
        " AND status != 'dropped' ORDER BY id",
        (channel, reply_to),
    )
    return [_message(row) for row in rows]


async def last_answer(conn: Conn, channel: str, address: str) -> Message | None:
    """The last answer sent to a chat whose text is still kept (a reopened chat shows it)."""
    row = await fetch_one(
        conn,
        f"SELECT {COLUMNS} FROM outbox WHERE channel = ? AND address = ? AND kind = 'answer'"
        " AND status = 'sent' AND text != '' ORDER BY id DESC LIMIT 1",
        (channel, address),
    )
    return _message(row) if row is not None else None


async def mark_answered(conn: Conn, channel: str, reply_to: str, now: datetime) -> None:
    """The channel gave these answers in its own response (TwiML): the outbox need not send."""
    await conn.execute(
        f"UPDATE outbox SET status = 'sent', sent_at = ?{ERASE} WHERE channel = ?"
        " AND reply_to = ? AND status = 'pending'",
        (stamp(now), channel, reply_to),
    )


async def backlogs(conn: Conn, more_than: int) -> list[tuple[str, str]]:
    """Destinations with more than `more_than` answers waiting: a chat that floods."""
    rows = await fetch_all(
        conn,
        "SELECT channel, address FROM outbox WHERE status = 'pending' AND kind = 'answer'"
        " GROUP BY channel, address HAVING COUNT(*) > ?",
        (more_than,),
    )
    return [(str(row[0]), str(row[1])) for row in rows]


async def coalesce(conn: Conn, channel: str, address: str, notice: str) -> int:
    """Drop every waiting answer of a destination but the newest, which gets `notice` before
    its text; the dropped texts are erased. Return how many were dropped."""
    rows = await fetch_all(
        conn,
        "SELECT id, text FROM outbox WHERE channel = ? AND address = ? AND status = 'pending'"
        " AND kind = 'answer' ORDER BY id",
        (channel, address),
    )
    if len(rows) < 2:
        return 0
    newest, text = rows[-1][0], rows[-1][1]
    await conn.executemany(
        "UPDATE outbox SET status = 'dropped', text = '', choices = '[]' WHERE id = ?",
        [(row[0],) for row in rows[:-1]],
    )
    await conn.execute(
        "UPDATE outbox SET text = ?, meta = '{}' WHERE id = ?", (f"{notice}\n\n{text}", newest)
    )
    return len(rows) - 1


async def cancel(conn: Conn, key: str) -> None:
    """Withdraw a message that was not sent yet (a reminder for a cancelled booking)."""
    await conn.execute(
        "UPDATE outbox SET status = 'cancelled' WHERE key = ? AND status = 'pending'", (key,)
    )


async def expire(conn: Conn, now: datetime) -> int:
    """Withdraw messages whose moment has passed unsent (a reminder for a day already begun)."""
    cursor = await conn.execute(
        "UPDATE outbox SET status = 'expired', text = '' WHERE status = 'pending'"
        " AND json_extract(meta, '$.expires') IS NOT NULL"
        " AND json_extract(meta, '$.expires') <= ?",
        (stamp(now),),
    )
    return cursor.rowcount


async def heads(conn: Conn, now: datetime, channels: list[str], limit: int = 100) -> list[Message]:
    """The next due message of each destination of `channels` that has none being sent: one
    chat's backlog never holds another's. Within a destination answers go first, in order, and
    notices after them, so a notification's choices are the last the resident sees (and the
    ones its numbers answer); a reminder due tomorrow holds nothing back."""
    marks = ", ".join("?" for _ in channels)
    rows = await fetch_all(
        conn,
        f"SELECT {COLUMNS} FROM outbox o WHERE status = 'pending' AND next_attempt_at <= ?"
        f" AND channel IN ({marks}) AND id = (SELECT p.id FROM outbox p"
        " WHERE p.channel = o.channel AND p.address = o.address AND p.status = 'pending'"
        " AND p.next_attempt_at <= ? ORDER BY p.kind, p.id LIMIT 1)"
        " AND NOT EXISTS (SELECT 1 FROM outbox s WHERE s.channel = o.channel"
        " AND s.address = o.address AND s.status = 'sending')"
        " ORDER BY next_attempt_at, id LIMIT ?",
        (stamp(now), *channels, stamp(now), limit),
    )
    return [_message(row) for row in rows]


async def claim(conn: Conn, messages: list[Message]) -> None:
    """Mark messages as being sent, so that no other round or process sends them too."""
    await conn.executemany(
        "UPDATE outbox SET status = 'sending' WHERE id = ? AND status = 'pending'",
        [(m.id,) for m in messages],
    )


async def recover(conn: Conn, channels: list[str]) -> int:
    """After a crash: messages this process was sending go back to pending (the send did not
    finish, or it would have been marked); return how many."""
    marks = ", ".join("?" for _ in channels)
    cursor = await conn.execute(
        f"UPDATE outbox SET status = 'pending' WHERE status = 'sending' AND channel IN ({marks})",
        channels,
    )
    return cursor.rowcount


async def mark_sent(conn: Conn, message_id: int, now: datetime) -> None:
    """Record a delivery."""
    await conn.execute(
        f"UPDATE outbox SET status = 'sent', sent_at = ?{ERASE} WHERE id = ?"
        " AND status IN ('pending', 'sending')",
        (stamp(now), message_id),
    )


async def mark_failed(
    conn: Conn, message: Message, error: str, now: datetime, permanent: bool
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


async def recover_one(conn: Conn, message_id: int) -> None:
    """Give a claimed message back, unsent, for whoever can deliver it."""
    await conn.execute(
        "UPDATE outbox SET status = 'pending' WHERE id = ? AND status = 'sending'", (message_id,)
    )
