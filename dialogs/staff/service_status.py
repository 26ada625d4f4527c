"""`/service`: a supervisor sets a service's status and dates, which residents see at once.
The service is named by its number in the list the command shows, or by its name; the status
in words of the staff member's language (or its code); the answer repeats it all in words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from dialogs.core.i18n import Translator
from dialogs.flows.services import STATUS_LABELS
from dialogs.staff.words import phrase_at
from dialogs.understanding.dates import parse_day
from dialogs.understanding.text import fold, match_label
from storage import service_overrides, staff
from storage.content import STATUSES, Content, Municipality, Service, Status
from storage.rows import Conn
from storage.staff import Member


@dataclass(frozen=True)
class Listed:
    """A service as numbered in the list, with the member who may set it."""

    member: Member
    municipality: Municipality
    service: Service


async def set_service(
    conn: Conn,
    t: Translator,
    content: Content,
    members: list[Member],
    words: tuple[str, ...],
    now: datetime,
) -> str:
    """`/service SERVICE STATUS FROM [UNTIL] [note]`; without words, the list and the usage."""
    listed = _listed(content, members)
    if not words:
        return _with_list(t, listed)
    forms = {s: (s, t._(STATUS_LABELS[s])) for s in STATUSES}
    hit = next(((i, h) for i in range(1, len(words)) if (h := phrase_at(words, i, forms))), None)
    if hit is None:
        labels = ", ".join(t._(STATUS_LABELS[s]) for s in STATUSES)
        return _with_list(t, listed, t.fill("Write the status: %(statuses)s.", statuses=labels))
    at, (status, size) = hit
    chosen = _find(t, listed, " ".join(words[:at]))
    if chosen is None:
        text = t.fill("There is no service “%(text)s” in the list.", text=" ".join(words[:at]))
        return _with_list(t, listed, text)
    rest = words[at + size :]
    today = now.date()
    start = parse_day(rest[0], today) if rest else None
    end = parse_day(rest[1], today) if len(rest) > 1 else None
    if start is None:
        text = t._("Write the first day as a date, for example 2020-03-20 or 20.03.2020.")
        return _with_list(t, listed, text)
    if end is not None and end < start:
        return _with_list(t, listed, t._("The last day comes before the first."))
    note = " ".join(rest[2:] if end else rest[1:]) or None
    member, service = chosen.member, chosen.service
    notes = {"en": note} if note else None  # one text, read in every language
    override = service_overrides.Override(service.id, status, start, end, notes)
    await service_overrides.add(conn, member.municipality_id, override, member.user_id, now)
    await staff.audit(conn, member.user_id, f"service {service.id} {status}", None, "ok", now)
    return _saved(t, chosen, status, start, end, note)


def _listed(content: Content, members: list[Member]) -> list[Listed]:
    """The services the members may set, numbered from 1 in this order."""
    return [
        Listed(member, municipality, service)
        for member in members
        if (municipality := content.municipality(member.municipality_id))
        for service in municipality.services
    ]


def _find(t: Translator, listed: list[Listed], text: str) -> Listed | None:
    """The service by its number, its code or its name in any language (small typos forgiven)."""
    folded = fold(text)
    for item in listed:
        names = (item.service.id, *item.service.name.values.values())
        if folded and folded in {fold(name) for name in names}:
            return item
    index = match_label(text, [item.service.name.get(t.lang) for item in listed])
    return listed[index] if index is not None else None


def _saved(
    t: Translator, chosen: Listed, status: Status, start: date, end: date | None, note: str | None
) -> str:
    """The change in words: "Vievio vaikų dienos centras: veikia nuo ... iki ..."."""
    values = {
        "service": chosen.service.name.get(t.lang),
        "status": t._(STATUS_LABELS[status]),
        "start": t.date(start),
    }
    if end is None:
        lines = [t.fill("%(service)s: %(status)s from %(start)s until further notice.", **values)]
    else:
        values["end"] = t.date(end)
        lines = [t.fill("%(service)s: %(status)s from %(start)s until %(end)s.", **values)]
    if note:
        lines.append(t.fill("Note for residents: %(note)s", note=note))
    lines.append(t._("Residents see it at once."))
    return "\n".join(lines)


def _with_list(t: Translator, listed: list[Listed], problem: str | None = None) -> str:
    """What went wrong (if anything), how to write the command, and the numbered services."""
    usage = t.fill(
        "Write: /service SERVICE STATUS FROM [UNTIL] [note], the service by its number or "
        "name, for example: /service 2 %(status)s 2020-03-13 2020-03-27",
        status=t._(STATUS_LABELS["suspended"]),
    )
    lines = [problem, usage] if problem else [usage]
    municipalities = {item.municipality.id for item in listed}
    heading = None
    for number, item in enumerate(listed, start=1):
        if len(municipalities) > 1 and item.municipality.name.get(t.lang) != heading:
            heading = item.municipality.name.get(t.lang)
            lines.append(f"{heading}:")
        lines.append(f"{number}. {item.service.name.get(t.lang)}")
    return "\n".join(lines)
