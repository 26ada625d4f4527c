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
