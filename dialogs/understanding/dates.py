"""Reading a date (and time) typed by a resident: 25.10.2021 14:30, 2021-10-25, today."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from dialogs.core.clock import LOCAL_ZONE
from dialogs.understanding.text import fold

RELATIVE_DAYS = {
    **dict.fromkeys(("today", "siandien", "sodien", "сегодня"), 0),
    **dict.fromkeys(("yesterday", "vakar", "вчера"), -1),
    **dict.fromkeys(("tomorrow", "rytoj", "rit", "завтра"), 1),
}
_DATE = re.compile(r"(?:(\d{4})-(\d{1,2})-(\d{1,2})|(\d{1,2})\.(\d{1,2})\.?(\d{4})?)")
_TIME = re.compile(r"(\d{1,2})[:.](\d{2})(?!\d)")


# Stems of weekday names (folded), ISO numbering: "penktadieni", "piektdien", "пятницу".
WEEKDAY_STEMS = {
    1: ("pirmad", "pirmdien", "понедельн", "monday"),
    2: ("antrad", "otrdien", "вторн", "tuesday"),
    3: ("treciad", "tresdien", "сред", "wednesday"),
    4: ("ketvirtad", "ceturtdien", "четверг", "thursday"),
    5: ("penktad", "piektdien", "пятниц", "friday"),
    6: ("sestad", "sestdien", "суббот", "saturday"),
    7: ("sekmad", "svetdien", "воскресен", "sunday"),
}


def parse_day(text: str, today: date) -> date | None:
    """A day: ISO, DD.MM.YYYY, DD.MM (this year), today / tomorrow, or the next such weekday."""
    words = fold(text).split()
    for word in words:
        if word in RELATIVE_DAYS:
            return today + timedelta(days=RELATIVE_DAYS[word])
        for weekday, stems in WEEKDAY_STEMS.items():
            if word.startswith(stems):
                return today + timedelta(days=(weekday - today.isoweekday()) % 7)
    match = _DATE.search(text)
    if match is None:
        return None
    iso_year, iso_month, iso_day, day, month, year = match.groups()
    try:
        if iso_year:
            return date(int(iso_year), int(iso_month), int(iso_day))
        return date(int(year) if year else today.year, int(month), int(day))
    except ValueError:
        return None


def parse_moment(text: str, today: date) -> tuple[date | None, time | None]:
    """A day and, if given, a time of day (14:30)."""
    day = parse_day(text, today)
    found = _DATE.search(text)
    rest = text[: found.start()] + " " + text[found.end() :] if found else text
    match = _TIME.search(rest)
    if match is None:
        return day, None
    hour, minute = int(match.group(1)), int(match.group(2))
    return day, time(hour, minute) if hour < 24 and minute < 60 else None


def local_datetime(day: date, at: time | None) -> datetime:
    """The moment in Lithuanian/Latvian time; midnight if no time is known."""
    return datetime.combine(day, at or time(0, 0), tzinfo=LOCAL_ZONE)
