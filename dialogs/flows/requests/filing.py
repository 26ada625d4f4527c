"""Filing a request: the staff card (and the voice note) to the queue's groups, and what the
resident is told comes next."""

from __future__ import annotations

from dialogs.core.actions import RequestAction
from dialogs.core.state import RequestDraft
from dialogs.core.steps import Dialog
from dialogs.core.turn import Turn
from dialogs.flows.requests.changes import pass_voice
from dialogs.flows.requests.mine import enough_open
from dialogs.rules.opening import next_opening
from dialogs.staff.cards import card_choices, card_text, notify_groups
from dialogs.types import Choice, Reply
from storage import requests


async def send(turn: Turn, _: str) -> Reply:
    """File the request, put its card (and its voice note) in the staff groups, tell the
    resident what comes next and whom to call if it cannot wait."""
    municipality, t = turn.require_municipality(), turn.t
    draft = turn.state(RequestDraft)
    settings = municipality.requests
    if settings is None or not draft.needs or not draft.phone:  # an old Send pressed again
        turn.go(Dialog.MENU)
        text = t._("This request was already sent or left; nothing more was sent now.")
        return turn.reply(text, [Choice(t._("My requests"), RequestAction.MINE)])
    if (enough := await enough_open(turn)) is not None:  # filed meanwhile, elsewhere
        return enough
    location = (draft.location[0], draft.location[1]) if draft.location else None
    new = requests.NewRequest(
        municipality.id,
        settings.queue,
        turn.resident_id,
        turn.conversation.channel,
        turn.conversation.address,
        turn.language,
        tuple(draft.needs),
        draft.details,
        draft.home,
        draft.phone,
        draft.urgency or "soon",
        draft.voice,
        location,
    )
    number = await requests.file(turn.connection, new, turn.now)
    request = await requests.get(turn.connection, number)
    assert request is not None
    staff_t = turn.catalogs.get(municipality.default_language)
    card = card_text(staff_t, request)
    choices = card_choices(staff_t, request)
    await notify_groups(turn.connection, request, card, "card", turn.now, choices)
    await pass_voice(turn.connection, turn.content, turn.catalogs, request, turn.now)
    turn.drop(RequestDraft)
    turn.go(Dialog.MENU)
    lines = [
        t.fill("Your request No. %(number)d is sent.", number=number),
        t._(
            "A staff member will contact you. "
            "I will tell you when someone takes it and when it is done."
        ),
    ]
    hours = settings.office_hours
    opens = next_opening(hours, municipality.country, turn.now) if hours else None
    department = municipality.department(settings.department)
    if opens is not None:  # the office's own phone rings in an empty office
        lines.append(
            t.fill(
                "The office is closed now: staff will see your request from %(when)s.",
                when=t.moment(opens),
            )
        )
        lines.append(t._("In an emergency, call 112."))
    elif department is not None and department.phones:
        phones = ", ".join(phone.national() for phone in department.phones)
        lines.append(t.fill("If it cannot wait, call %(phones)s.", phones=phones))
    return turn.reply("\n".join(lines), [Choice(t._("My requests"), RequestAction.MINE)])
