"""The Telegram channel end to end: the real bot over HTTP against a fake Bot API server."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from datetime import UTC, date, datetime

import aiohttp
import pytest

from bot.channels.telegram.webhook import SECRET_HEADER
from dialogs.core.i18n import Catalogs
from dialogs.pipeline.engine import Engine
from storage import certificates
from storage.certificates import StatusCertificate
from storage.content import Content
from storage.db import Database
from tests.bot.fake_telegram import FakeTelegram
from tests.bot.telegram_harness import TelegramUser, running_bot
from tests.conftest import FixedClock


async def test_start_to_contacts_and_services_by_buttons(
    fake: FakeTelegram, engine: Engine
) -> None:
    async with running_bot(fake, engine):
        ona = TelegramUser(fake, 501, "lt")
        message = await ona.say("/start")
        assert (
            message["text"]
            == "Sveiki! Esu socialinių paslaugų asistentas. Kurioje savivaldybėje gyvenate?"
        )
        message = await ona.press("Elektrėnai")
        assert "Elektrėnų socialinių paslaugų centras. Ką norėtumėte sužinoti?" in message["text"]
        await ona.press("Kontaktai")
        message = await ona.press("Pagalba į namus")
        assert "Telefonai: (0-528) 39804, (0-652) 34476" in message["text"]
        await ona.press("Pagrindinis meniu")
        await ona.press("Paslaugų teikimas")
        message = await ona.press("Kas šiandien apribota")
        assert "2020 m. kovo 20 d. apribotos 5 paslaugos." in message["text"]
        message = await ona.press("Kazokiškių")
        assert "sustabdyta iki 2020 m. kovo 27 d." in message["text"]
    assert len(fake.sent()) == 1  # every press edited the one message: no wall of menus
    assert len(fake.sent("answerCallbackQuery")) == 7
    for call in fake.sent("editMessageText"):
        keyboard = call.params.get("reply_markup") or {"inline_keyboard": []}
        for row in keyboard["inline_keyboard"]:
            assert len(row[0]["callback_data"].encode()) <= 64


async def test_typed_conversation_in_latvian(fake: FakeTelegram, engine: Engine) -> None:
    async with running_bot(fake, engine):
        anna = TelegramUser(fake, 502, "lv")
        message = await anna.say("/start")
        assert (
            message["text"]
            == "Labdien! Esmu sociālo pakalpojumu asistents. Kurā pašvaldībā jūs dzīvojat?"
        )
        message = await anna.say("daugavpils")
        assert "Daugavpils novada Sociālais dienests. Ko vēlaties uzzināt?" in message["text"]
        message = await anna.say("kontakti")
        assert "Pie kā vēlaties vērsties?" in message["text"]
        message = await anna.say("1")
        assert "Tālruņi: 65 476 823, 26 641 869" in message["text"]
        message = await anna.say("mobilā aprūpe")
        assert "apturēts līdz 14.04.2020" in message["text"]


async def test_deep_link_and_russian(fake: FakeTelegram, engine: Engine) -> None:
    async with running_bot(fake, engine):
        ivan = TelegramUser(fake, 503, "ru")
        message = await ivan.say("/start daugavpils_ru")
        assert "Социальная служба Даугавпилсского края. Что вы хотите узнать?" in message["text"]
        assert ("Мой номер телефона", "phone") in fake.buttons(message)
        message = await ivan.say("мобильная служба")
        assert "работа приостановлена до 14 апреля 2020\u202fг." in message["text"]
        message = await ivan.press("Все услуги")
        assert "Какая услуга?" in message["text"]
        message = await ivan.say("/language")
        assert [label for label, _ in fake.buttons(message)] == ["Latviešu", "Русский", "English"]


async def test_commands_are_registered_in_each_language(fake: FakeTelegram, engine: Engine) -> None:
    async with running_bot(fake, engine):
        pass
    calls = fake.sent("setMyCommands")
    by_language = {call.params.get("language_code"): call.params["commands"] for call in calls}
    assert set(by_language) == {None, "lt", "lv", "ru"}
    assert [c["command"] for c in by_language["lt"]] == [
        "start",
        "menu",
        "help",
        "language",
        "cancel",
        "forget",
    ]
    assert by_language["lt"][1]["description"] == "Pagrindinis meniu"
    assert by_language["ru"][3]["description"] == "Сменить язык"


async def test_own_contact_is_accepted_and_foreign_refused(
    fake: FakeTelegram, engine: Engine, database: Database
) -> None:
    async with running_bot(fake, engine):
        ona = TelegramUser(fake, 504, "lt")
        await ona.say("/start elektrenai_lt")
        menu = fake.last_message(504)
        count = len(fake.sent())
        await fake.user_presses(504, menu["message_id"], "phone")
        await fake.wait_for("sendMessage", count + 1)
        sent = fake.sent()[-1]
        assert "asistentas ras jūsų pažymas" in sent.params["text"]
        keyboard = sent.params["reply_markup"]["keyboard"]
        assert keyboard[0][0]["request_contact"] is True
        count = len(fake.sent())
        await fake.user_shares_contact(504, "+37060000777", owner_id=999)  # someone else's card
        await fake.wait_for("sendMessage", count + 1)
        assert "Tai kito žmogaus kontaktas." in fake.last_message(504)["text"]
        count = len(fake.sent())
        await fake.user_shares_contact(504, "37060000504", owner_id=504)
        await fake.wait_for("sendMessage", count + 1)
        message = fake.last_message(504)
        assert "Ačiū. Jūsų telefono numeris +370 600 00504 išsaugotas." in message["text"]
    rows = await database.fetchall(
        "SELECT r.phone FROM identities i JOIN residents r ON r.id = i.resident_id"
        " WHERE i.channel = 'telegram' AND i.address = '504'"
    )
    assert rows[0][0] == "+37060000504"
    assert not await database.fetchall("SELECT 1 FROM residents WHERE phone = '+37060000777'")


async def test_expired_button_gets_the_menu(fake: FakeTelegram, engine: Engine) -> None:
    async with running_bot(fake, engine):
        ona = TelegramUser(fake, 505, "lt")
        first = await ona.say("/start elektrenai_lt")
        await ona.say("kontaktai")  # a new message; the first one's buttons are now old
        message = await ona.press_data(first["message_id"], "svc:vievis-day-centre")
        assert message["text"].startswith("Šis pasirinkimas nebegalioja. Štai meniu.")
        message = await ona.press_data(first["message_id"], "dept:'; DROP TABLE x")
        assert message["text"].startswith("Šis pasirinkimas nebegalioja.")


async def test_too_many_requests_is_waited_out(fake: FakeTelegram, engine: Engine) -> None:
    fake.fail("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
    async with running_bot(fake, engine):
        ona = TelegramUser(fake, 506, "lt")
        message = await ona.say("/start elektrenai_lt")
        assert "Ką norėtumėte sužinoti?" in message["text"]
    refused, delivered = fake.sent()
    assert delivered.params["text"] == refused.params["text"]
    assert delivered.at - refused.at >= 1.0


async def test_server_error_is_retried(fake: FakeTelegram, engine: Engine) -> None:
    fake.fail("sendMessage", 500, "Internal Server Error")
    async with running_bot(fake, engine):
        message = await TelegramUser(fake, 507, "lt").say("/start elektrenai_lt")
        assert "Ką norėtumėte sužinoti?" in message["text"]
    assert len(fake.sent()) == 2


async def test_blocked_user_is_marked_unreachable_until_they_write(
    fake: FakeTelegram, engine: Engine, database: Database
) -> None:
    query = (
        "SELECT unreachable_since FROM identities WHERE channel = 'telegram' AND address = '508'"
    )
    fake.fail("sendMessage", 403, "Forbidden: bot was blocked by the user")
    async with running_bot(fake, engine):
        await fake.user_says(508, "/start elektrenai_lt")
        await fake.wait_for("sendMessage", 1)
        for _ in range(50):
            rows = await database.fetchall(query)
            if rows and rows[0][0]:
                break
            await asyncio.sleep(0.05)
        assert rows[0][0] is not None
        assert len(fake.sent()) == 1  # not retried
        message = await TelegramUser(fake, 508, "lt").say("meniu")
        assert "Ką norėtumėte sužinoti?" in message["text"]
    assert (await database.fetchall(query))[0][0] is None


async def test_group_traffic_is_ignored(fake: FakeTelegram, engine: Engine) -> None:
    async with running_bot(fake, engine):
        await fake.group_message(-100200, 509, "/start")
        await fake.group_message(-100200, 509, "kontaktai")
        await TelegramUser(fake, 509, "lt").say("/start elektrenai_lt")  # processed after them
    assert {call.params["chat_id"] for call in fake.sent()} == {509}


async def test_one_chat_is_answered_in_order(fake: FakeTelegram, engine: Engine) -> None:
    async with running_bot(fake, engine):
        await TelegramUser(fake, 510, "lt").say("/start elektrenai_lt")
        for text in ("kontaktai", "3", "0", "paslaugos"):
            await fake.user_says(510, text)
        calls = await fake.wait_for("sendMessage", 5)
    texts = [call.params["text"] for call in calls[1:]]
    assert texts[0].startswith("Į ką norite kreiptis?")
    assert texts[1].startswith("Pagalba į namus")
    assert texts[2].startswith("Į ką norite kreiptis?")
    assert texts[3].startswith("Kuri paslauga?")


async def test_a_failed_delivery_is_logged_with_the_update_id_and_the_user_told(
    fake: FakeTelegram, engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    fake.fail("sendMessage", 400, "Bad Request: message is too long")
    async with running_bot(fake, engine):
        await fake.user_says(511, "/start elektrenai_lt")
        await fake.wait_for("sendMessage", 2)
    assert "Atsiprašau, įvyko klaida" in fake.sent()[1].params["text"]
    assert "(the answer to telegram update 1) was refused" in caplog.text
    assert "511" not in caplog.text


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_webhook_checks_the_secret_and_serves_health(
    fake: FakeTelegram, engine: Engine
) -> None:
    port = _free_port()
    env = {
        "TELEGRAM_WEBHOOK_URL": "https://bot.example.lt",
        "TELEGRAM_WEBHOOK_SECRET": "s3cret-Token_1",
        "HTTP_PORT": str(port),
    }
    base = f"http://127.0.0.1:{port}"
    async with running_bot(fake, engine, **env), aiohttp.ClientSession() as http:
        (registration,) = fake.sent("setWebhook")
        assert registration.params["url"] == "https://bot.example.lt/telegram"
        assert registration.params["secret_token"] == "s3cret-Token_1"
        for _ in range(50):  # the server starts beside the webhook registration
            with contextlib.suppress(aiohttp.ClientConnectionError):
                async with http.get(f"{base}/healthz") as health:
                    assert await health.json() == {"status": "ok"}
                    break
            await asyncio.sleep(0.05)
        update = fake.text_update(512, "/start elektrenai_lt")
        for headers in ({}, {SECRET_HEADER: "wrong"}, {SECRET_HEADER: "s3cret-Token_"}):
            async with http.post(f"{base}/telegram", json=update, headers=headers) as refused:
                assert refused.status == 403
        right = {SECRET_HEADER: "s3cret-Token_1"}
        async with http.post(f"{base}/telegram", data=b"{not json", headers=right) as bad:
            assert bad.status == 400
        async with http.post(f"{base}/telegram", json=update, headers=right) as accepted:
            assert accepted.status == 200
        await fake.wait_for("sendMessage", 1)
        assert len(fake.sent()) == 1  # the refused calls changed nothing
        # Telegram sends an update again when it missed our answer: taken, not handled twice.
        async with http.post(f"{base}/telegram", json=update, headers=right) as again:
            assert again.status == 200
        later = fake.text_update(512, "kontaktai")
        async with http.post(f"{base}/telegram", json=later, headers=right) as accepted:
            assert accepted.status == 200
        await fake.wait_for("sendMessage", 2)
    assert "Ką norėtumėte sužinoti?" in fake.sent()[0].params["text"]
    assert fake.sent()[1].params["text"].startswith("Į ką norite kreiptis?")


async def test_restart_in_the_middle_of_a_dialog_resumes_it(
    fake: FakeTelegram, database: Database, content: Content, catalogs: Catalogs, clock: FixedClock
) -> None:
    ona = TelegramUser(fake, 513, "lt")
    async with running_bot(fake, Engine(database, content, catalogs, clock)):
        await ona.say("/start elektrenai_lt")
        await ona.say("kontaktai")
    async with running_bot(fake, Engine(database, content, catalogs, clock)):
        message = await ona.say("3")
    assert "Telefonai: (0-528) 39804, (0-652) 34476" in message["text"]


async def test_certificate_by_shared_contact_and_health_check_in_russian(
    fake: FakeTelegram, engine: Engine, database: Database, clock: FixedClock
) -> None:
    clock.current = clock.current.replace(year=2021, month=11, day=1)
    async with database.transaction() as conn:
        record = StatusCertificate(
            "KOK-7", "low-income", "+37126000777", date(2021, 5, 1), date(2021, 12, 20)
        )
        await certificates.upsert(conn, "koknese", [record], clock.now())
    async with running_bot(fake, engine):
        olga = TelegramUser(fake, 514, "ru")
        await olga.say("/start koknese_ru")
        await olga.press("Справки")
        menu = fake.last_message(514)
        count = len(fake.sent())
        await fake.user_presses(514, menu["message_id"], "cert:status")
        await fake.wait_for("sendMessage", count + 1)
        assert fake.sent()[-1].params["reply_markup"]["keyboard"][0][0]["request_contact"]
        count = len(fake.sent())
        await fake.user_shares_contact(514, "+37126000777", owner_id=514)
        await fake.wait_for("sendMessage", count + 1)
        text = fake.last_message(514)["text"]
        assert "№ KOK-7: справка малообеспеченного лица" in text
        assert "Действительна до: 28 февраля 2022\u202fг." in text
        await olga.press("Главное меню")
        await olga.press("Справки")
        await olga.press("Можно ли прийти лично")
        message = await olga.press("Отрицательный тест")
        assert message["text"].startswith("Когда был сделан тест?")
        await olga.say("31.10.2021 09:00")
        message = await olga.press("Завтра")
        assert message["text"] == (
            "Этот сертификат действителен для визита 2 ноября 2021\u202fг. "
            "Он действителен до 09:00 3 ноября 2021\u202fг."
        )


async def test_booking_then_a_restart_then_the_reminder(
    fake: FakeTelegram, database: Database, content: Content, catalogs: Catalogs, clock: FixedClock
) -> None:
    clock.current = datetime(2021, 11, 1, 9, 0, tzinfo=UTC)
    anna = TelegramUser(fake, 515, "lv")
    async with running_bot(
        fake, Engine(database, content, catalogs, clock), BOT_OUTBOX_INTERVAL="0.05"
    ):
        await anna.say("/start koknese_lv")
        await anna.press("Pieraksts")
        await anna.press("Veļas mazgāšanas pakalpojums")
        await anna.press("otrdiena, 2. novembris")
        message = await anna.press("Man tāda nav")
        assert message["text"].startswith(
            "Pieraksts apstiprināts: Veļas mazgāšanas pakalpojums, otrdiena, 2. novembris.\n"
        )
        assert "\nJa sertifikāta nav, veļu nodod un saņem bezkontakta veidā.\n" in message["text"]
    sent_before = len(fake.sent())
    clock.current = datetime(2021, 11, 1, 16, 0, 30, tzinfo=UTC)  # 18:00 in Riga: reminder time
    async with running_bot(
        fake, Engine(database, content, catalogs, clock), BOT_OUTBOX_INTERVAL="0.05"
    ):
        await fake.wait_for("sendMessage", sent_before + 1)
        await asyncio.sleep(0.3)  # more dispatcher rounds: still one reminder
    reminders = [c for c in fake.sent() if c.params["text"].startswith("Atgādinām")]
    assert len(reminders) == 1
    assert reminders[0].params["chat_id"] == 515
    assert reminders[0].params["text"] == (
        "Atgādinām, ka rīt (otrdiena, 2. novembris) jums ir pieraksts:"
        " Veļas mazgāšanas pakalpojums."
    )


async def test_waiting_list_offer_arrives_with_buttons_in_russian(
    fake: FakeTelegram, engine: Engine, clock: FixedClock
) -> None:
    clock.current = datetime(2021, 11, 1, 9, 0, tzinfo=UTC)
    users = [TelegramUser(fake, 520 + i, "ru") for i in range(3)]
    async with running_bot(fake, engine, BOT_OUTBOX_INTERVAL="0.05"):
        for user in users[:2]:
            await user.say("/start koknese_ru")
            await user.press("Запись")
            await user.press("Стирка белья")
            await user.press("четверг, 4 ноября")
            await user.press("У меня нет")
        waiting = users[2]
        await waiting.say("/start koknese_ru")
        await waiting.press("Запись")
        await waiting.press("Стирка белья")
        message = await waiting.press("четверг, 4 ноября")
        assert message["text"].startswith(
            "На четверг, 4 ноября, мест нет. Записать вас в лист ожидания?"
        )
        await waiting.press("Записаться в лист ожидания")
        await users[0].say("/menu")
        await users[0].press("Запись")
        await users[0].press("Мои записи")
        await users[0].press("Отменить")
        message = await users[0].press("Да, отменить")
        assert message["text"] == "Запись отменена."
        await fake.wait_until(
            lambda: any(m["text"].startswith("Освободилось место") for m in fake.chat_messages(522))
        )
        message = await waiting.press("Да, запишите")
        assert message["text"] == "Какой сертификат вы предъявите?"
        message = await waiting.press("У меня нет")
        assert message["text"].startswith("Вы записаны: Стирка белья, четверг, 4 ноября.")


async def test_typed_sentences_on_telegram_in_three_languages(
    fake: FakeTelegram, engine: Engine, clock: FixedClock
) -> None:
    clock.current = datetime(2021, 11, 1, 9, 0, tzinfo=UTC)
    async with running_bot(fake, engine):
        anna = TelegramUser(fake, 530, "lv")
        await anna.say("/start koknese_lv")
        message = await anna.say("vai mana izziņa vēl ir derīga")
        assert message["text"].startswith("Lai aizsargātu jūsu datus")  # asks for the phone
        ona = TelegramUser(fake, 531, "lt")
        await ona.say("/start elektrenai_lt")
        message = await ona.say("esu izoliacijoje, baigėsi maistas")
        assert "✓ Maistas" in [label for label, _ in fake.buttons(message)]
        ivan = TelegramUser(fake, 532, "ru")
        await ivan.say("/start daugavpils_ru")
        message = await ivan.say("хочу поговорить с человеком")
        assert "65 476 823, 26 641 869" in message["text"]  # the phone the notice gives
