"""The SMS channel end to end: signed webhooks, TwiML answers, REST notifications."""

from __future__ import annotations

import asyncio
import collections
from datetime import UTC, date, datetime
from typing import Any

from twilio.request_validator import RequestValidator

from dialogs.pipeline.engine import Engine
from dialogs.render.sms_encoding import is_gsm, segments
from dialogs.types import StaffCommand
from storage import certificates
from storage.certificates import StatusCertificate
from storage.db import Database
from tests.bot.fake_twilio import FakeTwilio
from tests.bot.sms_harness import AUTH_TOKEN, PUBLIC, Phone, running_sms
from tests.conftest import FixedClock, staff_call


def _cheap(messages: list[str]) -> None:
    for message in messages:
        assert is_gsm(message), message
        assert segments(message)[1] <= 2, message


async def test_signatures_are_checked(twilio: FakeTwilio, engine: Engine) -> None:
    async with running_sms(twilio, engine) as base:
        phone = Phone(base, "+37060000301")
        form = phone.form("labas")
        validator = RequestValidator(AUTH_TOKEN)
        right = validator.compute_signature(f"{PUBLIC}/sms", form)
        assert (await phone.post(form, "wrong")).status == 403
        assert (await phone.post(form, None)).status == 403
        assert (await phone.post({**form, "Body": "kita"}, right)).status == 403  # tampered
        http_signed = validator.compute_signature(PUBLIC.replace("https", "http") + "/sms", form)
        assert (await phone.post(form, http_signed)).status == 403
        assert (await phone.post(form, right)).status == 200
        assert (await phone.post(form, right)).status == 200  # a retry: answered, once
    rows = await engine.database.fetchall("SELECT COUNT(*) FROM identities WHERE channel = 'sms'")
    assert rows[0][0] == 1


async def test_contacts_in_lithuanian_folded_to_gsm(twilio: FakeTwilio, engine: Engine) -> None:
    async with running_sms(twilio, engine) as base:
        phone = Phone(base, "+37060000302")
        (first,) = await phone.text("labas")  # Lithuanian: the Lithuanian municipalities
        assert "Kurioje savivaldybeje gyvenate?" in first
        (menu,) = await phone.text("1")  # Elektrėnai
        assert "Elektrenu socialiniu paslaugu centras. Ka noretumete suzinoti?" in menu
        assert "\n1 Kontaktai\n" in menu
        await phone.text("kontaktai")
        (answer,) = await phone.text("3")
        assert "Telefonai: (0-528) 39804, (0-652) 34476" in answer
        (menu_again,) = await phone.text("MENIU")
        assert "Ka noretumete suzinoti?" in menu_again
        _cheap([first, menu, answer, menu_again])


async def test_shower_booking_in_latvian(
    twilio: FakeTwilio, engine: Engine, clock: FixedClock
) -> None:
    clock.current = datetime(2021, 11, 1, 9, 0, tzinfo=UTC)
    async with running_sms(twilio, engine) as base:
        phone = Phone(base, "+37126000303")
        await phone.text("labdien")  # Latvian: the Latvian municipalities
        await phone.text("2")  # Koknese
        (menu,) = await phone.text("pieraksts")
        assert "1 Dusas pakalpojums" in menu
        await phone.text("1")
        await phone.text("3")
        (question,) = await phone.text("3")  # a negative test
        assert question.startswith("Kad tika veikts tests?")
        (booked,) = await phone.text("31.10.2021 14:00")
        assert booked.startswith(
            "Pieraksts apstiprinats: Dusas pakalpojums, tresdiena, 3. novembris.\n"
        )
        _cheap([menu, question, booked])


async def test_certificate_question_in_russian(
    twilio: FakeTwilio, engine: Engine, database: Database, clock: FixedClock
) -> None:
    async with database.transaction() as conn:
        record = StatusCertificate(
            "DN-31",
            "subsistence-declaration",
            "+37126000304",
            date(2020, 1, 1),
            date(2020, 3, 31),
            3,
        )
        await certificates.upsert(conn, "daugavpils", [record], clock.now())
    async with running_sms(twilio, engine) as base:
        phone = Phone(base, "+37126000304")
        await phone.text("здравствуйте")  # Russian
        await phone.text("1")  # Daugavpils
        await phone.text("справки")
        messages = await phone.text("1")
        text = "\n".join(messages)
        assert "No. DN-31: Deklaratsiya o sredstvakh k sushchestvovaniyu" in text
        assert "Deystvitel'na do: 30 iyunya 2020 g." in text
        _cheap(messages)


async def test_request_taken_by_staff_is_told_by_sms_and_opt_out(
    twilio: FakeTwilio, engine: Engine, database: Database
) -> None:
    async with running_sms(twilio, engine) as base:
        phone = Phone(base, "+37060000305")
        await phone.text("labas")
        await phone.text("1")  # Elektrėnai, in Lithuanian
        # Talk to a person: the SMS number is the call-back phone; how urgent, then the summary.
        (question,) = await phone.text("zmogus")
        assert question.startswith("Kaip skubiai?")
        (summary,) = await phone.text("2")  # in the next days
        assert summary.startswith("Patikrinkite savo prasyma:\n")
        assert "\nReikia: paskambinkite man\n" in summary
        (sent,) = await phone.text("1")
        assert sent.startswith("Jusu prasymas Nr. 1 issiustas.")
        async with database.transaction() as conn:
            await conn.execute(
                "INSERT INTO staff (user_id, municipality_id, role, name, created_at)"
                " VALUES ('42', 'elektrenai', 'staff', 'Rasa', '2020-03-20')"
            )
        assert not (await staff_call(engine, StaffCommand.CARD, "42", "rq:take:1")).alert
        for _ in range(100):
            if twilio.to("+37060000305"):
                break
            await asyncio.sleep(0.05)
        assert twilio.to("+37060000305") == ["Darbuotojas prieme jusu prasyma Nr. 1."]
        assert twilio.sent[0]["StatusCallback"] == f"{PUBLIC}/sms/status"
        (stopped,) = await phone.text("STOP")
        assert stopped.startswith("Pranesimu daugiau negausite.")
        assert not (await staff_call(engine, StaffCommand.CARD, "42", "rq:done:1")).alert
        await asyncio.sleep(0.4)
        assert len(twilio.to("+37060000305")) == 1  # opted out: nothing more
        (started,) = await phone.text("START")
        assert started == "Pranesimai vel ijungti."


async def test_long_answers_come_in_pages(twilio: FakeTwilio, engine: Engine) -> None:
    async with running_sms(twilio, engine, SMS_MAX_SEGMENTS="1") as base:
        phone = Phone(base, "+37060000306")
        await phone.text("здравствуйте")  # a Lithuanian phone: Elektrėnai and Visaginas offered
        (menu,) = await phone.text("1")  # Elektrėnai, in Russian (transliterated)
        assert "Tsentr sotsial'nykh uslug Elektrenay" in menu
        (page,) = await phone.text("kontakty")
        assert "otvet'te eshche" in page.splitlines()[-1].lower()
        assert segments(page)[1] == 1
        pages = [page]
        while "ESHCHE" in pages[-1]:
            (page,) = await phone.text("еще")
            pages.append(page)
        assert all(segments(p)[1] == 1 for p in pages)
        assert "(1/" in pages[0]
        assert pages[-1].endswith(f"({len(pages)}/{len(pages)})")
        (nothing,) = await phone.text("ЕЩЕ")
        assert nothing == "Bol'she nichego net."


async def test_flood_and_long_bodies(twilio: FakeTwilio, engine: Engine) -> None:
    async with running_sms(twilio, engine, SMS_FLOOD_LIMIT="3") as base:
        phone = Phone(base, "+37060000307")
        (long_answer, *_) = await phone.text("a" * 2000)
        assert long_answer.startswith("Your message was long")
        await phone.text("2")  # answers are not counted
        await phone.text("1")
        assert await phone.text("xyz xyz")  # unasked: 2, 3
        assert await phone.text("xyz xyz")
        (notice,) = await phone.text("xyz xyz")
        assert "12:30" in notice  # when the number may write again (12:00 + 30 minutes)
        assert await phone.text("kontaktai") == []  # muted until then


async def test_delivery_reports_are_recorded(twilio: FakeTwilio, engine: Engine) -> None:
    async with running_sms(twilio, engine) as base:
        phone = Phone(base, "+37060000308")
        form = {"MessageSid": "SM1", "MessageStatus": "delivered"}
        url = f"{base}/sms/status"
        signature = RequestValidator(AUTH_TOKEN).compute_signature(f"{PUBLIC}/sms/status", form)
        assert (await phone.post(form, "forged", url)).status == 403
        assert (await phone.post(form, signature, url)).status == 204
    rows = await engine.database.fetchall("SELECT sid, status FROM sms_status")
    assert [tuple(r) for r in rows] == [("SM1", "delivered")]


async def test_typed_sentence_starts_a_booking_by_sms(
    twilio: FakeTwilio, engine: Engine, clock: FixedClock
) -> None:
    clock.current = datetime(2021, 11, 1, 9, 0, tzinfo=UTC)
    async with running_sms(twilio, engine) as base:
        phone = Phone(base, "+37126000309")
        await phone.text("labdien")
        await phone.text("2")  # Koknese
        (question,) = await phone.text("pierakstiet mani uz velas mazgasanu piektdien")
        assert question.startswith("Kadu sertifikatu uzradisiet?")


async def test_each_sms_is_one_write_transaction(twilio: FakeTwilio, engine: Engine) -> None:
    """STOP/START, flood accounting, MORE pages, the turn and its answers: one transaction (a
    unit of a group commit) per inbound SMS (delivery's rounds, shared by all messages, are
    counted apart)."""
    per_task: collections.Counter[str] = collections.Counter()
    transaction, unit = engine.database.transaction, engine.database.unit

    def count() -> None:
        task = asyncio.current_task()
        name = task.get_coro().__qualname__ if task is not None else "?"  # type: ignore[union-attr]
        per_task["webhook" if name.startswith("RequestResponseCycle") else name] += 1

    def counted() -> Any:
        count()
        return transaction()

    def counted_unit(work: Any) -> Any:  # a turn: one unit of a group commit
        count()
        return unit(work)

    engine.database.transaction = counted  # type: ignore[method-assign]
    engine.database.unit = counted_unit  # type: ignore[method-assign]
    async with running_sms(twilio, engine, SMS_MAX_SEGMENTS="1") as base:
        phone = Phone(base, "+37060000310")
        conversation = ["labas", "1", "kontaktai", "daugiau", "STOP", "START", "3"]
        for number, body in enumerate(conversation, start=1):
            assert await phone.text(body)
            assert per_task["webhook"] == number, body
    assert per_task["Delivery.run"] > 0  # the rounds ran meanwhile, and marked answers sent


async def test_a_replay_with_moved_parameter_boundaries_is_refused(
    twilio: FakeTwilio, engine: Engine
) -> None:
    """Twilio signs "MessageSid" + value + "NumMedia" + value run together: moving a boundary
    keeps the signature valid, so the values' shapes are checked too."""
    async with running_sms(twilio, engine) as base:
        phone = Phone(base, "+37060000311")
        honest = {**phone.form("labas", "SM" + "a" * 32), "NumMedia": "0"}
        moved = {key: value for key, value in honest.items() if key != "NumMedia"}
        moved["MessageSid"] = honest["MessageSid"] + "NumMedia0"
        sign = RequestValidator(AUTH_TOKEN).compute_signature
        assert sign(f"{PUBLIC}/sms", moved) == sign(f"{PUBLIC}/sms", honest)
        assert (await phone.post(moved, sign(f"{PUBLIC}/sms", moved))).status == 400
        assert (await phone.post(honest, sign(f"{PUBLIC}/sms", honest))).status == 200
        for bad in ({"MessageSid": "SM1"}, {"AccountSid": "ACx"}, {"To": "twilio"}):
            form = {**phone.form("labas"), **bad}
            assert (await phone.post(form, sign(f"{PUBLIC}/sms", form))).status == 400
    rows = await engine.database.fetchall("SELECT key FROM inbox WHERE channel = 'sms'")
    assert [row[0] for row in rows] == [honest["MessageSid"]]  # only the honest one was handled
