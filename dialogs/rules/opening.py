"""Pure rules: on which days a facility can be booked (weekdays, holidays, closures, horizon),
and when the office opens next."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache

from dialogs.core.clock import LOCAL_ZONE
from dialogs.core.i18n import N_
from dialogs.rules.availability import availability
from storage.content import Facility, Municipality, OfficeHours

NOT_IN_PERSON = ("suspended", "remote_only")  # a facility is not open on such days


@lru_cache(maxsize=64)
def _holidays(country: str, year: int, lang: str) -> dict[date, str]:
    # Imported here, in start-up's warm-up thread (`dialogs.pipeline.warm`): the package and
    # its country modules take 0.3 s, which the first reply should not wait for.
    import holidays

    calendar = holidays.country_holidays(country, years=[year], language=lang)
    return dict(calendar.items())


# The holidays package names Lithuania's holidays in lt and English only: the Russian names
# come from our catalog, with these English names as msgids.
LITHUANIAN_HOLIDAYS_IN_ENGLISH = (
    N_("New Year's Day"),
    N_("Day of Restoration of the State of Lithuania"),
    N_("Day of Restoration of Independence of Lithuania"),
    N_("Easter Sunday"),
    N_("Easter Monday"),
    N_("International Workers' Day"),
    N_("Mother's Day"),
    N_("International Workers' Day; Mother's Day"),
    N_("Father's Day"),
    N_("Day of Dew and Saint John"),
    N_("Statehood Day"),
    N_("Assumption Day"),
    N_("All Saints' Day"),
    N_("All Souls' Day"),
    N_("Christmas Eve"),
    N_("Christmas Day"),
    N_("Second Day of Christmas"),
)


def holiday_name(country: str, day: date, lang: str) -> str | None:
    """The public holiday on `day`, named in `lang` where the holidays package has it, else
    in English (for the catalog to translate)."""
    return _holidays(country, day.year, lang if lang in _languages(country) else "en_US").get(day)


@lru_cache(maxsize=8)
def _languages(country: str) -> tuple[str, ...]:
    import holidays  # see _holidays

    return tuple(holidays.country_holidays(country).supported_languages)


def closed_reason(
    facility: Facility, municipality: Municipality, day: date, today: date
) -> str | None:
    """Why a day cannot be booked ("past", "too_far", "weekday", "holiday", "closure",
    "suspended": its service is suspended or remote only that day), or None. `municipality`
    with the statuses staff have set."""
    if day < today:
        return "past"
    if day.isoweekday() not in facility.weekdays:
        return "weekday"
    if day in facility.closures:
        return "closure"
    if holiday_name(municipality.country, day, "en") is not None:
        return "holiday"
    service = municipality.service(facility.service)
    if service is not None and availability(service, day).status in NOT_IN_PERSON:
        return "suspended"
    if day > today + timedelta(days=facility.book_ahead_days):
        return "too_far"
    return None


def open_days(
    facility: Facility, municipality: Municipality, today: date, count: int
) -> list[date]:
    """The next `count` bookable days from today on."""
    days = []
    for offset in range(facility.book_ahead_days + 1):
        day = today + timedelta(days=offset)
        if closed_reason(facility, municipality, day, today) is None:
            days.append(day)
            if len(days) == count:
                break
    return days


def next_opening(hours: OfficeHours, country: str, now: datetime) -> datetime | None:
    """When the office next opens, if it is closed at `now` (local time; weekdays, hours,
    public holidays); None while it is open."""
    local = now.astimezone(LOCAL_ZONE)
    for offset in range(15):  # the longest closure is a holiday week
        day = local.date() + timedelta(days=offset)
        if day.isoweekday() not in hours.weekdays or holiday_name(country, day, "en"):
            continue
        opens = datetime.combine(day, hours.opens, tzinfo=LOCAL_ZONE)
        closes = datetime.combine(day, hours.closes, tzinfo=LOCAL_ZONE)
        if offset == 0 and opens <= local < closes:
            return None
        if local < opens:
            return opens
    return None
