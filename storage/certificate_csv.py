"""Reading and writing the certificate register as CSV, checking every row."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import TextIO

from storage.certificates import StatusCertificate
from storage.content import Municipality
from storage.phones import e164

REQUIRED = ("number", "kind", "holder_phone", "issued_on", "expires_on")
OPTIONAL = ("extension_months",)


@dataclass(frozen=True)
class RowError:
    """Why one line of the file was refused."""

    line: int
    message: str

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
        return [], [RowError(1, "the file is empty; the first line must name the columns")]
    delimiter = ";" if lines[0].count(";") > lines[0].count(",") else ","
    reader = csv.DictReader(io.StringIO("\n".join(lines)), delimiter=delimiter)
    header = [name.strip() for name in reader.fieldnames or ()]
    missing = [name for name in REQUIRED if name not in header]
    unknown = [name for name in header if name not in REQUIRED + OPTIONAL]
    if missing or unknown:
        problem = f"missing columns {missing}" if missing else f"unknown columns {unknown}"
        return [], [RowError(1, f"{problem}; expected {', '.join(REQUIRED + OPTIONAL)}")]
    certificates, errors, seen = [], [], set()
    for line, row in enumerate(reader, start=2):
        values = {key.strip(): _unquoted(value or "") for key, value in row.items() if key}
        if not any(values.values()):
            continue  # blank lines are allowed
        try:
            certificate = _certificate(values, municipality)
        except ValueError as error:
            errors.append(RowError(line, str(error)))
            continue
        if certificate.number in seen:
            errors.append(RowError(line, f"number {certificate.number!r} appears twice"))
            continue
        seen.add(certificate.number)
        certificates.append(certificate)
    return certificates, errors


def _certificate(values: dict[str, str], municipality: Municipality) -> StatusCertificate:
    register = municipality.certificates
    assert register is not None, "the caller checks that the municipality has a register"
    number = values["number"]
    if not number:
        raise ValueError("number is empty")
    kind = values["kind"]
    if kind not in register.kind_ids():
        raise ValueError(f"kind {kind!r} is not one of {', '.join(register.kind_ids())}")
    issued, expires = _day(values, "issued_on"), _day(values, "expires_on")
    if expires < issued:
        raise ValueError(f"expires_on {expires} is before issued_on {issued}")
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
            raise ValueError(f"extension_months {months_text!r} is not allowed ({options})")
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
    raise ValueError(f"{key} {text!r} is not a date like 2022-02-28 or 28.02.2022")


def _phone(text: str, region: str) -> str:
    number = e164(text, region)
    if number is None:
        raise ValueError(f"holder_phone {text!r} is not a valid phone number")
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
