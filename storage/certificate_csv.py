"""Reading and writing the certificate register as CSV, checking every row."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import TextIO

from storage.certificates import StatusCertificate
from storage.content import Municipality
from storage.phones import e164

REQUIRED = ("number", "kind", "holder_phone", "issued_on", "expires_on")
OPTIONAL = ("extension_months",)


def N_(text: str) -> str:  # noqa: N802 - the catalog's marker: extracted, translated where shown
    """Mark an English template for the catalogs (the desk shows it translated)."""
    return text


class InvalidRowError(ValueError):
    """What is wrong with a row: an English template and its values."""

    def __init__(self, template: str, **values: object) -> None:
        super().__init__(template % values)
        self.template = template
        self.values = values


@dataclass(frozen=True)
class RowError:
    """Why one line of the file was refused: a template (for the catalogs) and its values."""

    line: int
    template: str
    values: dict[str, object] = field(default_factory=dict)

    @property
    def message(self) -> str:
        """The reason in English (the CLI's)."""
        return self.template % self.values

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass(frozen=True)
class Change:
    """What importing one row does to the register."""

    number: str
    action: str  # "new", "updated" or "unchanged"
    changed: tuple[str, ...] = ()


def parse_register(
    text: str, municipality: Municipality
) -> tuple[list[StatusCertificate], list[RowError]]:
    """Read a CSV register (comma or semicolon separated); return the rows and every error."""
    lines = text.lstrip("\ufeff").splitlines()
    if not lines:
        empty = N_("the file is empty; the first line must name the columns")
        return [], [RowError(1, empty)]
    delimiter = ";" if lines[0].count(";") > lines[0].count(",") else ","
    reader = csv.DictReader(io.StringIO("\n".join(lines)), delimiter=delimiter)
    header = [name.strip() for name in reader.fieldnames or ()]
    missing = [name for name in REQUIRED if name not in header]
    unknown = [name for name in header if name not in REQUIRED + OPTIONAL]
    if missing or unknown:
        expected = ", ".join(REQUIRED + OPTIONAL)
        if missing:
            template = N_("missing columns: %(columns)s; expected %(expected)s")
        else:
            template = N_("unknown columns: %(columns)s; expected %(expected)s")
        columns = ", ".join(missing or unknown)
        return [], [RowError(1, template, {"columns": columns, "expected": expected})]
    certificates, errors, seen = [], [], set()
    for line, row in enumerate(reader, start=2):
        values = {key.strip(): _unquoted(value or "") for key, value in row.items() if key}
        if not any(values.values()):
            continue  # blank lines are allowed
        try:
            certificate = _certificate(values, municipality)
        except InvalidRowError as problem:
            errors.append(RowError(line, problem.template, problem.values))
            continue
        if certificate.number in seen:
            twice = N_("number '%(number)s' appears twice")
            errors.append(RowError(line, twice, {"number": certificate.number}))
            continue
        seen.add(certificate.number)
        certificates.append(certificate)
    return certificates, errors


def _certificate(values: dict[str, str], municipality: Municipality) -> StatusCertificate:
    register = municipality.certificates
    assert register is not None, "the caller checks that the municipality has a register"
    number = values["number"]
    if not number:
        raise InvalidRowError(N_("number is empty"))
    kind = values["kind"]
    if kind not in register.kind_ids():
        kinds = ", ".join(register.kind_ids())
        raise InvalidRowError(N_("kind '%(kind)s' is not one of %(kinds)s"), kind=kind, kinds=kinds)
    issued, expires = _day(values, "issued_on"), _day(values, "expires_on")
    if expires < issued:
        raise InvalidRowError(
            N_("expires_on %(expires)s is before issued_on %(issued)s"),
            expires=expires,
            issued=issued,
        )
    months_text = values.get("extension_months", "")
    months = None
    if months_text:
        allowed = {
            m
            for r in register.rules
            if r.mode == "staff_months" and kind in r.kinds
            for m in r.months
        }
        if not months_text.isdigit() or int(months_text) not in allowed:
            options = ", ".join(map(str, sorted(allowed))) or "none for this kind"
            raise InvalidRowError(
                N_("extension_months '%(months)s' is not allowed (%(options)s)"),
                months=months_text,
                options=options,
            )
        months = int(months_text)
    return StatusCertificate(
        number, kind, _phone(values["holder_phone"], municipality.country), issued, expires, months
    )


def _day(values: dict[str, str], key: str) -> date:
    text = values[key]
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise InvalidRowError(
        N_("%(column)s '%(text)s' is not a date like 2022-02-28 or 28.02.2022"),
        column=key,
        text=text,
    )


def _phone(text: str, region: str) -> str:
    number = e164(text, region)
    if number is None:
        raise InvalidRowError(N_("holder_phone '%(text)s' is not a valid phone number"), text=text)
    return number


def changes(
    existing: Iterable[StatusCertificate], incoming: Iterable[StatusCertificate]
) -> list[Change]:
    """Compare a file with the register: what is new, updated (which fields) or unchanged."""
    known = {c.number: c for c in existing}
    result = []
    for certificate in incoming:
        old = known.get(certificate.number)
        if old is None:
            result.append(Change(certificate.number, "new"))
            continue
        changed = tuple(
            f.name
            for f in fields(certificate)
            if getattr(old, f.name) != getattr(certificate, f.name)
        )
        result.append(Change(certificate.number, "updated" if changed else "unchanged", changed))
    return result


def write_register(certificates: Iterable[StatusCertificate], stream: TextIO) -> None:
    """Write the register in the format `parse_register` reads. A cell a spreadsheet would run
    as a formula (starting with = + - @, a tab or a carriage return; "+370..." too) gets a
    leading apostrophe, which spreadsheets show as text and `parse_register` takes off."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(REQUIRED + OPTIONAL)
    for c in certificates:
        writer.writerow(
            [
                _neutral(cell)
                for cell in (
                    c.number,
                    c.kind,
                    c.holder_phone,
                    c.issued_on.isoformat(),
                    c.expires_on.isoformat(),
                    "" if c.extension_months is None else str(c.extension_months),
                )
            ]
        )


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _neutral(cell: str) -> str:
    return f"'{cell}" if cell.startswith(FORMULA_STARTS) else cell


def _unquoted(cell: str) -> str:
    """A cell as read: trimmed, and without the apostrophe `write_register` put before it."""
    cell = cell.strip()
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS) else cell
