"""The one aiosqlite connection of a process: PRAGMAs, migrations, serialized transactions."""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Iterable
from contextlib import asynccontextmanager
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

import aiosqlite

from storage import backup
from storage.group_commit import MAX_UNITS, Unit, run_batch
from storage.migrations import available_migrations, migrate
from storage.rows import fetch_all

log = logging.getLogger(__name__)
MIGRATED = "SELECT version FROM schema_migrations"

PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA secure_delete=ON",  # erased values are overwritten, not left in free pages
)
BUSY_TIMEOUT_MS = 5000  # how long a write waits for another process's lock before giving up


class StorageError(RuntimeError):
    """The database cannot be opened or used; the message says why in plain words."""


class DatabaseUnavailableError(StorageError):
    """A write could not be done now (locked, disk full, read-only, I/O error); nothing of it
    was kept, and the same action may work later."""


class DatabaseLockedError(DatabaseUnavailableError):
    """Another process held the write lock for longer than the busy timeout: trying the same
    transaction again soon usually works."""


# SQLite's words for a database that cannot take writes now, and what to tell the operator.
UNAVAILABLE = (
    ("locked", "the database is locked by another process"),
    ("busy", "the database is locked by another process"),
    ("disk is full", "the disk is full"),
    ("readonly", "the database is read-only"),
    ("disk i/o error", "the disk reported an I/O error"),
)


class Database:
    """One connection; writers take turns through `transaction()`."""

    def __init__(self, connection: aiosqlite.Connection, path: str) -> None:
        self._connection = connection
        self._write_lock = asyncio.Lock()
        self.path = path
        self._pending: list[tuple[Unit, asyncio.Future[Any]]] = []  # units for the next batch
        self._flushing: asyncio.Task[None] | None = None
        # Held while open: a restore waits for every process to close the database.
        self._in_use = contextlib.ExitStack()

    @classmethod
    async def open(
        cls,
        path: str | Path,
        busy_timeout_ms: int = BUSY_TIMEOUT_MS,
        synchronous: str = "FULL",
        backup_dir: Path | None = None,
    ) -> Database:
        """Open (creating if needed) the database at `path` and bring its schema up to date,
        copying it to `backup_dir` (default: backups/ beside it) first when migrations are
        due; `synchronous` FULL makes each COMMIT survive a power cut (one fsync a group
        commit), NORMAL only a killed process."""
        location = str(path)
        if location != ":memory:":
            try:
                Path(location).parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise StorageError(f"cannot create the folder for {location}: {error}") from None
        try:
            # Probe with plain sqlite3 first: a failed aiosqlite.connect() leaves its worker
            # thread answering a loop that may be closed by then (a traceback at exit).
            await asyncio.to_thread(_probe, location)
            connection = await aiosqlite.connect(location, isolation_level=None)
        except sqlite3.Error as error:
            raise StorageError(_explain(location, error)) from None
        database = cls(connection, location)
        try:
            if location != ":memory:":
                database._in_use.enter_context(backup.in_use(Path(location)))
            # The busy timeout first: another process's lock is waited for, not failed on.
            if synchronous not in ("FULL", "NORMAL"):
                raise StorageError(f"synchronous={synchronous!r} must be FULL or NORMAL")
            first = (
                f"PRAGMA busy_timeout={int(busy_timeout_ms)}",
                f"PRAGMA synchronous={synchronous}",
            )
            for pragma in (*first, *PRAGMAS):
                # Fetched to the end: a statement left open would block the savepoints of
                # a group commit ("SQL statements in progress").
                await connection.execute_fetchall(pragma)
            await database._copy_before_migrating(backup_dir)
            async with database.transaction() as conn:
                await migrate(conn)
        except (sqlite3.Error, StorageError, backup.BackupError) as error:
            # Closed on every failure: aiosqlite's thread would keep the process alive.
            database._in_use.close()
            await connection.close()
            if isinstance(error, backup.BackupError):
                raise StorageError(f"{error}; nothing was migrated") from None
            if isinstance(error, StorageError):
                raise
            raise StorageError(_explain(location, error)) from None
        return database

    async def _copy_before_migrating(self, backup_dir: Path | None) -> None:
        """A copy of a database that has data, before migrations change it."""
        if self.path == ":memory:":
            return
        rows = await self._connection.execute_fetchall(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
        )
        if not list(rows):
            return  # a new database: nothing to keep
        applied = {r[0] for r in await self._connection.execute_fetchall(MIGRATED)}
        known = {m.version for m in available_migrations()}
        if applied - known:  # an older version started on a newer database (a rollback)
            newer = ", ".join(str(v) for v in sorted(applied - known))
            raise StorageError(
                f"{self.path} was upgraded by a newer version (migrations {newer}): install that"
                " version, or restore the copy taken before the upgrade (backups/pre-migration-*)"
            )
        due = [m.version for m in available_migrations() if m.version not in applied]
        if not applied or not due:
            return
        folder = backup_dir or Path(self.path).parent / "backups"
        name = backup.dated(folder, f"pre-migration-{max(applied):04d}-", datetime.now())
        copy = await asyncio.to_thread(backup.take, Path(self.path), name)
        log.warning("copied the database to %s before migrations %s", copy.path, due)

    async def close(self) -> None:
        """Close the connection, once the units queued are done."""
        if self._flushing is not None:
            with contextlib.suppress(Exception):
                await self._flushing
        await self._connection.close()
        self._in_use.close()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """Run a block as one write transaction, never interleaved with another; a database
        that cannot take writes now raises DatabaseUnavailableError, with nothing kept."""
        async with self._write_lock:
            try:
                await self._connection.execute("BEGIN IMMEDIATE")
                try:
                    yield self._connection
                except BaseException:
                    await self._rollback()
                    raise
                await self._connection.commit()
            except sqlite3.OperationalError as error:
                await self._rollback()
                raise _unavailable(self.path, error) from error

    async def unit(self, work: Unit) -> Any:
        """Run `work` in a group commit (see `storage.group_commit`): in the database's thread,
        in one transaction with the units queued meanwhile, under its own savepoint; its result
        comes back only once that transaction is committed. Its exception rolls back only its
        own changes; a database that cannot take writes raises DatabaseUnavailableError, with
        nothing of the batch kept."""
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        # Run in the caller's context (its log fields, such as the turn's id) in that thread.
        context = contextvars.copy_context()
        self._pending.append((partial(_in_context, context, work), future))
        if self._flushing is None or self._flushing.done():
            self._flushing = asyncio.create_task(self._flush())
        return await future

    async def _flush(self) -> None:
        """Run the queued units, batch after batch, until none are left."""
        while self._pending:
            batch = self._pending[:MAX_UNITS]
            del self._pending[:MAX_UNITS]
            try:
                async with self._write_lock:
                    # aiosqlite runs the function in its own thread, with its connection (the
                    # one hop of the whole batch).
                    results = await self._connection._execute(  # type: ignore[no-untyped-call]
                        run_batch, self._connection._conn, [work for work, _ in batch]
                    )
            except sqlite3.OperationalError as error:
                failure: BaseException = _unavailable(self.path, error)
                results = None
            except Exception as error:
                failure, results = error, None
            for index, (_, future) in enumerate(batch):
                if future.done():  # its turn was cancelled: the unit ran all the same
                    continue
                if results is None:
                    future.set_exception(failure)
                elif results[index].error is None:
                    future.set_result(results[index].value)
                else:
                    future.set_exception(self._explained(results[index].error))

    def _explained(self, error: BaseException) -> BaseException:
        """A unit's sqlite3 error as the storage error the callers know."""
        if isinstance(error, sqlite3.OperationalError):
            return _unavailable(self.path, error)
        return error

    async def checkpoint(self) -> None:
        """Copy the WAL into the database and truncate it, so that the old page images of
        erased values are gone from the -wal file too."""
        async with self._write_lock:
            await self._connection.execute_fetchall("PRAGMA wal_checkpoint(TRUNCATE)")

    async def fetchall(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        """Run a read-only query outside any transaction."""
        try:
            return await fetch_all(self._connection, sql, tuple(params))
        except sqlite3.OperationalError as error:
            raise _unavailable(self.path, error) from error

    async def _rollback(self) -> None:
        if self._connection.in_transaction:
            # SQLite may have rolled back by itself already (disk full, I/O error).
            with contextlib.suppress(sqlite3.Error):
                await self._connection.rollback()


def _in_context(context: contextvars.Context, work: Unit, conn: Any) -> Awaitable[Any]:
    """`work` driven in `context` (the group commit drives it in the database's thread)."""
    return _Driven(context, work(conn))


class _Driven:
    """An awaitable whose every step runs in a given context."""

    def __init__(self, context: contextvars.Context, coroutine: Awaitable[Any]) -> None:
        self._context = context
        self._coroutine: Any = coroutine

    def __await__(self) -> Any:
        return self

    def __iter__(self) -> Any:
        return self

    def __next__(self) -> Any:
        return self.send(None)

    def send(self, value: Any) -> Any:
        """One step of the coroutine, in the context."""
        return self._context.run(self._coroutine.send, value)

    def close(self) -> None:
        """Close the coroutine."""
        self._coroutine.close()


def _unavailable(location: str, error: sqlite3.OperationalError) -> StorageError:
    """DatabaseUnavailableError for a passing condition; StorageError for anything else."""
    message = str(error).lower()
    for words, meaning in UNAVAILABLE:
        if words in message:
            kind = DatabaseLockedError if words in ("locked", "busy") else DatabaseUnavailableError
            return kind(f"{meaning} ({location}: {error})")
    return StorageError(f"database {location}: {error}")


def _probe(location: str) -> None:
    sqlite3.connect(location).close()


def _explain(location: str, error: sqlite3.Error) -> str:
    message = str(error)
    if "not a database" in message or "malformed" in message:
        return (
            f"{location} is not a usable SQLite database ({message}); restore a backup or move it"
        )
    if "readonly" in message or "unable to open" in message:
        return (
            f"cannot write the database {location} ({message}); check the path and its permissions"
        )
    return f"database {location}: {message}"
