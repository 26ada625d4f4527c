"""Demo conversations: every reply reachable from the menu (SMS cost test and benchmark), and
residents' typical conversations (throughput benchmark, property-based tests)."""

from __future__ import annotations

import zlib

from dialogs.pipeline.engine import Engine
from dialogs.render.sms_encoding import segments
from dialogs.render.sms_pages import paginate, sms_text
from dialogs.types import Incoming, Reply

MORE = "Reply MORE for the rest."

# One conversation per persona: "/..." and "say:" are typed, "press:" presses a button whose
# callback data is that action (or starts with it and ":"), "share" sends the own contact card.
PERSONAS: dict[str, tuple[str, ...]] = {
    "lt_contacts": (
        "/start elektrenai_lt",
        "press:contacts",
        "press:dept",
        "say:kada dirba socialinių paslaugų centras?",
        "press:menu",
        "say:telefonas pagalbai į namus",
    ),
    "lt_isolation": (
        "/start elektrenai_lt",
        "say:esu izoliacijoje, man reikia maisto",
        "press:rqneed:food",
        "press:rqneed:medicine",
        "press:rqnext",
        "say:Duonos, pieno ir vaistų nuo spaudimo",
        "say:Trakų g. 5-12, Elektrėnai",
        "press:rqkeep:1",
        "share",
        "press:rqurg",
        "press:rqsend",
        "press:myrq",
    ),
    "lv_booking": (
        "/start koknese_lv",
        "say:vai var pierakstīties dušā?",
        "press:bkday",
        "press:bkcert:vaccination",
        "say:15.09.2021",
        "say:mani pieraksti",
        "press:menu",
    ),
    "lv_services": (
        "/start koknese_lv",
        "press:services",
        "press:svc",
        "say:kādi pakalpojumi šobrīd nestrādā?",
        "say:vai mana izziņa vēl ir derīga?",
        "share",
        "press:menu",
    ),
    "ru_certificates": (
        "/start daugavpils_ru",
        "say:до какого числа действует справка малоимущего?",
        "share",
        "say:меню",
        "press:services",
        "press:svc",
        "say:спасибо",
    ),
    "ru_contacts": (
        "/start visaginas_ru",
        "press:contacts",
        "say:телефон социальной службы",
        "press:menu",
        "press:services",
        "press:status",
        "press:menu",
    ),
}

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
