"""A chat opened again (the terminal restarted): resume where it stopped."""

from __future__ import annotations

from dialogs.core.actions import MenuAction
from dialogs.core.steps import Dialog
from dialogs.core.turn import Handler, Turn
from dialogs.flows import onboarding
from dialogs.types import Choice, Reply
from storage import outbox


async def reopen(turn: Turn, payload: str) -> Reply:
    """A chat opened again (the terminal restarted): the last answer with its choices, as it
    was left; at the menu, after a long pause, with nothing to resume, or with other settings
    asked for, the greeting."""
    conversation = turn.conversation
    last = await outbox.last_answer(turn.connection, conversation.channel, conversation.address)
    changed = onboarding.preset(turn, payload)
    at_menu = conversation.dialog == Dialog.MENU and not conversation.step
    if changed or at_menu or turn.timed_out or last is None or not conversation.choices:
        return await onboarding.start(turn, "")
    lead = turn.t._("Welcome back. We stopped here:")
    if not last.choices:  # an SMS page: its choices are already numbered in its text
        return Reply(f"{lead}\n{last.text}")
    choices = tuple(Choice(label, action) for label, action in conversation.choices)
    return Reply(f"{lead}\n{last.text}", choices, back=last.meta.get("back"))


ACTIONS: dict[str, Handler] = {MenuAction.REOPEN: reopen}
