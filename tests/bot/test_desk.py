"""The staff web desk in a real browser: a supervisor and a staff member of Elektrėnai, a
resident's food request filed on Telegram; sign-in by a one-time link from the bot; take,
reply (the resident gets it in Telegram), an internal note, done; and the attacks: a used
link, a forged form, another municipality's request, HTML in a note."""

from __future__ import annotations

import asyncio
import os
import re
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from bot.settings import SettingsError
from dialogs.pipeline.engine import Engine
from storage import desk, requests, staff
from storage.db import Database
from tests.bot.desk_browser import browser, free_port, shot
from tests.bot.fake_telegram import FakeTelegram
from tests.bot.telegram_harness import TelegramUser, running_bot
from tests.bot.test_cli import run_bot
from tests.conftest import PROJECT, FixedClock

NOW = datetime(2020, 3, 20, 9, 0, tzinfo=UTC)


async def _invite(database: Database, municipality: str, role: str) -> str:
    async with database.transaction() as conn:
        return await staff.create_invite(conn, municipality, role, None, datetime.now(UTC))


async def _file_food_request(ona: TelegramUser, number: int = 1) -> None:
    await ona.say("/start elektrenai_lt")
    await ona.press("Pagalba į namus")
    await ona.press("Maistas")
    await ona.press("Toliau")
    await ona.say("Duona ir pienas")
    await ona.say("Rungos g. 5-12, Elektrėnai")
    await ona.press("Ne")
    await ona.share_own_contact("37060000801")
    await ona.press("Šiandien")
    message = await ona.press("Siųsti")
    assert message["text"].startswith(f"Jūsų prašymas Nr. {number} išsiųstas.")


@pytest.mark.slow
async def test_a_staff_member_works_a_request_at_the_desk(
    fake: FakeTelegram, engine: Engine, database: Database, clock: FixedClock, tmp_path: Path
) -> None:
    clock.current = datetime(2020, 3, 20, 9, 0, tzinfo=UTC)
    staff_code = await _invite(database, "elektrenai", "staff")
    other_code = await _invite(database, "koknese", "staff")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    async with running_bot(fake, engine, BOT_OUTBOX_INTERVAL="0.05", HTTP_PORT=str(port)):
        tomas = TelegramUser(fake, 702, "lt")
        await tomas.say(f"/start {staff_code}")
        ona = TelegramUser(fake, 801, "lt")
        await _file_food_request(ona)
        # Tomas asks the bot for a sign-in link in his private chat.
        message = await tomas.say("/desk")
        link = re.search(r"http://\S+", message["text"])
        assert link is not None, message["text"]
        async with browser() as chromium:
            page = await chromium.new_page(viewport={"width": 1024, "height": 768})
            await page.goto(link.group(0))
            assert "Jūs prisijungėte." in await page.inner_text("main")
            assert "Duona" not in await page.inner_text("main")  # the queue shows no details
            await page.screenshot(path=shot(tmp_path, "queue"))
            await page.click("text=1")
            assert "Prašymas Nr. 1" in await page.inner_text("h1")
            assert "Adresas: Rungos g. 5-12, Elektrėnai" in await page.inner_text("main")
            # Take: the resident is told in Telegram, as with the group's button.
            await page.click("button:has-text('Priimti')")
            await fake.wait_until(
                lambda: fake.last_message(801)["text"].startswith("Darbuotojas priėmė")
            )
            # A reply reaches the resident's Telegram chat through the assistant.
            await page.fill("#reply", "Atvešime šiandien iki 17 val.")
            await page.click("button:has-text('Siųsti gyventojui')")
            await fake.wait_until(
                lambda: (
                    fake.last_message(801)["text"]
                    == "Dėl jūsų prašymo Nr. 1, rašo socialinė tarnyba:\n"
                    "Atvešime šiandien iki 17 val."
                )
            )
            # Ona answers in her own words: to the timeline and to Tomas's private chat.
            answer = await ona.say("Būsiu namie po 15 val.")
            assert answer["text"].startswith("Jūsų žinutė perduota darbuotojui")
            await fake.wait_until(
                lambda: "Būsiu namie po 15 val." in str(fake.last_message(702).get("text"))
            )
            await page.reload()
            assert "Būsiu namie po 15 val." in await page.inner_text(".timeline")
            # An internal note with markup: shown as text, never sent.
            await page.fill("#note", "<script>alert(1)</script> raktas po kilimėliu")
            await page.click("button:has-text('Pridėti pastabą')")
            timeline = await page.inner_text(".timeline")
            assert "<script>alert(1)</script> raktas po kilimėliu" in timeline
            assert "<script>alert" not in await page.content()  # escaped in the HTML
            await page.screenshot(path=shot(tmp_path, "request"), full_page=True)
            await page.click("button:has-text('Įvykdyta')")
            await fake.wait_until(
                lambda: fake.last_message(801)["text"] == "Jūsų prašymas Nr. 1 įvykdytas."
            )
            assert not any("kilimėliu" in str(m.get("text")) for m in fake.chat_messages(801))
            # Once it is done Ona may still answer the staff's message: it is not lost.
            answer = await ona.say("Dar reikėtų ir druskos")
            assert answer["text"].startswith("Jūsų žinutė perduota darbuotojui")
            await fake.wait_until(
                lambda: "Dar reikėtų ir druskos" in str(fake.last_message(702).get("text"))
            )
            cookies = await page.context.cookies()
            desk_cookie = next(c for c in cookies if c["name"] == "desk")
            assert desk_cookie["httpOnly"]
            assert desk_cookie["sameSite"] == "Strict"
            # The used link signs nobody in again.
            second = await chromium.new_page()
            response = await second.goto(link.group(0))
            assert response is not None
            assert response.status == 403
        # A forged form (no CSRF token) changes nothing, even with Tomas's cookie.
        cookie = {"desk": desk_cookie["value"]}
        async with httpx.AsyncClient(base_url=base, cookies=cookie) as client:
            forged = await client.post("/desk/requests/1/act", data={"action": "reopen"})
            assert forged.status_code == 403
        # Another municipality's member sees no Elektrėnai request: 404, audited.
        jonas = TelegramUser(fake, 703, "lv")
        await jonas.say(f"/start {other_code}")
        message = await jonas.say("/desk")
        other_link = re.search(r"http://\S+", message["text"])
        assert other_link is not None
        async with httpx.AsyncClient(base_url=base) as client:
            signed = await client.get(other_link.group(0).replace(base, ""))
            assert signed.status_code == 303
            assert (await client.get("/desk/requests/1")).status_code == 404
            queue = await client.get("/desk/?view=all")
            assert "Rungos" not in queue.text
            assert "/desk/requests/1" not in queue.text
    async with database.transaction() as conn:
        request = await requests.get(conn, 1)
    assert request is not None
    assert request.status == "done"
    rows = [
        tuple(r) for r in await database.fetchall("SELECT actor, action, outcome FROM audit_log")
    ]
    assert ("702", "desk take", "ok") in rows
    assert ("703", "desk view", "refused") in rows
    assert ("702", "desk reopen", "ok") not in rows


@pytest.mark.slow
async def test_expired_links_and_removed_members_get_nothing(
    fake: FakeTelegram, engine: Engine, database: Database, clock: FixedClock
) -> None:
    clock.current = datetime(2020, 3, 20, 9, 0, tzinfo=UTC)
    code = await _invite(database, "elektrenai", "staff")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    async with running_bot(fake, engine, HTTP_PORT=str(port)):
        tomas = TelegramUser(fake, 702, "lt")
        await tomas.say(f"/start {code}")
        late = re.search(r"http://\S+", (await tomas.say("/desk"))["text"])
        fresh = re.search(r"http://\S+", (await tomas.say("/desk"))["text"])
        assert late is not None
        assert fresh is not None
        # In a group, /desk gives no link: the link is a key.
        count = len(fake.sent())
        await fake.group_message(-100300, 702, "/desk")
        await fake.wait_for("sendMessage", count + 1)
        assert "desk/login" not in str(fake.last_message(-100300).get("text"))
        async with httpx.AsyncClient(base_url=base) as client:
            clock.advance(timedelta(minutes=11))  # the first link is past its ten minutes
            assert (await client.get(late.group(0).replace(base, ""))).status_code == 403
            clock.current = datetime(2020, 3, 20, 9, 5, tzinfo=UTC)
            assert (await client.get(fresh.group(0).replace(base, ""))).status_code == 303
            assert (await client.get("/desk/")).status_code == 200
            # A search that names no number says so.
            found = await client.get("/desk/requests?number=abc")
            assert found.headers["location"] == "/desk/?done=not-found"
            # Signing out ends the session itself: a copy of the cookie is worth nothing.
            copied = dict(client.cookies)
            page = (await client.get("/desk/")).text
            csrf = re.search(r'name="csrf" value="([^"]+)"', page)
            assert csrf is not None
            out = await client.post("/desk/logout", data={"csrf": csrf.group(1)})
            assert out.headers["location"] == "/desk/?done=signed-out"
            async with httpx.AsyncClient(base_url=base, cookies=copied) as thief:
                assert (await thief.get("/desk/")).status_code == 401
            again = re.search(r"http://\S+", (await tomas.say("/desk"))["text"])
            assert again is not None
            assert (await client.get(again.group(0).replace(base, ""))).status_code == 303
            async with database.transaction() as conn:  # a supervisor removes Tomas
                assert await staff.remove(conn, "702", "elektrenai")
            assert (await client.get("/desk/")).status_code == 401  # at once, same cookie


def test_an_operator_prints_a_sign_in_link(tmp_path: Path) -> None:
    env = {"BOT_DATABASE": f"{tmp_path}/desk.sqlite3", "HTTP_PORT": "8099"}
    refused = run_bot("staff", "desk-link", "702", env=env)
    assert refused.returncode == 1
    assert "no staff member" in refused.stderr
    invite = run_bot("staff", "invite", "--municipality", "elektrenai", env=env)
    code = invite.stdout.split("/start ")[-1].strip()
    asyncio.run(_join(tmp_path / "desk.sqlite3", code))
    printed = run_bot("staff", "desk-link", "702", env=env)
    assert printed.returncode == 0
    assert printed.stdout.startswith("http://127.0.0.1:8099/desk/login/")


async def _join(path: Path, code: str) -> None:
    database = await Database.open(path)
    async with database.transaction() as conn:
        assert await staff.redeem(conn, code, "702", "Tomas", datetime.now(UTC))
    await database.close()


@pytest.mark.slow
def test_the_terminal_chat_serves_the_desk_to_try_it_locally(tmp_path: Path) -> None:
    """`make run` without a Telegram token, in a terminal (a pty, as `script` gives): the desk
    is served beside the chat; an operator's staff member signs in with the CLI's link."""
    port = free_port()
    env = {"BOT_DATABASE": f"{tmp_path}/local.sqlite3", "HTTP_PORT": str(port)}
    added = run_bot(
        "staff", "add", "1", "--municipality", "elektrenai", "--role", "supervisor", env=env
    )
    assert added.returncode == 0
    link = run_bot("staff", "desk-link", "1", env=env).stdout.strip()
    chat = subprocess.Popen(
        ["script", "-qec", f"{sys.executable} -m bot chat", "/dev/null"],
        cwd=PROJECT,
        env={**os.environ, **env},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        assert chat.stdout is not None
        for line in iter(chat.stdout.readline, b""):  # the chat has started, the desk too
            if b"Staff desk:" in line:
                break
        with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
            for _ in range(100):
                try:
                    signed = client.get(link.replace(f"http://127.0.0.1:{port}", ""))
                    break
                except httpx.ConnectError:
                    time.sleep(0.1)  # the server is still binding its port
            assert signed.status_code == 303
            assert "<h1>Prašymai</h1>" in client.get("/desk/").text
    finally:
        chat.terminate()
        chat.wait(timeout=30)


@pytest.mark.slow
async def test_the_roster_shows_the_days_bookings_to_staff_of_no_queue_only(
    fake: FakeTelegram, engine: Engine, database: Database, clock: FixedClock
) -> None:
    """A resident books laundry on Telegram; Koknese's staff see it on the desk's roster of
    that day (by phone where known, with the hand-over); a member limited to a queue does not."""
    clock.current = datetime(2021, 11, 1, 9, 0, tzinfo=UTC)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    now = datetime.now(UTC)
    async with database.transaction() as conn:
        await staff.add(conn, staff.Member("704", "koknese", "staff", None, "Ilze"), now)
        await staff.add(conn, staff.Member("705", "koknese", "staff", "isolation", "Juris"), now)
        links = [await desk.create_link(conn, user, clock.now()) for user in ("704", "705")]
    async with running_bot(fake, engine, BOT_OUTBOX_INTERVAL="0.05", HTTP_PORT=str(port)):
        anna = TelegramUser(fake, 515, "lv")
        await anna.say("/start koknese_lv")
        await anna.press("Pieraksts")
        await anna.press("Veļas mazgāšanas pakalpojums")
        await anna.press("otrdiena, 2. novembris")
        await anna.press("Man tāda nav")
        async with httpx.AsyncClient(base_url=base) as ilze:
            await ilze.get(f"/desk/login/{links[0]}")
            roster = (await ilze.get("/desk/roster?day=2021-11-02")).text
            assert re.search(r"Veļas mazgāšanas pakalpojums: aizņemtas 1 no \d+ viet", roster)
            assert "<td>bezkontakta" in roster  # the hand-over the door needs to know
            other = (await ilze.get("/desk/roster?day=2021-11-03")).text
            assert "<td>bezkontakta" not in other
            for far in ("9999-12-31", "0001-01-01", "2021-02-30"):  # today's instead
                assert (await ilze.get(f"/desk/roster?day={far}")).status_code == 200
            # Koknese takes no requests: the desk opens on the bookings.
            landing = await ilze.get("/desk/")
            assert landing.headers["location"] == "/desk/roster"
        async with httpx.AsyncClient(base_url=base) as juris:
            await juris.get(f"/desk/login/{links[1]}")
            limited = (await juris.get("/desk/roster?day=2021-11-02")).text
            assert "bezkontakta" not in limited


@pytest.mark.slow
async def test_a_supervisor_suspends_a_service_and_residents_see_it_then_undoes_it(
    fake: FakeTelegram, engine: Engine, database: Database, clock: FixedClock
) -> None:
    """Koknese's supervisor suspends home visits on the desk (previewed in each language with
    its SMS cost); a resident asking on Telegram is told so at once; undone, the notice's
    status is back; a staff member who is no supervisor may not."""
    clock.current = datetime(2020, 3, 20, 9, 0, tzinfo=UTC)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    async with database.transaction() as conn:
        await staff.add(conn, staff.Member("706", "koknese", "supervisor", None, "Ieva"), NOW)
        await staff.add(conn, staff.Member("707", "koknese", "staff", None, "Andris"), NOW)
        links = [await desk.create_link(conn, user, clock.now()) for user in ("706", "707")]
    page_path = "/desk/services/koknese/home-visits"
    async with (
        running_bot(fake, engine, HTTP_PORT=str(port)),
        httpx.AsyncClient(base_url=base) as ieva,
    ):
        await ieva.get(f"/desk/login/{links[0]}")
        page = (await ieva.get(page_path)).text
        assert "Klientu apsekošana dzīvesvietā" in page
        assert "Посещение клиентов на дому" in page  # the Russian preview too
        assert re.search(r"SMS segmenti: \d", page)
        csrf = re.search(r'name="csrf" value="([^"]+)"', page)
        assert csrf is not None
        form = {
            "csrf": csrf.group(1),
            "status": "suspended",
            "start": "2020-03-20",
            "end": "2020-04-03",
            "note-lv": "Darbinieki slimo",
            "note-ru": "Сотрудники болеют",
        }
        saved = await ieva.post(f"{page_path}/set", data=form)
        assert saved.headers["location"].endswith("done=saved")
        anna = TelegramUser(fake, 516, "lv")
        await anna.say("/start koknese_lv")
        await anna.press("Pakalpojumu pieejamība")
        message = await anna.press("Klientu apsekošana dzīvesvietā")
        assert "apturēts" in message["text"]
        assert "Darbinieki slimo" in message["text"]
        boris = TelegramUser(fake, 517, "ru")  # the note in his language
        await boris.say("/start koknese_ru")
        await boris.press("Какие услуги работают")
        message = await boris.press("Посещение клиентов на дому")
        assert "Сотрудники болеют" in message["text"]
        assert "Darbinieki slimo" not in message["text"]
        page = (await ieva.get(page_path)).text
        change = re.search(r'name="change" value="(\d+)"', page)
        assert change is not None
        undone = await ieva.post(
            f"{page_path}/undo", data={"csrf": csrf.group(1), "change": change.group(1)}
        )
        assert undone.headers["location"].endswith("done=undone")
        again = await ieva.post(
            f"{page_path}/undo", data={"csrf": csrf.group(1), "change": change.group(1)}
        )
        assert again.headers["location"].endswith("done=undone-before")
        form_far = {**form, "start": "9999-12-31", "end": ""}
        far = await ieva.post(f"{page_path}/set", data=form_far)
        assert far.headers["location"].endswith("done=invalid")
        await anna.press("Visi pakalpojumi")
        message = await anna.press("Klientu apsekošana dzīvesvietā")
        assert "Darbinieki slimo" not in message["text"]
        async with httpx.AsyncClient(base_url=base) as andris:
            await andris.get(f"/desk/login/{links[1]}")
            assert (await andris.get(page_path)).status_code == 404
            csrf2 = re.search(
                r'name="csrf" value="([^"]+)"', (await andris.get("/desk/roster")).text
            )
            assert csrf2 is not None
            form["csrf"] = csrf2.group(1)
            refused = await andris.post(f"{page_path}/set", data=form)
            assert refused.headers["location"].endswith("done=refused")
    rows = await database.fetchall("SELECT status, undone_by FROM service_overrides")
    assert [tuple(r) for r in rows] == [("suspended", "706")]


@pytest.mark.slow
async def test_a_taken_port_leaves_a_polling_bot_serving_residents(
    fake: FakeTelegram, engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    """With polling the web app only serves the desk: if its port is taken the residents are
    still answered, and the operator reads one line saying why the desk is not there."""
    port = free_port()
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", port))
        squatter.listen()
        async with running_bot(fake, engine, HTTP_PORT=str(port)):
            ona = TelegramUser(fake, 808, "lt")
            message = await ona.say("/start elektrenai_lt")
            assert "Ką norėtumėte sužinoti?" in message["text"]
    assert f"the web app could not listen on 127.0.0.1:{port}" in caplog.text


@pytest.mark.slow
async def test_a_taken_port_stops_a_webhook_bot_with_one_line(
    fake: FakeTelegram, engine: Engine
) -> None:
    """Telegram's webhook needs the web app: a taken port is a start-up error, said in one line
    (`error: ...`, status 2, as the command line prints a SettingsError)."""
    port = free_port()
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", port))
        squatter.listen()
        with pytest.raises(SettingsError, match=f"could not listen on 127.0.0.1:{port}"):
            async with running_bot(
                fake,
                engine,
                HTTP_PORT=str(port),
                TELEGRAM_WEBHOOK_URL="https://bot.example.lt",
                TELEGRAM_WEBHOOK_SECRET="s3cret-token",
            ):
                pass
