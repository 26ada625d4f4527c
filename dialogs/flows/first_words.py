"""The language of a first message: a greeting or a language's name, as people type them by
SMS (with or without diacritics, in Cyrillic or in Latin letters)."""

from __future__ import annotations

from dialogs.understanding.text import fold

# Folded whole messages. "Sveiki" is both Lithuanian and Latvian: the phone's country decides.
_WORDS: dict[str, tuple[str, ...]] = {
    "lt": (
        "labas",
        "laba diena",
        "labas rytas",
        "labas vakaras",
        "sveiki",
        "sveikas",
        "sveika",
        "lietuviskai",
        "lietuviu",
        "lietuviu kalba",
        "lietuviskai prasau",
    ),
    "lv": (
        "labdien",
        "labu dienu",
        "labrit",
        "labvakar",
        "sveiki",
        "sveiks",
        "sveika",
        "latviski",
        "latviesu",
        "latviesu valoda",
        "latviski ludzu",
    ),
    "ru": (
        "здравствуйте",
        "здравствуй",
        "здрасьте",
        "привет",
        "добрый день",
        "доброе утро",
        "добрый вечер",
        "по русски",
        "русский",
        "на русском",
        "zdravstvuyte",
        "zdravstvujte",
        "zdrastvuyte",
        "zdravstvuite",
        "privet",
        "dobryy den",
        "dobryj den",
        "dobriy den",
        "dobry den",
        "dobroe utro",
        "dobryy vecher",
        "po russki",
        "porusski",
        "russkiy",
        "russkij",
        "na russkom",
    ),
    "en": ("hello", "hi", "good morning", "good afternoon", "good evening", "english"),
}
_LANGUAGES: dict[str, tuple[str, ...]] = {}
for _lang, _words in _WORDS.items():
    for _word in _words:
        _LANGUAGES[fold(_word)] = (*_LANGUAGES.get(fold(_word), ()), _lang)


def language_of(text: str, country_language: str | None) -> str | None:
    """The language a greeting or a language's name is in; of two, the phone country's."""
    found = _LANGUAGES.get(fold(text), ())
    if len(found) > 1:
        return country_language if country_language in found else None
    return found[0] if found else None


def written_in_cyrillic(text: str) -> bool:
    """Mostly Cyrillic letters: Russian, whatever the words ("справка о декларации")."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum("\u0400" <= c <= "\u04ff" for c in letters) > len(letters) / 2
