"""Notices to residents from the desk: residents ask for a service's news on Telegram and by
SMS, one number then texts STOP; Koknese's supervisor previews the notice per language with
its SMS cost and sends it: the Telegram chat and the SMS number get it, the opted-out number
does not (counted as skipped), and the delivery counts show it."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from dialogs.pipeline.engine import Engine
from storage import desk, staff
from tests.bot.desk_browser import browser, csrf_of, free_port, shot, until
from tests.bot.fake_telegram import FakeTelegram
from tests.bot.fake_twilio import FakeTwilio
from tests.bot.sms_harness import Phone, running_sms, twilio_env
from tests.bot.telegram_harness import TelegramUser, running_bot
from tests.bot.test_sms_journeys import answer, number_of
from tests.conftest import FixedClock


async def _asks_for_shower_news(phone: Phone) -> None:
    """A Koknese resident texting in Latvian without diacritics asks for the shower's news."""
    where = await answer(phone, "Labdien")
    menu = await answer(phone, number_of(where, "Koknese"))
    services = await answer(phone, number_of(menu, "Pakalpojumu pieejamiba"))
    shower = await answer(phone, number_of(services, "Dusas"))
    shower = await answer(phone, "vairak")  # the page's second half, with the choices
    told = await answer(phone, number_of(shower, "Pazinot, kad mainisies"))
    assert told.startswith("Labi: kad socialais dienests pazinos"), told


@pytest.mark.slow
async def test_a_notice_reaches_who_asked_and_skips_a_number_that_said_stop(
    fake: FakeTelegram, twilio: FakeTwilio, engine: Engine, clock: FixedClock, tmp_path: Path
) -> None:
    clock.current = datetime(2021, 11, 1, 9, 0, tzinfo=UTC)
    async with engine.database.transaction() as conn:
        chief = staff.Member("706", "koknese", "supervisor", None, "Dace")
        await staff.add(conn, chief, clock.now())
        token = await desk.create_link(conn, "706", clock.now())
    port = free_port()
    env = {**twilio_env(twilio, port), "BOT_OUTBOX_INTERVAL": "0.05"}
    base = f"http://127.0.0.1:{port}"
    async with running_bot(fake, engine, **env):
        anna = TelegramUser(fake, 521, "lv")
        await anna.say("/start koknese_lv")
        await anna.press("Pakalpojumu pieejamība")
        await anna.press("Dušas pakalpojums")
        told = await anna.press("Paziņot, kad mainīsies")
        assert told["text"].startswith("Labi: kad sociālais dienests paziņos")
        await anna.press("Visi pakalpojumi")
        shower = await anna.press("Dušas pakalpojums")  # now it offers to stop the news
        assert "Vairs nesaņemt" in str(shower["reply_markup"])
        stays, stops = Phone(base, "+37126000501"), Phone(base, "+37126000502")
        await _asks_for_shower_news(stays)
        await _asks_for_shower_news(stops)
        await stops.text("STOP")
        async with browser() as chromium:
            page = await chromium.new_page(viewport={"width": 1024, "height": 900})
            await page.goto(f"{base}/desk/login/{token}")
            await page.goto(f"{base}/desk/broadcasts?lang=en")
            await page.select_option("#audience-koknese", "subscribers")
            await page.select_option("#service-koknese", "shower")
            await page.fill("#text-koknese-lv", "Rīt duša slēgta <remonts>.")
            await page.fill("#text-koknese-ru", "Завтра душ закрыт.")
            await page.click("#broadcast-koknese button:has-text('Preview')")
            preview = await page.inner_text("main")
            assert "Recipients: 2" in preview
            assert "Skipped (no SMS: asked for none, a landline, or no SMS here): 1" in preview
            assert "Estimated SMS: 1" in preview
            assert "Kokneses sociālais dienests informē:\nRīt duša slēgta <remonts>." in preview
            await page.screenshot(path=shot(tmp_path, "broadcast"), full_page=True)
            await page.click("#broadcast-koknese button:has-text('Send')")
            assert "The notice is on its way" in await page.inner_text("main")
            await fake.wait_until(lambda: "Rīt duša slēgta" in fake.last_message(521)["text"])
            await until(lambda: any("Rit dusa slegta" in m for m in twilio.to(stays.number)))
            assert not any("slegta" in m for m in twilio.to(stops.number))
            await page.reload()
            assert "sent: 2" in await page.inner_text("#delivery")
            assert (
                "Skipped (no SMS: asked for none, a landline, or no SMS here): 1"
                in await page.inner_text("main")
            )
            # The shower is suspended on the desk: who asked is told, in their language.
            await page.goto(f"{base}/desk/services/koknese/shower")
            await page.select_option("#status", "suspended")
            assert await page.is_checked("input[name=tell]")
            await page.click("form button.primary")
            await fake.wait_until(
                lambda: (
                    fake.last_message(521)["text"].startswith("Kokneses sociālais dienests")
                    and "apturēts" in fake.last_message(521)["text"]
                )
            )
            await until(lambda: "apturets" in twilio.to(stays.number)[-1])


async def test_notices_are_for_supervisors_of_the_municipality_only(
    twilio: FakeTwilio, engine: Engine, clock: FixedClock
) -> None:
    """A member who is not a supervisor, another municipality's supervisor, a forged form, a
    notice of another municipality by URL: nothing sent, refusals audited."""
    now = clock.now()
    async with engine.database.transaction() as conn:
        await staff.add(conn, staff.Member("707", "koknese", "staff", None, "Ilze"), now)
        await staff.add(conn, staff.Member("701", "elektrenai", "supervisor", None, "Rasa"), now)
        tokens = [await desk.create_link(conn, user, now) for user in ("707", "701")]
    form = {"municipality": "koknese", "audience": "all", "text-lv": "Sveiki"}
    async with running_sms(twilio, engine) as base:
        for token in tokens:
            async with httpx.AsyncClient(base_url=base) as client:
                signed = await client.get(f"/desk/login/{token}")
                client.cookies.set("desk", signed.cookies["desk"], path="/desk")
                csrf = csrf_of((await client.get("/desk/broadcasts?lang=en")).text)
                forged = await client.post("/desk/broadcasts/send", data={**form, "csrf": "x"})
                assert forged.status_code == 403
                sent = await client.post("/desk/broadcasts/send", data={**form, "csrf": csrf})
                assert sent.status_code == 400
                assert 'class="flash error"' in sent.text  # only a supervisor may
                assert (await client.get("/desk/broadcasts/1")).status_code == 404
    async with engine.database.transaction() as conn:
        kept = await conn.execute_fetchall("SELECT COUNT(*) FROM broadcasts")
        audited = await conn.execute_fetchall(
            "SELECT actor, action FROM audit_log WHERE outcome = 'refused' ORDER BY id"
        )
    assert list(kept) == [(0,)]
    assert [tuple(row) for row in audited] == [
        ("707", "desk broadcast"),
        ("707", "desk broadcast view 1"),
        ("701", "desk broadcast"),
        ("701", "desk broadcast view 1"),
    ]
    assert twilio.sent == []
