"""Catalogs are complete, not fuzzy, in step with the code, and plural forms are right."""

from __future__ import annotations

import gettext
import re
from datetime import date

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from dialogs.core.i18n import Catalogs
from dialogs.pipeline.sms_policy import MORE_WORDS
from dialogs.render.sms_pages import sms_text
from dialogs.types import Reply
from dialogs.understanding.text import fold
from tests.conftest import LOCALES_DIR, PROJECT

LANGUAGES = ("lt", "lv", "ru")
KEYWORDS = {"_": None, "N_": None, "n_": (1, 2), "fill": None}


def _po(lang: str) -> Catalog:
    with (LOCALES_DIR / lang / "LC_MESSAGES" / "messages.po").open("rb") as file:
        return read_po(file, locale=lang)


def _texts(value: object) -> tuple[str, ...]:
    """A message id or string as a tuple of strings (plural ones have several)."""
    if isinstance(value, list | tuple):
        return tuple(str(v) for v in value)
    return (str(value or ""),)


# As pyproject.toml's [tool.babel.mappings]: the code, and the desk's Jinja2 templates.
METHODS = [("**.py", "python"), ("**/templates/**.html", "jinja2")]


def _ids_in_code() -> set[str]:
    ids: set[str] = set()
    for package in ("bot", "dialogs", "storage"):
        found = extract_from_dir(PROJECT / package, METHODS, keywords=KEYWORDS)
        for _, _, message, _, _ in found:
            ids.add(message[0] if isinstance(message, tuple) else message)
    return ids


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalog_is_complete_and_not_fuzzy(lang: str) -> None:
    catalog = _po(lang)
    assert not catalog.fuzzy
    for message in catalog:
        if not message.id:
            continue
        assert not message.fuzzy, message.id
        strings = _texts(message.string)
        assert len(strings) == (3 if message.pluralizable else 1), message.id
        assert all(s.strip() for s in strings), f"{lang}: untranslated {message.id!r}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalog_has_every_string_of_the_code(lang: str) -> None:
    in_catalog = {_texts(m.id)[0] for m in _po(lang) if m.id}
    assert _ids_in_code() - in_catalog == set(), "run `make messages` and translate"
    assert in_catalog - _ids_in_code() == set(), "strings no longer in the code"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_placeholders_match(lang: str) -> None:
    placeholder = re.compile(r"%\(\w+\)[sd]")
    for message in _po(lang):
        if not message.id:
            continue
        expected = set(placeholder.findall(_texts(message.id)[-1]))
        for string in _texts(message.string):
            assert set(placeholder.findall(string)) == expected, (lang, message.id, string)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_compiled_catalog_matches_the_po_file(lang: str) -> None:
    with (LOCALES_DIR / lang / "LC_MESSAGES" / "messages.mo").open("rb") as file:
        compiled = {_texts(m.id): _texts(m.string) for m in read_mo(file) if m.id}
    source = {_texts(m.id): _texts(m.string) for m in _po(lang) if m.id}
    assert compiled == source, "run `make messages` to compile the catalogs"


# Expected gettext plural index for n in (0, 1, 2, 5, 10, 11, 21, 22).
PLURAL_INDEX = {
    "lt": (2, 0, 1, 1, 2, 2, 0, 1),
    "lv": (2, 0, 1, 1, 1, 1, 0, 1),  # the third lv form is for zero only
    "ru": (2, 0, 1, 2, 2, 2, 0, 1),
}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_plural_forms(lang: str) -> None:
    catalog = _po(lang)
    assert catalog.num_plurals == 3
    numbers = (0, 1, 2, 5, 10, 11, 21, 22)
    plural = gettext.c2py(catalog.plural_expr)
    assert tuple(plural(n) for n in numbers) == PLURAL_INDEX[lang]


@pytest.mark.parametrize(
    ("lang", "count", "expected"),
    [
        ("lt", 1, "apribota 1 paslauga."),
        ("lt", 5, "apribotos 5 paslaugos."),
        ("lt", 10, "apribota 10 paslaugų."),
        ("lt", 21, "apribota 21 paslauga."),
        ("lv", 0, "ierobežoti 0 pakalpojumi."),
        ("lv", 1, "ierobežots 1 pakalpojums."),
        ("lv", 11, "ierobežoti 11 pakalpojumi."),
        ("lv", 21, "ierobežots 21 pakalpojums."),
        ("ru", 1, "ограничена 1 услуга."),
        ("ru", 3, "ограничены 3 услуги."),
        ("ru", 5, "ограничено 5 услуг."),
        ("ru", 11, "ограничено 11 услуг."),
        ("ru", 21, "ограничена 21 услуга."),
    ],
)
def test_plural_messages_read_naturally(
    catalogs: Catalogs, lang: str, count: int, expected: str
) -> None:
    singular = "On %(date)s, %(num)d service is restricted."
    plural = "On %(date)s, %(num)d services are restricted."
    sentence = catalogs.get(lang).n_(singular, plural, count) % {"date": "X", "num": count}
    assert sentence.endswith(expected)


@pytest.mark.parametrize(
    ("lang", "sentence_date", "long_date"),
    [
        ("lt", "2020 m. kovo 27 d.", "2020 m. kovo 27 d."),
        ("lv", "27.03.2020", "2020. gada 27. marts"),
        ("ru", "27 марта 2020\u202fг.", "27 марта 2020\u202fг."),
        ("en", "March 27, 2020", "March 27, 2020"),
    ],
)
def test_dates_are_formatted_by_babel(
    catalogs: Catalogs, lang: str, sentence_date: str, long_date: str
) -> None:
    t = catalogs.get(lang)
    assert t.date(date(2020, 3, 27)) == sentence_date
    assert t.long_date(date(2020, 3, 27)) == long_date


def test_language_names_are_their_own(catalogs: Catalogs) -> None:
    names = [catalogs.get(lang).language_name() for lang in ("lt", "lv", "ru", "en")]
    assert names == ["Lietuvių", "Latviešu", "Русский", "English"]


def test_missing_compiled_catalog_is_reported(tmp_path: object) -> None:
    with pytest.raises(FileNotFoundError, match="make messages"):
        Catalogs(PROJECT / "nowhere")


@pytest.mark.parametrize("lang", ["en", "lt", "lv", "ru"])
@pytest.mark.parametrize("transliterate", [True, False])
def test_the_word_a_page_asks_for_brings_the_next_page(
    catalogs: Catalogs, lang: str, transliterate: bool
) -> None:
    """Every SMS page ends "... reply MORE"; whatever that word became (folded, transliterated),
    sending it brings the next page."""
    footer = sms_text(Reply(catalogs.get(lang)._("Reply MORE for the rest.")), transliterate)
    asked = [word for word in re.findall(r"\w+", footer) if word.isupper() and len(word) > 2]
    assert asked, footer
    assert fold(asked[-1]) in MORE_WORDS, footer
