"""Service statuses set by staff, which residents see at once instead of the content's."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from storage.content import STATUSES, LocalText, Period, Status
from storage.rows import Conn, fetch_all, fetch_one
from storage.times import stamp


@dataclass(frozen=True)
class Override:
    """One status a staff member set for a service, from a day (to a day, or open-ended)."""

    service_id: str
    status: str
    start: date
    end: date | None
    note: Mapping[str, str] | None  # by language; a note written once for all is under "en"


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
            json.dumps(dict(override.note), ensure_ascii=False) if override.note else None,
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
        _notes(note),
    )


def _notes(stored: str | None) -> dict[str, str] | None:
    """A note by language (JSON); one kept as plain text before notes had languages."""
    if not stored:
        return None
    with contextlib.suppress(ValueError):
        found = json.loads(stored)
        if isinstance(found, dict):
            return {str(lang): str(text) for lang, text in found.items()}
    return {"en": stored}


def as_periods(overrides: Sequence[Override]) -> list[tuple[str, Period]]:
    """Staff's statuses as periods to lay over the content's (service id, period)."""
    periods = []
    for item in overrides:
        note = LocalText(item.note) if item.note else None
        status: Status = next((s for s in STATUSES if s == item.status), "limited")
        periods.append((item.service_id, Period(status, item.start, item.end, note)))
    return periods


@dataclass(frozen=True)
class Change:
    """A status as staff set it, with who, when, and whether it was undone."""

    id: int
    override: Override
    set_by: str
    set_at: str
    undone_at: str | None


async def history(conn: Conn, municipality_id: str, service_id: str) -> list[Change]:
    """Every status staff set for a service, newest first."""
    rows = await fetch_all(
        conn,
        "SELECT id, service_id, status, start_day, end_day, note, set_by, set_at, undone_at"
        " FROM service_overrides WHERE municipality_id = ? AND service_id = ? ORDER BY id DESC",
        (municipality_id, service_id),
    )
    return [Change(r[0], from_row(tuple(r)[1:6]), r[6], r[7], r[8]) for r in rows]


async def get(conn: Conn, municipality_id: str, change_id: int) -> Override | None:
    """One status staff set, by its id."""
    row = await fetch_one(
        conn,
        "SELECT service_id, status, start_day, end_day, note FROM service_overrides"
        " WHERE municipality_id = ? AND id = ?",
        (municipality_id, change_id),
    )
    return from_row(tuple(row)) if row else None


async def active(conn: Conn, municipality_id: str) -> list[Override]:
    """The statuses in force for a municipality (not undone), oldest first."""
    rows = await fetch_all(
        conn,
        "SELECT service_id, status, start_day, end_day, note FROM service_overrides"
        " WHERE municipality_id = ? AND undone_at IS NULL ORDER BY id",
        (municipality_id,),
    )
    return [from_row(tuple(row)) for row in rows]


async def undo(
    conn: Conn, municipality_id: str, change_id: int, undone_by: str, now: datetime
) -> bool:
    """Withdraw a status staff set (residents see what was there before); False if unknown
    or already undone."""
    cursor = await conn.execute(
        "UPDATE service_overrides SET undone_at = ?, undone_by = ? WHERE id = ?"
        " AND municipality_id = ? AND undone_at IS NULL",
        (stamp(now), undone_by, change_id, municipality_id),
    )
    return cursor.rowcount == 1
