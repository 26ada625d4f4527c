"""Telegram updates in as Incoming (a resident's, or a staff member's call with the chat it
came from); the pipeline answers through the outbox; `send` delivers one outbox message."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import warnings
from typing import Any

from telegram import Bot, Message, Update, User
from telegram.error import BadRequest, Forbidden, NetworkError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot.channels.port import Assistant
from bot.channels.telegram.media import attachment
from bot.channels.telegram.render import caption, markup, message_text
from bot.delivery import PermanentDeliveryError, RejectedMessageError
from dialogs.types import (
    Channel,
    Incoming,
    Outcome,
    Outgoing,
    Receipt,
    Reply,
    StaffCall,
    StaffCommand,
)

log = logging.getLogger(__name__)
# `_call` asks PTB for sendMessage and editMessageText without their answers parsed; PTB warns
# that methods for them exist, which is known here.
warnings.filterwarnings(
    "ignore", message=r"Please use 'Bot\.(sendMessage|editMessageText)'", category=PTBUserWarning
)

CHANNEL = Channel.TELEGRAM
HANDLED_GROUP = 50  # a handler group after the others
SEND_ATTEMPTS = 3  # for network errors and Telegram's 5xx; 429 is handled by the rate limiter
COMMAND_ACTIONS = {
    "menu": "menu",
    "cancel": "menu",
    "language": "language",
    "forget": "forget",
}
STAFF_COMMANDS = {
    "queue": StaffCommand.QUEUE,
    "my": StaffCommand.MINE,
    "today": StaffCommand.TODAY,
    "service": StaffCommand.SERVICE,
    "bind": StaffCommand.BIND,
    "invite": StaffCommand.INVITE,
    "help": StaffCommand.HELP,
    "desk": StaffCommand.DESK,  # a member's commands; anyone else gets the residents' help
}


class TelegramChannel:
    """python-telegram-bot's handlers as a thin adapter: parse, identify, hand to the pipeline."""

    def __init__(self, assistant: Assistant, bot: Bot) -> None:
        self.assistant = assistant
        self.bot = bot
        self._turns: set[int] = set()  # update ids that became a turn (marked with it)

    def register(self, application: Application) -> None:  # type: ignore[type-arg]
        """Add the handlers; a group's other traffic is ignored."""
        private = filters.ChatType.PRIVATE
        application.add_handler(CommandHandler(list(STAFF_COMMANDS), self.on_staff_command))
        application.add_handler(CallbackQueryHandler(self.on_card, pattern=r"^rq:"))
        application.add_handler(CommandHandler("start", self.on_start, filters=private))
        application.add_handler(
            CommandHandler(list(COMMAND_ACTIONS), self.on_command, filters=private)
        )
        application.add_handler(MessageHandler(private & filters.CONTACT, self.on_contact))
        # A live location is edited every few seconds: those edits are no messages to answer.
        live = filters.UpdateType.EDITED_MESSAGE & filters.LOCATION
        application.add_handler(MessageHandler(private & ~filters.CONTACT & ~live, self.on_text))
        application.add_handler(CallbackQueryHandler(self.on_button))
        application.add_handler(TypeHandler(Update, self.on_handled), group=HANDLED_GROUP)
        application.add_error_handler(self.on_error)

    async def on_start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/start, with an optional deep-link payload ("koknese_lv") or a staff invite."""
        message, user = update.effective_message, update.effective_user
        if message is None or user is None:
            return
        payload = " ".join(context.args or ())
        if payload.startswith("staff-"):  # a one-time staff invite, never shown to the dialogs
            call = StaffCall(StaffCommand.JOIN, str(user.id), user.full_name, (payload,))
            await self._turn(update, self._incoming(update, user, staff=call))
            return
        await self._turn(update, self._incoming(update, user, text=payload, start=True))

    async def on_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/menu, /cancel, /help, /language, /forget."""
        message, user = update.effective_message, update.effective_user
        if message is None or user is None or not message.text:
            return
        action = COMMAND_ACTIONS.get(_command(message.text), "menu")
        await self._turn(update, self._incoming(update, user, action=action))

    async def on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Typed text, a caption, or what came instead (a voice note, a location, a photo...);
        an edited message is marked so."""
        message, user = update.effective_message, update.effective_user
        if message is None or user is None:
            return
        incoming = self._incoming(
            update,
            user,
            text=message.text or message.caption or "",
            attachment=attachment(message),
            edited=update.edited_message is not None,
        )
        await self._turn(update, incoming)

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
        await self._turn(update, incoming)

    async def on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A pressed inline button: stop the spinner; the answer replaces that message."""
        query, user = update.callback_query, update.effective_user
        if query is None or user is None:
            return
        with contextlib.suppress(BadRequest):  # a press older than Telegram keeps queries for
            await query.answer()
        message = query.message if isinstance(query.message, Message) else None
        if message is None or message.chat.type != "private":
            return
        incoming = self._incoming(update, user, action=query.data or "", edit=message.message_id)
        await self._turn(update, incoming)

    async def on_staff_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/queue, /my, /today, /service, /bind, /invite, /help from any chat: the pipeline
        authorizes (from a resident in their private chat, it is just text)."""
        message, user = update.effective_message, update.effective_user
        if message is None or user is None or not message.text:
            return
        command = STAFF_COMMANDS[_command(message.text)]
        call = StaffCall(command, str(user.id), user.full_name, tuple(context.args or ()))
        incoming = self._incoming(update, user, text=message.text, staff=call)
        await self._turn(update, incoming)

    async def on_card(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A button on a request card: the pipeline decides; the card is edited in place."""
        query, user = update.callback_query, update.effective_user
        message = query.message if query and isinstance(query.message, Message) else None
        if query is None or user is None or message is None:
            return
        call = StaffCall(StaffCommand.CARD, str(user.id), user.full_name, (query.data or "",))
        outcome = await self._turn(
            update, self._incoming(update, user, staff=call, edit=message.message_id)
        )
        with contextlib.suppress(BadRequest):  # the press is older than Telegram keeps it
            await query.answer(outcome.notice, show_alert=outcome.alert)

    async def on_handled(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """After every handler: an update that was no turn is marked handled in the inbox (a
        turn marked its own, with its changes)."""
        if update.update_id in self._turns:
            self._turns.discard(update.update_id)
            return
        try:
            await self.assistant.mark_handled(Receipt(CHANNEL, str(update.update_id)))
        except Exception as error:
            log.warning("update %s not marked handled: %s", update.update_id, error)

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log with the update id only (the pipeline answered the resident already)."""
        update_id = update.update_id if isinstance(update, Update) else None
        log.error("Telegram update %s failed", update_id, exc_info=context.error)

    async def send(self, outgoing: Outgoing) -> bool:
        """Deliver one outbox message: edit the pressed message where asked (a new message when
        Telegram refuses), else send; a user who blocked the bot is not tried again."""
        chat_id = int(outgoing.address)
        reply = outgoing.reply
        try:
            if outgoing.edit is not None and await self._edit(chat_id, outgoing.edit, reply):
                return True
            await self._send(chat_id, reply)
        except Forbidden:
            raise PermanentDeliveryError("the user blocked the bot") from None
        except BadRequest as error:
            raise RejectedMessageError(str(error)) from None
        return True

    async def _turn(self, update: Update, incoming: Incoming) -> Outcome:
        """Hand the message to the pipeline; if the database could not take the answer, give
        it here, once, without the outbox."""
        self._turns.add(update.update_id)
        outcome = await self.assistant.turn(incoming)
        if not outcome.saved:
            for reply in outcome.replies:
                await self.send(Outgoing(incoming.channel, incoming.address, reply))
        return outcome

    def _incoming(self, update: Update, user: User, **fields: Any) -> Incoming:
        """An Incoming from this user, in this chat; the update id is its inbox receipt."""
        chat = update.effective_chat
        private = chat is None or chat.type == "private"
        hint = (user.language_code or "")[:2] or None
        return Incoming(
            CHANNEL if private else Channel.TELEGRAM_GROUP,
            str(user.id if private or chat is None else chat.id),
            language_hint=hint,
            can_share_phone=private,
            receipt=Receipt(CHANNEL, str(update.update_id)),
            **fields,
        )

    async def _send(self, chat_id: int, reply: Reply) -> None:
        """Send, retrying a dropped connection or a 5xx quickly (429 is the rate limiter's);
        what still fails goes back to the outbox, which tries again later."""
        for attempt in range(1, SEND_ATTEMPTS + 1):
            try:
                if reply.voice:  # passed on by its file id, the text as its caption
                    await self.bot.send_voice(chat_id, reply.voice, caption=caption(reply))
                    return
                await self._call(
                    "sendMessage",
                    {
                        "chat_id": chat_id,
                        "text": message_text(reply),
                        "reply_markup": markup(reply),
                    },
                )
                return
            except BadRequest:
                raise
            except NetworkError:
                if attempt == SEND_ATTEMPTS:
                    raise
                log.warning("sending to Telegram failed (attempt %d), retrying", attempt)
                await asyncio.sleep(0.5 * attempt)

    async def _edit(self, chat_id: int, message_id: int, reply: Reply) -> bool:
        """Edit in place; False when Telegram refuses (too old, deleted), so a new one is sent."""
        try:
            await self._call(
                "editMessageText",
                {
                    "chat_id": chat_id,
                    "message_id": message_id,
                    "text": message_text(reply),
                    "reply_markup": markup(reply),
                },
            )
        except BadRequest as error:
            return "not modified" in str(error).lower()
        return True

    async def _call(self, method: str, arguments: dict[str, Any]) -> None:
        """A Bot API call whose answer (the message as sent) is not needed: through the same
        request, limiter and errors as `send_message`, without building the message back into
        objects (a third of the event loop's time went there)."""
        await self.bot.do_api_request(
            method, api_kwargs={k: v for k, v in arguments.items() if v is not None}
        )


def _command(text: str) -> str:
    """ "/queue@my_bot args" -> "queue"."""
    return text.split()[0].lstrip("/").split("@")[0].lower()
