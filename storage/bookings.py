"""The bookings table: places at a facility on a day; the capacity is a database trigger."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime

from storage.rows import Conn, fetch_all, fetch_one
from storage.times import stamp


class FacilityFullError(Exception):
    """No place is left on that day."""


class AlreadyBookedError(Exception):
    """The resident already has a booking at that facility on that day."""


@dataclass(frozen=True)
class Booking:
    """One active or cancelled booking."""

    id: int
    municipality_id: str
    facility_id: str
    day: date
    resident_id: int
    channel: str
    address: str
    certificate: str | None
    contactless: bool
    status: str
    attendance: str | None = None  # "came" or "no-show", once staff marked it
    note: str | None = None  # staff's, for a booking they made (a name for the door)


COLUMNS = (
    "id, municipality_id, facility_id, day, resident_id, channel, address, certificate,"
    " contactless, status, attendance, note"
)
ATTENDANCE = ("came", "no-show")


def _booking(row: tuple[object, ...] | sqlite3.Row) -> Booking:
    values = tuple(row)
    return Booking(
        id=int(str(values[0])),
        municipality_id=str(values[1]),
        facility_id=str(values[2]),
        day=date.fromisoformat(str(values[3])),
        resident_id=int(str(values[4])),
        channel=str(values[5]),
        address=str(values[6]),
        certificate=None if values[7] is None else str(values[7]),
        contactless=bool(values[8]),
        status=str(values[9]),
        attendance=None if values[10] is None else str(values[10]),
        note=None if values[11] is None else str(values[11]),
    )


@dataclass(frozen=True)
class NewBooking:
    """What a booking needs; `capacity` comes from the content and is checked by the trigger."""

    municipality_id: str
    facility_id: str
    day: date
    resident_id: int
    channel: str
    address: str
    capacity: int
    certificate: str | None = None
    contactless: bool = False
    note: str | None = None


async def book(conn: Conn, new: NewBooking, now: datetime) -> int:
    """Insert an active booking; raise FacilityFullError or AlreadyBookedError."""
    try:
        cursor = await conn.execute(
            "INSERT INTO bookings (municipality_id, facility_id, day, resident_id, channel,"
            " address, capacity, certificate, contactless, created_at, note)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                new.municipality_id,
                new.facility_id,
                new.day.isoformat(),
                new.resident_id,
                new.channel,
                new.address,
                new.capacity,
                new.certificate,
                int(new.contactless),
                stamp(now),
                new.note,
            ),
        )
    except sqlite3.IntegrityError as error:
        if "facility full" in str(error):
            raise FacilityFullError from None
        raise AlreadyBookedError from None
    assert cursor.lastrowid is not None
    return cursor.lastrowid


async def taken(conn: Conn, municipality_id: str, facility_id: str, day: date) -> int:
    """Places taken on a day: active bookings and places held for waiting-list offers."""
    row = await fetch_one(
        conn,
        "SELECT (SELECT COUNT(*) FROM bookings WHERE municipality_id = :m AND facility_id = :f"
        " AND day = :d AND status = 'active') + (SELECT COUNT(*) FROM waitlist WHERE"
        " municipality_id = :m AND facility_id = :f AND day = :d AND status = 'offered')",
        {"m": municipality_id, "f": facility_id, "d": day.isoformat()},
    )
    return int(row[0]) if row else 0


async def active_for(
    conn: Conn, resident_id: int, municipality_id: str, today: date
) -> list[Booking]:
    """The resident's active bookings from today on, soonest first."""
    return [
        _booking(row)
        for row in await fetch_all(
            conn,
            f"SELECT {COLUMNS} FROM bookings WHERE resident_id = ? AND municipality_id = ?"
            " AND status = 'active' AND day >= ? ORDER BY day, id",
            (resident_id, municipality_id, today.isoformat()),
        )
    ]


async def get(conn: Conn, booking_id: int) -> Booking | None:
    """One booking by id."""
    row = await fetch_one(conn, f"SELECT {COLUMNS} FROM bookings WHERE id = ?", (booking_id,))
    return _booking(row) if row else None


async def cancel(conn: Conn, booking_id: int, now: datetime) -> bool:
    """Cancel an active booking; False if it was not active."""
    cursor = await conn.execute(
        "UPDATE bookings SET status = 'cancelled', cancelled_at = ?"
        " WHERE id = ? AND status = 'active'",
        (stamp(now), booking_id),
    )
    return cursor.rowcount == 1


async def roster(conn: Conn, municipality_id: str, day: date) -> list[tuple[Booking, str | None]]:
    """The day's active bookings with each resident's verified phone."""
    columns = ", ".join(f"b.{c.strip()}" for c in COLUMNS.split(","))
    rows = await fetch_all(
        conn,
        f"SELECT {columns}, r.phone FROM bookings b JOIN residents r ON r.id = b.resident_id"
        " WHERE b.municipality_id = ? AND b.day = ? AND b.status = 'active'"
        " ORDER BY b.facility_id, b.id",
        (municipality_id, day.isoformat()),
    )
    return [(_booking(tuple(row)[:-1]), row[-1]) for row in rows]


async def active_of(conn: Conn, resident_id: int) -> list[Booking]:
    """Every active booking of a resident, in any municipality and on any day."""
    return [
        _booking(row)
        for row in await fetch_all(
            conn,
            f"SELECT {COLUMNS} FROM bookings WHERE resident_id = ? AND status = 'active'"
            " ORDER BY day, id",
            (resident_id,),
        )
    ]


async def mark_attendance(conn: Conn, booking_id: int, attendance: str | None) -> bool:
    """Mark an active booking as came / no-show (None: unmark); False if not active."""
    cursor = await conn.execute(
        "UPDATE bookings SET attendance = ? WHERE id = ? AND status = 'active'",
        (attendance, booking_id),
    )
    return cursor.rowcount == 1


async def refusal_for(
    conn: Conn, municipality_id: str, facility_id: str, day: date, capacity: int, phone: str
) -> type[Exception] | None:
    """Why booking the resident with this verified phone would fail (FacilityFullError,
    AlreadyBookedError), checked before anything is written for them; None if it would not."""
    row = await fetch_one(
        conn,
        "SELECT EXISTS (SELECT 1 FROM bookings b JOIN residents r ON r.id = b.resident_id"
        " WHERE r.phone = :p AND b.municipality_id = :m AND b.facility_id = :f AND b.day = :d"
        " AND b.status = 'active'), EXISTS (SELECT 1 FROM waitlist w JOIN residents r"
        " ON r.id = w.resident_id WHERE r.phone = :p AND w.municipality_id = :m"
        " AND w.facility_id = :f AND w.day = :d AND w.status = 'offered')",
        {"p": phone, "m": municipality_id, "f": facility_id, "d": day.isoformat()},
    )
    booked, held = (bool(row[0]), bool(row[1])) if row else (False, False)
    if booked:
        return AlreadyBookedError
    if not held and await taken(conn, municipality_id, facility_id, day) >= capacity:
        return FacilityFullError
    return None
