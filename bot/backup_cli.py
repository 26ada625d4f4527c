"""`python -m bot backup DEST` and `python -m bot restore SRC`: the operator's copies of the
database (see README "Operating it")."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

from bot.settings import Settings
from storage import backup


def add_parsers(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the `backup` and `restore` commands."""
    take = commands.add_parser(
        "backup", help="copy the database while the assistant runs (checked, mode 0600)"
    )
    take.add_argument("destination", type=Path, help="a file, or a folder for a dated name")
    put = commands.add_parser(
        "restore", help="put a copy in place of the database (the assistant stopped)"
    )
    put.add_argument("source", type=Path)


def run(settings: Settings, args: argparse.Namespace) -> int:
    """Carry out `backup` or `restore`; one line on success, one `error:` line if not."""
    database = settings.database_path
    try:
        if args.command == "backup":
            if not database.exists():
                raise backup.BackupError(f"there is no database at {database}")
            copy = backup.take(database, args.destination)
            size = copy.size / 1_000_000
            print(f"backup: {copy.path} ({size:.1f} MB, integrity ok, {copy.seconds:.1f} s)")
            return 0
        kept = backup.restore(args.source, database, datetime.now())
        print(f"restored {args.source} into {database}; the file it replaced is kept as {kept}")
        print("start the assistant again: undelivered messages in the copy are sent once")
        return 0
    except backup.BackupError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
