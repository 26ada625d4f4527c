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
SESSION_LIFETIME = timedelta(hours=8)  # a working day; signing in again is one message away


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
    actor_name: str | None = None  # as named when they acted (they may have left since)


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
    """A new session's id for the staff member a token signs in, once and before it expires;
    None otherwise."""
    row = await fetch_one(
        conn,
        "UPDATE desk_links SET used_at = ? WHERE token_hash = ? AND used_at IS NULL"
        " AND expires_at > ? RETURNING user_id",
        (stamp(now), _hash(token), stamp(now)),
    )
    if row is None:
        return None
    session = secrets.token_urlsafe(32)
    await conn.execute(
        "INSERT INTO desk_sessions (id_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
        (_hash(session), str(row[0]), stamp(now), stamp(now + SESSION_LIFETIME)),
    )
    return session


async def session_user(conn: Conn, session: str, now: datetime) -> str | None:
    """The staff member of a live session (not signed out, not expired)."""
    row = await fetch_one(
        conn,
        "SELECT user_id FROM desk_sessions WHERE id_hash = ? AND ended_at IS NULL"
        " AND expires_at > ?",
        (_hash(session), stamp(now)),
    )
    return str(row[0]) if row is not None else None


async def end_session(conn: Conn, session: str, now: datetime) -> None:
    """Sign out: the session's cookie is worth nothing from now on, wherever it was copied."""
    await conn.execute(
        "UPDATE desk_sessions SET ended_at = ? WHERE id_hash = ? AND ended_at IS NULL",
        (stamp(now), _hash(session)),
    )


async def add_event(
    conn: Conn, request_id: int, kind: EventKind, actor: str | None, text: str, now: datetime
) -> int:
    """Add a line to a request's timeline, naming the staff member as they are named now; its
    id (unique: messages sent about it are keyed by it)."""
    cursor = await conn.execute(
        "INSERT INTO request_events (request_id, at, kind, actor, text, actor_name)"
        " VALUES (?, ?, ?, ?, ?, (SELECT name FROM staff WHERE user_id = ? LIMIT 1))",
        (request_id, stamp(now), kind.value, actor, text, actor),
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


async def events(conn: Conn, request_id: int) -> list[Event]:
    """A request's timeline, oldest first."""
    rows = await fetch_all(
        conn,
        "SELECT at, kind, actor, text, actor_name FROM request_events WHERE request_id = ?"
        " ORDER BY id",
        (request_id,),
    )
    return [Event(str(r[0]), EventKind(r[1]), r[2], str(r[3] or ""), r[4]) for r in rows]


async def erase_texts(conn: Conn, resident_id: int) -> None:
    """A resident's erasure: replies and notes on their requests may hold their data."""
    await conn.execute(
        "UPDATE request_events SET text = '' WHERE request_id IN"
        " (SELECT id FROM requests WHERE resident_id = ?)",
        (resident_id,),
    )
