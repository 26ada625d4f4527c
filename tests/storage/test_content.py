"""The bundled content loads faithfully, and broken content is refused with a precise error."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from storage.content import Content, ContentError, load_content
from tests.conftest import CONTENT_DIR


def test_bundled_content_has_the_four_municipalities(content: Content) -> None:
    assert sorted(content.municipalities) == ["daugavpils", "elektrenai", "koknese", "visaginas"]
    assert {m.country for m in content.municipalities.values()} == {"LT", "LV"}
    assert "integral-help" in content.kinds


def test_elektrenai_home_help_phones_are_stored_as_e164(content: Content) -> None:
    home_help = content.municipalities["elektrenai"].department("home-help")
    assert home_help is not None
    assert [p.number for p in home_help.phones] == ["+37052839804", "+37065234476"]
    assert home_help.phones[0].national() == "(0-528) 39804"
    assert home_help.phones[0].international() == "+370 528 39804"


def test_short_hotline_number_is_kept_as_dialled(content: Content) -> None:
    (hotline,) = content.municipalities["elektrenai"].hotlines
    assert hotline.phone.is_short
    assert hotline.phone.national() == "1808"


def test_latvian_numbers_are_parsed_in_the_latvian_plan(content: Content) -> None:
    department = content.municipalities["daugavpils"].department("social-service")
    assert department is not None
    assert [p.number for p in department.phones] == ["+37165476823", "+37126641869"]


def test_kazokiskes_day_centre_suspension_dates(content: Content) -> None:
    service = content.municipalities["elektrenai"].service("kazokiskes-day-centre")
    assert service is not None
    (period,) = service.periods
    assert (period.status, period.start, period.end) == (
        "suspended",
        date(2020, 3, 13),
        date(2020, 3, 27),
    )


def test_koknese_facilities_take_two_clients_a_day(content: Content) -> None:
    facilities = {f.id: f for f in content.municipalities["koknese"].facilities}
    assert facilities["shower"].places_per_day == 2
    assert facilities["shower"].certificate_required
    assert facilities["laundry"].contactless_without_certificate
    assert not facilities["laundry"].certificate_required


def test_municipalities_without_phones_say_where_to_look(content: Content) -> None:
    for municipality_id in ("koknese", "visaginas"):
        municipality = content.municipalities[municipality_id]
        assert not any(d.phones for d in municipality.departments)
        assert municipality.contacts_note is not None


def test_every_text_exists_in_every_offered_language(content: Content) -> None:
    for municipality in content.municipalities.values():
        names = [d.name for d in municipality.departments] + [s.name for s in municipality.services]
        for name in names:
            assert set(name.values) == set(municipality.languages)


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, target)
    return target


def _edit(folder: Path, name: str, old: str, new: str) -> None:
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        (
            "elektrenai.toml",
            'phones = ["8 528 39 690"]',
            'phones = ["8 528 39"]',
            "departments[0](administration).phones[0]: '8 528 39' is not a valid LT",
        ),
        (
            "elektrenai.toml",
            'status = "suspended"',
            'status = "closed"',
            "services[1](vievis-day-centre).periods[0].status: 'closed' is not one of",
        ),
        (
            "elektrenai.toml",
            "to = 2020-03-27",
            "to = 2020-03-01",
            "services[1](vievis-day-centre).periods[0].to: 2020-03-01 is before 'from' 2020-03-13",
        ),
        (
            "koknese.toml",
            'name = { lv = "Sociālais dienests", ru = "Социальная служба", en = "Social service" }',
            'name = { lv = "Sociālais dienests", en = "Social service" }',
            "koknese.toml: departments[0](social-service).name.ru: missing",
        ),
        (
            "koknese.toml",
            'service = "laundry"',
            'service = "washing"',
            "facilities[1](laundry).service: unknown service 'washing'",
        ),
        (
            "koknese.toml",
            "places_per_day = 2",
            "places_per_day = 0",
            "facilities[0](shower).places_per_day: expected a whole number >= 1, got 0",
        ),
        (
            "daugavpils.toml",
            'departments = ["social-service"]',
            'departments = ["nobody"]',
            "services[0](parish-services).departments: unknown department 'nobody'",
        ),
        (
            "daugavpils.toml",
            "from = 2020-03-13",
            'from = "13.03.2020"',
            "periods[0].from: expected a date like 2020-03-16, got '13.03.2020'",
        ),
        (
            "visaginas.toml",
            'default_language = "lt"',
            'default_language = "lv"',
            "visaginas.toml: default_language: 'lv' is not in languages",
        ),
        (
            "visaginas.toml",
            'id = "outreach"',
            'id = "outreach"\ncolour = "red"',
            "services[0](outreach).colour: unknown key",
        ),
        ("visaginas.toml", 'id = "visaginas"', 'id = "vilnius"', "must match the file name"),
        (
            "koknese.toml",
            'kinds = ["needy", "low-income"]',
            'kinds = ["needy", "rich"]',
            "certificates.rules[0](emergency-and-one-month).kinds[1]: unknown certificate kind",
        ),
        (
            "koknese.toml",
            'mode = "after_emergency"',
            'mode = "forever"',
            "certificates.rules[0](emergency-and-one-month).mode: 'forever' is not one of",
        ),
        (
            "koknese.toml",
            "months = [1]",
            "months = [1, 2]",
            "months: after_emergency takes one number",
        ),
        (
            "koknese.toml",
            'services = ["consultations", "shower"]',
            'services = ["sauna"]',
            "health_rules[0].services: unknown service 'sauna'",
        ),
        (
            "koknese.toml",
            "test_valid_hours = 72",
            'test_valid_hours = "72"',
            "health_rules[0].test_valid_hours: expected a whole number",
        ),
        (
            "daugavpils.toml",
            'department = "social-service"\n\n  [[certificates.kinds]]',
            'department = "nobody"\n\n  [[certificates.kinds]]',
            "certificates.department: unknown department 'nobody'",
        ),
        ("visaginas.toml", 'country = "LT"', "country = [", "visaginas.toml: not valid TOML"),
        ("catalogue.toml", 'id = "crisis-centre"', 'id = "Crisis Centre"', "is not an id"),
    ],
)
def test_broken_content_names_file_key_and_problem(
    content_copy: Path, file: str, old: str, new: str, expected: str
) -> None:
    _edit(content_copy, file, old, new)
    with pytest.raises(ContentError) as caught:
        load_content(content_copy)
    assert expected in str(caught.value)
    assert str(content_copy / file) in str(caught.value)


def test_overlapping_periods_are_refused(content_copy: Path) -> None:
    extra = '\n  [[services.periods]]\n  status = "limited"\n  from = 2020-03-20\n'
    path = content_copy / "visaginas.toml"
    path.write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8")
    with pytest.raises(ContentError, match="overlap"):
        load_content(content_copy)


def test_missing_or_empty_directory(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match="not found"):
        load_content(tmp_path / "nowhere")
    with pytest.raises(ContentError, match="no municipality files"):
        load_content(tmp_path)


def test_file_that_is_not_utf8(content_copy: Path) -> None:
    (content_copy / "koknese.toml").write_bytes(b'id = "koknese"\nname = "\xff"\n')
    with pytest.raises(ContentError, match="cannot be read"):
        load_content(content_copy)


def test_a_content_folder_the_service_may_not_read_is_one_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under systemd the service's own user reads the content: a folder only root may enter
    (root reads anything, so the refusal is played here) is a ContentError, not a traceback."""

    def refused(self: Path, pattern: str) -> list[Path]:
        raise PermissionError(13, "Permission denied")

    shutil.copytree(CONTENT_DIR, tmp_path / "content")
    monkeypatch.setattr(Path, "glob", refused)
    with pytest.raises(ContentError, match=r"cannot read the content \(Permission denied\)"):
        load_content(tmp_path / "content")
