"""Booking through the engine: days, certificates, waiting list, cancelling, reminders."""

from __future__ import annotations

import asyncio
import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.delivery import Delivery
from dialogs.core.i18n import Catalogs
from dialogs.pipeline.engine import Engine
from dialogs.types import Choice, Incoming, Outgoing, Reply
from storage.content import load_content
from storage.db import Database
from tests.conftest import CONTENT_DIR, FixedClock

MONDAY = datetime(2021, 11, 1, 9, 0, tzinfo=UTC)  # Koknese's emergency: certificates apply


class Client:
    """A resident of one channel address, pressing and typing."""

    def __init__(self, engine: Engine, address: str, payload: str) -> None:
        self.engine, self.address, self.payload = engine, address, payload
        self.last: Reply | None = None

    async def send(self, **fields: object) -> Reply:
        (self.last,) = await self.engine.handle(Incoming("sms", self.address, **fields))  # type: ignore[arg-type]
        return self.last

    async def start(self) -> Reply:
        return await self.send(start=True, text=self.payload)

    async def say(self, text: str) -> Reply:
        return await self.send(text=text)

    async def press(self, action: str) -> Reply:
        return await self.send(action=action)

    async def book(self, facility: str, day: str, *certificate: str) -> Reply:
        """Book through the menus: facility, day, then certificate answers if asked."""
        await self.start()
        await self.press("book")
        await self.press(f"bk:{facility}")
        reply = await self.press(f"bkday:{day}")
        for answer in certificate:
            is_action = answer.partition(":")[0].isalpha()  # "bkcert:none", not "01.11 08:00"
            reply = await (self.press(answer) if is_action else self.say(answer))
        return reply


async def _full_day_with_a_queue(
    engine: Engine, owners: str, queue: str, waiting: int = 2
) -> tuple[list[Client], list[Client]]:
    """Friday's laundry booked by two residents (numbers owners + 0..1), `waiting` more (queue +
    0..) on its waiting list."""
    booked = [Client(engine, f"{owners}{i}", "koknese_lv") for i in range(2)]
    for client in booked:
        await client.book("laundry", "2021-11-05", "bkcert:none")
    lined = [Client(engine, f"{queue}{i}", "koknese_lv") for i in range(waiting)]
    for client in lined:
        await client.book("laundry", "2021-11-05")
        await client.press("wl:2021-11-05")
    return booked, lined


@pytest.fixture
def monday(clock: FixedClock) -> FixedClock:
    clock.current = MONDAY
    return clock


async def _outbox(database: Database) -> list[tuple[str, str, str, str]]:
    rows = await database.fetchall(
        "SELECT address, text, due_at, status FROM outbox WHERE kind = 'notice' ORDER BY id"
    )
    return [(row[0], row[1], row[2], row[3]) for row in rows]


async def test_shower_with_a_valid_test_in_latvian(
    engine: Engine, database: Database, monday: FixedClock
) -> None:
    anna = Client(engine, "+37126000001", "koknese_lv")
    await anna.start()
    reply = await anna.press("book")
    assert [c.label for c in reply.choices][:2] == [
        "Dušas pakalpojums",
        "Veļas mazgāšanas pakalpojums",
    ]
    reply = await anna.press("bk:shower")
    labels = [c.label for c in reply.choices]
    assert labels[0] == "pirmdiena, 1. novembris — 2 brīvas vietas"
    assert "ceturtdiena, 18. novembris" not in " ".join(labels)  # not offered: 5 days only
    reply = await anna.say("rīt")
    assert reply.text == "Kādu sertifikātu uzrādīsiet?"
    await anna.press("bkcert:test")
    reply = await anna.say("31.10.2021 14:00")
    assert reply.text.splitlines() == [
        "Pieraksts apstiprināts: Dušas pakalpojums, otrdiena, 2. novembris.",
        "Līdzi jāņem: Sadarbspējīgs sertifikāts (vakcinācijas, izslimošanas vai testēšanas).",
        "Dienu iepriekš jums atgādināšu.",
    ]
    ((address, text, due_at, status),) = await _outbox(database)
    assert (address, status) == ("+37126000001", "pending")
    assert text.startswith(
        "Atgādinām, ka rīt (otrdiena, 2. novembris) jums ir pieraksts: Dušas pakalpojums."
    )
    assert due_at == "2021-11-01T16:00:00+00:00"  # 18:00 in Riga, the day before


async def test_shower_refused_without_a_valid_certificate(
    engine: Engine, monday: FixedClock
) -> None:
    ivan = Client(engine, "+37126000002", "koknese_ru")
    reply = await ivan.book("shower", "2021-11-03", "bkcert:none")
    assert reply.text == (
        "Извините, эта услуга предоставляется только клиентам с действительным сертификатом."
    )
    reply = await ivan.book("shower", "2021-11-05", "bkcert:test", "01.11.2021 08:00")
    assert reply.text.startswith(
        "Извините, записать не могу: на 5 ноября 2021\u202fг. сертификат недействителен."
    )


async def test_laundry_without_certificate_is_contactless(
    engine: Engine, monday: FixedClock
) -> None:
    ivan = Client(engine, "+37126000003", "koknese_ru")
    reply = await ivan.book("laundry", "2021-11-03", "bkcert:none")
    assert "Вы записаны: Стирка белья, среда, 3 ноября." in reply.text
    assert "Без сертификата бельё передаётся и возвращается без контакта." in reply.text


async def test_after_the_emergency_no_certificate_is_asked(
    engine: Engine, clock: FixedClock
) -> None:
    clock.current = datetime(2022, 3, 1, 9, 0, tzinfo=UTC)
    anna = Client(engine, "+37126000004", "koknese_lv")
    reply = await anna.book("shower", "2022-03-02")
    assert reply.text.startswith(
        "Pieraksts apstiprināts: Dušas pakalpojums, trešdiena, 2. marts.\n"
    )
    assert "Līdzi jāņem" not in reply.text  # the certificate was the emergency's


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("sestdien", "06.11.2021 šim pakalpojumam nav darba diena."),
        (
            "18.11.2021",
            "18.11.2021 ir svētku diena (Latvijas Republikas Proklamēšanas diena),"
            " tāpēc pakalpojums nav pieejams.",
        ),
        ("29.10.2021", "Diena 29.10.2021 jau ir pagājusi."),
        ("30.12.2021", "Pierakstīties var ne agrāk kā 14 dienas iepriekš."),
        ("kaut kad", "Atvainojiet, neizdevās nolasīt datumu."),
    ],
)
async def test_days_that_cannot_be_booked(
    engine: Engine, monday: FixedClock, typed: str, expected: str
) -> None:
    anna = Client(engine, "+37126000005", "koknese_lv")
    await anna.start()
    await anna.press("book")
    await anna.press("bk:shower")
    reply = await anna.say(typed)
    assert reply.text.startswith(expected)


async def test_full_day_waiting_list_cancel_offer_accept(
    engine: Engine, database: Database, monday: FixedClock
) -> None:
    first, second = (
        Client(engine, "+37126000011", "koknese_lv"),
        Client(engine, "+37126000012", "koknese_lv"),
    )
    for client in (first, second):
        reply = await client.book("laundry", "2021-11-04", "bkcert:none")
        assert reply.text.startswith("Pieraksts apstiprināts: ")
    third = Client(engine, "+37126000013", "koknese_ru")
    reply = await third.book("laundry", "2021-11-04")
    assert reply.text.startswith("На четверг, 4 ноября, мест нет. Записать вас в лист ожидания?")
    reply = await third.press("wl:2021-11-04")
    assert reply.text.startswith("Вы в листе ожидания: Стирка белья, четверг, 4 ноября.")
    fourth = Client(engine, "+37126000014", "koknese_lv")
    await fourth.book("laundry", "2021-11-04")
    await fourth.press("wl:2021-11-04")
    # The first resident cancels, with a confirmation.
    await first.start()
    reply = await first.press("mybk")
    (cancel_choice, *_) = reply.choices
    assert cancel_choice.label == "Atcelt: Veļas mazgāšanas pakalpojums, 4. novembris"
    reply = await first.press(cancel_choice.action)
    assert (
        reply.text
        == "Vai atcelt pierakstu: Veļas mazgāšanas pakalpojums, ceturtdiena, 4. novembris?"
    )
    reply = await first.press(reply.choices[0].action)
    assert reply.text == "Jūsu pieraksts ir atcelts."
    messages = await _outbox(database)
    assert [m[3] for m in messages if m[0] == "+37126000011"] == ["cancelled"]  # no reminder
    offer = [m for m in messages if m[0] == "+37126000013"]
    assert offer
    assert offer[0][1].startswith("Освободилось место: Стирка белья, четверг, 4 ноября.")
    # Nobody else can take the held place meanwhile.
    fifth = Client(engine, "+37126000015", "koknese_lv")
    reply = await fifth.book("laundry", "2021-11-04")
    assert "visas vietas ir aizņemtas" in reply.text
    # The offer arrives (the dispatcher makes its buttons the current choices) and is accepted.
    (choices,) = await database.fetchall(
        "SELECT choices FROM outbox WHERE address = '+37126000013' AND kind = 'notice'"
    )
    offered = [Choice(label, action) for label, action in json.loads(choices[0])]
    assert [c.label for c in offered] == ["Да, запишите", "Нет, спасибо"]
    await engine.postman.show_choices("sms", "+37126000013", [(c.label, c.action) for c in offered])
    reply = await third.press(offered[0].action)
    assert reply.text == "Какой сертификат вы предъявите?"
    reply = await third.press("bkcert:none")
    assert reply.text.startswith("Вы записаны: Стирка белья, четверг, 4 ноября.")
    rows = await database.fetchall(
        "SELECT COUNT(*) FROM bookings WHERE day = '2021-11-04' AND facility_id = 'laundry'"
        " AND status = 'active'"
    )
    assert rows[0][0] == 2


async def test_offers_expire_and_pass_on(
    engine: Engine, database: Database, monday: FixedClock
) -> None:
    owners, waiting = await _full_day_with_a_queue(engine, "+3712600002", "+3712600003")
    await owners[0].start()
    reply = await owners[0].press("mybk")
    reply = await owners[0].press(reply.choices[0].action)
    await owners[0].press(reply.choices[0].action)
    statuses = [r[0] for r in await database.fetchall("SELECT status FROM waitlist ORDER BY id")]
    assert statuses == ["offered", "waiting"]
    await engine.tick()
    assert [r[0] for r in await database.fetchall("SELECT status FROM waitlist ORDER BY id")] == [
        "offered",
        "waiting",
    ]
    monday.advance(timedelta(minutes=121))
    await engine.tick()
    assert [r[0] for r in await database.fetchall("SELECT status FROM waitlist ORDER BY id")] == [
        "expired",
        "offered",
    ]
    await engine.postman.show_choices(
        "sms", waiting[0].address, [(c.label, c.action) for c in [Choice("Jā", "wlyes:1")]]
    )
    reply = await waiting[0].press("wlyes:1")  # the old offer's button, too late
    assert reply.text == "Šis piedāvājums vairs nav spēkā."


async def test_one_booking_a_day_and_nobody_cancels_for_someone_else(
    engine: Engine, database: Database, monday: FixedClock
) -> None:
    anna = Client(engine, "+37126000041", "koknese_lv")
    await anna.book("laundry", "2021-11-03", "bkcert:none")
    reply = await anna.book("laundry", "2021-11-03", "bkcert:none")
    assert reply.text == "Jums jau ir pieraksts šai dienai (03.11.2021)."
    mallory = Client(engine, "+37126000042", "koknese_lv")
    await mallory.start()
    reply = await mallory.press("bkcancel!:1")  # forged: never offered to her
    assert reply.text.startswith("Šī izvēle vairs nav derīga.")
    await engine.postman.show_choices(
        "sms", "+37126000042", [(c.label, c.action) for c in [Choice("x", "bkcancel!:1")]]
    )
    reply = await mallory.press("bkcancel!:1")  # even when offered, it is not hers
    assert reply.text == "Jums nav neviena pieraksta."
    rows = await database.fetchall("SELECT status FROM bookings WHERE id = 1")
    assert rows[0][0] == "active"


@pytest.fixture
async def lithuanian_engine(
    tmp_path: Path, database: Database, catalogs: Catalogs, monday: FixedClock
) -> Engine:
    """Elektrėnai with a bookable facility: test content for the Lithuanian texts."""
    folder = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, folder)
    with (folder / "elektrenai.toml").open("a", encoding="utf-8") as file:
        file.write(
            '\n[[facilities]]\nid = "shower"\nservice = "client-service"\nplaces_per_day = 1\n'
        )
    return Engine(database, load_content(folder), catalogs, monday)


async def test_booking_and_cancelling_in_lithuanian(
    lithuanian_engine: Engine, database: Database
) -> None:
    jonas = Client(lithuanian_engine, "+37060000001", "elektrenai_lt")
    await jonas.start()
    reply = await jonas.say("registracija")
    assert reply.text == "Kur norite užsiregistruoti?"
    reply = await jonas.press("bk:shower")
    # 1 and 2 November are public holidays in Lithuania (All Saints' Day, All Souls' Day).
    assert reply.choices[0].label == "trečiadienis, lapkričio 3 d. — liko 1 vieta"
    reply = await jonas.say("trečiadienį")
    assert reply.text.startswith(
        "Užregistruota: Asmenų aptarnavimas centre, trečiadienis, lapkričio 3 d."
    )
    reply = await jonas.say("mano registracijos")
    assert "• Asmenų aptarnavimas centre: trečiadienis, lapkričio 3 d." in reply.text
    reply = await jonas.press(reply.choices[0].action)
    reply = await jonas.press(reply.choices[0].action)
    assert reply.text == "Registracija atšaukta."
    reply = await jonas.press("mybk")
    assert reply.text == "Registracijų neturite."


async def test_fifty_residents_book_the_last_places_at_once(
    engine: Engine, monday: FixedClock
) -> None:
    clients = [Client(engine, f"+3712610{i:04d}", "koknese_lv") for i in range(50)]
    for client in clients:
        await client.start()
        await client.press("book")
        await client.press("bk:laundry")
        await client.press("bkday:2021-11-04")
    replies = await asyncio.gather(*(c.press("bkcert:none") for c in clients))
    booked = [r for r in replies if r.text.startswith("Pieraksts apstiprināts: ")]
    full = [r for r in replies if "visas vietas ir aizņemtas" in r.text]
    assert (len(booked), len(full)) == (2, 48)


async def test_a_configured_limit_of_active_bookings(
    tmp_path: Path, database: Database, catalogs: Catalogs, monday: FixedClock
) -> None:
    folder = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, folder)
    path = folder / "koknese.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            "contactless_without_certificate = true\n",
            "contactless_without_certificate = true\nmax_active_bookings = 1\n",
        ),
        encoding="utf-8",
    )
    engine = Engine(database, load_content(folder), catalogs, monday)
    ivan = Client(engine, "+37126000061", "koknese_ru")
    await ivan.book("laundry", "2021-11-03", "bkcert:none")
    reply = await ivan.book("laundry", "2021-11-04")
    assert (
        reply.text
        == "На эту услугу у вас уже есть 1 запись; отмените её, чтобы записаться на другой день."
    )


async def test_forget_frees_the_place_for_the_first_in_line_and_tells_staff(
    engine: Engine, database: Database, monday: FixedClock
) -> None:
    """/forget runs the same change as a cancel: the place is offered to the waiting list."""
    owners = [Client(engine, f"+3712600006{i}", "koknese_lv") for i in range(2)]
    for client in owners:
        await client.book("laundry", "2021-11-05", "bkcert:none")
    waiting = Client(engine, "+37126000070", "koknese_ru")
    await waiting.book("laundry", "2021-11-05")
    await waiting.press("wl:2021-11-05")
    await owners[0].press("forget")
    reply = await owners[0].press("forget!")
    assert reply.text.startswith("Jūsu personas dati ir dzēsti.")
    (offer,) = await database.fetchall(
        "SELECT text, choices FROM outbox WHERE address = '+37126000070' AND kind = 'notice'"
    )
    assert offer[0].startswith("Освободилось место: Стирка белья, пятница, 5 ноября.")
    statuses = await database.fetchall("SELECT status FROM bookings ORDER BY id")
    assert [row[0] for row in statuses] == ["cancelled", "active"]
    (reminder,) = await database.fetchall(
        "SELECT status FROM outbox WHERE key = 'reminder:1'"
    )  # the erased resident's reminder is withdrawn
    assert reminder[0] == "cancelled"


async def test_an_offer_left_midway_is_not_taken_by_a_booking_of_another_day(
    engine: Engine, database: Database, monday: FixedClock
) -> None:
    """Yes to an offer, then elsewhere: a later booking of another day leaves the held place
    alone; unanswered, it passes on when the offer expires."""
    owners, waiting = await _full_day_with_a_queue(engine, "+3712600008", "+3712600009")
    reply = await owners[0].press("mybk")
    reply = await owners[0].press(reply.choices[0].action)
    await owners[0].press(reply.choices[0].action)  # cancelled: held for the first in line
    reply = await waiting[0].press("wlyes:1")
    assert reply.text == "Kādu sertifikātu uzrādīsiet?"
    reply = await waiting[0].book("laundry", "2021-11-04", "bkcert:none")  # another day instead
    assert reply.text.startswith(
        "Pieraksts apstiprināts: Veļas mazgāšanas pakalpojums, ceturtdiena"
    )
    statuses = [r[0] for r in await database.fetchall("SELECT status FROM waitlist ORDER BY id")]
    assert statuses == ["offered", "waiting"]  # not "accepted"
    monday.advance(timedelta(minutes=121))
    await engine.tick()
    statuses = [r[0] for r in await database.fetchall("SELECT status FROM waitlist ORDER BY id")]
    assert statuses == ["expired", "offered"]  # the held place passed on, never lost


@pytest.mark.parametrize(("back_at", "reminded"), [((2, 23), True), ((3, 9), False)])
async def test_a_reminder_is_never_sent_once_the_booked_day_has_begun(
    engine: Engine, database: Database, monday: FixedClock, back_at: tuple[int, int], reminded: bool
) -> None:
    """Booked on Monday for Wednesday; the bot was down over Tuesday's reminder time and comes
    back late on Tuesday (the reminder still goes) or on Wednesday morning (nothing is sent)."""
    client = Client(engine, "+37126000099", "koknese_lv")
    await client.book("laundry", "2021-11-03", "bkcert:none")
    day, hour = back_at
    monday.current = datetime(2021, 11, day, hour, 0, tzinfo=UTC) - timedelta(hours=2)  # local
    texts: list[str] = []

    async def deliver(outgoing: Outgoing) -> bool:
        texts.append(outgoing.reply.text)
        return True

    await Delivery(engine, {"sms": deliver}).run_once()
    assert any(text.startswith("Atgādinām") for text in texts) is reminded
    (status,) = await database.fetchall("SELECT status FROM outbox WHERE key = 'reminder:1'")
    assert status[0] == ("sent" if reminded else "expired")
