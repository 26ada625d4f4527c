"""The terminal chat: one resident talking to the engine through stdin and stdout."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator
from typing import TextIO

from bot.dispatch import Dispatcher
from dialogs.pipeline.engine import Engine
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
    phone: str | None = None,
    interval: float = 5.0,
) -> None:
    """Talk until end of input; piped input is echoed so a transcript reads like a chat."""
    interactive = stdin.isatty()
    separator = "\n" if sms else "\n" + "-" * 40 + "\n"

    def show(replies: list[Reply]) -> None:
        for reply in replies:
            stdout.write(render(reply, sms) + separator)
        stdout.flush()

    def prompt() -> None:
        if interactive:
            stdout.write("> ")
            stdout.flush()

    async def deliver(address: str, reply: Reply) -> bool:
        if address != user:
            return False  # another terminal user's: it waits for their chat
        show([reply])
        return True

    dispatcher = Dispatcher(engine, {CHANNEL: deliver}, interval)
    show(
        await engine.handle(Incoming(CHANNEL, user, text=payload, start=True, verified_phone=phone))
    )
    await dispatcher.recover()
    await dispatcher.run_once()  # what is due (a reminder) shows before the first prompt
    stop = asyncio.Event()
    # Interactive: notifications arrive while the resident thinks. Piped: after each answer,
    # so that a transcript always reads the same.
    background = asyncio.create_task(dispatcher.run(stop, recover=False)) if interactive else None
    prompt()
    async for line in read_lines(stdin):
        text = line.rstrip("\r\n")
        if not interactive:
            stdout.write(f"> {text}\n")
        show(await engine.handle(Incoming(CHANNEL, user, text=text, verified_phone=phone)))
        if background is None:
            await dispatcher.run_once()
        prompt()
    stop.set()
    if background is not None:
        await background


async def read_lines(stdin: TextIO) -> AsyncIterator[str]:
    """Lines of input; undecodable bytes become U+FFFD instead of ending the chat."""
    reader = await _pipe_reader(stdin)
    while True:
        data: bytes | str
        if reader is not None:
            data = await reader.readline()
        else:  # a regular file or an in-memory stream: reading never blocks for long
            data = await asyncio.to_thread(_read_line, stdin)
        if not data:
            return
        yield data.decode("utf-8", errors="replace") if isinstance(data, bytes) else data


async def _pipe_reader(stdin: TextIO) -> asyncio.StreamReader | None:
    """Read a terminal or pipe without a thread, so Ctrl-C ends the chat at once."""
    try:
        reader = asyncio.StreamReader()
        protocol = asyncio.StreamReaderProtocol(reader)
        await asyncio.get_running_loop().connect_read_pipe(lambda: protocol, stdin.buffer)
    except (AttributeError, ValueError, OSError, io.UnsupportedOperation):
        return None
    return reader


def _read_line(stdin: TextIO) -> bytes | str:
    buffer = getattr(stdin, "buffer", None)
    return buffer.readline() if buffer is not None else stdin.readline()
