"""Delivery: messages leave the outbox only after their turn committed, per destination in
order, paced where they leave (1/s to a private chat, 20/min to a group; PTB's limiter keeps
30/s overall), never while updates are being processed. A flooding chat waits in its own
queue and holds nothing that other residents need."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Mapping

from dialogs.core.failpoints import failpoint
from dialogs.pipeline.answers import reply_of
from dialogs.pipeline.engine import Engine
from dialogs.pipeline.postman import HandOff
from dialogs.types import Outgoing
from storage.db import DatabaseUnavailableError
from storage.outbox import Message

log = logging.getLogger(__name__)

Sender = Callable[[Outgoing], Awaitable[bool]]
"""Sends a message through one channel; False: not this process's to deliver, leave it."""
Destination = tuple[str, str]
MAX_IN_FLIGHT = 200  # messages claimed and waiting for their destination's pace at once
STOP_GRACE = 5.0  # seconds the sends under way get to finish at stop


class PermanentDeliveryError(Exception):
    """The address cannot be reached at all (the user blocked the bot): do not retry."""


class RejectedMessageError(Exception):
    """The channel refuses this message as it is (Telegram's 400): sending it again will not
    help; the resident gets an apology instead."""


class Delivery:
    """Sends due outbox messages through their channels; runs the engine's time rules."""

    def __init__(
        self,
        engine: Engine,
        senders: Mapping[str, Sender],
        pacing: Mapping[str, float] | None = None,
        interval: float = 5.0,
    ) -> None:
        self.engine = engine
        self.senders = dict(senders)
        self.pacing = dict(pacing or {})  # seconds between two messages to one destination
        self.interval = interval
        self._wake = asyncio.Event()
        self._next: dict[Destination, float] = {}  # when a destination may get its next one
        self._sending: set[asyncio.Task[bool]] = set()
        # Each attempt's result, by channel (for /metrics and /readyz): ok, and why not.
        self.on_result: Callable[[str, bool, str], None] = lambda channel, ok, reason: None

    def wake(self) -> None:
        """A turn committed answers: look at the outbox now, not at the next interval."""
        self._wake.set()

    async def recover(self) -> None:
        """Take back the messages a killed run of this process left half-sent."""
        count = await self.engine.postman.recover(list(self.senders))
        if count:
            log.warning("%d outbox message(s) interrupted by a crash will be sent again", count)

    async def run(self, stop: asyncio.Event, recover: bool = True) -> None:
        """Work until `stop` is set; a failing round is logged and the next one comes."""
        if recover:
            await self.recover()
        # From now on a turn's answer can come straight here as its turn commits.
        self.engine.hand_off = HandOff(frozenset(self.senders), self.take)
        ticked = float("-inf")
        while not stop.is_set():
            self._wake.clear()
            try:
                if time.monotonic() - ticked >= self.interval:
                    ticked = time.monotonic()
                    await self.engine.tick()
                await self._claim_and_start()
            except DatabaseUnavailableError as error:
                log.error("an outbox round was skipped: %s", error)
            except Exception:
                log.exception("an outbox round failed")
            timeout = max(0.0, self.interval - (time.monotonic() - ticked))
            waiters = {asyncio.ensure_future(stop.wait()), asyncio.ensure_future(self._wake.wait())}
            _, pending = await asyncio.wait(
                waiters, timeout=timeout, return_when=asyncio.FIRST_COMPLETED
            )
            for waiter in pending:
                waiter.cancel()
        self.engine.hand_off = None  # a turn still running claims nothing more
        with contextlib.suppress(DatabaseUnavailableError):
            await self._claim_and_start()  # the answers of the last turns before the stop
        await self._finish()

    async def run_once(self) -> int:
        """The time rules, then every message sendable now (waiting for paces); how many."""
        await self.engine.tick()
        return await self.drain()

    async def drain(self) -> int:
        """Send until nothing more is due; return how many were delivered."""
        delivered = 0
        while started := await self._claim_and_start():
            results = await asyncio.gather(*started)
            delivered += sum(results)
            if not any(results):
                break  # failed (retried later) or not ours (another terminal user's)
        return delivered

    async def _claim_and_start(self) -> list[asyncio.Task[bool]]:
        room = MAX_IN_FLIGHT - len(self._sending)
        if room <= 0:
            return []
        messages = await self.engine.postman.claim(list(self.senders), room)
        return [self._start(message) for message in messages]

    def take(self, message: Message) -> None:
        """A turn's answer, claimed in its transaction: sent now, without a round (it was its
        chat's next; the soft cap on messages in flight does not hold it back)."""
        self._start(message)

    def _start(self, message: Message) -> asyncio.Task[bool]:
        task = asyncio.create_task(self._send(message))
        self._sending.add(task)
        task.add_done_callback(self._sent)
        return task

    def _sent(self, task: asyncio.Task[bool]) -> None:
        self._sending.discard(task)
        self._wake.set()  # the destination's next message may be claimed now

    async def _send(self, message: Message) -> bool:
        """Wait for the destination's pace, send, and record how it went."""
        destination = (message.channel, message.address)
        try:
            wait = self._next.get(destination, 0.0) - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            failpoint("delivery.before_send")
            edit = message.meta.get("edit")
            outgoing = Outgoing(
                message.channel,
                message.address,
                reply_of(message),
                int(edit) if edit is not None else None,
            )
            ours = await self.senders[message.channel](outgoing)
        except asyncio.CancelledError:
            await asyncio.shield(_record(self.engine.postman.release, message))
            raise
        except RejectedMessageError as error:
            log.error(
                "outbox message %d (the answer to %s update %s) was refused: %s",
                message.id,
                message.channel,
                message.reply_to or "-",
                error,
            )
            self.on_result(message.channel, False, "rejected")
            await _record(self.engine.postman.rejected, message, repr(error))
            return False
        except Exception as error:
            permanent = isinstance(error, PermanentDeliveryError)
            log.warning("outbox message %d not delivered: %s", message.id, type(error).__name__)
            self.on_result(
                message.channel, False, "permanent" if permanent else type(error).__name__
            )
            await _record(self.engine.postman.failed, message, repr(error), permanent)
            return False
        finally:
            self._pace(destination)
        if not ours:
            await _record(self.engine.postman.release, message)
            return False
        self.on_result(message.channel, True, "")
        failpoint("delivery.after_send")
        await _record(self.engine.postman.sent, message)
        return True

    def _pace(self, destination: Destination) -> None:
        gap = self.pacing.get(destination[0], 0.0)
        now = time.monotonic()
        if gap > 0:
            self._next[destination] = now + gap
        if len(self._next) > 4096:  # forget destinations whose pause is over
            self._next = {key: at for key, at in self._next.items() if at > now}

    async def _finish(self) -> None:
        """At stop: sends under way finish; messages still waiting for their pace after a few
        seconds go back to the outbox, for the next start."""
        if not self._sending:
            return
        _, waiting = await asyncio.wait(set(self._sending), timeout=STOP_GRACE)
        for task in waiting:
            task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.gather(*waiting, return_exceptions=True)


async def _record(action: Callable[..., Awaitable[None]], *args: object) -> None:
    """Record what happened to a message, waiting out a database that cannot take it now: a
    sent message not marked would be sent again, so the mark is never given up."""
    pause = 0.2
    while True:
        try:
            await action(*args)
            return
        except DatabaseUnavailableError as error:
            log.warning("an outbox mark waits for the database: %s", error)
            await asyncio.sleep(pause)
            pause = min(pause * 2, 5.0)
