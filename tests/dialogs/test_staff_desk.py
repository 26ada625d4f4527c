"""The staff desk's rules, through the pipeline: binding, /service, a long queue in pages."""

from __future__ import annotations

from datetime import UTC, datetime

from dialogs.pipeline.engine import Engine
from dialogs.types import Channel, Incoming, Receipt, StaffCall, StaffCommand
from storage import requests, residents, staff
from storage.db import Database
from tests.conftest import staff_call

NOW = datetime(2020, 3, 20, 9, 0, tzinfo=UTC)
GROUP = (Channel.TELEGRAM_GROUP, "-1001")


async def _member(
    database: Database, user: str, municipality: str, role: str, queue: str | None = None
) -> None:
    async with database.transaction() as conn:
        code = await staff.create_invite(conn, municipality, role, queue, NOW)
        await staff.redeem(conn, code, user, "Rasa", NOW)


async def test_bind_needs_a_real_queue_and_a_group_of_one_municipality(
    engine: Engine, database: Database
) -> None:
    await _member(database, "701", "elektrenai", "supervisor")
    await _member(database, "703", "koknese", "supervisor")
    typo = await staff_call(engine, StaffCommand.BIND, "701", "izolation", chat=GROUP)
    assert typo.replies[0].text == "Parašykite /bind EILĖ; jūsų eilės: isolation (elektrenai)."
    private = await staff_call(engine, StaffCommand.BIND, "701", "isolation")
    assert private.replies[0].text.startswith("Parašykite /bind EILĖ toje darbuotojų grupėje")
    bound = await staff_call(engine, StaffCommand.BIND, "701", "isolation", chat=GROUP)
    assert bound.replies[0].text == "Ši grupė dabar gauna eilės „isolation“ prašymus."
    # Koknese's supervisor cannot take the group over (Koknese has no queue at all).
    other = await staff_call(engine, StaffCommand.BIND, "703", "isolation", chat=GROUP)
    assert other.replies[0].text == "Rakstiet /bind RINDA; jūsu rindas: -."
    async with database.transaction() as conn:
        assert await staff.bindings(conn, "-1001") == [("elektrenai", "isolation")]


async def test_service_status_is_for_supervisors(engine: Engine, database: Database) -> None:
    await _member(database, "702", "elektrenai", "staff", "isolation")
    await _member(database, "703", "elektrenai", "staff")
    for user in ("702", "703"):
        refused = await staff_call(
            engine, StaffCommand.SERVICE, user, "vievis-day-centre", "suspended", "2020-03-20"
        )
        assert refused.replies[0].text == "Jums to daryti neleidžiama."
    assert await database.fetchall("SELECT * FROM service_overrides") == []


async def test_a_staff_update_telegram_sends_twice_is_handled_once(
    engine: Engine, database: Database
) -> None:
    await _member(database, "701", "elektrenai", "supervisor")
    call = StaffCall(StaffCommand.BIND, "701", "Rasa", ("isolation",))
    incoming = Incoming(*GROUP, staff=call, receipt=Receipt("telegram", "77"))
    await engine.run(incoming)
    await engine.run(incoming)  # the same update_id again
    rows = await database.fetchall("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'bind%'")
    assert rows[0][0] == 1


async def test_a_long_queue_comes_in_pages_and_names_the_holder(
    engine: Engine, database: Database
) -> None:
    await _member(database, "701", "elektrenai", "supervisor")
    async with database.transaction() as conn:
        resident = await residents.find_or_create(conn, "telegram", "801", NOW)
        for number in range(1, 21):
            new = requests.NewRequest(
                "elektrenai", "isolation", resident.id, "telegram", "801", "lt", ("food",),
                f"duona {number}", None, "+37060000801", "today",
            )  # fmt: skip
            await requests.file(conn, new, NOW)
        await requests.set_status(conn, 20, "taken", "701", NOW)
    first = (await staff_call(engine, StaffCommand.QUEUE, "701")).replies[0].text
    assert "Prašymas Nr. 1:" in first
    assert "Prašymas Nr. 9:" not in first
    assert first.endswith("Kitam puslapiui parašykite /queue 2.")
    assert len(first) < 4096
    last = (await staff_call(engine, StaffCommand.QUEUE, "701", "3")).replies[0].text
    assert "Prašymas Nr. 20:" in last
    assert "Būsena: priėmė Rasa" in last  # the holder's name, not their id
