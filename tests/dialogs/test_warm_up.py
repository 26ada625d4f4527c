"""Start-up loads what turns would load on first use (a stall of every turn queued behind the
first resident's): checked in a fresh process, where nothing else has loaded it yet."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import PROJECT

# Typed conversations in each language, a booking (public holidays, dates) and the menu's
# lists; after `warm_up` none of them may import a module.
SCRIPT = """
import asyncio, sys, tempfile
from datetime import date
from pathlib import Path
from dialogs.core.i18n import Catalogs
from dialogs.pipeline.engine import Engine
from dialogs.pipeline.warm import warm_up
from dialogs.types import Incoming
from storage.content import load_content
from storage.db import Database
from tests.conftest import CONTENT_DIR, LOCALES_DIR, FixedClock

CONVERSATIONS = {
    "elektrenai_lt": ["noriu užsiregistruoti į dušą rytoj", "kada dirba socialinis centras?"],
    "koknese_lv": ["vai var pierakstīties dušā?", "kādi pakalpojumi nestrādā?"],
    "daugavpils_ru": ["можно записаться в душ?", "zapisatsja na stirku"],
}

async def main() -> None:
    content, catalogs = load_content(CONTENT_DIR), Catalogs(LOCALES_DIR)
    clock = FixedClock(date(2021, 12, 20))
    with tempfile.TemporaryDirectory() as folder:
        database = await Database.open(Path(folder) / "warm.sqlite3")
        await asyncio.to_thread(warm_up, content, catalogs, date(2021, 12, 20))  # as at start
        loaded = set(sys.modules)
        engine = Engine(database, content, catalogs, clock)
        for number, (payload, lines) in enumerate(CONVERSATIONS.items()):
            address = f"resident-{number}"
            await engine.handle(Incoming("test", address, text=payload, start=True))
            for line in lines:
                await engine.handle(Incoming("test", address, text=line))
                await engine.handle(Incoming("test", address, text="/menu"))
        await database.close()
    print(" ".join(sorted(set(sys.modules) - loaded)))

asyncio.run(main())
"""


@pytest.mark.slow
def test_after_warm_up_the_first_turns_load_nothing() -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=PROJECT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == []
