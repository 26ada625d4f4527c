"""Telegram's pace: one chat's updates in order, and at most about one message a second to it."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from aiolimiter import AsyncLimiter
from telegram import Update
from telegram.ext import AIORateLimiter, BaseUpdateProcessor

MAX_RETRIES = 3  # RetryAfter (429) is waited out and retried this many times


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Processes different chats concurrently and one chat's updates strictly in order."""

    def __init__(self, max_concurrent_updates: int = 64) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._waiting: dict[int, int] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Wait for this chat's earlier updates, then process this one."""
        key = _chat_key(update)
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._waiting[key] = self._waiting.get(key, 0) + 1
        try:
            async with lock:
                await coroutine
        finally:
            self._waiting[key] -= 1
            if not self._waiting[key]:  # forget idle chats, so memory stays flat
                del self._waiting[key], self._locks[key]

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""


def _chat_key(update: object) -> int:
    if isinstance(update, Update):
        if update.effective_chat is not None:
            return update.effective_chat.id
        if update.effective_user is not None:
            return update.effective_user.id
    return 0


class PrivateChatRateLimiter(AIORateLimiter):
    """PTB's limiter (30/s overall, 20/min per group, RetryAfter) plus a pace per private chat."""

    def __init__(self, messages_per_second: float = 1.0, overall_per_second: float = 30.0) -> None:
        super().__init__(  # an overall rate of 0 turns PTB's overall limit off
            overall_max_rate=overall_per_second, overall_time_period=1, max_retries=MAX_RETRIES
        )
        self._period = 1 / messages_per_second
        self._chats: dict[int, AsyncLimiter] = {}

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Any]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Any:
        """Wait for the private chat's turn, then let PTB's limiter send."""
        chat_id = data.get("chat_id")
        send = super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
        if not isinstance(chat_id, int) or chat_id <= 0:
            return await send
        async with self._chat_limiter(chat_id):
            return await send

    def _chat_limiter(self, chat_id: int) -> AsyncLimiter:
        if len(self._chats) > 1024:  # drop limiters with full capacity: their chats are idle
            for key, limiter in list(self._chats.items()):
                if key != chat_id and limiter.has_capacity(limiter.max_rate):
                    del self._chats[key]
        return self._chats.setdefault(chat_id, AsyncLimiter(1, self._period))
