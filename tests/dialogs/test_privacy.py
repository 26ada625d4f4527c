"""A resident's requests, /forget, and the retention of closed requests' details."""

from __future__ import annotations

import itertools
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.delivery import Delivery
from dialogs.pipeline.engine import Engine
from dialogs.staff.booking_desk_types import OnBehalf, Outcome
from dialogs.staff.broadcasts import Audience, WebBroadcasts, Wish
from dialogs.staff.web_bookings import WebBookings
from dialogs.staff.web_desk import Result, WebDesk
from dialogs.types import Incoming, Outgoing, Receipt, Reply
from storage import inbox, outbox, staff
from storage.db import Database
from tests.conftest import FixedClock

NOW = datetime(2020, 3, 20, 9, 0, tzinfo=UTC)


async def _send(engine: Engine, **fields: Any) -> Reply:
    incoming = Incoming("sms", "+37060000900", verified_phone="+37060000900", **fields)
    (reply,) = await engine.handle(incoming)
    return reply


async def _file_request(engine: Engine) -> None:
    await _send(engine, start=True, text="elektrenai_ru")
    await _send(engine, action="rq")
    await _send(engine, action="rqneed:hygiene")
    await _send(engine, action="rqnext")
    await _send(engine, text="мыло")
    await _send(engine, text="ул. Рунгос 5, Электренай")
    reply = await _send(engine, action="rqkeep:1")
    assert reply.text == "Насколько срочно?"  # the verified phone is used, not asked
    await _send(engine, action="rqurg:soon")
    reply = await _send(engine, action="rqsend")
    assert reply.text.startswith("Ваша заявка № 1 отправлена.")


async def test_status_withdraw_and_remembered_address(
    engine: Engine, database: Database, clock: FixedClock
) -> None:
    clock.current = NOW
    await _file_request(engine)
    reply = await _send(engine, text="мои заявки")
    assert reply.text == "№ 1: ждёт сотрудника"
    await _send(engine, action="rqwd:1")  # asks first
    reply = await _send(engine, action="rqwd!:1")
    assert reply.text == "Заявка № 1 отозвана."
    await _send(engine, action="rq")
    await _send(engine, action="rqneed:food")
    await _send(engine, action="rqnext")
    reply = await _send(engine, text="-")
    assert reply.text == "Доставить по адресу ул. Рунгос 5, Электренай? Или напишите другой адрес."


async def test_forget_erases_personal_data_and_keeps_anonymous_requests(
    engine: Engine, database: Database, clock: FixedClock
) -> None:
    clock.current = NOW
    await _file_request(engine)
    async with database.transaction() as conn:
        await outbox.enqueue(conn, "sms", "+37060000900", "Priminimas: dušas rytoj", NOW, NOW)
    reply = await _send(engine, text="забудь меня")
    assert reply.text.startswith("Будут удалены ваш номер телефона")
    reply = await _send(engine, action="forget!")
    assert reply.text == "Ваши личные данные удалены. Если напишете снова, начнём сначала."
    assert await database.fetchall("SELECT * FROM identities WHERE address = '+37060000900'") == []
    (row,) = await database.fetchall("SELECT phone, home_address, language FROM residents")
    assert tuple(row) == (None, None, None)
    (request,) = await database.fetchall(
        "SELECT needs, details, phone, home_address, status FROM requests"
    )
    assert tuple(request) == ('["hygiene"]', None, None, None, "withdrawn")
    texts = await database.fetchall(
        "SELECT text FROM outbox WHERE address = '+37060000900' AND text != ''"
    )  # everything written to the resident is erased; the goodbye is still to be sent
    assert [row[0] for row in texts] == [reply.text]


async def test_closed_requests_lose_their_details_after_the_retention(
    engine: Engine, database: Database, clock: FixedClock
) -> None:
    clock.current = NOW
    await _file_request(engine)
    await _send(engine, text="мои заявки")
    await _send(engine, action="rqwd:1")
    await _send(engine, action="rqwd!:1")
    await engine.tick()
    (details,) = await database.fetchall("SELECT details FROM requests")
    assert details[0] == "мыло"
    clock.advance(timedelta(days=91))
    await engine.tick()
    (row,) = await database.fetchall("SELECT details, phone, home_address, needs FROM requests")
    assert tuple(row) == (None, None, None, '["hygiene"]')


async def test_sent_messages_and_journaled_updates_are_erased_after_a_day(
    engine: Engine, database: Database, clock: FixedClock
) -> None:
    clock.current = NOW
    async with database.transaction() as conn:
        await outbox.enqueue(conn, "sms", "+37060000900", "Jūsų prašymas: muilas", NOW, NOW)
        await outbox.enqueue(conn, "sms", "+37060000900", "Rytoj", NOW + timedelta(days=5), NOW)
        (message,) = await outbox.heads(conn, NOW, ["sms"])
        await outbox.mark_sent(conn, message.id, NOW)
        await inbox.record(conn, "telegram", [("7", '{"text": "muilas"}')], NOW)
        await inbox.mark_handled(conn, "telegram", "7", NOW)
    await engine.tick()
    rows = await database.fetchall("SELECT text FROM outbox ORDER BY id")
    assert [row[0] for row in rows] == ["Jūsų prašymas: muilas", "Rytoj"]
    clock.advance(timedelta(days=1, minutes=1))
    await engine.tick()
    rows = await database.fetchall("SELECT text, status FROM outbox ORDER BY id")
    assert [tuple(row) for row in rows] == [("", "sent"), ("Rytoj", "pending")]  # due later
    assert await database.fetchall("SELECT * FROM inbox") == []


async def test_forget_leaves_no_value_anywhere_not_even_in_the_wal(
    engine: Engine, database: Database, clock: FixedClock, tmp_path: Path
) -> None:
    """A Telegram resident who shared a phone, filed a request with an address (its card went to
    a staff group) erases their data: afterwards no table, no outbox row, no journaled update,
    no -wal or database page holds the user id, the phone, the address or the request's words."""
    clock.current = NOW
    async with database.transaction() as conn:
        await staff.bind_group(conn, "-100300", "elektrenai", "isolation", "701", NOW)
    user, phone, home, words = "770011", "+37060770011", "Rungos g. 77-11", "Druskos ir muilo"
    numbers = itertools.count(500)

    async def say(**fields: Any) -> Reply:
        key = str(next(numbers))
        body = {"update_id": int(key), "message": {"from": {"id": int(user)}, **fields}}
        await engine.record_updates("telegram", [(key, json.dumps(body, ensure_ascii=False))])
        incoming = Incoming(
            "telegram", user, can_share_phone=True, receipt=Receipt("telegram", key), **fields
        )
        (reply,) = await engine.handle(incoming)
        return reply

    await say(text="elektrenai_lt", start=True)
    await say(shared_phone=phone, shared_phone_is_own=True)
    for action in ("rq", "rqneed:food", "rqnext"):
        await say(action=action)
    await say(text=words)
    await say(text=home)
    await say(action="rqkeep:1")
    await say(action="rqurg:today")
    assert (await say(action="rqsend")).text.startswith("Jūsų prašymas Nr. 1 išsiųstas.")
    sent: list[str] = []

    async def deliver(outgoing: Outgoing) -> bool:
        sent.append(outgoing.reply.text)
        return True

    delivery = Delivery(engine, {"telegram": deliver, "tgroup": deliver})
    await delivery.drain()  # the answers, and the card in the staff group
    assert any(home in text for text in sent)
    # At the desk a staff member takes it, writes to the resident and notes the address; the
    # resident answers: the timeline holds all three.
    async with database.transaction() as conn:
        code = await staff.create_invite(conn, "elektrenai", "staff", None, NOW)
        member = await staff.redeem(conn, code, "702", "Tomas", NOW)
        assert member is not None
        desk = WebDesk(engine.content, engine.catalogs, engine.staff)
        assert await desk.act(conn, [member], 1, "take", NOW) == Result.OK
        staff_says = f"Atvešime į {home} iki 17 val."
        assert await desk.reply(conn, [member], 1, staff_says, NOW) == Result.OK
        assert await desk.note(conn, [member], 1, f"{home}: skambinti {phone}", NOW) == Result.OK
    reply = await say(text=f"Laukiu. {words} dar reikia")
    assert reply.text.startswith("Jūsų žinutė perduota darbuotojui")
    assert len(await database.fetchall("SELECT * FROM request_events")) == 4
    await say(action="forget")
    assert (await say(action="forget!")).text.startswith("Jūsų asmens duomenys ištrinti.")
    await delivery.drain()  # the goodbye is delivered, then forgets its address and text
    for table, column, value in await _every_value(database):
        for secret in (user, phone.removeprefix("+"), home, words):
            assert secret not in value, (table, column, secret)
    await database.checkpoint()
    files = [Path(database.path), Path(f"{database.path}-wal")]
    stored = b"".join(path.read_bytes() for path in files if path.exists())
    for secret in (phone, home, words):
        assert secret.encode() not in stored, secret


async def _every_value(database: Database) -> list[tuple[str, str, str]]:
    """(table, column, value as text) of every cell of every table."""
    found = []
    tables = await database.fetchall("SELECT name FROM sqlite_master WHERE type = 'table'")
    for (table,) in tables:
        columns = [info[1] for info in await database.fetchall(f"PRAGMA table_info({table})")]
        for row in await database.fetchall(f"SELECT * FROM {table}"):
            found += [
                (table, column, str(value)) for column, value in zip(columns, row, strict=True)
            ]
    return found


async def test_a_resident_has_at_most_three_open_requests(
    engine: Engine, database: Database, clock: FixedClock
) -> None:
    """The fourth, while three are open, is refused kindly with the way to them; a closed or
    withdrawn one frees a place."""
    clock.current = NOW
    await _send(engine, start=True, text="elektrenai_ru")
    for _ in range(3):
        await _send(engine, action="human")
        await _send(engine, action="rqurg:soon")
        assert (await _send(engine, action="rqsend")).text.startswith("Ваша заявка №")
    refused = await _send(engine, action="human")
    assert refused.text.startswith("У вас уже есть 3 открытые заявки.")
    assert refused.choices[0].label == "Мои заявки"
    await _send(engine, action="myrq")
    await _send(engine, action="rqwd:1")
    assert (await _send(engine, action="rqwd!:1")).text == "Заявка № 1 отозвана."
    await _send(engine, action="human")
    await _send(engine, action="rqurg:soon")
    assert (await _send(engine, action="rqsend")).text.startswith("Ваша заявка № 4 отправлена.")
    rows = await database.fetchall("SELECT COUNT(*) FROM requests WHERE status = 'open'")
    assert rows[0][0] == 3


async def test_forget_by_sms_leaves_no_value_anywhere(
    engine: Engine, database: Database, clock: FixedClock
) -> None:
    """The same from SMS: the phone is the identity; nothing of it, the address or the words
    stays in any table (the answered MessageSids' rows stay, empty)."""
    clock.current = NOW
    phone, home, words = "+37060770022", "Vilniaus g. 22-7", "Tualetinio popieriaus"
    sids = (f"SM{n:032x}" for n in itertools.count(1))

    async def text(**fields: Any) -> None:
        incoming = Incoming(
            "sms", phone, verified_phone=phone, receipt=Receipt("sms", next(sids)), **fields
        )
        await engine.handle(incoming)

    await text(text="elektrenai_lt", start=True)
    for action in ("rq", "rqneed:hygiene", "rqnext"):
        await text(action=action)
    await text(text=words)
    await text(text=home)
    await text(action="rqkeep:1")
    await text(action="rqurg:soon")
    await text(action="rqsend")
    await text(text="STOP")
    await text(action="forget")
    await text(action="forget!")

    async def deliver(outgoing: Outgoing) -> bool:
        return True

    await Delivery(engine, {"sms": deliver}).drain()  # the goodbye goes, then forgets itself
    for table, column, value in await _every_value(database):
        for secret in (phone, phone.removeprefix("+"), home, words):
            assert secret not in value, (table, column, secret)


async def test_forget_after_desk_bookings_and_notices_leaves_no_phone(
    engine: Engine, database: Database, clock: FixedClock
) -> None:
    """A Koknese resident who shared her phone on Telegram and asked for the shower's news is
    booked by staff by that phone (the SMS confirmation and reminder), put on a waiting list and
    sent a notice; after /forget no table, no outbox row holds the phone or the user id."""
    clock.current = datetime(2021, 11, 1, 9, 0, tzinfo=UTC)
    now = clock.now()
    user, phone = "770033", "+37126770033"

    async def say(**fields: Any) -> Reply:
        (reply,) = await engine.handle(Incoming("telegram", user, can_share_phone=True, **fields))
        return reply

    await say(text="koknese_lv", start=True)
    await say(shared_phone=phone, shared_phone_is_own=True)
    await say(action="services")
    await say(action="svc:shower")
    assert (await say(action="notify:shower")).text.startswith("Labi: kad sociālais dienests")
    chief = staff.Member("706", "koknese", "supervisor", None, "Dace")
    bookings = WebBookings(engine.content, engine.catalogs, engine.booking_policy)
    notices = WebBroadcasts(engine.content, engine.catalogs)
    async with database.transaction() as conn:
        await staff.add(conn, chief, now)
        day = date(2021, 11, 2)
        for facility in ("shower", "laundry"):
            wish = OnBehalf("koknese", facility, day, "2677 0033", "vaccination")
            assert await bookings.book(conn, [chief], wish, now, now.date()) == Outcome.BOOKED
        other = OnBehalf("koknese", "laundry", day, "2677 0034", "contactless")
        assert await bookings.book(conn, [chief], other, now, now.date()) == Outcome.BOOKED
        full = OnBehalf("koknese", "laundry", date(2021, 11, 3), "2677 0033", "contactless")
        for caller in ("2677 0035", "2677 0036"):
            filler = OnBehalf("koknese", "laundry", full.day, caller, "contactless")
            assert await bookings.book(conn, [chief], filler, now, now.date()) == Outcome.BOOKED
        assert await bookings.wait(conn, [chief], full, now, now.date()) == Outcome.WAITLISTED
        for audience in (Audience.ALL, Audience.SUBSCRIBERS):
            notice = Wish("koknese", audience, {"lv": "Rīt duša slēgta"}, service_id="shower")
            sent = await notices.send(conn, [chief], notice, now, now)
            assert isinstance(sent, int), (audience, sent)
    await say(action="forget")
    assert (await say(action="forget!")).text.startswith("Jūsu personas dati ir dzēsti.")

    async def deliver(outgoing: Outgoing) -> bool:
        return True

    await Delivery(engine, {"telegram": deliver, "sms": deliver}).drain()  # the goodbye goes
    for table, column, value in await _every_value(database):
        for secret in (user, phone, phone.removeprefix("+")):
            assert secret not in value, (table, column, secret)
