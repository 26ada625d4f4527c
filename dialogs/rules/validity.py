"""Pure rules: how long a status certificate is valid, and whether a health certificate admits."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from dialogs.core.clock import LOCAL_ZONE
from storage.certificates import StatusCertificate
from storage.content import Emergency, ExtensionRule, HealthKind, HealthRule


@dataclass(frozen=True)
class Validity:
    """Until when a certificate is valid, and which rule and emergency extended it.

    `valid_until` None: extended until a while after an emergency that has not ended yet.
    """

    valid_until: date | None
    extended: bool = False
    rule: ExtensionRule | None = None
    emergency: Emergency | None = None


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or that month's last day (31 Jan + 1 = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def end_of_month_after(day: date, months: int) -> date:
    """The last day of the calendar month `months` after `day`'s month."""
    first = add_months(day.replace(day=1), months)
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


def _during(day: date, emergency: Emergency) -> bool:
    return emergency.start <= day and (emergency.end is None or day <= emergency.end)


def validity(
    certificate: StatusCertificate,
    emergencies: tuple[Emergency, ...],
    rules: tuple[ExtensionRule, ...],
) -> Validity:
    """Apply the extension rules to a certificate; an extension that ends inside another
    emergency is extended again, so overlapping and back-to-back emergencies chain."""
    result = Validity(certificate.expires_on)
    for _ in range(len(emergencies) + 1):
        extended = _extend_once(certificate, result, emergencies, rules)
        if extended is None:
            return result
        result = extended
        if result.valid_until is None:
            return result
    return result


def _extend_once(
    certificate: StatusCertificate,
    current: Validity,
    emergencies: tuple[Emergency, ...],
    rules: tuple[ExtensionRule, ...],
) -> Validity | None:
    until = current.valid_until
    assert until is not None
    for rule in rules:
        if certificate.kind not in rule.kinds:
            continue
        for emergency in emergencies:
            if rule.emergencies and emergency.id not in rule.emergencies:
                continue
            if not _during(until, emergency) or emergency is current.emergency:
                continue
            new_until = _extended_until(certificate, rule, emergency, until)
            if new_until == until:
                continue
            return Validity(new_until, True, rule, emergency)
    return None


def _extended_until(
    certificate: StatusCertificate, rule: ExtensionRule, emergency: Emergency, until: date
) -> date | None:
    if rule.mode == "after_emergency":
        if emergency.end is None:
            return None
        return max(until, end_of_month_after(emergency.end, rule.months[0]))
    if certificate.extension_months in rule.months:
        return add_months(until, certificate.extension_months)
    return until  # staff have not (yet) chosen an extension for this one


@dataclass(frozen=True)
class HealthCheck:
    """Whether a health certificate admits a visit on a day, and until when it is valid."""

    accepted: bool
    valid_until: datetime | None  # None: the notice sets no end
    # "ok", "until_time" (valid on the visit day until a time), "kind_not_accepted",
    # "expired", "not_yet", "no_rule"
    reason: str


def health_check(
    kind: HealthKind, issued_at: datetime, visit_day: date, rules: tuple[HealthRule, ...]
) -> HealthCheck:
    """Check a vaccination, recovery or test certificate for a visit on `visit_day`."""
    rule = next((r for r in rules if r.covers(visit_day)), None)
    if rule is None:
        return HealthCheck(True, None, "no_rule")
    if kind not in rule.accepted:
        return HealthCheck(False, None, "kind_not_accepted")
    # Hours are real hours: added in UTC, not to the wall clock (72 hours from 10:00 on
    # 30.10.2021 end at 09:00 on 2.11, winter time having begun between).
    issued_day, issued_at = issued_at.astimezone(LOCAL_ZONE).date(), issued_at.astimezone(UTC)
    if kind == "test":
        valid_until: datetime | None = issued_at + timedelta(hours=rule.test_valid_hours)
    elif kind == "recovery" and rule.recovery_valid_days is not None:
        valid_until = issued_at + timedelta(days=rule.recovery_valid_days)
    else:
        valid_until = None
    if issued_day > visit_day:
        return HealthCheck(False, valid_until, "not_yet")
    if valid_until is None:
        return HealthCheck(True, None, "ok")
    ends = valid_until.astimezone(LOCAL_ZONE)
    if ends.date() < visit_day:
        return HealthCheck(False, valid_until, "expired")
    if ends.date() == visit_day and ends.time() != time(0, 0):
        return HealthCheck(True, valid_until, "until_time")  # valid that morning, not after
    return HealthCheck(True, valid_until, "ok")
