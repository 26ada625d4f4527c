"""A chat opened again (the terminal restarted): resume where it stopped."""

from __future__ import annotations

import re

from dialogs.core.actions import MenuAction
from dialogs.core.steps import Dialog
from dialogs.core.turn import Handler, Turn
from dialogs.flows import onboarding
from dialogs.types import Choice, Reply
from storage import outbox

# A page's "3 Label" choice lines and its "(1/2) Reply MORE" footer.
SMS_CHOICE_OR_FOOTER = re.compile(r"^(\d{1,2} \S|\(\d+/\d+\))")


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
    text = last.text if last.choices else _question_of(last.text)
    choices = tuple(Choice(label, action) for label, action in conversation.choices)
    return Reply(f"{lead}\n{text}", choices, back=turn.t._("back"))


def _question_of(page: str) -> str:
    """An SMS page without its numbered choices and page footer: they are shown again."""
    kept = [line for line in page.split("\n") if not SMS_CHOICE_OR_FOOTER.match(line)]
    return "\n".join(kept).strip()


ACTIONS: dict[str, Handler] = {MenuAction.REOPEN: reopen}
