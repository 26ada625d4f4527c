"""Every reply of the demo flows fits the SMS budget, and what folding saves."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from dialogs.pipeline.engine import Engine
from dialogs.render.sms_encoding import is_gsm, segments
from tests.conftest import FixedClock
from tests.flows import all_replies, sent_pages, written_segments


@pytest.mark.parametrize(
    ("payload", "transliterate"),
    [
        ("elektrenai_lt", True),
        ("koknese_lv", True),
        ("daugavpils_ru", True),
        ("visaginas_ru", True),
    ],
)
async def test_every_reply_fits_two_segments_a_page(
    engine: Engine, clock: FixedClock, payload: str, transliterate: bool
) -> None:
    clock.current = datetime(2021, 11, 1, 9, 0, tzinfo=UTC)
    replies = await all_replies(engine, payload)
    assert len(replies) > 10
    written = sent = 0
    for reply in replies:
        written += written_segments(reply)
        pages = sent_pages(reply, transliterate)
        for page in pages:
            assert is_gsm(page), page
            assert segments(page)[1] <= 2, page
        sent += sum(segments(page)[1] for page in pages)
    assert sent < written  # folding to GSM-7 costs less than the UCS-2 original
    print(f"{payload}: {len(replies)} replies, {written} segments as written, {sent} as sent")
