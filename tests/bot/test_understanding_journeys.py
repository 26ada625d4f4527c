"""Understanding in the middle of a conversation, by signed SMS at default settings: needs
written out at the needs step, a new topic after a contacts list, a list of one's bookings that
is no trap, and a cancellation where nothing can be booked that never offers to withdraw a food
request."""

from __future__ import annotations

from datetime import UTC, datetime

from dialogs.pipeline.engine import Engine
from tests.bot.fake_twilio import FakeTwilio
from tests.bot.sms_harness import Phone, running_sms
from tests.bot.test_sms_journeys import answer, number_of
from tests.conftest import FixedClock

NOVEMBER_1 = datetime(2021, 11, 1, 9, 0, tzinfo=UTC)


def _ticked(page: str) -> list[str]:
    """The labels of the ticked choices ("1 + Maistas")."""
    return [line.split(" + ", 1)[1] for line in page.splitlines() if " + " in line]


async def test_needs_written_out_are_ticked_and_unticked(
    twilio: FakeTwilio, engine: Engine, clock: FixedClock
) -> None:
    clock.current = NOVEMBER_1
    async with running_sms(twilio, engine) as base:
        jonas = Phone(base, "+37060000501")
        menu = await answer(jonas, number_of(await answer(jonas, "Labas"), "Elektrenai"))
        needs = await answer(jonas, number_of(menu, "Pagalba i namus"))
        needs = await answer(jonas, "maisto ir vaistu")
        assert _ticked(needs) == ["Maistas", "Vaistai"], needs
        assert number_of(needs, "Toliau")  # something is chosen: the request can go on
        needs = await answer(jonas, "ne maisto, maista jau uzsakiau, tik higienos")
        assert _ticked(needs) == ["Higienos priemones"], needs
        # And cancelling "the laundry" here, where nothing can be booked, never offers to
        # withdraw a request.
        refused = await answer(jonas, "susirgau, pirmadieni i skalbykla neateisiu, atsaukite")
        assert refused.startswith("Jusu savivaldybeje uzsiregistruoti"), refused
        assert "Atsaukti Nr." not in refused


async def test_a_new_topic_after_a_list_is_not_searched_in_it(
    twilio: FakeTwilio, engine: Engine, clock: FixedClock
) -> None:
    clock.current = NOVEMBER_1
    async with running_sms(twilio, engine) as base:
        skaidrite = Phone(base, "+37126000502")
        menu = await answer(skaidrite, number_of(await answer(skaidrite, "Labdien"), "Koknese"))
        contacts = await answer(skaidrite, number_of(menu, "Kontakti"))
        assert contacts
        booking = await answer(skaidrite, "gribu pierakstities uz velas mazgasanu rit")
        assert booking.startswith("Kadu sertifikatu uzradisiet?"), booking
        await answer(skaidrite, "menu")
        mine = await answer(skaidrite, "kad es esmu pierakstita?")
        assert mine.startswith("Jums nav neviena pieraksta."), mine
        # The list of one's bookings is no form: a new question gets through.
        asked = await answer(skaidrite, "vai mana trucigas personas izzina vel ir deriga?")
        assert "nesapratu" not in asked, asked
    async with running_sms(twilio, engine) as base:
        # Visaginas takes no bookings: asking for one's bookings in Latin letters says so.
        ivan = Phone(base, "+37060000503")
        where = await answer(ivan, "Zdravstvujte")
        await answer(ivan, number_of(where, "Visaginas"))
        for words in ("a 4to u menja zapisano?", "otmenite moju zapis v prachechnuju"):
            said = await answer(ivan, words)
            assert said.startswith("V vashem samoupravlenii net dusha ili prachechnoy"), said


async def test_an_ill_resident_cancels_the_booking_the_words_name(
    twilio: FakeTwilio, engine: Engine, clock: FixedClock
) -> None:
    clock.current = NOVEMBER_1  # a Monday
    async with running_sms(twilio, engine) as base:
        ivan = Phone(base, "+37126000504")
        where = await answer(ivan, "Zdravstvujte")
        await answer(ivan, number_of(where, "Koknese"))
        kind = await answer(ivan, "zapishite na dush v ponedelnik 8 nojabrja")
        issued = await answer(ivan, number_of(kind, "Sertifikat o vaktsinatsii"))
        booked = await answer(ivan, "20.07.2021")
        assert booked.startswith("Vy zapisany: Dush, ponedel'nik, 8 noyabrya."), (issued, booked)
        laundry = await answer(ivan, "i na stirku v sredu")
        booked = await answer(ivan, number_of(laundry, "Sertifikat o vaktsinatsii"))
        booked = await answer(ivan, "20.07.2021")
        assert booked.startswith("Vy zapisany: Stirka"), booked
        # Ill: the shower named, and no list to pick from - the question comes at once.
        asked = await answer(ivan, "ja zabolel, v ponedelnik ne pridu na dush, otmenite")
        assert asked.startswith("Otmenit zapis: Dush, ponedel'nik, 8 noyabrya?"), asked
        done = await answer(ivan, number_of(asked, "Da, otmenit"))
        assert done.startswith("Zapis otmenena."), done
    rows = await engine.database.fetchall("SELECT facility_id, status FROM bookings ORDER BY id")
    assert [tuple(row) for row in rows] == [("shower", "cancelled"), ("laundry", "active")]
