"""Simple figures for a municipality's staff: open requests by queue (and the oldest one's
wait), and per week the requests filed with the median time until taken and until done, and
the bookings with how many came and how many did not."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from dialogs.core.clock import LOCAL_ZONE
from storage.rows import Conn, fetch_all

WEEKS = 8


@dataclass(frozen=True)
class OpenQueue:
    """A queue's open requests now."""

    queue: str
    count: int
    oldest: timedelta | None


@dataclass(frozen=True)
class Week:
    """One week's figures (Monday to Sunday, local time)."""

    monday: date
    filed: int
    to_take: timedelta | None  # median, of those taken
    to_done: timedelta | None  # median, of those done
    booked: int
    came: int
    no_show: int


@dataclass(frozen=True)
class Figures:
    """A municipality's figures now."""

    open: list[OpenQueue]
    weeks: list[Week]


def _monday(moment: datetime | date) -> date:
    day = moment.astimezone(LOCAL_ZONE).date() if isinstance(moment, datetime) else moment
    return day - timedelta(days=day.weekday())


def _median(values: list[timedelta]) -> timedelta | None:
    return (
        timedelta(seconds=statistics.median(v.total_seconds() for v in values)) if values else None
    )


async def figures(conn: Conn, municipality_id: str, now: datetime) -> Figures:
    """Open requests now and the last WEEKS weeks, newest first."""
    first = _monday(now) - timedelta(weeks=WEEKS - 1)
    since = datetime.combine(first, datetime.min.time(), tzinfo=LOCAL_ZONE)
    open_rows = await fetch_all(
        conn,
        "SELECT queue, COUNT(*), MIN(created_at) FROM requests WHERE municipality_id = ?"
        " AND status IN ('open', 'taken') GROUP BY queue ORDER BY queue",
        (municipality_id,),
    )
    opened = [
        OpenQueue(str(r[0]), int(r[1]), now - datetime.fromisoformat(str(r[2])) if r[2] else None)
        for r in open_rows
    ]
    # Each request with when it was first taken (or given to someone) and first done.
    rows = await fetch_all(
        conn,
        "SELECT r.created_at,"
        " (SELECT MIN(e.at) FROM request_events e WHERE e.request_id = r.id AND"
        " ((e.kind = 'status' AND e.text = 'take') OR e.kind = 'assigned')),"
        " (SELECT MIN(e.at) FROM request_events e WHERE e.request_id = r.id"
        " AND e.kind = 'status' AND e.text = 'done')"
        " FROM requests r WHERE r.municipality_id = ? AND r.created_at >= ?",
        (municipality_id, since.isoformat()),
    )
    filed: dict[date, list[tuple[datetime, datetime | None, datetime | None]]] = {}
    for created, taken, done in rows:
        at = datetime.fromisoformat(str(created))
        moments = (at, _moment(taken), _moment(done))
        filed.setdefault(_monday(at), []).append(moments)
    booking_rows = await fetch_all(
        conn,
        "SELECT day, COUNT(*), SUM(attendance = 'came'), SUM(attendance = 'no-show')"
        " FROM bookings WHERE municipality_id = ? AND status = 'active' AND day >= ?"
        " GROUP BY day",
        (municipality_id, first.isoformat()),
    )
    booked: dict[date, list[int]] = {}
    for day, count, came, missed in booking_rows:
        week = booked.setdefault(_monday(date.fromisoformat(str(day))), [0, 0, 0])
        week[0] += int(count)
        week[1] += int(came or 0)
        week[2] += int(missed or 0)
    weeks = []
    for back in range(WEEKS):
        monday = _monday(now) - timedelta(weeks=back)
        requests = filed.get(monday, [])
        counts = booked.get(monday, [0, 0, 0])
        weeks.append(
            Week(
                monday,
                len(requests),
                _median([taken - at for at, taken, _ in requests if taken]),
                _median([done - at for at, _, done in requests if done]),
                *counts,
            )
        )
    return Figures(opened, weeks)


def _moment(value: object) -> datetime | None:
    return datetime.fromisoformat(str(value)) if value else None
