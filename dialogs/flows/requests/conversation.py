"""A resident answering staff: after a staff member wrote to them from the desk about a request
they hold, what the resident types (not a button, a number or a command) goes to that
request's timeline and to the holder's private chat, for a day after the staff's last
message, instead of being read as a new question."""

from __future__ import annotations

from datetime import timedelta

from dialogs.core.turn import Turn
from dialogs.types import Channel, Choice, Reply
from storage import desk, outbox
from storage.rows import fetch_one
from storage.times import stamp

OPEN_FOR = timedelta(days=1)  # after the staff's last message


async def pass_on(turn: Turn, text: str, at_a_step: bool) -> Reply | None:
    """Pass the resident's words to the staff member in conversation with them; None if no
    staff conversation is open, or the words answer a step of a dialog (an address, a day)."""
    if at_a_step:
        return None
    row = await fetch_one(
        turn.connection,
        "SELECT r.id, r.taken_by FROM requests r JOIN request_events e ON e.request_id = r.id"
        " WHERE r.resident_id = ? AND r.status = 'taken' AND r.taken_by IS NOT NULL"
        " AND e.kind = 'reply' AND e.at > ? ORDER BY e.id DESC LIMIT 1",
        (turn.resident_id, stamp(turn.now - OPEN_FOR)),
    )
    if row is None:
        return None
    request_id, holder = int(row[0]), str(row[1])
    conn = turn.connection
    await desk.add_event(conn, request_id, desk.EventKind.RESIDENT, None, text, turn.now)
    municipality = turn.require_municipality()
    staff_t = turn.catalogs.get(municipality.default_language)  # the staff's language
    staff_text = staff_t.fill(
        "Request No. %(number)d: the resident answers:\n%(text)s", number=request_id, text=text
    )
    key = f"card:{request_id}:resident:{turn.now.timestamp()}"  # erased with the resident's data
    await outbox.enqueue(conn, Channel.TELEGRAM, holder, staff_text, turn.now, turn.now, key=key)
    ack = turn.t.fill(
        "Your message was passed on to the staff member handling request No. %(number)d.",
        number=request_id,
    )
    return Reply(ack, (Choice(turn.t._("Main menu"), "menu"),))
