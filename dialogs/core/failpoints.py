"""Failpoints for crash drills: `BOT_FAILPOINT=turn.after_commit` kills the process there.

The crash tests (and an operator's drill) use them to prove that nothing is lost or doubled
at each boundary of a message's path; unset, a failpoint costs one dictionary lookup."""

from __future__ import annotations

import os
import signal

POINTS = (
    "turn.before_commit",  # the turn's changes and answers are written, not committed
    "turn.after_commit",  # committed; nothing sent yet
    "delivery.before_send",  # a message is claimed; not sent
    "delivery.after_send",  # sent; not yet marked sent (the documented window)
)


def failpoint(name: str) -> None:
    """Kill this process at once (SIGKILL, like a power cut) if BOT_FAILPOINT names `name`."""
    if os.environ.get("BOT_FAILPOINT") == name:
        os.kill(os.getpid(), signal.SIGKILL)
