"""Where "today" comes from: the system clock, or a pinned date for demonstrations and tests."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Protocol
from zoneinfo import ZoneInfo

# Lithuania and Latvia share one time zone (EET/EEST); "today" is their calendar day.
LOCAL_ZONE = ZoneInfo("Europe/Vilnius")


class Clock(Protocol):
    """Tells the current time (timezone-aware)."""

    def now(self) -> datetime: ...


class SystemClock:
    """The real time."""

    def now(self) -> datetime:
        """Return the current UTC time."""
        return datetime.now(UTC)


class PinnedDateClock:
    """The real time of day on a fixed calendar date (`BOT_TODAY`)."""

    def __init__(self, day: date) -> None:
        self.day = day

    def now(self) -> datetime:
        """Return today's local time of day on the pinned date."""
        local = datetime.now(LOCAL_ZONE)
        return datetime.combine(self.day, local.timetz()).astimezone(UTC)


def local_today(clock: Clock) -> date:
    """The calendar day in Lithuania and Latvia."""
    return clock.now().astimezone(LOCAL_ZONE).date()
