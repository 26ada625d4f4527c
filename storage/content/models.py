"""Frozen dataclasses for municipality content, as loaded from `content/*.toml`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, time
from typing import Literal

import phonenumbers

Status = Literal["available", "remote_only", "limited", "suspended"]
STATUSES: tuple[Status, ...] = ("available", "remote_only", "limited", "suspended")
BASE_CERTIFICATE_KINDS = ("needy", "low-income")  # status certificates every register knows
ExtensionMode = Literal["after_emergency", "staff_months"]
EXTENSION_MODES: tuple[ExtensionMode, ...] = ("after_emergency", "staff_months")
HealthKind = Literal["vaccination", "recovery", "test"]
HEALTH_KINDS: tuple[HealthKind, ...] = ("vaccination", "recovery", "test")


@dataclass(frozen=True)
class LocalText:
    """A text in several languages; English is the last resort."""

    values: Mapping[str, str]

    def get(self, lang: str) -> str:
        """Return the text in `lang`, else in English, else any language."""
        return self.values.get(lang) or self.values.get("en") or next(iter(self.values.values()))


@dataclass(frozen=True)
class Phone:
    """A phone number: E.164 for ordinary numbers, plain digits for short ones like 1808."""

    number: str
    region: str

    @property
    def is_short(self) -> bool:
        """True for short service numbers, which have no country code."""
        return not self.number.startswith("+")

    def national(self) -> str:
        """Format as people of the number's country dial it."""
        if self.is_short:
            return self.number
        parsed = phonenumbers.parse(self.number)
        return str(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL))

    def international(self) -> str:
        """Format with the country code, readable from abroad."""
        if self.is_short:
            return self.number
        parsed = phonenumbers.parse(self.number)
        return str(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL))


@dataclass(frozen=True)
class ServiceKind:
    """A kind of social service from the catalogue (seed 003)."""

    id: str
    name: LocalText
    words: Mapping[str, tuple[str, ...]]


@dataclass(frozen=True)
class Department:
    """A department or contact point with its phones and e-mails."""

    id: str
    name: LocalText
    phones: tuple[Phone, ...] = ()
    emails: tuple[str, ...] = ()
    topics: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    kind: str | None = None


@dataclass(frozen=True)
class Period:
    """A stretch of days with one availability status; `end` None means until further notice."""

    status: Status
    start: date
    end: date | None
    note: LocalText | None = None

    def covers(self, day: date) -> bool:
        """True if `day` falls inside the period."""
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class Service:
    """A service with its availability periods, sorted by start."""

    id: str
    name: LocalText
    departments: tuple[str, ...]
    periods: tuple[Period, ...] = ()
    default_status: Status | None = None
    description: LocalText | None = None
    kind: str | None = None


@dataclass(frozen=True)
class Facility:
    """A bookable facility such as a shower or laundry."""

    id: str
    service: str
    places_per_day: int
    by_appointment: bool
    certificate_required: bool
    contactless_without_certificate: bool
    weekdays: tuple[int, ...] = (1, 2, 3, 4, 5)  # ISO: 1 = Monday
    book_ahead_days: int = 14
    closures: tuple[date, ...] = ()
    bring: LocalText | None = None
    max_active_bookings: int | None = None  # per resident, from today on; None: no limit


@dataclass(frozen=True)
class Emergency:
    """An emergency period declared by the state or municipality."""

    id: str
    name: LocalText
    start: date
    end: date | None


@dataclass(frozen=True)
class Hotline:
    """A phone line outside the departments, such as a national hotline."""

    id: str
    phone: Phone
    name: LocalText
    hours: LocalText | None


@dataclass(frozen=True)
class CertificateKind:
    """A kind of status certificate the municipality's content declares (beyond the base ones)."""

    id: str
    name: LocalText


@dataclass(frozen=True)
class ExtensionRule:
    """How status certificates that expire during an emergency are extended.

    `after_emergency`: valid until the end of the `months[0]`-th calendar month after the
    emergency ends. `staff_months`: staff extend by one of `months`, recorded per certificate.
    """

    id: str
    kinds: tuple[str, ...]
    mode: ExtensionMode
    months: tuple[int, ...]
    emergencies: tuple[str, ...] = ()  # empty: every emergency of the municipality
    note: LocalText | None = None


@dataclass(frozen=True)
class Certificates:
    """The municipality's status-certificate register: extra kinds, rules, whom to call."""

    department: str
    kinds: tuple[CertificateKind, ...] = ()
    rules: tuple[ExtensionRule, ...] = ()
    note: LocalText | None = None

    def kind_ids(self) -> tuple[str, ...]:
        """Every kind a certificate of this municipality may have."""
        return BASE_CERTIFICATE_KINDS + tuple(kind.id for kind in self.kinds)


@dataclass(frozen=True)
class HealthRule:
    """The health certificate needed for in-person services between `start` and `end`."""

    start: date
    end: date | None
    accepted: tuple[HealthKind, ...]
    test_valid_hours: int
    recovery_valid_days: int | None  # None: the notice sets no limit
    services: tuple[str, ...] = ()

    def covers(self, day: date) -> bool:
        """True if the rule applies on `day`."""
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class OfficeHours:
    """When staff work through the queue: these weekdays (ISO, 1 = Monday), from `opens` to
    `closes` local time, public holidays closed."""

    weekdays: tuple[int, ...]
    opens: time
    closes: time


@dataclass(frozen=True)
class Requests:
    """Requests from residents at home go to staff; `department` is whom residents may call."""

    department: str
    queue: str = "isolation"
    escalate_after_minutes: int = 60
    office_hours: OfficeHours | None = None  # None: the content sets none


@dataclass(frozen=True)
class Municipality:
    """Everything the assistant knows about one municipality's social services."""

    id: str
    country: str
    languages: tuple[str, ...]
    default_language: str
    place: LocalText
    name: LocalText
    source: str
    website: str | None
    contacts_note: LocalText | None
    departments: tuple[Department, ...]
    services: tuple[Service, ...]
    facilities: tuple[Facility, ...]
    emergencies: tuple[Emergency, ...]
    hotlines: tuple[Hotline, ...]
    certificates: Certificates | None = None
    health_rules: tuple[HealthRule, ...] = ()
    requests: Requests | None = None
    sms_russian: str = "transliterate"  # or "ucs2": Cyrillic as written, 70 characters a part

    @property
    def checks_certificates(self) -> bool:
        """True if the content declares a certificate register or a health-certificate rule."""
        return self.certificates is not None or bool(self.health_rules)

    def department(self, department_id: str) -> Department | None:
        """Find a department by id."""
        return next((d for d in self.departments if d.id == department_id), None)

    def service(self, service_id: str) -> Service | None:
        """Find a service by id."""
        return next((s for s in self.services if s.id == service_id), None)


@dataclass(frozen=True)
class Content:
    """All municipalities and the catalogue of service kinds."""

    municipalities: Mapping[str, Municipality]
    kinds: Mapping[str, ServiceKind]

    def municipality(self, municipality_id: str | None) -> Municipality | None:
        """Find a municipality by id."""
        return self.municipalities.get(municipality_id) if municipality_id else None
