"""A resident's own requests: where each stands, withdrawing one, and how many may be open."""

from __future__ import annotations

from dialogs.core.actions import RequestAction
from dialogs.core.i18n import N_
from dialogs.core.state import RequestDraft
from dialogs.core.steps import Dialog
from dialogs.core.turn import Handler, Turn
from dialogs.flows.requests.changes import withdraw_request
from dialogs.staff.cards import NEED_LABELS
from dialogs.types import Choice, Reply
from dialogs.understanding.text import parse_id
from storage import requests

STATUS = {
    "open": N_("waiting for a staff member"),
    "taken": N_("a staff member is handling it"),
    "done": N_("done"),
    "unreachable": N_("staff could not reach you"),
    "withdrawn": N_("withdrawn"),
}


MAX_OPEN_REQUESTS = 3


async def show_mine(turn: Turn, _: str) -> Reply:
    """The resident's requests and where they stand; open ones can be withdrawn."""
    t = turn.t
    mine = await requests.of_resident(turn.connection, turn.resident_id)
    if not mine:
        return turn.reply(t._("You have no requests."))
    lines, choices = [], []
    for request in mine:
        lines.append(
            t.fill(
                "No. %(number)d: %(status)s",
                number=request.id,
                status=t._(STATUS.get(request.status, request.status)),
            )
        )
        if request.status in requests.OPEN_STATUSES:
            choices.append(
                Choice(
                    t.fill("Withdraw No. %(number)d", number=request.id),
                    f"{RequestAction.WITHDRAW}:{request.id}",
                )
            )
    return turn.reply("\n".join(lines), choices)


async def withdraw(turn: Turn, number: str) -> Reply:
    """Ask before withdrawing one's own open request: staff will not come."""
    t = turn.t
    request = await _own_open(turn, number)
    if request is None:
        return await show_mine(turn, "")
    needs = ", ".join(t._(NEED_LABELS.get(need, need)) for need in request.needs)
    text = t.fill(
        "Withdraw request No. %(number)d (%(needs)s)? Staff will not come or call about it.",
        number=request.id,
        needs=needs,
    )
    choices = [
        Choice(t._("Withdraw it"), f"{RequestAction.WITHDRAW_CONFIRMED}:{request.id}"),
        Choice(t._("Keep it"), RequestAction.KEEP),
    ]
    return turn.reply(text, choices)


async def withdraw_confirmed(turn: Turn, number: str) -> Reply:
    """Withdraw one's own open request; staff groups are told."""
    request = await _own_open(turn, number)
    if request is None or not await withdraw_request(
        turn.connection, turn.content, turn.catalogs, request, turn.now
    ):
        return await show_mine(turn, "")
    return turn.reply(turn.t.fill("Request No. %(number)d is withdrawn.", number=request.id))


async def _own_open(turn: Turn, number: str) -> requests.Request | None:
    request_id = parse_id(number)
    request = await requests.get(turn.connection, request_id) if request_id is not None else None
    if request is None or request.resident_id != turn.resident_id:
        return None
    return request if request.status in requests.OPEN_STATUSES else None


async def enough_open(turn: Turn) -> Reply | None:
    """A resident has at most MAX_OPEN_REQUESTS open at once (a mistake or a prank cannot
    fill the staff queue); the next is refused kindly, with the way to the open ones."""
    if len(await requests.open_of(turn.connection, turn.resident_id)) < MAX_OPEN_REQUESTS:
        return None
    turn.drop(RequestDraft)
    turn.go(Dialog.MENU)
    t = turn.t
    text = t.n_(
        "You already have %(num)d open request. A staff member will contact you; "
        "you can see it under My requests.",
        "You already have %(num)d open requests. Staff will contact you; "
        "you can see them under My requests.",
        MAX_OPEN_REQUESTS,
    ) % {"num": MAX_OPEN_REQUESTS}
    return turn.reply(text, [Choice(t._("My requests"), RequestAction.MINE)])


ACTIONS: dict[str, Handler] = {
    RequestAction.MINE: show_mine,
    RequestAction.KEEP: show_mine,
    RequestAction.WITHDRAW: withdraw,
    RequestAction.WITHDRAW_CONFIRMED: withdraw_confirmed,
}
