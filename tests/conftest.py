"""Shared fixtures: the bundled content, catalogs, a fixed clock and a chat driver."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from hypothesis import settings

from dialogs.core.i18n import Catalogs
from dialogs.pipeline.engine import Engine
from dialogs.types import Channel, Incoming, Outcome, Reply, StaffCall, StaffCommand
from storage.content import Content, load_content
from storage.db import Database

# Property tests draw the same cases on every run (CI stays reproducible);
# HYPOTHESIS_PROFILE=explore draws new ones each time.
settings.register_profile("repeatable", derandomize=True, database=None)
settings.register_profile("explore")
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

PROJECT = Path(__file__).resolve().parent.parent
CONTENT_DIR = PROJECT / "content"
LOCALES_DIR = PROJECT / "locales"


class FixedClock:
    """A clock that stands still until a test moves it."""

    def __init__(self, day: date, at: time = time(10, 0)) -> None:
        self.current = datetime.combine(day, at, tzinfo=UTC)

    def now(self) -> datetime:
        return self.current

    def advance(self, delta: timedelta) -> None:
        self.current += delta


class Chat:
    """One resident talking to an engine, keeping the last reply."""

    def __init__(self, engine: Engine, address: str = "resident-1", channel: str = "test") -> None:
        self.engine = engine
        self.address = address
        self.channel = channel
        self.last: Reply | None = None

    async def _send(self, incoming: Incoming) -> Reply:
        replies = await self.engine.handle(incoming)
        assert len(replies) == 1
        self.last = replies[0]
        return self.last

    async def start(self, payload: str = "", hint: str | None = None) -> Reply:
        return await self._send(
            Incoming(self.channel, self.address, text=payload, start=True, language_hint=hint)
        )

    async def say(self, text: str) -> Reply:
        return await self._send(Incoming(self.channel, self.address, text=text))

    async def press(self, action: str) -> Reply:
        return await self._send(Incoming(self.channel, self.address, action=action))

    async def choose(self, label_part: str) -> Reply:
        """Press the last reply's choice whose label contains `label_part`."""
        assert self.last is not None
        matches = [c for c in self.last.choices if label_part in c.label]
        assert len(matches) == 1, (label_part, [c.label for c in self.last.choices])
        return await self.press(matches[0].action)

    @property
    def labels(self) -> list[str]:
        assert self.last is not None
        return [choice.label for choice in self.last.choices]


@pytest.fixture(scope="session")
def content() -> Content:
    return load_content(CONTENT_DIR)


@pytest.fixture(scope="session")
def catalogs() -> Catalogs:
    return Catalogs(LOCALES_DIR)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(date(2020, 3, 20))


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[Database]:
    db = await Database.open(tmp_path / "test.sqlite3")
    yield db
    await db.close()


@pytest.fixture
def engine(database: Database, content: Content, catalogs: Catalogs, clock: FixedClock) -> Engine:
    return Engine(database, content, catalogs, clock)


@pytest.fixture
def chat(engine: Engine) -> Chat:
    return Chat(engine)


async def staff_call(
    engine: Engine,
    command: StaffCommand,
    user_id: str,
    *args: str,
    chat: tuple[str, str] | None = None,
    name: str | None = "Rasa",
) -> Outcome:
    """A staff member's command or card press through the pipeline, from their private chat
    (or from `chat`, a (channel, address) pair such as a group)."""
    channel, address = chat or (Channel.TELEGRAM, user_id)
    call = StaffCall(command, user_id, name, args)
    return await engine.run(Incoming(channel, address, text=" ".join(args), staff=call))
