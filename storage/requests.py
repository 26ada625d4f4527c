"""The requests table: what isolated residents need, and who on the staff handles it."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime

from storage.rows import Conn, fetch_all, fetch_one
from storage.times import stamp

OPEN_STATUSES = ("open", "taken")


@dataclass(frozen=True)
class Request:
    """One request as staff and the resident see it."""

    id: int
    municipality_id: str
    queue: str
    resident_id: int | None
    channel: str | None
    address: str | None
    language: str | None
    needs: tuple[str, ...]
    details: str | None
    home_address: str | None
    phone: str | None
    urgency: str
    status: str
    taken_by: str | None
    created_at: str
    voice: str | None = None  # a voice note for staff: the channel's file id
    location: tuple[float, float] | None = None  # latitude, longitude the resident shared


COLUMNS = (
    "id, municipality_id, queue, resident_id, channel, address, language, needs, details,"
    " home_address, phone, urgency, status, taken_by, created_at, voice, latitude, longitude"
)


def _request(row: sqlite3.Row) -> Request:
    v = tuple(row)
    return Request(
        v[0],
        v[1],
        v[2],
        v[3],
        v[4],
        v[5],
        v[6],
        tuple(json.loads(v[7])),
        v[8],
        v[9],
        v[10],
        v[11],
        v[12],
        v[13],
        v[14],
        v[15],
        (float(v[16]), float(v[17])) if v[16] is not None and v[17] is not None else None,
    )


@dataclass(frozen=True)
class NewRequest:
    """What the resident's dialog collected."""

    municipality_id: str
    queue: str
    resident_id: int
    channel: str
    address: str
    language: str | None
    needs: tuple[str, ...]
    details: str | None
    home_address: str | None
    phone: str | None
    urgency: str
    voice: str | None = None
    location: tuple[float, float] | None = None


async def file(conn: Conn, new: NewRequest, now: datetime) -> int:
    """Store a new open request; return its number."""
    cursor = await conn.execute(
        "INSERT INTO requests (municipality_id, queue, resident_id, channel, address, language,"
        " needs, details, home_address, phone, urgency, created_at, updated_at, voice, latitude,"
        " longitude) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            new.municipality_id,
            new.queue,
            new.resident_id,
            new.channel,
            new.address,
            new.language,
            json.dumps(list(new.needs)),
            new.details,
            new.home_address,
            new.phone,
            new.urgency,
            stamp(now),
            stamp(now),
            new.voice,
            *(new.location or (None, None)),
        ),
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


async def get(conn: Conn, request_id: int) -> Request | None:
    """One request by number."""
    row = await fetch_one(conn, f"SELECT {COLUMNS} FROM requests WHERE id = ?", (request_id,))
    return _request(row) if row else None


async def of_resident(conn: Conn, resident_id: int) -> list[Request]:
    """The resident's requests, newest first."""
    return [
        _request(row)
        for row in await fetch_all(
            conn,
            f"SELECT {COLUMNS} FROM requests WHERE resident_id = ? ORDER BY id DESC LIMIT 5",
            (resident_id,),
        )
    ]


async def queue(
    conn: Conn,
    municipality_id: str,
    taken_by: str | None = None,
    queue: str | None = None,
) -> list[Request]:
    """Open requests of a municipality (of one queue, if given), oldest first (or those one
    staff member holds)."""
    sql = (
        f"SELECT {COLUMNS} FROM requests WHERE municipality_id = ? AND status IN ('open', 'taken')"
    )
    params: list[object] = [municipality_id]
    if queue is not None:
        sql += " AND queue = ?"
        params.append(queue)
    if taken_by is not None:
        sql += " AND status = 'taken' AND taken_by = ?"
        params.append(taken_by)
    return [_request(row) for row in await fetch_all(conn, sql + " ORDER BY id", params)]


async def set_status(
    conn: Conn,
    request_id: int,
    status: str,
    taken_by: str | None,
    now: datetime,
    expect: tuple[str, ...] = OPEN_STATUSES,
) -> bool:
    """Move a request on, only from one of the `expect`ed statuses; False if it was not there."""
    marks = ", ".join("?" for _ in expect)
    cursor = await conn.execute(
        f"UPDATE requests SET status = ?, taken_by = ?, updated_at = ? WHERE id = ?"
        f" AND status IN ({marks})",
        (status, taken_by, stamp(now), request_id, *expect),
    )
    return cursor.rowcount == 1


async def unescalated(conn: Conn, older_than: datetime) -> list[Request]:
    """Open requests nobody took since `older_than`, not yet escalated."""
    return [
        _request(row)
        for row in await fetch_all(
            conn,
            f"SELECT {COLUMNS} FROM requests WHERE status = 'open' AND escalated_at IS NULL"
            " AND created_at <= ? ORDER BY id",
            (stamp(older_than),),
        )
    ]


async def mark_escalated(conn: Conn, request_id: int, now: datetime) -> None:
    """Remember that supervisors were called for this request."""
    await conn.execute(
        "UPDATE requests SET escalated_at = ? WHERE id = ?", (stamp(now), request_id)
    )


async def open_of(conn: Conn, resident_id: int) -> list[Request]:
    """The resident's open (or taken) requests."""
    return [
        _request(row)
        for row in await fetch_all(
            conn,
            f"SELECT {COLUMNS} FROM requests WHERE resident_id = ?"
            " AND status IN ('open', 'taken') ORDER BY id",
            (resident_id,),
        )
    ]
