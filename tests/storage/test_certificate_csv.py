"""The register's CSV: nothing a spreadsheet would run as a formula, and a round trip intact."""

from __future__ import annotations

import io
from datetime import date

from storage.certificate_csv import parse_register, write_register
from storage.certificates import StatusCertificate
from storage.content import Content


def test_export_neutralises_formulas_and_reads_back_the_same(content: Content) -> None:
    evil = StatusCertificate(
        '=HYPERLINK("http://x","click")', "needy", "+37126000014", date(2021, 6, 1),
        date(2021, 11, 30),
    )  # fmt: skip
    out = io.StringIO()
    write_register([evil], out)
    cells = out.getvalue().splitlines()[1]
    assert cells.startswith("\"'=HYPERLINK"), cells  # shown as text, never run
    assert ",'+37126000014," in cells  # a phone a spreadsheet would compute
    municipality = content.municipality("koknese")
    assert municipality is not None
    (read,), errors = parse_register(out.getvalue(), municipality)
    assert errors == []
    assert read.number == evil.number
    assert read.holder_phone == "+37126000014"
