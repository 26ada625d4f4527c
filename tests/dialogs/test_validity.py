"""The certificate rules as pure functions: month ends, leap years, emergencies."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from dialogs.rules.validity import (
    add_months,
    end_of_month_after,
    health_check,
    validity,
)
from storage.certificates import StatusCertificate
from storage.content import Content, Emergency, ExtensionRule, HealthRule, LocalText

NAME = LocalText({"en": "Emergency"})
KOKNESE_EMERGENCY = Emergency("emergency-2021", NAME, date(2021, 10, 11), date(2022, 1, 11))
PLUS_MONTH = ExtensionRule("plus-month", ("needy", "low-income"), "after_emergency", (1,))
STAFF = ExtensionRule("staff", ("subsistence-declaration",), "staff_months", (1, 3))


def _cert(expires: date, kind: str = "needy", months: int | None = None) -> StatusCertificate:
    return StatusCertificate("K-1", kind, "+37126000000", date(2021, 1, 1), expires, months)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2021, 1, 31), 1, date(2021, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # leap year
        (date(2020, 3, 31), 3, date(2020, 6, 30)),
        (date(2021, 11, 15), 3, date(2022, 2, 15)),  # over the new year
        (date(2021, 12, 31), 1, date(2022, 1, 31)),
    ],
)
def test_add_months(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2022, 1, 11), date(2022, 2, 28)),  # Koknese: the whole following calendar month
        (date(2024, 1, 31), date(2024, 2, 29)),
        (date(2021, 12, 1), date(2022, 1, 31)),
    ],
)
def test_end_of_month_after(day: date, expected: date) -> None:
    assert end_of_month_after(day, 1) == expected


def test_koknese_certificate_expiring_during_the_emergency_runs_to_28_february() -> None:
    result = validity(_cert(date(2021, 12, 3)), (KOKNESE_EMERGENCY,), (PLUS_MONTH,))
    assert result.valid_until == date(2022, 2, 28)
    assert result.extended
    assert result.rule is PLUS_MONTH
    assert result.emergency is KOKNESE_EMERGENCY


@pytest.mark.parametrize(
    ("expires", "expected", "extended"),
    [
        (date(2021, 10, 10), date(2021, 10, 10), False),  # the day before the emergency
        (date(2021, 10, 11), date(2022, 2, 28), True),  # its first day
        (date(2022, 1, 11), date(2022, 2, 28), True),  # its last day
        (date(2022, 1, 12), date(2022, 1, 12), False),  # after it
        (date(2022, 3, 31), date(2022, 3, 31), False),
    ],
)
def test_before_during_and_after_the_emergency(
    expires: date, expected: date, extended: bool
) -> None:
    result = validity(_cert(expires), (KOKNESE_EMERGENCY,), (PLUS_MONTH,))
    assert (result.valid_until, result.extended) == (expected, extended)


def test_other_kinds_and_other_emergencies_are_not_extended() -> None:
    assert not validity(
        _cert(date(2021, 12, 3), kind="other"), (KOKNESE_EMERGENCY,), (PLUS_MONTH,)
    ).extended
    only_other = ExtensionRule("x", ("needy",), "after_emergency", (1,), emergencies=("another",))
    assert not validity(_cert(date(2021, 12, 3)), (KOKNESE_EMERGENCY,), (only_other,)).extended


def test_overlapping_and_back_to_back_emergencies_chain() -> None:
    first = Emergency("first", NAME, date(2024, 1, 1), date(2024, 1, 31))
    second = Emergency("second", NAME, date(2024, 1, 20), date(2024, 3, 10))
    for order in ((first, second), (second, first)):
        result = validity(_cert(date(2024, 1, 25)), order, (PLUS_MONTH,))
        assert result.valid_until == date(2024, 4, 30)
        assert result.emergency is second
    third = Emergency("third", NAME, date(2024, 2, 29), date(2024, 5, 2))  # leap day
    result = validity(_cert(date(2024, 1, 25)), (first, third), (PLUS_MONTH,))
    assert result.valid_until == date(2024, 6, 30)


def test_an_emergency_without_an_end_leaves_the_date_open() -> None:
    ongoing = Emergency("ongoing", NAME, date(2020, 3, 16), None)
    result = validity(_cert(date(2020, 4, 1)), (ongoing,), (PLUS_MONTH,))
    assert result.valid_until is None
    assert result.extended


@pytest.mark.parametrize(
    ("months", "expected"),
    [
        (None, date(2020, 3, 31)),
        (1, date(2020, 4, 30)),
        (3, date(2020, 6, 30)),
        (2, date(2020, 3, 31)),
    ],
)
def test_daugavpils_declarations_are_extended_as_staff_chose(
    months: int | None, expected: date
) -> None:
    emergency = Emergency("emergency-2020", NAME, date(2020, 3, 12), date(2020, 4, 14))
    declaration = _cert(date(2020, 3, 31), kind="subsistence-declaration", months=months)
    assert validity(declaration, (emergency,), (STAFF,)).valid_until == expected


def test_the_bundled_rules(content: Content) -> None:
    koknese = content.municipalities["koknese"]
    assert koknese.certificates is not None
    result = validity(
        _cert(date(2021, 11, 30), kind="low-income"),
        koknese.emergencies,
        koknese.certificates.rules,
    )
    assert result.valid_until == date(2022, 2, 28)


RULE = HealthRule(
    date(2021, 10, 11), date(2022, 1, 11), ("vaccination", "recovery", "test"), 72, 180
)


def _at(day: int, hour: int = 10) -> datetime:
    return datetime(2021, 11, day, hour, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("kind", "issued", "visit", "accepted", "reason"),
    [
        ("test", _at(1, 14), date(2021, 11, 4), True, "until_time"),  # 72 h: the 4th until 14:00
        ("test", _at(1, 14), date(2021, 11, 3), True, "ok"),
        ("test", _at(1, 14), date(2021, 11, 5), False, "expired"),
        ("test", _at(3), date(2021, 11, 2), False, "not_yet"),
        ("vaccination", datetime(2021, 6, 1, tzinfo=UTC), date(2021, 11, 5), True, "ok"),
        ("recovery", datetime(2021, 6, 1, tzinfo=UTC), date(2021, 11, 5), True, "ok"),
        ("recovery", datetime(2021, 5, 1, tzinfo=UTC), date(2021, 11, 5), False, "expired"),
    ],
)
def test_health_certificate(
    kind: str, issued: datetime, visit: date, accepted: bool, reason: str
) -> None:
    check = health_check(kind, issued, visit, (RULE,))  # type: ignore[arg-type]
    assert (check.accepted, check.reason) == (accepted, reason)


def test_health_rule_parameters_come_from_content(content: Content) -> None:
    (rule,) = content.municipalities["koknese"].health_rules
    assert (rule.test_valid_hours, rule.accepted) == (72, ("vaccination", "recovery", "test"))
    assert rule.recovery_valid_days is None  # the notice sets none
    check = health_check("recovery", datetime(2020, 1, 1, tzinfo=UTC), date(2021, 11, 5), (rule,))
    assert (check.accepted, check.valid_until) == (True, None)
    outside = health_check("test", _at(1), date(2022, 3, 1), (rule,))
    assert (outside.accepted, outside.reason) == (True, "no_rule")
    limited = HealthRule(date(2021, 1, 1), None, ("vaccination",), 24, None)
    assert health_check("test", _at(1), date(2021, 11, 1), (limited,)).reason == "kind_not_accepted"
