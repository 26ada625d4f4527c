"""The desk's roster as Koknese's staff use it: a resident phones the office and is booked by
their number (they get the SMS), a landline gets none, a full day's caller goes on the waiting
list, a cancellation offers the place to them by SMS, and on the day staff mark who came."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from playwright.async_api import Page

from dialogs.pipeline.engine import Engine
from storage import desk, staff
from tests.bot.desk_browser import browser, csrf_of, shot, until
from tests.bot.fake_twilio import FakeTwilio
from tests.bot.sms_harness import Phone, running_sms
from tests.bot.test_sms_journeys import answer, number_of
from tests.conftest import FixedClock

DAY = "2021-11-02"  # a Tuesday; Koknese's laundry takes two a day, contactless without papers


async def _book(page: Page, phone: str, button: str = "button.primary", note: str = "") -> str:
    """Fill the laundry's form for a caller and press `button`; what the page then says."""
    if await page.get_attribute("#koknese-laundry-form", "open") is None:  # shut after a booking
        await page.click("#koknese-laundry-form summary")
    await page.fill("#phone-koknese-laundry", phone)
    await page.fill("#note-koknese-laundry", note)
    await page.select_option("#certificate-koknese-laundry", "contactless")
    await page.select_option("#language-koknese-laundry", "lv")
    await page.click(f"#koknese-laundry-form {button}")
    return await page.inner_text("main")


@pytest.mark.slow
async def test_staff_book_for_callers_and_the_waiting_list_gets_the_freed_place(
    twilio: FakeTwilio, engine: Engine, clock: FixedClock, tmp_path: Path
) -> None:
    clock.current = datetime(2021, 11, 1, 9, 0, tzinfo=UTC)
    async with engine.database.transaction() as conn:
        await staff.add(conn, staff.Member("704", "koknese", "staff", None, "Ilze"), clock.now())
        token = await desk.create_link(conn, "704", clock.now())
    async with running_sms(twilio, engine) as base, browser() as chromium:
        page = await chromium.new_page(viewport={"width": 1024, "height": 768})
        await page.goto(f"{base}/desk/login/{token}")
        await page.goto(f"{base}/desk/roster?day={DAY}&lang=en")
        # A mobile: booked, the roster shows the number, the resident gets the SMS.
        page.on("dialog", lambda dialog: asyncio.ensure_future(dialog.accept()))  # "Cancel?"
        said = await _book(page, "2612 3456", note="Anna Bērziņa, ar spieķi")
        assert "Booked. The resident gets the confirmation by SMS" in said
        assert "+37126123456, Anna Bērziņa, ar spieķi" in said
        assert "contactless hand-over" in said
        await until(lambda: bool(twilio.to("+37126123456")))
        assert "2. novembris" in twilio.to("+37126123456")[0]
        # A landline: booked, no SMS, and staff are told to say it themselves.
        said = await _book(page, "6512 3456")
        assert "The number is a landline: no SMS is sent" in said
        assert "+37165123456 (landline)" in said
        # Not a number: refused, what was typed is still in the form.
        said = await _book(page, "12")
        assert "this is not a phone number" in said
        assert await page.input_value("#phone-koknese-laundry") == "12"
        # Full: the caller goes on the waiting list with the same form.
        said = await _book(page, "2612 3457")
        assert "the day is full" in said
        said = await _book(page, "2612 3457", "button[formaction$='/wait']")
        assert "On the waiting list" in said
        assert "+37126123457" in said
        # The first caller phones to cancel: told by SMS, and the place is offered.
        await page.click("tr:has-text('+37126123456') button:has-text('Cancel booking')")
        assert "Cancelled" in await page.inner_text("main")
        await until(lambda: len(twilio.to("+37126123457")) == 1)
        cancelled = twilio.to("+37126123456")[-1]
        assert "atcēla" in cancelled or "atcel" in cancelled, cancelled
        offer = twilio.to("+37126123457")[0]
        # The waiting caller takes the place by SMS: contactless, as the roster then shows.
        caller = Phone(base, "+37126123457")
        asked = await answer(caller, number_of(offer, "Ja"))
        booked = await answer(caller, number_of(asked, "Man tada"))
        assert booked.startswith("Pierakst"), booked
        await page.reload()
        assert "+37126123457" in await page.inner_text("table")
        # On the day (signed in again: a session lasts a working day), who came and who not.
        clock.current = datetime(2021, 11, 2, 9, 0, tzinfo=UTC)
        async with engine.database.transaction() as conn:
            token = await desk.create_link(conn, "704", clock.now())
        await page.goto(f"{base}/desk/login/{token}")
        await page.goto(f"{base}/desk/roster?lang=en")
        await page.click("tr:has-text('+37165123456') button:has-text('Came')")
        assert "came" in await page.inner_text("tr:has-text('+37165123456')")
        await page.click("tr:has-text('+37126123457') button:has-text('Did not come')")
        assert "did not come" in await page.inner_text("tr:has-text('+37126123457')")
        await page.screenshot(path=shot(tmp_path, "roster"), full_page=True)


async def test_bookings_are_refused_to_other_municipalities_queues_and_forged_forms(
    twilio: FakeTwilio, engine: Engine, clock: FixedClock
) -> None:
    """Another municipality's member, a member limited to a queue, a forged form: nothing
    booked, each refusal audited."""
    clock.current = datetime(2021, 11, 1, 9, 0, tzinfo=UTC)
    now = clock.now()
    async with engine.database.transaction() as conn:
        await staff.add(conn, staff.Member("701", "elektrenai", "supervisor", None, "Rasa"), now)
        await staff.add(conn, staff.Member("705", "koknese", "staff", "isolation", "Juris"), now)
        tokens = [await desk.create_link(conn, user, now) for user in ("701", "705")]
    form = {"day": DAY, "municipality": "koknese", "facility": "laundry", "phone": "26123456"}
    form["certificate"] = "contactless"
    async with running_sms(twilio, engine) as base:
        for token in tokens:
            async with httpx.AsyncClient(base_url=base) as client:
                signed = await client.get(f"/desk/login/{token}")
                client.cookies.set("desk", signed.cookies["desk"], path="/desk")
                page = await client.get("/desk/roster?lang=en")
                csrf = csrf_of(page.text)
                forged = await client.post("/desk/roster/book", data={**form, "csrf": "x"})
                assert forged.status_code == 403
                refused = await client.post("/desk/roster/book", data={**form, "csrf": csrf})
                assert refused.headers["location"].endswith("done=refused")
                refused = await client.post(
                    "/desk/roster/cancel", data={"booking": "1", "csrf": csrf, "day": DAY}
                )
                assert refused.headers["location"].endswith("done=refused")
    async with engine.database.transaction() as conn:
        booked = await conn.execute_fetchall("SELECT COUNT(*) FROM bookings")
        audited = await conn.execute_fetchall(
            "SELECT actor, action FROM audit_log WHERE outcome = 'refused' ORDER BY id"
        )
    assert list(booked) == [(0,)]
    assert [tuple(row) for row in audited] == [
        ("701", "desk book"),
        ("701", "desk cancel 1"),
        ("705", "desk book"),
        ("705", "desk cancel 1"),
    ]
    assert twilio.sent == []
