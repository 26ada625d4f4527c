"""Replies as Telegram messages: inline keyboards for choices, a contact button for phones."""

from __future__ import annotations

import json
from functools import lru_cache

from telegram import (
    Bot,
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)
from telegram.constants import MessageLimit

from bot.channels.port import Assistant
from dialogs.core.i18n import N_
from dialogs.types import Reply

COMMANDS = (
    ("start", N_("Start the assistant")),
    ("menu", N_("Main menu")),
    ("help", N_("How to use the assistant")),
    ("language", N_("Change the language")),
    ("cancel", N_("Stop and go back to the menu")),
    ("forget", N_("Erase my personal data")),
)
COMMAND_LANGUAGES = ("lt", "lv", "ru")


def message_text(reply: Reply) -> str:
    """The reply's text, cut to Telegram's message limit."""
    limit = MessageLimit.MAX_TEXT_LENGTH
    return reply.text if len(reply.text) <= limit else reply.text[: limit - 1] + "…"


def caption(reply: Reply) -> str | None:
    """The reply's text as a media caption, cut to Telegram's caption limit."""
    limit = MessageLimit.CAPTION_LENGTH
    text = reply.text if len(reply.text) <= limit else reply.text[: limit - 1] + "…"
    return text or None


def markup(reply: Reply) -> str | None:
    """The `reply_markup` the Bot API receives, as JSON: choices as one inline button a row; a
    phone request as a one-time contact button."""
    if reply.ask_phone:
        button = KeyboardButton(reply.ask_phone, request_contact=True)
        keys = ReplyKeyboardMarkup([[button]], resize_keyboard=True, one_time_keyboard=True)
        return json.dumps(keys.to_dict())
    if not reply.choices:
        return None
    return _keyboard(tuple((c.label, c.action) for c in reply.choices))


@lru_cache(maxsize=1024)
def _keyboard(choices: tuple[tuple[str, str], ...]) -> str:
    """One inline button a row, as JSON; the same menus recur for every resident, so each is
    built and serialized once (PTB would turn its objects into JSON again on every send)."""
    keys = [[InlineKeyboardButton(label, callback_data=action)] for label, action in choices]
    return json.dumps(InlineKeyboardMarkup(keys).to_dict())


async def register_commands(bot: Bot, assistant: Assistant) -> None:
    """Publish the command list in English and in each language Telegram may show."""
    for lang in (None, *COMMAND_LANGUAGES):
        commands = [
            BotCommand(name, assistant.translate(lang, description))
            for name, description in COMMANDS
        ]
        await bot.set_my_commands(commands, language_code=lang)
