"""Words residents answer a request's questions with: how urgent, and "that is all"."""

from __future__ import annotations

from dialogs.understanding.text import fold

# Folded stems, in lt, lv, ru (Cyrillic and Latin letters) and en. "Not urgent" is read before
# "urgent" ("neskubu" starts with "ne").
_SOON = (
    "ne labai skub",
    "nelabai skub",
    "negreit",
    "rytoj",
    "poryt",
    "ne parak steidz",
    "не очень сроч",
    "завтра",
    "zavtra",
    "neskub",
    "ne skub",
    "nav steidz",
    "nesteidz",
    "per kelias",
    "per artimiaus",
    "tuvakaj",
    "nekaď",
    "не сроч",
    "ne sroch",
    "не спеш",
    "в ближайш",
    "not urgent",
    "next days",
    "few days",
    "soon",
)
_TODAY = (
    "skub",
    "siandien",
    "kuo greiciau",
    "steidz",
    "sodien",
    "tulit",
    "срочн",
    "сегодня",
    "sroch",
    "segodnya",
    "как можно скорее",
    "today",
    "urgent",
    "asap",
)
_DONE = (
    "viskas",
    "tai viskas",
    "tiek",
    "viss",
    "tas ir viss",
    "vse",
    "все",
    "всё",
    "это все",
    "это всё",
    "that is all",
    "thats all",
    "done",
    "nothing else",
)


def urgency_in(text: str) -> str | None:
    """ "today" or "soon", when the words say how urgent ("labai skubu", "не срочно")."""
    folded = fold(text)
    if any(stem in folded for stem in _SOON):
        return "soon"
    if any(stem in folded for stem in _TODAY):
        return "today"
    return None


def says_done(text: str) -> bool:
    """ "That is all" in a resident's words ("viskas", "tas ir viss", "всё")."""
    return fold(text) in _DONE
