"""The waiting list of a facility's day: first come, first offered."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime

from storage.rows import Conn, fetch_all, fetch_one
from storage.times import parse_stamp, stamp


@dataclass(frozen=True)
class Entry:
    """Someone waiting for (or offered) a place."""

    id: int
    municipality_id: str
    facility_id: str
    day: date
    resident_id: int
    channel: str
    address: str
    language: str | None
    status: str
    offer_expires_at: datetime | None = None  # while an offer holds a place for them


COLUMNS = (
    "id, municipality_id, facility_id, day, resident_id, channel, address, language, status,"
    " offer_expires_at"
)


def _entry(row: sqlite3.Row) -> Entry:
    v = tuple(row)
    return Entry(
        int(v[0]),
        str(v[1]),
        str(v[2]),
        date.fromisoformat(str(v[3])),
        int(v[4]),
        str(v[5]),
        str(v[6]),
        None if v[7] is None else str(v[7]),
        str(v[8]),
        None if v[9] is None else parse_stamp(str(v[9])),
    )


async def join(conn: Conn, entry: Entry, now: datetime) -> bool:
    """Add someone to the list; False if they are already on it."""
    cursor = await conn.execute(
        "INSERT INTO waitlist (municipality_id, facility_id, day, resident_id, channel, address,"
        " language, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        (
            entry.municipality_id,
            entry.facility_id,
            entry.day.isoformat(),
            entry.resident_id,
            entry.channel,
            entry.address,
            entry.language,
            stamp(now),
        ),
    )
    return cursor.rowcount == 1


async def first_waiting(
    conn: Conn, municipality_id: str, facility_id: str, day: date
) -> Entry | None:
    """The one who has waited longest."""
    row = await fetch_one(
        conn,
        f"SELECT {COLUMNS} FROM waitlist WHERE municipality_id = ? AND facility_id = ? AND day = ?"
        " AND status = 'waiting' ORDER BY id LIMIT 1",
        (municipality_id, facility_id, day.isoformat()),
    )
    return _entry(row) if row else None


async def offer(conn: Conn, entry_id: int, expires_at: datetime) -> None:
    """Hold a freed place for this entry until `expires_at`."""
    await conn.execute(
        "UPDATE waitlist SET status = 'offered', offer_expires_at = ? WHERE id = ?",
        (stamp(expires_at), entry_id),
    )


async def get(conn: Conn, entry_id: int) -> Entry | None:
    """One entry by id."""
    row = await fetch_one(conn, f"SELECT {COLUMNS} FROM waitlist WHERE id = ?", (entry_id,))
    return _entry(row) if row else None


async def close(conn: Conn, entry_id: int, status: str) -> bool:
    """End an entry: accepted, declined, expired or left; False if it was already closed."""
    cursor = await conn.execute(
        "UPDATE waitlist SET status = ? WHERE id = ? AND status IN ('waiting', 'offered')",
        (status, entry_id),
    )
    return cursor.rowcount == 1


async def expired_offers(conn: Conn, now: datetime) -> list[Entry]:
    """Offers nobody accepted in time."""
    return [
        _entry(row)
        for row in await fetch_all(
            conn,
            f"SELECT {COLUMNS} FROM waitlist WHERE status = 'offered' AND offer_expires_at <= ?",
            (stamp(now),),
        )
    ]


async def open_of(conn: Conn, resident_id: int) -> list[Entry]:
    """The resident's places in waiting lists (waiting or offered)."""
    return [
        _entry(row)
        for row in await fetch_all(
            conn,
            f"SELECT {COLUMNS} FROM waitlist WHERE resident_id = ?"
            " AND status IN ('waiting', 'offered') ORDER BY id",
            (resident_id,),
        )
    ]


async def place_in_line(conn: Conn, entry: Entry) -> int:
    """The entry's place among those still waiting for the same facility and day (1 = next)."""
    row = await fetch_one(
        conn,
        "SELECT COUNT(*) FROM waitlist WHERE municipality_id = ? AND facility_id = ? AND day = ?"
        " AND status = 'waiting' AND id <= ?",
        (entry.municipality_id, entry.facility_id, entry.day.isoformat(), entry.id),
    )
    return int(row[0]) if row else 1


async def of_day(conn: Conn, municipality_id: str, day: date) -> list[tuple[Entry, str | None]]:
    """A day's open waiting-list entries, first in line first, with each resident's phone."""
    columns = ", ".join(f"w.{c.strip()}" for c in COLUMNS.split(","))
    rows = await fetch_all(
        conn,
        f"SELECT {columns}, r.phone FROM waitlist w JOIN residents r ON r.id = w.resident_id"
        " WHERE w.municipality_id = ? AND w.day = ? AND w.status IN ('waiting', 'offered')"
        " ORDER BY w.facility_id, w.id",
        (municipality_id, day.isoformat()),
    )
    return [(_entry(row), None if row[-1] is None else str(row[-1])) for row in rows]
