"""The composition root: content, catalogs, database and clock wired into one Engine."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from bot.settings import Settings
from dialogs.core.clock import Clock, PinnedDateClock, SystemClock
from dialogs.core.i18n import Catalogs
from dialogs.core.turn import BookingPolicy
from dialogs.pipeline.engine import Engine
from storage.content import Content, load_content
from storage.db import Database


def make_clock(settings: Settings) -> Clock:
    """The system clock, or one pinned to BOT_TODAY."""
    return PinnedDateClock(settings.today) if settings.today else SystemClock()


@asynccontextmanager
async def open_engine(settings: Settings, content: Content | None = None) -> AsyncIterator[Engine]:
    """Load everything, open the database, and close it when done."""
    content = content or load_content(settings.content_dir)
    catalogs = Catalogs(settings.locales_dir)
    database = await Database.open(settings.database_path)
    try:
        yield Engine(
            database,
            content,
            catalogs,
            make_clock(settings),
            idle_timeout=timedelta(minutes=settings.idle_minutes),
            policy=BookingPolicy(settings.reminder_hour, settings.offer_minutes),
            retention=timedelta(days=settings.retention_days),
        )
    finally:
        await database.close()
