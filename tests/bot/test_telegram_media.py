"""What residents really send on Telegram: voice notes, locations, photos, stickers, files and
edited messages, through the real bot against the fake Bot API (default settings)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from dialogs.pipeline.engine import Engine
from storage.db import Database
from tests.bot.fake_telegram import FakeTelegram
from tests.bot.telegram_harness import TelegramUser, running_bot
from tests.bot.test_requests_journeys import GROUP, MARCH_20, _card, _labels, _staff_group
from tests.conftest import FixedClock

VOICE = {"file_id": "AwACAgIAAxkBAAIBVOICE", "file_unique_id": "AgADv", "duration": 7}
RUNGOS = {"latitude": 54.786123, "longitude": 24.661987}


def _index(fake: FakeTelegram, method: str, chat_id: int) -> int:
    """Where the first call of `method` to `chat_id` stands among all calls."""
    return next(
        i
        for i, call in enumerate(fake.calls)
        if call.method == method and int(call.params["chat_id"]) == chat_id
    )


async def test_a_voice_note_becomes_a_call_back_that_staff_can_listen_to(
    fake: FakeTelegram, engine: Engine, database: Database, clock: FixedClock
) -> None:
    clock.current = MARCH_20
    async with running_bot(fake, engine, BOT_OUTBOX_INTERVAL="0.05"):
        await _staff_group(fake, database)
        ona = TelegramUser(fake, 911, "en")
        await ona.say("/start elektrenai_en")
        message = await ona.sends(voice=VOICE)
        assert message["text"].startswith("Thank you for your voice message. I cannot listen")
        assert "empty" not in message["text"]
        assert _labels(fake, message)[0] == "Call me back"
        assert "Contacts" in _labels(fake, message)  # the menu it came from stays on offer
        await ona.press("Call me back")
        await ona.say("+370 600 00911")
        message = await ona.press("Today")
        assert "Voice message: staff will get it with the request." in message["text"]
        await ona.press("Send")
        card = await _card(fake, 1)
        assert "Balso žinutė: po šia kortele." in card["text"]  # the group reads Lithuanian
        (voice,) = await fake.wait_for("sendVoice", 1)
    assert int(voice.params["chat_id"]) == GROUP
    assert voice.params["voice"] == VOICE["file_id"]
    assert "1" in voice.params["caption"]  # the request's number
    assert _index(fake, "sendVoice", GROUP) > fake.calls.index(
        next(c for c in fake.sent() if "rq:take:1" in str(c.params.get("reply_markup")))
    )  # after the card
    (row,) = await database.fetchall("SELECT needs, voice FROM requests")
    assert tuple(row) == ('["callback"]', VOICE["file_id"])


async def test_a_location_at_the_address_step_goes_to_staff_with_the_flat(
    fake: FakeTelegram, engine: Engine, database: Database, clock: FixedClock
) -> None:
    clock.current = MARCH_20
    async with running_bot(fake, engine, BOT_OUTBOX_INTERVAL="0.05"):
        await _staff_group(fake, database)
        ona = TelegramUser(fake, 912, "en")
        await ona.say("/start elektrenai_en")
        await ona.press("Help at home")
        await ona.press("Food")
        await ona.press("Continue")
        message = await ona.say("Bread and milk")
        assert message["text"] == "Your address (street, house, flat, town)?"
        message = await ona.sends(location=RUNGOS)
        assert message["text"].startswith("Thank you, staff will see your location on a map.")
        assert "flat number" in message["text"]
        message = await ona.say("5-12")
        assert message["text"].startswith("Which phone number should staff call?")
        await ona.say("+370 600 00912")
        message = await ona.press("In the next days")
        assert "Address: 5-12" in message["text"].split("\n")
        assert "Location: 54.78612, 24.66199" in message["text"].split("\n")
        await ona.press("Send")
        card = await _card(fake, 1)
    assert "54.78612, 24.66199" in card["text"]
    assert "openstreetmap.org/?mlat=54.78612&mlon=24.66199" in card["text"]
    assert "5-12" in card["text"]
    (row,) = await database.fetchall("SELECT home_address, latitude, longitude FROM requests")
    assert tuple(row) == ("5-12", 54.786123, 24.661987)


async def test_photos_stickers_files_and_stray_locations_get_a_short_answer(
    fake: FakeTelegram, engine: Engine, clock: FixedClock
) -> None:
    clock.current = MARCH_20
    photo = [{"file_id": "P1", "file_unique_id": "p1", "width": 90, "height": 90}]
    sticker = {
        "file_id": "S1",
        "file_unique_id": "s1",
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
    }
    document = {"file_id": "D1", "file_unique_id": "d1", "file_name": "izrasas.pdf"}
    async with running_bot(fake, engine):
        ona = TelegramUser(fake, 913, "en")
        await ona.say("/start elektrenai_en")
        offered = _labels(fake, await ona.press("Contacts"))
        answers: dict[str, Any] = {
            "I cannot look at photos.": await ona.sends(photo=photo),
            "Thank you for the sticker!": await ona.sends(sticker=sticker),
            "I cannot open files.": await ona.sends(document=document),
            "I need a location only when I ask for your address.": await ona.sends(location=RUNGOS),
        }
        for lead, message in answers.items():
            assert message["text"] == (
                f"{lead} I read text and buttons: please write in words or choose a number."
            )
            assert _labels(fake, message) == offered  # the contacts stay on offer
        message = await ona.say("2")  # and their numbers still answer
        assert message["text"].startswith("Social services for families")


async def test_an_edited_message_is_read_as_a_new_one(
    fake: FakeTelegram, engine: Engine, clock: FixedClock
) -> None:
    clock.current = MARCH_20
    async with running_bot(fake, engine):
        ona = TelegramUser(fake, 914, "en")
        await ona.say("/start elektrenai_en")
        count = len(fake.chat_messages(914))
        await fake.user_edits(914, message_id=1, text="contacts")
        await fake.wait_until(lambda: len(fake.chat_messages(914)) > count)
        message = fake.last_message(914)
    assert message["text"].startswith("You edited a message: I read it as a new one.\n\n")
    assert "Whom do you need?" in message["text"]


async def test_a_started_request_left_for_another_topic_is_never_dropped_silently(
    fake: FakeTelegram, engine: Engine, clock: FixedClock
) -> None:
    clock.current = MARCH_20
    async with running_bot(fake, engine):
        ona = TelegramUser(fake, 915, "en")
        await ona.say("/start elektrenai_en")
        await ona.press("Help at home")
        await ona.press("Medicines")
        await ona.press("Continue")
        message = await ona.say("contacts")  # another topic, in the middle of the request
        assert message["text"].startswith("Whom do you need?")
        assert message["text"].endswith("The request you started is not sent yet.")
        assert _labels(fake, message)[0] == "Continue my request"
        message = await ona.say("services")  # told once, not on every message after
        assert "not sent yet" not in message["text"]
        await ona.say("/menu")
        message = await ona.say("contacts")
        assert "not sent yet" not in message["text"]
        # Back to it from the numbered choice of that earlier message's list.
        message = await ona.press_data(
            next(
                m["message_id"]
                for m in fake.chat_messages(915)
                if m["text"].endswith("The request you started is not sent yet.")
            ),
            "rqgo",
        )
        assert message["text"] == 'Describe briefly what you need, or write "-".'
        await ona.say("Insulin")
        # A long pause: the conversation starts again from the menu, and says so.
        clock.advance(timedelta(hours=2))
        message = await ona.say("Rungos 5")
        assert "We have not talked for a while" in message["text"]
        assert message["text"].endswith("The request you started is not sent yet.")
        message = await ona.press("Continue my request")
        assert message["text"] == "Your address (street, house, flat, town)?"
        # Asking for a call-back instead says that the started request was not sent.
        message = await ona.say("talk to a person")
        assert message["text"].startswith("The request you started before was not sent.")
