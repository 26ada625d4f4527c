"""Start-up work that would otherwise fall on the first residents' turns: each was a stall of
the database's thread, and so of every turn queued behind it (the holidays package's country
modules alone take 0.17 s to import)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from babel.dates import format_timedelta
from babel.lists import format_list

from dialogs.core.clock import LOCAL_ZONE
from dialogs.core.i18n import LANGUAGES, Catalogs
from dialogs.flows.booking.offers import day_label, holiday_label
from dialogs.understanding.nlu.reader import reader
from storage.content import Content

# One line a language the reader tells apart: lingua loads each language's models on the
# first text that could be in it.
SAMPLES = (
    "labas rytas, ar galiu užsirašyti į dušą",
    "labdien, vai varu pierakstīties uz dušu",
    "здравствуйте, можно записаться в душ",
    "zdravstvujte, mozhno zapisatsja v dush",
    "hello, can I book a shower",
)


def warm_up(content: Content, catalogs: Catalogs, today: date) -> None:
    """Load what turns would load on first use: the reader and its language models, the
    public holidays of each municipality's country, babel's data for each language."""
    read = reader()
    for sample in SAMPLES:
        read.read(sample, None, today)
    for municipality in content.municipalities.values():
        for lang in municipality.languages:
            t = catalogs.get(lang)
            for year in (today.year, today.year + 1):  # the booking horizon crosses New Year
                holiday_label(t, municipality.country, date(year, 1, 1))
    now = datetime.now(LOCAL_ZONE)
    for lang in LANGUAGES:
        t = catalogs.get(lang)
        day_label(t, today)
        t.moment(now)
        t.long_date(today)
        t.language_name()
        format_list(["a", "b"], locale=lang)  # the menu's list of topics
        format_timedelta(timedelta(hours=1), format="short", locale=lang)  # staff cards
