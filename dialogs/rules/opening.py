"""Pure rules: on which days a facility can be booked (weekdays, holidays, closures, horizon)."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays

from storage.content import Facility


@lru_cache(maxsize=64)
def _holidays(country: str, year: int, lang: str) -> dict[date, str]:
    calendar = holidays.country_holidays(country, years=[year], language=lang)
    return dict(calendar.items())


def holiday_name(country: str, day: date, lang: str) -> str | None:
    """The public holiday on `day`, named in `lang` where the holidays package has it."""
    # The holidays package names them in lt, lv and English; Russian readers get the local name.
    local = {"LT": "lt", "LV": "lv"}.get(country, "en_US")
    language = {"lt": "lt", "lv": "lv", "ru": local}.get(lang, "en_US")
    return _holidays(country, day.year, language).get(day)


def closed_reason(facility: Facility, country: str, day: date, today: date) -> str | None:
    """Why a day cannot be booked ("past", "too_far", "weekday", "holiday", "closure"), or None."""
    if day < today:
        return "past"
    if day.isoweekday() not in facility.weekdays:
        return "weekday"
    if day in facility.closures:
        return "closure"
    if holiday_name(country, day, "en") is not None:
        return "holiday"
    if day > today + timedelta(days=facility.book_ahead_days):
        return "too_far"
    return None


def open_days(facility: Facility, country: str, today: date, count: int) -> list[date]:
    """The next `count` bookable days from today on."""
    days = []
    for offset in range(facility.book_ahead_days + 1):
        day = today + timedelta(days=offset)
        if closed_reason(facility, country, day, today) is None:
            days.append(day)
            if len(days) == count:
                break
    return days
