"""The terminal chat: one resident talking to the engine through stdin and stdout."""

from __future__ import annotations

import asyncio
from typing import TextIO

from dialogs.engine import Engine
from dialogs.types import Incoming, Reply

CHANNEL = "console"


def render(reply: Reply, sms: bool = False) -> str:
    """Plain text with the choices numbered; `sms` renders as a basic phone shows an SMS."""
    lines = [reply.text]
    if reply.choices:
        lines.append("")
        pattern = "{number} {label}" if sms else "  {number}. {label}"
        lines += [
            pattern.format(number=number, label=choice.label)
            for number, choice in enumerate(reply.choices, start=1)
        ]
    return "\n".join(lines)


async def chat(
    engine: Engine,
    stdin: TextIO,
    stdout: TextIO,
    *,
    user: str = "local",
    payload: str = "",
    sms: bool = False,
) -> None:
    """Talk until end of input; piped input is echoed so a transcript reads like a chat."""
    interactive = stdin.isatty()
    separator = "\n" if sms else "\n" + "-" * 40 + "\n"

    def show(replies: list[Reply]) -> None:
        for reply in replies:
            stdout.write(render(reply, sms) + separator)
        stdout.flush()

    show(await engine.handle(Incoming(CHANNEL, user, text=payload, start=True)))
    while True:
        if interactive:
            stdout.write("> ")
            stdout.flush()
        line = await asyncio.to_thread(stdin.readline)
        if not line:
            break
        text = line.rstrip("\r\n")
        if not interactive:
            stdout.write(f"> {text}\n")
        show(await engine.handle(Incoming(CHANNEL, user, text=text)))
