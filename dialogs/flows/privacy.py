"""`/forget`: a resident erases their personal data (after a confirmation)."""

from __future__ import annotations

from dialogs.core.turn import Handler, Turn
from dialogs.types import Choice, Reply
from storage import privacy


async def ask(turn: Turn, _: str) -> Reply:
    """Say what will be erased, and ask."""
    t = turn.t
    text = t._(
        "This erases your phone number, address, settings and conversation, cancels your "
        "bookings, and removes your name and contacts from your requests. Erase?"
    )
    return turn.reply(text, [Choice(t._("Yes, erase my data"), "forget!")])


async def erase(turn: Turn, _: str) -> Reply:
    """Erase, then say goodbye in the language the resident used."""
    text = turn.t._(
        "Your personal data is erased. If you write again, we start from the beginning."
    )
    await privacy.forget(turn.connection, turn.resident_id, turn.now)
    turn.forgotten = True
    return Reply(text)


ACTIONS: dict[str, Handler] = {"forget": ask, "forget!": erase}
