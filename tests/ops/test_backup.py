"""Backups and restore as an operator runs them: `python -m bot backup` while residents book
and file requests holds every turn committed before it; `restore` is refused while the bot
runs and for a truncated or foreign file, keeps the file it replaces, and the restored bot
delivers what the copy's outbox still held exactly once. A full or read-only disk is one
clear line; the running bot's own daily copy failing leaves it serving. Migrations are
preceded by a copy."""

from __future__ import annotations

import asyncio
import collections
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from storage import backup
from storage.db import Database
from storage.migrations import migrate
from tests.bot.fake_telegram import FakeTelegram
from tests.bot.test_crash import _drive, _shown
from tests.bot.test_run import _start, _stop
from tests.conftest import PROJECT

LOAD = {"BOT_OUTBOX_INTERVAL": "0.05", "BOT_TODAY": "2021-11-01"}
LOAD |= {"TELEGRAM_CHAT_RATE": "100", "TELEGRAM_OVERALL_RATE": "0"}


def _bot(*args: str, database: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """The CLI against a database, as an operator types it."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "TELEGRAM_"))}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=PROJECT,
        env={**clean, "BOT_DATABASE": str(database), **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _in_small_mount(size: str, options: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run a command with a fresh tmpfs (`size`, `options`) mounted at the last argument's
    folder, in a mount namespace of its own: a full or a read-only disk, for real."""
    folder = Path(args[-1]).parent
    folder.mkdir(parents=True, exist_ok=True)
    script = f'mount -t tmpfs -o size={size},{options} tmpfs {folder} && exec "$@"'
    return subprocess.run(
        ["unshare", "-m", "sh", "-c", script, "sh", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "PYTHONPATH": str(PROJECT)},
    )


@pytest.mark.slow
@pytest.mark.serial
async def test_the_drill_backup_under_load_restore_and_deliver_once(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    live, copy = tmp_path / "live" / "assistant.sqlite3", tmp_path / "off-site" / "copy.sqlite3"
    process = await _start(fake, live, **LOAD)
    personas = ["lt_isolation", "lv_booking"] * 4
    residents = asyncio.gather(
        *(_drive(fake, 4000 + n, persona, 45) for n, persona in enumerate(personas))
    )
    await fake.wait_until(lambda: len(_shown(fake)) >= 30, within=60)
    read_before = list(_shown(fake))  # each answer read was committed before the copy began
    taken = _bot("backup", str(copy), database=live)
    assert taken.returncode == 0, taken.stderr
    assert taken.stdout.startswith(f"backup: {copy} (")
    assert "integrity ok" in taken.stdout
    assert oct(copy.stat().st_mode & 0o777) == "0o600"
    refused = _bot("restore", str(copy), database=live)  # the bot still runs
    assert refused.returncode == 1
    assert refused.stderr.startswith("error: ")
    assert "stop the assistant first" in refused.stderr
    await residents
    await _stop(process, signal.SIGTERM)
    restored = _bot("restore", str(copy), database=live)
    assert restored.returncode == 0, restored.stderr
    kept = next(live.parent.glob("assistant.sqlite3.before-restore-*"))
    assert str(kept) in restored.stdout
    with sqlite3.connect(live) as conn:
        for call in read_before:
            text, chat = str(call.params["text"]), str(call.params["chat_id"])
            if text.startswith("Jūsų prašymas Nr."):
                number = int(text.split("Nr. ")[1].split()[0])
                found = "SELECT 1 FROM requests WHERE id = ? AND address = ?"
                assert conn.execute(found, (number, chat)).fetchone(), text
            if text.startswith("Pieraksts apstiprināts:"):
                found = "SELECT 1 FROM bookings WHERE address = ? AND status = 'active'"
                assert conn.execute(found, (chat,)).fetchone(), text
        held = {
            row[0]: (row[1], row[2])
            for row in conn.execute(
                "SELECT id, address, text FROM outbox WHERE status IN ('pending', 'sending')"
            )
        }
    # The restored bot sends what the copy's outbox held, each once.
    sent_before = len(fake.calls)
    process = await _start(fake, live, **LOAD)
    for _ in range(300):
        with sqlite3.connect(live) as conn:
            placeholders = ",".join("?" * len(held))
            delivered = {
                row[0]
                for row in conn.execute(
                    f"SELECT id FROM outbox WHERE status = 'sent' AND id IN ({placeholders})",
                    list(held),
                )
            }
        if len(delivered) == len(held):
            break
        await asyncio.sleep(0.1)
    await _stop(process, signal.SIGTERM)
    assert held, "the copy held messages not yet delivered (the staff group's paced cards)"
    assert delivered == set(held)
    after = collections.Counter(
        (str(c.params["chat_id"]), str(c.params["text"]))
        for c in fake.calls[sent_before:]
        if c.method in ("sendMessage", "editMessageText")
    )
    for address, text in held.values():
        assert after[(address, text)] == 1, text


def test_restore_refuses_truncated_and_foreign_files(tmp_path: Path) -> None:
    database = tmp_path / "assistant.sqlite3"
    asyncio.run(_made(database))
    good = tmp_path / "good.sqlite3"
    assert _bot("backup", str(good), database=database).returncode == 0
    again = _bot("backup", str(good), database=database)  # never over an existing file
    assert again.returncode == 1
    assert "exists: choose another name" in again.stderr
    truncated = tmp_path / "truncated.sqlite3"
    truncated.write_bytes(good.read_bytes()[:8192])
    foreign = tmp_path / "foreign.sqlite3"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE notes (text TEXT)")
    text = tmp_path / "notes.txt"
    text.write_text("not a database\n")
    before = database.read_bytes()
    for bad, reason in (
        (truncated, "is not a usable database"),
        (foreign, "is not a database of this assistant"),
        (text, "is not a usable database"),
        (tmp_path / "missing.sqlite3", "is not a usable database"),
    ):
        refused = _bot("restore", str(bad), database=database)
        assert refused.returncode == 1, bad
        assert refused.stderr.startswith("error: "), refused.stderr
        assert reason in refused.stderr, refused.stderr
        assert len(refused.stderr.strip().splitlines()) == 1
    assert database.read_bytes() == before  # nothing replaced
    assert not list(tmp_path.glob("*.before-restore-*"))


def test_a_full_or_read_only_disk_is_one_clear_line(tmp_path: Path) -> None:
    database = tmp_path / "assistant.sqlite3"
    asyncio.run(_made(database))
    command = [sys.executable, "-m", "bot", "backup"]
    env = {"BOT_DATABASE": str(database)}  # the CLI reads it from its environment
    for options, reason in (("rw", "disk is full"), ("ro", "read-only file system")):
        target = str(tmp_path / f"mount-{options}" / "copy.sqlite3")
        failed = _in_small_mount("16k", options, "env", *_pairs(env), *command, target)
        assert failed.returncode == 1, failed.stderr
        assert failed.stderr.startswith("error: backup to ")
        assert reason in failed.stderr
        assert len(failed.stderr.strip().splitlines()) == 1


@pytest.mark.slow
async def test_the_running_bot_copies_daily_and_survives_a_failing_copy(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    database = tmp_path / "bot" / "assistant.sqlite3"
    process = await _start(fake, database, BOT_BACKUP_KEEP="2", BOT_LOG_LEVEL="INFO")
    for _ in range(100):
        if list((database.parent / "backups").glob("daily-*.sqlite3")):
            break
        await asyncio.sleep(0.1)
    (daily,) = (database.parent / "backups").glob("daily-*.sqlite3")
    backup.check(daily)
    await _stop(process, signal.SIGTERM)
    # Copies into a folder it cannot write: one error line, and it answers residents.
    process = await _start(fake, database, BOT_BACKUP_DIR="/sys/socassist-backups")
    await fake.user_says(601, "/start elektrenai_lt")
    await fake.wait_for("sendMessage", 1, within=30)
    stderr = await _stop(process, signal.SIGTERM)
    failures = [line for line in stderr.splitlines() if "daily backup to" in line]
    assert len(failures) == 1, stderr
    assert "failed: operation not permitted" in failures[0]
    assert "Traceback" not in stderr


async def test_migrations_are_preceded_by_a_copy(tmp_path: Path) -> None:
    database = tmp_path / "assistant.sqlite3"
    raw = await _older(database, up_to=10)  # a database of an older release
    assert raw == list(range(1, 11))
    opened = await Database.open(database)
    await opened.close()
    (copy,) = (tmp_path / "backups").glob("pre-migration-0010-*.sqlite3")
    backup.check(copy)
    with sqlite3.connect(copy) as conn:
        versions = [row[0] for row in conn.execute("SELECT version FROM schema_migrations")]
    assert max(versions) == 10  # the copy is the database as it was
    again = await Database.open(database)  # nothing due: no new copy
    await again.close()
    assert len(list((tmp_path / "backups").glob("*.sqlite3"))) == 1


async def _made(database: Path) -> None:
    opened = await Database.open(database)
    await opened.close()


async def _older(database: Path, up_to: int) -> list[int]:
    import aiosqlite

    async with aiosqlite.connect(database, isolation_level=None) as conn:
        await conn.execute("BEGIN")
        applied = await migrate(conn, up_to=up_to)
        await conn.execute("COMMIT")
    return applied


def _pairs(env: dict[str, str]) -> list[str]:
    return [f"{key}={value}" for key, value in env.items()]
