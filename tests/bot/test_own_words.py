"""Journeys by SMS in the residents' own words, as the personas typed them: the flow is kept
when an answer is not a label, thanks in any form, help for this municipality only."""

from __future__ import annotations

from dialogs.pipeline.engine import Engine
from storage.db import Database
from tests.bot.fake_twilio import FakeTwilio
from tests.bot.sms_harness import Phone, running_sms


async def _requests(database: Database) -> list[tuple[str, str]]:
    rows = await database.fetchall("SELECT needs, urgency FROM requests")
    return [(str(row[0]), str(row[1])) for row in rows]


async def test_a_request_answered_in_words_is_sent(
    twilio: FakeTwilio, engine: Engine, database: Database
) -> None:
    async with running_sms(twilio, engine) as base:
        aldona = Phone(base, "+37060012345")
        await aldona.text("laba diena")
        await aldona.text("elektrenai")
        await aldona.text("reikia maisto ir vaistu")
        (details,) = await aldona.text("viskas")  # that is all: on to the details
        assert details.startswith("Trumpai aprasykite"), details
        await aldona.text("duonos ir pieno")
        await aldona.text("Rungos g 5-12 Elektrenai")
        await aldona.text("ne")  # do not remember the address
        (again,) = await aldona.text("nezinau")  # not an answer: asked again, still in the flow
        assert again.startswith("Atsiprasau, nesupratau. Pasirinkite"), again
        assert "1 Siandien" in again
        (summary,) = await aldona.text("labai skubu")  # "very urgent": today
        assert "Skubumas: Siandien" in summary, summary
        await aldona.text("siusk")  # "send it", the label's beginning
        assert await _requests(database) == [('["food", "medicine"]', "today")]
        (thanks,) = await aldona.text("aciu labai")
        assert thanks.startswith("Prasom!"), thanks
        await aldona.text("zmogus")  # a call-back: the SMS number is the phone
        (summary,) = await aldona.text("ne labai skubu")  # "not very urgent"
        assert "Skubumas: Per artimiausias dienas" in summary, summary


async def test_russian_thanks_cyrillic_language_answer_and_local_help(
    twilio: FakeTwilio, engine: Engine
) -> None:
    async with running_sms(twilio, engine) as base:
        svetlana = Phone(base, "+37060054321")
        (question,) = await svetlana.text("Здравствуйте")
        assert "1 Elektrenay\n2 Visaginas" in question, question  # a Lithuanian number
        await svetlana.text("2")
        for words in ("Спасибо большое!", "спс", "spasibo bolshoe"):
            (answer,) = await svetlana.text(words)
            assert answer.startswith("Pozhaluysta!"), (words, answer)
        (help_text, *_) = await svetlana.text("помощь")
        assert "perezvonili" not in help_text  # Visaginas takes no call-back requests
        assert "dush" not in help_text  # nor bookings
        irina = Phone(base, "+37126000777")
        await irina.text("daugavpils")
        (language,) = await irina.text("справка о декларации")  # Cyrillic: Russian
        assert "Yazyk: russkiy." in language, language


async def test_a_russian_chat_stays_russian_when_typed_in_latin_letters(
    twilio: FakeTwilio, engine: Engine
) -> None:
    async with running_sms(twilio, engine) as base:
        svetlana = Phone(base, "+37060054322")
        await svetlana.text("zdravstvujte")
        await svetlana.text("visaginas")
        await svetlana.text("ne mogu vyjti iz doma, nuzhny produkty i lekarstva")
        (answer, *_) = await svetlana.text("помощь")
        assert "Zdes' ya pomogayu" in answer or "Zdes ya pomogayu" in answer, answer


async def test_finding_ones_way_is_never_a_flood_and_a_flood_notice_names_112(
    twilio: FakeTwilio, engine: Engine
) -> None:
    async with running_sms(twilio, engine) as base:
        lost = Phone(base, "+37060012346")
        await lost.text("laba diena")
        await lost.text("elektrenai")
        for words in ("meniu", "kontaktai", "aciu", "pagalba", "taip", "ne") * 3:  # 18 messages
            (answer, *_) = await lost.text(words)
            assert not answer.startswith("Per daug"), (words, answer)
        spam = Phone(base, "+37060012347")
        await spam.text("laba diena")
        await spam.text("elektrenai")
        answers = [await spam.text(f"xqzw {number}") for number in range(12)]
        notices = [page for pages in answers for page in pages if page.startswith("Per daug")]
        assert len(notices) == 1, answers  # one notice, then silence
        assert "112" in notices[0], notices[0]
        assert answers[-1] == []


async def test_russian_in_latin_letters_by_sms_in_daugavpils(
    twilio: FakeTwilio, engine: Engine
) -> None:
    async with running_sms(twilio, engine) as base:
        irina = Phone(base, "+37126054321")
        await irina.text("zdravstvujte")
        await irina.text("daugavpils")
        (food, *_) = await irina.text("produktovye nabory")
        assert food.startswith("Produktovye nabory i pitanie"), food
        (certificate, *_) = await irina.text("spravka")
        assert "spravk" in certificate.lower(), certificate
        (erase, *_) = await irina.text("zabud menja")
        assert erase.startswith("Budut udaleny"), erase  # the question, not "not understood"
        (kept,) = await irina.text("net")
        assert kept.startswith("Khorosho"), kept


async def test_a_no_is_never_taken_for_an_address(twilio: FakeTwilio, engine: Engine) -> None:
    async with running_sms(twilio, engine) as base:
        ona = Phone(base, "+37060099998")
        await ona.text("laba diena")
        await ona.text("elektrenai")
        await ona.text("reikia maisto")
        await ona.text("viskas")
        (address,) = await ona.text("-")
        assert address.startswith("Koks jusu adresas"), address
        (again,) = await ona.text("ne")
        assert again.startswith("Koks jusu adresas"), again  # asked again, not stored
