"""Service statuses set by staff, which residents see at once instead of the content's."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from storage.content import STATUSES, LocalText, Period, Status
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


def as_periods(overrides: Sequence[Override]) -> list[tuple[str, Period]]:
    """Staff's statuses as periods to lay over the content's (service id, period)."""
    periods = []
    for item in overrides:
        note = LocalText({"en": item.note}) if item.note else None
        status: Status = next((s for s in STATUSES if s == item.status), "limited")
        periods.append((item.service_id, Period(status, item.start, item.end, note)))
    return periods
