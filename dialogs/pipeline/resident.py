"""A resident's turn: a start, a shared phone, a pressed choice or typed text, to a dialog."""

from __future__ import annotations

import logging
from dataclasses import replace

from dialogs.core.actions import MenuAction, SetupAction
from dialogs.core.state import FallbackState, HeldMessage, RequestDraft
from dialogs.core.steps import Dialog, Step
from dialogs.core.turn import Turn
from dialogs.flows import (
    certificates,
    contacts,
    health,
    media,
    menu,
    onboarding,
    phone,
    privacy,
    reopen,
    services,
)
from dialogs.flows.booking import choose as booking
from dialogs.flows.booking import mine as mybookings
from dialogs.flows.requests import conversation, progress
from dialogs.flows.requests import dialog as requests
from dialogs.flows.requests import mine as my_requests
from dialogs.pipeline.registry import SETUP_ACTIONS, Registry
from dialogs.types import Choice, Incoming, Reply
from dialogs.understanding import search
from dialogs.understanding.keywords import keyword_action, says_thanks
from dialogs.understanding.latin_russian import in_latin_letters, to_cyrillic
from dialogs.understanding.nlu import reader as nlu_reader
from dialogs.understanding.nlu import route as nlu_route
from dialogs.understanding.text import (
    MAX_MESSAGE_CHARS,
    clean,
    match_label,
    match_label_words,
)
from dialogs.understanding.yes_no import answered, declines

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
    requests,
    my_requests,
    progress,
    privacy,
    reopen,
)
CONFIDENT = 0.5  # an intent this sure is followed before the search of names
# Steps whose answer is free text (an address, a date, a name): labels are not guessed there.
FREE_TEXT_STEPS = frozenset(
    {
        Step.SEARCH,
        Step.DAY,
        Step.ISSUED,
        Step.VISIT,
        Step.DONE,
        Step.DETAILS,
        Step.ADDRESS,
        Step.PHONE,
        Step.FLAT,
        Step.MUNICIPALITY,
    }
)
# Dialogs whose typed text is a search of names, and the intent that search serves.
SEARCH_TOPICS = {Dialog.CONTACTS: "contacts", Dialog.SERVICES: "service_status"}
NAME_WORDS = 3  # in such a list, this many words or fewer are read as a name
# First messages that need no answer after setup: setup itself answers them.
SETUP_INTENTS = frozenset({"unknown", "greeting", "help", "language"})
GUIDED_DIALOGS = frozenset({Dialog.REQUEST, Dialog.BOOKING, Dialog.HEALTH})
# Intents that, inside a guided dialog, are most likely an answer in other words ("labai
# skubu" reads as a request for help): they ask again instead of starting over.
GUIDED_INTENTS = frozenset(
    {"isolation_help", "human", "book_shower", "book_laundry", "certificate", "unknown"}
)


class ResidentDialogs:
    """Routes a resident's message to the dialog that answers it."""

    def __init__(self) -> None:
        self.registry = Registry(DIALOGS)

    async def respond(self, turn: Turn, incoming: Incoming) -> Reply:
        """The one reply to a resident's message; a request left unsent is said so, and a
        message not understood counts towards offering a person."""
        fallback = turn.state(FallbackState)
        misses = fallback.misses
        setting_up = onboarding.needs_setup(turn)
        reply = await self._respond(turn, incoming)
        if setting_up and not onboarding.needs_setup(turn):
            reply = await self._answer_held(turn, reply)
        if fallback.misses == misses:  # understood (not_understood counts one more)
            fallback.misses = 0
        if incoming.edited and not incoming.start:
            edited = turn.t._("You edited a message: I read it as a new one.")
            reply = replace(reply, text=f"{edited}\n\n{reply.text}")
        return progress.unsent_notice(turn, reply)

    async def _respond(self, turn: Turn, incoming: Incoming) -> Reply:
        if incoming.start and incoming.reopened and not onboarding.needs_setup(turn):
            return await self.run(turn, f"{MenuAction.REOPEN}:" + clean(incoming.text)[:64])
        if incoming.start:
            return await self.run(turn, f"{SetupAction.START}:" + clean(incoming.text)[:64])
        if incoming.shared_phone is not None:
            return await phone.receive(turn, incoming.shared_phone, incoming.shared_phone_is_own)
        if incoming.action is not None:
            offered = {action for _, action in turn.conversation.choices}
            if self.registry.valid(incoming.action, offered):
                return await self.run(turn, incoming.action)
            return self._expired(turn)
        text = clean(incoming.text)
        if len(text) > MAX_MESSAGE_CHARS:
            return self._again(
                turn, turn.t._("Your message is too long. Please write it in fewer words.")
            )
        if not text and incoming.attachment is not None:
            answer = media.answer(turn, incoming.attachment)
            return answer if isinstance(answer, Reply) else self._again(turn, answer)
        if not text:
            return self._again(
                turn, turn.t._("Your message was empty. Choose a number or write a word.")
            )
        reading = _as_read(turn, text)
        action = self._understood_action(turn, text)
        if action is None and reading != text:
            action = self._understood_action(turn, reading)
        if action is not None:
            return await self.run(turn, action)
        if onboarding.needs_setup(turn):
            await self._hold(turn, text)
            understood = await onboarding.understand(turn, text)
            return understood or await self.run(turn, SetupAction.START)
        if declines(text, [action for _, action in turn.conversation.choices]):
            turn.drop(RequestDraft)  # said no to sending it: not kept as a request left unsent
            turn.go(Dialog.MENU)
            return menu.menu_reply(turn, turn.t._("All right: nothing was sent or changed."))
        at_a_step = turn.conversation.step in FREE_TEXT_STEPS
        passed = await conversation.pass_on(turn, text, at_a_step)  # a staff member may wait
        return passed or await self._understand(turn, text, reading)

    async def run(self, turn: Turn, action: str) -> Reply:
        """Run an action ("name:argument"); before setup, only setup's own actions run."""
        name, _, argument = action.partition(":")
        if onboarding.needs_setup(turn) and name not in SETUP_ACTIONS:
            name, argument = "start", ""
        handler = self.registry.handler(name)
        if handler is None:
            return self._expired(turn)
        return await handler(turn, argument)

    def _understood_action(self, turn: Turn, text: str) -> str | None:
        """The action of a chosen number or label, or of a keyword."""
        choices = turn.conversation.choices
        index = match_label(text, [label for label, _ in choices])
        if index is not None:
            return choices[index][1]
        picked = answered(text, [action for _, action in choices])
        if picked is not None:
            return picked
        action = keyword_action(text)
        # Thanks inside an answer to a question ("duonos ir pieno, ačiū") is part of it.
        if action is None and turn.conversation.step not in FREE_TEXT_STEPS and says_thanks(text):
            action = MenuAction.THANKS
        if action == "back":
            return str(turn.conversation.data.get("back", MenuAction.MENU))
        if action is None and turn.conversation.step not in FREE_TEXT_STEPS:
            # A label in the resident's own words: "tests", "siusk" (never "menu" for an
            # address on "Pagrindinė g.": the steps that read free text are left out).
            index = match_label_words(text, [label for label, _ in choices])
            action = choices[index][1] if index is not None else None
        return action

    async def _understand(self, turn: Turn, text: str, reading: str) -> Reply:
        """Free text: the current dialog's reading, a named department or service, the
        intent model, and only then "not understood"; `reading` is the text as read in a
        Russian conversation (Latin letters back in Cyrillic)."""
        reader = await nlu_reader.ready_reader()
        typed = text
        understood = reader.read(text, turn.language, turn.today)
        if reading != text:
            as_russian = reader.read(reading, turn.language, turn.today)
            # Read as Russian unless only the Latin letters make sense (Lithuanian without its
            # marks in a Russian conversation).
            if as_russian.intent != "unknown" or understood.intent == "unknown":
                understood, text = as_russian, reading
        confident = understood.confidence >= CONFIDENT and understood.intent != "unknown"
        understander = self.registry.understander(turn.conversation.dialog)
        if understander is not None and not self._moves_on(turn, understood, confident):
            reply = await understander(turn, typed)
            if reply is not None:
                return reply
        exact = search.find_exact(turn, text)
        if exact is not None:  # a name typed as it is written: no guessing
            return await self.run(turn, exact.action)
        log.debug("intent %s (%.2f)", understood.intent, understood.confidence)
        if self._guided(turn) and not (confident and understood.intent not in GUIDED_INTENTS):
            # An answer to the assistant's own question that matched none of its choices: ask
            # again, rather than leave the flow for a guess.
            lead = turn.t._(
                "Sorry, I did not understand. Please choose one of these by its number."
            )
            return self._again(turn, lead)
        # A confident intent leads (it still looks for a named department or service), and so
        # does any wish the assistant can carry out here (book, cancel, take a request, a
        # person): a department that lists the shower must not answer "zapisat na dush
        # zavtra". A weak question comes after the search of names, precise for "mobilā aprūpe".
        if confident or nlu_route.can_do(turn, understood.intent):
            reply = await nlu_route.answer(turn, understood, self.run)
            if reply is not None:
                return reply
        if understood.intent == "unknown" and understood.confidence >= CONFIDENT:
            # Surely out of scope: "šeimos gydytoją" must not find "paslaugos šeimoms".
            return menu.not_understood(turn, out_of_scope=True)
        found = search.find(turn, text)
        if len(found) == 1:
            return await self.run(turn, found[0].action)
        if found:
            return search.which_one(turn, found)
        reply = await nlu_route.answer(turn, understood, self.run)
        if reply is not None:
            return reply
        scoped = understood.intent == "unknown" and understood.confidence > 0  # words, no topic
        return menu.not_understood(turn, out_of_scope=scoped)

    async def _hold(self, turn: Turn, text: str) -> None:
        """Before setup, keep a message that asks for something ("Labas, man reikia maisto")
        to answer once setup is done, and take the language it is plainly written in."""
        reader = await nlu_reader.ready_reader()
        understood = reader.read(text, None, turn.today)
        if understood.intent not in SETUP_INTENTS:
            turn.state(HeldMessage).held = text
        if understood.lang_confident and understood.intent != "language":
            turn.language = understood.lang

    async def _answer_held(self, turn: Turn, reply: Reply) -> Reply:
        """Setup is done: answer the first message that was held, after saying where."""
        held = turn.state(HeldMessage).held
        turn.drop(HeldMessage)
        if not held:
            return reply
        answer = await self._understand(turn, held, _as_read(turn, held))
        lead = reply.text.partition("\n\n")[0]  # what setup settled: "Language: Russian."
        # One paragraph with the answer's first, so an SMS keeps its choices after both.
        return replace(answer, text=f"{lead}\n{answer.text}")

    @staticmethod
    def _moves_on(turn: Turn, understood: nlu_reader.Understood, confident: bool) -> bool:
        """After a list of contacts or services, a message about something else (a booking,
        "does the laundry work?") is not searched among that list's names; a few words
        ("pagalba į namus") are taken for a name in it."""
        topic = SEARCH_TOPICS.get(Dialog(turn.conversation.dialog))
        if topic is None or understood.intent in (topic, "unknown"):
            return False
        if len(understood.text.split()) <= NAME_WORDS:
            return False
        return confident or nlu_route.can_do(turn, understood.intent)

    @staticmethod
    def _guided(turn: Turn) -> bool:
        """The resident is answering a question of a booking, a request or a check, with
        choices on screen."""
        conversation = turn.conversation
        return (
            conversation.dialog in GUIDED_DIALOGS
            and conversation.step not in (Step.NONE, Step.MINE)  # a list of one's own is no form
            and bool(conversation.choices)
        )

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


def _as_read(turn: Turn, text: str) -> str:
    """In a Russian conversation, Russian typed in Latin letters read back into Cyrillic, for
    the names, labels, keywords and intents (an address or a detail keeps what was typed)."""
    return to_cyrillic(text) if turn.language == "ru" and in_latin_letters(text) else text
