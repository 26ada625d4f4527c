"""Random input of every shape through the pipeline (Telegram, SMS, staff in groups): every
turn ends in an answer or a clean refusal, never a traceback. FUZZ_INPUTS=15000 for the long
run (0 tracebacks, about 15 s); 3,000 by default."""

from __future__ import annotations

import logging
import os
import random
import string

import pytest

from dialogs.pipeline.engine import Engine
from dialogs.types import Incoming, Receipt, StaffCall, StaffCommand

pytestmark = pytest.mark.slow  # processes, crashes or many generated cases

ACTIONS = (
    "menu", "book", "bk:laundry", "bkday:2021-11-03", "bkcert:none", "wlyes:", "wlno:",
    "bkcancel!:", "rqwd:", "rqneed:food", "rqsend", "svc:x", "dept:y", "mun:koknese", "lang:ru",
    "forget!", "hvisit:", "cert:status",
)  # fmt: skip
WORDS = (
    "kontaktai", "pieraksts", "ещё", "STOP", "START", "MORE", "0", "1", "2", "aizmirsti mani",
    "cilveks", "'; DROP TABLE x;--", "<b>hi</b>", "/start staff-abc", "➁", "²",
)  # fmt: skip


def _text(r: random.Random) -> str:
    roll = r.random()
    if roll < 0.3:
        return "".join(r.choice(string.printable) for _ in range(r.randint(0, 40)))
    if roll < 0.5:
        return "".join(chr(r.randint(0x20, 0x2FFF)) for _ in range(r.randint(0, 30)))
    if roll < 0.6:
        return "9" * r.randint(1, 40)
    if roll < 0.65:
        return "x" * r.randint(4000, 9000)
    return r.choice(WORDS)


def _incoming(r: random.Random, number: int) -> Incoming:
    channel = r.choice(["telegram", "sms", "tgroup"])
    address = {
        "telegram": str(r.randint(1, 40)),
        "sms": f"+3712600{r.randint(0, 40):04d}",
        "tgroup": f"-100{r.randint(1, 3)}",
    }[channel]
    receipt = Receipt("sms" if channel == "sms" else "telegram", f"fuzz{number}")
    sms = channel == "sms"
    common = {"verified_phone": address if sms else None, "sms": sms, "inline": sms}
    roll = r.random()
    if channel == "tgroup" or roll < 0.1:
        command = r.choice(list(StaffCommand))
        args = tuple(_text(r)[:30] for _ in range(r.randint(0, 3)))
        if command == StaffCommand.CARD:
            args = (r.choice(["rq:take:", "rq:done:", "rq:x:"]) + r.choice(["1", "9" * 30, ""]),)
        call = StaffCall(command, str(r.randint(1, 40)), "N", args)
        return Incoming(channel, address, staff=call, receipt=receipt, **common)  # type: ignore[arg-type]
    if roll < 0.45:
        action = r.choice(ACTIONS) + r.choice(["", "1", "9" * 25, "²", "x"])
        return Incoming(channel, address, action=action, receipt=receipt, **common)  # type: ignore[arg-type]
    if roll < 0.5:
        phone = r.choice(["+37060000001", "123", "x", "+" + "9" * 20])
        return Incoming(
            channel, address, shared_phone=phone, shared_phone_is_own=r.random() < 0.5,
            receipt=receipt, **common,  # type: ignore[arg-type]
        )  # fmt: skip
    start = roll < 0.55
    return Incoming(channel, address, text=_text(r), start=start, receipt=receipt, **common)  # type: ignore[arg-type]


async def test_random_input_never_ends_in_a_traceback(
    engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    r = random.Random(7)
    with caplog.at_level(logging.WARNING):
        for number in range(int(os.environ.get("FUZZ_INPUTS", "3000"))):
            outcome = await engine.run(_incoming(r, number))
            assert outcome.saved
    assert [rec.getMessage() for rec in caplog.records if rec.exc_info] == []
    assert [rec.getMessage() for rec in caplog.records if rec.levelno >= logging.ERROR] == []
