"""Pure availability rules on the bundled notices."""

from __future__ import annotations

from datetime import date

from dialogs.rules.availability import (
    active_emergencies,
    availability,
    overlay,
    restricted_services,
    status_after,
)
from storage.content import Content, Period, Service


def _service(content: Content, municipality: str, service_id: str) -> Service:
    service = content.municipalities[municipality].service(service_id)
    assert service is not None
    return service


def test_kazokiskes_is_suspended_only_within_its_dates(content: Content) -> None:
    service = _service(content, "elektrenai", "kazokiskes-day-centre")
    assert availability(service, date(2020, 3, 12)).status == "available"
    assert availability(service, date(2020, 3, 12)).upcoming is not None
    assert availability(service, date(2020, 3, 13)).status == "suspended"
    assert availability(service, date(2020, 3, 27)).status == "suspended"
    assert availability(service, date(2020, 3, 28)).status == "available"
    period = availability(service, date(2020, 3, 20)).period
    assert period is not None
    assert status_after(service, period) is None  # the notice says nothing after its end


def test_open_ended_period_lasts(content: Content) -> None:
    service = _service(content, "elektrenai", "home-help")
    state = availability(service, date(2026, 11, 22))
    assert state.status == "limited"
    assert state.period is not None
    assert state.period.end is None


def test_after_the_last_notice_the_status_is_unknown(content: Content) -> None:
    service = _service(content, "daugavpils", "mobile-care-unit")
    assert availability(service, date(2020, 3, 20)).status == "suspended"
    later = availability(service, date(2020, 4, 15))
    assert later.status is None
    assert later.last_period is not None
    assert later.last_period.end == date(2020, 4, 14)


def test_restricted_services_are_ordered_most_restricted_first(content: Content) -> None:
    found = restricted_services(content.municipalities["elektrenai"], date(2020, 3, 20))
    statuses = [state.status for _, state in found]
    assert statuses == ["suspended", "suspended", "remote_only", "limited", "limited"]
    assert restricted_services(content.municipalities["visaginas"], date(2026, 11, 22)) == []


def test_emergencies_in_force(content: Content) -> None:
    koknese = content.municipalities["koknese"]
    assert [e.id for e in active_emergencies(koknese, date(2022, 1, 11))] == ["emergency-2021"]
    assert active_emergencies(koknese, date(2022, 1, 12)) == []


def test_period_covers_its_first_and_last_day() -> None:
    period = Period("limited", date(2024, 2, 28), date(2024, 2, 29))
    assert period.covers(date(2024, 2, 28))
    assert period.covers(date(2024, 2, 29))
    assert not period.covers(date(2024, 3, 1))
    assert Period("limited", date(2024, 2, 28), None).covers(date(2099, 1, 1))


def test_overlay_cuts_and_splits_content_periods() -> None:
    content = (
        Period("suspended", date(2020, 3, 13), date(2020, 3, 27)),
        Period("limited", date(2020, 4, 1), None),
    )
    staff = Period("remote_only", date(2020, 3, 20), date(2020, 4, 5))
    result = overlay(content, staff)
    assert [(p.status, p.start, p.end) for p in result] == [
        ("suspended", date(2020, 3, 13), date(2020, 3, 19)),
        ("remote_only", date(2020, 3, 20), date(2020, 4, 5)),
        ("limited", date(2020, 4, 6), None),
    ]
    open_ended = overlay(content, Period("available", date(2020, 3, 1), None))
    assert [(p.status, p.start, p.end) for p in open_ended] == [
        ("available", date(2020, 3, 1), None)
    ]
