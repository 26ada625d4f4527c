"""A resident's requests, /forget, and the retention of closed requests' details."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from dialogs.pipeline.engine import Engine
from dialogs.types import Incoming, Reply
from storage import inbox, outbox
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
    reply = await _send(engine, action="rqwd:1")
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
