"""TELEGRAM_OVERALL_RATE: Telegram's 30 a second by default, higher with paid broadcasts, 0 off."""

from __future__ import annotations

import pytest

from bot.channels.telegram.limits import rate_limiter
from bot.settings import Settings, SettingsError


@pytest.mark.parametrize(("value", "rate"), [("", 30.0), ("0", 0.0), ("100", 100.0)])
def test_overall_rate(value: str, rate: float) -> None:
    assert Settings.from_env({"TELEGRAM_OVERALL_RATE": value}).telegram_overall_rate == rate


@pytest.mark.parametrize("value", ["-1", "fast", "0,5"])
def test_bad_overall_rate_is_named(value: str) -> None:
    with pytest.raises(SettingsError, match="TELEGRAM_OVERALL_RATE"):
        Settings.from_env({"TELEGRAM_OVERALL_RATE": value})


def test_zero_turns_the_overall_limit_off() -> None:
    assert rate_limiter(0.0)._base_limiter is None
    limited = rate_limiter(30.0)._base_limiter
    assert limited is not None
    assert limited.max_rate == 30.0
