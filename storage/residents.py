"""The residents and identities tables: who writes, from which channel address."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import aiosqlite


@dataclass(frozen=True)
class Resident:
    """A person the assistant talks to, with the municipality and language they chose."""

    id: int
    municipality_id: str | None
    language: str | None


async def find_or_create(
    conn: aiosqlite.Connection, channel: str, address: str, now: datetime
) -> Resident:
    """Return the resident behind (channel, address), creating both rows on first contact."""
    async with conn.execute(
        "SELECT r.id, r.municipality_id, r.language FROM identities i"
        " JOIN residents r ON r.id = i.resident_id WHERE i.channel = ? AND i.address = ?",
        (channel, address),
    ) as cursor:
        row = await cursor.fetchone()
    if row is not None:
        return Resident(row[0], row[1], row[2])
    cursor = await conn.execute("INSERT INTO residents (created_at) VALUES (?)", (now.isoformat(),))
    resident_id = cursor.lastrowid
    assert resident_id is not None
    await conn.execute(
        "INSERT INTO identities (channel, address, resident_id, created_at) VALUES (?, ?, ?, ?)",
        (channel, address, resident_id, now.isoformat()),
    )
    return Resident(resident_id, None, None)


async def save_preferences(conn: aiosqlite.Connection, resident: Resident) -> None:
    """Store the resident's municipality and language."""
    await conn.execute(
        "UPDATE residents SET municipality_id = ?, language = ? WHERE id = ?",
        (resident.municipality_id, resident.language, resident.id),
    )
