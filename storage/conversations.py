"""The conversations table: where each conversation stands and which choices it was offered."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from storage.rows import Conn, fetch_one


@dataclass
class Conversation:
    """Dialog state of one (channel, address); mutable while a turn runs, then saved."""

    channel: str
    address: str
    dialog: str = "menu"
    step: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    choices: list[tuple[str, str]] = field(default_factory=list)
    updated_at: datetime | None = None
    pages: list[str] = field(default_factory=list)  # SMS pages still to come on MORE


async def load(conn: Conn, channel: str, address: str) -> Conversation:
    """Return the stored state, or a fresh one at the menu."""
    row = await fetch_one(
        conn,
        "SELECT dialog, step, data, choices, updated_at, pages FROM conversations"
        " WHERE channel = ? AND address = ?",
        (channel, address),
    )
    return from_row(channel, address, row)


def from_row(channel: str, address: str, row: Sequence[Any] | None) -> Conversation:
    """A Conversation from (dialog, step, data, choices, updated_at, pages), or a fresh one."""
    if row is None or row[0] is None:
        return Conversation(channel, address)
    dialog, step, data, choices, updated_at, pages = row
    return Conversation(
        channel=channel,
        address=address,
        dialog=dialog,
        step=step,
        data=json.loads(data),
        choices=[(label, action) for label, action in json.loads(choices)],
        updated_at=datetime.fromisoformat(updated_at),
        pages=[str(page) for page in json.loads(pages)],
    )


async def save(conn: Conn, conversation: Conversation, now: datetime) -> None:
    """Insert or replace the state of a conversation."""
    await conn.execute(
        "INSERT INTO conversations (channel, address, dialog, step, data, choices, updated_at,"
        " pages) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (channel, address) DO UPDATE SET dialog = excluded.dialog,"
        " step = excluded.step, data = excluded.data, choices = excluded.choices,"
        " updated_at = excluded.updated_at, pages = excluded.pages",
        (
            conversation.channel,
            conversation.address,
            conversation.dialog,
            conversation.step,
            json.dumps(conversation.data, ensure_ascii=False),
            json.dumps(conversation.choices, ensure_ascii=False),
            now.isoformat(),
            json.dumps(conversation.pages, ensure_ascii=False),
        ),
    )
    conversation.updated_at = now
