"""Every reply a demo conversation can reach, for the SMS cost test and benchmark."""

from __future__ import annotations

import zlib

from bot.channels.sms.encoding import segments
from bot.channels.sms.pages import paginate, sms_text
from dialogs.engine import Engine
from dialogs.types import Incoming, Reply

MORE = "Reply MORE for the rest."

# Settings and steps that need earlier answers are covered by the flow tests.
OPENERS = {
    "dept": "contacts",
    "svc": "services",
    "status": "services",
    "bk": "book",
    "cert": "certificates",
    "health": "certificates",
}
SKIP = (
    "mun",
    "lang",
    "bkday",
    "bkcert",
    "wl",
    "bkcancel",
    "bkcancel!",
    "rqneed",
    "rqnext",
    "forget!",
)


async def all_replies(engine: Engine, payload: str) -> list[Reply]:
    """Press every choice reachable from the menu, like a patient SMS client would."""
    address = f"+3706{zlib.crc32(payload.encode()) % 10**7:07d}"
    (start,) = await engine.handle(Incoming("sms", address, text=payload, start=True))
    replies, seen, frontier = [start], set(), [c.action for c in start.choices]
    while frontier:
        action = frontier.pop()
        if action in seen or action.partition(":")[0] in SKIP:
            continue
        seen.add(action)
        for opener in OPENERS.get(action.partition(":")[0], "").split():
            await engine.handle(Incoming("sms", address, action=opener))
        (reply,) = await engine.handle(Incoming("sms", address, action=action))
        replies.append(reply)
        frontier += [c.action for c in reply.choices]
    return replies


def written_segments(reply: Reply) -> int:
    """Segments of the reply as written (a numbered list of choices), before any folding."""
    lines = [reply.text, *(f"{n} {c.label}" for n, c in enumerate(reply.choices, 1))]
    return segments("\n".join(lines))[1]


def sent_pages(reply: Reply, transliterate: bool, max_segments: int = 2) -> list[str]:
    """The SMS pages the channel sends for the reply."""
    return paginate(sms_text(reply, transliterate), max_segments, MORE)
