"""Free text in Lithuanian, Latvian and Russian: the models, and the dialogs they start."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import numpy
import pytest

from dialogs.pipeline.engine import Engine
from dialogs.types import Incoming, Reply
from dialogs.understanding.latin_russian import latin_spellings
from dialogs.understanding.nlu.entities import extract
from dialogs.understanding.nlu.evaluation import evaluate
from dialogs.understanding.nlu.intents import (
    IntentModel,
    fitted,
    load_examples,
    prepare,
    with_latin_russian,
)
from dialogs.understanding.nlu.language import LanguageGuesser, vocabulary
from dialogs.understanding.nlu.models import intent_model
from dialogs.understanding.nlu.reader import Understood
from dialogs.understanding.nlu.route import answer
from dialogs.understanding.text import fold
from tests.bot.test_cli import run_bot
from tests.conftest import PROJECT, FixedClock
from tests.dialogs.test_nlu_support import turn_for


def test_held_out_accuracy_and_rejection_meet_the_goals() -> None:
    report = evaluate(IntentModel(load_examples("train.tsv")), load_examples("eval.tsv"))
    for lang in ("lt", "lv", "ru"):
        assert report.accuracy(lang) >= 0.9, report.lines()
    assert report.rejection >= 0.9, report.lines()


@pytest.mark.parametrize("name", ["eval.tsv", "eval_independent.tsv", "eval_second.tsv"])
def test_no_evaluation_line_copies_a_training_line(name: str) -> None:
    training = {fold(e.text) for e in load_examples("train.tsv")}
    assert not [e.text for e in load_examples(name) if fold(e.text) in training]


@pytest.mark.parametrize(
    ("text", "fallback", "expected"),
    [
        ("на самоизоляции закончились лекарства", "lt", ("ru", True)),
        ("uzrasykit mane i dusa penktadieni", "lv", ("lt", True)),
        ("nevarēšu ierasties uz veļas mazgāšanu", "lt", ("lv", True)),
        ("labas", "lv", ("lv", False)),  # too short to tell: the conversation's language stays
        ("sveiki", None, (None, False)),
        ("I want to buy a new car", "en", ("en", False)),  # English is never read as lt or lv
    ],
)
def test_language(text: str, fallback: str | None, expected: tuple[str | None, bool]) -> None:
    assert LanguageGuesser().guess(text, fallback) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("NE MOGU VYJTI IZ DOMA NUZHNA POMOSH S EDOJ", "ru"),
        ("zdravstvujte, zapishite menja na dush zavtra", "ru"),
        ("otmenite zapis na zavtra ja boleju", "ru"),
        ("laba diena, man reikia maisto, negaliu iseiti is namu", "lt"),
        ("labdien, man vajag pierakstities uz dusu rit", "lv"),
    ],
)
def test_russian_in_latin_letters_is_russian(text: str, expected: str) -> None:
    """The training lines' words tell Russian typed in Latin letters from lt and lv."""
    words = vocabulary((e.lang, e.text) for e in load_examples("train.tsv"))
    assert LanguageGuesser(words).guess(text, None) == (expected, True)


def test_details_in_the_message() -> None:
    friday = date(2021, 11, 5)
    assert extract("uzrasykit mane i dusa penktadieni", date(2021, 11, 1)) == {
        "day": friday.isoformat(),
        "facility": "shower",
    }
    assert extract("на самоизоляции закончились лекарства и еда", date(2021, 11, 1)) == {
        "needs": ["food", "medicine"]
    }
    assert extract("nevarēšu ierasties uz veļas mazgāšanu", date(2021, 11, 1)) == {
        "facility": "laundry"
    }


async def _say(engine: Engine, address: str, **fields: Any) -> Reply:
    (reply,) = await engine.handle(Incoming("sms", address, verified_phone=address, **fields))
    return reply


async def test_booking_started_by_text_skips_the_day_question(
    engine: Engine, clock: FixedClock
) -> None:
    clock.current = datetime(2021, 11, 1, 9, 0, tzinfo=UTC)
    await _say(engine, "+37126000901", start=True, text="koknese_lv")
    reply = await _say(engine, "+37126000901", text="Labdien, pierakstiet mani uz dušu piektdien")
    assert reply.text == "Kādu sertifikātu uzrādīsiet?"
    reply = await _say(engine, "+37126000901", action="bkcert:vaccination")
    reply = await _say(engine, "+37126000901", text="01.06.2021")
    assert reply.text.startswith(
        "Pieraksts apstiprināts: Dušas pakalpojums, piektdiena, 5. novembris.\n"
    )
    reply = await _say(engine, "+37126000901", text="nevarēšu ierasties uz dušu")
    # The one shower booking is asked about at once; with none named, the list.
    assert reply.text == "Vai atcelt pierakstu: Dušas pakalpojums, piektdiena, 5. novembris?"
    reply = await _say(engine, "+37126000901", text="gribu atcelt pierakstu")
    assert reply.text.startswith("Jūsu pieraksti:")


async def test_request_from_isolation_in_russian_preselects_the_need(engine: Engine) -> None:
    await _say(engine, "+37060000902", start=True, text="elektrenai_ru")
    reply = await _say(engine, "+37060000902", text="на самоизоляции закончились лекарства")
    assert "✓ Лекарства" in [c.label for c in reply.choices]


async def test_writing_in_another_offered_language_switches_to_it(engine: Engine) -> None:
    await _say(engine, "+37060000903", start=True, text="elektrenai_lt")
    reply = await _say(engine, "+37060000903", text="на самоизоляции закончились лекарства")
    assert reply.text.startswith("Что вам нужно?")
    reply = await _say(engine, "+37060000903", text="meniu")
    assert "Что вы хотите узнать?" in reply.text  # the switch is remembered
    reply = await _say(engine, "+37060000903", text="noriu suzinoti kas dabar sustabdyta")
    # Plain Latin letters never take a Russian chat to lt or lv (Russian is often typed without
    # Cyrillic): the list of restrictions comes in Russian.
    assert "\nНа 20 марта 2020\u202fг. ограничено 5 услуг.\n" in reply.text
    reply = await _say(engine, "+37060000903", text="noriu sužinoti kas dabar sustabdyta")
    # Lithuanian letters do: the resident is back in Lithuanian.
    assert "\n2020 m. kovo 20 d. apribotos 5 paslaugos.\n" in reply.text, reply.text


@pytest.mark.parametrize(
    ("payload", "text", "expected"),
    [
        ("daugavpils_ru", "работает ли сейчас мобильная служба ухода", "Мобильная служба ухода"),
        ("elektrenai_lt", "sveiki, norėčiau paskambinti psichologui", "Telefonas: (0-683) 00871"),
        ("koknese_lv", "vai mana izziņa vēl ir derīga", "Ar jūsu tālruņa numuru nav saistīta"),
        ("elektrenai_lt", "ką tu moki daryti", "Čia padedu šiais klausimais:"),
        ("daugavpils_lv", "gribu runāt ar cilvēku, lūdzu", "65 476 823, 26 641 869"),
    ],
)
async def test_dialogs_start_from_typed_text(
    engine: Engine, clock: FixedClock, payload: str, text: str, expected: str
) -> None:
    clock.current = datetime(2020, 3, 20, 9, 0, tzinfo=UTC)
    await _say(engine, "+37060000904", start=True, text=payload)
    reply = await _say(engine, "+37060000904", text=text)
    assert expected.casefold() in reply.text.casefold()


def test_nlu_command_prints_json_lines() -> None:
    result = run_bot("nlu", stdin="uzrasykit mane i dusa penktadieni\nkoks bus oras rytoj\n")
    assert result.returncode == 0, result.stderr
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert (first["lang"], first["intent"], first["entities"]["facility"]) == (
        "lt",
        "book_shower",
        "shower",
    )
    assert second["intent"] == "unknown"


async def test_two_close_intents_are_asked_about(engine: Engine) -> None:
    await _say(engine, "+37060000905", start=True, text="koknese_lv")
    ran: list[str] = []

    async def run(turn: Any, action: str) -> Reply:
        ran.append(action)
        return Reply(action)

    async with engine.database.transaction() as conn:
        turn = await turn_for(engine, conn, "+37060000905")
        guess = Understood("?", "lv", True, "certificate", 0.4, "book_shower")
        reply = await answer(turn, guess, run)
    assert reply is not None
    assert reply.text == "Vai jūs domājāt kādu no šiem?"
    assert [(c.label, c.action) for c in reply.choices[:2]] == [
        ("Izziņas", "cert:status"),
        ("Pieraksts", "bk:shower"),
    ]
    assert ran == []  # nothing is done before the resident chooses


@pytest.mark.parametrize(
    ("text", "intent", "details"),
    [
        ("zapisat na dush zavtra", "book_shower", {"day": "2021-11-02", "facility": "shower"}),
        ("NE MOGU VYJTI IZ DOMA NUZHNA POMOSH S EDOJ", "isolation_help", {}),
        ("hochu pogovorit s chelovekom", "human", {}),
        ("otmenite moju zapis", "cancel_booking", {}),
        ("kakie uslugi rabotayut", "service_status", {}),
        ("hochu postirat belje v pjatnicu", "book_laundry", {"day": "2021-11-05"}),
    ],
)
def test_russian_in_latin_letters(text: str, intent: str, details: dict[str, str]) -> None:
    """The model learns the Russian lines also as typed in Latin letters, formally and not."""
    model = IntentModel(with_latin_russian(load_examples("train.tsv")))
    assert model.guess(text).intent == intent
    found = extract(text, date(2021, 11, 1))
    assert {key: found.get(key) for key in details} == details


def test_latin_spellings_formal_and_informal() -> None:
    assert latin_spellings("Хочу в душ, что нужно?") == [
        "Khochu v dush, chto nuzhno?",
        "ho4u v dush, chto nuzhno?",
    ]


def test_the_saved_numbers_score_exactly_as_scikit_learn(tmp_path: Path) -> None:
    """The scorer (numpy only) gives scikit-learn's own probabilities, line for line."""
    vectorizer, classifier = fitted(with_latin_russian(load_examples("train.tsv")))
    saved = tmp_path / "intents.npz"
    first = intent_model(saved)  # trains and saves
    loaded = intent_model(saved)  # loads the numbers
    assert loaded.scorer.classes == tuple(classifier.classes_)
    for example in load_examples("eval_independent.tsv"):
        expected = classifier.predict_proba(vectorizer.transform([prepare(example.text)]))[0]
        for model in (first, loaded):
            got = model.scorer.probabilities(prepare(example.text))
            assert numpy.allclose(got, expected, rtol=0, atol=1e-12), example.text


def test_a_start_with_saved_numbers_never_imports_scikit_learn() -> None:
    intent_model()  # the numbers exist now
    code = (
        "import sys; from dialogs.understanding.nlu.models import intent_model; "
        "m = intent_model(); print(m.guess('zapisat na dush zavtra').intent, "
        "'sklearn' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=PROJECT, check=True
    )
    assert result.stdout.split() == ["book_shower", "False"]


async def test_a_need_named_is_never_refused_for_low_confidence(engine: Engine) -> None:
    await _say(engine, "+37060000905", start=True, text="elektrenai_lt")
    reply = await _say(engine, "+37060000905", text="mama serga, reikia vaistu")
    assert "✓ Vaistai" in [c.label for c in reply.choices]  # the request, asking


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("ne dush, a stirka", "book_laundry"),
        ("nereikia man dušo, noriu skalbimo", "book_laundry"),
        ("не душ, а стирка в пятницу", "book_laundry"),
        ("susirgau, neatvyksiu į dušą pirmadienį", "cancel_booking"),
        ("otmenite moju zapis", "cancel_booking"),
        ("nevajag man dušu, man vajag drēbes izmazgāt", "book_laundry"),
        ("мне не нужна прачечная, хочу в душ", "book_shower"),
        ("veļu vairs nevajag mazgāt, kaimiņš salaboja mašīnu", "cancel_booking"),
        ("стирка уже не нужна, зять машинку починил", "cancel_booking"),
        ("ya zapisan na zavtra na stirku?", "my_bookings"),  # booked already: a question
        ("AR AS UZREGISTRUOTAS RYTOJ I DUSA", "my_bookings"),
        ("Užsirašyti į dušą rytoj", "book_shower"),  # the infinitive is a new booking
    ],
)
def test_corrections_and_cancellations_are_never_a_booking_of_what_is_negated(
    text: str, intent: str
) -> None:
    assert intent_model().guess(text).intent == intent
