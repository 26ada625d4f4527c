"""Reading a date (and time) typed by a resident: 25.10.2021 14:30, 2021-10-25, today."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from dialogs.core.clock import LOCAL_ZONE
from dialogs.understanding.text import fold

RELATIVE_DAYS = {
    **dict.fromkeys(
        ("today", "siandien", "siandienai", "sodien", "сегодня", "segodnya", "segodnja"), 0
    ),
    **dict.fromkeys(("yesterday", "vakar", "вчера", "vchera"), -1),
    **dict.fromkeys(("tomorrow", "rytoj", "rit", "завтра", "zavtra"), 1),
    **dict.fromkeys(("poryt", "parit", "послезавтра", "poslezavtra"), 2),
}
# Folded stems of the same words in other cases: "rytojui", "rītdienai", "porytoj".
RELATIVE_STEMS = (
    ("poryt", 2),
    ("parit", 2),
    ("послезавтрашн", 2),
    ("poslezavtrashn", 2),
    ("rytoj", 1),
    ("ritdien", 1),
    ("завтрашн", 1),
    ("zavtrashn", 1),
    ("сегодняшн", 0),
    ("segodnyashn", 0),
)
# "kitą pirmadienį", "nākamajā pirmdienā", "в следующий понедельник": never today's weekday;
# with a word for week ("kitos savaitės antradienį"), the weekday of next week.
NEXT_STEMS = ("kita", "kito", "nakam", "nakos", "след", "sled", "next")  # "в след. понедельник"
WEEK_STEMS = ("savait", "nedel", "недел", "week")
# Folded month stems in lt (genitive: "15 lapkričio"), lv ("15. novembrī"), ru ("15 ноября",
# also in Latin letters) and en.
MONTH_STEMS = {
    1: ("sausio", "janvar", "январ", "yanvar", "janvar", "january", "jan"),
    2: ("vasario", "februar", "феврал", "fevral", "feb"),
    3: ("kovo", "mart", "март", "march", "mar"),
    4: ("balandz", "april", "апрел", "aprel", "apr"),
    5: ("geguz", "maij", "мая", "май", "maya", "may"),
    6: ("birzel", "junij", "июн", "iyun", "ijun", "june", "jun"),
    7: ("liepos", "julij", "июл", "iyul", "ijul", "july", "jul"),
    8: ("rugpjuc", "august", "август", "avgust", "aug"),
    9: ("rugsej", "septembr", "сентябр", "sentyabr", "sentjabr", "september", "sep"),
    10: ("spalio", "oktobr", "октябр", "oktyabr", "oktjabr", "october", "oct"),
    11: ("lapkric", "novembr", "ноябр", "noyabr", "nojabr", "noiabr", "november", "nov"),
    12: ("gruodz", "decembr", "декабр", "dekabr", "december", "dec"),
}
HALF_YEAR = timedelta(days=183)
_NOT = frozenset({"ne", "не", "nevis", "not"})
_DATE = re.compile(r"(?:(\d{4})-(\d{1,2})-(\d{1,2})|(\d{1,2})\.(\d{1,2})\.?(\d{4})?)")
_TIME = re.compile(r"(\d{1,2})[:.](\d{2})(?!\d)")


# Stems of weekday names (folded), ISO numbering: "penktadieni", "piektdien", "пятницу".
WEEKDAY_STEMS = {
    1: ("pirmad", "pirmdien", "понедельн", "понеделн", "ponedeln", "ponedel'n", "monday"),
    2: ("antrad", "otrdien", "вторн", "vtorn", "tuesday"),
    3: ("treciad", "tresdien", "сред", "sredu", "sreda", "wednesday"),
    4: ("ketvirtad", "ceturtdien", "четверг", "chetverg", "4etverg", "thursday"),
    5: ("penktad", "piektdien", "пятниц", "pyatnic", "pjatnic", "piatnic", "friday"),
    6: ("sestad", "sestdien", "суббот", "subbot", "saturday"),
    7: ("sekmad", "svetdien", "воскресен", "voskresen", "sunday"),
}


def parse_day(text: str, today: date) -> date | None:
    """A day: ISO, DD.MM.YYYY, DD.MM or "15 lapkričio" (the nearest such day), today /
    tomorrow / the day after, or the next such weekday."""
    words = fold(text).split()
    spelled = _named_month_day(words, today)
    if spelled is not None:  # "v ponedelnik 8 nojabrja": the date written out is exact
        return spelled
    named = [(index, day) for index, day in enumerate(_day_words(words, today)) if day is not None]
    # "ne pirmadienį, o antradienį", "не во вторник, а в субботу": the day just after a "not"
    # is the one turned from; "pirmdien, nu v ponedelnik sledujushchij": "next" says more.
    kept = [day for index, day in named if not _NOT.intersection(words[max(0, index - 2) : index])]
    nexts = [day for index, day in named if _after_next(words, index)]
    if named:
        return (nexts or kept or [named[0][1]])[0]
    match = _DATE.search(text)
    if match is None:
        return None
    iso_year, iso_month, iso_day, day, month, year = match.groups()
    try:
        if iso_year:
            return date(int(iso_year), int(iso_month), int(iso_day))
        if year:
            return date(int(year), int(month), int(day))
        return nearest(int(month), int(day), today)
    except ValueError:
        return None


def _day_words(words: list[str], today: date) -> list[date | None]:
    """For each word, the day it names by itself ("rytoj", "penktadienį") or None."""
    days: list[date | None] = []
    for index, word in enumerate(words):
        offset = _relative(word)
        weekday = _weekday(word)
        if offset is not None:
            days.append(today + timedelta(days=offset))
        elif weekday is not None:
            days.append(_weekday_day(weekday, _around(words, index), today))
        else:
            days.append(None)
    return days


def _around(words: list[str], index: int) -> list[str]:
    """The words that may qualify a weekday: "kitą pirmadienį", "v ponedelnik sledujushchij"."""
    return words[max(0, index - 3) : index] + words[index + 1 : index + 2]


def _after_next(words: list[str], index: int) -> bool:
    """A weekday qualified by "next"."""
    return _weekday(words[index]) is not None and any(
        word.startswith(NEXT_STEMS) for word in _around(words, index)
    )


def _weekday(word: str) -> int | None:
    return next((day for day, stems in WEEKDAY_STEMS.items() if word.startswith(stems)), None)


def _weekday_day(weekday: int, before: list[str], today: date) -> date:
    """The coming such weekday (today's counts), or after "next" the one after today, or
    after "next week" the one in next week."""
    ahead = (weekday - today.isoweekday()) % 7
    if any(word.startswith(NEXT_STEMS) for word in before):
        if any(word.startswith(WEEK_STEMS) for word in before):
            return today + timedelta(days=7 - today.isoweekday() + weekday)
        return today + timedelta(days=ahead or 7)
    return today + timedelta(days=ahead)


def nearest(month: int, day: int, today: date) -> date:
    """The day and month without a year: within half a year of today ("05.01" typed in
    December is next January; "28.12" typed in January is last December)."""
    found = date(today.year, month, day)
    if found < today - HALF_YEAR:
        return date(today.year + 1, month, day)
    if found > today + HALF_YEAR:
        return date(today.year - 1, month, day)
    return found


def _relative(word: str) -> int | None:
    if word in RELATIVE_DAYS:
        return RELATIVE_DAYS[word]
    return next((offset for stem, offset in RELATIVE_STEMS if word.startswith(stem)), None)


# Every month word at once, so most words are turned away by one C-level check.
_MONTH_WORDS = frozenset(stem for stems in MONTH_STEMS.values() for stem in stems)
_MONTH_PREFIXES = tuple(stem for stem in _MONTH_WORDS if len(stem) > 3)


def _month(word: str) -> int | None:
    if word not in _MONTH_WORDS and not word.startswith(_MONTH_PREFIXES):
        return None
    return next(
        (
            month
            for month, stems in MONTH_STEMS.items()
            if any(word == stem or (len(stem) > 3 and word.startswith(stem)) for stem in stems)
        ),
        None,
    )


def _named_month_day(words: list[str], today: date) -> date | None:
    """ "15 lapkričio", "lapkričio 15 d.", "15. novembrī", "15 ноября", "November 15"."""
    for index, word in enumerate(words):
        month = _month(word)
        if month is None:
            continue
        for near in (index - 1, index + 1):
            if 0 <= near < len(words) and words[near].isdigit() and len(words[near]) <= 2:
                try:
                    return nearest(month, int(words[near]), today)
                except ValueError:
                    return None
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
