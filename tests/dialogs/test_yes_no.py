"""Yes and no in words pick the confirmation on screen."""

from __future__ import annotations

import pytest

from dialogs.core.actions import BookingAction, PrivacyAction, RequestAction
from dialogs.understanding.yes_no import Answer, answered, declines, yes_or_no


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Taip", Answer.YES),
        ("taip, prašau", Answer.YES),
        ("Jā", Answer.YES),
        ("ja", Answer.YES),
        ("labi", Answer.YES),
        ("gerai", Answer.YES),
        ("Да", Answer.YES),
        ("хорошо", Answer.YES),
        ("ok", Answer.YES),
        ("ne", Answer.NO),
        ("Nē, paldies", Answer.NO),
        ("нет", Answer.NO),
        ("ne, nereikia man nieko daugiau siųsti", None),  # says more than no
        ("pagalba", None),
        ("", None),
    ],
)
def test_yes_or_no(text: str, expected: Answer | None) -> None:
    assert yes_or_no(text) == expected


CANCEL_QUESTION = [f"{BookingAction.CANCEL_CONFIRMED}:7", BookingAction.KEEP, "menu"]


def test_the_one_matching_choice_is_picked() -> None:
    assert answered("jā", CANCEL_QUESTION) == f"{BookingAction.CANCEL_CONFIRMED}:7"
    assert answered("nē", CANCEL_QUESTION) == BookingAction.KEEP
    assert answered("taip", [f"{RequestAction.KEEP_ADDRESS}:1", f"{RequestAction.KEEP_ADDRESS}:0"])
    assert answered("jā", ["menu", "contacts"]) is None  # nothing to say yes to
    two_offers = [f"{BookingAction.OFFER_YES}:1", f"{BookingAction.OFFER_YES}:2"]
    assert answered("да", two_offers) is None  # which one? the numbers say


def test_no_to_a_final_step_declines_it() -> None:
    assert declines("нет", [RequestAction.SEND, "menu"])
    assert declines("ne", [PrivacyAction.ERASE, "menu"])
    assert not declines("taip", [RequestAction.SEND, "menu"])
    assert not declines("ne", [f"{RequestAction.SAVED_ADDRESS}:saved", "menu"])
