"""One chat's updates strictly in order, other chats meanwhile; a chat waiting for its turn
holds none of python-telegram-bot's processing slots (a flooding chat cannot starve others)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import AIORateLimiter, BaseUpdateProcessor

MAX_RETRIES = 3  # RetryAfter (429) is waited out and retried this many times
WAITING_UPDATES = 100_000  # updates that may wait for their chat's turn at once


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Processes different chats concurrently and one chat's updates strictly in order."""

    def __init__(self, max_concurrent_updates: int = 64) -> None:
        # PTB takes one of its slots before anything an update waits for (and its
        # process_update is final): its slots are made plentiful, and ours are taken only
        # once the chat's turn has come.
        super().__init__(WAITING_UPDATES)
        self._slots = asyncio.Semaphore(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._waiting: dict[int, int] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Wait for this chat's earlier updates, then for a slot, then process this one."""
        key = _chat_key(update)
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._waiting[key] = self._waiting.get(key, 0) + 1
        try:
            async with lock, self._slots:
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


def rate_limiter(overall_per_second: float) -> AIORateLimiter:
    """PTB's limiter where messages leave: 30/s overall (0: off), 20/min per group, RetryAfter
    waited out. The pace per private chat is delivery's (bot/delivery.py)."""
    return AIORateLimiter(
        overall_max_rate=overall_per_second, overall_time_period=1, max_retries=MAX_RETRIES
    )
