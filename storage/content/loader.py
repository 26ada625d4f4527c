"""Load and validate `content/*.toml`: one file per municipality plus `catalogue.toml`."""

from __future__ import annotations

import itertools
import tomllib
from pathlib import Path

import phonenumbers

from storage.content.fields import ContentError, Table
from storage.content.models import (
    EXTENSION_MODES,
    HEALTH_KINDS,
    STATUSES,
    CertificateKind,
    Certificates,
    Content,
    Department,
    Emergency,
    ExtensionRule,
    Facility,
    HealthRule,
    Hotline,
    LocalText,
    Municipality,
    Period,
    Phone,
    Requests,
    Service,
    ServiceKind,
    Status,
)

__all__ = ["ContentError", "load_content"]

SUPPORTED_LANGUAGES = ("lt", "lv", "ru", "en")
COUNTRIES = ("LT", "LV")
CATALOGUE = "catalogue.toml"


def load_content(directory: Path) -> Content:
    """Read every content file in `directory`; raise ContentError on the first problem."""
    if not directory.is_dir():
        raise ContentError(f"{directory}: content directory not found")
    catalogue = directory / CATALOGUE
    kinds = _read_catalogue(catalogue) if catalogue.exists() else {}
    municipalities: dict[str, Municipality] = {}
    for file in sorted(directory.glob("*.toml")):
        if file.name != CATALOGUE:
            municipality = _read_municipality(file, kinds)
            municipalities[municipality.id] = municipality
    if not municipalities:
        raise ContentError(f"{directory}: no municipality files (*.toml)")
    return Content(municipalities=municipalities, kinds=kinds)


def _parse(file: Path) -> Table:
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ContentError(f"{file}: not valid TOML: {error}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ContentError(f"{file}: cannot be read: {error}") from None
    return Table(str(file), "", data)


def _read_catalogue(file: Path) -> dict[str, ServiceKind]:
    root = _parse(file)
    root.optional_string("source")
    kinds = root.each("kinds", lambda t: _read_kind(t, SUPPORTED_LANGUAGES))
    root.finish()
    return {kind.id: kind for kind in kinds}


def _read_kind(table: Table, languages: tuple[str, ...]) -> ServiceKind:
    return ServiceKind(
        id=table.identifier(),
        name=_text(table, "name", languages),
        words=_words(table, "words", languages),
    )


def _read_municipality(file: Path, kinds: dict[str, ServiceKind]) -> Municipality:
    root = _parse(file)
    municipality_id = root.identifier()
    if municipality_id != file.stem:
        raise root.error("id", f"{municipality_id!r} must match the file name {file.stem!r}")
    country = root.string("country")
    if country not in COUNTRIES:
        raise root.error("country", f"{country!r} is not one of {', '.join(COUNTRIES)}")
    languages = root.strings("languages", required=True)
    for index, lang in enumerate(languages):
        if lang not in SUPPORTED_LANGUAGES:
            raise root.error(f"languages[{index}]", f"{lang!r} is not one of {SUPPORTED_LANGUAGES}")
    default_language = root.string("default_language")
    if default_language not in languages:
        raise root.error("default_language", f"{default_language!r} is not in languages")
    reader = _MunicipalityReader(country, languages, kinds)
    departments = root.each("departments", reader.department)
    services = root.each("services", reader.service)
    facilities = root.each("facilities", reader.facility)
    municipality = Municipality(
        id=municipality_id,
        country=country,
        languages=languages,
        default_language=default_language,
        place=_text(root, "place", languages),
        name=_text(root, "name", languages),
        source=root.string("source"),
        website=root.optional_string("website"),
        contacts_note=_optional_text(root, "contacts_note", languages),
        departments=departments,
        services=services,
        facilities=facilities,
        emergencies=root.each("emergencies", reader.emergency),
        hotlines=root.each("hotlines", reader.hotline),
        certificates=reader.certificates(root),
        health_rules=root.each("health_rules", reader.health_rule),
        requests=_requests(root),
        sms_russian=_sms_russian(root),
    )
    root.finish()
    _check_references(root, municipality)
    return municipality


class _MunicipalityReader:
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
        try:
            parsed = phonenumbers.parse(text, self.country)
        except phonenumbers.NumberParseException as error:
            raise table.error(key, f"{text!r} is not a phone number: {error}") from None
        if not phonenumbers.is_valid_number(parsed):
            raise table.error(key, f"{text!r} is not a valid {self.country} phone number")
        e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
        return Phone(str(e164), self.country)

    def department(self, table: Table) -> Department:
        emails = table.strings("emails")
        for index, email in enumerate(emails):
            if "@" not in email or " " in email.strip():
                raise table.error(f"emails[{index}]", f"{email!r} is not an e-mail address")
        phones = table.strings("phones")
        return Department(
            id=table.identifier(),
            name=_text(table, "name", self.languages),
            phones=tuple(self.phone(table, f"phones[{i}]", p) for i, p in enumerate(phones)),
            emails=emails,
            topics=_words(table, "topics", self.languages, required=False),
            kind=self.kind(table),
        )

    def period(self, table: Table) -> Period:
        status = table.string("status")
        if status not in STATUSES:
            raise table.error("status", f"{status!r} is not one of {', '.join(STATUSES)}")
        start = table.day("from")
        end = table.day("to", required=False)
        assert start is not None
        if end is not None and end < start:
            raise table.error("to", f"{end} is before 'from' {start}")
        return Period(_status(status), start, end, _optional_text(table, "note", self.languages))

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
            name=_text(table, "name", self.languages),
            departments=departments,
            periods=periods,
            default_status=None if default is None else _status(default),
            description=_optional_text(table, "description", self.languages),
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
            bring=_optional_text(table, "bring", self.languages),
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
        start = table.day("from")
        end = table.day("to", required=False)
        assert start is not None
        if end is not None and end < start:
            raise table.error("to", f"{end} is before 'from' {start}")
        return Emergency(table.identifier(), _text(table, "name", self.languages), start, end)

    def certificates(self, root: Table) -> Certificates | None:
        table = root.table("certificates")
        if table is None:
            return None
        certificates = Certificates(
            department=table.identifier("department"),
            kinds=table.each("kinds", self.certificate_kind),
            note=_optional_text(table, "note", self.languages),
        )
        kind_ids = certificates.kind_ids()
        rules = table.each("rules", lambda t: self.extension_rule(t, kind_ids))
        table.finish()
        return Certificates(certificates.department, certificates.kinds, rules, certificates.note)

    def certificate_kind(self, table: Table) -> CertificateKind:
        return CertificateKind(table.identifier(), _text(table, "name", self.languages))

    def extension_rule(self, table: Table, kind_ids: tuple[str, ...]) -> ExtensionRule:
        kinds = table.strings("kinds", required=True)
        for index, kind in enumerate(kinds):
            if kind not in kind_ids:
                raise table.error(f"kinds[{index}]", f"unknown certificate kind {kind!r}")
        mode = table.string("mode")
        if mode not in EXTENSION_MODES:
            raise table.error("mode", f"{mode!r} is not one of {', '.join(EXTENSION_MODES)}")
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
            note=_optional_text(table, "note", self.languages),
        )

    def health_rule(self, table: Table) -> HealthRule:
        start = table.day("from")
        end = table.day("to", required=False)
        assert start is not None
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
            name=_text(table, "name", self.languages),
            hours=_optional_text(table, "hours", self.languages),
        )


def _status(value: str) -> Status:
    return next(status for status in STATUSES if status == value)


def _text(table: Table, key: str, languages: tuple[str, ...]) -> LocalText:
    """A `{lt = ..., ru = ..., en = ...}` table with every language the file offers."""
    text = _optional_text(table, key, languages, required=True)
    assert text is not None
    return text


def _optional_text(
    table: Table, key: str, languages: tuple[str, ...], required: bool = False
) -> LocalText | None:
    sub = table.table(key, required)
    if sub is None:
        return None
    values = {lang: sub.string(lang) for lang in languages}
    sub.finish()
    return LocalText(values)


def _words(
    table: Table, key: str, languages: tuple[str, ...], required: bool = True
) -> dict[str, tuple[str, ...]]:
    sub = table.table(key, required)
    if sub is None:
        return {}
    words = {lang: sub.strings(lang) for lang in languages if lang in sub}
    sub.finish()
    return words


def _check_references(root: Table, municipality: Municipality) -> None:
    department_ids = {d.id for d in municipality.departments}
    service_ids = [s.id for s in municipality.services]
    for label, ids in (
        ("departments", [d.id for d in municipality.departments]),
        ("services", service_ids),
        ("facilities", [f.id for f in municipality.facilities]),
    ):
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise root.error(label, f"duplicate id {duplicates[0]!r}")
    for index, service in enumerate(municipality.services):
        for ref in service.departments:
            if ref not in department_ids:
                raise root.error(
                    f"services[{index}]({service.id}).departments", f"unknown department {ref!r}"
                )
    _check_certificate_references(root, municipality, department_ids, set(service_ids))
    if municipality.requests and municipality.requests.department not in department_ids:
        raise root.error(
            "requests.department", f"unknown department {municipality.requests.department!r}"
        )
    for index, facility in enumerate(municipality.facilities):
        if facility.service not in service_ids:
            raise root.error(
                f"facilities[{index}]({facility.id}).service",
                f"unknown service {facility.service!r}",
            )


def _check_certificate_references(
    root: Table, municipality: Municipality, department_ids: set[str], service_ids: set[str]
) -> None:
    certificates = municipality.certificates
    if certificates is not None:
        if certificates.department not in department_ids:
            raise root.error(
                "certificates.department", f"unknown department {certificates.department!r}"
            )
        emergency_ids = {e.id for e in municipality.emergencies}
        for index, rule in enumerate(certificates.rules):
            unknown = [e for e in rule.emergencies if e not in emergency_ids]
            if unknown:
                raise root.error(
                    f"certificates.rules[{index}]({rule.id}).emergencies",
                    f"unknown emergency {unknown[0]!r}",
                )
    for index, health in enumerate(municipality.health_rules):
        unknown = [s for s in health.services if s not in service_ids]
        if unknown:
            raise root.error(f"health_rules[{index}].services", f"unknown service {unknown[0]!r}")


def _requests(root: Table) -> Requests | None:
    table = root.table("requests")
    if table is None:
        return None
    minutes = table.integers("escalate_after_minutes", minimum=1, single=True)
    requests = Requests(
        department=table.identifier("department"),
        queue=table.identifier("queue") if "queue" in table else "isolation",
        escalate_after_minutes=minutes[0] if minutes else 60,
    )
    table.finish()
    return requests


def _sms_russian(root: Table) -> str:
    value = root.optional_string("sms_russian") or "transliterate"
    if value not in ("transliterate", "ucs2"):
        raise root.error("sms_russian", f"{value!r} is not transliterate or ucs2")
    return value
