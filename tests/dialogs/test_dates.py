"""Dates and times as residents type them."""

from __future__ import annotations

from datetime import date, time

import pytest

from dialogs.understanding.dates import parse_day, parse_moment

TODAY = date(2021, 11, 5)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("25.10.2021", date(2021, 10, 25)),
        ("2021-10-25", date(2021, 10, 25)),
        ("25.10", date(2021, 10, 25)),
        ("testas 3.11.2021 14:30", date(2021, 11, 3)),
        ("šiandien", TODAY),
        ("vakar", date(2021, 11, 4)),
        ("Šodien", TODAY),
        ("завтра", date(2021, 11, 6)),
        ("31.02.2021", None),
        ("kada nors", None),
        ("poryt", date(2021, 11, 7)),
        ("parīt", date(2021, 11, 7)),
        ("послезавтра", date(2021, 11, 7)),
        ("rytojui", date(2021, 11, 6)),
        ("rītdienai", date(2021, 11, 6)),
        ("rītdien", date(2021, 11, 6)),
        ("15 lapkričio", date(2021, 11, 15)),
        ("lapkričio 15 d.", date(2021, 11, 15)),
        ("15. novembrī", date(2021, 11, 15)),
        ("15 ноября", date(2021, 11, 15)),
        ("15 noyabrya", date(2021, 11, 15)),
        ("November 15", date(2021, 11, 15)),
        ("5 sausio", date(2022, 1, 5)),  # early January, written in November: the coming one
        ("05.01", date(2022, 1, 5)),
        ("31 vasario", None),
        ("lapkričio", None),
    ],
)
def test_parse_day(text: str, expected: date | None) -> None:
    assert parse_day(text, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3.11.2021 14:30", (date(2021, 11, 3), time(14, 30))),
        ("2021-11-03 9.05", (date(2021, 11, 3), time(9, 5))),
        ("vakar 08:00", (date(2021, 11, 4), time(8, 0))),
        ("3.11.2021", (date(2021, 11, 3), None)),
        ("3.11.2021 25:99", (date(2021, 11, 3), None)),
    ],
)
def test_parse_moment(text: str, expected: tuple[date | None, time | None]) -> None:
    assert parse_moment(text, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("penktadienį", date(2021, 11, 5)),  # TODAY is a Friday
        ("piektdien", date(2021, 11, 5)),
        ("в понедельник", date(2021, 11, 8)),
        ("uzrasykit i dusa sestadieni", date(2021, 11, 6)),
        ("ceturtdien", date(2021, 11, 11)),
    ],
)
def test_weekday_names(text: str, expected: date) -> None:
    assert parse_day(text, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("kitą penktadienį", date(2021, 11, 12)),  # TODAY is a Friday: never today
        ("nākamajā piektdienā", date(2021, 11, 12)),
        ("в следующий понедельник", date(2021, 11, 8)),
        ("v sled. ponedelnik ne smogu", date(2021, 11, 8)),
        ("kitos savaitės antradienį", date(2021, 11, 9)),
        ("отмените мою завтрашнюю стирку", date(2021, 11, 6)),
        ("mozhno segodnja", TODAY),
        ("12 nojabrja", date(2021, 11, 12)),
        ("v ponedelnik 8 nojabrja", date(2021, 11, 8)),  # the date written out is exact
        ("pirmdien, nu v ponedelnik sledujushij", date(2021, 11, 8)),  # "next" says more
    ],
)
def test_next_and_other_forms_of_a_day(text: str, expected: date) -> None:
    assert parse_day(text, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ne pirmadienį, o antradienį", date(2021, 11, 9)),
        ("nē, ne otrdien, bet sestdien nevarēšu atnākt", date(2021, 11, 6)),
        ("нет, не во вторник, а в субботу", date(2021, 11, 6)),
    ],
)
def test_a_corrected_day_is_the_one_turned_to(text: str, expected: date) -> None:
    assert parse_day(text, TODAY) == expected


def test_a_day_and_month_without_a_year_is_the_nearest() -> None:
    assert parse_day("28.12", date(2022, 1, 3)) == date(2021, 12, 28)
    assert parse_day("05.01", date(2021, 12, 20)) == date(2022, 1, 5)
    assert parse_day("30.10", date(2021, 11, 1)) == date(2021, 10, 30)
