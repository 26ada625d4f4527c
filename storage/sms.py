"""What the SMS channel remembers per number: opt-outs and flood windows; delivery reports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from storage.rows import Conn, fetch_one
from storage.times import parse_stamp, stamp


async def _ensure(conn: Conn, address: str) -> None:
    await conn.execute(
        "INSERT INTO sms_numbers (address) VALUES (?) ON CONFLICT DO NOTHING", (address,)
    )


async def set_opted_out(conn: Conn, address: str, now: datetime | None) -> None:
    """Stop (a moment) or resume (None) notifications to a number."""
    await _ensure(conn, address)
    await conn.execute(
        "UPDATE sms_numbers SET opted_out_at = ? WHERE address = ?",
        (stamp(now) if now else None, address),
    )


async def opted_out(conn: Conn, address: str) -> bool:
    """True if the number asked for no notifications."""
    row = await fetch_one(
        conn, "SELECT opted_out_at FROM sms_numbers WHERE address = ?", (address,)
    )
    return bool(row and row[0])


class FloodVerdict(StrEnum):
    """What flood control says of one more message from a number."""

    OK = "ok"
    NOTICE = "notice"  # a limit was just passed: tell once
    MUTED = "muted"  # silent until the mute ends


@dataclass(frozen=True)
class FloodLimits:
    """How many messages a number may send in `window`: unasked ones, and all of them."""

    unasked: int
    total: int
    window: timedelta
    mute: timedelta


@dataclass(frozen=True)
class Flood:
    """The verdict on one message, and until when the number is muted (if it is)."""

    verdict: FloodVerdict
    muted_until: datetime | None = None


async def muted_until(conn: Conn, address: str, now: datetime) -> datetime | None:
    """The end of the number's mute, if it is muted now."""
    row = await fetch_one(conn, "SELECT muted_until FROM sms_numbers WHERE address = ?", (address,))
    until = parse_stamp(row[0]) if row and row[0] else None
    return until if until is not None and until > now else None


async def count_message(
    conn: Conn,
    address: str,
    now: datetime,
    limits: FloodLimits,
    *,
    unasked: bool,
) -> Flood:
    """Count a message in the number's window (an answer to the assistant's question counts
    towards the total only); the verdict on it."""
    until = await muted_until(conn, address, now)
    if until is not None:
        return Flood(FloodVerdict.MUTED, until)
    await _ensure(conn, address)
    start, count, total = tuple(
        await fetch_one(
            conn,
            "SELECT window_start, window_count, window_total FROM sms_numbers WHERE address = ?",
            (address,),
        )
        or (None, 0, 0)
    )
    if start is None or parse_stamp(start) + limits.window <= now:
        start, count, total = stamp(now), 0, 0
    count, total = count + int(unasked), total + 1
    if count > limits.unasked or total > limits.total:
        until = now + limits.mute
        await conn.execute(
            "UPDATE sms_numbers SET window_start = NULL, window_count = 0, window_total = 0,"
            " muted_until = ? WHERE address = ?",
            (stamp(until), address),
        )
        return Flood(FloodVerdict.NOTICE, until)
    await conn.execute(
        "UPDATE sms_numbers SET window_start = ?, window_count = ?, window_total = ?,"
        " muted_until = NULL WHERE address = ?",
        (start, count, total, address),
    )
    return Flood(FloodVerdict.OK)


async def record_status(conn: Conn, sid: str, status: str, now: datetime) -> None:
    """Twilio's delivery report for an outbound message."""
    await conn.execute(
        "INSERT INTO sms_status (sid, status, updated_at) VALUES (?, ?, ?)"
        " ON CONFLICT (sid) DO UPDATE SET status = excluded.status,"
        " updated_at = excluded.updated_at",
        (sid, status, stamp(now)),
    )
