"""Upgrades keep data: a database made by the first release (commit c6b4d99, driven through
its terminal chat: a food request, bookings in Latvian and by SMS in Russian, a staff invite;
kept in tests/data) upgrades in place with every resident, booking, request and outbox row
intact, a copy taken first; a second start changes nothing; the residents go on."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from dialogs.core.i18n import Catalogs
from dialogs.pipeline.engine import Engine
from dialogs.types import Incoming
from storage.content import Content
from storage.db import Database, StorageError
from tests.conftest import PROJECT, FixedClock

RELEASE = PROJECT / "tests" / "data" / "release-0.1.0.sqlite3"
KEPT = ("residents", "identities", "bookings", "requests", "outbox", "staff_invites", "waitlist")


def _rows(database: Path, table: str, columns: list[str] | None = None) -> list[tuple[object, ...]]:
    with sqlite3.connect(database) as conn:
        names = columns or [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
        return list(conn.execute(f"SELECT {', '.join(names)} FROM {table} ORDER BY rowid"))


def _columns(database: Path, table: str) -> list[str]:
    with sqlite3.connect(database) as conn:
        return [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]


def _dump(database: Path) -> list[str]:
    with sqlite3.connect(database) as conn:
        return list(conn.iterdump())


async def test_the_first_releases_database_upgrades_in_place(
    tmp_path: Path, content: Content, catalogs: Catalogs, clock: FixedClock
) -> None:
    database = tmp_path / "assistant.sqlite3"
    shutil.copy(RELEASE, database)
    before = {table: (_columns(database, table), _rows(database, table)) for table in KEPT}
    assert all(before[table][1] for table in ("requests", "bookings", "outbox"))
    upgraded = await Database.open(database)
    await upgraded.close()
    for table, (columns, rows) in before.items():
        assert _rows(database, table, columns) == rows, table  # every old column as it was
    (copy,) = (tmp_path / "backups").glob("pre-migration-0010-*.sqlite3")
    assert _rows(copy, "requests") == before["requests"][1]
    dump = _dump(database)
    again = await Database.open(database)
    await again.close()
    assert _dump(database) == dump  # a second start changes nothing
    assert len(list((tmp_path / "backups").iterdir())) == 1
    # The resident who filed the request finds it, and Anna her booking, on the new code.
    database_open = await Database.open(database)
    try:
        clock.current = clock.current.replace(year=2021, month=11, day=1)
        engine = Engine(database_open, content, catalogs, clock)
        (mine,) = await engine.handle(Incoming("console", "local", action="myrq"))
        assert mine.text.startswith("№ 1")  # in Russian, which this resident chose last
        (bookings,) = await engine.handle(Incoming("console", "anna", action="mybk"))
        assert "3. novembris" in bookings.text
    finally:
        await database_open.close()


async def test_an_older_version_refuses_a_database_a_newer_one_upgraded(tmp_path: Path) -> None:
    """A rollback without the restore: the old code would run on a schema it does not know;
    it stops with what to do instead."""
    database = tmp_path / "assistant.sqlite3"
    opened = await Database.open(database)
    await opened.close()
    with sqlite3.connect(database) as conn:
        conn.execute(
            "INSERT INTO schema_migrations (version, description, applied_at)"
            " VALUES (99, 'from the future', '2030-01-01')"
        )
    with pytest.raises(StorageError, match=r"upgraded by a newer version \(migrations 99\)"):
        await Database.open(database)
