"""A department's name, phones and e-mails as lines of a reply."""

from __future__ import annotations

from dialogs.core.turn import Turn
from storage.content import Municipality


def department_lines(turn: Turn, municipality: Municipality, department_id: str) -> list[str]:
    """Name, phones, e-mails; where the notice gives none, say so and where to look."""
    department = municipality.department(department_id)
    if department is None:
        return []
    t = turn.t
    lines = [turn.text(department.name)]
    if department.phones:
        numbers = ", ".join(phone.national() for phone in department.phones)
        lines.append(
            t.n_("Phone: %(numbers)s", "Phones: %(numbers)s", len(department.phones))
            % {"numbers": numbers}
        )
    if department.emails:
        lines.append(t.fill("E-mail: %(emails)s", emails=", ".join(department.emails)))
    if not department.phones and not department.emails:
        # The municipality's note says where to look; without one, say the notice is silent.
        if municipality.contacts_note:
            lines.append(turn.text(municipality.contacts_note))
        else:
            lines.append(t._("The notice we have gives no phone or e-mail for this contact."))
    return lines
