"""Booking in the terminal across a restart, the reminder, and the staff roster."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.bot.test_cli import run_bot

pytestmark = pytest.mark.slow  # processes, crashes or many generated cases


def test_terminal_booking_restart_and_reminder_then_roster(tmp_path: Path) -> None:
    env = {"BOT_DATABASE": str(tmp_path / "b.sqlite3"), "BOT_REMINDER_HOUR": "0"}
    first = run_bot(
        "chat",
        "--municipality",
        "koknese",
        "--lang",
        "ru",
        "--sms",
        "--phone",
        "26000050",
        stdin="запись\n2\n3\n4\n",
        env={**env, "BOT_TODAY": "2021-11-01"},
    )
    assert first.returncode == 0, first.stderr
    # The SMS view shows what the phone gets: Koknese transliterates Russian.
    assert "Vy zapisany: Usluga stirki belya, sreda, 3 noyabrya." in first.stdout
    assert "Nakanune ya vam napomnyu." in first.stdout
    assert "Napominanie" not in first.stdout
    # The next day, a new process: the reminder is waiting for the resident.
    second = run_bot(
        "chat", "--sms", "--phone", "+37126000050", stdin="", env={**env, "BOT_TODAY": "2021-11-02"}
    )
    assert second.returncode == 0, second.stderr
    assert (
        "Napominanie: zavtra, sreda, 3 noyabrya, vy zapisany: Usluga stirki belya." in second.stdout
    )
    third = run_bot(
        "chat", "--sms", "--phone", "+37126000050", stdin="", env={**env, "BOT_TODAY": "2021-11-02"}
    )
    assert "Napominanie" not in third.stdout  # sent once
    roster = run_bot("roster", "--municipality", "koknese", "--date", "03.11.2021", env=env)
    assert roster.returncode == 0, roster.stderr
    assert "laundry: 1 of 2 places" in roster.stdout
    assert "1. +37126000050, contactless hand-over" in roster.stdout
    assert "shower: 0 of 2 places" in roster.stdout
    bad = run_bot("roster", "--municipality", "koknese", "--date", "3rd", env=env)
    assert bad.returncode == 2
    assert "--date '3rd' is not a date" in bad.stderr
