"""A staff group bound after residents have already asked: their requests reach it too."""

from __future__ import annotations

from datetime import UTC, datetime

from dialogs.pipeline.engine import Engine
from storage import staff
from storage.db import Database
from tests.bot.fake_telegram import FakeTelegram
from tests.bot.telegram_harness import TelegramUser, running_bot
from tests.conftest import FixedClock

GROUP = -100500


async def test_requests_filed_before_the_group_was_bound_can_be_taken(
    fake: FakeTelegram, engine: Engine, database: Database, clock: FixedClock
) -> None:
    clock.current = datetime(2020, 3, 20, 9, 0, tzinfo=UTC)
    async with database.transaction() as conn:
        code = await staff.create_invite(conn, "elektrenai", "supervisor", None, clock.now())
    async with running_bot(fake, engine, BOT_OUTBOX_INTERVAL="0.05"):
        residents = [TelegramUser(fake, 820 + i, "lt") for i in range(3)]
        for number, resident in enumerate(residents, start=1):
            await resident.say("/start elektrenai_lt")
            await resident.say("reikia maisto")
            await resident.say("Toliau")
            await resident.say("-")
            await resident.say(f"Rungos g. {number}, Elektrėnai")
            await resident.say("ne")
            await resident.say(f"+3706000082{number}")
            await resident.say("šiandien")
            await resident.say("taip")
        async with database.transaction() as conn:  # the third is already done: no card
            await conn.execute("UPDATE requests SET status = 'done' WHERE id = 3")
        rasa = TelegramUser(fake, 720, "lt")
        await rasa.say(f"/start {code}")
        await fake.group_message(GROUP, 720, "/bind isolation")

        def cards() -> list[dict[str, object]]:
            return [m for m in fake.chat_messages(GROUP) if str(m["text"]).startswith("Prašymas")]

        await fake.wait_until(lambda: len(cards()) == 2)
        answer = next(m for m in fake.chat_messages(GROUP) if "isolation" in str(m["text"]))
        assert "2" in str(answer["text"]), answer["text"]  # says two are waiting
        first = cards()[0]
        assert fake.buttons(first) == [("Priimti", "rq:take:1")]
        await fake.user_presses(720, int(str(first["message_id"])), "rq:take:1")
        await fake.wait_until(
            lambda: fake.last_message(820)["text"].startswith("Darbuotojas priėmė")
        )
        await fake.group_message(GROUP, 720, "/bind isolation")  # again: no second cards
        await fake.wait_until(
            lambda: sum("isolation" in str(m["text"]) for m in fake.chat_messages(GROUP)) == 2
        )
    assert len(cards()) == 2


async def test_help_for_staff_lists_their_commands_and_residents_get_theirs(
    fake: FakeTelegram, engine: Engine, database: Database
) -> None:
    async with database.transaction() as conn:
        code = await staff.create_invite(conn, "elektrenai", "staff", None, datetime.now(UTC))
    async with running_bot(fake, engine):
        tomas = TelegramUser(fake, 721, "lt")
        await tomas.say(f"/start {code}")
        message = await tomas.say("/help")
        assert message["text"].startswith("Ką galite man rašyti:"), message["text"]
        assert "/queue" in message["text"]
        assert "/invite" not in message["text"]  # a supervisor's, not his
        ona = TelegramUser(fake, 822, "lt")
        await ona.say("/start elektrenai_lt")
        message = await ona.say("/help")
        assert message["text"].startswith("Čia padedu šiais klausimais:"), message["text"]
