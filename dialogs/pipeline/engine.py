"""The engine: loads a conversation, routes one Incoming to a dialog, saves the state."""

from __future__ import annotations

import contextlib
import logging
from datetime import timedelta

from dialogs.core.clock import Clock, local_today
from dialogs.core.i18n import LANGUAGES, Catalogs
from dialogs.core.turn import BookingPolicy, Handler, Turn, Understander
from dialogs.flows import (
    certificates,
    contacts,
    health,
    menu,
    onboarding,
    phone,
    privacy,
    services,
)
from dialogs.flows.booking import choose as booking
from dialogs.flows.booking import mine as mybookings
from dialogs.flows.booking import offers
from dialogs.flows.requests import dialog as isolation
from dialogs.staff.desk import StaffDesk
from dialogs.types import Choice, Incoming, Reply
from dialogs.understanding import search
from dialogs.understanding.keywords import keyword_action
from dialogs.understanding.nlu import reader as nlu_reader
from dialogs.understanding.nlu import route as nlu_route
from dialogs.understanding.text import MAX_MESSAGE_CHARS, clean, match_label
from storage import conversations, inbox, outbox, residents, service_overrides, turns
from storage import privacy as privacy_store
from storage.content import STATUSES, Content, LocalText, Period, Status
from storage.db import Database, DatabaseUnavailableError, StorageError

log = logging.getLogger(__name__)

DIALOGS = (
    menu,
    onboarding,
    contacts,
    services,
    phone,
    certificates,
    health,
    booking,
    mybookings,
    isolation,
    privacy,
)
# Actions valid at any time, whatever choices were offered last.
ALWAYS_VALID = frozenset(
    {
        "start",
        "menu",
        "help",
        "contacts",
        "services",
        "language",
        "municipality",
        "phone",
        "certificates",
        "book",
        "mybk",
        # Offers arrive by notification, possibly before their choices are recorded; the
        # handlers check that the offer is the resident's own and still open.
        "wlyes",
        "wlno",
        "rq",
        "human",
        "myrq",
        "forget",
    }
)
# Actions that setup (municipality and language) allows before it is complete.
SETUP_ACTIONS = frozenset({"start", "mun", "lang", "help", "municipality", "language"})
DEFAULT_IDLE_TIMEOUT = timedelta(minutes=30)
# Updates as received, and messages once sent, hold what residents wrote: kept a day.
DELIVERED_RETENTION = timedelta(days=1)
CONFIDENT = 0.5  # an intent this sure is followed before the search of names


class Engine:
    """Answers residents; one instance serves every channel."""

    def __init__(
        self,
        database: Database,
        content: Content,
        catalogs: Catalogs,
        clock: Clock,
        idle_timeout: timedelta = DEFAULT_IDLE_TIMEOUT,
        policy: BookingPolicy | None = None,
        retention: timedelta = timedelta(days=90),
    ) -> None:
        self._database = database
        self._content = content
        self._catalogs = catalogs
        self._clock = clock
        self._idle_timeout = idle_timeout
        self._policy = policy or BookingPolicy()
        self._retention = retention
        self.staff = StaffDesk(database, content, catalogs, clock)
        self._handlers: dict[str, Handler] = {}
        self._understanders: dict[str, Understander] = {}
        for dialog in DIALOGS:
            self._handlers.update(dialog.ACTIONS)
            self._understanders.update(getattr(dialog, "UNDERSTANDS", {}))

    @property
    def catalogs(self) -> Catalogs:
        """The translations the engine answers with."""
        return self._catalogs

    async def set_unreachable(self, channel: str, address: str) -> None:
        """Record that an address cannot be reached (it blocked the bot); writing clears it."""
        async with self._database.transaction() as conn:
            await residents.set_reachable(conn, channel, address, self._clock.now())

    @property
    def database(self) -> Database:
        """The database the engine writes to (the outbox dispatcher reads it too)."""
        return self._database

    @property
    def content(self) -> Content:
        """The municipalities' content."""
        return self._content

    @property
    def clock(self) -> Clock:
        """Where "now" comes from."""
        return self._clock

    async def tick(self) -> None:
        """Time-driven rules: expired offers pass on; requests nobody took are raised again."""
        now = self._clock.now()
        async with self._database.transaction() as conn:
            await offers.expire_offers(
                conn, self._content, self._catalogs, now, self._policy.offer_minutes
            )
            await privacy_store.purge_closed_requests(conn, now - self._retention)
            await inbox.purge(conn, now - DELIVERED_RETENTION)
            await privacy_store.purge_sent_texts(conn, now - DELIVERED_RETENTION)
        await self.staff.escalate()

    async def defer(self, channel: str, address: str, replies: list[Reply]) -> None:
        """Answers the channel could not deliver now: the outbox sends them when it can."""
        now = self._clock.now()
        async with self._database.transaction() as conn:
            for reply in replies:
                choices = [(c.label, c.action) for c in reply.choices]
                await outbox.enqueue(conn, channel, address, reply.text, now, now, choices=choices)

    async def record_updates(self, channel: str, items: list[tuple[str, str]]) -> None:
        """Journal incoming updates (key, body) before the channel confirms their arrival."""
        async with self._database.transaction() as conn:
            await inbox.record(conn, channel, items, self._clock.now())

    async def pending_updates(self, channel: str) -> list[tuple[str, str]]:
        """Updates journaled but never handled: a crash came between."""
        async with self._database.transaction() as conn:
            return await inbox.pending(conn, channel)

    async def mark_handled(self, channel: str, key: str) -> None:
        """Mark an update handled that was not a resident's turn (staff, groups, ignored)."""
        async with self._database.transaction() as conn:
            await inbox.mark_handled(conn, channel, key, self._clock.now())

    async def show_notification(self, channel: str, address: str, choices: list[Choice]) -> None:
        """A notification's choices come first (number 1, 2, ... answer it); the choices already
        on screen stay valid behind them."""
        async with self._database.transaction() as conn:
            if not await residents.exists(conn, channel, address):
                return  # a staff group, not a resident's conversation
            conversation = await conversations.load(conn, channel, address)
            new = [(c.label, c.action) for c in choices]
            actions = {action for _, action in new}
            conversation.choices = new + [c for c in conversation.choices if c[1] not in actions]
            await conversations.save(conn, conversation, self._clock.now())

    async def handle(self, incoming: Incoming) -> list[Reply]:
        """Answer one message; on any failure, say so and keep the last saved state."""
        try:
            return await self._handle(incoming)
        except DatabaseUnavailableError as error:
            # One line, no traceback: the operator's problem is the database, not the code.
            log.error("a %s turn was not saved: %s", incoming.channel, error)
            await self._set_aside(incoming)
            return [self.unavailable_reply(await self._stored_language(incoming))]
        except Exception:
            # No message text or address here: they may be personal data.
            log.exception("a %s turn failed; its changes were rolled back", incoming.channel)
            await self._set_aside(incoming)
            t = self._catalogs.get(await self._stored_language(incoming))
            text = t._("Sorry, something went wrong. Please try again in a moment.")
            return [Reply(text, (Choice(t._("Main menu"), "menu"),))]

    def unavailable_reply(self, language: str | None) -> Reply:
        """What a resident is told while the database cannot take writes."""
        t = self._catalogs.get(language)
        text = t._("Sorry, the service is unavailable for a moment. Please try again later.")
        return Reply(text, (Choice(t._("Main menu"), "menu"),))

    async def profile(self, channel: str, address: str) -> tuple[str | None, str | None]:
        """(municipality id, language) of the resident behind an address, if known."""
        rows = await self._database.fetchall(
            "SELECT r.municipality_id, r.language FROM identities i"
            " JOIN residents r ON r.id = i.resident_id WHERE i.channel = ? AND i.address = ?",
            (channel, address),
        )
        return (rows[0][0], rows[0][1]) if rows else (None, None)

    async def _set_aside(self, incoming: Incoming) -> None:
        """A failed turn's update is marked handled anyway, so that a restart does not bring
        it back (the resident was told to try again)."""
        if incoming.receipt is not None:
            with contextlib.suppress(StorageError):
                await self.mark_handled(incoming.channel, incoming.receipt)

    async def _stored_language(self, incoming: Incoming) -> str | None:
        try:
            language = (await self.profile(incoming.channel, incoming.address))[1]
        except StorageError:
            return incoming.language_hint  # already said in the turn's own log line
        except Exception:
            log.warning("the language of a failed turn could not be read", exc_info=True)
            return incoming.language_hint
        return language or incoming.language_hint

    async def _handle(self, incoming: Incoming) -> list[Reply]:
        now = self._clock.now()
        async with self._database.transaction() as conn:
            if incoming.receipt is not None and not await inbox.mark_handled(
                conn, incoming.channel, incoming.receipt, now
            ):
                log.info("a %s update was handled before a restart; not again", incoming.channel)
                return []
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
                content=self._content,
                catalogs=self._catalogs,
                conversation=conversation,
                connection=conn,
                today=local_today(self._clock),
                municipality_id=resident.municipality_id,
                language=resident.language or hint,
                resident_id=resident.id,
                phone=resident.phone,
                can_share_phone=incoming.can_share_phone,
                now=now,
                policy=self._policy,
                overrides=_periods(resident.municipality_id, start.overrides),
            )
            last = conversation.updated_at
            if last is not None and now - last > self._idle_timeout:
                turn.timed_out = True
                conversation.choices = []
                turn.go("menu")
            reply = await self._respond(turn, incoming)
            conversation.choices = [(choice.label, choice.action) for choice in reply.choices]
            settings = (turn.resident_id, turn.municipality_id, turn.language)
            if turn.forgotten:
                return [reply]  # the identity and conversation are gone: nothing to save
            if settings != (resident.id, resident.municipality_id, resident.language):
                await residents.save_preferences(conn, residents.Resident(*settings))
            await conversations.save(conn, conversation, now)
        log.debug("answered %s in %s/%s", incoming.channel, conversation.dialog, conversation.step)
        return [reply]

    async def _respond(self, turn: Turn, incoming: Incoming) -> Reply:
        if incoming.start:
            return await self._run(turn, "start:" + clean(incoming.text)[:64])
        if incoming.shared_phone is not None:
            return await phone.receive(turn, incoming.shared_phone, incoming.shared_phone_is_own)
        offered = {action for _, action in turn.conversation.choices}
        if incoming.action is not None:
            name = incoming.action.partition(":")[0]
            if incoming.action in offered or name in ALWAYS_VALID:
                return await self._run(turn, incoming.action)
            return self._expired(turn)
        text = clean(incoming.text)
        if len(text) > MAX_MESSAGE_CHARS:
            return self._again(
                turn, turn.t._("Your message is too long. Please write it in fewer words.")
            )
        if not text:
            return self._again(
                turn, turn.t._("Your message was empty. Choose a number or write a word.")
            )
        action = self._understood_action(turn, text)
        if action is not None:
            return await self._run(turn, action)
        if onboarding.needs_setup(turn):
            understood = await onboarding.understand(turn, text)
            return understood or await self._run(turn, "start")
        return await self._understand(turn, text)

    def _understood_action(self, turn: Turn, text: str) -> str | None:
        """The action of a chosen number or label, or of a keyword."""
        choices = turn.conversation.choices
        index = match_label(text, [label for label, _ in choices])
        if index is not None:
            return choices[index][1]
        action = keyword_action(text)
        if action == "back":
            return str(turn.conversation.data.get("back", "menu"))
        return action

    async def _understand(self, turn: Turn, text: str) -> Reply:
        """Free text: the current dialog's reading, a named department or service, the
        intent model, and only then "not understood"."""
        understander = self._understanders.get(turn.conversation.dialog)
        if understander is not None:
            reply = await understander(turn, text)
            if reply is not None:
                return reply
        exact = search.find_exact(turn, text)
        if exact is not None:  # a name typed as it is written: no guessing
            return await self._run(turn, exact.action)
        understood = (await nlu_reader.ready_reader()).read(text, turn.language, turn.today)
        log.debug("intent %s (%.2f)", understood.intent, understood.confidence)
        # A confident intent leads (it still looks for a named department or service); a weak
        # one comes after the search of names, which is precise for "mobilā aprūpe".
        if understood.confidence >= CONFIDENT and understood.intent != "unknown":
            reply = await nlu_route.answer(turn, understood, self._run)
            if reply is not None:
                return reply
        found = search.find(turn, text)
        if len(found) == 1:
            return await self._run(turn, found[0].action)
        if found:
            return search.which_one(turn, found)
        reply = await nlu_route.answer(turn, understood, self._run)
        if reply is not None:
            return reply
        scoped = understood.intent == "unknown" and understood.confidence > 0  # words, no topic
        return menu.not_understood(turn, out_of_scope=scoped)

    async def _run(self, turn: Turn, action: str) -> Reply:
        name, _, argument = action.partition(":")
        if onboarding.needs_setup(turn) and name not in SETUP_ACTIONS:
            name, argument = "start", ""
        handler = self._handlers.get(name)
        if handler is None:
            return self._expired(turn)
        return await handler(turn, argument)

    def _expired(self, turn: Turn) -> Reply:
        if onboarding.needs_setup(turn):
            return onboarding.prompt(turn)
        return menu.menu_reply(turn, turn.t._("This choice has expired. Here is the menu."))

    def _again(self, turn: Turn, lead: str) -> Reply:
        """Say what was wrong and offer the last choices again."""
        if onboarding.needs_setup(turn):
            return onboarding.prompt(turn)
        choices = tuple(Choice(label, action) for label, action in turn.conversation.choices)
        return Reply(lead, choices) if choices else menu.menu_reply(turn, lead)


def _periods(
    municipality_id: str | None, overrides: list[service_overrides.Override]
) -> tuple[str | None, list[tuple[str, Period]]]:
    """Staff's statuses for the municipality, as periods laid over the content's."""
    periods = []
    for item in overrides:
        note = LocalText({"en": item.note}) if item.note else None
        status: Status = next((s for s in STATUSES if s == item.status), "limited")
        periods.append((item.service_id, Period(status, item.start, item.end, note)))
    return (municipality_id, periods)
