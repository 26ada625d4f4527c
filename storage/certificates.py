"""The certificates table: each municipality's register of status certificates."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from storage.rows import Conn, fetch_all


@dataclass(frozen=True)
class StatusCertificate:
    """A needy / low-income certificate or a declaration, as the register holds it."""

    number: str
    kind: str
    holder_phone: str
    issued_on: date
    expires_on: date
    extension_months: int | None = None  # chosen by staff where a rule lets them


COLUMNS = "number, kind, holder_phone, issued_on, expires_on, extension_months"


def _certificate(row: sqlite3.Row | tuple[object, ...]) -> StatusCertificate:
    number, kind, phone, issued, expires, months = tuple(row)
    return StatusCertificate(
        number=str(number),
        kind=str(kind),
        holder_phone=str(phone),
        issued_on=date.fromisoformat(str(issued)),
        expires_on=date.fromisoformat(str(expires)),
        extension_months=int(str(months)) if months is not None else None,
    )


async def for_holder(conn: Conn, municipality_id: str, phone: str) -> list[StatusCertificate]:
    """The certificates whose holder has this (verified) phone, newest expiry first."""
    return [
        _certificate(row)
        for row in await fetch_all(
            conn,
            f"SELECT {COLUMNS} FROM certificates WHERE municipality_id = ? AND holder_phone = ?"
            " ORDER BY expires_on DESC, number",
            (municipality_id, phone),
        )
    ]


async def all_of(conn: Conn, municipality_id: str) -> list[StatusCertificate]:
    """The whole register of a municipality, by number."""
    return [
        _certificate(row)
        for row in await fetch_all(
            conn,
            f"SELECT {COLUMNS} FROM certificates WHERE municipality_id = ? ORDER BY number",
            (municipality_id,),
        )
    ]


async def upsert(
    conn: Conn,
    municipality_id: str,
    certificates: Iterable[StatusCertificate],
    now: datetime,
) -> None:
    """Insert new certificates and update those whose number is known."""
    await conn.executemany(
        "INSERT INTO certificates (municipality_id, number, kind, holder_phone, issued_on,"
        " expires_on, extension_months, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (municipality_id, number) DO UPDATE SET kind = excluded.kind,"
        " holder_phone = excluded.holder_phone, issued_on = excluded.issued_on,"
        " expires_on = excluded.expires_on, extension_months = excluded.extension_months,"
        " updated_at = excluded.updated_at",
        [
            (
                municipality_id,
                c.number,
                c.kind,
                c.holder_phone,
                c.issued_on.isoformat(),
                c.expires_on.isoformat(),
                c.extension_months,
                now.isoformat(),
            )
            for c in certificates
        ],
    )
