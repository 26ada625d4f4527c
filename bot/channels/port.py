"""What a channel may ask of the assistant: the one way in, the inbox journal, and the little
an SMS sender must know. Built by the composition root (bot/assistant.py); channels import
this and dialogs.types, nothing of storage, dialogs' internals or the staff desk."""

from __future__ import annotations

from typing import Protocol

from dialogs.types import Incoming, Outcome, Receipt, Reply


class Assistant(Protocol):
    """The assistant as channels see it."""

    async def turn(self, incoming: Incoming) -> Outcome:
        """Run one turn (committed, answers in the outbox) and wake delivery."""
        ...

    async def journal(self, channel: str, items: list[tuple[str, str]]) -> None:
        """Write updates (key, body) to the inbox before their arrival is confirmed."""
        ...

    async def unhandled(self, channel: str) -> list[tuple[str, str]]:
        """Updates journaled but never handled (a crash came between)."""
        ...

    async def mark_handled(self, receipt: Receipt) -> None:
        """An update that was no turn (a group's chatter) is done with."""
        ...

    def answered(self, channel: str, reply_to: str) -> None:
        """The channel gave a message's answers in its own response."""
        ...

    def refused(self, channel: str, reason: str) -> None:
        """A webhook call refused: "secret", "signature" or "malformed" (counted)."""
        ...

    def sent_sms(self, segments: int) -> None:
        """SMS segments handed to Twilio (counted)."""
        ...

    def unavailable_reply(self, language: str | None) -> Reply:
        """What to say while the database cannot take writes."""
        ...

    def translate(self, language: str | None, message: str) -> str:
        """A message in a language (for the few texts a channel says itself)."""
        ...

    async def sms_pages(self, channel: str, address: str, reply: Reply) -> list[str] | None:
        """A message as SMS pages in the resident's language; None if the number opted out."""
        ...

    async def sms_status(self, sid: str, status: str) -> None:
        """Store Twilio's delivery report."""
        ...
