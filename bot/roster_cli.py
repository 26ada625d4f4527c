"""`python -m bot roster`: the day's bookings for the staff at the door."""

from __future__ import annotations

import argparse
from datetime import date, datetime

from bot.app import make_clock
from bot.settings import Settings, SettingsError
from dialogs.core.clock import local_today
from dialogs.core.i18n import LANGUAGES, Catalogs
from dialogs.staff.roster import as_set_now, roster_text
from storage import bookings
from storage.content import load_content
from storage.db import Database


def add_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the `roster` command."""
    parser = commands.add_parser("roster", help="print a day's bookings")
    parser.add_argument("--municipality", required=True)
    parser.add_argument("--date", help="YYYY-MM-DD or DD.MM.YYYY (default: today)")
    parser.add_argument(
        "--lang", choices=LANGUAGES, help="the staff's language (default: the municipality's)"
    )


def _day(text: str | None, today: date) -> date:
    if not text:
        return today
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise SettingsError(f"--date {text!r} is not a date like 2021-11-04 or 04.11.2021")


async def run(settings: Settings, args: argparse.Namespace) -> int:
    """Print each facility's bookings of the day (or that it is closed): who, by phone where
    one is known, and the certificate or the contactless hand-over; as /today prints them."""
    content = load_content(settings.content_dir)
    municipality = content.municipality(args.municipality)
    if municipality is None:
        known = ", ".join(sorted(content.municipalities))
        raise SettingsError(f"unknown municipality {args.municipality!r}; choose one of: {known}")
    day = _day(args.date, local_today(make_clock(settings)))
    t = Catalogs(settings.locales_dir).get(args.lang or municipality.default_language)
    database = await Database.open(settings.database_path)
    try:
        async with database.transaction() as conn:
            rows = await bookings.roster(conn, municipality.id, day)
            municipality = await as_set_now(conn, municipality)
    finally:
        await database.close()
    print(roster_text(t, municipality, day, rows))
    return 0
