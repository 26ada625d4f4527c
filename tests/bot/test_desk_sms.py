"""The desk answering a resident who files by SMS: the reply leaves through the outbox as an
SMS (folded like every SMS), and the resident's SMS answer reaches the request's timeline."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from datetime import UTC, datetime

import httpx

from dialogs.pipeline.engine import Engine
from storage import desk, staff
from tests.bot.fake_twilio import FakeTwilio
from tests.bot.sms_harness import Phone, running_sms
from tests.bot.test_sms_journeys import answer, number_of


async def _sign_in(client: httpx.AsyncClient, token: str) -> None:
    signed = await client.get(f"/desk/login/{token}")
    assert signed.status_code == 303
    # Behind PUBLIC_BASE_URL's https the cookie is Secure; here the test speaks plain http to
    # the app itself, as the TLS proxy would, so it hands the cookie on.
    assert "secure" in signed.headers["set-cookie"].lower()
    client.cookies.set("desk", signed.cookies["desk"], path="/desk")


async def _csrf(client: httpx.AsyncClient, path: str) -> str:
    page = await client.get(path)
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found is not None
    return found.group(1)


async def test_a_desk_reply_reaches_an_sms_resident_and_their_answer_comes_back(
    twilio: FakeTwilio, engine: Engine
) -> None:
    async with running_sms(twilio, engine) as base:
        phone = Phone(base, "+37060000402")
        first = await answer(phone, "Laba diena")
        menu = await answer(phone, number_of(first, "Elektrenai"))
        needs = await answer(phone, number_of(menu, "Pagalba i namus"))
        needs = await answer(phone, number_of(needs, "Maist"))
        await answer(phone, number_of(needs, "Toliau"))
        await answer(phone, "Duonos")
        keep = await answer(phone, "Vytauto g. 5, Elektrenai")
        urgency = await answer(phone, number_of(keep, "Ne"))
        await answer(phone, number_of(urgency, "Siandien"))
        assert (await answer(phone, "Siusti")).startswith("Jusu prasymas Nr. 1 issiustas.")
        now = datetime.now(UTC)
        async with engine.database.transaction() as conn:
            code = await staff.create_invite(conn, "elektrenai", "staff", None, now)
            assert await staff.redeem(conn, code, "702", "Tomas", now)
            code = await staff.create_invite(conn, "elektrenai", "supervisor", None, now)
            assert await staff.redeem(conn, code, "701", "Rasa", now)
            chief_token = await desk.create_link(conn, "701", now)
            token = await desk.create_link(conn, "702", now)
        # The supervisor gives the request to Tomas; the resident is told it is taken.
        async with httpx.AsyncClient(base_url=base) as chief:
            await _sign_in(chief, chief_token)
            csrf = await _csrf(chief, "/desk/requests/1")
            form = {"assignee": "702", "csrf": csrf}
            assigned = await chief.post("/desk/requests/1/assign", data=form)
            assert assigned.headers["location"].endswith("done=saved")
            await _wait(lambda: any("prieme" in m for m in twilio.to(phone.number)))
            page = await chief.get("/desk/requests/1")
            assert "Tomas" in page.text
        async with httpx.AsyncClient(base_url=base) as client:
            await _sign_in(client, token)
            mine = await client.get("/desk/?view=mine")
            assert 'href="/desk/requests/1"' in mine.text
            csrf = await _csrf(client, "/desk/requests/1")
            reply = "Atvešime šiandien iki 17 val."
            sent = await client.post("/desk/requests/1/reply", data={"text": reply, "csrf": csrf})
            assert sent.headers["location"].endswith("done=sent")
            await _wait(
                lambda: any(
                    m.startswith("Del jusu prasymo Nr. 1") and "Atvesime siandien iki 17" in m
                    for m in twilio.to(phone.number)
                )
            )
            # Too long: refused with the reason, nothing sent.
            sent_before = len(twilio.to(phone.number))
            form = {"text": "x" * 1001, "csrf": csrf}
            too_long = await client.post("/desk/requests/1/reply", data=form)
            assert too_long.headers["location"].endswith("done=too-long")
            assert len(twilio.to(phone.number)) == sent_before
            # The resident answers by SMS: it is on the request's page.
            ack = await answer(phone, "Busiu namie")
            assert ack.startswith("Jusu zinute perduota darbuotojui")
            page = await client.get("/desk/requests/1")
            assert "Busiu namie" in page.text


async def _wait(condition: Callable[[], bool]) -> None:
    for _ in range(200):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("not delivered")
