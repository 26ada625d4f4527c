"""`python -m bot run` as operators start it: a real process against the fake Bot API."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from storage import outbox
from storage.db import Database
from tests.bot.fake_telegram import FakeTelegram
from tests.bot.sms_harness import free_port
from tests.bot.telegram_harness import TOKEN
from tests.conftest import PROJECT

# processes, crashes or many generated cases; timed under load: never beside other tests
pytestmark = [pytest.mark.slow, pytest.mark.serial]


async def _spawn(**env: str) -> asyncio.subprocess.Process:
    """`python -m bot run` with the given variables and a bot token (on a web port of its
    own: tests run side by side)."""
    env = {"HTTP_PORT": str(free_port()), **env}
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=PROJECT,
        env={**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "BOT_TODAY": "2020-03-20", **env},
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def _start(fake: FakeTelegram, database: Path, **extra: str) -> asyncio.subprocess.Process:
    process = await _spawn(TELEGRAM_BASE_URL=fake.url, BOT_DATABASE=str(database), **extra)
    await fake.wait_for("deleteWebhook", len(fake.sent("deleteWebhook")) + 1, within=30)
    return process


async def _stop(process: asyncio.subprocess.Process, signum: int) -> str:
    process.send_signal(signum)
    _, stderr = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 0, stderr.decode()
    return stderr.decode()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
async def test_run_serves_and_stops_cleanly(
    fake: FakeTelegram, tmp_path: Path, signum: int
) -> None:
    process = await _start(fake, tmp_path / "bot.sqlite3", BOT_LOG_LEVEL="INFO")
    await fake.user_says(601, "/start elektrenai_lt")
    await fake.wait_for("sendMessage", 1, within=30)
    stderr = await _stop(process, signum)
    assert "Traceback" not in stderr
    assert "polling for updates" in stderr
    assert TOKEN.split(":")[1] not in stderr  # the token is a secret, even at INFO
    assert "601" not in stderr  # so is who wrote
    assert "Ką norėtumėte sužinoti?" in fake.sent()[0].params["text"]
    assert {c.params.get("language_code") for c in fake.sent("setMyCommands")} == {
        None,
        "lt",
        "lv",
        "ru",
    }


async def test_no_update_is_lost_or_answered_twice_across_a_restart(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    database = tmp_path / "bot.sqlite3"
    process = await _start(fake, database)
    await fake.user_says(602, "/start elektrenai_lt")
    await fake.wait_for("sendMessage", 1, within=30)
    await fake.user_says(602, "kontaktai")
    await fake.user_says(602, "3")
    await _stop(process, signal.SIGTERM)  # at once: those two may or may not have been fetched
    process = await _start(fake, database)
    await fake.wait_for("sendMessage", 3, within=30)
    await fake.user_says(602, "meniu")
    await fake.wait_for("sendMessage", 4, within=30)
    await _stop(process, signal.SIGTERM)
    texts = [call.params["text"] for call in fake.sent()]
    calls = [(c.method, c.ok, str(c.params.get("text"))[:12]) for c in fake.calls]
    assert len(texts) == 4, [call for call in calls if call[0] != "getUpdates"]
    assert texts[1].startswith("Į ką norite kreiptis?")
    assert texts[2].startswith("Pagalba į namus")
    assert "Ką norėtumėte sužinoti?" in texts[3]


async def test_bad_webhook_configuration_is_refused_at_start(tmp_path: Path) -> None:
    process = await _spawn(
        TELEGRAM_WEBHOOK_URL="https://x.lt", BOT_DATABASE=str(tmp_path / "db.sqlite3")
    )
    _, stderr = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 2
    assert "TELEGRAM_WEBHOOK_URL needs TELEGRAM_WEBHOOK_SECRET" in stderr.decode()


@pytest.mark.parametrize(
    ("base_url", "failure", "message"),
    [
        (None, (401, "Unauthorized"), "Telegram refused TELEGRAM_BOT_TOKEN"),
        ("http://127.0.0.1:9", None, "cannot reach the Telegram Bot API at http://127.0.0.1:9"),
    ],
)
async def test_wrong_token_or_unreachable_server_is_one_clear_line(
    fake: FakeTelegram,
    tmp_path: Path,
    base_url: str | None,
    failure: tuple[int, str] | None,
    message: str,
) -> None:
    if failure:
        fake.fail("getMe", *failure)
    process = await _spawn(
        TELEGRAM_BASE_URL=base_url or fake.url, BOT_DATABASE=str(tmp_path / "db.sqlite3")
    )
    _, stderr = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 2
    assert message in stderr.decode()
    assert "Traceback" not in stderr.decode()


async def test_sigterm_returns_within_10_s_with_a_group_backlog(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    """40 cards waiting for a group's 20 a minute: SIGTERM still stops the bot within 10 s, and
    what was not sent stays in the outbox for the next start."""
    path = tmp_path / "backlog.sqlite3"
    database = await Database.open(path)
    now = datetime(2020, 3, 19, tzinfo=UTC)  # due before the bot's earliest "now"
    async with database.transaction() as conn:
        for number in range(40):
            await outbox.enqueue(conn, "tgroup", "-100300", f"card {number}", now, now)
    await database.close()
    process = await _start(fake, path)
    await fake.wait_for("sendMessage", 20, within=30)  # the group's burst went out
    started = time.monotonic()
    await _stop(process, signal.SIGTERM)
    assert time.monotonic() - started < 10
    database = await Database.open(path)
    rows = await database.fetchall("SELECT status, COUNT(*) FROM outbox GROUP BY status")
    await database.close()
    counts = {row[0]: row[1] for row in rows}
    assert counts.get("sending", 0) == 0
    assert counts["sent"] == len(fake.sent())
    assert counts["pending"] == 40 - counts["sent"]  # kept for the next start
