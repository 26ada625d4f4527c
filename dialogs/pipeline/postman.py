"""What delivery asks of the house: the next messages, fairly, and a record of each attempt."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from dialogs.core.clock import Clock
from dialogs.core.i18n import Catalogs
from dialogs.pipeline import sms_policy
from dialogs.pipeline.sms_policy import SmsPolicy
from dialogs.staff.desk import StaffDesk
from dialogs.types import Incoming, Reply
from storage import conversations, outbox, residents, sms, turns
from storage.content import Content
from storage.db import Database
from storage.rows import Conn

# More answers than this waiting for one chat is a flood: all but the newest are dropped,
# with one notice, so a flood is never replayed as a long backlog (after a restart neither).
MAX_BACKLOG = 5


@dataclass(frozen=True)
class HandOff:
    """Delivery's way to take a turn's answer as its turn commits: for the channels it sends
    through and answers sent by the outbox (not in the channel's own response)."""

    channels: frozenset[str]
    take: Callable[[outbox.Message], None]

    def serves(self, incoming: Incoming) -> bool:
        """Whether this turn's answer can be handed over."""
        return incoming.channel in self.channels and not incoming.inline


class Postman:
    """Claims due messages (one per destination at a time) and records how their sending went."""

    def __init__(
        self,
        database: Database,
        content: Content,
        catalogs: Catalogs,
        clock: Clock,
        staff: StaffDesk,
    ) -> None:
        self._database = database
        self._content = content
        self._catalogs = catalogs
        self._clock = clock
        self._staff = staff
        self.max_segments = SmsPolicy().max_segments  # Engine.configure_sms sets the process's
        self._answered: set[tuple[str, str]] = set()  # given in a channel's own response

    def answered(self, channel: str, reply_to: str) -> None:
        """A channel gave a message's answers in its own response (TwiML): marked sent with the
        next round, so an SMS costs its turn's one transaction. A crash before that round sends
        them once more by REST, after the grace (the documented window)."""
        self._answered.add((channel, reply_to))

    async def recover(self, channels: list[str]) -> int:
        """Messages a killed run left half-sent go back to the queue; return how many."""
        async with self._database.transaction() as conn:
            return await outbox.recover(conn, channels)

    async def claim(self, channels: list[str], limit: int = 100) -> list[outbox.Message]:
        """Coalesce floods, then claim the oldest due message of each idle destination."""
        now = self._clock.now()
        answered, self._answered = self._answered, set()
        try:
            return await self._claim(channels, limit, answered, now)
        except BaseException:
            self._answered |= answered  # marked with a later round
            raise

    async def _claim(
        self, channels: list[str], limit: int, answered: set[tuple[str, str]], now: datetime
    ) -> list[outbox.Message]:
        async def claiming(conn: Conn) -> list[outbox.Message]:
            for channel, reply_to in answered:
                await outbox.mark_answered(conn, channel, reply_to, now)
            for channel, address in await outbox.backlogs(conn, MAX_BACKLOG):
                if channel not in channels:
                    continue
                t = self._catalogs.get(await residents.language_of(conn, channel, address))
                notice = t._("You sent many messages at once; this answers the last one.")
                await outbox.coalesce(conn, channel, address, notice)
            await outbox.expire(conn, now)
            messages = await outbox.heads(conn, now, channels, limit)
            await outbox.claim(conn, messages)
            for message in messages:
                if message.kind == outbox.Kind.NOTICE and message.choices:
                    await _offer_choices(
                        conn, message.channel, message.address, message.choices, now
                    )
            return messages

        claimed: list[outbox.Message] = await self._database.unit(claiming)  # one hop
        return claimed

    async def show_choices(
        self, channel: str, address: str, choices: list[tuple[str, str]]
    ) -> None:
        """Make a notification's choices the conversation's first (as delivery does)."""
        async with self._database.transaction() as conn:
            await _offer_choices(conn, channel, address, choices, self._clock.now())

    async def sent(self, message: outbox.Message) -> None:
        """Record a delivery (a unit of a group commit: with the turns and other deliveries of
        the moment, in one hop)."""
        now = self._clock.now()
        await self._database.unit(lambda conn: outbox.mark_sent(conn, message.id, now))

    async def release(self, message: outbox.Message) -> None:
        """Give a claimed message back unsent (not this process's to deliver)."""
        async with self._database.transaction() as conn:
            await outbox.recover_one(conn, message.id)

    async def rejected(self, message: outbox.Message, error: str) -> None:
        """The channel refuses the message itself: give it up, and apologize (once) instead."""
        now = self._clock.now()
        async with self._database.transaction() as conn:
            await outbox.mark_failed(conn, message, error, now, permanent=True)
            if message.kind != outbox.Kind.ANSWER:
                return
            t = self._catalogs.get(
                await residents.language_of(conn, message.channel, message.address)
            )
            text = t._("Sorry, something went wrong. Please try again in a moment.")
            choices = [(t._("Main menu"), "menu")]
            key = f"rejected:{message.id}"
            await outbox.enqueue(
                conn, message.channel, message.address, text, now, now, choices=choices, key=key
            )

    async def sms_pages(self, channel: str, address: str, reply: Reply) -> list[str] | None:
        """A message as the SMS channel sends it, in the resident's language and pages; None if
        the number opted out of notifications."""
        async with self._database.transaction() as conn:
            if await sms.opted_out(conn, address):
                return None
            profile = await turns.profile(conn, channel, address)
        t = self._catalogs.get(profile.language)
        municipality = self._content.municipality(profile.municipality_id)
        # Answers were paged in their turn (the rest waits for MORE); what the assistant sends
        # on its own goes whole.
        budget = max(self.max_segments, sms_policy.NOTICE_SEGMENTS)
        return sms_policy.pages([reply], t, municipality, budget)

    async def sms_status(self, sid: str, status: str) -> None:
        """Store Twilio's delivery report of a message sent by REST."""
        async with self._database.transaction() as conn:
            await sms.record_status(conn, sid, status, self._clock.now())

    async def failed(self, message: outbox.Message, error: str, permanent: bool) -> None:
        """Retry later, or (permanent: the user blocked the bot, the number opted out) give up,
        mark the address unreachable and tell the request's staff."""
        now = self._clock.now()
        async with self._database.transaction() as conn:
            await outbox.mark_failed(conn, message, error, now, permanent)
            if permanent:
                await residents.set_reachable(conn, message.channel, message.address, now)
                if message.key:
                    await self._staff.resident_unreachable(conn, message.key, now)


async def _offer_choices(
    conn: Conn,
    channel: str,
    address: str,
    choices: list[tuple[str, str]],
    now: datetime,
) -> None:
    """A notification's choices come first in the conversation (number 1, 2, ... answer it);
    the choices already on screen stay valid behind them."""
    if not await residents.exists(conn, channel, address):
        return  # a staff group, not a resident's conversation
    conversation = await conversations.load(conn, channel, address)
    actions = {action for _, action in choices}
    kept = [c for c in conversation.choices if c[1] not in actions]
    conversation.choices = list(choices) + kept
    await conversations.save(conn, conversation, now)
