"""Logs never hold secrets or personal data, at any level: a whole help request at DEBUG, and a
webhook start with its secret, searched for the token, the secret, the phone, the address and
the request's text."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from tests.bot.fake_telegram import FakeTelegram
from tests.bot.sms_harness import free_port
from tests.bot.telegram_harness import TOKEN
from tests.bot.test_crash import _drive
from tests.bot.test_run import _spawn, _start, _stop

pytestmark = pytest.mark.slow  # processes, crashes or many generated cases

SECRET = "s3cret-Webhook_Token"
RESIDENT = 3101
PERSONAL = ("37120003101", "Trakų g. 5-12", "Duonos, pieno")  # lt_isolation's phone, address, text


async def test_debug_logs_hold_no_secret_and_no_personal_data(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    database = tmp_path / "logs.sqlite3"
    process = await _start(fake, database, BOT_LOG_LEVEL="DEBUG")
    await _drive(fake, RESIDENT, "lt_isolation", 10)
    shown = [str(c.params.get("text", "")) for c in fake.calls]
    assert any(text.startswith("Jūsų prašymas Nr.") for text in shown)  # the request was sent
    polling = await _stop(process, signal.SIGTERM)
    webhook = await _spawn(
        TELEGRAM_BASE_URL=fake.url,
        BOT_DATABASE=str(database),
        BOT_LOG_LEVEL="DEBUG",
        TELEGRAM_WEBHOOK_URL="https://bot.example.lt",
        TELEGRAM_WEBHOOK_SECRET=SECRET,
        HTTP_PORT=str(free_port()),
    )
    await fake.wait_for("setWebhook", 1, within=30)
    logs = polling + await _stop(webhook, signal.SIGTERM)
    assert " DEBUG " in logs  # DEBUG was on
    for value in (TOKEN, TOKEN.split(":")[1], SECRET, *PERSONAL):
        assert value not in logs, value
