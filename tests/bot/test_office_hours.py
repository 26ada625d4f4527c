"""Office hours where a municipality's content sets them: a request filed after hours is sent
as always, and the resident is told when staff will see it (the next opening, skipping the
weekend and public holidays); in hours nothing more is said."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, time
from pathlib import Path

import pytest

from dialogs.core.i18n import Catalogs
from dialogs.pipeline.engine import Engine
from dialogs.rules.opening import next_opening
from storage.content import ContentError, OfficeHours, load_content
from storage.db import Database
from tests.bot.fake_telegram import FakeTelegram
from tests.bot.telegram_harness import TelegramUser, running_bot
from tests.bot.test_desk import _file_food_request
from tests.conftest import CONTENT_DIR, FixedClock

HOURS = '\n[requests.office_hours]\nweekdays = [1, 2, 3, 4, 5]\nopens = "08:00"\ncloses = "17:00"\n'
WEEKDAYS = OfficeHours((1, 2, 3, 4, 5), time(8), time(17))


def _content_with(tmp_path: Path, extra: str) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, folder)
    with (folder / "elektrenai.toml").open("a", encoding="utf-8") as file:
        file.write(extra)
    return folder


@pytest.mark.parametrize(
    ("now", "opens"),
    [
        (datetime(2021, 11, 5, 10, 0, tzinfo=UTC), None),  # Friday 12:00 in Vilnius: open
        (datetime(2021, 11, 5, 17, 0, tzinfo=UTC), datetime(2021, 11, 8, 6, 0, tzinfo=UTC)),
        (datetime(2021, 11, 8, 4, 0, tzinfo=UTC), datetime(2021, 11, 8, 6, 0, tzinfo=UTC)),
        # All Saints' Day (1 Nov) and All Souls' Day (2 Nov) are Lithuanian holidays.
        (datetime(2021, 10, 29, 16, 0, tzinfo=UTC), datetime(2021, 11, 3, 6, 0, tzinfo=UTC)),
    ],
)
def test_the_next_opening(now: datetime, opens: datetime | None) -> None:
    assert next_opening(WEEKDAYS, "LT", now) == opens


def test_office_hours_that_cannot_be_read_are_refused(tmp_path: Path) -> None:
    folder = _content_with(tmp_path, HOURS.replace('"17:00"', '"07:00"'))
    with pytest.raises(ContentError, match="closes"):
        load_content(folder)


@pytest.mark.slow
async def test_a_request_filed_after_hours_says_when_staff_will_see_it(
    fake: FakeTelegram,
    tmp_path: Path,
    database: Database,
    catalogs: Catalogs,
    clock: FixedClock,
) -> None:
    engine = Engine(database, load_content(_content_with(tmp_path, HOURS)), catalogs, clock)
    clock.current = datetime(2021, 11, 5, 18, 30, tzinfo=UTC)  # Friday 20:30 in Elektrėnai
    async with running_bot(fake, engine, BOT_OUTBOX_INTERVAL="0.05"):
        ona = TelegramUser(fake, 801, "lt")
        await _file_food_request(ona)
        sent = fake.last_message(801)["text"]
        assert (
            "Šiuo metu ne darbo laikas: darbuotojai jūsų prašymą pamatys nuo"
            " 2021 m. lapkričio 8 d. 08:00." in sent
        )
        assert "112" in sent  # not the closed office's phone
        assert "(0-652)" not in sent
