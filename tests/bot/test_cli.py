"""The command line through real subprocesses: scripted chats and start-up errors."""

from __future__ import annotations

import concurrent.futures
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PROJECT


def run_bot(
    *args: str, stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `python -m bot ARGS` as a resident would."""
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=PROJECT,
        env={**os.environ, "BOT_TODAY": "2020-03-20", **(env or {})},
        timeout=60,
        check=False,
    )


@pytest.fixture
def db_env(tmp_path: Path) -> dict[str, str]:
    return {"BOT_DATABASE": str(tmp_path / "chat.sqlite3")}


def test_scripted_lithuanian_transcript(db_env: dict[str, str]) -> None:
    script = "kontaktai\npagalba i namus\n0\nmeniu\n2\nKas šiandien apribota\n"
    result = run_bot(
        "chat", "--municipality", "elektrenai", "--lang", "lt", stdin=script, env=db_env
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Elektrėnų socialinių paslaugų centras. Ką norėtumėte sužinoti?" in out
    assert "> kontaktai" in out
    assert "Telefonai: (0-528) 39804, (0-652) 34476" in out
    assert "Nemokama koronos karštoji linija (visą parą): 1808" in out
    assert "2020 m. kovo 20 d. apribotos 5 paslaugos." in out
    assert "Kazokiškių vaikų dienos centras: veikla sustabdyta iki 2020 m. kovo 27 d." in out
    assert "Traceback" not in result.stderr


def test_sms_rendering_in_russian(db_env: dict[str, str]) -> None:
    script = "2\nмобильная служба\n"
    result = run_bot(
        "chat", "--municipality", "daugavpils", "--lang", "ru", "--sms", stdin=script, env=db_env
    )
    assert result.returncode == 0, result.stderr
    # Exactly what the phone gets: numbered, transliterated (Daugavpils), in pages with MORE.
    assert "\n1 Kontakty\n" in result.stdout
    assert "-----" not in result.stdout
    assert "(1/3) " in result.stdout
    assert "otvet'te eshche" in result.stdout.lower()  # the soft sign kept as an apostrophe
    assert "Mobil'naya sluzhba ukhoda" in result.stdout
    assert (
        "rabota priostanovlena do 14 aprelya 2020 g." in result.stdout
    )  # babel's narrow space folded


def test_first_contact_without_flags_asks_for_municipality(db_env: dict[str, str]) -> None:
    result = run_bot("chat", stdin="3\n1\n", env=db_env)
    assert result.returncode == 0, result.stderr
    assert "Kurā pašvaldībā jūs dzīvojat?" in result.stdout
    assert "Izvēlieties valodu." in result.stdout
    assert "Kokneses sociālais dienests. Ko vēlaties uzzināt?" in result.stdout


def test_state_survives_a_restart(db_env: dict[str, str]) -> None:
    first = run_bot(
        "chat", "--municipality", "koknese", "--lang", "lv", stdin="kontakti\n", env=db_env
    )
    assert first.returncode == 0, first.stderr
    second = run_bot("chat", stdin="1\n", env=db_env)  # no flags: settings and step are remembered
    # It resumes where it stopped: the contacts question again, not the greeting and menu.
    opening = second.stdout.split("> 1")[0]
    assert "Pie kā vēlaties vērsties?" in opening, opening
    assert "Ko vēlaties uzzināt?" not in opening
    assert "soc.dienests@koknese.lv" in second.stdout
    assert "\n  0. " in first.stdout  # "0 = back" under numbered choices


def test_run_without_token_opens_the_chat(db_env: dict[str, str]) -> None:
    result = run_bot("run", stdin="", env={**db_env, "TELEGRAM_BOT_TOKEN": ""})
    assert result.returncode == 0
    assert "Neither TELEGRAM_BOT_TOKEN nor Twilio is set" in result.stderr
    assert "Which municipality" in result.stdout or "Kurioje savivaldybėje" in result.stdout


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (
            ["chat", "--municipality", "riga"],
            {},
            "unknown municipality 'riga'; choose one of: daugavpils",
        ),
        (
            ["chat", "--municipality", "koknese", "--lang", "lt"],
            {},
            "koknese offers the languages lv",
        ),
        (["chat"], {"BOT_TODAY": "20.03.2020"}, "BOT_TODAY='20.03.2020' is not a date"),
        (["chat"], {"BOT_IDLE_MINUTES": "soon"}, "BOT_IDLE_MINUTES='soon' must be a whole number"),
        (["chat"], {"BOT_CONTENT_DIR": "/nonexistent"}, "content directory not found"),
    ],
)
def test_bad_start_up_input_exits_2_with_one_clear_line(
    db_env: dict[str, str], args: list[str], env: dict[str, str], message: str
) -> None:
    result = run_bot(*args, env={**db_env, **env})
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_language_flag_is_refused_by_the_parser(db_env: dict[str, str]) -> None:
    result = run_bot("chat", "--lang", "de", env=db_env)
    assert result.returncode == 2
    assert "invalid choice: 'de'" in result.stderr


def test_corrupted_database_is_reported_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "broken.sqlite3"
    path.write_bytes(b"garbage" * 1000)
    result = run_bot("chat", env={"BOT_DATABASE": str(path)})
    assert result.returncode == 2
    assert "is not a usable SQLite database" in result.stderr
    assert "Traceback" not in result.stderr
    assert path.read_bytes() == b"garbage" * 1000


def test_unwritable_database_location_is_reported() -> None:
    # /proc takes no new files, not even from root (CI runs as root, which ignores chmod).
    result = run_bot("chat", env={"BOT_DATABASE": "/proc/assistant.sqlite3"})
    assert result.returncode == 2, result.stderr
    assert "cannot write the database /proc/assistant.sqlite3" in result.stderr
    assert "Traceback" not in result.stderr


def test_content_check_lists_municipalities() -> None:
    result = run_bot("content", "check")
    assert result.returncode == 0, result.stderr
    assert "koknese: 1 contacts, 7 services, 2 facilities" in result.stdout


def test_undecodable_input_does_not_end_the_chat(db_env: dict[str, str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "chat", "--municipality", "koknese", "--lang", "lv"],
        input=b"\xff\xfe\n1\n",
        capture_output=True,
        cwd=PROJECT,
        env={**os.environ, **db_env},
        timeout=60,
        check=False,
    )
    assert result.returncode == 0
    out = result.stdout.decode()
    assert "Atvainojiet, es nesapratu." in out
    assert "Pie kā vēlaties vērsties?" in out  # the next line was still read


@pytest.mark.slow
def test_a_database_locked_at_start_is_one_error_line_and_status_2(tmp_path: Path) -> None:
    """Another process holds the database: every command waits the busy timeout (5 s), prints
    one `error:` line and exits with 2 (aiosqlite's thread used to keep them hanging)."""
    path = tmp_path / "locked.sqlite3"
    env = {"BOT_DATABASE": str(path)}
    assert run_bot("staff", "list", env=env).returncode == 0  # created and migrated
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        commands = (("roster", "--municipality", "koknese"), ("staff", "list"))
        with concurrent.futures.ThreadPoolExecutor() as pool:  # both wait the 5 s together
            results = list(pool.map(lambda command: run_bot(*command, env=env), commands))
        for result in results:
            assert result.returncode == 2, result.stderr
            assert result.stderr.startswith("error: the database is locked by another process")
            assert len(result.stderr.splitlines()) == 1
    finally:
        holder.close()


def test_run_as_a_service_without_any_channel_is_one_clear_error(
    db_env: dict[str, str],
) -> None:
    """Under systemd standard input is /dev/null: no terminal chat to open, so no channel at all
    is a configuration error (exit 2, one line), not a process that serves nothing."""
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        cwd=PROJECT,
        env={**os.environ, **db_env, "TELEGRAM_BOT_TOKEN": ""},
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("error: neither TELEGRAM_BOT_TOKEN nor Twilio is set")
    assert len(result.stderr.splitlines()) == 1
