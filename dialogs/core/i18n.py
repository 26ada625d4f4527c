"""Gettext catalogs (babel) and language-aware formatting of dates and counts."""

from __future__ import annotations

import datetime
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_skeleton, format_time
from babel.support import NullTranslations, Translations

from dialogs.core.clock import LOCAL_ZONE

LANGUAGES = ("lt", "lv", "ru", "en")
DOMAIN = "messages"
SENTENCE_DATE_PATTERNS = {"lv": "dd.MM.yyyy"}


def N_(message: str) -> str:  # noqa: N802 - the conventional gettext marker name
    """Mark a string for extraction; it is translated later, where it is shown."""
    return message


class Translator:
    """Translations and formatting for one language."""

    def __init__(self, lang: str, translations: NullTranslations) -> None:
        self.lang = lang
        self._translations = translations

    def _(self, message: str) -> str:
        """Translate a message."""
        return str(self._translations.gettext(message))

    def fill(self, message: str, **values: object) -> str:
        """Translate and fill in; a date ending in "г." at the end of a sentence keeps one dot."""
        text = self._(message) % values
        return text[:-1] if text.endswith("..") else text

    def n_(self, singular: str, plural: str, count: int) -> str:
        """Translate a message with the plural form that fits `count`."""
        return str(self._translations.ngettext(singular, plural, count))

    def date(self, day: datetime.date) -> str:
        """A date inside a sentence: "2020 m. kovo 27 d.", "27.03.2020", "27 марта 2020 г."."""
        # Babel's Latvian long date is nominative ("27. marts"), wrong after "līdz" or "no";
        # Latvian notices write the numeric date there ("līdz 14.04.2020").
        return str(
            format_date(day, SENTENCE_DATE_PATTERNS.get(self.lang, "long"), locale=self.lang)
        )

    def moment(self, at: datetime.datetime) -> str:
        """A date and a time of day, in local time: "2021 m. lapkričio 4 d. 14:00"."""
        local = at.astimezone(LOCAL_ZONE)
        day, hour = self.date(local.date()), format_time(local, "HH:mm", locale=self.lang)
        # Russian says the time first: "до 09:00 2 ноября 2021 г."
        return f"{hour} {day}" if self.lang == "ru" else f"{day} {hour}"

    def time(self, at: datetime.datetime) -> str:
        """A time of day, in local time, as the language writes it: "14:40", "2:40 PM"."""
        return str(format_time(at.astimezone(LOCAL_ZONE), "short", locale=self.lang))

    def long_date(self, day: datetime.date) -> str:
        """A long date standing alone: "2020 m. kovo 27 d.", "2020. gada 27. marts"."""
        return str(format_date(day, "long", locale=self.lang))

    def day_month(self, day: datetime.date) -> str:
        """Day and month only: "kovo 27 d.", "27. marts", "27 марта"."""
        return str(format_skeleton("MMMMd", day, locale=self.lang))

    def language_name(self, capitalised: bool = True) -> str:
        """The language's own name: "Lietuvių", "Русский" (a label), "русский" (in a
        sentence)."""
        return own_name(self.lang, capitalised)


def own_name(lang: str, capitalised: bool = True) -> str:
    """A language's name in itself: "Lietuvių", "Latviešu"."""
    name = Locale.parse(lang).get_display_name(lang) or lang
    return name[:1].upper() + name[1:] if capitalised else name


class Catalogs:
    """The compiled catalogs of every supported language, loaded once."""

    def __init__(self, locales_dir: Path) -> None:
        self._translators: dict[str, Translator] = {}
        for lang in LANGUAGES:
            translations = Translations.load(str(locales_dir), locales=[lang], domain=DOMAIN)
            if lang != "en" and not isinstance(translations, Translations):
                raise FileNotFoundError(
                    f"no compiled catalog for {lang!r} in {locales_dir} (run `make messages`)"
                )
            self._translators[lang] = Translator(lang, translations)

    def get(self, lang: str | None) -> Translator:
        """The translator for `lang`, English if unknown."""
        return self._translators.get(lang or "en", self._translators["en"])
