"""A turn's answers, written to the outbox in the turn's own transaction."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from dialogs.types import Choice, Incoming, Outcome, Reply
from storage import outbox
from storage.rows import Conn

# A channel that answers in its own response (Twilio's TwiML) marks its answers sent once it
# has; if it never could (a crash between COMMIT and the response), the outbox sends them
# after this grace, through the channel's other way (Twilio's REST API).
INLINE_GRACE = timedelta(seconds=60)


async def write(conn: Conn, incoming: Incoming, outcome: Outcome, now: datetime) -> int | None:
    """One outbox row per reply, to the chat the message came from, in order; after an
    erasure the row forgets its address and text once sent. The first row's id."""
    first = None
    due = now + INLINE_GRACE if incoming.inline else now
    reply_to = incoming.receipt.key if incoming.receipt is not None else None
    for index, reply in enumerate(outcome.replies):
        meta: dict[str, Any] = {"erase": True} if outcome.erased else {}
        if reply.back:
            meta["back"] = reply.back
        if reply.ask_phone:
            meta["ask_phone"] = reply.ask_phone
        elif index == 0 and incoming.edit is not None:
            meta["edit"] = incoming.edit
        added = await outbox.enqueue(
            conn,
            incoming.channel,
            incoming.address,
            reply.text,
            due,
            now,
            choices=[(choice.label, choice.action) for choice in reply.choices],
            kind=outbox.Kind.ANSWER,
            meta=meta,
            reply_to=reply_to,
        )
        first = added if first is None else first
    return first


def reply_of(message: outbox.Message) -> Reply:
    """The Reply an outbox message carries."""
    choices = tuple(Choice(label, action) for label, action in message.choices)
    meta = message.meta
    return Reply(
        message.text,
        choices,
        ask_phone=meta.get("ask_phone"),
        voice=meta.get("voice"),
        back=meta.get("back"),
    )
