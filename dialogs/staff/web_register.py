"""The certificate register's import on the desk, for supervisors: a CSV file is checked
first (every bad line named, nothing changed) and shown as the difference it would make (new,
updated with each field's old and new value, unchanged); applying it is a second step that
refuses if the register changed since the check. The same rules as
`python -m bot certificates import`."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

from dialogs.staff import access
from dialogs.staff.web_desk import Result
from storage import certificates, staff
from storage.certificate_csv import Change, RowError, changes, parse_register
from storage.certificates import StatusCertificate
from storage.content import Content, Municipality
from storage.rows import Conn
from storage.staff import Member

MAX_FILE = 5_000_000  # characters: a register of some 50,000 certificates


@dataclass(frozen=True)
class Check:
    """What importing a file would do to a municipality's register."""

    municipality: Municipality
    errors: list[RowError]
    changes: list[Change]
    before: dict[str, StatusCertificate] = field(default_factory=dict)
    after: dict[str, StatusCertificate] = field(default_factory=dict)
    digest: str = ""  # of the file and the register as checked
    applied: bool = False


class WebRegister:
    """The register import for signed-in supervisors."""

    def __init__(self, content: Content) -> None:
        self._content = content

    def municipalities(self, members: list[Member]) -> list[Municipality]:
        """The municipalities with a register this member may import into (as a supervisor)."""
        return [m for m in access.supervised(self._content, members) if m.certificates is not None]

    async def check(
        self, conn: Conn, members: list[Member], municipality_id: str, text: str, now: datetime
    ) -> Check | Result:
        """The file's errors, or the difference it would make; nothing is changed."""
        municipality = next(
            (m for m in self.municipalities(members) if m.id == municipality_id), None
        )
        if municipality is None:
            actor = members[0].user_id if members else "?"
            await staff.audit(conn, actor, "desk register", None, "refused", now)
            return Result.REFUSED
        if not text.strip():
            return Result.EMPTY
        if len(text) > MAX_FILE:
            return Result.TOO_LONG
        rows, errors = parse_register(text, municipality)
        if errors:
            return Check(municipality, errors, [])
        existing = await certificates.all_of(conn, municipality.id)
        plan = changes(existing, rows)
        before = {c.number: c for c in existing}
        digest = hashlib.sha256(f"{text}\n{sorted(map(repr, existing))}".encode()).hexdigest()
        return Check(municipality, [], plan, before, {c.number: c for c in rows}, digest)

    async def apply(
        self,
        conn: Conn,
        members: list[Member],
        municipality_id: str,
        text: str,
        digest: str,
        now: datetime,
    ) -> Check | Result:
        """Import the file checked before, unless it or the register changed since."""
        checked = await self.check(conn, members, municipality_id, text, now)
        if isinstance(checked, Result) or checked.errors:
            return checked
        if checked.digest != digest:
            return Result.STALE
        await certificates.upsert(conn, checked.municipality.id, checked.after.values(), now)
        counts = {a: sum(c.action == a for c in checked.changes) for a in ("new", "updated")}
        what = f"desk register import {counts['new']} new {counts['updated']} updated"
        await staff.audit(conn, members[0].user_id, what, None, "ok", now)
        return Check(
            checked.municipality,
            [],
            checked.changes,
            checked.before,
            checked.after,
            checked.digest,
            applied=True,
        )
