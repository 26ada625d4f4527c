"""Every reply of the demo flows fits the SMS budget, and what folding saves."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.channels.sms.encoding import is_gsm, segments
from bot.channels.sms.pages import paginate, sms_text
from dialogs.engine import Engine
from dialogs.types import Incoming, Reply
from tests.conftest import FixedClock

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


async def _all_replies(engine: Engine, payload: str) -> list[Reply]:
    """Press every choice reachable from the menu, like a patient SMS client would."""
    address = f"+3706{abs(hash(payload)) % 10**7:07d}"
    (start,) = await engine.handle(Incoming("sms", address, text=payload, start=True))
    replies, seen, frontier = [start], set(), [c.action for c in start.choices]
    while frontier:
        action = frontier.pop()
        if action in seen or action.partition(":")[0] in SKIP:
            continue
        seen.add(action)
        for opener in {
            "dept": "contacts",
            "svc": "services",
            "status": "services",
            "bk": "book",
            "cert": "certificates",
            "health": "certificates",
        }.get(action.partition(":")[0], "").split():
            await engine.handle(Incoming("sms", address, action=opener))
        (reply,) = await engine.handle(Incoming("sms", address, action=action))
        replies.append(reply)
        frontier += [c.action for c in reply.choices]
    return replies


@pytest.mark.parametrize(
    ("payload", "transliterate"),
    [
        ("elektrenai_lt", True),
        ("koknese_lv", True),
        ("daugavpils_ru", True),
        ("visaginas_ru", True),
    ],
)
async def test_every_reply_fits_two_segments_a_page(
    engine: Engine, clock: FixedClock, payload: str, transliterate: bool
) -> None:
    clock.current = datetime(2021, 11, 1, 9, 0, tzinfo=UTC)
    replies = await _all_replies(engine, payload)
    assert len(replies) > 10
    written = sent = 0
    for reply in replies:
        raw = "\n".join([reply.text, *(f"{n} {c.label}" for n, c in enumerate(reply.choices, 1))])
        written += segments(raw)[1]
        pages = paginate(sms_text(reply, transliterate), 2, "Reply MORE for the rest.")
        for page in pages:
            assert is_gsm(page), page
            assert segments(page)[1] <= 2, page
        sent += sum(segments(page)[1] for page in pages)
    assert sent < written  # folding to GSM-7 costs less than the UCS-2 original
    print(f"{payload}: {len(replies)} replies, {written} segments as written, {sent} as sent")
