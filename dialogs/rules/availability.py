"""Pure rules: what status a service has on a day, and what changes next."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from storage.content import Emergency, Municipality, Period, Service, Status

RESTRICTED: tuple[Status, ...] = ("suspended", "remote_only", "limited")


@dataclass(frozen=True)
class Availability:
    """A service's status on one day; `status` None means no notice covers that day."""

    status: Status | None
    period: Period | None
    upcoming: Period | None
    last_period: Period | None

    @property
    def period_status(self) -> Status | None:
        """The status a notice's period gives the day (not the service's usual one)."""
        return self.period.status if self.period is not None else None

    @property
    def restricted(self) -> bool:
        """True if the service is suspended, remote-only or limited."""
        return self.status in RESTRICTED


def availability(service: Service, day: date) -> Availability:
    """Status of `service` on `day`, with the period that sets it and the next one to come."""
    current = next((p for p in service.periods if p.covers(day)), None)
    upcoming = next((p for p in service.periods if p.start > day), None)
    past = [p for p in service.periods if p.end is not None and p.end < day]
    status = current.status if current else service.default_status
    return Availability(status, current, upcoming, past[-1] if past else None)


def status_after(service: Service, period: Period) -> Status | None:
    """The status a notice gives for the day after a closed period ends; None if no notice
    covers that day (a service's usual status is no promise that it reopens then)."""
    if period.end is None:
        return None
    return availability(service, period.end + timedelta(days=1)).period_status


def restricted_services(
    municipality: Municipality, day: date
) -> list[tuple[Service, Availability]]:
    """Services suspended, remote-only or limited on `day`, most restricted first."""
    found = [(s, availability(s, day)) for s in municipality.services]
    restricted = [(s, a) for s, a in found if a.restricted]
    return sorted(restricted, key=lambda pair: RESTRICTED.index(pair[1].status or "limited"))


def active_emergencies(municipality: Municipality, day: date) -> list[Emergency]:
    """Emergency periods in force on `day`."""
    return [
        e for e in municipality.emergencies if e.start <= day and (e.end is None or day <= e.end)
    ]


def overlay(periods: tuple[Period, ...], override: Period) -> tuple[Period, ...]:
    """`override` laid over the periods: its days take its status, the rest keep theirs."""
    kept: list[Period] = []
    for period in periods:
        if period.end is not None and period.end < override.start:
            kept.append(period)
            continue
        if override.end is not None and period.start > override.end:
            kept.append(period)
            continue
        if period.start < override.start:  # the part before the override
            kept.append(replace(period, end=override.start - timedelta(days=1)))
        if override.end is not None and (period.end is None or period.end > override.end):
            kept.append(replace(period, start=override.end + timedelta(days=1)))  # the part after
    return tuple(sorted([*kept, override], key=lambda p: p.start))


def with_overrides(municipality: Municipality, overrides: list[tuple[str, Period]]) -> Municipality:
    """The municipality as residents should see it: staff's statuses laid over the content's."""
    if not overrides:
        return municipality
    services = []
    for service in municipality.services:
        periods = service.periods
        for service_id, period in overrides:
            if service_id == service.id:
                periods = overlay(periods, period)
        services.append(replace(service, periods=periods))
    return replace(municipality, services=tuple(services))
