"""Words that lead to the main dialogs from anywhere, in any language, with or without accents."""

from __future__ import annotations

from rapidfuzz import fuzz, process

from dialogs.core.actions import ServicesAction, SetupAction
from dialogs.understanding.nlu.entities import facilities_in, needs_named
from dialogs.understanding.text import fold

# The action each word leads to. Whole messages only: "pagalba" is help, while
# "pagalba į namus" (home help) must reach the contacts search instead.
KEYWORDS: dict[str, tuple[str, ...]] = {
    "menu": ("menu", "start", "meniu", "pradžia", "izvēlne", "sākums", "меню", "начало", "старт"),
    "help": (
        "help",
        "how to use",
        "pagalba",
        "padėkite",
        "kaip naudotis",
        "palīdzība",
        "palīdziet",
        "kā lietot",
        "помощь",
        "помогите",
        "как пользоваться",
    ),
    "contacts": (
        "contacts",
        "contact",
        "phone",
        "phones",
        "kontaktai",
        "kontaktas",
        "telefonas",
        "telefonai",
        "kontakti",
        "kontakts",
        "tālrunis",
        "tālruņi",
        "telefons",
        "контакты",
        "контакт",
        "телефон",
        "телефоны",
    ),
    "services": (
        "services",
        "service availability",
        "what works",
        "paslaugos",
        "kas veikia",
        "pakalpojumi",
        "kas strādā",
        "услуги",
        "что работает",
    ),
    f"{ServicesAction.RESTRICTED}:now": (
        "restrictions",
        "what is suspended",
        "what is closed",
        "apribojimai",
        "kas sustabdyta",
        "ierobežojumi",
        "kas apturēts",
        "kas slēgts",
        "ограничения",
        "что приостановлено",
        "что закрыто",
    ),
    "language": ("language", "kalba", "valoda", "язык", SetupAction.LANGUAGE),
    "certificates": (
        "certificates",
        "certificate",
        "pažymos",
        "pažyma",
        "izziņas",
        "izziņa",
        "справки",
        "справка",
    ),
    "book": (
        "book",
        "booking",
        "bookings",
        "registracija",
        "užsiregistruoti",
        "pieraksts",
        "pierakstīties",
        "запись",
        "записаться",
    ),
    "mybk": ("my bookings", "mano registracijos", "mani pieraksti", "мои записи"),
    "human": (
        "talk to a person",
        "person",
        "operator",
        "žmogus",
        "kalbėti su žmogumi",
        "operatorius",
        "cilvēks",
        "runāt ar cilvēku",
        "operators",
        "человек",
        "оператор",
        "поговорить с человеком",
    ),
    "rqgo": (
        "continue my request",
        "tęsti prašymą",
        "turpināt pieprasījumu",
        "продолжить заявку",
    ),
    "forget": ("forget me", "forget", "pamiršk mane", "aizmirsti mani", "забудь меня"),
    "myrq": (
        "my requests",
        "my request",
        "mano prašymai",
        "mano prašymas",
        "mani pieprasījumi",
        "mans pieprasījums",
        "what happened to my request",
        "kas su mano prašymu",
        "kas notiek ar manu pieprasījumu",
        "что с моей заявкой",
        "мои заявки",
        "моя заявка",
    ),
    "municipality": (
        "municipality",
        "savivaldybė",
        "pašvaldība",
        "novads",
        "муниципалитет",
        "самоуправление",
    ),
    "back": ("back", "0", "atgal", "atpakaļ", "назад"),
    "thanks": (
        "thanks",
        "thank you",
        "ačiū",
        "labai ačiū",
        "dėkoju",
        "paldies",
        "liels paldies",
        "спасибо",
        "большое спасибо",
        "благодарю",
        "spasibo",
    ),
}

_INDEX: dict[str, str] = {
    fold(word): action for action, words in KEYWORDS.items() for word in words
}


# Stems of thanks, wherever they stand in a short message: "Спасибо большое!", "ačiū labai",
# "ok spasibo", "liels paldies jums".
THANKS_STEMS = ("aciu", "dekoj", "paldies", "спасиб", "spasib", "благодар", "спс", "thank")
THANKS_MAX_WORDS = 8


def says_thanks(text: str) -> bool:
    """A short message that thanks ("Спасибо, до свидания", "labai ačiū jums"), and names
    no shower, laundry or need ("stirka uzhe ne nuzhna, spasibo" says more)."""
    words = fold(text).split()
    return (
        0 < len(words) <= THANKS_MAX_WORDS
        and any(word.startswith(THANKS_STEMS) for word in words)
        and not facilities_in(words)
        and not any(needs_named(text))
    )


def keyword_action(text: str) -> str | None:
    """The action a whole message names as a keyword, allowing a small typo in longer words."""
    folded = fold(text)
    if folded in _INDEX:
        return _INDEX[folded]
    if len(folded) < 5:
        return None
    found = process.extractOne(folded, list(_INDEX), scorer=fuzz.ratio, score_cutoff=85)
    return _INDEX[found[0]] if found else None
