"""The baseline: a minimal python-telegram-bot echo bot, in-process or as its own process.

Run against a Bot API server: TELEGRAM_BASE_URL=http://127.0.0.1:PORT python -m benchmarks.echo
"""

from __future__ import annotations

import os

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)
from telegram.request import BaseRequest

from storage.db import Database

TOKEN = "123456:BENCHMARK"


def echo_bot(
    api: BaseRequest | None = None, base_url: str | None = None, store: Database | None = None
) -> Application:  # type: ignore[type-arg]
    """The minimal bot: text back as it came (a contact card as "ok"), a button's data as the
    edited message; answering in-process through `api`, or over HTTP to `base_url`. With a
    `store`, each update is first written in one transaction, as any bot that keeps state."""

    async def keep(update: Update) -> None:
        if store is not None:
            async with store.transaction() as conn:
                await conn.execute(
                    "INSERT INTO echo_log (update_id, body) VALUES (?, ?)",
                    (update.update_id, str(update.to_dict())),
                )

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await keep(update)
        if update.effective_message is not None:
            await update.effective_message.reply_text(update.effective_message.text or "ok")

    async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await keep(update)
        query = update.callback_query
        if query is not None:
            await query.answer()
            await query.edit_message_text(query.data or "")

    builder = Application.builder().token(TOKEN)
    if api is not None:
        builder = builder.request(api).get_updates_request(api)
    if base_url is not None:
        builder = builder.base_url(f"{base_url}/bot")
    application = builder.build()
    application.add_handler(MessageHandler(filters.TEXT | filters.CONTACT, echo))
    application.add_handler(CallbackQueryHandler(button))
    return application


# An answer the size of the assistant's: a few lines and a menu of buttons.
CANNED_TEXT = "Elektrėnų socialinių paslaugų centras. Ką norėtumėte sužinoti?\n" * 3
CANNED_BUTTONS = ("contacts", "services", "certificates", "book", "rq", "human", "help")


def canned_bot(api: BaseRequest) -> Application:  # type: ignore[type-arg]
    """The framework's floor: the same kind of answers as the assistant's (text and a keyboard
    of buttons), canned, with no engine and no database."""
    keyboard = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(f"{n}. {data}", callback_data=data)]
            for n, data in enumerate(CANNED_BUTTONS, start=1)
        ]
    )

    async def answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is not None:
            await query.answer()
            await query.edit_message_text(CANNED_TEXT, reply_markup=keyboard)
        elif update.effective_message is not None:
            await update.effective_message.reply_text(CANNED_TEXT, reply_markup=keyboard)

    application = Application.builder().token(TOKEN).request(api).get_updates_request(api).build()
    application.add_handler(MessageHandler(filters.TEXT | filters.CONTACT, answer))
    application.add_handler(CallbackQueryHandler(answer))
    return application


async def open_store(path: str) -> Database:
    """A SQLite file for the storing echo bot."""
    store = await Database.open(path)
    async with store.transaction() as conn:
        await conn.execute("CREATE TABLE IF NOT EXISTS echo_log (update_id INTEGER, body TEXT)")
    return store


if __name__ == "__main__":
    echo_bot(base_url=os.environ["TELEGRAM_BASE_URL"]).run_polling(close_loop=False)
