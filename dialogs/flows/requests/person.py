"""Reaching a person where no staff take requests through the assistant: the phone the notice
gives, or plainly that it gives only an e-mail (or nothing)."""

from __future__ import annotations

from dialogs.core.actions import ContactsAction
from dialogs.core.turn import Turn
from dialogs.flows.contact_lines import department_lines
from dialogs.types import Choice, Reply
from storage.content import Municipality


def reach_lines(turn: Turn, municipality: Municipality) -> list[str]:
    """The first contact with a phone (else with an e-mail) as the notice gives it."""
    departments = municipality.departments
    chosen = next((d for d in departments if d.phones), None)
    chosen = chosen or next((d for d in departments if d.emails), None)
    chosen = chosen or (departments[0] if departments else None)
    emergency = turn.t._("In an emergency call 112.")  # where no phone is given, at least this
    if chosen is None:
        note = [turn.text(municipality.contacts_note)] if municipality.contacts_note else []
        return [*note, emergency]
    lines = department_lines(turn, municipality, chosen.id)
    if not chosen.phones and chosen.emails:
        lines.append(turn.t._("The notice gives no phone number, only this e-mail."))
    return lines if chosen.phones else [*lines, emergency]


def talk_to_person(turn: Turn, municipality: Municipality) -> Reply:
    """ "Talk to a person" where staff do not call back through the assistant."""
    lead = turn.t._("Staff do not call back through this assistant here. To talk to a person:")
    return _with_contacts(turn, [lead, *reach_lines(turn, municipality)])


def no_requests(turn: Turn, municipality: Municipality) -> Reply:
    """A request for help at home where the assistant passes none to staff."""
    lead = turn.t._("Requests for help at home are not taken through this assistant here.")
    return _with_contacts(turn, [lead, *reach_lines(turn, municipality)])


def _with_contacts(turn: Turn, lines: list[str]) -> Reply:
    return turn.reply("\n".join(lines), [Choice(turn.t._("Contacts"), ContactsAction.CONTACTS)])
