"""`python -m bot certificates import|export`: staff load and save a municipality's register."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.settings import Settings, SettingsError
from dialogs.core.clock import SystemClock
from storage import certificates
from storage.certificate_csv import changes, parse_register, write_register
from storage.content import Municipality, load_content
from storage.db import Database


def add_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the `certificates` command and its two actions."""
    parser = commands.add_parser("certificates", help="the status-certificate register")
    actions = parser.add_subparsers(dest="action", required=True)
    load = actions.add_parser("import", help="load a CSV file (all rows or none)")
    load.add_argument("file", type=Path)
    load.add_argument("--municipality", required=True)
    load.add_argument(
        "--dry-run", action="store_true", help="show what would change, change nothing"
    )
    save = actions.add_parser("export", help="write the register as CSV")
    save.add_argument("--municipality", required=True)
    save.add_argument("--output", type=Path, help="file to write (default: standard output)")


async def run(settings: Settings, args: argparse.Namespace) -> int:
    """Carry out `certificates import` or `certificates export`."""
    municipality = _municipality(settings, args.municipality)
    database = await Database.open(settings.database_path)
    try:
        if args.action == "export":
            return await _export(database, municipality, args.output)
        return await _import(database, municipality, args.file, args.dry_run)
    finally:
        await database.close()


def _municipality(settings: Settings, municipality_id: str) -> Municipality:
    content = load_content(settings.content_dir)
    municipality = content.municipality(municipality_id)
    if municipality is None:
        known = ", ".join(sorted(content.municipalities))
        raise SettingsError(f"unknown municipality {municipality_id!r}; choose one of: {known}")
    if municipality.certificates is None:
        raise SettingsError(f"{municipality_id} has no certificate register in its content")
    return municipality


def _read(file: Path) -> str:
    try:
        return file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise SettingsError(f"cannot read {file} as UTF-8 text: {error}") from None


async def _import(database: Database, municipality: Municipality, file: Path, dry_run: bool) -> int:
    rows, errors = parse_register(_read(file), municipality)
    if errors:
        for problem in errors:
            print(f"{file}: {problem}", file=sys.stderr)
        print(f"{len(errors)} bad row(s): nothing was imported", file=sys.stderr)
        return 1
    async with database.transaction() as conn:
        existing = await certificates.all_of(conn, municipality.id)
        plan = changes(existing, rows)
        if not dry_run:
            await certificates.upsert(conn, municipality.id, rows, SystemClock().now())
    for change in plan:
        if change.action != "unchanged":
            detail = f" ({', '.join(change.changed)})" if change.changed else ""
            print(f"{change.action} {change.number}{detail}")
    counts = {
        action: sum(c.action == action for c in plan) for action in ("new", "updated", "unchanged")
    }
    verb = "would import" if dry_run else "imported"
    print(
        f"{verb}: {counts['new']} new, {counts['updated']} updated, {counts['unchanged']} unchanged"
    )
    return 0


async def _export(database: Database, municipality: Municipality, output: Path | None) -> int:
    async with database.transaction() as conn:
        register = await certificates.all_of(conn, municipality.id)
    if output is None:
        write_register(register, sys.stdout)
    else:
        with output.open("w", encoding="utf-8", newline="") as stream:
            write_register(register, stream)
        print(f"{len(register)} certificate(s) written to {output}", file=sys.stderr)
    return 0
