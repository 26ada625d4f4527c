"""`python -m bot certificates import|export` and a certificate question in the terminal."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from tests.bot.test_cli import run_bot
from tests.conftest import PROJECT

pytestmark = pytest.mark.slow  # processes, crashes or many generated cases

DATA = PROJECT / "tests" / "data"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {"BOT_DATABASE": str(tmp_path / "register.sqlite3"), "BOT_TODAY": "2021-11-01"}


def _import(
    env: dict[str, str], file: Path, municipality: str, *extra: str
) -> tuple[int, str, str]:
    result = run_bot(
        "certificates", "import", str(file), "--municipality", municipality, *extra, env=env
    )
    return result.returncode, result.stdout, result.stderr


def _export(env: dict[str, str], municipality: str) -> list[dict[str, str]]:
    result = run_bot("certificates", "export", "--municipality", municipality, env=env)
    assert result.returncode == 0, result.stderr
    return list(csv.DictReader(io.StringIO(result.stdout)))


def test_dry_run_changes_nothing_then_import_then_reimport(env: dict[str, str]) -> None:
    code, out, _ = _import(env, DATA / "koknese_certificates.csv", "koknese", "--dry-run")
    assert code == 0
    assert "would import: 3 new, 0 updated, 0 unchanged" in out
    assert _export(env, "koknese") == []
    code, out, _ = _import(env, DATA / "koknese_certificates.csv", "koknese")
    assert "imported: 3 new, 0 updated, 0 unchanged" in out
    rows = _export(env, "koknese")
    assert [r["number"] for r in rows] == ["KOK-2021-014", "KOK-2021-015", "KOK-2021-016"]
    assert rows[0]["holder_phone"] == "'+37126000014"  # E.164, kept as text by spreadsheets
    assert rows[0]["expires_on"] == "2021-11-30"  # DD.MM.YYYY read
    code, out, _ = _import(env, DATA / "koknese_certificates.csv", "koknese")
    assert "imported: 0 new, 0 updated, 3 unchanged" in out
    assert len(_export(env, "koknese")) == 3  # never duplicated


def test_reimport_updates_changed_rows(env: dict[str, str], tmp_path: Path) -> None:
    _import(env, DATA / "koknese_certificates.csv", "koknese")
    changed = tmp_path / "changed.csv"
    text = (DATA / "koknese_certificates.csv").read_text(encoding="utf-8")
    changed.write_text(text.replace("30.11.2021", "15.12.2021"), encoding="utf-8")
    code, out, _ = _import(env, changed, "koknese", "--dry-run")
    assert code == 0
    assert "updated KOK-2021-014 (expires_on)" in out
    assert _export(env, "koknese")[0]["expires_on"] == "2021-11-30"
    _import(env, changed, "koknese")
    assert _export(env, "koknese")[0]["expires_on"] == "2021-12-15"


def test_bad_rows_are_all_reported_and_nothing_is_imported(
    env: dict[str, str], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "number,kind,holder_phone,issued_on,expires_on\n"
        "OK-1,needy,26000001,2021-01-01,2021-12-31\n"
        "X-2,rich,26000002,2021-01-01,2021-12-31\n"
        "X-3,needy,123,2021-01-01,2021-12-31\n"
        "X-4,needy,26000004,2021-13-01,2021-12-31\n"
        "X-5,needy,26000005,2021-12-31,2021-01-01\n"
        "OK-1,needy,26000001,2021-01-01,2021-12-31\n",
        encoding="utf-8",
    )
    code, _, err = _import(env, bad, "koknese")
    assert code == 1
    assert "line 3: kind 'rich' is not one of needy, low-income" in err
    assert "line 4: holder_phone '123' is not a valid phone number" in err
    assert "line 5: issued_on '2021-13-01' is not a date" in err
    assert "line 6: expires_on 2021-01-01 is before issued_on 2021-12-31" in err
    assert "line 7: number 'OK-1' appears twice" in err
    assert "5 bad row(s): nothing was imported" in err
    assert _export(env, "koknese") == []


def test_semicolons_bom_and_staff_extension(env: dict[str, str], tmp_path: Path) -> None:
    file = tmp_path / "excel.csv"
    file.write_bytes(b"\xef\xbb\xbf" + (DATA / "daugavpils_declarations.csv").read_bytes())
    code, out, err = _import(env, file, "daugavpils")
    assert code == 0, err
    assert "imported: 2 new" in out
    rows = _export(env, "daugavpils")
    assert rows[0]["extension_months"] == "3"
    wrong = tmp_path / "wrong.csv"
    wrong.write_text(
        "number;kind;holder_phone;issued_on;expires_on;extension_months\n"
        "DN-9;subsistence-declaration;26000009;01.01.2020;31.03.2020;2\n",
        encoding="utf-8",
    )
    code, _, err = _import(env, wrong, "daugavpils")
    assert "extension_months '2' is not allowed (1, 3)" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["import", "missing.csv", "--municipality", "koknese"], "cannot read missing.csv"),
        (
            ["import", "x.csv", "--municipality", "elektrenai"],
            "elektrenai has no certificate register",
        ),
        (["export", "--municipality", "riga"], "unknown municipality 'riga'"),
    ],
)
def test_wrong_arguments(env: dict[str, str], args: list[str], message: str) -> None:
    result = run_bot("certificates", *args, env=env)
    assert result.returncode == 2
    assert message in result.stderr


def test_missing_columns_and_other_encodings(env: dict[str, str], tmp_path: Path) -> None:
    columns = tmp_path / "columns.csv"
    columns.write_text("number,phone\nA,1\n", encoding="utf-8")
    code, _, err = _import(env, columns, "koknese")
    assert code == 1
    assert "line 1: missing columns: kind, holder_phone, issued_on, expires_on" in err
    latin = tmp_path / "latin.csv"
    latin.write_bytes("number,kind,holder_phone,issued_on,expires_on\nĀ,needy\n".encode("utf-16"))
    assert "as UTF-8 text" in _import(env, latin, "koknese")[2]


def test_terminal_transcript_of_a_certificate_question(env: dict[str, str]) -> None:
    _import(env, DATA / "koknese_certificates.csv", "koknese")
    script = "izziņas\n1\n"
    result = run_bot(
        "chat",
        "--municipality",
        "koknese",
        "--lang",
        "lv",
        "--phone",
        "26000014",
        "--sms",
        stdin=script,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert "Nr. KOK-2021-014: trucigas personas izzina" in result.stdout  # as the SMS reads
    assert "\nDeriguma termins: 2022. gada 28. februaris\n" in result.stdout
    bad = run_bot("chat", "--municipality", "koknese", "--phone", "12", env=env)
    assert bad.returncode == 2
    assert "--phone '12' is not a valid phone number" in bad.stderr
