"""Details in the same message: the day, the facility, what is needed."""

from __future__ import annotations

import re
from datetime import date

from dialogs.understanding.dates import parse_day
from dialogs.understanding.text import fold

BOOKINGS = {"shower": "book_shower", "laundry": "book_laundry"}  # facility -> its intent
# Folded word stems, in lt, lv and ru (Cyrillic stays Cyrillic when folded).
FACILITY_STEMS: dict[str, tuple[str, ...]] = {
    "shower": (
        "dus",
        "душ",
        "praus",  # lt "nusiprausti", "išsiprausti"
        "nusipraus",
        "issipraus",
        "nomazgaties",  # lv "nomazgāties"
        "nomazgajos",
        "помытьс",  # "помыться", not "помыть посуду"
        "помытс",
        "помыца",
        "помоюс",
        "pomytsya",
        "pomytsa",
        "pomitsa",
        "pomoyus",
        "ванн",
        "vann",
    ),
    "laundry": (
        "skalb",
        "drabuz",  # lt "išplauti drabužius"
        "dreb",  # lv "drēbes"
        "одежд",
        "odezhd",
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
        "prachesh",
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
        "hleb",
        "khleb",
        "edoj",
    ),
    "medicine": ("vaist", "zale", "zales", "лекарст", "таблет", "lekarst", "tabletk"),
    "hygiene": ("higien", "muil", "ziep", "tualet", "гигиен", "мыл", "туалет", "gigien"),
}


# A language, or the word for one ("kalba", "valoda", "язык"): the language intent needs one.
LANGUAGE_STEMS = (
    "kalb",
    "valod",
    "язык",
    "yazyk",
    "jazyk",
    "rus",
    "рус",
    "kriev",
    "lietuv",
    "литов",
    "litov",
    "latv",
    "латыш",
    "latysh",
    "latgal",
    "angl",
    "англ",
    "english",
)


# Words for being booked already (participles and the past: "ar aš užsiregistravęs", "kurā
# dienā pierakstījos", "я записана?"): a question about one's bookings, not a new booking.
BOOKED_STEMS = (
    "uzsiregistrav",  # "užsiregistravęs", never "užsiregistruoti"
    "uzsirases",
    "uzsirasiusi",
    "uzregistruotas",
    "uzregistruota",
    "pierakstits",
    "pierakstita",
    "pierakstijos",
    "pierakstijies",
    "записан",
    "записал",
    "zapisan",
    "zapisal",
)


def says_booked(text: str) -> bool:
    """The message speaks of a booking already made."""
    return any(word.startswith(BOOKED_STEMS) for word in fold(text).split())


def names_a_language(text: str) -> bool:
    """The message names a language or says "language"."""
    return any(word.startswith(LANGUAGE_STEMS) for word in fold(text).split())


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


# Words that say a thing is not wanted: "nereikia dušo", "nevajag dušu", "душ не нужен".
NEGATIONS = frozenset({"ne", "не", "net", "нет", "nav", "nevis"})
NEGATION_STEMS = (
    "nereik",
    "nebereik",
    "nenor",
    "nebenor",
    "nevajag",
    "negrib",
    "ненуж",
    "neatvyk",  # lt "neatvyksiu": will not come
    "neateis",
    "negales",
    "nenak",  # lv "nenākšu"
    "nevares",
)
ONLY = frozenset({"tik", "tiktai", "tikai", "только", "tolko"})
_CLAUSE_END = re.compile(r"[,.;:!?()\n-]+")


def facility_named(text: str) -> str | None:
    """The facility a message asks for ("shower", "laundry"): the one it names, or, naming
    both, the one not negated ("nereikia man dušo, noriu skalbimo") or after the turn from
    what is not wanted ("ne dush, a stirka")."""
    words = fold(text).split()
    facilities = _stems_in(words, FACILITY_STEMS)
    if len(facilities) != 2:
        return facilities[0] if facilities else None
    wanted = {f for clause in _clauses(text) if not _negated(clause) for f in facilities_in(clause)}
    unwanted = {f for clause in _clauses(text) if _negated(clause) for f in facilities_in(clause)}
    if len(wanted - unwanted) == 1:
        return (wanted - unwanted).pop()
    turns = [index for index, word in enumerate(words) if word in CONTRAST]
    if not turns:
        return None
    after = _stems_in(words[turns[-1] + 1 :], FACILITY_STEMS)
    return after[0] if len(after) == 1 else None


def refused_facility(text: str) -> str | None:
    """The one facility a message names only to say it is not wanted ("veļu vairs nevajag
    mazgāt", "стирка уже не нужна"): a cancellation, never a booking of it."""
    named = [(facilities_in(clause), _negated(clause)) for clause in _clauses(text)]
    facilities = {f for found, _ in named for f in found}
    if len(facilities) != 1 or not all(negated for found, negated in named if found):
        return None
    return facilities.pop()


def needs_named(text: str) -> tuple[list[str], list[str]]:
    """The needs a message asks for, and those it turns down: "ne maisto, tik higienos" ->
    (["hygiene"], ["food"])."""
    clauses = _clauses(text)
    only = [n for c in clauses if ONLY.intersection(c) for n in _stems_in(c, NEED_STEMS)]
    if only:  # "tik higienos": that, and nothing else
        return only, [need for need in NEED_STEMS if need not in only]
    wanted = [n for c in clauses if not _negated(c) for n in _stems_in(c, NEED_STEMS)]
    unwanted = [n for c in clauses if _negated(c) for n in _stems_in(c, NEED_STEMS)]
    return list(dict.fromkeys(wanted)), [n for n in dict.fromkeys(unwanted) if n not in wanted]


def _clauses(text: str) -> list[list[str]]:
    """The folded words between punctuation and turns ("ne dush, a stirka": two clauses)."""
    clauses: list[list[str]] = []
    for part in _CLAUSE_END.split(text):
        clause: list[str] = []
        for word in fold(part).split():
            if word in CONTRAST and clause:
                clauses.append(clause)
                clause = []
            clause.append(word)
        clauses.append(clause)
    return [clause for clause in clauses if clause]


def _negated(words: list[str]) -> bool:
    return any(word in NEGATIONS or word.startswith(NEGATION_STEMS) for word in words)


def extract(text: str, today: date) -> dict[str, object]:
    """{"day": "2021-11-05", "facility": "shower", "needs": ["food"]}, only what is there."""
    words = fold(text).split()
    found: dict[str, object] = {}
    day = parse_day(text, today)
    if day is not None:
        found["day"] = day.isoformat()
    facility = facility_named(text)
    if facility is not None:
        found["facility"] = facility
    needs = _stems_in(words, NEED_STEMS)
    if needs:
        found["needs"] = needs
    return found
