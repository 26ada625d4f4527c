"""Telegram pacing (per-chat order of updates, about one message a second per chat) and limits
(message length, button data)."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from telegram import Chat, InlineKeyboardMarkup, Message, Update, User
from telegram.constants import MessageLimit

from bot.channels.telegram.limits import PerChatUpdateProcessor, PrivateChatRateLimiter
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


async def test_private_chats_are_paced_groups_and_queries_are_not_held() -> None:
    limiter = PrivateChatRateLimiter(messages_per_second=4)
    sent: list[tuple[Any, float]] = []

    async def send(key: Any) -> bool:
        sent.append((key, time.monotonic()))
        return True

    async def request(data: dict[str, Any]) -> Any:
        return await limiter.process_request(send, (data.get("chat_id"),), {}, "x", data, None)

    start = time.monotonic()
    await asyncio.gather(*(request({"chat_id": 7}) for _ in range(3)), request({}))
    times = sorted(at - start for key, at in sent if key == 7)
    assert times[2] - times[0] >= 0.4  # three messages to one chat at 4/s: two waits of 0.25 s
    assert [key for key, _ in sent].count(None) == 1


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
    keyboard = markup(reply)
    if actions:
        assert isinstance(keyboard, InlineKeyboardMarkup)
        data = [b.callback_data for row in keyboard.inline_keyboard for b in row]
        assert data == actions
        assert all(1 <= len(str(d).encode()) <= 64 for d in data)
    else:
        assert keyboard is None
