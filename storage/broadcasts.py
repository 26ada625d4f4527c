"""Broadcasts (a notice to chosen residents, one outbox row each) and "notify me"
subscriptions to a service's changes."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from storage.rows import Conn, fetch_all, fetch_one
from storage.times import parse_stamp, stamp


@dataclass(frozen=True)
class Recipient:
    """One resident's address a broadcast goes to, and the language they read."""

    resident_id: int
    language: str | None
    channel: str
    address: str


@dataclass(frozen=True)
class Broadcast:
    """A broadcast as kept: whom it was for, its texts, when, and by whom."""

    id: int
    municipality_id: str
    audience: dict[str, str]
    texts: dict[str, str]
    send_at: datetime
    created_by: str
    created_at: datetime
    recipients: int
    skipped: int
    cancelled_at: datetime | None


COLUMNS = (
    "id, municipality_id, audience, texts, send_at, created_by, created_at, recipients, skipped,"
    " cancelled_at"
)
RESIDENT_CHANNELS = "('telegram', 'sms', 'console')"  # never a staff group


def _broadcast(row: tuple[object, ...]) -> Broadcast:
    v = tuple(row)
    return Broadcast(
        int(str(v[0])),
        str(v[1]),
        json.loads(str(v[2])),
        json.loads(str(v[3])),
        parse_stamp(str(v[4])),
        str(v[5]),
        parse_stamp(str(v[6])),
        int(str(v[7])),
        int(str(v[8])),
        None if v[9] is None else parse_stamp(str(v[9])),
    )


async def residents_of(conn: Conn, municipality_id: str) -> list[Recipient]:
    """Every reachable address of the municipality's residents."""
    return await _recipients(
        conn,
        "SELECT r.id, r.language, i.channel, i.address FROM residents r JOIN identities i"
        " ON i.resident_id = r.id WHERE r.municipality_id = ?",
        (municipality_id,),
    )


async def booked_on(
    conn: Conn, municipality_id: str, day: date, facility_id: str | None
) -> list[Recipient]:
    """Who is booked on a day (at one facility, or any), where they booked from."""
    return await _on_day(conn, "bookings", "('active')", municipality_id, day, facility_id)


async def waiting_on(
    conn: Conn, municipality_id: str, day: date, facility_id: str | None
) -> list[Recipient]:
    """Who waits for a place on a day (at one facility, or any)."""
    statuses = "('waiting', 'offered')"
    return await _on_day(conn, "waitlist", statuses, municipality_id, day, facility_id)


async def _on_day(
    conn: Conn,
    table: str,
    statuses: str,
    municipality_id: str,
    day: date,
    facility_id: str | None,
) -> list[Recipient]:
    """The residents of a day's bookings or waiting list, at the address each used."""
    return await _recipients(
        conn,
        f"SELECT r.id, r.language, t.channel, t.address FROM {table} t"
        " JOIN residents r ON r.id = t.resident_id"
        f" WHERE t.municipality_id = ? AND t.day = ? AND t.status IN {statuses}"
        " AND (? IS NULL OR t.facility_id = ?)",
        (municipality_id, day.isoformat(), facility_id, facility_id),
    )


async def subscribers(conn: Conn, municipality_id: str, service_id: str) -> list[Recipient]:
    """Who asked to be told when the service changes, at every address they write from."""
    return await _recipients(
        conn,
        "SELECT r.id, r.language, i.channel, i.address FROM subscriptions s"
        " JOIN residents r ON r.id = s.resident_id JOIN identities i ON i.resident_id = r.id"
        " WHERE s.municipality_id = ? AND s.service_id = ?",
        (municipality_id, service_id),
    )


async def _recipients(conn: Conn, query: str, params: tuple[object, ...]) -> list[Recipient]:
    """The query's (resident, language, channel, address) rows that can be written to: a
    resident channel, not marked unreachable, not erased."""
    rows = await fetch_all(
        conn,
        f"SELECT * FROM ({query}) q WHERE q.channel IN {RESIDENT_CHANNELS} AND q.address != ''"
        " AND NOT EXISTS (SELECT 1 FROM identities u WHERE u.channel = q.channel"
        " AND u.address = q.address AND u.unreachable_since IS NOT NULL)"
        " ORDER BY q.id",
        params,
    )
    return [
        Recipient(int(r[0]), None if r[1] is None else str(r[1]), str(r[2]), str(r[3]))
        for r in rows
    ]


async def opted_out(conn: Conn) -> set[str]:
    """The SMS numbers that asked for no notifications (STOP)."""
    rows = await fetch_all(conn, "SELECT address FROM sms_numbers WHERE opted_out_at IS NOT NULL")
    return {str(row[0]) for row in rows}


async def add(
    conn: Conn,
    municipality_id: str,
    audience: dict[str, str],
    texts: dict[str, str],
    send_at: datetime,
    created_by: str,
    now: datetime,
) -> int:
    """Keep a broadcast; its messages are enqueued by the caller in the same transaction."""
    cursor = await conn.execute(
        "INSERT INTO broadcasts (municipality_id, audience, texts, send_at, created_by,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?)",
        (
            municipality_id,
            json.dumps(audience, ensure_ascii=False),
            json.dumps(texts, ensure_ascii=False),
            stamp(send_at),
            created_by,
            stamp(now),
        ),
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


async def set_counts(conn: Conn, broadcast_id: int, recipients: int, skipped: int) -> None:
    """How many messages were enqueued, and how many addresses were skipped (opted out)."""
    await conn.execute(
        "UPDATE broadcasts SET recipients = ?, skipped = ? WHERE id = ?",
        (recipients, skipped, broadcast_id),
    )


async def get(conn: Conn, broadcast_id: int) -> Broadcast | None:
    """One broadcast by id."""
    row = await fetch_one(conn, f"SELECT {COLUMNS} FROM broadcasts WHERE id = ?", (broadcast_id,))
    return _broadcast(tuple(row)) if row else None


async def of_municipality(conn: Conn, municipality_id: str, limit: int = 50) -> list[Broadcast]:
    """The latest broadcasts of a municipality, newest first."""
    rows = await fetch_all(
        conn,
        f"SELECT {COLUMNS} FROM broadcasts WHERE municipality_id = ? ORDER BY id DESC LIMIT ?",
        (municipality_id, limit),
    )
    return [_broadcast(tuple(row)) for row in rows]


async def delivery(conn: Conn, broadcast_id: int) -> dict[str, int]:
    """The broadcast's messages by outbox status: pending, sending, sent, failed, cancelled."""
    rows = await fetch_all(
        conn,
        "SELECT status, COUNT(*) FROM outbox WHERE key >= ? AND key < ? GROUP BY status",
        (f"broadcast:{broadcast_id}:", f"broadcast:{broadcast_id};"),
    )
    return {str(row[0]): int(row[1]) for row in rows}


async def cancel(conn: Conn, broadcast_id: int, by: str, now: datetime) -> int:
    """Withdraw what is not sent yet; how many messages were withdrawn."""
    await conn.execute(
        "UPDATE broadcasts SET cancelled_at = ?, cancelled_by = ? WHERE id = ?"
        " AND cancelled_at IS NULL",
        (stamp(now), by, broadcast_id),
    )
    cursor = await conn.execute(
        "UPDATE outbox SET status = 'cancelled' WHERE key >= ? AND key < ? AND status = 'pending'",
        (f"broadcast:{broadcast_id}:", f"broadcast:{broadcast_id};"),
    )
    return cursor.rowcount


async def subscribe(
    conn: Conn, resident_id: int, municipality_id: str, service_id: str, now: datetime
) -> None:
    """The resident wants to be told when the service changes."""
    await conn.execute(
        "INSERT INTO subscriptions (resident_id, municipality_id, service_id, created_at)"
        " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
        (resident_id, municipality_id, service_id, stamp(now)),
    )


async def unsubscribe(conn: Conn, resident_id: int, municipality_id: str, service_id: str) -> None:
    """No more news of the service for the resident."""
    await conn.execute(
        "DELETE FROM subscriptions WHERE resident_id = ? AND municipality_id = ?"
        " AND service_id = ?",
        (resident_id, municipality_id, service_id),
    )


async def subscribed(conn: Conn, resident_id: int, municipality_id: str, service_id: str) -> bool:
    """True if the resident asked to be told of the service's changes."""
    row = await fetch_one(
        conn,
        "SELECT 1 FROM subscriptions WHERE resident_id = ? AND municipality_id = ?"
        " AND service_id = ?",
        (resident_id, municipality_id, service_id),
    )
    return row is not None
