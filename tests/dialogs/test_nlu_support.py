"""A Turn for a stored conversation, for tests of dialog helpers."""

from __future__ import annotations

from dialogs.core.turn import Turn
from dialogs.pipeline.engine import Engine
from storage import conversations, residents
from storage.rows import Conn


async def turn_for(engine: Engine, conn: Conn, address: str) -> Turn:
    """The Turn the engine would build for an SMS address."""
    now = engine.clock.now()
    resident = await residents.find_or_create(conn, "sms", address, now)
    conversation = await conversations.load(conn, "sms", address)
    return Turn(
        content=engine.content,
        catalogs=engine.catalogs,
        conversation=conversation,
        connection=conn,
        today=now.date(),
        municipality_id=resident.municipality_id,
        language=resident.language,
        resident_id=resident.id,
    )
