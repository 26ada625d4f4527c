"""Killed at every boundary of a message's path (BOT_FAILPOINT): before COMMIT, after COMMIT,
before the send, after the send. A booking confirmed in the database is confirmed to the
resident after the restart, on Telegram and by SMS (Twilio's retry emulated); nothing is done
twice; only the documented window (sent, not yet marked) may show an answer twice."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from twilio.request_validator import RequestValidator

from storage.db import Database
from tests.bot.fake_telegram import FakeTelegram
from tests.bot.fake_twilio import FakeTwilio
from tests.bot.sms_harness import AUTH_TOKEN, PUBLIC, free_port, twilio_env
from tests.bot.telegram_harness import TOKEN, TelegramUser
from tests.bot.test_run import _spawn, _stop

# processes, crashes or many generated cases; timed under load: never beside other tests
pytestmark = [pytest.mark.slow, pytest.mark.serial]

POINTS = ("turn.before_commit", "turn.after_commit", "delivery.before_send", "delivery.after_send")
CONFIRMED = "Pieraksts apstiprināts: Veļas mazgāšanas pakalpojums"
KOKNESE = {"BOT_TODAY": "2021-11-01", "BOT_OUTBOX_INTERVAL": "0.05"}


async def _process(database: Path, **env: str) -> asyncio.subprocess.Process:
    """`python -m bot run` on Koknese's demo day; SMS-only runs pass an empty bot token."""
    return await _spawn(BOT_DATABASE=str(database), **KOKNESE, **env)


async def _killed(process: asyncio.subprocess.Process) -> None:
    """The failpoint killed the process (SIGKILL), as a power cut would."""
    await asyncio.wait_for(process.wait(), 30)
    assert process.returncode == -signal.SIGKILL


async def _active_bookings(database: Path) -> int:
    db = await Database.open(database)
    try:
        rows = await db.fetchall("SELECT COUNT(*) FROM bookings WHERE status = 'active'")
        return int(rows[0][0])
    finally:
        await db.close()


def _shown(fake: FakeTelegram, user: int, text: str) -> list[Any]:
    return [
        call
        for call in fake.calls
        if call.method in ("sendMessage", "editMessageText")
        and str(call.params.get("chat_id")) == str(user)
        and str(call.params.get("text", "")).startswith(text)
    ]


@pytest.mark.parametrize("point", POINTS)
async def test_telegram_booking_survives_a_kill_at(
    fake: FakeTelegram, tmp_path: Path, point: str
) -> None:
    database = tmp_path / "bot.sqlite3"
    telegram = {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_BASE_URL": fake.url}
    first = await _process(database, **telegram)
    await fake.wait_for("deleteWebhook", 1, within=30)
    resident = TelegramUser(fake, 7101, "lv")
    await resident.say("/start koknese_lv")
    message = await resident.say("gribu pierakstīties veļas mazgāšanai")
    day = next(data for _, data in fake.buttons(message) if data.startswith("bkday:"))
    message = await resident.press_data(message["message_id"], day)
    assert message["text"] == "Kādu sertifikātu uzrādīsiet?", message["text"]
    await _stop(first, signal.SIGTERM)
    # The last press meets a process that dies at `point`.
    second = await _process(database, BOT_FAILPOINT=point, **telegram)
    await fake.wait_for("deleteWebhook", 2, within=30)
    await fake.user_presses(resident.id, message["message_id"], "bkcert:none")
    await _killed(second)
    third = await _process(database, **telegram)
    await fake.wait_for("deleteWebhook", 3, within=30)
    await fake.wait_until(lambda: bool(_shown(fake, resident.id, CONFIRMED)), within=30)
    await _stop(third, signal.SIGTERM)
    assert await _active_bookings(database) == 1  # booked once, whatever the point
    # Shown once; twice only where the kill came after Telegram took it (the documented window).
    shown = len(_shown(fake, resident.id, CONFIRMED))
    assert shown == (2 if point == "delivery.after_send" else 1)


def _signed(number: str, body: str, sid: str) -> tuple[dict[str, str], dict[str, str]]:
    form = {"MessageSid": sid, "From": number, "To": "+37000000001", "Body": body}
    signature = RequestValidator(AUTH_TOKEN).compute_signature(f"{PUBLIC}/sms", form)
    return form, {"X-Twilio-Signature": signature}


async def _text(base: str, number: str, body: str, sid: str) -> str | None:
    """Post a signed SMS; the TwiML answer, or None if the process died meanwhile."""
    form, headers = _signed(number, body, sid)
    try:
        async with (
            aiohttp.ClientSession() as http,
            http.post(f"{base}/sms", data=form, headers=headers) as response,
        ):
            return await response.text()
    except aiohttp.ClientError:
        return None


async def _serving(base: str) -> None:
    async with aiohttp.ClientSession() as http:
        for _ in range(300):
            try:
                async with http.get(f"{base}/healthz") as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.05)
    raise AssertionError("the web app did not start")


@pytest.mark.parametrize("point", ["turn.before_commit", "turn.after_commit"])
async def test_sms_booking_is_confirmed_on_twilios_retry_after_a_kill_at(
    twilio: FakeTwilio, tmp_path: Path, point: str
) -> None:
    database, port = tmp_path / "sms.sqlite3", free_port()
    base = f"http://127.0.0.1:{port}"
    sms = {**twilio_env(twilio, port), "TELEGRAM_BOT_TOKEN": ""}
    number = "+37126007102"
    first = await _process(database, **sms)
    await _serving(base)
    for step, body in enumerate(["koknese", "1", "gribu pierakstīties veļas mazgāšanai", "1"]):
        assert await _text(base, number, body, f"SM{step:032d}")
    await _stop(first, signal.SIGTERM)
    second = await _process(database, BOT_FAILPOINT=point, **sms)
    await _serving(base)
    last = f"SM{99:032x}"
    assert await _text(base, number, "4", last) is None  # "I have none": the process dies
    await _killed(second)
    third = await _process(database, **sms)
    await _serving(base)
    answer = await _text(base, number, "4", last)  # Twilio retries the same MessageSid
    again = await _text(base, number, "4", last)  # and once more: the same, not a new turn
    await _stop(third, signal.SIGTERM)
    assert answer is not None
    assert "Pieraksts apstiprinats: Velas mazgasanas pakalpojums" in answer
    assert again == answer
    assert await _active_bookings(database) == 1
