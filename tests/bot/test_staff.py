"""Requests from isolated residents to staff groups and back, on the fake Bot API server."""

from __future__ import annotations

import asyncio
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from dialogs.core.i18n import Catalogs
from dialogs.pipeline.engine import Engine
from storage import staff
from storage.content import load_content
from storage.db import Database
from tests.bot.fake_telegram import FakeTelegram
from tests.bot.telegram_harness import TelegramUser, running_bot
from tests.bot.test_cli import run_bot
from tests.conftest import CONTENT_DIR, FixedClock

GROUP = -100300


async def _invite(database: Database, role: str) -> str:
    async with database.transaction() as conn:
        return await staff.create_invite(conn, "elektrenai", role, None, datetime.now(UTC))


async def _card(fake: FakeTelegram) -> dict[str, Any]:
    def cards() -> list[dict[str, Any]]:
        return [m for m in fake.chat_messages(GROUP) if str(m["text"]).startswith("Prašymas Nr.")]

    await fake.wait_until(lambda: bool(cards()))
    return cards()[-1]


async def test_food_request_from_resident_to_staff_group_and_back(
    fake: FakeTelegram, engine: Engine, database: Database, clock: FixedClock
) -> None:
    clock.current = datetime(2020, 3, 20, 9, 0, tzinfo=UTC)
    supervisor_code, staff_code = (
        await _invite(database, "supervisor"),
        await _invite(database, "staff"),
    )
    async with running_bot(fake, engine, BOT_OUTBOX_INTERVAL="0.05"):
        rasa = TelegramUser(fake, 701, "lt")
        message = await rasa.say(f"/start {supervisor_code}")
        assert "Elektrėnų socialinių paslaugų centras" in message["text"]  # its name, in lt
        assert "/bind" in message["text"]  # what a supervisor can write
        message = await rasa.say(f"/start {supervisor_code}")  # one-time
        assert message["text"] == "Toks kvietimas nežinomas arba jau panaudotas."
        count = len(fake.sent())
        await fake.group_message(GROUP, 701, "/bind isolation")
        await fake.wait_for("sendMessage", count + 1)
        assert (
            fake.last_message(GROUP)["text"] == "Ši grupė dabar gauna eilės „isolation“ prašymus."
        )
        tomas = TelegramUser(fake, 702, "lt")
        await tomas.say(f"/start {staff_code}")
        # A resident files a food request in Lithuanian.
        ona = TelegramUser(fake, 801, "lt")
        await ona.say("/start elektrenai_lt")
        await ona.press("Pagalba į namus")
        await ona.press("Maistas")
        await ona.press("Vaistai")
        await ona.press("Toliau")
        await ona.say("Duona, pienas ir vaistai nuo spaudimo")
        message = await ona.say("Rungos g. 5-12, Elektrėnai")
        assert message["text"] == "Ar įsiminti šį adresą kitam prašymui?"
        message = await ona.press("Ne")
        assert message["text"] == (
            "Kokiu telefono numeriu darbuotojai galėtų jums paskambinti? Parašykite jį arba"
            " pasidalinkite savo numeriu mygtuku apačioje."
        )
        assert fake.sent()[-1].params["reply_markup"]["keyboard"][0][0]["request_contact"]
        message = await ona.share_own_contact("37060000801")  # the request goes on
        assert message["text"] == "Kaip skubiai?"
        message = await ona.press("Šiandien")
        assert message["text"].startswith("Patikrinkite savo prašymą:\n")
        assert "\nReikia: maistas, vaistai\n" in message["text"]
        message = await ona.press("Siųsti")
        assert message["text"].startswith("Jūsų prašymas Nr. 1 išsiųstas.")
        assert "(0-652) 34476" in message["text"]  # the number for isolated residents
        assert "1808" not in message["text"]
        card = await _card(fake)
        assert card["text"].startswith("Prašymas Nr. 1: Maistas, Vaistai")
        assert "Adresas: Rungos g. 5-12, Elektrėnai" in card["text"]
        assert "Telefonas: +37060000801" in card["text"]
        assert fake.buttons(card) == [("Priimti", "rq:take:1")]
        # An outsider's press is refused and changes nothing.
        answers = len(fake.sent("answerCallbackQuery"))
        await fake.user_presses(999, card["message_id"], "rq:take:1")
        calls = await fake.wait_for("answerCallbackQuery", answers + 1)
        assert calls[-1].params["text"] == "Jums to daryti neleidžiama."
        assert calls[-1].params["show_alert"] is True
        assert fake.buttons(fake.messages[card["message_id"]]) == [("Priimti", "rq:take:1")]
        # A staff member takes it; the card shows who holds it; the resident is told.
        await fake.user_presses(702, card["message_id"], "rq:take:1")
        await fake.wait_until(lambda: "priėmė" in str(fake.messages[card["message_id"]]["text"]))
        assert "Būsena: priėmė Ona" in fake.messages[card["message_id"]]["text"]
        await fake.wait_until(
            lambda: fake.last_message(801)["text"].startswith("Darbuotojas priėmė")
        )
        # Someone else on the staff cannot close what Tomas holds; Tomas can.
        await fake.user_presses(999, card["message_id"], "rq:done:1")
        await fake.user_presses(702, card["message_id"], "rq:done:1")
        await fake.wait_until(
            lambda: fake.last_message(801)["text"] == "Jūsų prašymas Nr. 1 įvykdytas."
        )
        message = await ona.say("mano prašymai")
        assert message["text"] == "Nr. 1: įvykdytas"
    rows = await database.fetchall("SELECT actor, action, outcome FROM audit_log ORDER BY id")
    assert ("999", "card take", "refused") in [tuple(r) for r in rows]
    assert ("702", "card done", "ok") in [tuple(r) for r in rows]


async def test_untaken_request_is_escalated_naming_supervisors(
    fake: FakeTelegram, engine: Engine, database: Database, clock: FixedClock
) -> None:
    clock.current = datetime(2020, 3, 20, 9, 0, tzinfo=UTC)
    code = await _invite(database, "supervisor")
    async with running_bot(fake, engine, BOT_OUTBOX_INTERVAL="0.05"):
        await TelegramUser(fake, 703, "lt").say(f"/start {code}")
        count = len(fake.sent())
        await fake.group_message(GROUP, 703, "/bind isolation")
        await fake.wait_for("sendMessage", count + 1)
        ivan = TelegramUser(fake, 802, "ru")
        await ivan.say("/start elektrenai_ru")
        await ivan.say("поговорить с человеком")
        message = await ivan.say("+370 600 00802")
        assert [label for label, _ in fake.buttons(message)][:2] == ["Сегодня", "В ближайшие дни"]
        message = await ivan.press("В ближайшие дни")
        assert "\nНужно: перезвоните мне\n" in message["text"]
        await ivan.press("Отправить")
        await _card(fake)
        clock.advance(timedelta(minutes=61))
        await fake.wait_until(
            lambda: any(
                "laukia ilgiau nei 60 min" in str(m["text"]) for m in fake.chat_messages(GROUP)
            )
        )
        await asyncio.sleep(0.2)
    escalations = [m for m in fake.chat_messages(GROUP) if "laukia ilgiau" in str(m["text"])]
    assert len(escalations) == 1
    assert escalations[0]["text"] == "Prašymas Nr. 1 laukia ilgiau nei 60 min. Vadovai: Ona."


def test_staff_cli(tmp_path: object) -> None:
    env = {"BOT_DATABASE": f"{tmp_path}/staff.sqlite3"}
    invite = run_bot(
        "staff", "invite", "--municipality", "elektrenai", "--role", "supervisor", env=env
    )
    assert invite.returncode == 0
    assert "/start staff-" in invite.stdout
    assert run_bot("staff", "list", env=env).stdout == ""
    assert run_bot("staff", "invite", "--municipality", "riga", env=env).returncode == 2
    assert run_bot("staff", "remove", "5", "--municipality", "elektrenai", env=env).returncode == 1


async def test_service_status_set_by_staff_is_seen_at_once_and_today_roster(
    fake: FakeTelegram, engine: Engine, database: Database, clock: FixedClock
) -> None:
    clock.current = datetime(2020, 3, 20, 9, 0, tzinfo=UTC)
    code = await _invite(database, "supervisor")
    async with running_bot(fake, engine):
        rasa = TelegramUser(fake, 704, "lt")
        await rasa.say(f"/start {code}")
        message = await rasa.say("/service vievis-day-centre")  # no status: refused, the list
        assert "2. Vievio vaikų dienos centras" in message["text"]
        message = await rasa.say(
            "/service vievis-day-centre remote_only 2020-03-20 2020-04-03 Tik nuotoliniu"
        )
        assert message["text"].startswith("Vievio vaikų dienos centras: ")  # named, not its id
        assert "tik nuotoliniu būdu" in message["text"]  # the status in words
        assert "2020 m. kovo 20 d." in message["text"]
        assert "2020 m. balandžio 3 d." in message["text"]
        ona = TelegramUser(fake, 803, "lt")
        await ona.say("/start elektrenai_lt")
        await ona.say("paslaugos")
        message = await ona.say("Vievio vaikų dienos centras")
        assert "tik nuotoliniu būdu iki 2020 m. balandžio 3 d." in message["text"]
        assert "Tik nuotoliniu" in message["text"]
        message = await rasa.say("/today")
        # Elektrėnai has no facilities: /today says nothing can be booked there.
        assert message["text"] == (
            "Jūsų savivaldybėje užsiregistruoti naudotis dušu ar skalbykla negalima."
        )
        outsider = TelegramUser(fake, 804, "lt")
        message = await outsider.say("/service vievis-day-centre available 2020-03-20")
        assert "Kurioje savivaldybėje gyvenate?" in message["text"]  # not staff: a resident
    rows = await database.fetchall(
        "SELECT actor, outcome FROM audit_log WHERE action LIKE 'service%'"
    )
    assert [tuple(r) for r in rows] == [("704", "ok"), ("804", "refused")]


async def test_blocked_resident_is_reported_to_staff(
    fake: FakeTelegram, engine: Engine, database: Database, clock: FixedClock
) -> None:
    clock.current = datetime(2020, 3, 20, 9, 0, tzinfo=UTC)
    code = await _invite(database, "supervisor")
    async with running_bot(fake, engine, BOT_OUTBOX_INTERVAL="0.05"):
        await TelegramUser(fake, 705, "lt").say(f"/start {code}")
        count = len(fake.sent())
        await fake.group_message(GROUP, 705, "/bind isolation")
        await fake.wait_for("sendMessage", count + 1)
        ona = TelegramUser(fake, 805, "lt")
        await ona.say("/start elektrenai_lt")
        await ona.say("žmogus")
        await ona.say("+370 600 00805")
        await ona.press("Šiandien")
        await ona.press("Siųsti")
        card = await _card(fake)
        fake.fail("sendMessage", 403, "Forbidden: bot was blocked by the user")  # the next send
        await fake.user_presses(705, card["message_id"], "rq:take:1")
        await fake.wait_until(
            lambda: any("pasiekti nepavyksta" in str(m["text"]) for m in fake.chat_messages(GROUP))
        )
    rows = await database.fetchall("SELECT unreachable_since FROM identities WHERE address = '805'")
    assert rows[0][0] is not None


async def test_food_request_in_latvian(
    fake: FakeTelegram, database: Database, catalogs: Catalogs, clock: FixedClock, tmp_path: Path
) -> None:
    """A Latvian municipality with a staff queue (test content: the seeds give none)."""
    folder = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, folder)
    with (folder / "koknese.toml").open("a", encoding="utf-8") as file:
        file.write('\n[requests]\ndepartment = "social-service"\n')
    clock.current = datetime(2021, 11, 1, 9, 0, tzinfo=UTC)
    engine = Engine(database, load_content(folder), catalogs, clock)
    async with database.transaction() as conn:
        code = await staff.create_invite(conn, "koknese", "staff", None, clock.now())
        await staff.bind_group(conn, str(GROUP), "koknese", "isolation", "test", clock.now())
    async with running_bot(fake, engine, BOT_OUTBOX_INTERVAL="0.05"):
        await TelegramUser(fake, 706, "lv").say(f"/start {code}")
        anna = TelegramUser(fake, 806, "lv")
        await anna.say("/start koknese_lv")
        await anna.press("Palīdzība mājās")
        await anna.press("Pārtika")
        await anna.press("Turpināt")
        await anna.say("Maize un piens")
        await anna.say("Blaumaņa iela 2, Koknese")
        await anna.press("Nē")
        await anna.say("26000806")
        await anna.press("Šodien")
        message = await anna.press("Nosūtīt")
        assert message["text"].startswith("Jūsu pieprasījums Nr. 1 ir nosūtīts.")
        await fake.wait_until(lambda: bool(fake.chat_messages(GROUP)))
        card = fake.last_message(GROUP)
        assert card["text"].startswith("Pieprasījums Nr. 1: Pārtika")
        await fake.user_presses(706, card["message_id"], "rq:take:1")
        await fake.wait_until(
            lambda: (
                fake.last_message(806)["text"] == "Darbinieks ir pieņēmis jūsu pieprasījumu Nr. 1."
            )
        )
        await fake.user_presses(706, card["message_id"], "rq:done:1")
        await fake.wait_until(
            lambda: fake.last_message(806)["text"] == "Jūsu pieprasījums Nr. 1 ir izpildīts."
        )
        message = await anna.say("kas notiek ar manu pieprasījumu")
        assert message["text"] == "Nr. 1: izpildīts"
