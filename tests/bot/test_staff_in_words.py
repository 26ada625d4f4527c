"""Staff read their messages in their own language, with names instead of ids: the welcome,
invites as t.me links, request cards, /queue and /my, /service, /today. Journeys through the
real Telegram channel (the fake Bot API over HTTP), and SMS through the signed webhook."""

from __future__ import annotations

import argparse
import re
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot import staff_cli
from dialogs.pipeline.engine import Engine
from storage import bookings, residents, staff
from storage.db import Database
from tests.bot.fake_telegram import FakeTelegram
from tests.bot.fake_twilio import FakeTwilio
from tests.bot.sms_harness import Phone, running_sms
from tests.bot.telegram_harness import TOKEN, TelegramUser, bot_settings, running_bot
from tests.conftest import FixedClock

GROUP = -100400
RASA, TOMAS, STRANGER = 701, 702, 709  # an English-speaking supervisor, a Lithuanian member
PEOPLE = {RASA: ("Rasa", "Petraitė", "en"), TOMAS: ("Tomas", "Jonaitis", "lt")}


class PeopleTelegram(FakeTelegram):
    """The fake Bot API, where each known user has their full name and app language in every
    update they cause (private messages, group messages, button presses)."""

    def _user(self, user_id: int, language_code: str) -> dict[str, Any]:
        first, last, language = PEOPLE.get(user_id, ("Ona", "", language_code))
        user = super()._user(user_id, language)
        return {**user, "first_name": first, **({"last_name": last} if last else {})}


@pytest.fixture
async def people() -> AsyncIterator[PeopleTelegram]:
    server = PeopleTelegram()
    await server.start()
    yield server
    await server.stop()


async def _invite(database: Database, municipality: str, now: datetime) -> str:
    async with database.transaction() as conn:
        return await staff.create_invite(conn, municipality, "supervisor", None, now)


async def _in_group(fake: FakeTelegram, user: int, text: str) -> str:
    before = len(fake.chat_messages(GROUP))
    await fake.group_message(GROUP, user, text)
    await fake.wait_until(lambda: len(fake.chat_messages(GROUP)) > before)
    return str(fake.chat_messages(GROUP)[before]["text"])


async def _press(fake: FakeTelegram, user: int, card: dict[str, Any], data: str) -> str:
    """Press a card's button; return the notice shown to the presser."""
    answers = len(fake.sent("answerCallbackQuery"))
    await fake.user_presses(user, card["message_id"], data)
    calls = await fake.wait_for("answerCallbackQuery", answers + 1)
    return str(calls[-1].params["text"])


async def test_a_request_from_sms_to_staff_who_read_in_their_language_with_names(
    people: PeopleTelegram,
    twilio: FakeTwilio,
    engine: Engine,
    database: Database,
    clock: FixedClock,
) -> None:
    clock.current = datetime(2020, 3, 20, 9, 0, tzinfo=UTC)  # 11:00 in Vilnius
    code = await _invite(database, "elektrenai", clock.now())
    telegram = {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_BASE_URL": people.url}
    async with running_sms(twilio, engine, **telegram) as base:
        rasa, tomas = TelegramUser(people, RASA, "en"), TelegramUser(people, TOMAS, "lt")
        welcome = (await rasa.say(f"/start {code}"))["text"]
        assert welcome.startswith(
            "Welcome to the staff: Elektrėnai Social Services Centre, supervisor.\n"
        )
        assert "/invite: a one-time invite for a colleague" in welcome
        # Rasa invites Tomas: a t.me link to the bot (its username from getMe) and the code.
        invite = (await rasa.say("/invite"))["text"]
        link = re.search(r"https://t\.me/assistant_bot\?start=(staff-[\w-]+)", invite)
        assert link is not None, invite
        assert f"/start {link.group(1)}" in invite
        assert "Elektrėnai Social Services Centre as staff member" in invite
        welcome = (await tomas.say(f"/start {link.group(1)}"))["text"]  # what the link sends
        assert "Elektrėnų socialinių paslaugų centras" in welcome  # in his language, lt
        assert "/queue" in welcome  # a staff member's commands
        assert "/bind" not in welcome
        in_group = await _in_group(people, RASA, "/bind isolation")
        assert in_group == "This group now receives the requests of the queue isolation."
        # Ivan asks by SMS, in Russian, to be called back.
        ivan = Phone(base, "+37060000802")
        # Cyrillic: Russian; a Lithuanian phone: only the Lithuanian municipalities are offered.
        (question,) = await ivan.text("здравствуйте")
        assert question.endswith("V kakom samoupravlenii vy zhivyote?\n1 Elektrenay\n2 Visaginas")
        assert "Tsentr sotsial'nykh uslug Elektrenay" in (await ivan.text("1"))[0]
        (urgency,) = await ivan.text("человек")
        assert urgency.startswith("Naskol'ko srochno?")
        (summary,) = await ivan.text("1")  # today
        assert summary.startswith("Pozhaluysta, prover'te svoyu zayavku:")
        assert (await ivan.text("1"))[0].startswith("Vasha zayavka No. 1 otpravlena.")
        await people.wait_until(lambda: bool(people.chat_messages(GROUP)[1:]))
        card = people.chat_messages(GROUP)[-1]
        # The group's card is in the municipality's language: channel, resident's language.
        assert "2020 m. kovo 20 d. 11:00" in card["text"]
        assert "SMS" in card["text"]
        assert "rusų" in card["text"]
        clock.advance(timedelta(hours=1, minutes=15))
        queue = (await rasa.say("/queue"))["text"]
        assert queue.startswith("Request No. 1: Call me back\n")
        assert "Received: March 20, 2020 11:00, waiting 1 hr 15 min" in queue
        assert "Channel: SMS; language: Russian" in queue
        assert "Phone: +37060000802" in queue
        # Tomas takes it in the group: the card names him; the notice is in his language.
        notice = await _press(people, TOMAS, card, "rq:take:1")
        assert notice != "Saved."
        await people.wait_until(
            lambda: "Tomas Jonaitis" in str(people.messages[card["message_id"]]["text"])
        )
        assert "Status: taken by Tomas Jonaitis" in (await rasa.say("/queue"))["text"]
        assert "Tomas Jonaitis" in (await tomas.say("/my"))["text"]
        assert str(TOMAS) not in (await rasa.say("/queue"))["text"]
        # Rasa, a supervisor, closes it: her notice is in English.
        assert await _press(people, RASA, people.messages[card["message_id"]], "rq:done:1") == (
            "Saved."
        )
        assert (await rasa.say("/my"))["text"] == "No open requests."


async def test_service_status_by_number_or_name_confirmed_in_words(
    people: PeopleTelegram, engine: Engine, database: Database, clock: FixedClock
) -> None:
    clock.current = datetime(2020, 3, 20, 9, 0, tzinfo=UTC)
    rasa_code = await _invite(database, "elektrenai", clock.now())
    tomas_code = await _invite(database, "elektrenai", clock.now())
    async with running_bot(people, engine):
        rasa, tomas = TelegramUser(people, RASA, "en"), TelegramUser(people, TOMAS, "lt")
        await rasa.say(f"/start {rasa_code}")
        await tomas.say(f"/start {tomas_code}")
        listing = (await rasa.say("/service"))["text"]
        assert listing.startswith("Write: /service SERVICE STATUS FROM [UNTIL] [note]")
        assert "\n1. Serving clients at the centre\n2. Vievis children's day centre\n" in listing
        saved = (await rasa.say("/service 2 works 2020-03-20 2020-03-31"))["text"]
        assert saved == (
            "Vievis children's day centre: works from March 20, 2020 until March 31, 2020.\n"
            "Residents see it at once."
        )
        # By name, in Lithuanian: the status in his words, the dates as babel writes them.
        saved = (await tomas.say("/service Vievio vaikų dienos centras veikia 20.03.2020"))["text"]
        assert saved.startswith("Vievio vaikų dienos centras: veikia ")
        assert "2020 m. kovo 20 d." in saved
        # Bad input is refused with the reason and the list.
        refused = (await rasa.say("/service 99 works 2020-03-20"))["text"]
        assert refused.startswith("There is no service “99” in the list.\n")
        assert "2. Vievis children's day centre" in refused
        refused = (await rasa.say("/service 2 sometimes 2020-03-20"))["text"]
        assert refused.startswith("Write the status: works, remote only, limited, suspended.\n")
        refused = (await rasa.say("/service 2 suspended 2020-03-31 2020-03-20"))["text"]
        assert refused.startswith("The last day comes before the first.\n")
        refused = (await rasa.say("/service 2 suspended soon"))["text"]
        assert refused.startswith("Write the first day as a date")
        ona = TelegramUser(people, 803, "lt")
        await ona.say("/start elektrenai_lt")
        await ona.say("paslaugos")
        answer = (await ona.say("Vievio vaikų dienos centras"))["text"]
        assert "sustabd" not in answer  # the notice said suspended until 27 March
    rows = await database.fetchall("SELECT outcome FROM audit_log WHERE action LIKE 'service%'")
    assert [tuple(r) for r in rows] == [("ok",), ("ok",)]


async def test_today_names_residents_by_phone_and_shows_closed_days(
    people: PeopleTelegram, engine: Engine, database: Database, clock: FixedClock
) -> None:
    clock.current = datetime(2021, 11, 3, 7, 0, tzinfo=UTC)  # a Wednesday
    code = await _invite(database, "koknese", clock.now())
    day = date(2021, 11, 3)
    async with database.transaction() as conn:
        sms = await residents.find_or_create(conn, "sms", "+37126000050", clock.now())
        await residents.verify_phone(conn, "sms", "+37126000050", "+37126000050")
        chat = await residents.find_or_create(conn, "telegram", "804", clock.now())
        for resident, channel, address, facility, certificate, contactless in (
            (sms, "sms", "+37126000050", "shower", "test", False),
            (chat, "telegram", "804", "laundry", None, True),
        ):
            new = bookings.NewBooking(
                "koknese", facility, day, resident.id, channel, address, 2, certificate, contactless
            )
            await bookings.book(conn, new, clock.now())
    async with running_bot(people, engine):
        rasa = TelegramUser(people, RASA, "en")
        await rasa.say(f"/start {code}")
        today = (await rasa.say("/today"))["text"]
        assert today == (
            "Koknese Social Service, November 3, 2021\n"
            "Shower: 1 of 2 places booked\n"
            "  1. +37126000050, Negative test\n"
            "Laundry: 1 of 2 places booked\n"
            "  1. no phone known (booked by Telegram), contactless hand-over"
        )
        saturday = (await rasa.say("/today 2021-11-06"))["text"]
        assert "Shower: closed\nLaundry: closed" in saturday
        holiday = (await rasa.say("/today 18.11.2021"))["text"]
        assert "Shower: closed: Republic of Latvia Proclamation Day" in holiday
        refused = (await rasa.say("/today someday"))["text"]
        assert refused.startswith("Write /today, or /today DATE")
        # In a private chat of a member, in Latvian: names and dates in Latvian.
        toms = TelegramUser(people, 705, "lv")
        await toms.say(f"/start {await _invite(database, 'koknese', clock.now())}")
        latvian = (await toms.say("/today"))["text"]
        assert latvian.startswith("Kokneses sociālais dienests, 03.11.2021\nDušas pakalpojums")


async def test_invites_are_for_supervisors_in_private(
    people: PeopleTelegram, engine: Engine, database: Database, clock: FixedClock
) -> None:
    clock.current = datetime(2020, 3, 20, 9, 0, tzinfo=UTC)
    async with database.transaction() as conn:
        member = await staff.create_invite(conn, "elektrenai", "staff", "isolation", clock.now())
    code = await _invite(database, "elektrenai", clock.now())
    async with running_bot(people, engine):
        rasa, tomas = TelegramUser(people, RASA, "en"), TelegramUser(people, TOMAS, "en")
        await rasa.say(f"/start {code}")
        welcome = (await tomas.say(f"/start {member}"))["text"]
        # Tomas's Telegram is in Lithuanian: the welcome and the refusal are in Lithuanian.
        assert "\nMatote eilės „isolation“ prašymus.\n" in welcome
        assert "/today" not in welcome  # bookings belong to no queue
        assert (await tomas.say("/invite"))["text"] == "Kviesti gali tik vadovas."
        in_group = await _in_group(people, RASA, "/invite")
        assert in_group == "Write /invite to me privately: an invite is a key."
        invite = (await rasa.say("/invite supervisor"))["text"]
        assert "Elektrėnai Social Services Centre as supervisor:" in invite
        limited = (await rasa.say("/invite isolation"))["text"]
        assert "as staff member:" in limited
        unknown = (await rasa.say("/invite boss"))["text"]
        assert unknown.startswith("“boss”?\nWrite /invite, or /invite supervisor")
    async with database.transaction() as conn:
        rows = await conn.execute_fetchall(
            "SELECT role, queue FROM staff_invites WHERE used_by IS NULL ORDER BY created_at"
        )
    assert [tuple(r) for r in rows] == [("supervisor", None), ("staff", "isolation")]


async def test_cli_invite_is_a_link_to_the_bot_and_a_code(
    people: PeopleTelegram, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = bot_settings(people, BOT_DATABASE=str(tmp_path / "cli.sqlite3"))
    args = argparse.Namespace(action="invite", municipality="elektrenai", role="staff", queue=None)
    assert await staff_cli.run(settings, args) == 0
    printed = capsys.readouterr().out
    link = re.search(r"https://t\.me/assistant_bot\?start=(staff-[\w-]+)\n", printed)
    assert link is not None, printed
    assert f"/start {link.group(1)}" in printed
    assert people.sent("getMe")  # the username is Telegram's, not configured
