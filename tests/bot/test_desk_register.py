"""The certificate register imported on the desk by Koknese's supervisor: a file with a bad
line is refused with the line named; a good file is shown as its difference first (nothing
changed), then applied; a resident texting from a listed number then finds their certificate;
a check made stale by another import is refused."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import httpx

from dialogs.pipeline.engine import Engine
from storage import certificates, desk, staff
from tests.bot.desk_browser import csrf_of
from tests.bot.fake_twilio import FakeTwilio
from tests.bot.sms_harness import Phone, running_sms
from tests.bot.test_sms_journeys import answer, number_of
from tests.conftest import FixedClock

FILE = (
    "number,kind,holder_phone,issued_on,expires_on\n"
    "KOK-2021-014,needy,26000014,01.06.2021,30.11.2021\n"
    "KOK-2021-015,low-income,+371 26000015,2021-07-01,2021-12-31\n"
)


async def test_a_register_file_is_checked_then_applied(
    twilio: FakeTwilio, engine: Engine, clock: FixedClock
) -> None:
    clock.current = datetime(2021, 11, 1, 9, 0, tzinfo=UTC)
    now = clock.now()
    async with engine.database.transaction() as conn:
        await staff.add(conn, staff.Member("706", "koknese", "supervisor", None, "Dace"), now)
        token = await desk.create_link(conn, "706", now)
    async with running_sms(twilio, engine) as base, httpx.AsyncClient(base_url=base) as dace:
        signed = await dace.get(f"/desk/login/{token}")
        dace.cookies.set("desk", signed.cookies["desk"], path="/desk")
        csrf = csrf_of((await dace.get("/desk/register?lang=en")).text)
        form = {"csrf": csrf, "municipality": "koknese"}
        bad = FILE + "KOK-2021-016,needy,123,2021-04-01,2021-09-30\n"
        files = {"file": ("register.csv", bad.encode(), "text/csv")}
        refused = await dace.post("/desk/register/check?lang=en", data=form, files=files)
        assert refused.status_code == 400
        assert "holder_phone &#39;123&#39; is not a valid phone number" in refused.text
        files = {"file": ("register.csv", FILE.encode(), "text/csv")}
        checked = await dace.post("/desk/register/check?lang=en", data=form, files=files)
        assert "New: 2 · Updated: 0 · Unchanged: 0" in checked.text
        assert "+37126000014" in checked.text
        async with engine.database.transaction() as conn:
            assert await certificates.all_of(conn, "koknese") == []  # a check changes nothing
        digest = re.search(r'name="digest" value="([0-9a-f]+)"', checked.text)
        assert digest is not None
        applied = await dace.post(
            "/desk/register/apply?lang=en", data={**form, "digest": digest[1], "text": FILE}
        )
        assert applied.headers["location"].endswith("done=register-applied")
        # The same check applied again after the register changed: refused.
        again = await dace.post(
            "/desk/register/apply?lang=en",
            data={**form, "digest": digest[1], "text": FILE.replace("30.11.2021", "31.12.2021")},
        )
        assert "the register changed since the check" in again.text
        # The resident texting from a listed number finds their certificate.
        phone = Phone(base, "+37126000015")
        where = await answer(phone, "Labdien")
        menu = await answer(phone, number_of(where, "Koknese"))
        which = await answer(phone, number_of(menu, "Izzinas"))
        found = await answer(phone, number_of(which, "Vai mana izzina"))
        assert "KOK-2021-015" in found, found
    async with engine.database.transaction() as conn:
        audited = await conn.execute_fetchall(
            "SELECT action FROM audit_log WHERE actor = '706' AND outcome = 'ok'"
        )
    assert [row[0] for row in audited] == ["desk register import 2 new 0 updated"]
