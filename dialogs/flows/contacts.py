"""Contacts: departments with phones and e-mails, hotlines, and search by topic."""

from __future__ import annotations

from dialogs.core.actions import ContactsAction
from dialogs.core.steps import Dialog, Step
from dialogs.core.turn import Handler, Turn, Understander
from dialogs.flows.contact_lines import department_lines
from dialogs.flows.services import status_summary
from dialogs.rules.availability import availability
from dialogs.types import Choice, Reply
from dialogs.understanding.search import find, which_one
from storage.content import Department, Municipality


async def show_contacts(turn: Turn, _: str) -> Reply:
    """List the departments to choose from, with the hotlines."""
    municipality = turn.require_municipality()
    t = turn.t
    turn.go(Dialog.CONTACTS, Step.SEARCH)
    lines = [
        t._('Whom do you need? Choose a contact or write what you need, for example "home help".')
    ]
    for hotline in municipality.hotlines:
        hours = f" ({turn.text(hotline.hours)})" if hotline.hours else ""
        lines.append(f"{turn.text(hotline.name)}{hours}: {hotline.phone.national()}")
    if municipality.contacts_note:
        lines.append(turn.text(municipality.contacts_note))
    choices = [
        Choice(turn.text(d.name), f"{ContactsAction.DEPARTMENT}:{d.id}")
        for d in municipality.departments
    ]
    return turn.reply("\n\n".join(lines), choices)


async def show_department(turn: Turn, department_id: str) -> Reply:
    """One department's phones and e-mails, and how its services stand today."""
    municipality = turn.require_municipality()
    department = municipality.department(department_id)
    if department is None:
        return await show_contacts(turn, "")
    turn.go(Dialog.CONTACTS, Step.SEARCH, back=ContactsAction.CONTACTS)
    lines = department_lines(turn, municipality, department.id)
    lines += _service_lines(turn, municipality, department)
    choices = [Choice(turn.t._("Other contacts"), ContactsAction.CONTACTS)]
    return turn.reply("\n".join(lines), choices)


def _service_lines(turn: Turn, municipality: Municipality, department: Department) -> list[str]:
    services = [s for s in municipality.services if department.id in s.departments]
    if not services:
        return []
    lines = [turn.t._("Services today:")]
    for service in services:
        summary = status_summary(turn, availability(service, turn.today))
        lines.append(f"• {turn.text(service.name)}: {summary}")
    return lines


async def understand(turn: Turn, text: str) -> Reply | None:
    """Find the department for what the resident wrote ("who do I call about home help?")."""
    found = find(turn, text, services=False)
    if len(found) == 1:
        return await show_department(turn, found[0].action.partition(":")[2])
    return which_one(turn, found) if found else None


ACTIONS: dict[str, Handler] = {
    ContactsAction.CONTACTS: show_contacts,
    ContactsAction.DEPARTMENT: show_department,
}
UNDERSTANDS: dict[str, Understander] = {Dialog.CONTACTS: understand}
