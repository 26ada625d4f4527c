"""Staff commands are authorized against the chat they come from: residents' data goes only to
a member's private chat or to a group bound to that queue. Every chat kind is tried."""

from __future__ import annotations

from datetime import UTC, datetime

from dialogs.pipeline.engine import Engine
from storage import requests, residents, staff
from storage.db import Database
from tests.bot.fake_telegram import FakeTelegram
from tests.bot.telegram_harness import running_bot

NOW = datetime(2020, 3, 20, 9, 0, tzinfo=UTC)
ISOLATION_GROUP, OTHER_QUEUE_GROUP, KOKNESE_GROUP, UNBOUND_GROUP = -1001, -1002, -1003, -1004
SUPERVISOR, LIMITED, KOKNESE_MEMBER, STRANGER = 701, 702, 703, 704
SECRET = "Rungos g. 5-12"  # the resident's address: personal data


async def _setting(database: Database) -> None:
    """An Elektrėnai supervisor, an Elektrėnai member limited to another queue, a Koknese member;
    groups bound to Elektrėnai's isolation queue, to its other queue, and to Koknese's."""
    async with database.transaction() as conn:
        for user, municipality, role, queue in (
            (SUPERVISOR, "elektrenai", "supervisor", None),
            (LIMITED, "elektrenai", "staff", "callbacks"),
            (KOKNESE_MEMBER, "koknese", "supervisor", None),
        ):
            code = await staff.create_invite(conn, municipality, role, queue, NOW)
            await staff.redeem(conn, code, str(user), "Name", NOW)
        await staff.bind_group(conn, str(ISOLATION_GROUP), "elektrenai", "isolation", "701", NOW)
        await staff.bind_group(conn, str(OTHER_QUEUE_GROUP), "elektrenai", "callbacks", "701", NOW)
        await staff.bind_group(conn, str(KOKNESE_GROUP), "koknese", "isolation", "703", NOW)
        resident = await residents.find_or_create(conn, "telegram", "801", NOW)
        new = requests.NewRequest(
            "elektrenai", "isolation", resident.id, "telegram", "801", "lt", ("food",),
            "duona", SECRET, "+37060000801", "today",
        )  # fmt: skip
        await requests.file(conn, new, NOW)


async def _answer(fake: FakeTelegram, user: int, text: str) -> str:
    """What the bot answers in `user`'s private chat to `text`."""
    before = len(fake.chat_messages(user))
    await fake.user_says(user, text)
    await fake.wait_until(lambda: len(fake.chat_messages(user)) > before)
    return str(fake.last_message(user)["text"])


async def test_queue_shows_residents_data_only_where_it_may(
    fake: FakeTelegram, engine: Engine, database: Database
) -> None:
    await _setting(database)
    async with running_bot(fake, engine, BOT_OUTBOX_INTERVAL="0.05"):
        # Where it may: the supervisor's private chat, the group bound to the queue.
        assert SECRET in await _answer(fake, SUPERVISOR, "/queue")
        group = await _answer_in_group(fake, ISOLATION_GROUP, SUPERVISOR, "/queue")
        assert SECRET in group
        # Not in a group of another queue, another municipality's group, an unbound group.
        for chat in (OTHER_QUEUE_GROUP, KOKNESE_GROUP, UNBOUND_GROUP):
            text = await _answer_in_group(fake, chat, SUPERVISOR, "/queue")
            assert SECRET not in text
            assert (
                text.startswith("Šiame pokalbyje nieko nerodau") or text == "Atvirų prašymų nėra."
            )
        # A member limited to another queue sees nothing of it, privately or in its group.
        assert SECRET not in await _answer(fake, LIMITED, "/queue")
        assert SECRET not in await _answer_in_group(fake, ISOLATION_GROUP, LIMITED, "/queue")
        # Another municipality's member, in their own chat or in the Elektrėnai group.
        assert SECRET not in await _answer(fake, KOKNESE_MEMBER, "/queue")
        assert SECRET not in await _answer_in_group(fake, ISOLATION_GROUP, KOKNESE_MEMBER, "/my")
        # Someone who is no staff: in a group nothing at all, privately it is a resident's text.
        assert await _silent_in_group(fake, ISOLATION_GROUP, STRANGER, "/queue")
        assert SECRET not in await _answer(fake, STRANGER, "/queue")
        # /today (bookings have phones) follows the same rule.
        today = await _answer_in_group(fake, UNBOUND_GROUP, SUPERVISOR, "/today")
        assert today.startswith("Šiame pokalbyje nieko nerodau")
    everything = " ".join(str(c.params.get("text")) for c in fake.sent())
    assert everything.count(SECRET) == 2  # exactly the two places where it may be


async def _answer_in_group(fake: FakeTelegram, chat: int, user: int, text: str) -> str:
    """The bot's first answer in a group after `user` wrote `text` there."""
    before = len(fake.chat_messages(chat))
    await fake.group_message(chat, user, text)
    await fake.wait_until(lambda: len(fake.chat_messages(chat)) > before)
    return str(fake.chat_messages(chat)[before]["text"])


async def _silent_in_group(fake: FakeTelegram, chat: int, user: int, text: str) -> bool:
    """True if the bot wrote nothing in the group for `text`: a supervisor's /my after it is
    answered first (one chat's updates are handled, and answered, in order)."""
    before = len(fake.chat_messages(chat))
    await fake.group_message(chat, user, text)
    await fake.group_message(chat, SUPERVISOR, "/my")
    await fake.wait_until(lambda: len(fake.chat_messages(chat)) > before)
    return str(fake.chat_messages(chat)[before]["text"]) == "Atvirų prašymų nėra."
