"""The installable package: `python -m build` makes a wheel with the content, the compiled
catalogs and the migrations; installed with pip into a fresh venv outside the checkout, the
`socassist` console script and `python -m bot` run from any directory on the installed data."""

from __future__ import annotations

import os
import site
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from dialogs.understanding.nlu.models import intent_model
from tests.conftest import PROJECT


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the wheel installed by pip; the dependencies are this checkout's
    (pinned in pyproject.toml), reached by a path file, so the test downloads nothing."""
    where = tmp_path_factory.mktemp("package")
    intent_model()  # its numbers go into the wheel, as `make wheel` does
    built = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(where)],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert built.returncode == 0, built.stderr[-2000:]
    (wheel,) = where.glob("socassist-*.whl")
    environment = where / "venv"
    venv.EnvBuilder(with_pip=False).create(environment)
    python = environment / "bin" / "python"
    packages = Path(
        subprocess.run(
            [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    # Only the third-party packages: a path file's directory is not scanned for path files,
    # so this checkout's own editable install stays out.
    (packages / "dependencies.pth").write_text(site.getsitepackages()[0] + "\n")
    pip = [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps"]
    installed = subprocess.run([*pip, str(wheel)], capture_output=True, text=True, check=False)
    assert installed.returncode == 0, installed.stderr[-2000:]
    return environment


def _run(environment: Path, *args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "TELEGRAM_"))}
    return subprocess.run(
        [*args],
        cwd=cwd,
        env={**clean, "PATH": f"{environment / 'bin'}:{clean['PATH']}", **env},
        input="Labas\n",
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.slow
def test_the_wheel_runs_from_any_directory(installed: Path, tmp_path: Path) -> None:
    version = _run(installed, "socassist", "--version", cwd=tmp_path)
    assert version.stdout.strip() == "socassist 0.2.0"
    code = _run(installed, "python", "-c", "import bot; print(bot.__file__)", cwd=tmp_path)
    assert code.stdout.startswith(str(installed)), code.stdout  # not this checkout's code
    checked = _run(installed, "python", "-m", "bot", "content", "check", cwd=tmp_path)
    assert "elektrenai: " in checked.stdout, checked.stderr
    # The terminal chat on the installed content, catalogs and migrations; the database where
    # the operator says.
    database = tmp_path / "state" / "assistant.sqlite3"
    chat = _run(
        installed,
        "socassist",
        "chat",
        "--municipality",
        "elektrenai",
        "--lang",
        "lt",
        cwd=tmp_path,
        BOT_DATABASE=str(database),
    )
    assert chat.returncode == 0, chat.stderr
    assert "Elektrėnų socialinių paslaugų centras. Ką norėtumėte sužinoti?" in chat.stdout
    assert database.exists()
    # The intent model came trained in the wheel: nothing is written into the installed code.
    assert "could not save" not in chat.stderr
    assert list(installed.rglob("intents.npz"))
