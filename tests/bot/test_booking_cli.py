"""Booking in the terminal across a restart, the reminder, and the staff roster."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.bot.test_cli import run_bot
from tests.conftest import PROJECT

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
    assert "Vy zapisany: Stirka bel'ya, sreda, 3 noyabrya." in first.stdout
    assert "Nakanune ya vam napomnyu." in first.stdout
    assert "Napominaem" not in first.stdout
    # The next day, a new process: the reminder is waiting for the resident.
    second = run_bot(
        "chat", "--sms", "--phone", "+37126000050", stdin="", env={**env, "BOT_TODAY": "2021-11-02"}
    )
    assert second.returncode == 0, second.stderr
    assert "Napominaem: zavtra, sreda, 3 noyabrya, u vas zapis: Stirka bel'ya." in second.stdout
    third = run_bot(
        "chat", "--sms", "--phone", "+37126000050", stdin="", env={**env, "BOT_TODAY": "2021-11-02"}
    )
    assert "Napominaem" not in third.stdout  # sent once
    roster = run_bot(
        "roster", "--municipality", "koknese", "--date", "03.11.2021", "--lang", "en", env=env
    )
    assert roster.returncode == 0, roster.stderr
    assert roster.stdout.startswith("Koknese Social Service, November 3, 2021\n")
    assert "Laundry: 1 of 2 places booked\n  1. +37126000050, contactless hand-over" in (
        roster.stdout
    )
    assert "Shower: 0 of 2 places booked" in roster.stdout
    latvian = run_bot("roster", "--municipality", "koknese", "--date", "06.11.2021", env=env)
    assert "Dušas pakalpojums: " in latvian.stdout  # the staff's language: Latvian by default
    bad = run_bot("roster", "--municipality", "koknese", "--date", "3rd", env=env)
    assert bad.returncode == 2
    assert "--date '3rd' is not a date" in bad.stderr


def test_six_processes_booking_the_last_places_end_in_booked_or_full(tmp_path: Path) -> None:
    """Six terminal chats (six processes, one SQLite file) book the same laundry day at once:
    exactly the 2 places are booked, the others are told the day is full, nobody is told to
    try again later."""
    env = {"BOT_DATABASE": str(tmp_path / "busy.sqlite3"), "BOT_TODAY": "2021-11-01"}
    run_bot("roster", "--municipality", "koknese", "--date", "03.11.2021", env=env)  # migrated
    command = [sys.executable, "-m", "bot", "chat", "--municipality", "koknese", "--lang", "lv"]
    chats = [
        subprocess.Popen(
            [*command, "--sms", "--phone", f"2600{number:04d}"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=PROJECT,
            env={**os.environ, **env},
        )
        for number in range(6)
    ]
    outputs = [chat.communicate("pieraksts\n2\n3\n4\n", timeout=60) for chat in chats]
    booked = sum("Pieraksts apstiprinats: Velas mazgasanas" in out for out, _ in outputs)
    full = sum("ir aiznemtas" in out or "gaiditaju" in out for out, _ in outputs)
    assert booked == 2, outputs
    assert full == 4, outputs
    assert not any("nepieejams" in out or "nedarbojas" in out for out, _ in outputs)
    assert all(chat.returncode == 0 for chat in chats)
