"""What a turn needs to begin, read in one query: each query is a round trip to aiosqlite's
thread (about 0.4 ms here), and the turn holds the write lock meanwhile."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from storage import conversations, residents, service_overrides
from storage.conversations import Conversation
from storage.residents import Resident
from storage.rows import Conn, fetch_one
from storage.service_overrides import Override

QUERY = (
    "SELECT r.id, r.municipality_id, r.language, r.phone, i.unreachable_since,"
    " c.dialog, c.step, c.data, c.choices, c.updated_at, c.pages,"
    " (SELECT json_group_array(json_array(service_id, status, start_day, end_day, note))"
    "  FROM (SELECT * FROM service_overrides o WHERE o.municipality_id = r.municipality_id"
    "  AND o.undone_at IS NULL ORDER BY o.id))"
    " FROM identities i JOIN residents r ON r.id = i.resident_id"
    " LEFT JOIN conversations c ON c.channel = i.channel AND c.address = i.address"
    " WHERE i.channel = ? AND i.address = ?"
)


@dataclass
class TurnStart:
    """The resident, where the conversation stands, and staff's service statuses."""

    resident: Resident
    conversation: Conversation
    overrides: list[Override]


async def begin(conn: Conn, channel: str, address: str, now: datetime) -> TurnStart:
    """Load (or on first contact create) the resident and conversation; writing to an address
    marked unreachable clears the mark."""
    row = await fetch_one(conn, QUERY, (channel, address))
    if row is None:
        resident = await residents.find_or_create(conn, channel, address, now)
        conversation = await conversations.load(conn, channel, address)
        return TurnStart(resident, conversation, [])
    if row[4] is not None:
        await residents.set_reachable(conn, channel, address, None)
    resident = Resident(row[0], row[1], row[2], row[3])
    conversation = conversations.from_row(channel, address, row[5:11])
    overrides = [service_overrides.from_row(item) for item in json.loads(row[11] or "[]")]
    return TurnStart(resident, conversation, overrides)


@dataclass(frozen=True)
class Profile:
    """The municipality and language of the resident behind an address (None: not known)."""

    municipality_id: str | None = None
    language: str | None = None


PROFILE_QUERY = (
    "SELECT r.municipality_id, r.language FROM identities i"
    " JOIN residents r ON r.id = i.resident_id WHERE i.channel = ? AND i.address = ?"
)


async def profile(conn: Conn, channel: str, address: str) -> Profile:
    """The resident's municipality and language, without creating anyone."""
    row = await fetch_one(conn, PROFILE_QUERY, (channel, address))
    return Profile(row[0], row[1]) if row else Profile()
