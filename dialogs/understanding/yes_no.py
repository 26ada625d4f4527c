"""Yes and no in words, in every language residents write, with or without diacritics."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from dialogs.core.actions import BookingAction, PrivacyAction, RequestAction
from dialogs.understanding.text import tokens


class Answer(StrEnum):
    """What a resident says to a yes/no question."""

    YES = "yes"
    NO = "no"


# Folded words. "ja" is Latvian "jā" without its accent; "ne" is no in both Baltic languages.
_WORDS: dict[str, Answer] = {
    **dict.fromkeys(
        (
            "yes",
            "y",
            "ok",
            "okay",
            "sure",
            "taip",
            "gerai",
            "tinka",
            "jo",
            "ja",
            "labi",
            "der",
            "protams",
            "да",
            "ага",
            "хорошо",
            "ок",
            "конечно",
            "da",
            "horosho",
            "khorosho",
            "konechno",
        ),
        Answer.YES,
    ),
    **dict.fromkeys(("no", "n", "ne", "nea", "nope", "нет", "не", "net"), Answer.NO),
}
MAX_WORDS = 3  # "taip, prašau", "nē, paldies"; a longer message says more than yes or no


def yes_or_no(text: str) -> Answer | None:
    """Yes or no, when a short message starts with one ("Taip", "nē, paldies", "да")."""
    words = tokens(text)
    if not words or len(words) > MAX_WORDS:
        return None
    return _WORDS.get(words[0])


# What "yes" and "no" pick when such a choice is on screen: an action name, or a whole action
# where the argument is the answer ("rqkeep:1").
_CONFIRMS: dict[str, Answer] = {
    PrivacyAction.ERASE: Answer.YES,
    BookingAction.CANCEL_CONFIRMED: Answer.YES,
    BookingAction.KEEP: Answer.NO,
    BookingAction.OFFER_YES: Answer.YES,
    BookingAction.OFFER_NO: Answer.NO,
    RequestAction.SEND: Answer.YES,
    f"{RequestAction.SAVED_ADDRESS}:saved": Answer.YES,
    f"{RequestAction.KEEP_ADDRESS}:1": Answer.YES,
    f"{RequestAction.KEEP_ADDRESS}:0": Answer.NO,
    f"{RequestAction.SAVED_ADDRESS}:new": Answer.NO,
    RequestAction.WITHDRAW_CONFIRMED: Answer.YES,
    RequestAction.KEEP: Answer.NO,
    f"{RequestAction.CALL_BACK}:voice": Answer.YES,
    RequestAction.CALL_BACK: Answer.YES,  # "Would you like to talk to a person?" - "да"
    BookingAction.CANCEL: Answer.YES,  # one booking listed: "cancel it?" - "jā"
}


# Choices that do something final: a "no" to them does nothing, and says so.
_FINAL = frozenset({PrivacyAction.ERASE, RequestAction.SEND})


def declines(text: str, actions: Sequence[str]) -> bool:
    """A "no" to a question that only "yes" (doing it) answers: "Send?" - "nē"."""
    return yes_or_no(text) == Answer.NO and any(
        action.partition(":")[0] in _FINAL for action in actions
    )


def answer_of(action: str) -> Answer | None:
    """Whether choosing `action` says yes or no (None: it is not an answer to a question)."""
    return _CONFIRMS.get(action) or _CONFIRMS.get(action.partition(":")[0])


def answered(text: str, actions: Sequence[str]) -> str | None:
    """The one action on screen that a yes or no in words picks, if there is exactly one."""
    said = yes_or_no(text)
    if said is None:
        return None
    picked = [action for action in actions if answer_of(action) == said]
    return picked[0] if len(picked) == 1 else None
