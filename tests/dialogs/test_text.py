"""Folding, matching of choices and keywords, and the phrase search."""

from __future__ import annotations

import pytest

from dialogs.understanding.keywords import keyword_action
from dialogs.understanding.matching import Candidate, best_matches
from dialogs.understanding.text import clean, fold, match_label


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Pagalba į namus?", "pagalba i namus"),
        ("IZVĒLNE", "izvelne"),
        ("Šeimos  ir   vaiko", "seimos ir vaiko"),
        ("Ещё МЕНЮ!", "еще меню"),
        ("👋 sveiki", "sveiki"),
        ("'; DROP TABLE residents;--", "drop table residents"),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_clean_drops_control_and_invisible_characters() -> None:
    assert clean("\x00kon\x07tak\u200btai\x1b \n") == "kontaktai"
    assert clean(" a\nb ") == "a\nb"


@pytest.mark.parametrize(
    ("text", "index"),
    [
        ("2", 1),
        ("  3 ", 2),
        ("0", None),
        ("9", None),
        ("kontaktai", 0),
        ("KONTAKTAI", 0),
        ("Paslaugu teikimas", 1),
        ("paslaugų teikimaz", 1),
        ("kalba", None),
    ],
)
def test_match_label(text: str, index: int | None) -> None:
    assert match_label(text, ["Kontaktai", "Paslaugų teikimas", "Pagalba"]) == index


@pytest.mark.parametrize(
    ("text", "action"),
    [
        ("meniu", "menu"),
        ("Izvēlne", "menu"),
        ("izvelne", "menu"),
        ("МЕНЮ", "menu"),
        ("pagalba", "help"),
        ("palidziba", "help"),
        ("помощь", "help"),
        ("kontaktai", "contacts"),
        ("kontakti", "contacts"),
        ("контакты", "contacts"),
        ("kontaktaj", "contacts"),
        ("paslaugos", "services"),
        ("pakalpojumi", "services"),
        ("ierobezojumi", "status:now"),
        ("kalba", "language"),
        ("язык", "language"),
        ("savivaldybe", "municipality"),
        ("atgal", "back"),
        ("0", "back"),
        ("pagalba i namus", None),
        ("labas", None),
        ("", None),
    ],
)
def test_keywords_in_every_language(text: str, action: str | None) -> None:
    assert keyword_action(text) == action


CANDIDATES = [
    Candidate("home-help", ("Pagalba į namus", "home help", "помощь на дому")),
    Candidate("isolation", ("Pagalba namuose izoliuotiems asmenims", "isolation")),
    Candidate("mobile", ("Mobilās aprūpes vienība",)),
]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("who do I call about home help?", ["home-help"]),
        ("Į ką kreiptis dėl pagalbos į namus?", ["home-help"]),
        ("kam skambinti del pagalbos i namus", ["home-help"]),
        ("нужна помощь на дому", ["home-help"]),
        ("mobilā aprūpe", ["mobile"]),
        ("mobilas aprupes vieniba", ["mobile"]),
        ("what is the weather tomorrow", []),
    ],
)
def test_best_matches(query: str, expected: list[str]) -> None:
    assert best_matches(query, CANDIDATES) == expected


@pytest.mark.parametrize("text", ["➁", "٣", "9" * 40])
def test_strange_digits_are_no_choice_number(text: str) -> None:
    """Found by fuzzing: str.isdigit() is true for "➁", which int() refuses."""
    assert match_label(text, ["Kontaktai", "Paslaugos"]) is None
