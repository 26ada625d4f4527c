"""`make eval`'s second reading: evaluation lines typed through the whole pipeline."""

from __future__ import annotations

from bot.nlu_journeys import journeys, served
from bot.settings import Settings
from dialogs.understanding.nlu.intents import Example


def test_the_actions_a_turn_ran_say_what_it_served() -> None:
    assert served(["bk:laundry", "bkday:2021-11-02"]) == "book_laundry"
    assert served(["dept:social-service"]) == "contacts"
    assert served(["mybk"]) == "my_bookings"
    assert served([]) == "unknown"


async def test_lines_are_typed_as_residents_and_graded_by_what_was_done() -> None:
    lines = [
        Example("ru", "book_shower", "zapisat na dush zavtra"),  # Koknese: bookings
        Example("lt", "isolation_help", "man reikia maisto, negaliu iseiti"),  # Elektrėnai
        Example("lv", "unknown", "Kā pierakstīties pie zobārsta?"),
        Example("lv", "book_laundry", "gribu uz dušu"),  # graded wrong: the shower was booked
    ]
    report = await journeys(Settings.from_env({}), lines)
    assert +report.right == {"ru (Latin letters)": 1, "lt": 1, "out of scope refused": 1}
    assert report.total["lv"] == 1
