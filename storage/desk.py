"""The staff desk's records: one-time sign-in links and the timeline of each request."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from storage.rows import Conn, fetch_all, fetch_one
from storage.times import stamp

LINK_LIFETIME = timedelta(minutes=10)


class EventKind(StrEnum):
    """What happened to a request."""

    STATUS = "status"  # taken, done, could not reach, back to queue, reopened
    REPLY = "reply"  # a staff member's message to the resident (sent through the outbox)
    NOTE = "note"  # an internal note, never sent
    RESIDENT = "resident"  # the resident's answer to a staff member's message
    ASSIGNED = "assigned"  # a supervisor gave the request to a colleague (the text: their id)


@dataclass(frozen=True)
class Event:
    """One line of a request's timeline."""

    at: str
    kind: EventKind
    actor: str | None
    text: str


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def create_link(conn: Conn, user_id: str, now: datetime) -> str:
    """A new one-time sign-in token for a staff member (only its hash is stored)."""
    token = secrets.token_urlsafe(32)
    await conn.execute(
        "INSERT INTO desk_links (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
        (_hash(token), user_id, stamp(now), stamp(now + LINK_LIFETIME)),
    )
    return token


async def redeem_link(conn: Conn, token: str, now: datetime) -> str | None:
    """The staff member a token signs in, once and before it expires; None otherwise."""
    row = await fetch_one(
        conn,
        "UPDATE desk_links SET used_at = ? WHERE token_hash = ? AND used_at IS NULL"
        " AND expires_at > ? RETURNING user_id",
        (stamp(now), _hash(token), stamp(now)),
    )
    return str(row[0]) if row is not None else None


async def add_event(
    conn: Conn, request_id: int, kind: EventKind, actor: str | None, text: str, now: datetime
) -> None:
    """Add a line to a request's timeline."""
    await conn.execute(
        "INSERT INTO request_events (request_id, at, kind, actor, text) VALUES (?, ?, ?, ?, ?)",
        (request_id, stamp(now), kind.value, actor, text),
    )


async def events(conn: Conn, request_id: int) -> list[Event]:
    """A request's timeline, oldest first."""
    rows = await fetch_all(
        conn,
        "SELECT at, kind, actor, text FROM request_events WHERE request_id = ? ORDER BY id",
        (request_id,),
    )
    return [Event(str(r[0]), EventKind(r[1]), r[2], str(r[3] or "")) for r in rows]


async def erase_texts(conn: Conn, resident_id: int) -> None:
    """A resident's erasure: replies and notes on their requests may hold their data."""
    await conn.execute(
        "UPDATE request_events SET text = '' WHERE request_id IN"
        " (SELECT id FROM requests WHERE resident_id = ?)",
        (resident_id,),
    )
