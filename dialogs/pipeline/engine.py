"""The turn pipeline: every message, a resident's or a staff member's, in ONE transaction:
the dedupe mark, the channel policy, authorization, the dialog or staff action, and the
answers, written to the outbox. Nothing is sent before COMMIT."""

from __future__ import annotations

import asyncio
import collections
import logging
import random
from dataclasses import replace
from datetime import timedelta

from dialogs.core.clock import Clock, local_today
from dialogs.core.failpoints import failpoint
from dialogs.core.i18n import LANGUAGES, Catalogs
from dialogs.core.steps import Dialog
from dialogs.core.turn import BookingPolicy, Turn
from dialogs.pipeline import answers, sms_policy
from dialogs.pipeline.postman import HandOff, Postman
from dialogs.pipeline.resident import ResidentDialogs
from dialogs.pipeline.sms_policy import SmsPolicy
from dialogs.pipeline.time_rules import TimeRules
from dialogs.staff.desk import StaffDesk
from dialogs.types import Choice, Incoming, Outcome, Receipt, Reply
from dialogs.understanding.nlu import reader as nlu_reader
from storage import conversations, inbox, outbox, phones, residents, service_overrides, turns
from storage.content import Content
from storage.db import Database, DatabaseLockedError, DatabaseUnavailableError, StorageError
from storage.rows import Conn

log = logging.getLogger(__name__)

DEFAULT_IDLE_TIMEOUT = timedelta(minutes=30)
# A turn meeting another process's write lock (each try waits the busy timeout, 5 s) is tried
# this many times: an SMS must be answered within Twilio's 15 s.
LOCK_ATTEMPTS = 2


class Engine:
    """Answers residents and staff; one instance serves every channel."""

    def __init__(
        self,
        database: Database,
        content: Content,
        catalogs: Catalogs,
        clock: Clock,
        idle_timeout: timedelta = DEFAULT_IDLE_TIMEOUT,
        policy: BookingPolicy | None = None,
        retention: timedelta = timedelta(days=90),
        sms: SmsPolicy | None = None,
    ) -> None:
        self.database = database
        self.content = content
        self.catalogs = catalogs
        self.clock = clock
        self._idle_timeout = idle_timeout
        self._policy = policy or BookingPolicy()
        self.sms_rules = sms or SmsPolicy()
        self._dialogs = ResidentDialogs()
        self.staff = StaffDesk(content, catalogs)
        self.postman = Postman(database, content, catalogs, clock, self.staff)
        offer_minutes = self._policy.offer_minutes
        self._time_rules = TimeRules(content, catalogs, self.staff, offer_minutes, retention)
        self.hand_off: HandOff | None = None  # delivery's, while it runs
        self.counters: collections.Counter[str] = collections.Counter()  # busy, unavailable
        self.configure_sms(self.sms_rules)

    @property
    def booking_policy(self) -> BookingPolicy:
        """When reminders go out and how long waiting-list offers hold."""
        return self._policy

    def use_dialogs(self, dialogs: ResidentDialogs) -> None:
        """Answer residents with these dialogs (an evaluation notes what they run)."""
        self._dialogs = dialogs

    def configure_sms(self, rules: SmsPolicy) -> None:
        """The process's SMS settings (flood limit, page budget), for turns and for delivery."""
        self.sms_rules = rules
        self.postman.max_segments = rules.max_segments

    async def handle(self, incoming: Incoming) -> list[Reply]:
        """Answer one message and return the answers (also written to the outbox)."""
        return list((await self.run(incoming)).replies)

    async def run(self, incoming: Incoming) -> Outcome:
        """One turn; on any failure, say so (through the outbox if it can take it) and keep the
        last saved state."""
        try:
            return await self._turn_despite_locks(incoming)
        except DatabaseUnavailableError as error:
            self.counters["unavailable"] += 1  # /metrics: database busy or failing
            # One line, no traceback: the operator's problem is the database, not the code.
            log.error("a %s turn was not saved: %s", incoming.channel, error)
            language = await self._stored_language(incoming)
            reply = self.unavailable_reply(language)
            return Outcome(tuple(self._shaped(incoming, [reply], language)), saved=False)
        except Exception:
            # No message text or address here: they may be personal data.
            log.exception("a %s turn failed; its changes were rolled back", incoming.channel)
            language = await self._stored_language(incoming)
            t = self.catalogs.get(language)
            text = t._("Sorry, something went wrong. Please try again in a moment.")
            return await self._set_aside(incoming, Reply(text, (Choice(t._("Main menu"), "menu"),)))

    async def _turn_despite_locks(self, incoming: Incoming) -> Outcome:
        """The turn, tried again (it was rolled back) while other processes (CLI tools, another
        bot) hold the write lock longer than the busy timeout, so that contention ends in an
        answer (booked, or full), not in "try again later"."""
        for attempt in range(1, LOCK_ATTEMPTS):
            try:
                return await self._turn(incoming)
            except DatabaseLockedError:
                self.counters["busy"] += 1
                await asyncio.sleep(random.uniform(0.05, 0.3) * attempt)  # apart from the others
        return await self._turn(incoming)

    def unavailable_reply(self, language: str | None) -> Reply:
        """What a resident is told while the database cannot take writes."""
        t = self.catalogs.get(language)
        text = t._("Sorry, the service is unavailable for a moment. Please try again later.")
        return Reply(text, (Choice(t._("Main menu"), "menu"),))

    async def _turn(self, incoming: Incoming) -> Outcome:
        await nlu_reader.ready_reader()  # built before: a turn never waits inside its unit
        # One unit of a group commit: the whole turn in the database's thread, with the turns
        # that came meanwhile, its answers released only after their COMMIT.
        hand_off = self.hand_off
        done: tuple[Outcome, outbox.Message | None] = await self.database.unit(
            lambda conn: self._turn_in(conn, incoming, hand_off)
        )
        outcome, handed = done
        failpoint("turn.after_commit")
        if handed is not None and hand_off is not None:
            hand_off.take(handed)
        if outcome.erased:  # old page images of the erased values leave the -wal file too
            await self.database.checkpoint()
        return outcome

    async def _turn_in(
        self, conn: Conn, incoming: Incoming, hand_off: HandOff | None
    ) -> tuple[Outcome, outbox.Message | None]:
        """The turn's reads and writes, inside its transaction; its first answer, claimed for
        delivery when it is its chat's next (sent at COMMIT, without a round of its own)."""
        now = self.clock.now()
        receipt = incoming.receipt
        if receipt is not None and not await inbox.mark_handled(
            conn, receipt.channel, receipt.key, now
        ):
            log.info("a %s update was handled before; not again", receipt.channel)
            given = await outbox.answers_to(conn, incoming.channel, receipt.key)
            return Outcome(tuple(Reply(m.text) for m in given), repeated=True), None
        outcome = None
        if incoming.staff is not None:
            outcome = await self.staff.act(conn, incoming, now)
        if outcome is None:  # a resident (also one who typed a staff command)
            incoming = replace(incoming, staff=None)
            outcome = await self._resident_turn(conn, incoming)
        first = await answers.write(conn, incoming, outcome, now)
        handed = None
        if first is not None and hand_off is not None and hand_off.serves(incoming):
            handed = await outbox.claim_next(conn, first)
        failpoint("turn.before_commit")
        return outcome, handed

    async def _resident_turn(self, conn: Conn, incoming: Incoming) -> Outcome:
        now = self.clock.now()
        start = await turns.begin(conn, incoming.channel, incoming.address, now)
        resident, conversation = start.resident, start.conversation
        if incoming.verified_phone and incoming.verified_phone != resident.phone:
            resident_id = await residents.verify_phone(
                conn, incoming.channel, incoming.address, incoming.verified_phone
            )
            # The address may have joined the phone's resident: its settings and statuses.
            start = await turns.begin(conn, incoming.channel, incoming.address, now)
            resident = start.resident
            assert resident.id == resident_id
        hint = incoming.language_hint if incoming.language_hint in LANGUAGES else None
        turn = Turn(
            content=self.content,
            catalogs=self.catalogs,
            conversation=conversation,
            connection=conn,
            today=local_today(self.clock),
            municipality_id=resident.municipality_id,
            language=resident.language or hint,
            resident_id=resident.id,
            phone=resident.phone,
            can_share_phone=incoming.can_share_phone,
            now=now,
            policy=self._policy,
            overrides=(resident.municipality_id, service_overrides.as_periods(start.overrides)),
        )
        screening = sms_policy.Screening(text=incoming.text)
        if incoming.sms:
            screening = await sms_policy.screen(
                conn, incoming, conversation, turn.t, self.sms_rules, now
            )
        replies = list(screening.replies)
        if not screening.done:
            last = conversation.updated_at
            if last is not None and now - last > self._idle_timeout:
                turn.timed_out = True
                conversation.choices = []
                turn.go(Dialog.MENU)
            if screening.text != incoming.text:
                incoming = replace(incoming, text=screening.text)
            reply = await self._dialogs.respond(turn, incoming)
            turn.keep()
            conversation.choices = [(choice.label, choice.action) for choice in reply.choices]
            replies.append(reply)
        if incoming.sms:
            texts = [screening.page] if screening.page is not None else []
            texts += sms_policy.pages(
                replies, turn.t, turn.municipality, self.sms_rules.max_segments
            )
            if screening.page is None and texts:
                conversation.pages = texts[1:]
            replies = [Reply(text) for text in texts[:1]]
        if turn.forgotten:  # the identity and conversation are gone
            return Outcome(tuple(replies), erased=True)
        settings = (turn.resident_id, turn.municipality_id, turn.language)
        if settings != (resident.id, resident.municipality_id, resident.language):
            await residents.save_preferences(conn, residents.Resident(*settings))
        await conversations.save(conn, conversation, now)
        log.debug("answered %s in %s/%s", incoming.channel, conversation.dialog, conversation.step)
        return Outcome(tuple(replies))

    def _shaped(self, incoming: Incoming, replies: list[Reply], lang: str | None) -> list[Reply]:
        """Replies as the channel shows them: SMS pages for an SMS, else as they are."""
        if not incoming.sms:
            return replies
        t = self.catalogs.get(lang)
        pages = sms_policy.pages(replies, t, None, self.sms_rules.max_segments)
        return [Reply(page) for page in pages[:1]]

    async def _set_aside(self, incoming: Incoming, reply: Reply) -> Outcome:
        """A failed turn's update is marked handled anyway, with its apology in the outbox, so
        that a restart does not bring it back (the resident was told to try again)."""
        language = await self._stored_language(incoming)
        replies = self._shaped(incoming, [reply], language)
        try:
            async with self.database.transaction() as conn:
                now = self.clock.now()
                if incoming.receipt is not None:
                    receipt = incoming.receipt
                    await inbox.mark_handled(conn, receipt.channel, receipt.key, now)
                await answers.write(conn, incoming, Outcome(tuple(replies)), now)
        except StorageError:
            return Outcome(tuple(replies), saved=False)
        return Outcome(tuple(replies))

    async def _stored_language(self, incoming: Incoming) -> str | None:
        try:
            language = (await self.profile(incoming.channel, incoming.address)).language
        except StorageError:
            return incoming.language_hint or _country_of(incoming)  # said in the turn's log
        except Exception:
            log.warning("the language of a failed turn could not be read", exc_info=True)
            return incoming.language_hint or _country_of(incoming)
        return language or incoming.language_hint or _country_of(incoming)

    async def profile(self, channel: str, address: str) -> turns.Profile:
        """The municipality and language of the resident behind an address, if known (read
        outside any transaction: it serves a turn that failed)."""
        rows = await self.database.fetchall(turns.PROFILE_QUERY, (channel, address))
        return turns.Profile(rows[0][0], rows[0][1]) if rows else turns.Profile()

    async def tick(self) -> None:
        """Apply the rules time drives (see `time_rules`)."""
        now = self.clock.now()
        await self.database.unit(lambda conn: self._time_rules.apply(conn, now))

    async def record_updates(self, channel: str, items: list[tuple[str, str]]) -> None:
        """Journal incoming updates (key, body) before the channel confirms their arrival."""
        now = self.clock.now()
        await self.database.unit(lambda conn: inbox.record(conn, channel, items, now))

    async def pending_updates(self, channel: str) -> list[tuple[str, str]]:
        """Updates journaled but never handled: a crash came between."""
        async with self.database.transaction() as conn:
            return await inbox.pending(conn, channel)

    async def mark_handled(self, receipt: Receipt) -> None:
        """Mark an update handled that was no turn (a group's chatter, an ignored kind)."""
        now = self.clock.now()
        await self.database.unit(
            lambda conn: inbox.mark_handled(conn, receipt.channel, receipt.key, now)
        )


def _country_of(incoming: Incoming) -> str | None:
    """An SMS sender's language, guessed from the number's country."""
    return phones.country_language(incoming.verified_phone) if incoming.verified_phone else None
