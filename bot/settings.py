"""Configuration from environment variables (see README and .env.example)."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    """Where the content and the compiled catalogs are: beside the code in a checkout, else
    under the environment's share/socassist (where the wheel installs them)."""
    if (PROJECT_DIR / "content").is_dir() and (PROJECT_DIR / "locales").is_dir():
        return PROJECT_DIR
    return Path(sys.prefix) / "share" / "socassist"


def default_database(env: Mapping[str, str]) -> Path:
    """systemd's state directory if it gave one; else data/ in a checkout, or in the current
    directory for an installed package."""
    if env.get("STATE_DIRECTORY"):
        return Path(env["STATE_DIRECTORY"].split(":")[0]) / "assistant.sqlite3"
    home = PROJECT_DIR if data_dir() == PROJECT_DIR else Path.cwd()
    return home / "data" / "assistant.sqlite3"


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
    telegram_base_url: str = "https://api.telegram.org"
    telegram_webhook_url: str | None = None
    telegram_webhook_secret: str | None = None
    telegram_chat_rate: float = 1.0
    telegram_overall_rate: float = 30.0
    http_host: str = "127.0.0.1"
    http_port: int = 8080
    reminder_hour: int = 18
    offer_minutes: int = 120
    outbox_interval: float = 5.0
    synchronous: str = "FULL"  # SQLite's: FULL survives a power cut, NORMAL a process kill
    retention_days: int = 90
    backup_dir: Path | None = None  # None: backups/ beside the database
    backup_keep: int = 7  # daily copies kept
    log_format: str = "plain"  # or "json"
    metrics_token: str | None = None  # a bearer token for /metrics and /readyz from elsewhere
    outbox_stale_seconds: int = 300  # /readyz: the oldest due message may wait this long

    def backups(self, database: Path | str | None = None) -> Path:
        """Where the daily and pre-migration copies of `database` (default: BOT_DATABASE's)
        go: BOT_BACKUP_DIR, else backups/ beside it."""
        return self.backup_dir or Path(database or self.database_path).parent / "backups"

    twilio_account_sid: str | None = None
    twilio_auth_token: str | None = None
    twilio_from_number: str | None = None
    twilio_api_base_url: str | None = None
    public_base_url: str | None = None
    sms_path: str = "/sms"
    sms_max_segments: int = 2
    sms_flood_limit: int = 10
    desk_cookie_key: str | None = None  # signs the staff desk's sessions; random if unset

    @property
    def desk_base_url(self) -> str:
        """Where staff open the desk: the public URL if set, else this machine's server."""
        return self.public_base_url or f"http://{self.http_host}:{self.http_port}"

    @property
    def sms_enabled(self) -> bool:
        """True when every Twilio variable is set."""
        return bool(self.twilio_account_sid and self.twilio_auth_token and self.twilio_from_number)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Read and check the variables; raise SettingsError naming the bad one."""
        env = os.environ if env is None else env
        return cls(
            telegram_token=env.get("TELEGRAM_BOT_TOKEN", "").strip() or None,
            database_path=Path(env.get("BOT_DATABASE", "") or default_database(env)),
            content_dir=Path(env.get("BOT_CONTENT_DIR", "") or data_dir() / "content"),
            locales_dir=data_dir() / "locales",
            today=_date(env, "BOT_TODAY"),
            idle_minutes=_positive_int(env, "BOT_IDLE_MINUTES", 30),
            log_level=_log_level(env),
            telegram_base_url=_url(env, "TELEGRAM_BASE_URL") or "https://api.telegram.org",
            telegram_webhook_url=_url(env, "TELEGRAM_WEBHOOK_URL"),
            telegram_webhook_secret=_webhook_secret(env),
            telegram_chat_rate=_positive_float(env, "TELEGRAM_CHAT_RATE", 1.0),
            telegram_overall_rate=_overall_rate(env),
            http_host=env.get("HTTP_HOST", "").strip() or "127.0.0.1",
            http_port=_port(env),
            reminder_hour=_hour(env),
            offer_minutes=_positive_int(env, "BOT_OFFER_MINUTES", 120),
            outbox_interval=_positive_float(env, "BOT_OUTBOX_INTERVAL", 5.0),
            synchronous=_synchronous(env),
            retention_days=_positive_int(env, "BOT_RETENTION_DAYS", 90),
            backup_dir=Path(env["BOT_BACKUP_DIR"]) if env.get("BOT_BACKUP_DIR") else None,
            backup_keep=_positive_int(env, "BOT_BACKUP_KEEP", 7),
            log_format=_choice(env, "BOT_LOG_FORMAT", ("plain", "json")),
            metrics_token=env.get("METRICS_TOKEN", "").strip() or None,
            outbox_stale_seconds=60 * _positive_int(env, "BOT_OUTBOX_STALE_MINUTES", 5),
            twilio_account_sid=env.get("TWILIO_ACCOUNT_SID", "").strip() or None,
            twilio_auth_token=env.get("TWILIO_AUTH_TOKEN", "").strip() or None,
            twilio_from_number=env.get("TWILIO_FROM_NUMBER", "").strip() or None,
            twilio_api_base_url=_url(env, "TWILIO_API_BASE_URL"),
            public_base_url=_public_url(env),
            sms_path="/" + (env.get("SMS_WEBHOOK_PATH", "").strip().strip("/") or "sms"),
            sms_max_segments=_positive_int(env, "SMS_MAX_SEGMENTS", 2),
            sms_flood_limit=_positive_int(env, "SMS_FLOOD_LIMIT", 10),
            desk_cookie_key=env.get("DESK_COOKIE_KEY", "").strip() or None,
        )


def _date(env: Mapping[str, str], name: str) -> date | None:
    value = env.get(name, "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise SettingsError(f"{name}={value!r} is not a date like 2020-03-20") from None


SYNCHRONOUS = ("FULL", "NORMAL")


def _positive_int(env: Mapping[str, str], name: str, default: int) -> int:
    value = env.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or int(value) < 1:
        raise SettingsError(f"{name}={value!r} must be a whole number of at least 1")
    return int(value)


def _choice(env: Mapping[str, str], name: str, allowed: tuple[str, ...]) -> str:
    """One of `allowed` (the first when unset)."""
    value = env.get(name, "").strip().lower() or allowed[0]
    if value not in allowed:
        raise SettingsError(f"{name}={value!r} must be one of {', '.join(allowed)}")
    return value


def _synchronous(env: Mapping[str, str]) -> str:
    value = env.get("BOT_SYNCHRONOUS", "").strip().upper() or "FULL"
    if value not in SYNCHRONOUS:
        raise SettingsError(f"BOT_SYNCHRONOUS={value!r} must be FULL or NORMAL")
    return value


def _log_level(env: Mapping[str, str]) -> str:
    value = env.get("BOT_LOG_LEVEL", "").strip().upper() or "WARNING"
    if value not in LOG_LEVELS:
        raise SettingsError(f"BOT_LOG_LEVEL={value!r} must be one of {', '.join(LOG_LEVELS)}")
    return value


def _url(env: Mapping[str, str], name: str) -> str | None:
    value = env.get(name, "").strip().rstrip("/")
    if value and not value.startswith(("http://", "https://")):
        raise SettingsError(f"{name}={value!r} must start with http:// or https://")
    return value or None


def _webhook_secret(env: Mapping[str, str]) -> str | None:
    value = env.get("TELEGRAM_WEBHOOK_SECRET", "").strip()
    if env.get("TELEGRAM_WEBHOOK_URL", "").strip() and not value:
        raise SettingsError("TELEGRAM_WEBHOOK_URL needs TELEGRAM_WEBHOOK_SECRET as well")
    if value and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", value):
        raise SettingsError("TELEGRAM_WEBHOOK_SECRET may hold only A-Z, a-z, 0-9, _ and - (1-256)")
    return value or None


def _positive_float(env: Mapping[str, str], name: str, default: float) -> float:
    value = env.get(name, "").strip()
    if not value:
        return default
    try:
        number = float(value)
    except ValueError:
        number = 0.0
    if not number > 0:
        raise SettingsError(f"{name}={value!r} must be a number above 0")
    return number


def _overall_rate(env: Mapping[str, str]) -> float:
    """Messages per second to all chats; 0 turns PTB's overall limit off (paid broadcasts)."""
    value = env.get("TELEGRAM_OVERALL_RATE", "").strip()
    if value in ("0", "0.0"):
        return 0.0
    return _positive_float(env, "TELEGRAM_OVERALL_RATE", 30.0)


def _port(env: Mapping[str, str]) -> int:
    value = env.get("HTTP_PORT", "").strip()
    if not value:
        return 8080
    if not value.isdigit() or not 1 <= int(value) <= 65535:
        raise SettingsError(f"HTTP_PORT={value!r} must be a port number (1-65535)")
    return int(value)


def _hour(env: Mapping[str, str]) -> int:
    value = env.get("BOT_REMINDER_HOUR", "").strip()
    if not value:
        return 18
    if not value.isdigit() or int(value) > 23:
        raise SettingsError(f"BOT_REMINDER_HOUR={value!r} must be an hour from 0 to 23")
    return int(value)


def _public_url(env: Mapping[str, str]) -> str | None:
    url = _url(env, "PUBLIC_BASE_URL")
    if url is None and env.get("TWILIO_AUTH_TOKEN", "").strip():
        raise SettingsError(
            "TWILIO_AUTH_TOKEN needs PUBLIC_BASE_URL (signatures are checked on it)"
        )
    return url
