"""A resident answering staff: after a staff member wrote to them from the desk, what the
resident types (not a button, a number or a command) goes to that request's timeline and to
the private chats of the staff member who wrote and of the request's holder, for a day after
the staff's last message (whatever the request's status meanwhile), instead of being read as a
new question; while one of them is still on the staff."""

from __future__ import annotations

from datetime import timedelta

from dialogs.core.turn import Turn
from dialogs.types import Channel, Choice, Reply
from storage import desk, outbox, staff
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
        "SELECT r.id, e.actor, r.taken_by, r.municipality_id FROM requests r"
        " JOIN request_events e"
        " ON e.request_id = r.id WHERE r.resident_id = ? AND e.kind = 'reply'"
        " AND e.actor IS NOT NULL AND e.at > ? ORDER BY e.id DESC LIMIT 1",
        (turn.resident_id, stamp(turn.now - OPEN_FOR)),
    )
    if row is None:
        return None
    request_id = int(row[0])
    conn = turn.connection
    # Only to staff still on the staff: a colleague who left reads nothing, and with nobody
    # left the words are read as the resident's own question.
    current = {m.user_id for m in await staff.members(conn, str(row[3]))}
    staff_members = {str(row[1]), *([str(row[2])] if row[2] else [])} & current
    if not staff_members:
        return None
    event = await desk.add_event(conn, request_id, desk.EventKind.RESIDENT, None, text, turn.now)
    municipality = turn.require_municipality()
    staff_t = turn.catalogs.get(municipality.default_language)  # the staff's language
    staff_text = staff_t.fill(
        "Request No. %(number)d: the resident answers:\n%(text)s", number=request_id, text=text
    )
    for member in sorted(staff_members):
        key = f"card:{request_id}:resident:{event}:{member}"  # erased with the resident's data
        await outbox.enqueue(
            conn, Channel.TELEGRAM, member, staff_text, turn.now, turn.now, key=key
        )
    ack = turn.t.fill(
        "Your message was passed on to the staff member handling request No. %(number)d.",
        number=request_id,
    )
    return Reply(ack, (Choice(turn.t._("Main menu"), "menu"),))
