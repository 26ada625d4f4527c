"""Telegram update processing (per-chat order, no slot held while waiting) and limits (message
length, button data)."""

from __future__ import annotations

import asyncio
import json

from hypothesis import given, settings
from hypothesis import strategies as st
from telegram import Chat, InlineKeyboardMarkup, Message, Update, User
from telegram.constants import MessageLimit

from bot.channels.telegram.limits import PerChatUpdateProcessor
from bot.channels.telegram.render import markup, message_text
from dialogs.types import Choice, Reply


def _update(update_id: int, chat_id: int) -> Update:
    user = User(chat_id, "Ona", is_bot=False)
    chat = Chat(chat_id, "private")
    message = Message(update_id, None, chat, from_user=user, text=str(update_id))  # type: ignore[arg-type]
    return Update(update_id, message=message)


async def test_one_chat_in_order_other_chats_meanwhile() -> None:
    processor = PerChatUpdateProcessor(max_concurrent_updates=16)
    log: list[tuple[int, int]] = []

    async def work(chat_id: int, update_id: int, delay: float) -> None:
        await asyncio.sleep(delay)
        log.append((chat_id, update_id))

    jobs = [(1, 1, 0.05), (1, 2, 0.0), (1, 3, 0.0), (2, 4, 0.0)]
    await asyncio.gather(
        *(processor.process_update(_update(u, c), work(c, u, d)) for c, u, d in jobs)
    )
    assert [u for c, u in log if c == 1] == [1, 2, 3]  # the slow first update kept its place
    assert log.index((2, 4)) < log.index((1, 1))  # chat 2 did not wait for chat 1
    assert processor._locks == {}  # idle chats are forgotten


async def test_a_chat_waiting_for_its_turn_holds_no_processing_slot() -> None:
    """One chat with 200 updates queued, two slots: another chat is processed at once."""
    processor = PerChatUpdateProcessor(max_concurrent_updates=2)
    release = asyncio.Event()
    done: list[int] = []

    async def flood(update_id: int) -> None:
        await release.wait()
        done.append(update_id)

    async def other() -> None:
        done.append(-1)

    flooding = [
        asyncio.create_task(processor.process_update(_update(u, 1), flood(u)))
        for u in range(1, 201)
    ]
    await asyncio.sleep(0)  # every flooding update is waiting now
    await asyncio.wait_for(processor.process_update(_update(999, 2), other()), 1)
    assert done == [-1]
    release.set()
    await asyncio.gather(*flooding)
    assert done[1:] == list(range(1, 201))  # the flood kept its order


@settings(max_examples=200, deadline=None)
@given(
    text=st.one_of(st.text(min_size=1, max_size=300), st.text(min_size=4000, max_size=9000)),
    actions=st.lists(st.text(alphabet="abcžū:-0123456789", min_size=1, max_size=32), max_size=12),
)
def test_any_reply_renders_within_telegrams_limits(text: str, actions: list[str]) -> None:
    """Text of any length and any choices become a message Telegram accepts."""
    reply = Reply(text, tuple(Choice(f"label {a}", a) for a in actions))
    rendered = message_text(reply)
    assert 1 <= len(rendered) <= MessageLimit.MAX_TEXT_LENGTH
    assert rendered == text or rendered.endswith("…")
    sent = markup(reply)
    if actions:
        assert sent is not None
        keyboard = InlineKeyboardMarkup.de_json(json.loads(sent), None)
        data = [b.callback_data for row in keyboard.inline_keyboard for b in row]
        assert data == actions
        assert all(1 <= len(str(d).encode()) <= 64 for d in data)
    else:
        assert sent is None
