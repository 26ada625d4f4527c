"""The terminal chat: one resident talking to the engine through stdin and stdout."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator
from typing import TextIO

from bot.channels.port import Assistant
from bot.delivery import Delivery
from dialogs.types import Channel, Incoming, Outgoing, Reply

CHANNEL = Channel.CONSOLE


def render(reply: Reply) -> str:
    """Plain text with the choices numbered."""
    lines = [reply.text]
    if reply.choices:
        lines.append("")
        lines += [
            f"  {number}. {choice.label}" for number, choice in enumerate(reply.choices, start=1)
        ]
        if reply.back:
            lines.append(f"  0. {reply.back}")
    return "\n".join(lines)


async def chat(
    assistant: Assistant,
    delivery: Delivery,
    stdin: TextIO,
    stdout: TextIO,
    *,
    user: str = "local",
    payload: str = "",
    sms: bool = False,
    phone: str | None = None,
) -> None:
    """Talk until end of input; piped input is echoed so a transcript reads like a chat. Every
    answer comes out of the outbox, as on the other channels; `sms` makes the turns answer as
    an SMS (folded, numbered, in pages with MORE), so the terminal shows what a phone gets."""
    interactive = stdin.isatty()
    separator = "\n" if sms else "\n" + "-" * 40 + "\n"

    async def show(outgoing: Outgoing) -> bool:
        if outgoing.address != user:
            return False  # another terminal user's: it waits for their chat
        if sms:  # as the SMS channel sends it: the same renderer, folded, in pages
            pages = await assistant.sms_pages(CHANNEL, user, outgoing.reply) or []
            stdout.write("".join(page + separator for page in pages))
        else:
            stdout.write(render(outgoing.reply) + separator)
        stdout.flush()
        return True

    def prompt() -> None:
        if interactive:
            stdout.write("> ")
            stdout.flush()

    def incoming(text: str, start: bool = False) -> Incoming:
        return Incoming(
            CHANNEL,
            user,
            text=text,
            start=start,
            reopened=start,  # the chat resumes where it stopped (or greets a new resident)
            verified_phone=phone,
            sms=sms,
        )

    delivery.senders[CHANNEL] = show
    await delivery.recover()
    await assistant.turn(incoming(payload, start=True))
    await delivery.run_once()  # the answer, and what is due (a reminder), before the prompt
    stop = asyncio.Event()
    # Interactive: notifications arrive while the resident thinks. Piped: after each answer,
    # so that a transcript always reads the same.
    background = asyncio.create_task(delivery.run(stop, recover=False)) if interactive else None
    prompt()
    async for line in read_lines(stdin):
        text = line.rstrip("\r\n")
        if not interactive:
            stdout.write(f"> {text}\n")
        await assistant.turn(incoming(text))
        if background is None:
            await delivery.run_once()
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
