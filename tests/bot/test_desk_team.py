"""The desk's staff pages as Elektrėnai's supervisor uses them: an invite made on the desk is
redeemed in Telegram, the new member is limited to the queue and then removed (their desk
session ends at once), the audit log shows who did what, and the figures count the week's
request with the times to take it and to finish it."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from dialogs.pipeline.engine import Engine
from storage import desk, staff
from tests.bot.desk_browser import free_port
from tests.bot.fake_telegram import FakeTelegram
from tests.bot.telegram_harness import TelegramUser, running_bot
from tests.bot.test_desk import _file_food_request
from tests.conftest import FixedClock

NOW = datetime(2020, 3, 20, 9, 0, tzinfo=UTC)


async def _signed_in(client: httpx.AsyncClient, engine: Engine, user: str) -> str:
    """Sign `user` in; the CSRF token of their session."""
    async with engine.database.transaction() as conn:
        token = await desk.create_link(conn, user, engine.clock.now())
    assert (await client.get(f"/desk/login/{token}")).status_code == 303
    page = await client.get("/desk/staff?lang=en")
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found is not None
    return found.group(1)


@pytest.mark.slow
async def test_a_supervisor_invites_limits_and_removes_a_colleague_and_reads_the_figures(
    fake: FakeTelegram, engine: Engine, clock: FixedClock
) -> None:
    clock.current = NOW
    async with engine.database.transaction() as conn:
        chief = staff.Member("701", "elektrenai", "supervisor", None, "Rasa")
        await staff.add(conn, chief, NOW)
    port = free_port()
    async with (
        running_bot(fake, engine, BOT_OUTBOX_INTERVAL="0.05", HTTP_PORT=str(port)),
        httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as rasa,
    ):
        csrf = await _signed_in(rasa, engine, "701")
        form = {"csrf": csrf, "municipality": "elektrenai", "role": "staff", "queue": ""}
        made = await rasa.post("/desk/staff/invite", data=form)
        link = re.search(r"https://t\.me/\w+\?start=(staff-[\w-]+)", made.text)
        assert link is not None, made.text
        assert "staff-" not in str(made.url)  # the code is never in a URL
        # Tomas opens the link in Telegram: he is staff.
        tomas = TelegramUser(fake, 702, "lt")
        welcome = await tomas.say(f"/start {link.group(1)}")
        assert welcome["text"].startswith("Sveiki! Prisijungėte prie darbuotojų")
        listing = (await rasa.get("/desk/staff")).text
        assert "Ona" in listing  # as Telegram names him (the fake names everyone Ona)
        # Limited to the isolation queue, then removed: his desk session ends at once.
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as his:
            await _signed_in(his, engine, "702")
            form = {"csrf": csrf, "municipality": "elektrenai", "user": "702"}
            changed = await rasa.post(
                "/desk/staff/change", data={**form, "role": "staff", "queue": "isolation"}
            )
            assert changed.headers["location"].endswith("done=saved")
            async with engine.database.transaction() as conn:
                member = await staff.member(conn, "702", "elektrenai")
            assert member is not None
            assert member.queue == "isolation"
            # Nobody removes or demotes themselves here.
            mine = {**form, "user": "701"}
            refused = await rasa.post("/desk/staff/remove", data=mine)
            assert refused.headers["location"].endswith("done=refused")
            removed = await rasa.post("/desk/staff/remove", data=form)
            assert removed.headers["location"].endswith("done=saved")
            assert (await his.get("/desk/")).status_code == 401
        # The audit log names who did what.
        audit = (await rasa.get("/desk/audit")).text
        assert "desk staff remove 702" in audit
        assert "desk invite staff" in audit
        # A request filed and taken after 30 minutes, done two hours later: the week's figures.
        ona = TelegramUser(fake, 801, "lt")
        await _file_food_request(ona)
        async with engine.database.transaction() as conn:
            await staff.add(conn, staff.Member("703", "elektrenai", "staff", None, "Jonas"), NOW)
        jonas = await _signed_in_page(rasa, engine, port, "703")
        clock.current = NOW + timedelta(minutes=30)
        await jonas.post("/desk/requests/1/act", data={"action": "take", "csrf": jonas.csrf})
        clock.current = NOW + timedelta(hours=2, minutes=30)
        await jonas.post("/desk/requests/1/act", data={"action": "done", "csrf": jonas.csrf})
        figures = (await rasa.get("/desk/figures")).text
        week = re.search(
            r"<tr><td class=\"nowrap\">[^<]+</td>\s*<td>1</td><td>([^<]+)</td><td>([^<]+)</td>",
            figures,
        )
        assert week is not None, figures
        assert week.groups() == ("30 min", "2 hr 30 min")
        # Jonas takes another request and leaves the staff: it is back in the queue, told.
        petras = TelegramUser(fake, 803, "lt")
        await _file_food_request(petras, 2)
        await jonas.post("/desk/requests/2/act", data={"action": "take", "csrf": jonas.csrf})
        reply = {"text": "Atvešime rytoj.", "csrf": jonas.csrf}
        await jonas.post("/desk/requests/2/reply", data=reply)
        await jonas.aclose()
        form = {"csrf": csrf, "municipality": "elektrenai", "user": "703"}
        removed = await rasa.post("/desk/staff/remove", data=form)
        assert removed.headers["location"].endswith("done=removed-held")
        await fake.wait_until(
            lambda: fake.last_message(803)["text"].startswith("Jūsų prašymas Nr. 2 grąžintas")
        )
        unassigned = (await rasa.get("/desk/?view=unassigned")).text
        assert 'href="/desk/requests/2"' in unassigned
        # Petras's next words are his own question again: Jonas, who wrote, has left.
        answer = await petras.say("kontaktai")
        assert not answer["text"].startswith("Jūsų žinutė perduota")


class _Client(httpx.AsyncClient):
    csrf = ""


async def _signed_in_page(
    other: httpx.AsyncClient, engine: Engine, port: int, user: str
) -> _Client:
    client = _Client(base_url=f"http://127.0.0.1:{port}")
    client.csrf = await _signed_in(client, engine, user)
    return client
