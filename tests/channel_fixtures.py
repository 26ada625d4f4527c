"""Fixtures of the channel tests (the fake Bot API and the fake Twilio), for tests/bot and
tests/ops."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.bot.fake_telegram import FakeTelegram
from tests.bot.fake_twilio import FakeTwilio


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    """A fake Bot API server for one test."""
    server = FakeTelegram()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def twilio() -> AsyncIterator[FakeTwilio]:
    """A fake Twilio REST API for one test."""
    server = FakeTwilio()
    await server.start()
    yield server
    await server.stop()
