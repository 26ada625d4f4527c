"""What the SMS channel remembers per number: opt-outs and flood windows; delivery reports."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

import aiosqlite

from storage.rows import fetch_one
from storage.times import parse_stamp, stamp


async def _ensure(conn: aiosqlite.Connection, address: str) -> None:
    await conn.execute(
        "INSERT INTO sms_numbers (address) VALUES (?) ON CONFLICT DO NOTHING", (address,)
    )


async def set_opted_out(conn: aiosqlite.Connection, address: str, now: datetime | None) -> None:
    """Stop (a moment) or resume (None) notifications to a number."""
    await _ensure(conn, address)
    await conn.execute(
        "UPDATE sms_numbers SET opted_out_at = ? WHERE address = ?",
        (stamp(now) if now else None, address),
    )


async def opted_out(conn: aiosqlite.Connection, address: str) -> bool:
    """True if the number asked for no notifications."""
    row = await fetch_one(
        conn, "SELECT opted_out_at FROM sms_numbers WHERE address = ?", (address,)
    )
    return bool(row and row[0])


class FloodVerdict(StrEnum):
    """What flood control says of one more message from a number."""

    OK = "ok"
    NOTICE = "notice"  # the limit was just passed: tell once
    MUTED = "muted"  # silent until the mute ends


async def count_message(
    conn: aiosqlite.Connection,
    address: str,
    now: datetime,
    limit: int,
    window: timedelta,
    mute: timedelta,
) -> FloodVerdict:
    """Count a message in the number's window; the verdict on it."""
    await _ensure(conn, address)
    start, count, muted = tuple(
        await fetch_one(
            conn,
            "SELECT window_start, window_count, muted_until FROM sms_numbers WHERE address = ?",
            (address,),
        )
        or (None, 0, None)
    )
    if muted and parse_stamp(muted) > now:
        return FloodVerdict.MUTED
    if start is None or parse_stamp(start) + window <= now:
        start, count = stamp(now), 0
    count += 1
    verdict = FloodVerdict.OK
    muted_until = None
    if count > limit:
        verdict, muted_until = FloodVerdict.NOTICE, stamp(now + mute)
    await conn.execute(
        "UPDATE sms_numbers SET window_start = ?, window_count = ?, muted_until = ?"
        " WHERE address = ?",
        (start, 0 if muted_until else count, muted_until, address),
    )
    return verdict


async def record_status(conn: aiosqlite.Connection, sid: str, status: str, now: datetime) -> None:
    """Twilio's delivery report for an outbound message."""
    await conn.execute(
        "INSERT INTO sms_status (sid, status, updated_at) VALUES (?, ?, ?)"
        " ON CONFLICT (sid) DO UPDATE SET status = excluded.status,"
        " updated_at = excluded.updated_at",
        (sid, status, stamp(now)),
    )
