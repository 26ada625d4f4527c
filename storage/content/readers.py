"""Readers for the tables of a municipality file: each checks its values and names the key."""

from __future__ import annotations

import itertools
from datetime import time

from storage.content.fields import Table
from storage.content.models import (
    EXTENSION_MODES,
    HEALTH_KINDS,
    STATUSES,
    CertificateKind,
    Certificates,
    Department,
    Emergency,
    ExtensionRule,
    Facility,
    HealthRule,
    Hotline,
    LocalText,
    OfficeHours,
    Period,
    Phone,
    Requests,
    Service,
    ServiceKind,
    Status,
)
from storage.phones import e164

CATALOGUE = "catalogue.toml"


class MunicipalityReader:
    """Reads the tables of one municipality file, knowing its country and languages."""

    def __init__(self, country: str, languages: tuple[str, ...], kinds: dict[str, ServiceKind]):
        self.country = country
        self.languages = languages
        self.kinds = kinds

    def kind(self, table: Table) -> str | None:
        kind = table.optional_string("kind")
        if kind is not None and kind not in self.kinds:
            raise table.error("kind", f"{kind!r} is not in {CATALOGUE}")
        return kind

    def phone(self, table: Table, key: str, text: str) -> Phone:
        # Short service numbers (1808) are not in the numbering plan: keep their digits.
        if text.isdigit() and len(text) <= 6:
            return Phone(text, self.country)
        number = e164(text, self.country)
        if number is None:
            raise table.error(key, f"{text!r} is not a valid {self.country} phone number")
        return Phone(number, self.country)

    def department(self, table: Table) -> Department:
        emails = table.strings("emails")
        for index, email in enumerate(emails):
            if "@" not in email or " " in email.strip():
                raise table.error(f"emails[{index}]", f"{email!r} is not an e-mail address")
        phones = table.strings("phones")
        return Department(
            id=table.identifier(),
            name=text(table, "name", self.languages),
            phones=tuple(self.phone(table, f"phones[{i}]", p) for i, p in enumerate(phones)),
            emails=emails,
            topics=words(table, "topics", self.languages, required=False),
            kind=self.kind(table),
        )

    def period(self, table: Table) -> Period:
        status = table.one_of("status", STATUSES)
        start, end = table.dates_from_to()
        return Period(status_of(status), start, end, optional_text(table, "note", self.languages))

    def service(self, table: Table) -> Service:
        periods = tuple(sorted(table.each("periods", self.period), key=lambda p: p.start))
        for before, after in itertools.pairwise(periods):
            if before.end is None or before.end >= after.start:
                raise table.error(
                    "periods", f"the periods from {before.start} and {after.start} overlap"
                )
        default = table.optional_string("default_status")
        if default is not None and default not in STATUSES:
            raise table.error("default_status", f"{default!r} is not one of {', '.join(STATUSES)}")
        departments = table.strings("departments", required=True)
        if not departments:
            raise table.error("departments", "name at least one department")
        return Service(
            id=table.identifier(),
            name=text(table, "name", self.languages),
            departments=departments,
            periods=periods,
            default_status=None if default is None else status_of(default),
            description=optional_text(table, "description", self.languages),
            kind=self.kind(table),
        )

    def facility(self, table: Table) -> Facility:
        return Facility(
            id=table.identifier(),
            service=table.identifier("service"),
            places_per_day=table.integer("places_per_day", minimum=1),
            by_appointment=table.boolean("by_appointment", default=True),
            certificate_required=table.boolean("certificate_required", default=False),
            contactless_without_certificate=table.boolean(
                "contactless_without_certificate", default=False
            ),
            weekdays=self.weekdays(table),
            book_ahead_days=table.integers("book_ahead_days", minimum=1, single=True)[0]
            if "book_ahead_days" in table
            else 14,
            closures=table.days("closures"),
            bring=optional_text(table, "bring", self.languages),
            max_active_bookings=next(
                iter(table.integers("max_active_bookings", minimum=1, single=True)), None
            ),
        )

    def weekdays(self, table: Table) -> tuple[int, ...]:
        days = table.integers("weekdays", minimum=1) or (1, 2, 3, 4, 5)
        if any(day > 7 for day in days):
            raise table.error(
                "weekdays", f"expected ISO weekdays 1 (Monday) to 7, got {list(days)}"
            )
        return tuple(sorted(set(days)))

    def emergency(self, table: Table) -> Emergency:
        start, end = table.dates_from_to()
        return Emergency(table.identifier(), text(table, "name", self.languages), start, end)

    def certificates(self, root: Table) -> Certificates | None:
        table = root.table("certificates")
        if table is None:
            return None
        certificates = Certificates(
            department=table.identifier("department"),
            kinds=table.each("kinds", self.certificate_kind),
            note=optional_text(table, "note", self.languages),
        )
        kind_ids = certificates.kind_ids()
        rules = table.each("rules", lambda t: self.extension_rule(t, kind_ids))
        table.finish()
        return Certificates(certificates.department, certificates.kinds, rules, certificates.note)

    def certificate_kind(self, table: Table) -> CertificateKind:
        return CertificateKind(table.identifier(), text(table, "name", self.languages))

    def extension_rule(self, table: Table, kind_ids: tuple[str, ...]) -> ExtensionRule:
        kinds = table.strings("kinds", required=True)
        for index, kind in enumerate(kinds):
            if kind not in kind_ids:
                raise table.error(f"kinds[{index}]", f"unknown certificate kind {kind!r}")
        mode = table.one_of("mode", EXTENSION_MODES)
        months = table.integers("months", minimum=1)
        if not months or (mode == "after_emergency" and len(months) != 1):
            raise table.error(
                "months", "after_emergency takes one number, staff_months one or more"
            )
        return ExtensionRule(
            id=table.identifier(),
            kinds=kinds,
            mode=next(m for m in EXTENSION_MODES if m == mode),
            months=months,
            emergencies=table.strings("emergencies"),
            note=optional_text(table, "note", self.languages),
        )

    def health_rule(self, table: Table) -> HealthRule:
        start, end = table.dates_from_to()
        accepted = table.strings("accepted", required=True)
        for index, kind in enumerate(accepted):
            if kind not in HEALTH_KINDS:
                raise table.error(f"accepted[{index}]", f"{kind!r} is not one of {HEALTH_KINDS}")
        recovery = table.integers("recovery_valid_days", minimum=1, single=True)
        return HealthRule(
            start=start,
            end=end,
            accepted=tuple(k for k in HEALTH_KINDS if k in accepted),
            test_valid_hours=table.integer("test_valid_hours", minimum=1),
            recovery_valid_days=recovery[0] if recovery else None,
            services=table.strings("services"),
        )

    def hotline(self, table: Table) -> Hotline:
        return Hotline(
            id=table.identifier(),
            phone=self.phone(table, "number", table.string("number")),
            name=text(table, "name", self.languages),
            hours=optional_text(table, "hours", self.languages),
        )


def status_of(value: str) -> Status:
    return next(status for status in STATUSES if status == value)


def text(table: Table, key: str, languages: tuple[str, ...]) -> LocalText:
    """A `{lt = ..., ru = ..., en = ...}` table with every language the file offers."""
    text = optional_text(table, key, languages, required=True)
    assert text is not None
    return text


def optional_text(
    table: Table, key: str, languages: tuple[str, ...], required: bool = False
) -> LocalText | None:
    sub = table.table(key, required)
    if sub is None:
        return None
    values = {lang: sub.string(lang) for lang in languages}
    sub.finish()
    return LocalText(values)


def words(
    table: Table, key: str, languages: tuple[str, ...], required: bool = True
) -> dict[str, tuple[str, ...]]:
    sub = table.table(key, required)
    if sub is None:
        return {}
    words = {lang: sub.strings(lang) for lang in languages if lang in sub}
    sub.finish()
    return words


def read_requests(root: Table) -> Requests | None:
    table = root.table("requests")
    if table is None:
        return None
    minutes = table.integers("escalate_after_minutes", minimum=1, single=True)
    requests = Requests(
        department=table.identifier("department"),
        queue=table.identifier("queue") if "queue" in table else "isolation",
        escalate_after_minutes=minutes[0] if minutes else 60,
        office_hours=_office_hours(table),
    )
    table.finish()
    return requests


def _office_hours(requests: Table) -> OfficeHours | None:
    """`[requests.office_hours]`: weekdays = [1, 2, 3, 4, 5], opens = "08:00", closes = "17:00"."""
    table = requests.table("office_hours")
    if table is None:
        return None
    weekdays = table.integers("weekdays", minimum=1)
    if not weekdays or max(weekdays) > 7:
        raise table.error("weekdays", "expected ISO weekdays, 1 (Monday) to 7 (Sunday)")
    hours = []
    for key in ("opens", "closes"):
        try:
            hours.append(time.fromisoformat(table.string(key)))
        except ValueError:
            raise table.error(key, "expected a time like 08:00") from None
    if hours[1] <= hours[0]:
        raise table.error("closes", "expected a time after opens")
    table.finish()
    return OfficeHours(weekdays, hours[0], hours[1])


def read_sms_russian(root: Table) -> str:
    return root.one_of("sms_russian", ("transliterate", "ucs2"), default="transliterate")
