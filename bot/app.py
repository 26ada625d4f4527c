"""The composition root: content, catalogs, database and clock wired into one Engine; the
facade channels get; delivery with the pacing of each channel."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from datetime import timedelta

from bot.assistant import AssistantFacade
from bot.delivery import Delivery, Sender
from bot.metrics import Metrics
from bot.settings import Settings
from dialogs.core.clock import Clock, PinnedDateClock, SystemClock
from dialogs.core.i18n import Catalogs
from dialogs.core.turn import BookingPolicy
from dialogs.pipeline.engine import Engine
from dialogs.pipeline.sms_policy import SmsPolicy
from dialogs.types import Channel
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
    database = await Database.open(
        settings.database_path, synchronous=settings.synchronous, backup_dir=settings.backups()
    )
    try:
        yield Engine(
            database,
            content,
            catalogs,
            make_clock(settings),
            idle_timeout=timedelta(minutes=settings.idle_minutes),
            policy=BookingPolicy(settings.reminder_hour, settings.offer_minutes),
            retention=timedelta(days=settings.retention_days),
            sms=sms_policy(settings),
        )
    finally:
        await database.close()


def sms_policy(settings: Settings) -> SmsPolicy:
    """SMS_FLOOD_LIMIT and SMS_MAX_SEGMENTS."""
    return SmsPolicy(flood_limit=settings.sms_flood_limit, max_segments=settings.sms_max_segments)


def pacing(settings: Settings) -> dict[str, float]:
    """Seconds between two messages to one destination, per channel. A group's 20 a minute
    (bursts allowed) is python-telegram-bot's limiter's, at the same place: where they leave."""
    return {Channel.TELEGRAM: 1 / settings.telegram_chat_rate}


def wire(
    engine: Engine, settings: Settings, senders: Mapping[str, Sender] | None = None
) -> tuple[AssistantFacade, Delivery]:
    """The facade channels get, and the delivery that wakes when a turn commits (senders
    are added as channels start)."""
    engine.configure_sms(sms_policy(settings))  # the process's settings, whoever built it
    delivery = Delivery(engine, senders or {}, pacing(settings), settings.outbox_interval)
    metrics = Metrics(engine, settings)
    delivery.on_result = metrics.delivered
    return AssistantFacade(engine, delivery, metrics), delivery
