"""Delivers the outbox: due notifications go out through their channel, with retries."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Mapping

from dialogs.pipeline.engine import Engine
from dialogs.types import Choice, Reply
from storage import outbox
from storage.db import DatabaseUnavailableError

log = logging.getLogger(__name__)

Sender = Callable[[str, Reply], Awaitable[bool]]
"""Sends a reply to an address of one channel; False: not this process's to deliver, leave it."""


class PermanentDeliveryError(Exception):
    """The address cannot be reached at all (the user blocked the bot): do not retry."""


class Dispatcher:
    """Runs the engine's time rules and delivers due messages, every `interval` seconds."""

    def __init__(
        self, engine: Engine, senders: Mapping[str, Sender], interval: float = 5.0
    ) -> None:
        self.engine = engine
        self.senders = senders
        self.interval = interval

    async def recover(self) -> None:
        """Take back the messages a killed run of this process left half-sent."""
        async with self.engine.database.transaction() as conn:
            count = await outbox.recover(conn, list(self.senders))
        if count:
            log.warning("%d outbox message(s) interrupted by a crash will be sent again", count)

    async def run(self, stop: asyncio.Event, recover: bool = True) -> None:
        """Work until `stop` is set; a failing round is logged and the next one comes."""
        if recover:
            await self.recover()
        while not stop.is_set():
            try:
                await self.run_once()
            except DatabaseUnavailableError as error:
                log.error("an outbox round was skipped: %s", error)
            except Exception:
                log.exception("an outbox round failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self.interval)

    async def run_once(self) -> int:
        """One round; returns how many messages were delivered."""
        await self.engine.tick()
        database, clock = self.engine.database, self.engine.clock
        async with database.transaction() as conn:
            due = await outbox.due(conn, clock.now())
            messages = [m for m in due if m.channel in self.senders]
            await outbox.claim(conn, messages)
        delivered = 0
        for message in messages:
            sender = self.senders[message.channel]
            choices = tuple(Choice(label, action) for label, action in message.choices)
            if choices:  # before sending: a quick answer must find them recorded
                await self.engine.show_notification(message.channel, message.address, list(choices))
            try:
                if not await sender(message.address, Reply(message.text, choices)):
                    async with database.transaction() as conn:  # another user's: leave it
                        await outbox.recover_one(conn, message.id)
                    continue
            except Exception as error:
                permanent = isinstance(error, PermanentDeliveryError)
                log.warning("outbox message %d not delivered: %s", message.id, type(error).__name__)
                async with database.transaction() as conn:
                    await outbox.mark_failed(conn, message, repr(error), clock.now(), permanent)
                if permanent and message.key:
                    await self.engine.staff.resident_unreachable(message.key)
                continue
            async with database.transaction() as conn:
                await outbox.mark_sent(conn, message.id, clock.now())
            delivered += 1
        return delivered
