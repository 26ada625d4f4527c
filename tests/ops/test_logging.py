"""Logs as an operator reads them: BOT_LOG_FORMAT=json gives one JSON object a line with the
time, level, logger, message and the turn's short id; the lines of one turn share it, two
turns differ; none names the resident."""

from __future__ import annotations

import json
import re
import signal
from pathlib import Path

import pytest

from tests.bot.fake_telegram import FakeTelegram
from tests.bot.test_run import _start, _stop

pytestmark = pytest.mark.slow


async def test_json_logs_carry_the_turns_short_id_and_no_person(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    process = await _start(
        fake, tmp_path / "bot.sqlite3", BOT_LOG_LEVEL="DEBUG", BOT_LOG_FORMAT="json"
    )
    await fake.user_says(3201, "/start elektrenai_lt")
    await fake.wait_for("sendMessage", 1, within=30)
    await fake.user_says(3201, "Kontaktai")
    await fake.wait_for("sendMessage", 2, within=30)
    stderr = await _stop(process, signal.SIGTERM)
    events = [json.loads(line) for line in stderr.splitlines() if line.strip()]
    assert events, stderr
    for event in events:
        assert {"time", "level", "name", "message", "turn"} <= set(event), event
        assert "3201" not in json.dumps(event, ensure_ascii=False)  # who wrote
        assert "Kontaktai" not in event["message"]
    turns = [e["turn"] for e in events if e["message"].startswith("answered telegram")]
    assert len(turns) == 2, events
    assert all(re.fullmatch(r"[0-9a-f]{8}", turn) for turn in turns)
    assert turns[0] != turns[1]
