"""The engine driven through every dialog, in Lithuanian, Latvian and Russian."""

from __future__ import annotations

import types
from dataclasses import replace
from datetime import date, timedelta

import pytest

from dialogs.core.i18n import Catalogs
from dialogs.pipeline.engine import Engine
from dialogs.pipeline.registry import ALWAYS_VALID, DuplicateActionError, Registry
from dialogs.pipeline.resident import DIALOGS
from dialogs.types import Incoming, Receipt, Reply, StaffCommand
from storage import service_overrides
from storage.content import Content
from storage.db import Database
from storage.service_overrides import Override
from tests.conftest import Chat, FixedClock, staff_call


async def test_first_contact_asks_municipality_then_language(chat: Chat) -> None:
    reply = await chat.start()
    assert "Kurioje savivaldybėje gyvenate?" in reply.text
    assert "Kurā pašvaldībā jūs dzīvojat?" in reply.text
    assert "В каком самоуправлении вы живёте?" in reply.text
    assert chat.labels == ["Daugavpils novads", "Elektrėnai", "Koknese", "Visaginas"]
    reply = await chat.say("koknese")
    assert "Izvēlieties valodu." in reply.text
    assert chat.labels == ["Latviešu", "Русский", "English"]
    reply = await chat.say("latviesu")
    assert "Kokneses sociālais dienests. Ko vēlaties uzzināt?" in reply.text
    assert chat.labels[:2] == ["Kontakti", "Pakalpojumu pieejamība"]


async def test_language_hint_asks_in_that_language_only(chat: Chat) -> None:
    reply = await chat.start(hint="ru")
    assert (
        reply.text
        == "Здравствуйте! Я помощник социальной службы. В каком самоуправлении вы живёте?"
    )
    reply = await chat.say("1")  # Daugavpils offers Russian: no language question
    assert "Социальная служба Даугавпилсского края. Что вы хотите узнать?" in reply.text


async def test_nothing_but_setup_is_answered_before_setup(chat: Chat) -> None:
    await chat.start()
    reply = await chat.say("kontaktai")
    assert "Kurioje savivaldybėje gyvenate?" in reply.text
    reply = await chat.press("contacts")
    assert "Kurioje savivaldybėje gyvenate?" in reply.text


async def test_contacts_in_lithuanian(chat: Chat) -> None:
    await chat.start("elektrenai_lt")
    reply = await chat.say("kontaktai")
    assert "Nemokama koronos karštoji linija (visą parą): 1808" in reply.text
    assert "https://soc.elektrenai.lt" in reply.text
    assert (
        "Pagalba į namus, dienos socialinė globa, techninės pagalbos priemonės ir transportas"
        in chat.labels
    )
    reply = await chat.say("3")
    assert reply.text.splitlines()[1] == "Telefonai: (0-528) 39804, (0-652) 34476"
    assert "• Pagalba namuose: veikia ribotai iki atskiro pranešimo" in reply.text
    reply = await chat.say("0")  # back to the list of contacts
    assert "Į ką norite kreiptis?" in reply.text


@pytest.mark.parametrize(
    ("payload", "question", "expected"),
    [
        (
            "elektrenai_lt",
            "Į ką kreiptis dėl pagalbos į namus?",
            "Telefonai: (0-528) 39804, (0-652) 34476",
        ),
        (
            "elektrenai_lt",
            "kam skambinti del pagalbos i namus",
            "Telefonai: (0-528) 39804, (0-652) 34476",
        ),
        ("elektrenai_en", "who do I call about home help?", "Phones: (0-528) 39804, (0-652) 34476"),
        (
            "elektrenai_ru",
            "кому звонить насчёт помощи на дому",
            "Телефоны: (0-528) 39804, (0-652) 34476",
        ),
        ("elektrenai_lt", "psichologas", "Telefonas: (0-683) 00871"),
        ("daugavpils_lv", "kur zvanīt sociālajam dienestam", "Tālruņi: 65 476 823, 26 641 869"),
        ("koknese_ru", "социальная служба", "Эл. почта: soc.dienests@koknese.lv"),
    ],
)
async def test_contacts_by_topic_from_the_menu(
    chat: Chat, payload: str, question: str, expected: str
) -> None:
    await chat.start(payload)
    reply = await chat.say(question)
    assert expected in reply.text


async def test_contact_without_phone_says_where_to_look(chat: Chat) -> None:
    await chat.start("visaginas_lt")
    await chat.say("kontaktai")
    reply = await chat.choose("šeimos ir vaiko gerovės")
    lines = reply.text.splitlines()
    assert lines[1] == (
        "Šiame pranešime telefonų ir el. pašto adresų nėra. Jų ieškokite Visagino socialinių"
        " paslaugų centro ar Visagino savivaldybės interneto svetainėje."
    )
    assert reply.text.count("pašto") == 1  # said once


async def test_kazokiskes_suspended_on_20_march_2020_in_russian(chat: Chat) -> None:
    await chat.start("elektrenai_ru")
    await chat.say("услуги")
    reply = await chat.choose("Казокишкес")
    assert (
        "Сегодня, 20 марта 2020\u202fг.: работа приостановлена до 27 марта 2020\u202fг."
        in reply.text
    )
    # The notice gives no reopening date: the answer does not invent one.
    assert "В объявлении ничего не сказано о том, что будет после 27 марта 2020\u202fг." in (
        reply.text.splitlines()
    )
    assert "С 28 марта" not in reply.text
    assert "Обучение и групповые встречи временно не проводятся." in reply.text
    reply = await chat.choose("Контакты")
    assert "Телефон: (0-673) 48165" in reply.text


async def test_what_is_restricted_today_in_lithuanian(chat: Chat) -> None:
    await chat.start("elektrenai_lt")
    reply = await chat.say("apribojimai")
    lines = reply.text.splitlines()
    assert lines[0].startswith("Galioja: Valstybės lygio ekstremalioji situacija")
    assert lines[1] == "2020 m. kovo 20 d. apribotos 5 paslaugos."
    assert "• Kazokiškių vaikų dienos centras: veikla sustabdyta iki 2020 m. kovo 27 d." in lines
    assert (
        "• Asmenų aptarnavimas centre: veikia tik nuotoliniu būdu iki 2020 m. kovo 30 d." in lines
    )


async def test_daugavpils_mobile_care_unit_stopped_in_latvian(chat: Chat) -> None:
    await chat.start("daugavpils_lv")
    reply = await chat.say("mobilā aprūpe")
    assert reply.text.splitlines()[0] == "Mobilās aprūpes vienība"
    assert "Šodien (20.03.2020): apturēts līdz 14.04.2020" in reply.text
    assert "pārtraukta" in reply.text


async def test_after_the_notice_ends_the_assistant_says_it_has_no_news(
    chat: Chat, clock: FixedClock
) -> None:
    clock.current = clock.current.replace(year=2026, month=11, day=22)
    await chat.start("koknese_lv")
    reply = await chat.say("dušas pakalpojums")
    assert "\nŠodien (22.11.2026): nav aktuālas informācijas\n" in reply.text
    assert "bija spēkā no 11.10.2021 līdz 11.01.2022: ar ierobežojumiem." in reply.text
    reply = await chat.say("ierobežojumi")
    assert "22.11.2026 nav ziņu par apturētiem" in reply.text


async def test_visaginas_project_runs_until_the_end_of_2026(chat: Chat, clock: FixedClock) -> None:
    clock.current = clock.current.replace(year=2026, month=11, day=22)
    await chat.start("visaginas_lt")
    await chat.say("paslaugos")
    reply = await chat.say("integrali pagalba")
    assert (
        "Šiandien, 2026 m. lapkričio 22 d.: veikia (pranešimas galioja iki 2026 m. gruodžio 31 d.)"
        in reply.text.splitlines()
    )
    assert "Pranešime nenurodyta, kas bus po 2026 m. gruodžio 31 d." in reply.text.splitlines()


async def test_choices_by_number_label_and_keyword_with_or_without_diacritics(chat: Chat) -> None:
    await chat.start("elektrenai_lt")
    assert "Kuri paslauga?" in (await chat.say("Paslaugu teikimas")).text
    assert "Ką norėtumėte sužinoti?" in (await chat.say("MENIU")).text
    assert "Kuri paslauga?" in (await chat.say("2")).text
    assert "Į ką norite kreiptis?" in (await chat.say("kontaktai")).text


async def test_change_language_and_municipality(chat: Chat) -> None:
    await chat.start("elektrenai_lt")
    reply = await chat.say("kalba")
    assert chat.labels == ["Lietuvių", "Русский", "English"]
    reply = await chat.say("2")
    assert reply.text.startswith("Язык: русский.")
    reply = await chat.say("самоуправление")
    assert chat.labels == ["Даугавпилсский край", "Электренай", "Кокнесе", "Висагинас"]
    reply = await chat.choose("Кокнесе")  # Russian is offered there too
    assert reply.text.startswith("Самоуправление: Кокнесе.")
    await chat.say("язык")
    reply = await chat.choose("Latviešu")
    assert reply.text.startswith("Valoda: latviešu.")
    reply = await chat.say("pašvaldība")
    reply = await chat.choose("Visaginas")  # Latvian is not offered in Visaginas
    assert chat.labels == ["Lietuvių", "Русский", "English"]


@pytest.mark.parametrize(
    ("payload", "word", "expected"),
    [
        (
            "elektrenai_lt",
            "pagalba",
            "Čia padedu šiais klausimais: kontaktai, paslaugų teikimas, pagalba į namus.\n",
        ),
        (
            "koknese_lv",
            "palīdzība",
            "Šeit palīdzu ar: kontakti, pakalpojumu pieejamība, izziņas, pieraksti.\n",
        ),
        (
            "daugavpils_ru",
            "помощь",
            "Здесь я помогаю по вопросам: контакты, работа услуг, справки.\n",
        ),
    ],
)
async def test_help(chat: Chat, payload: str, word: str, expected: str) -> None:
    await chat.start(payload)
    reply = await chat.say(word)
    assert expected in reply.text
    assert "112" in reply.text


@pytest.mark.parametrize(
    "text",
    [
        "kas bus rytoj su oru",
        "🙂🙂🙂",
        "'; DROP TABLE residents; --",
        "<b>hello</b>",
        "\x00\x01\x02 ???",
    ],
)
async def test_anything_not_understood_gets_a_friendly_answer_and_the_menu(
    chat: Chat, catalogs: Catalogs, text: str
) -> None:
    lt = catalogs.get("lt")
    await chat.start("elektrenai_lt")
    reply = await chat.say(text)
    scope = lt._("Sorry, I can only help with the social services: %(topics)s.").split("%")[0]
    assert reply.text.startswith((lt._("Sorry, I did not understand that."), scope))
    assert chat.labels[0] == "Kontaktai"
    assert chat.labels[-1] == "Kalbėti su žmogumi"  # a person is always offered


async def test_out_of_scope_says_what_the_assistant_does(chat: Chat, catalogs: Catalogs) -> None:
    lt = catalogs.get("lt")
    await chat.start("elektrenai_lt")
    reply = await chat.say("koks bus oras rytoj vakare")
    topics = ", ".join(lt._(topic) for topic in ("contacts", "service availability"))
    assert reply.text.startswith(
        lt.fill(
            "Sorry, I can only help with the social services: %(topics)s.",
            topics=f"{topics} ir {lt._('help at home')}",
        )
    )
    reply = await chat.say("🙂🙂🙂")
    assert reply.text.startswith("Atsiprašau, nesupratau.")


async def test_empty_and_too_long_messages(chat: Chat) -> None:
    await chat.start("koknese_lv")
    await chat.say("kontakti")
    offered = chat.labels
    reply = await chat.say("   \n\t ")
    assert reply.text == "Jūsu ziņa ir tukša. Izvēlieties numuru vai uzrakstiet vārdu."
    assert chat.labels == offered
    reply = await chat.say("ā" * 5000)
    assert reply.text == "Jūsu ziņa ir pārāk gara. Lūdzu, uzrakstiet to īsāk."
    assert chat.labels == offered
    reply = await chat.say("1")  # the conversation is intact
    assert "soc.dienests@koknese.lv" in reply.text


async def test_expired_or_forged_choice(chat: Chat) -> None:
    await chat.start("elektrenai_lt")
    reply = await chat.press("dept:administration")  # never offered in this menu
    assert reply.text.startswith("Šis pasirinkimas nebegalioja.")
    await chat.say("kontaktai")
    reply = await chat.press("dept:' OR 1=1 --")
    assert reply.text.startswith("Šis pasirinkimas nebegalioja.")
    await chat.say("kontaktai")
    reply = await chat.press("dept:administration")
    assert "info@soc.elektrenai.lt" in reply.text


async def test_idle_conversation_falls_back_to_the_menu(chat: Chat, clock: FixedClock) -> None:
    await chat.start("elektrenai_lt")
    await chat.say("kontaktai")
    clock.advance(timedelta(minutes=31))
    reply = await chat.say("3")  # a number from a list the resident no longer sees
    assert reply.text.startswith("Seniai nesikalbėjome, todėl pradėkime iš naujo nuo meniu.\n")
    reply = await chat.say("1")
    assert "Į ką norite kreiptis?" in reply.text


async def test_conversation_survives_a_restart(
    database: Database, content: Content, catalogs: Catalogs, clock: FixedClock
) -> None:
    first = Chat(Engine(database, content, catalogs, clock))
    await first.start("daugavpils_ru")
    await first.say("контакты")
    second = Chat(Engine(database, content, catalogs, clock))  # a new process, same database
    reply = await second.say("1")
    assert "Телефоны: 65 476 823, 26 641 869" in reply.text


async def test_residents_do_not_share_state(engine: Engine) -> None:
    anna, jonas = Chat(engine, "anna"), Chat(engine, "jonas")
    await anna.start("koknese_lv")
    await jonas.start("elektrenai_lt")
    assert "Ko vēlaties uzzināt?" in (await anna.say("izvēlne")).text
    assert "Ką norėtumėte sužinoti?" in (await jonas.say("meniu")).text


@pytest.mark.parametrize(
    "payload", ["elektrenai_lt", "koknese_ru", "daugavpils_lv", "visaginas_ru"]
)
async def test_every_choice_leads_somewhere(
    engine: Engine, payload: str, clock: FixedClock
) -> None:
    """Press every choice reachable from the menu: each answers, in short Telegram-safe actions."""
    clock.current = clock.current.replace(year=2021, month=11, day=1)
    chat = Chat(engine, f"crawler-{payload}")
    await chat.start(payload)
    seen: set[str] = set()
    frontier = [c.action for c in chat.last.choices] if chat.last else []
    while frontier:
        action = frontier.pop()
        if action in seen:
            continue
        seen.add(action)
        await chat.start(payload)
        await _reach(chat, action)
        assert chat.last is not None
        assert chat.last.text.strip()
        for choice in chat.last.choices:
            assert len(choice.action.encode()) <= 64
        if action.partition(":")[0] not in NOT_CRAWLED:
            frontier += [choice.action for choice in chat.last.choices]
    assert len(seen) > 8


# Settings, and booking steps that need earlier choices, have tests of their own.
NOT_CRAWLED = (
    *("mun", "lang", "bk", "bkday", "bkcert", "wl", "bkcancel", "bkcancel!"),
    *("rqneed", "rqnext", "rqwd"),
)


async def _reach(chat: Chat, action: str) -> None:
    """Press an action, opening the list it belongs to first when it is not on screen."""
    prefix, _, argument = action.partition(":")
    openers = {
        "notify": ["services", f"svc:{argument}"],  # a service's news, on its page
        "unnotify": ["services", f"svc:{argument}"],
        "dept": ["contacts"],
        "svc": ["services"],
        "status": ["services"],
        "lang": ["language"],
        "mun": ["municipality"],
        "cert": ["certificates"],
        "health": ["certificates"],
        "hkind": ["certificates", "health"],
        "bk": ["book"],
        "rqneed": ["rq"],
    }
    for opener in openers.get(prefix, []):
        await chat.press(opener)
    assert chat.last is not None
    assert action in ALWAYS_VALID or action in [c.action for c in chat.last.choices]
    await chat.press(action)


def test_the_clock_fixture_starts_on_20_march_2020(clock: FixedClock) -> None:
    assert clock.now().date() == date(2020, 3, 20)


async def test_a_failing_dialog_says_so_and_loses_nothing(
    engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    chat = Chat(engine, "+37060000001")
    await chat.start("elektrenai_lt")
    await chat.say("paslaugos")

    async def broken(turn: object, argument: str) -> object:
        raise RuntimeError("database exploded")

    engine._dialogs.registry._handlers["svc"] = broken  # type: ignore[assignment]
    reply = await chat.say("Vievio vaikų dienos centras")
    assert reply.text == "Atsiprašau, įvyko klaida. Pabandykite dar kartą po akimirkos."
    assert "a test turn failed" in caplog.text
    assert "+37060000001" not in caplog.text
    assert "Vievio" not in caplog.text
    reply = await chat.say("1")  # still in the services list: the failed turn changed nothing
    assert "apribotos 5 paslaugos" in reply.text


JOURNEYS = {
    # language: (payload, words typed, texts expected after each word)
    "lt": (
        "elektrenai_lt",
        ["kontaktai", "7", "0", "meniu", "paslaugos", "1", "2", "pagalba", "kalba", "1"],
        [
            "Į ką norite kreiptis?",
            "Telefonas: (0-673) 48165",
            "Į ką norite kreiptis?",
            "Ką norėtumėte sužinoti?",
            "Kuri paslauga?",
            "apribotos 5 paslaugos",
            "Kazokiškių vaikų dienos centras",
            "Čia padedu šiais klausimais:",
            "Pasirinkite kalbą.",
            "Kalba: lietuvių.",
        ],
    ),
    "lv": (
        "daugavpils_lv",
        [
            "kontakti",
            "1",
            "atpakaļ",
            "izvēlne",
            "pakalpojumi",
            "1",
            "1",
            "palīdzība",
            "valoda",
            "1",
        ],
        [
            "Pie kā vēlaties vērsties?",
            "Tālruņi: 65 476 823, 26 641 869",
            "Pie kā vēlaties vērsties?",
            "Ko vēlaties uzzināt?",
            "Kurš pakalpojums jūs interesē?",
            "ierobežoti 6 pakalpojumi",
            "Mobilās aprūpes vienība",
            "Šeit palīdzu ar: kontakti, pakalpojumu pieejamība, izziņas.",
            "Izvēlieties valodu.",
            "Valoda: latviešu.",
        ],
    ),
    "ru": (
        "daugavpils_ru",
        ["контакты", "1", "назад", "меню", "услуги", "1", "3", "помощь", "язык", "2"],
        [
            "К кому вы хотите обратиться?",
            "Телефоны: 65 476 823, 26 641 869",
            "К кому вы хотите обратиться?",
            "Что вы хотите узнать?",
            "Какая услуга?",
            "ограничено 6 услуг",
            "Услуги психолога",
            "Здесь я помогаю по вопросам:",
            "Выберите язык.",
            "Язык: русский.",
        ],
    ),
}


@pytest.mark.parametrize("lang", sorted(JOURNEYS))
async def test_whole_journey_by_typing(chat: Chat, lang: str) -> None:
    payload, words, expected = JOURNEYS[lang]
    await chat.start(payload)
    for word, text in zip(words, expected, strict=True):
        reply = await chat.say(word)
        assert text in reply.text, (word, reply.text)


async def test_phone_dialog_where_no_phone_can_be_shared(chat: Chat) -> None:
    await chat.start("elektrenai_lt")
    assert "Mano telefono numeris" not in chat.labels  # the console cannot share one
    reply = await chat.press("phone")
    assert reply.text.startswith("Čia asistentas negali gauti telefono numerio.")
    assert reply.ask_phone is None


async def test_shared_phone_is_checked(engine: Engine) -> None:
    def card(phone: str, own: bool) -> Incoming:
        return Incoming(
            "tg", "77", shared_phone=phone, shared_phone_is_own=own, can_share_phone=True
        )

    await engine.handle(Incoming("tg", "77", start=True, text="koknese_lv", can_share_phone=True))
    (reply,) = await engine.handle(card("+37060000001", own=False))
    assert reply.text.startswith("Šis ir cita cilvēka kontakts.")
    assert reply.ask_phone == "Kopīgot tālruņa numuru"
    (reply,) = await engine.handle(card("12", own=True))
    assert reply.text.startswith("Atvainojiet, neizdevās nolasīt šo tālruņa numuru.")
    (reply,) = await engine.handle(card("371 26641869", own=True))
    assert reply.text.startswith("Paldies! Jūsu tālruņa numurs +371 26 641 869 ir saglabāts.")
    (reply,) = await engine.handle(Incoming("tg", "77", action="phone", can_share_phone=True))
    assert reply.text.startswith("Jūsu apstiprinātais tālruņa numurs: +371 26 641 869.")


async def test_an_update_is_handled_once_and_a_failed_one_is_not_replayed(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    await engine.record_updates("telegram", [("41", "{}"), ("42", "{}")])
    first = Incoming(
        "telegram", "701", text="elektrenai_lt", start=True, receipt=Receipt("telegram", "41")
    )
    (answer,) = await engine.handle(first)
    # Telegram sent it again: not handled twice (the answer written then is told, not again)
    assert await engine.handle(first) == [Reply(answer.text)]
    rows = await engine.database.fetchall("SELECT COUNT(*) FROM outbox WHERE address = '701'")
    assert rows[0][0] == 1

    async def broken(turn: object, argument: str) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setitem(engine._dialogs.registry._handlers, "contacts", broken)
    (reply,) = await engine.handle(
        Incoming("telegram", "701", action="contacts", receipt=Receipt("telegram", "42"))
    )
    assert reply.text.startswith("Atsiprašau, įvyko klaida.")
    assert await engine.pending_updates("telegram") == []  # not brought back by a restart


async def test_first_sms_from_a_phone_known_on_telegram_sees_staff_statuses(
    engine: Engine, database: Database, clock: FixedClock
) -> None:
    clock.current = clock.current.replace(year=2021, month=11, day=1)
    telegram = Incoming("telegram", "702", can_share_phone=True)
    await engine.handle(replace(telegram, text="koknese_lv", start=True))
    await engine.handle(replace(telegram, shared_phone="+37126000702", shared_phone_is_own=True))
    async with database.transaction() as conn:
        override = Override("shower", "suspended", date(2021, 11, 1), None, {"en": "remonts"})
        await service_overrides.add(conn, "koknese", override, "staff", clock.now())
    sms = Incoming("sms", "+37126000702", text="Dušas pakalpojums", verified_phone="+37126000702")
    (reply,) = await engine.handle(sms)  # the number joins the Telegram resident at once
    assert reply.text.startswith("Dušas pakalpojums")
    assert "remonts" in reply.text


def test_the_registry_refuses_an_action_named_twice_or_undeclared() -> None:
    """Actions are named in code (dialogs.core.actions); two dialogs cannot share one."""
    twice = types.ModuleType("twice")
    twice.ACTIONS = {"menu": None}  # type: ignore[attr-defined]
    with pytest.raises(DuplicateActionError, match="'menu'"):
        Registry([*DIALOGS, twice])
    stray = types.ModuleType("stray")
    stray.ACTIONS = {"bkx": None}  # type: ignore[attr-defined]
    with pytest.raises(DuplicateActionError, match="not declared"):
        Registry([*DIALOGS, stray])


async def test_forged_buttons_with_huge_or_strange_numbers_get_a_clean_answer(
    engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    """Ids are parsed once (ASCII digits, at most 12): no OverflowError, no traceback."""
    chat = Chat(engine, "+37060000950")
    await chat.start("elektrenai_lt")
    huge = "9" * 30
    for action in (
        f"wlyes:{huge}",
        f"wlno:{huge}",
        f"bkcancel!:{huge}",
        "bkcancel!:²",
        f"rqwd:{huge}",
    ):
        reply = await chat.press(action)
        assert reply.text
    outcome = await staff_call(engine, StaffCommand.CARD, "5001", f"rq:take:{huge}")
    assert outcome.alert
    assert outcome.notice == "You are not allowed to do this."
    assert "Traceback" not in caplog.text
    assert "failed" not in caplog.text
