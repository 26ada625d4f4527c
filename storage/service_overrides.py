"""Service statuses set by staff, which residents see at once instead of the content's."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from storage.rows import Conn
from storage.times import stamp


@dataclass(frozen=True)
class Override:
    """One status a staff member set for a service, from a day (to a day, or open-ended)."""

    service_id: str
    status: str
    start: date
    end: date | None
    note: str | None


async def add(
    conn: Conn,
    municipality_id: str,
    override: Override,
    set_by: str,
    now: datetime,
) -> None:
    """Record a new status; later ones win over earlier ones for the days they share."""
    await conn.execute(
        "INSERT INTO service_overrides (municipality_id, service_id, status, start_day, end_day,"
        " note, set_by, set_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            municipality_id,
            override.service_id,
            override.status,
            override.start.isoformat(),
            override.end.isoformat() if override.end else None,
            override.note,
            set_by,
            stamp(now),
        ),
    )


def from_row(row: Sequence[Any]) -> Override:
    """An Override from (service_id, status, start_day, end_day, note)."""
    service_id, status, start, end, note = row
    return Override(
        service_id,
        status,
        date.fromisoformat(start),
        date.fromisoformat(end) if end else None,
        note,
    )
