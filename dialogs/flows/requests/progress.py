"""A started request is never lost unnoticed: leaving it is told once, with the way back; a
voice note or a location sent while it is under way goes with it to staff."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from dialogs.core.actions import RequestAction
from dialogs.core.state import RequestDraft
from dialogs.core.steps import Dialog, Step
from dialogs.core.turn import Handler, Turn
from dialogs.flows.requests import dialog
from dialogs.flows.requests.person import reach_lines
from dialogs.types import Choice, Reply

PROMPTS: dict[str, Callable[[Turn], Reply]] = {
    Step.ADDRESS: dialog.ask_address,
    Step.FLAT: dialog.ask_flat,
    Step.KEEP: dialog.ask_keep,
    Step.PHONE: dialog.ask_phone,
    Step.URGENCY: dialog.ask_urgency,
    Step.CONFIRM: dialog.summary,
}


def unsent_notice(turn: Turn, reply: Reply) -> Reply:
    """The reply, saying once that the request the resident just left is not sent (after
    another topic, "no", or a long pause), with a choice to go back to it."""
    draft = turn.state(RequestDraft)
    if (
        turn.forgotten
        or not draft.needs
        or draft.left
        or turn.conversation.dialog == Dialog.REQUEST
    ):
        return reply
    draft.left = True
    t = turn.t
    note = t._("The request you started is not sent yet.")
    back = Choice(t._("Continue my request"), RequestAction.RESUME)
    return replace(reply, text=f"{reply.text}\n\n{note}", choices=(back, *reply.choices))


async def resume(turn: Turn, _: str) -> Reply:
    """Back to the step the request was left at."""
    draft = turn.state(RequestDraft)
    if not draft.needs:
        return await dialog.start(turn, "")
    if draft.at == Step.DETAILS:
        return await dialog.ask_details(turn, "")
    return PROMPTS.get(draft.at, dialog.needs_reply)(turn)


def receive_voice(turn: Turn, file_id: str) -> Reply | str:
    """A voice note: the assistant cannot listen, staff can. Under way, it goes with the
    request (the answer is a lead, said with the step's choices again); elsewhere, a call-back
    that carries it is offered."""
    municipality = turn.require_municipality()
    t = turn.t
    if municipality.requests is None:
        lead = t._(
            "Thank you for your voice message. I cannot listen to it, and staff do not call "
            "back through this assistant here. To talk to a person:"
        )
        return turn.reply("\n".join([lead, *reach_lines(turn, municipality)]))
    draft = turn.state(RequestDraft)
    draft.voice = file_id
    if turn.conversation.dialog == Dialog.REQUEST and draft.needs:
        return t._(
            "Thank you. I cannot listen to voice messages, but staff will get this one with "
            "your request."
        )
    text = t._(
        "Thank you for your voice message. I cannot listen to it, but staff can. Shall a "
        "staff member call you back? They will get your voice message."
    )
    offer = Choice(t._("Call me back"), f"{RequestAction.CALL_BACK}:voice")
    shown = tuple(Choice(label, action) for label, action in turn.conversation.choices)
    return Reply(text, (offer, *shown)) if shown else turn.reply(text, [offer])


def receive_location(turn: Turn, latitude: float, longitude: float) -> Reply | None:
    """A location at the address step goes with the request; None elsewhere."""
    step = turn.conversation.step
    if turn.conversation.dialog != Dialog.REQUEST or step not in (Step.ADDRESS, Step.FLAT):
        return None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None
    turn.state(RequestDraft).location = [latitude, longitude]
    return dialog.ask_flat(turn)


ACTIONS: dict[str, Handler] = {RequestAction.RESUME: resume}
