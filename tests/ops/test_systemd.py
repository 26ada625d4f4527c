"""The systemd unit in deploy/: `systemd-analyze verify` accepts it and
`systemd-analyze security --offline=true` rates its exposure at most 2.0; it keeps the
hardening the runbook promises, and gives a stop more time than the assistant needs."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import PROJECT

UNIT = PROJECT / "deploy" / "socassist.service"
SIGTERM_BOUND = 10  # seconds: tests/bot/test_run.py stops a loaded bot within this


def _analyze(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    if shutil.which("systemd-analyze") is None:
        pytest.fail("systemd-analyze is missing (Debian's systemd package)")
    return subprocess.run(
        ["systemd-analyze", *args], cwd=cwd, capture_output=True, text=True, check=False
    )


@pytest.fixture
def unit(tmp_path: Path) -> Path:
    """The unit with ExecStart pointing at an executable this machine has (verify checks it)."""
    text = UNIT.read_text(encoding="utf-8")
    installed = shutil.which("socassist") or str(PROJECT / ".venv" / "bin" / "socassist")
    copy = tmp_path / "socassist.service"
    copy.write_text(text.replace("/opt/socassist/venv/bin/socassist", installed))
    return copy


def test_the_unit_verifies(unit: Path) -> None:
    checked = _analyze("verify", str(unit), cwd=unit.parent)
    assert checked.returncode == 0, checked.stderr
    assert checked.stderr.strip() == ""


def test_the_units_exposure_is_at_most_2(unit: Path) -> None:
    rated = _analyze("security", "--offline=true", str(unit), cwd=unit.parent)
    found = re.search(r"Overall exposure level for socassist.service: ([\d.]+)", rated.stdout)
    assert found is not None, rated.stdout + rated.stderr
    assert float(found.group(1)) <= 2.0


def test_the_unit_keeps_its_hardening_and_stops_in_time() -> None:
    settings = dict(
        line.split("=", 1) for line in UNIT.read_text().splitlines() if re.match(r"^\w+=", line)
    )
    assert settings["DynamicUser"] == "yes"
    assert settings["StateDirectory"] == "socassist"
    assert settings["ProtectSystem"] == "strict"
    assert settings["NoNewPrivileges"] == "yes"
    assert settings["PrivateTmp"] == settings["PrivateDevices"] == "yes"
    assert settings["UMask"] == "0077"
    assert settings["EnvironmentFile"].startswith("/etc/socassist/")
    assert "SystemCallFilter" in settings
    assert int(settings["TimeoutStopSec"]) >= 2 * SIGTERM_BOUND
