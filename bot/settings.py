"""Configuration from environment variables (see README and .env.example)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


class SettingsError(ValueError):
    """A configuration variable has a value that cannot be used."""


@dataclass(frozen=True)
class Settings:
    """Everything the assistant reads from its environment."""

    telegram_token: str | None
    database_path: Path
    content_dir: Path
    locales_dir: Path
    today: date | None
    idle_minutes: int
    log_level: str

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Read and check the variables; raise SettingsError naming the bad one."""
        env = os.environ if env is None else env
        return cls(
            telegram_token=env.get("TELEGRAM_BOT_TOKEN", "").strip() or None,
            database_path=Path(
                env.get("BOT_DATABASE", "") or PROJECT_DIR / "data" / "assistant.sqlite3"
            ),
            content_dir=Path(env.get("BOT_CONTENT_DIR", "") or PROJECT_DIR / "content"),
            locales_dir=PROJECT_DIR / "locales",
            today=_date(env, "BOT_TODAY"),
            idle_minutes=_positive_int(env, "BOT_IDLE_MINUTES", 30),
            log_level=_log_level(env),
        )


def _date(env: Mapping[str, str], name: str) -> date | None:
    value = env.get(name, "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise SettingsError(f"{name}={value!r} is not a date like 2020-03-20") from None


def _positive_int(env: Mapping[str, str], name: str, default: int) -> int:
    value = env.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or int(value) < 1:
        raise SettingsError(f"{name}={value!r} must be a whole number of at least 1")
    return int(value)


def _log_level(env: Mapping[str, str]) -> str:
    value = env.get("BOT_LOG_LEVEL", "").strip().upper() or "WARNING"
    if value not in LOG_LEVELS:
        raise SettingsError(f"BOT_LOG_LEVEL={value!r} must be one of {', '.join(LOG_LEVELS)}")
    return value
