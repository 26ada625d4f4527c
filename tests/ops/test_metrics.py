"""`/metrics` and `/readyz` on the running assistant: residents on Telegram and SMS move the
counters and the database's gauges; no label names a person or what they wrote; only this
machine (or a bearer token) may read them; readiness fails with a reason that names no one
when Telegram refuses messages, and neither route raises whatever the database's state."""

from __future__ import annotations

import asyncio
import sqlite3
from collections import Counter
from pathlib import Path
from types import SimpleNamespace
from typing import cast

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from starlette.applications import Starlette

from bot.metrics import Metrics
from bot.operator_routes import operator_routes
from bot.settings import Settings
from dialogs.pipeline.engine import Engine
from tests.bot.desk_browser import free_port
from tests.bot.fake_telegram import FakeTelegram
from tests.bot.fake_twilio import FakeTwilio
from tests.bot.sms_harness import Phone, twilio_env
from tests.bot.telegram_harness import TelegramUser, running_bot
from tests.bot.test_desk import _file_food_request

SECRETS = ("801", "37060000801", "Duona", "Rungos", "37060000990")  # who, and what they wrote
Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def samples(text: str) -> Samples:
    """Every sample of a scrape, by name and labels."""
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(found: Samples, name: str, **labels: str) -> float:
    """One sample's value (0 if absent)."""
    return found.get((name, tuple(sorted(labels.items()))), 0.0)


def _on(engine: Engine, database: Path) -> Engine:
    """The engine as the metrics see it, over another database file."""
    stub = SimpleNamespace(
        database=SimpleNamespace(path=str(database)), clock=engine.clock, counters=Counter()
    )
    return cast(Engine, stub)


@pytest.mark.slow
async def test_metrics_and_readiness_follow_the_residents_and_the_channels(
    fake: FakeTelegram, twilio: FakeTwilio, engine: Engine
) -> None:
    port = free_port()
    env = {**twilio_env(twilio, port), "BOT_OUTBOX_INTERVAL": "0.05"}
    base = f"http://127.0.0.1:{port}"
    async with running_bot(fake, engine, **env), httpx.AsyncClient(base_url=base) as http:
        assert (await http.get("/readyz")).json() == {"status": "ready"}
        ona = TelegramUser(fake, 801, "lt")
        await _file_food_request(ona)
        phone = Phone(base, "+37060000990")
        await phone.text("Laba diena")
        refused = await phone.post(phone.form("Labas"), signature="forged")
        assert refused.status == 403
        scrape = await http.get("/metrics")
        assert scrape.status_code == 200
        found = samples(scrape.text)
        assert value(found, "socassist_updates_total", channel="telegram", outcome="answered") >= 9
        assert value(found, "socassist_updates_total", channel="sms", outcome="answered") == 1
        assert value(found, "socassist_turn_seconds_count", channel="telegram") >= 9
        open_now = {"municipality": "elektrenai", "queue": "isolation"}
        assert value(found, "socassist_requests_open", status="open", **open_now) == 1
        waited = ("socassist_requests_oldest_waiting_seconds", {**open_now, "urgency": "today"})
        assert value(found, waited[0], **waited[1]) >= 0
        assert value(found, "socassist_sms_segments_sent_total") >= 1
        assert (
            value(found, "socassist_webhook_refusals_total", channel="sms", reason="signature") == 1
        )
        assert value(found, "socassist_database_up") == 1
        for (_, labels), _ in found.items():
            for _, label in labels:
                assert not any(secret in label for secret in SECRETS), label
        # Through a proxy (it says whom it forwards): not for the world without the token.
        forwarded = {"X-Forwarded-For": "203.0.113.7"}
        assert (await http.get("/metrics", headers=forwarded)).status_code == 403
        assert (await http.get("/readyz", headers=forwarded)).status_code == 403
        # Telegram refuses every message: deliveries fail, readiness says so, naming no one.
        fake.fail("sendMessage", 502, "Bad Gateway", times=100)
        for user in (811, 812, 813, 814):
            await fake.user_says(user, "/start elektrenai_lt")
        for _ in range(200):
            ready = await http.get("/readyz")
            if ready.status_code == 503:
                break
            await _pause()
        assert ready.status_code == 503
        (reason,) = ready.json()["reasons"]
        assert reason.startswith("telegram calls are failing")
        assert not any(secret in reason for secret in ("811", "812", "813", "814"))
        failed = samples((await http.get("/metrics")).text)
        assert sum(v for (n, _), v in failed.items() if n == "socassist_deliveries_failed_total")
        fake.failures.clear()


async def _pause() -> None:
    await asyncio.sleep(0.05)


async def test_a_bearer_token_opens_them_from_elsewhere_and_a_broken_database_never_raises(
    tmp_path: Path, engine: Engine
) -> None:
    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(b"this is not a database" * 100)
    settings = Settings.from_env({"BOT_DATABASE": str(broken), "METRICS_TOKEN": "s3cret"})
    app = Starlette(routes=operator_routes(Metrics(_on(engine, broken), settings)))
    elsewhere = httpx.ASGITransport(app, client=("198.51.100.4", 5000))
    async with httpx.AsyncClient(transport=elsewhere, base_url="http://desk.example") as client:
        assert (await client.get("/metrics")).status_code == 401
        wrong = {"Authorization": "Bearer wrong"}
        assert (await client.get("/metrics", headers=wrong)).status_code == 401
        token = {"Authorization": "Bearer s3cret"}
        scrape = await client.get("/metrics", headers=token)
        assert scrape.status_code == 200
        assert value(samples(scrape.text), "socassist_database_up") == 0
        ready = await client.get("/readyz", headers=token)
        assert ready.status_code == 503
        assert ready.json()["reasons"][0].startswith("the database cannot take writes")
    # Migrations pending and a stale outbox: each a reason.
    older = tmp_path / "older.sqlite3"
    with sqlite3.connect(older) as conn:
        conn.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY)")
        conn.execute("INSERT INTO schema_migrations VALUES (1)")
        conn.execute("CREATE TABLE outbox (channel TEXT, status TEXT, next_attempt_at TEXT)")
        conn.execute("INSERT INTO outbox VALUES ('sms', 'pending', '2000-01-01T00:00:00+00:00')")
    settings = Settings.from_env({"BOT_DATABASE": str(older)})
    reasons = Metrics(_on(engine, older), settings).readiness()
    assert reasons[0].startswith("migrations pending: 2, 3")
    assert "the outbox's oldest due message has waited" in reasons[1]
