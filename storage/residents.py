"""The residents and identities tables: who writes, from which channel address."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.rows import Conn, fetch_one


@dataclass(frozen=True)
class Resident:
    """A person the assistant talks to, with the municipality and language they chose."""

    id: int
    municipality_id: str | None
    language: str | None
    phone: str | None = None


async def find_or_create(conn: Conn, channel: str, address: str, now: datetime) -> Resident:
    """Return the resident behind (channel, address), creating both rows on first contact."""
    row = await fetch_one(
        conn,
        "SELECT r.id, r.municipality_id, r.language, r.phone FROM identities i"
        " JOIN residents r ON r.id = i.resident_id WHERE i.channel = ? AND i.address = ?",
        (channel, address),
    )
    if row is not None:
        return Resident(row[0], row[1], row[2], row[3])
    cursor = await conn.execute("INSERT INTO residents (created_at) VALUES (?)", (now.isoformat(),))
    resident_id = cursor.lastrowid
    assert resident_id is not None
    await conn.execute(
        "INSERT INTO identities (channel, address, resident_id, created_at) VALUES (?, ?, ?, ?)",
        (channel, address, resident_id, now.isoformat()),
    )
    return Resident(resident_id, None, None)


async def save_preferences(conn: Conn, resident: Resident) -> None:
    """Store the resident's municipality and language."""
    await conn.execute(
        "UPDATE residents SET municipality_id = ?, language = ? WHERE id = ?",
        (resident.municipality_id, resident.language, resident.id),
    )


async def verify_phone(conn: Conn, channel: str, address: str, phone: str) -> int:
    """Record a verified phone for the resident behind (channel, address).

    If another resident already has that phone (for example from SMS), this address joins
    that resident, so bookings and certificates follow the person. Returns the resident id.
    """
    current = await fetch_one(
        conn,
        "SELECT resident_id FROM identities WHERE channel = ? AND address = ?",
        (channel, address),
    )
    owner = await fetch_one(conn, "SELECT id FROM residents WHERE phone = ?", (phone,))
    assert current is not None, "the engine creates the identity first"
    if owner is None:
        await conn.execute("UPDATE residents SET phone = ? WHERE id = ?", (phone, current[0]))
        return int(current[0])
    if owner[0] != current[0]:
        await conn.execute(
            "UPDATE identities SET resident_id = ? WHERE channel = ? AND address = ?",
            (owner[0], channel, address),
        )
        # The owner keeps its settings; those it lacks come from this address's resident.
        await conn.execute(
            "UPDATE residents SET"
            " municipality_id = COALESCE(municipality_id, (SELECT municipality_id FROM residents"
            " WHERE id = :old)), language = COALESCE(language, (SELECT language FROM residents"
            " WHERE id = :old)) WHERE id = :owner",
            {"old": current[0], "owner": owner[0]},
        )
    return int(owner[0])


async def set_reachable(conn: Conn, channel: str, address: str, when: datetime | None) -> None:
    """Mark an address unreachable since `when` (it blocked the bot), or reachable (None)."""
    # Clearing touches only rows that were marked, so an ordinary turn writes nothing here.
    marked = "" if when else " AND unreachable_since IS NOT NULL"
    await conn.execute(
        f"UPDATE identities SET unreachable_since = ? WHERE channel = ? AND address = ?{marked}",
        (when.isoformat() if when else None, channel, address),
    )


async def home_address(conn: Conn, resident_id: int) -> str | None:
    """The address the resident asked to be remembered, if any."""
    row = await fetch_one(conn, "SELECT home_address FROM residents WHERE id = ?", (resident_id,))
    return str(row[0]) if row and row[0] else None


async def set_home_address(conn: Conn, resident_id: int, address: str | None) -> None:
    """Remember (or, with None, forget) the resident's address."""
    await conn.execute("UPDATE residents SET home_address = ? WHERE id = ?", (address, resident_id))


async def exists(conn: Conn, channel: str, address: str) -> bool:
    """True if a resident writes from this channel address."""
    return (
        await fetch_one(
            conn, "SELECT 1 FROM identities WHERE channel = ? AND address = ?", (channel, address)
        )
        is not None
    )


async def language_of(conn: Conn, channel: str, address: str) -> str | None:
    """The language of the resident behind an address, if known."""
    row = await fetch_one(
        conn,
        "SELECT r.language FROM identities i JOIN residents r ON r.id = i.resident_id"
        " WHERE i.channel = ? AND i.address = ?",
        (channel, address),
    )
    return str(row[0]) if row and row[0] else None


async def by_phone(conn: Conn, phone: str, now: datetime) -> Resident:
    """The resident with this verified phone; one who only phoned the office is created as an
    SMS client of that number (their texts later reach the same person)."""
    row = await fetch_one(
        conn, "SELECT id, municipality_id, language, phone FROM residents WHERE phone = ?", (phone,)
    )
    if row is not None:
        # The number is theirs (shared on Telegram): texts to and from it are theirs too, and
        # /forget finds what was sent to it.
        await conn.execute(
            "INSERT INTO identities (channel, address, resident_id, created_at)"
            " VALUES ('sms', ?, ?, ?) ON CONFLICT DO NOTHING",
            (phone, row[0], now.isoformat()),
        )
        return Resident(row[0], row[1], row[2], row[3])
    created = await find_or_create(conn, "sms", phone, now)
    resident_id = await verify_phone(conn, "sms", phone, phone)
    return Resident(resident_id, created.municipality_id, created.language, phone)
