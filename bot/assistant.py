"""The facade channels get (bot/channels/port.py): the engine's way in plus delivery's wake."""

from __future__ import annotations

import time

from bot import log_context
from bot.delivery import Delivery
from bot.metrics import Metrics
from dialogs.pipeline.engine import Engine
from dialogs.types import Incoming, Outcome, Receipt, Reply


class AssistantFacade:
    """Turns go through the engine; committed answers wake delivery at once; what channels
    see is counted for /metrics."""

    def __init__(
        self, engine: Engine, delivery: Delivery | None = None, metrics: Metrics | None = None
    ) -> None:
        self.engine = engine
        self.delivery = delivery
        self.metrics = metrics

    async def turn(self, incoming: Incoming) -> Outcome:
        """Run one turn and wake delivery."""
        started = time.perf_counter()
        with log_context.turn():
            outcome = await self.engine.run(incoming)
        if self.delivery is not None:
            self.delivery.wake()
        if self.metrics is not None:
            self.metrics.turn_seconds.labels(incoming.channel).observe(
                time.perf_counter() - started
            )
            self.metrics.updates.labels(incoming.channel, _outcome(outcome)).inc()
        return outcome

    def refused(self, channel: str, reason: str) -> None:
        """A webhook call refused (a wrong secret or signature, malformed parameters)."""
        if self.metrics is not None:
            self.metrics.refused.labels(channel, reason).inc()

    def sent_sms(self, segments: int) -> None:
        """SMS segments handed to Twilio."""
        if self.metrics is not None:
            self.metrics.segments.inc(segments)

    async def journal(self, channel: str, items: list[tuple[str, str]]) -> None:
        """Write updates to the inbox."""
        await self.engine.record_updates(channel, items)

    async def unhandled(self, channel: str) -> list[tuple[str, str]]:
        """Updates journaled but never handled."""
        return await self.engine.pending_updates(channel)

    async def mark_handled(self, receipt: Receipt) -> None:
        """An update that was no turn is done with."""
        await self.engine.mark_handled(receipt)

    def answered(self, channel: str, reply_to: str) -> None:
        """The channel gave a message's answers in its own response (marked with the next
        delivery round)."""
        self.engine.postman.answered(channel, reply_to)
        if self.delivery is not None:
            self.delivery.wake()

    def unavailable_reply(self, language: str | None) -> Reply:
        """What to say while the database cannot take writes."""
        return self.engine.unavailable_reply(language)

    def translate(self, language: str | None, message: str) -> str:
        """A message in a language."""
        return self.engine.catalogs.get(language)._(message)

    async def sms_pages(self, channel: str, address: str, reply: Reply) -> list[str] | None:
        """A message as SMS pages in the resident's language; None if the number opted out."""
        return await self.engine.postman.sms_pages(channel, address, reply)

    async def sms_status(self, sid: str, status: str) -> None:
        """Store Twilio's delivery report."""
        await self.engine.postman.sms_status(sid, status)


def _outcome(outcome: Outcome) -> str:
    """A turn's result as /metrics counts it."""
    if outcome.repeated:
        return "repeated"
    if not outcome.saved:
        return "unsaved"
    return "answered" if outcome.replies or outcome.notice else "silent"
