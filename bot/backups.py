"""The running assistant's own copies: one a day into the backup folder (the newest
BOT_BACKUP_KEEP kept). A copy that fails is one error line; the assistant goes on."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import datetime
from pathlib import Path

from bot.settings import Settings
from storage import backup

log = logging.getLogger(__name__)
DAY = 24 * 3600.0
CHECK_EVERY = 3600.0  # seconds between looks at the newest copy's age


async def keep_daily_copies(settings: Settings, database: Path, stop: asyncio.Event) -> None:
    """Until `stop`: a copy of `database` whenever the newest is a day old (or none is)."""
    while not stop.is_set():
        await asyncio.to_thread(copy_if_due, settings, database)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), CHECK_EVERY)


def copy_if_due(settings: Settings, database: Path) -> None:
    """A daily copy if the newest is older than a day; old ones pruned."""
    folder = settings.backups(database)
    age = backup.newest_age(folder)
    if age is not None and age < DAY:
        return
    try:
        copy = backup.take(database, backup.dated(folder, "daily-", datetime.now()))
    except backup.BackupError as error:
        log.error("daily %s", error)
        return
    removed = backup.prune(folder, settings.backup_keep)
    log.info("daily backup %s (%d bytes); %d old removed", copy.path, copy.size, len(removed))
