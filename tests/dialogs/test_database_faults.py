"""A database that cannot take writes (locked, full, read-only): the resident is asked to try
again later, the operator gets one clear log line, and the assistant goes on afterwards."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from dialogs.core.i18n import Catalogs
from dialogs.pipeline.engine import Engine
from storage.content import Content
from storage.db import Database
from tests.conftest import Chat, FixedClock

UNAVAILABLE_LT = "Atsiprašau, sistema laikinai neveikia. Pabandykite vėliau."
UNAVAILABLE_EN = "Sorry, the service is unavailable for a moment. Please try again later."
MENU_LT = "Elektrėnų socialinių paslaugų centras. Ką norėtumėte sužinoti?"


@pytest.fixture
async def impatient(tmp_path: Path) -> AsyncIterator[Database]:
    """A database that waits only 0.1 s for another process's lock."""
    database = await Database.open(tmp_path / "faults.sqlite3", busy_timeout_ms=100)
    yield database
    await database.close()


@pytest.fixture
def chat_on(impatient: Database, content: Content, catalogs: Catalogs, clock: FixedClock) -> Chat:
    return Chat(Engine(impatient, content, catalogs, clock), address="faulty-1")


def _one_clear_line(caplog: pytest.LogCaptureFixture, meaning: str) -> None:
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1, [r.getMessage() for r in errors]
    assert meaning in errors[0].getMessage()
    assert errors[0].exc_info is None  # a line, not a traceback
    assert "faulty-1" not in errors[0].getMessage()  # who wrote is personal data


async def test_locked_by_another_process(
    chat_on: Chat, impatient: Database, caplog: pytest.LogCaptureFixture
) -> None:
    await chat_on.start("elektrenai_lt")
    other = sqlite3.connect(impatient.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # say, a certificate import in another process
    try:
        with caplog.at_level(logging.WARNING):
            reply = await chat_on.say("kontaktai")
    finally:
        other.rollback()
        other.close()
    assert reply.text == UNAVAILABLE_LT
    assert [c.action for c in reply.choices] == ["menu"]
    _one_clear_line(caplog, "the database is locked by another process")
    reply = await chat_on.say("kontaktai")  # the lock is gone: the same words work
    assert reply.text.startswith("Į ką norite kreiptis?")


async def test_read_only(
    chat_on: Chat, impatient: Database, caplog: pytest.LogCaptureFixture
) -> None:
    await chat_on.start("elektrenai_lt")
    await impatient.fetchall("PRAGMA query_only = ON")  # what a read-only file or mount does
    with caplog.at_level(logging.WARNING):
        reply = await chat_on.press("contacts")
    assert reply.text == UNAVAILABLE_LT
    _one_clear_line(caplog, "the database is read-only")
    await impatient.fetchall("PRAGMA query_only = OFF")
    reply = await chat_on.press("contacts")
    assert reply.text.startswith("Į ką norite kreiptis?")


async def test_disk_full(
    chat_on: Chat, impatient: Database, caplog: pytest.LogCaptureFixture
) -> None:
    await chat_on.start("elektrenai_lt")
    (pages,) = await impatient.fetchall("PRAGMA page_count")
    await impatient.fetchall(f"PRAGMA max_page_count = {pages[0]}")  # no page can be added
    engine = chat_on.engine
    replies = []
    with caplog.at_level(logging.WARNING):
        for number in range(300):  # new residents fill the free space of the pages there are
            resident = Chat(engine, address=f"new-{number}")
            replies.append(await resident.start("elektrenai_lt"))
            if replies[-1].text == UNAVAILABLE_EN:  # a first contact: no language known yet
                break
    assert replies[-1].text == UNAVAILABLE_EN
    assert all(MENU_LT in reply.text for reply in replies[:-1])
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1
    assert "the disk is full" in errors[0].getMessage()
    await impatient.fetchall("PRAGMA max_page_count = 1073741823")
    reply = await Chat(engine, address="after").start("elektrenai_lt")
    assert MENU_LT in reply.text
    # Nothing half-written: every resident has its identity and its conversation, or neither.
    rows = await impatient.fetchall(
        "SELECT COUNT(*) FROM identities i LEFT JOIN conversations c"
        " ON c.channel = i.channel AND c.address = i.address WHERE c.address IS NULL"
    )
    assert rows[0][0] == 0


async def test_a_lock_held_a_little_past_the_busy_timeout_still_ends_in_an_answer(
    chat_on: Chat, impatient: Database, caplog: pytest.LogCaptureFixture
) -> None:
    """Another process (a CLI import) holds the write lock a bit longer than the busy timeout:
    the turn is tried again and the resident gets the real answer, not "try again later"."""
    await chat_on.start("elektrenai_lt")
    other = sqlite3.connect(impatient.path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")

    async def release_later() -> None:
        await asyncio.sleep(0.18)  # past the first try's 0.1 s, within the second's
        other.rollback()

    releasing = asyncio.create_task(release_later())
    with caplog.at_level(logging.WARNING):
        reply = await chat_on.say("kontaktai")
    await releasing
    other.close()
    assert reply.text.startswith("Į ką norite kreiptis?")
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
