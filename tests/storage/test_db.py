"""The database: migrations on fresh and existing files, serialized writes, clear errors."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import aiosqlite
import pytest

from storage import conversations, residents
from storage.db import Database, StorageError
from storage.migrations import available_migrations, migrate

NOW = datetime(2020, 3, 20, 10, 0, tzinfo=UTC)


async def _versions(db: Database) -> list[int]:
    rows = await db.fetchall("SELECT version FROM schema_migrations ORDER BY version")
    return [row[0] for row in rows]


async def test_fresh_database_gets_every_migration_once(tmp_path: Path) -> None:
    path = tmp_path / "fresh" / "bot.sqlite3"
    db = await Database.open(path)
    expected = [m.version for m in available_migrations()]
    assert await _versions(db) == expected
    assert (await db.fetchall("PRAGMA journal_mode"))[0][0] == "wal"
    assert (await db.fetchall("PRAGMA foreign_keys"))[0][0] == 1
    await db.close()
    reopened = await Database.open(path)  # a second start applies nothing again
    assert await _versions(reopened) == expected
    await reopened.close()


async def test_existing_database_is_upgraded_and_keeps_its_data(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    async with aiosqlite.connect(path, isolation_level=None) as conn:
        await conn.execute("BEGIN")
        assert await migrate(conn, up_to=1) == [1]
        # Rows as version 1 wrote them.
        await conn.execute(
            "INSERT INTO residents (id, municipality_id, language, created_at)"
            " VALUES (1, 'koknese', 'lv', '2020-03-20')"
        )
        await conn.execute(
            "INSERT INTO identities (channel, address, resident_id, created_at)"
            " VALUES ('sms', '+37060000000', 1, '2020-03-20')"
        )
        await conn.commit()
    db = await Database.open(path)
    assert await _versions(db) == [m.version for m in available_migrations()]
    async with db.transaction() as conn:
        resident = await residents.find_or_create(conn, "sms", "+37060000000", NOW)
        assert (resident.id, resident.municipality_id, resident.language) == (1, "koknese", "lv")
        assert resident.phone is None
        state = await conversations.load(conn, "sms", "+37060000000")
        state.step = "search"
        await conversations.save(conn, state, NOW)
    await db.close()


async def test_conversation_state_round_trips(database: Database) -> None:
    async with database.transaction() as conn:
        await residents.find_or_create(conn, "test", "a", NOW)
        state = conversations.Conversation("test", "a", "contacts", "search", {"back": "menu"})
        state.choices = [("Kontaktai", "contacts"), ("Ž", "dept:x")]
        await conversations.save(conn, state, NOW)
    async with database.transaction() as conn:
        loaded = await conversations.load(conn, "test", "a")
    assert (loaded.dialog, loaded.step, loaded.data) == ("contacts", "search", {"back": "menu"})
    assert loaded.choices == [("Kontaktai", "contacts"), ("Ž", "dept:x")]
    assert loaded.updated_at == NOW


async def test_transactions_do_not_interleave(database: Database) -> None:
    async with database.transaction() as conn:
        await conn.execute("CREATE TABLE counter (n INTEGER NOT NULL)")
        await conn.execute("INSERT INTO counter VALUES (0)")

    async def increment() -> None:
        async with database.transaction() as conn:
            async with conn.execute("SELECT n FROM counter") as cursor:
                row = await cursor.fetchone()
            assert row is not None
            await asyncio.sleep(0)  # let the other coroutines run between read and write
            await conn.execute("UPDATE counter SET n = ?", (row[0] + 1,))

    await asyncio.gather(*(increment() for _ in range(50)))
    assert (await database.fetchall("SELECT n FROM counter"))[0][0] == 50


async def test_failed_transaction_is_rolled_back(database: Database) -> None:
    async def fail_midway() -> None:
        async with database.transaction() as conn:
            await residents.find_or_create(conn, "test", "b", NOW)
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        await fail_midway()
    assert await database.fetchall("SELECT * FROM identities") == []


async def test_corrupted_file_gives_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StorageError, match="not a usable SQLite database"):
        await Database.open(path)
    assert path.read_bytes().startswith(b"this is not a database")  # nothing overwritten


async def test_path_under_a_file_gives_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StorageError, match="cannot create the folder"):
        await Database.open(blocker / "bot.sqlite3")


async def test_verified_phone_joins_the_resident_who_already_has_it(database: Database) -> None:
    async with database.transaction() as conn:
        sms = await residents.find_or_create(conn, "sms", "+37060000009", NOW)
        await residents.save_preferences(conn, residents.Resident(sms.id, "elektrenai", None))
        await residents.verify_phone(conn, "sms", "+37060000009", "+37060000009")
        telegram = await residents.find_or_create(conn, "telegram", "42", NOW)
        await residents.save_preferences(conn, residents.Resident(telegram.id, "koknese", "ru"))
        owner = await residents.verify_phone(conn, "telegram", "42", "+37060000009")
        assert owner == sms.id
        joined = await residents.find_or_create(conn, "telegram", "42", NOW)
    # The owner keeps its municipality and takes the language it lacked.
    assert (joined.id, joined.municipality_id, joined.language) == (sms.id, "elektrenai", "ru")
    assert joined.phone == "+37060000009"
