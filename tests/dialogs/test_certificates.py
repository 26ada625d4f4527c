"""Certificate dialogs through the engine: status by verified phone, and the health check."""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from dialogs.core.i18n import Catalogs
from dialogs.pipeline.engine import Engine
from dialogs.types import Incoming, Reply
from storage import certificates
from storage.certificates import StatusCertificate
from storage.content import load_content
from storage.db import Database
from tests.conftest import CONTENT_DIR, FixedClock

NOW = datetime(2021, 11, 1, 10, 0, tzinfo=UTC)
KOK_14 = StatusCertificate("KOK-14", "needy", "+37126000014", date(2021, 6, 1), date(2021, 11, 30))


async def _register(database: Database, municipality: str, *rows: StatusCertificate) -> None:
    async with database.transaction() as conn:
        await certificates.upsert(conn, municipality, rows, NOW)


class Resident:
    """A resident on a channel that vouches for the phone (as SMS does), or not."""

    def __init__(self, engine: Engine, phone: str | None, address: str = "r1") -> None:
        self.engine, self.phone, self.address = engine, phone, address

    async def send(self, **fields: object) -> Reply:
        incoming = Incoming("sms", self.address, verified_phone=self.phone, **fields)  # type: ignore[arg-type]
        (reply,) = await self.engine.handle(incoming)
        return reply

    async def say(self, text: str) -> Reply:
        return await self.send(text=text)


@pytest.fixture
def autumn_2021(clock: FixedClock) -> FixedClock:
    clock.current = NOW
    return clock


async def test_koknese_certificate_in_latvian(
    engine: Engine, database: Database, autumn_2021: FixedClock
) -> None:
    await _register(
        database,
        "koknese",
        KOK_14,
        StatusCertificate("KOK-99", "needy", "+37126000099", date(2021, 6, 1), date(2021, 11, 30)),
    )
    anna = Resident(engine, "+37126000014")
    await anna.send(start=True, text="koknese_lv")
    await anna.say("izziņas")
    reply = await anna.say("vai mana izziņa ir derīga")
    assert "Nr. KOK-14: trūcīgas personas izziņa" in reply.text
    assert "\nDerīguma termiņš: 2022. gada 28. februāris\n" in reply.text
    assert "Sākotnēji derīga līdz 30.11.2021." in reply.text
    assert "vienu kalendāra mēnesi pēc tās beigām" in reply.text
    assert "E-pasts: soc.dienests@koknese.lv" in reply.text
    assert "KOK-99" not in reply.text  # someone else's


async def test_daugavpils_declaration_in_russian(
    engine: Engine, database: Database, clock: FixedClock
) -> None:
    await _register(
        database,
        "daugavpils",
        StatusCertificate(
            "DN-31",
            "subsistence-declaration",
            "+37126000031",
            date(2020, 1, 1),
            date(2020, 3, 31),
            3,
        ),
    )
    ivan = Resident(engine, "+37126000031")
    await ivan.send(start=True, text="daugavpils_ru")
    reply = await ivan.send(action="certificates")
    reply = await ivan.send(action="cert:status")
    assert "№ DN-31: Декларация о средствах к существованию" in reply.text
    assert "Действительна до: 30 июня 2020\u202fг." in reply.text
    assert "Изначально была действительна до 31 марта 2020\u202fг." in reply.text
    assert "Телефоны: 65 476 823, 26 641 869" in reply.text


async def test_expiry_soon_and_expired(
    engine: Engine, database: Database, autumn_2021: FixedClock
) -> None:
    await _register(
        database,
        "koknese",
        StatusCertificate("A", "low-income", "+37126000001", date(2021, 1, 1), date(2021, 10, 1)),
        StatusCertificate("B", "low-income", "+37126000001", date(2021, 1, 1), date(2021, 10, 10)),
    )
    ona = Resident(engine, "+37126000001")
    await ona.send(start=True, text="koknese_ru")
    await ona.send(action="certificates")
    reply = await ona.send(action="cert:status")
    first, second = reply.text.split("\n\n")[:2]
    assert first.startswith("№ B")  # the latest expiry first
    assert "Срок её действия истёк." in first
    assert "Срок её действия истёк." in second


async def test_nothing_registered_offers_the_contact(
    engine: Engine, autumn_2021: FixedClock
) -> None:
    nobody = Resident(engine, "+37126000777")
    await nobody.send(start=True, text="koknese_lv")
    await nobody.send(action="certificates")
    reply = await nobody.send(action="cert:status")
    assert reply.text.startswith("Ar jūsu tālruņa numuru nav saistīta neviena izziņa.\n")
    assert ("Kontakti", "dept:social-service") in [(c.label, c.action) for c in reply.choices]


async def test_without_a_verified_phone_nothing_is_revealed(
    engine: Engine, database: Database
) -> None:
    await _register(
        database,
        "koknese",
        KOK_14,
    )
    console = Resident(engine, None)
    await console.send(start=True, text="koknese_lv")
    await console.send(action="certificates")
    reply = await console.send(action="cert:status")
    assert reply.text.startswith("Lai aizsargātu jūsu datus, izziņas meklēju tikai pēc jūsu paša")
    reply = await console.say("KOK-14")
    assert "nekad nemeklēju izziņu pēc sarakstē ierakstīta numura" in reply.text
    reply = await console.say("+37126000014")
    assert "KOK-14" not in reply.text


async def test_telegram_style_share_then_status(
    engine: Engine, database: Database, autumn_2021: FixedClock
) -> None:
    await _register(
        database,
        "koknese",
        KOK_14,
    )

    async def send(**fields: object) -> Reply:
        (reply,) = await engine.handle(Incoming("tg", "14", can_share_phone=True, **fields))  # type: ignore[arg-type]
        return reply

    await send(start=True, text="koknese_lv")
    await send(action="certificates")
    reply = await send(action="cert:status")
    assert reply.ask_phone == "Kopīgot tālruņa numuru"
    reply = await send(shared_phone="37126000014", shared_phone_is_own=True)
    assert "Nr. KOK-14" in reply.text  # the answer follows the shared phone at once


@pytest.fixture
async def lithuanian_engine(
    tmp_path: Path, database: Database, catalogs: Catalogs, clock: FixedClock
) -> Engine:
    """Elektrėnai with a register and a health rule: test content for the Lithuanian texts."""
    folder = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, folder)
    with (folder / "elektrenai.toml").open("a", encoding="utf-8") as file:
        file.write(
            '\n[certificates]\ndepartment = "administration"\n'
            '\n[[health_rules]]\nfrom = 2020-03-01\naccepted = ["test"]\ntest_valid_hours = 72\n'
        )
    return Engine(database, load_content(folder), catalogs, clock)


async def test_lithuanian_certificate_and_health_check(
    lithuanian_engine: Engine, database: Database
) -> None:
    await _register(
        database,
        "elektrenai",
        StatusCertificate("EL-1", "low-income", "+37060000001", date(2020, 1, 1), date(2020, 4, 1)),
    )
    jonas = Resident(lithuanian_engine, "+37060000001")
    await jonas.send(start=True, text="elektrenai_lt")
    reply = await jonas.say("pažymos")
    assert reply.text == "Pažymos. Ką norėtumėte patikrinti?"
    reply = await jonas.send(action="cert:status")
    assert "Nr. EL-1: mažas pajamas gaunančio asmens pažyma" in reply.text
    assert "Galioja iki: 2020 m. balandžio 1 d." in reply.text
    assert "Galios dar 12 dienų." in reply.text
    await jonas.send(action="certificates")
    await jonas.send(action="health")
    reply = await jonas.send(action="hkind:test")
    assert reply.text.startswith("Kada atliktas testas?")
    reply = await jonas.say("2020-03-18")
    assert reply.text.startswith("Atsiprašau, nepavyko perskaityti.")  # a test needs the time
    reply = await jonas.say("18.03.2020 09:15")
    reply = await jonas.send(action="hvisit:1")
    assert reply.text == (
        "Šis pažymėjimas 2020 m. kovo 21 d. galioja tik iki 09:15:"
        " atvykite anksčiau arba atsineškite naujesnį."
    )


async def test_health_check_in_latvian_and_russian(engine: Engine, autumn_2021: FixedClock) -> None:
    anna = Resident(engine, None)
    await anna.send(start=True, text="koknese_lv")
    await anna.send(action="certificates")
    reply = await anna.send(action="health")
    assert [c.label for c in reply.choices][:4] == [
        "Vakcinācijas sertifikāts",
        "Izslimošanas sertifikāts",
        "Negatīvs tests",
        "Man tāda nav",
    ]
    await anna.send(action="hkind:test")
    await anna.say("29.10.2021 14:00")
    reply = await anna.say("šodien")
    # 72 hours from 14:00 summer time end at 13:00 winter time (clocks went back on 31 October).
    assert reply.text == (
        "Šis sertifikāts 01.11.2021 ir derīgs tikai līdz 13:00:"
        " ierodieties līdz tam vai ņemiet līdzi jaunāku."
    )
    await anna.send(action="health")
    await anna.send(action="hkind:test")
    await anna.say("29.10.2021 14:00")
    reply = await anna.say("rīt")
    assert reply.text.startswith("Šis sertifikāts apmeklējumam 02.11.2021 nav derīgs.")
    await anna.send(action="language")
    await anna.send(action="lang:ru")
    await anna.send(action="certificates")
    await anna.send(action="health")
    await anna.send(action="hkind:vaccination")
    await anna.say("1.06.2021")
    reply = await anna.say("5.11.2021")
    assert reply.text == "Этот сертификат действителен для визита 5 ноября 2021\u202fг."
    reply = await anna.say("5.11.2022")  # after the rule's end
    assert "сертификат не требуется" in reply.text
