"""Details in the same message: the day, the facility, what is needed."""

from __future__ import annotations

from datetime import date

from dialogs.understanding.dates import parse_day
from dialogs.understanding.text import fold

# Folded word stems, in lt, lv and ru (Cyrillic stays Cyrillic when folded).
FACILITY_STEMS = {
    "shower": ("dus", "душ"),
    "laundry": (
        "skalb",
        "vela",
        "velu",
        "velas",
        "стир",
        "прачеч",
        "бель",
        "stirk",
        "stiral",
        "postir",
        "prachech",
        "belj",
        "bely",
    ),
}
NEED_STEMS = {
    "food": (
        "maist",
        "valgy",
        "produkt",
        "partik",
        "edien",
        "maiz",
        "еда",
        "еды",
        "продукт",
        "хлеб",
    ),
    "medicine": ("vaist", "zale", "zales", "лекарст", "таблет", "lekarst", "tabletk"),
    "hygiene": ("higien", "muil", "ziep", "tualet", "гигиен", "мыл", "туалет", "gigien"),
}


def _stems_in(words: list[str], table: dict[str, tuple[str, ...]]) -> list[str]:
    return [key for key, stems in table.items() if any(w.startswith(stems) for w in words)]


def facilities_in(words: list[str]) -> list[str]:
    """The facilities folded words name."""
    return _stems_in(words, FACILITY_STEMS)


# Words that turn from what is not wanted to what is: "ne dush, a stirka", "nereikia dušo,
# noriu skalbimo", "nevis duša, bet veļa", "не душ, а стирка".
CONTRAST = frozenset(
    {"a", "bet", "o", "tik", "noriu", "nevis", "gribu", "vajag", "а", "но", "хочу", "нужна"}
)


def facility_named(text: str) -> str | None:
    """The facility a message asks for ("shower", "laundry"): the one it names, or, naming
    both, the one after the turn from what is not wanted ("ne dush, a stirka")."""
    words = fold(text).split()
    facilities = _stems_in(words, FACILITY_STEMS)
    if len(facilities) == 1:
        return facilities[0]
    turns = [index for index, word in enumerate(words) if word in CONTRAST]
    if not facilities or not turns:
        return None
    after = _stems_in(words[turns[-1] + 1 :], FACILITY_STEMS)
    return after[0] if len(after) == 1 else None


def extract(text: str, today: date) -> dict[str, object]:
    """{"day": "2021-11-05", "facility": "shower", "needs": ["food"]}, only what is there."""
    words = fold(text).split()
    found: dict[str, object] = {}
    day = parse_day(text, today)
    if day is not None:
        found["day"] = day.isoformat()
    facilities = _stems_in(words, FACILITY_STEMS)
    if len(facilities) == 1:
        found["facility"] = facilities[0]
    needs = _stems_in(words, NEED_STEMS)
    if needs:
        found["needs"] = needs
    return found
