"""Journeys on Telegram with the words residents type: yes and no, days, thanks; what a
municipality does not offer; My bookings with the waiting list; certificates to the hour."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.settings import Settings
from dialogs.pipeline.engine import Engine
from storage.db import Database
from tests.bot.fake_telegram import FakeTelegram
from tests.bot.fake_twilio import FakeTwilio
from tests.bot.sms_harness import Phone, running_sms
from tests.bot.telegram_harness import TelegramUser, running_bot
from tests.conftest import FixedClock

KOKNESE_MORNING = datetime(2021, 11, 1, 9, 0, tzinfo=UTC)


async def _count(database: Database, sql: str) -> int:
    return int((await database.fetchall(sql))[0][0])


async def test_a_request_sent_with_taip_and_thanks_answered(
    fake: FakeTelegram, engine: Engine, database: Database
) -> None:
    # At the default pacing of a private chat (1 message a second), as a municipality runs it.
    default_rate = str(Settings.from_env({}).telegram_chat_rate)
    async with running_bot(fake, engine, TELEGRAM_CHAT_RATE=default_rate):
        ona = TelegramUser(fake, 601, "lt")
        await ona.say("/start elektrenai_lt")
        await ona.say("reikia maisto")
        await ona.say("Toliau")
        await ona.say("-")
        await ona.say("Vilniaus g. 1-2, Elektrėnai")
        await ona.say("ne")  # do not remember the address
        await ona.say("+37060000601")
        summary = await ona.say("šiandien")
        assert await _count(database, "SELECT COUNT(*) FROM requests") == 0, summary["text"]
        sent = await ona.say("taip")
        assert await _count(database, "SELECT COUNT(*) FROM requests") == 1, sent["text"]
        thanks = await ona.say("Ačiū!")
        assert thanks["text"].startswith("Prašom")


async def test_no_to_a_request_sends_nothing_and_says_so(
    fake: FakeTelegram, engine: Engine, database: Database
) -> None:
    async with running_bot(fake, engine):
        ivan = TelegramUser(fake, 602, "ru")
        await ivan.say("/start elektrenai_ru")
        await ivan.say("нужны лекарства")
        for text in ("Далее", "-", "ул. Вильняус 1, Электренай", "нет", "+37060000602"):
            await ivan.say(text)
        await ivan.say("сегодня")
        answer = await ivan.say("нет")
        assert await _count(database, "SELECT COUNT(*) FROM requests") == 0
        assert "ничего не отправлено" in answer["text"].lower(), answer["text"]


async def test_cancel_a_booking_with_ne_then_ja_and_book_for_parit(
    fake: FakeTelegram, engine: Engine, database: Database, clock: FixedClock
) -> None:
    clock.current = KOKNESE_MORNING
    async with running_bot(fake, engine):
        anna = TelegramUser(fake, 603, "lv")
        await anna.say("/start koknese_lv")
        await anna.say("pieraksts")
        await anna.press("Dušas")
        await anna.say("parīt")  # Wednesday 3 November
        await anna.press("Vakcinācijas")
        message = await anna.say("01.10.2021")
        assert "3. novembr" in message["text"], message["text"]
        assert await _count(database, "SELECT COUNT(*) FROM bookings WHERE day = '2021-11-03'") == 1
        await anna.say("mani pieraksti")
        await anna.say("1")  # cancel it...
        await anna.say("nē")  # ...no, keep it
        assert await _count(database, "SELECT COUNT(*) FROM bookings WHERE status = 'active'") == 1
        await anna.say("1")
        await anna.say("ja")  # "jā" without its accent
        assert await _count(database, "SELECT COUNT(*) FROM bookings WHERE status = 'active'") == 0


async def test_my_bookings_shows_the_waiting_list_and_takes_the_offer(
    fake: FakeTelegram, engine: Engine, database: Database, clock: FixedClock
) -> None:
    clock.current = KOKNESE_MORNING
    async with running_bot(fake, engine, BOT_OUTBOX_INTERVAL="0.05"):
        first, second = TelegramUser(fake, 604, "lv"), TelegramUser(fake, 605, "lv")
        waiting = TelegramUser(fake, 606, "lv")
        for user in (first, second, waiting):
            await user.say("/start koknese_lv")
            await user.say("pieraksts")
            await user.press("Veļas")
            await user.say("4. novembrī")
            if user is not waiting:
                await user.press("nav")  # no certificate: laundry is contactless
        await waiting.say("1")  # the day is full: join the waiting list
        mine = await waiting.say("mani pieraksti")
        assert "4. novembr" in mine["text"], mine["text"]
        before = len(fake.chat_messages(606))
        await first.say("mani pieraksti")
        await first.say("1")
        await first.say("jā")
        await fake.wait_until(lambda: len(fake.chat_messages(606)) > before)  # the offer
        mine = await waiting.say("mani pieraksti")
        labels = [label for label, _ in fake.buttons(mine)]
        assert sum("4. novembris" in label for label in labels) == 2, labels  # take, pass on
        question = await waiting.say("jā")  # the one yes on screen: take the held place
        assert "sertifikāt" in question["text"], question["text"]
        booked = await waiting.press("nav")
        assert "4. novembris" in booked["text"], booked["text"]
        active = "SELECT COUNT(*) FROM bookings WHERE status = 'active'"
        assert await _count(database, active) == 2
        accepted = "SELECT COUNT(*) FROM waitlist WHERE status = 'accepted'"
        assert await _count(database, accepted) == 1


async def test_a_test_valid_until_a_time_on_the_visit_day_says_so(
    fake: FakeTelegram, engine: Engine, clock: FixedClock
) -> None:
    clock.current = KOKNESE_MORNING
    async with running_bot(fake, engine):
        anna = TelegramUser(fake, 607, "lv")
        await anna.say("/start koknese_lv")
        await anna.say("izziņas")
        await anna.press("klātienē")
        await anna.press("Negatīvs tests")
        await anna.say("30.10.2021 10:00")
        # 72 hours from 10:00 on 30 October, across the change to winter time: 09:00 on 2 Nov.
        verdict = await anna.say("2. novembrī")
        assert "09:00" in verdict["text"], verdict["text"]
        later = await anna.say("3. novembrī")
        assert "nav derīgs" in later["text"], later["text"]


async def test_what_a_municipality_lacks_is_not_an_empty_menu(
    fake: FakeTelegram, engine: Engine
) -> None:
    async with running_bot(fake, engine):
        ona = TelegramUser(fake, 608, "lt")
        await ona.say("/start elektrenai_lt")
        for word in ("pažymos", "registracija"):
            message = await ona.say(word)
            labels = [label for label, _ in fake.buttons(message)]
            assert "Kontaktai" in labels, (word, labels)  # the menu of what it does have
            assert "Pažymos" not in labels
            assert "Registracijos" not in labels


async def test_no_reopening_date_the_notice_does_not_give(
    fake: FakeTelegram, engine: Engine
) -> None:
    async with running_bot(fake, engine):
        ona = TelegramUser(fake, 609, "lt")
        await ona.say("/start elektrenai_lt")
        message = await ona.say("Vievio vaikų dienos centras")
        assert "sustabdyta iki 2020 m. kovo 27 d." in message["text"], message["text"]
        assert "kovo 28" not in message["text"]  # the notice says nothing of a reopening
        anna = TelegramUser(fake, 610, "lv")
        await anna.say("/start daugavpils_lv")
        message = await anna.say("pārtikas komplekti")
        assert "14.04.2020" in message["text"], message["text"]
        assert "darbojas līdz" not in message["text"]  # the order ends, the aid goes on


async def test_by_sms_zero_goes_back_and_jā_without_accent_answers(
    twilio: FakeTwilio, engine: Engine, database: Database, clock: FixedClock
) -> None:
    clock.current = KOKNESE_MORNING
    async with running_sms(twilio, engine) as base:
        phone = Phone(base, "+37126000611")
        await phone.text("Labdien")
        await phone.text("Koknese")
        (certificates,) = await phone.text("izzinas")
        assert certificates.endswith("\n0 atpakal"), certificates  # "0 = back", folded to GSM-7
        (menu,) = await phone.text("0")
        assert "Ko velaties uzzinat?" in menu, menu
        await phone.text("pieraksts")
        await phone.text("1")  # the shower
        await phone.text("ritdien")  # tomorrow, 2 November
        await phone.text("1")  # a vaccination certificate
        (booked,) = await phone.text("01.10.2021")
        assert "2. novembris" in booked, booked
        await phone.text("mani pieraksti")
        await phone.text("1")
        (done,) = await phone.text("ja")
        active = "SELECT COUNT(*) FROM bookings WHERE status = 'active'"
        assert await _count(database, active) == 0, done


async def test_a_shower_booked_with_a_test_ending_that_morning_says_until_9(
    fake: FakeTelegram, engine: Engine, clock: FixedClock
) -> None:
    clock.current = KOKNESE_MORNING
    async with running_bot(fake, engine):
        janis = TelegramUser(fake, 612, "lv")
        await janis.say("/start koknese_lv")
        await janis.say("gribu uz dušu otrdien")
        await janis.say("tests")  # the label "Negatīvs tests", by its word
        booked = await janis.say("30.10.2021 10:00")
        # 72 real hours, across the change to winter time: 09:00 on Tuesday, not 10:00.
        assert "otrdiena, 2. novembris" in booked["text"], booked["text"]
        assert "tikai līdz 09:00" in booked["text"], booked["text"]
        laundry = TelegramUser(fake, 613, "lv")
        await laundry.say("/start koknese_lv")
        await laundry.say("gribu mazgāt veļu trešdien")
        await laundry.say("tests")
        booked = await laundry.say("30.10.2021 10:00")
        assert "nav derīgs" in booked["text"], booked["text"]  # so: contactless, said plainly
        assert "bezkontakta" in booked["text"], booked["text"]
