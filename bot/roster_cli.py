"""`python -m bot roster`: the day's bookings for the staff at the door."""

from __future__ import annotations

import argparse
from datetime import date, datetime

from bot.app import make_clock
from bot.settings import Settings, SettingsError
from dialogs.core.clock import local_today
from storage import bookings
from storage.content import load_content
from storage.db import Database


def add_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the `roster` command."""
    parser = commands.add_parser("roster", help="print a day's bookings")
    parser.add_argument("--municipality", required=True)
    parser.add_argument("--date", help="YYYY-MM-DD or DD.MM.YYYY (default: today)")


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
    """Print each facility's bookings of the day: who, and certificate or contactless."""
    content = load_content(settings.content_dir)
    municipality = content.municipality(args.municipality)
    if municipality is None:
        known = ", ".join(sorted(content.municipalities))
        raise SettingsError(f"unknown municipality {args.municipality!r}; choose one of: {known}")
    day = _day(args.date, local_today(make_clock(settings)))
    database = await Database.open(settings.database_path)
    try:
        async with database.transaction() as conn:
            rows = await bookings.roster(conn, municipality.id, day)
    finally:
        await database.close()
    print(f"{municipality.name.get('en')}, {day.isoformat()}")
    for facility in municipality.facilities:
        mine = [(b, phone) for b, phone in rows if b.facility_id == facility.id]
        print(f"{facility.id}: {len(mine)} of {facility.places_per_day} places")
        for number, (booking, phone) in enumerate(mine, start=1):
            who = phone or f"resident {booking.resident_id} ({booking.channel})"
            how = (
                "contactless hand-over"
                if booking.contactless
                else (
                    f"certificate: {booking.certificate}"
                    if booking.certificate
                    else "no certificate needed"
                )
            )
            print(f"  {number}. {who}, {how}")
    return 0
