"""One event a line, plain or JSON (BOT_LOG_FORMAT), each with the short id of the turn it
belongs to, so one resident's turn can be followed through the log without their data."""

from __future__ import annotations

import contextlib
import contextvars
import logging
import secrets
import sys
from collections.abc import Iterator

from pythonjsonlogger.json import JsonFormatter

_turn: contextvars.ContextVar[str] = contextvars.ContextVar("turn", default="-")
PLAIN = "%(asctime)s %(levelname)s %(name)s [%(turn)s]: %(message)s"
FIELDS = "%(asctime)s %(levelname)s %(name)s %(turn)s %(message)s"


@contextlib.contextmanager
def turn() -> Iterator[str]:
    """A new turn: its short id on every line logged meanwhile (in this task)."""
    token = _turn.set(secrets.token_hex(4))
    try:
        yield _turn.get()
    finally:
        _turn.reset(token)


class _TurnId(logging.Filter):
    """Adds the current turn's id (or "-") to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.turn = _turn.get()
        return True


def configure(level: str, json: bool, quieter: dict[str, int]) -> None:
    """Log to stderr, one event a line; `quieter` libraries at least at their floor."""
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(_TurnId())
    if json:
        handler.setFormatter(
            JsonFormatter(FIELDS, rename_fields={"levelname": "level", "asctime": "time"})
        )
    else:
        handler.setFormatter(logging.Formatter(PLAIN))
    logging.basicConfig(level=level, handlers=[handler], force=True)
    for name, floor in quieter.items():
        logging.getLogger(name).setLevel(max(floor, logging.getLevelName(level)))
