"""Requests and talking to a person, as residents live them on Telegram (the real bot against
the fake Bot API over HTTP, default settings). Residents write in English here: the answers
checked are the ones the code writes, whatever the translators make of them later."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from dialogs.pipeline.engine import Engine
from storage import staff
from storage.db import Database
from tests.bot.fake_telegram import FakeTelegram
from tests.bot.telegram_harness import TelegramUser, running_bot
from tests.conftest import FixedClock

GROUP = -100400
MARCH_20 = datetime(2020, 3, 20, 9, 0, tzinfo=UTC)
NOVEMBER_1 = datetime(2021, 11, 1, 9, 0, tzinfo=UTC)


async def _staff_group(fake: FakeTelegram, database: Database) -> None:
    """A supervisor of Elektrėnai joins and binds the staff group to the isolation queue."""
    async with database.transaction() as conn:
        code = await staff.create_invite(conn, "elektrenai", "supervisor", None, MARCH_20)
    await TelegramUser(fake, 790, "lt").say(f"/start {code}")
    count = len(fake.sent())
    await fake.group_message(GROUP, 790, "/bind isolation")
    await fake.wait_for("sendMessage", count + 1)


def _labels(fake: FakeTelegram, message: dict[str, Any]) -> list[str]:
    return [label for label, _ in fake.buttons(message)]


async def _card(fake: FakeTelegram, number: int) -> dict[str, Any]:
    def cards() -> list[dict[str, Any]]:
        return [
            m
            for m in fake.chat_messages(GROUP)
            if f"rq:take:{number}" in [data for _, data in fake.buttons(m)]
        ]

    await fake.wait_until(lambda: bool(cards()))
    return cards()[-1]


async def test_talk_to_a_person_where_no_staff_use_the_assistant(
    fake: FakeTelegram, engine: Engine, clock: FixedClock
) -> None:
    clock.current = NOVEMBER_1
    async with running_bot(fake, engine):
        anna = TelegramUser(fake, 901, "en")
        await anna.say("/start koknese_en")
        message = await anna.say("talk to a person")
        assert message["text"].startswith("Staff do not call back through this assistant here.")
        assert "soc.dienests@koknese.lv" in message["text"]
        assert "The notice gives no phone number, only this e-mail." in message["text"]
        assert "not taken" not in message["text"]
        ivan = TelegramUser(fake, 902, "en")
        await ivan.say("/start daugavpils_en")
        message = await ivan.say("talk to a person")
        assert "65 476 823, 26 641 869" in message["text"]
        assert "only this e-mail" not in message["text"]


async def test_call_back_asks_how_urgent_and_points_to_the_isolation_number(
    fake: FakeTelegram, engine: Engine, database: Database, clock: FixedClock
) -> None:
    clock.current = MARCH_20
    async with running_bot(fake, engine, BOT_OUTBOX_INTERVAL="0.05"):
        await _staff_group(fake, database)
        ona = TelegramUser(fake, 903, "en")
        await ona.say("/start elektrenai_en")
        message = await ona.say("talk to a person")
        assert message["text"].startswith("Which phone number should staff call?")
        message = await ona.say("+370 600 00903")
        assert message["text"] == "How urgent is it?"
        assert _labels(fake, message)[:2] == ["Today", "In the next days"]
        message = await ona.press("Today")
        assert message["text"].split("\n") == [
            "Please check your request:",
            "Need: call me back",
            "Phone: +37060000903",
            "Urgency: Today",
        ]
        message = await ona.press("Send")
        assert message["text"].startswith("Your request No. 1 is sent.")
        assert "If it cannot wait, call (0-652) 34476." in message["text"]
        assert "1808" not in message["text"]  # the coronavirus hotline is no help line for this
        card = await _card(fake, 1)
        assert "+37060000903" in card["text"]
        # The hotline is still where it belongs: in the contacts.
        await ona.press("Main menu")
        message = await ona.press("Contacts")
        assert "1808" in message["text"]


async def test_withdrawing_asks_first_and_yes_in_words_confirms(
    fake: FakeTelegram, engine: Engine, database: Database, clock: FixedClock
) -> None:
    clock.current = MARCH_20
    async with running_bot(fake, engine, BOT_OUTBOX_INTERVAL="0.05"):
        await _staff_group(fake, database)
        ona = TelegramUser(fake, 904, "en")
        await ona.say("/start elektrenai_en")
        await ona.say("talk to a person")
        await ona.say("+370 600 00904")
        await ona.press("In the next days")
        await ona.press("Send")
        await _card(fake, 1)
        message = await ona.press("My requests")
        assert message["text"] == "No. 1: waiting for a staff member"
        message = await ona.press("Withdraw No. 1")
        assert message["text"] == (
            "Withdraw request No. 1 (Call me back)? Staff will not come or call about it."
        )
        message = await ona.press("Keep it")
        assert message["text"] == "No. 1: waiting for a staff member"  # nothing changed
        await ona.press("Withdraw No. 1")
        message = await ona.say("yes")
        assert message["text"] == "Request No. 1 is withdrawn."
        await fake.wait_until(
            lambda: any("Nr. 1" in str(m["text"]) for m in fake.chat_messages(GROUP)[1:])
        )
    rows = await database.fetchall("SELECT status FROM requests")
    assert [row[0] for row in rows] == ["withdrawn"]


async def test_three_messages_not_understood_offer_a_person_first(
    fake: FakeTelegram, engine: Engine, clock: FixedClock
) -> None:
    clock.current = MARCH_20
    async with running_bot(fake, engine):
        ona = TelegramUser(fake, 905, "en")
        await ona.say("/start elektrenai_en")
        for _ in range(2):
            message = await ona.say("qwerty zxcvb")
            assert _labels(fake, message)[-1] == "Talk to a person"
            assert _labels(fake, message)[0] == "Contacts"
        message = await ona.say("qwerty zxcvb")
        assert message["text"].startswith(
            "Sorry, I still do not understand. Would you like to talk to a person?"
        )
        assert _labels(fake, message)[0] == "Talk to a person"
        message = await ona.press("Talk to a person")
        assert message["text"].startswith("Which phone number should staff call?")
        await ona.say("/menu")
        message = await ona.say("qwerty zxcvb")  # understood in between: counting starts again
        assert _labels(fake, message)[0] == "Contacts"


async def test_out_of_scope_lists_only_what_the_municipality_offers(
    fake: FakeTelegram, engine: Engine, clock: FixedClock
) -> None:
    clock.current = NOVEMBER_1
    async with running_bot(fake, engine):
        anna = TelegramUser(fake, 906, "en")
        await anna.say("/start koknese_en")
        message = await anna.say("what will the weather be tomorrow evening")
        assert message["text"].startswith(
            "Sorry, I can only help with the social services: contacts, service availability, "
            "certificates, and bookings. You can also talk to a person."
        )
        ivan = TelegramUser(fake, 907, "en")
        await ivan.say("/start daugavpils_en")
        message = await ivan.say("I want to buy a new car")
        assert message["text"].startswith(
            "Sorry, I can only help with the social services: contacts, service availability, "
            "and certificates."
        )
