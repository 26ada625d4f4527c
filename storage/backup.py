"""Copies of the database: consistent while the assistant serves (SQLite's online backup API
reads one snapshot), checked (`integrity_check`), written with mode 0600 beside their final
name and moved into place only when whole; kept for N days; restored only while no process
has the database open (every process holds a shared lock on `<database>.lock`)."""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

SUFFIX = ".sqlite3"


class BackupError(RuntimeError):
    """A copy could not be made or used; the message is one line for the operator."""


@dataclass(frozen=True)
class Copy:
    """A finished copy."""

    path: Path
    size: int
    seconds: float


def take(source: Path, destination: Path) -> Copy:
    """Copy the database at `source` to `destination` (a file, or a folder for a dated name)
    while it is in use; check it; mode 0600. Raises BackupError with the reason."""
    started = time.monotonic()
    target = _target(destination)
    if target.exists() and not target.name.startswith("."):
        raise BackupError(f"{target} exists: choose another name, or a folder for a dated one")
    partial = target.with_name(f".{target.name}.partial")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.close(descriptor)
        reading = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        writing = sqlite3.connect(partial)
        with contextlib.closing(reading) as src, contextlib.closing(writing) as dst:
            src.backup(dst)  # one step: one consistent snapshot, writers go on (WAL)
            dst.execute("PRAGMA journal_mode=DELETE")  # a single file, no -wal beside it
        check(partial)
        os.chmod(partial, 0o600)
        os.replace(partial, target)
    except (OSError, sqlite3.Error) as error:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise BackupError(f"backup to {target} failed: {_reason(error)}") from None
    return Copy(target, target.stat().st_size, time.monotonic() - started)


def check(path: Path) -> None:
    """A readable SQLite database of this assistant that passes `integrity_check`."""
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            result = conn.execute("PRAGMA integrity_check").fetchone()
            ours = conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
            ).fetchone()
    except sqlite3.Error as error:
        raise BackupError(f"{path} is not a usable database: {_reason(error)}") from None
    if result is None or result[0] != "ok":
        raise BackupError(f"{path} fails the integrity check: {result[0] if result else '?'}")
    if ours is None:
        raise BackupError(f"{path} is not a database of this assistant (no schema_migrations)")


def prune(folder: Path, keep: int, prefix: str = "daily-") -> list[Path]:
    """Remove all but the newest `keep` copies named `prefix...`; the removed ones."""
    copies = sorted(folder.glob(f"{prefix}*{SUFFIX}"))
    removed = copies[: max(0, len(copies) - keep)]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def newest_age(folder: Path, prefix: str = "daily-") -> float | None:
    """Seconds since the newest copy named `prefix...` was written; None if there is none."""
    copies = list(folder.glob(f"{prefix}*{SUFFIX}"))
    if not copies:
        return None
    return time.time() - max(path.stat().st_mtime for path in copies)


def dated(folder: Path, prefix: str, now: datetime) -> Path:
    """A copy's name in `folder`: prefix and the moment, sortable."""
    return folder / f"{prefix}{now.strftime('%Y%m%d-%H%M%S')}{SUFFIX}"


@contextlib.contextmanager
def in_use(database: Path) -> Iterator[None]:
    """Held by every process while it has the database open (a shared lock)."""
    if str(database) == ":memory:":
        yield
        return
    with open(_lock_file(database), "a+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_SH)
        yield


def restore(source: Path, database: Path, now: datetime) -> Path:
    """Put the copy at `source` in place of `database`, keeping the file it replaces (returned).
    Refused while any process has the database open, or if the copy is not a sound database of
    this assistant; nothing is replaced then."""
    check(source)
    database.parent.mkdir(parents=True, exist_ok=True)
    with open(_lock_file(database), "a+b") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BackupError(
                f"{database} is in use: stop the assistant first (systemctl stop socassist)"
            ) from None
        kept = database.with_name(f"{database.name}.before-restore-{now:%Y%m%d-%H%M%S}")
        incoming = take(source, database.with_name(f".{database.name}.restoring"))
        if database.exists():
            os.replace(database, kept)
        for extra in ("-wal", "-shm"):  # the old file's journal goes with it
            old = database.with_name(database.name + extra)
            if old.exists():
                os.replace(old, kept.with_name(kept.name + extra))
        os.replace(incoming.path, database)
    return kept


def _target(destination: Path) -> Path:
    if destination.is_dir() or str(destination).endswith(os.sep):
        return dated(destination, "backup-", datetime.now())
    return destination


def _lock_file(database: Path) -> Path:
    return database.with_name(database.name + ".lock")


def _reason(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror.lower()
    return str(error) or type(error).__name__
