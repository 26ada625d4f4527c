"""Load and validate `content/*.toml`: one file per municipality plus `catalogue.toml`."""

from __future__ import annotations

import tomllib
from pathlib import Path

from storage.content.fields import ContentError, Table
from storage.content.models import Content, Municipality, ServiceKind
from storage.content.readers import (
    CATALOGUE,
    MunicipalityReader,
    optional_text,
    read_requests,
    read_sms_russian,
    text,
    words,
)

__all__ = ["ContentError", "load_content"]

SUPPORTED_LANGUAGES = ("lt", "lv", "ru", "en")
COUNTRIES = ("LT", "LV")


def load_content(directory: Path) -> Content:
    """Read every content file in `directory`; raise ContentError on the first problem."""
    try:
        return _load(directory)
    except PermissionError as error:  # a folder the service's user may not read
        raise ContentError(f"{directory}: cannot read the content ({error.strerror})") from None


def _load(directory: Path) -> Content:
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
        name=text(table, "name", languages),
        words=words(table, "words", languages),
    )


def _read_municipality(file: Path, kinds: dict[str, ServiceKind]) -> Municipality:
    root = _parse(file)
    municipality_id = root.identifier()
    if municipality_id != file.stem:
        raise root.error("id", f"{municipality_id!r} must match the file name {file.stem!r}")
    country = root.one_of("country", COUNTRIES)
    languages = root.strings("languages", required=True)
    for index, lang in enumerate(languages):
        if lang not in SUPPORTED_LANGUAGES:
            raise root.error(f"languages[{index}]", f"{lang!r} is not one of {SUPPORTED_LANGUAGES}")
    default_language = root.string("default_language")
    if default_language not in languages:
        raise root.error("default_language", f"{default_language!r} is not in languages")
    reader = MunicipalityReader(country, languages, kinds)
    departments = root.each("departments", reader.department)
    services = root.each("services", reader.service)
    facilities = root.each("facilities", reader.facility)
    municipality = Municipality(
        id=municipality_id,
        country=country,
        languages=languages,
        default_language=default_language,
        place=text(root, "place", languages),
        name=text(root, "name", languages),
        source=root.string("source"),
        website=root.optional_string("website"),
        contacts_note=optional_text(root, "contacts_note", languages),
        departments=departments,
        services=services,
        facilities=facilities,
        emergencies=root.each("emergencies", reader.emergency),
        hotlines=root.each("hotlines", reader.hotline),
        certificates=reader.certificates(root),
        health_rules=root.each("health_rules", reader.health_rule),
        requests=read_requests(root),
        sms_russian=read_sms_russian(root),
    )
    root.finish()
    _check_references(root, municipality)
    return municipality


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
