"""Property-based: any answer, split into SMS pages, keeps every page within the segment budget
and loses no word; folding gives GSM-7 for Baltic and (transliterated) Russian text."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from dialogs.render.sms_encoding import fits, fold, is_gsm
from dialogs.render.sms_pages import paginate

MORE = "Reply MORE for the rest."
SUFFIX = re.compile(r"\n\(\d+/\d+\)( Reply MORE for the rest\.)?$")
BALTIC_RUSSIAN = (
    "aąbcčdeęėfghiįyjklmnoprsštuųūvzžāēģīķļņ AĄČĘĖĮŠŲŪŽĀĒĢĪĶĻŅ"
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюя–„“№.,!?\n0123456789"
)

words = st.text(alphabet=BALTIC_RUSSIAN, min_size=1, max_size=400)
anything = st.text(min_size=1, max_size=1500)
# A link or a run of characters with no space, longer than a page.
runs = st.builds(
    lambda head, char, times: head + char * times,
    st.text(max_size=30),
    st.sampled_from(["x", "ž", "ы", "{", "😀"]),
    st.integers(100, 1200),
)


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(words, anything, runs), budget=st.integers(1, 4))
def test_pages_fit_the_budget_and_lose_nothing(text: str, budget: int) -> None:
    pages = paginate(text, budget, MORE)
    for page in pages:
        assert fits(page, budget), (len(page), page[:80])
    pieces = [SUFFIX.sub("", page) for page in pages] if len(pages) > 1 else pages
    assert "".join("".join(pieces).split()) == "".join(text.split())


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=BALTIC_RUSSIAN, max_size=300))
def test_baltic_and_transliterated_russian_fold_to_gsm(text: str) -> None:
    assert is_gsm(fold(text, transliterate_cyrillic=True))
