"""Fixtures of the channel tests."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.bot.fake_telegram import FakeTelegram


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    """A fake Bot API server for one test."""
    server = FakeTelegram()
    await server.start()
    yield server
    await server.stop()
