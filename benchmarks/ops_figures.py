"""Figures for the runbook: the database's growth per 1,000 residents in a month, and the
time and size of a backup of a database of 10,000 residents.

A resident's month here: the first contact (municipality and language), four conversations
(services, contacts, a service's page, their bookings or requests), a booking (Koknese) or a
request for help (Elektrėnai), each update journaled as Telegram sends it (the inbox keeps
its body), every answer through the outbox; the time rules run daily (retention purges
included). `python -m benchmarks.ops_figures [RESIDENTS]` (default 10,000)."""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from dialogs.core.i18n import Catalogs
from dialogs.pipeline.engine import Engine
from dialogs.types import Incoming, Receipt
from storage import backup
from storage.content import load_content
from storage.db import Database
from tests.conftest import CONTENT_DIR, LOCALES_DIR, FixedClock

STEPS = {
    "koknese_lv": ("services", "contacts", "book", "bk:shower", "mybk", "menu"),
    "elektrenai_lt": ("services", "contacts", "rq", "rqneed:food", "rqnext", "myrq"),
}


async def month(engine: Engine, residents: int, which: int, together: int = 200) -> None:
    """Each resident's month of conversations, `together` residents at a time."""
    for first in range(0, residents, together):
        last = min(first + together, residents)
        await asyncio.gather(*(resident(engine, number, which) for number in range(first, last)))


async def resident(engine: Engine, number: int, which: int) -> None:
    """One resident's month (`which`: the month's number, for the updates' ids)."""
    payload = "koknese_lv" if number % 2 else "elektrenai_lt"
    user = str(10_000_000 + number)
    for step, action in enumerate(("start", *STEPS[payload])):
        update = (which * 1_000_000 + number) * 10 + step
        body = {
            "update_id": update,
            "message": {"from": {"id": int(user), "first_name": "Ona"}, "text": action},
        }
        await engine.record_updates("telegram", [(str(update), json.dumps(body))])
        receipt = Receipt("telegram", str(update))
        if step == 0:
            incoming = Incoming("telegram", user, text=payload, start=True, receipt=receipt)
        else:
            incoming = Incoming("telegram", user, action=action, receipt=receipt)
        await engine.run(incoming)


async def measure(residents: int) -> dict[str, float]:
    """Grow a database by `residents` months of activity; its size, and a backup's."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "assistant.sqlite3"
        database = await Database.open(path)
        clock = FixedClock(date(2021, 11, 1))
        engine = Engine(database, load_content(CONTENT_DIR), Catalogs(LOCALES_DIR), clock)
        started = time.perf_counter()
        sizes = []
        for which in range(2):  # the second month is what a month adds once residents exist
            await month(engine, residents, which)
            # The month's days pass: sent texts and journaled updates are erased after a day
            # (their pages reused next month), reminders and offers expire.
            clock.current += timedelta(days=30)
            await engine.tick()
            await database.checkpoint()
            sizes.append(_size(path))
        spent = time.perf_counter() - started
        await database.close()
        copy = await asyncio.to_thread(backup.take, path, Path(folder) / "copy.sqlite3")
        return {
            "residents": residents,
            "turns_per_second": 2 * residents * 7 / spent,
            "database_mb_after_two_months": sizes[-1] / 1e6,
            # bytes per resident are kilobytes per 1,000 residents
            "growth_kb_per_1000_residents_first_month": sizes[0] / residents,
            "growth_kb_per_1000_residents_later_month": (sizes[1] - sizes[0]) / residents,
            "backup_seconds": copy.seconds,
            "backup_mb": copy.size / 1e6,
        }


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*") if p.is_file())


def main() -> None:
    """Print the figures as JSON."""
    residents = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    print(json.dumps(asyncio.run(measure(residents)), indent=2))


if __name__ == "__main__":
    main()
