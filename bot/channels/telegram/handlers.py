"""Telegram updates in, engine replies out: commands, text, buttons and contact cards."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from telegram import Bot, Message, Update, User
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.channels.telegram.render import markup, message_text
from bot.dispatch import PermanentDeliveryError
from dialogs.pipeline.engine import Engine
from dialogs.types import Choice, Incoming, Reply
from storage.db import DatabaseUnavailableError

log = logging.getLogger(__name__)

CHANNEL = "telegram"
HANDLED_GROUP = 50  # a handler group after the others
SEND_ATTEMPTS = 3  # for network errors and Telegram's 5xx; 429 is handled by the rate limiter
COMMAND_ACTIONS = {
    "menu": "menu",
    "cancel": "menu",
    "help": "help",
    "language": "language",
    "forget": "forget",
}


class TelegramChannel:
    """Connects python-telegram-bot's handlers to the engine; private chats only."""

    def __init__(self, engine: Engine, bot: Bot) -> None:
        self.engine = engine
        self.bot = bot
        self._turns: set[str] = set()  # receipts of updates that became a resident's turn

    def register(self, application: Application) -> None:  # type: ignore[type-arg]
        """Add the handlers; traffic in groups and channels is ignored."""
        private = filters.ChatType.PRIVATE
        groups = filters.ChatType.GROUPS
        application.add_handler(CommandHandler("bind", self.on_bind, filters=groups))
        application.add_handler(CommandHandler(["queue", "my", "today", "service"], self.on_queue))
        application.add_handler(CallbackQueryHandler(self.on_card, pattern=r"^rq:"))
        application.add_handler(CommandHandler("start", self.on_start, filters=private))
        application.add_handler(
            CommandHandler(list(COMMAND_ACTIONS), self.on_command, filters=private)
        )
        application.add_handler(MessageHandler(private & filters.CONTACT, self.on_contact))
        application.add_handler(MessageHandler(private & ~filters.CONTACT, self.on_text))
        application.add_handler(CallbackQueryHandler(self.on_button))
        application.add_handler(TypeHandler(Update, self.on_handled), group=HANDLED_GROUP)
        application.add_error_handler(self.on_error)

    async def on_start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/start, with an optional deep-link payload such as "koknese_lv"."""
        message, user = update.effective_message, update.effective_user
        if message is None or user is None:
            return
        payload = " ".join(context.args or ())
        if payload.startswith("staff-"):  # a one-time staff invite, never shown to the engine
            welcome = await self.engine.staff.join(payload, str(user.id), user.first_name)
            t = self.engine.catalogs.get(user.language_code)
            text = welcome or t._("This invite is unknown or was already used.")
            await self._send(message.chat_id, Reply(text))
            return
        await self._answer(self._incoming(update, user, text=payload, start=True), message)

    async def on_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/menu, /cancel, /help, /language."""
        message, user = update.effective_message, update.effective_user
        if message is None or user is None or not message.text:
            return
        command = message.text.split()[0].lstrip("/").split("@")[0].lower()
        action = COMMAND_ACTIONS.get(command, "menu")
        await self._answer(self._incoming(update, user, action=action), message)

    async def on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Typed text; other messages (stickers, photos) arrive as their caption or nothing."""
        message, user = update.effective_message, update.effective_user
        if message is None or user is None:
            return
        text = message.text or message.caption or ""
        await self._answer(self._incoming(update, user, text=text), message)

    async def on_contact(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A contact card: verified only when it is the sender's own."""
        message, user = update.effective_message, update.effective_user
        if message is None or user is None or message.contact is None:
            return
        contact = message.contact
        own = contact.user_id is not None and contact.user_id == user.id
        incoming = self._incoming(
            update, user, shared_phone=contact.phone_number, shared_phone_is_own=own
        )
        await self._answer(incoming, message)

    async def on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A pressed inline button: stop the spinner, then edit that message with the answer."""
        query, user = update.callback_query, update.effective_user
        if query is None or user is None:
            return
        await query.answer()
        message = query.message if isinstance(query.message, Message) else None
        if message is None or message.chat.type != "private":
            return
        incoming = self._incoming(update, user, action=query.data or "")
        replies = await self.engine.handle(incoming)
        await self._deliver(user.id, replies, edit=message)

    async def on_bind(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/bind QUEUE in a staff group, by a supervisor."""
        message, user = update.effective_message, update.effective_user
        if message is None or user is None:
            return
        queue = (context.args or ["isolation"])[0].lower()[:32]
        text = await self.engine.staff.bind(str(user.id), str(message.chat_id), queue)
        t = self.engine.catalogs.get(user.language_code)
        await self._send(message.chat_id, Reply(text or t._("Only a supervisor can bind a group.")))

    async def on_queue(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/queue, /my, /today, /service for staff; from anyone else, private text goes on."""
        message, user = update.effective_message, update.effective_user
        if message is None or user is None or not message.text:
            return
        command = message.text.split()[0].lstrip("/").split("@")[0].lower()
        desk = self.engine.staff
        if command == "today":
            text = await desk.today_text(str(user.id))
        elif command == "service":
            text = await desk.set_service(str(user.id), list(context.args or ()))
        else:
            text = await desk.queue_text(str(user.id), command == "my")
        if text is not None:
            await self._send(message.chat_id, Reply(text))
        elif message.chat.type == "private":
            await self._answer(self._incoming(update, user, text=message.text), message)

    async def on_card(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A button on a request card: the desk decides; the card shows who holds it."""
        query, user = update.callback_query, update.effective_user
        if query is None or user is None:
            return
        result = await self.engine.staff.press(str(user.id), user.first_name, query.data or "")
        await query.answer(result.notice, show_alert=not result.allowed)
        message = query.message if isinstance(query.message, Message) else None
        if result.allowed and result.text is not None and message is not None:
            choices = tuple(Choice(label, action) for label, action in result.choices)
            await self._edit(message, Reply(result.text, choices))

    async def notify_group(self, chat_id: str, reply: Reply) -> bool:
        """Deliver an outbox message to a staff group (a request card, an escalation)."""
        await self._send(int(chat_id), reply)
        return True

    async def on_handled(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """After every handler: mark the update handled in the inbox (a resident's turn did so
        already, with its changes); one that failed is not tried again after a restart."""
        receipt = str(update.update_id)
        if receipt in self._turns:
            self._turns.discard(receipt)
            return
        try:
            await self.engine.mark_handled(CHANNEL, receipt)
        except DatabaseUnavailableError as error:
            log.warning("update %s not marked handled: %s", update.update_id, error)

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log with the update id only, and tell the user to try again."""
        update_id = update.update_id if isinstance(update, Update) else None
        unavailable = isinstance(context.error, DatabaseUnavailableError)
        if unavailable:  # one line: the database, not the code
            log.error("Telegram update %s was not handled: %s", update_id, context.error)
        else:
            log.error("Telegram update %s failed", update_id, exc_info=context.error)
        if not isinstance(update, Update) or update.effective_chat is None:
            return
        if update.effective_chat.type != "private" or update.effective_user is None:
            return
        language = update.effective_user.language_code
        t = self.engine.catalogs.get(language)
        reply = (
            self.engine.unavailable_reply(language)
            if unavailable
            else Reply(
                t._("Sorry, something went wrong. Please try again in a moment."),
                (Choice(t._("Main menu"), "menu"),),
            )
        )
        try:
            await self._deliver(update.effective_chat.id, [reply])
        except Exception:
            log.warning("could not tell update %s's user about the error", update_id)

    async def notify(self, address: str, reply: Reply) -> bool:
        """Deliver an outbox message; a user who blocked the bot is not tried again."""
        try:
            await self._send(int(address), reply)
        except Forbidden:
            await self.engine.set_unreachable(CHANNEL, address)
            raise PermanentDeliveryError("the user blocked the bot") from None
        return True

    async def _answer(self, incoming: Incoming, message: Message) -> None:
        replies = await self.engine.handle(incoming)
        await self._deliver(message.chat_id, replies)

    def _incoming(self, update: Update, user: User, **fields: Any) -> Incoming:
        """An Incoming from this Telegram user, who can share a verified phone; the update id
        is its receipt in the inbox (handled once, even after a crash)."""
        hint = (user.language_code or "")[:2] or None
        receipt = str(update.update_id)
        self._turns.add(receipt)  # the engine marks it handled, in the turn's own transaction
        return Incoming(
            CHANNEL,
            str(user.id),
            language_hint=hint,
            can_share_phone=True,
            receipt=receipt,
            **fields,
        )

    async def _deliver(
        self, chat_id: int, replies: list[Reply], edit: Message | None = None
    ) -> None:
        """Send the replies; the first may replace the message whose button was pressed."""
        for index, reply in enumerate(replies):
            try:
                editable = index == 0 and edit is not None and not reply.ask_phone
                if not (editable and edit is not None and await self._edit(edit, reply)):
                    await self._send(chat_id, reply)
            except Forbidden:
                log.info("a Telegram user blocked the bot; marked unreachable")
                await self.engine.set_unreachable(CHANNEL, str(chat_id))
                return
            except BadRequest:  # a NetworkError too in PTB, but sending again will not help
                raise
            except (NetworkError, RetryAfter) as error:
                # Telegram is down or throttling for longer than the retries: the turn is
                # saved, so its answers wait in the outbox, sent when Telegram is back.
                log.warning("Telegram unavailable (%s): the answer waits", type(error).__name__)
                await self.engine.defer(CHANNEL, str(chat_id), replies[index:])
                return

    async def _edit(self, message: Message, reply: Reply) -> bool:
        """Edit in place; False when Telegram refuses (too old, deleted), so a new one is sent."""
        keyboard = markup(reply)
        try:
            await message.edit_text(message_text(reply), reply_markup=keyboard)  # type: ignore[arg-type]
        except BadRequest as error:
            return "not modified" in str(error).lower()
        return True

    async def _send(self, chat_id: int, reply: Reply) -> None:
        for attempt in range(1, SEND_ATTEMPTS + 1):
            try:
                await self.bot.send_message(
                    chat_id, message_text(reply), reply_markup=markup(reply)
                )
                return
            except BadRequest:
                raise
            except NetworkError:
                if attempt == SEND_ATTEMPTS:
                    raise
                log.warning("sending to Telegram failed (attempt %d), retrying", attempt)
                await asyncio.sleep(0.5 * attempt)
