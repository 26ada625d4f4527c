"""The alert rules in deploy/prometheus: promtool checks them and runs their unit tests; and a
real Prometheus server (Debian's package) scrapes the running assistant and fires
SocassistDeliveriesFailing when the fake Bot API starts refusing messages."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from dialogs.pipeline.engine import Engine
from tests.bot.desk_browser import free_port
from tests.bot.fake_telegram import FakeTelegram
from tests.bot.telegram_harness import running_bot
from tests.conftest import PROJECT

RULES = PROJECT / "deploy" / "prometheus"


def _promtool(*args: str) -> subprocess.CompletedProcess[str]:
    if shutil.which("promtool") is None:
        pytest.fail("promtool is missing (Debian's prometheus package; make test installs it)")
    return subprocess.run(
        ["promtool", *args], cwd=RULES, capture_output=True, text=True, timeout=120, check=False
    )


def test_the_rules_check_and_their_unit_tests_pass() -> None:
    checked = _promtool("check", "rules", "alerts.yml")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "SUCCESS: 5 rules found" in checked.stdout
    tested = _promtool("test", "rules", "alerts.test.yml")
    assert tested.returncode == 0, tested.stdout + tested.stderr


@contextlib.asynccontextmanager
async def _prometheus(tmp_path: Path, target: str) -> AsyncIterator[str]:
    """A Prometheus server scraping `target` every second with the rules (their waiting
    times set to zero: the unit tests cover them); yields its URL."""
    rules = (RULES / "alerts.yml").read_text()
    for wait in ("5m", "1m", "1h"):
        rules = rules.replace(f"for: {wait}", "for: 0s")
    (tmp_path / "alerts.yml").write_text(rules)
    (tmp_path / "prometheus.yml").write_text(
        "global: {scrape_interval: 1s, evaluation_interval: 1s}\n"
        "rule_files: [alerts.yml]\n"
        "scrape_configs:\n"
        f"  - {{job_name: socassist, static_configs: [{{targets: ['{target}']}}]}}\n"
    )
    port = free_port()
    if shutil.which("prometheus") is None:
        pytest.fail("prometheus is missing (Debian's package; make test installs it)")
    server = await asyncio.create_subprocess_exec(
        "prometheus",
        f"--config.file={tmp_path / 'prometheus.yml'}",
        f"--storage.tsdb.path={tmp_path / 'data'}",
        f"--web.listen-address=127.0.0.1:{port}",
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        await server.wait()


async def _firing(http: httpx.AsyncClient, name: str) -> list[dict[str, Any]]:
    with contextlib.suppress(httpx.HTTPError):
        alerts = (await http.get("/api/v1/alerts")).json()["data"]["alerts"]
        return [a for a in alerts if a["labels"]["alertname"] == name and a["state"] == "firing"]
    return []


@pytest.mark.slow
async def test_prometheus_fires_when_the_bot_api_refuses_messages(
    fake: FakeTelegram, engine: Engine, tmp_path: Path
) -> None:
    port = free_port()
    env = {"BOT_OUTBOX_INTERVAL": "0.05", "HTTP_PORT": str(port)}
    async with (
        running_bot(fake, engine, **env),
        _prometheus(tmp_path, f"127.0.0.1:{port}") as url,
        httpx.AsyncClient(base_url=url) as http,
    ):
        await fake.user_says(701, "/start elektrenai_lt")
        await fake.wait_for("sendMessage", 1, within=30)
        for _ in range(300):  # started, scraping, and nothing fires while messages go out
            with contextlib.suppress(httpx.HTTPError):
                targets = (await http.get("/api/v1/targets")).json()["data"]["activeTargets"]
                if targets and targets[0]["health"] == "up":
                    break
            await asyncio.sleep(0.2)
        assert await _firing(http, "SocassistDeliveriesFailing") == []
        # Residents keep writing; every answer is refused, scrape after scrape.
        fake.fail("sendMessage", 502, "Bad Gateway", times=1000)
        fired: list[dict[str, Any]] = []
        for user in range(702, 802):
            await fake.user_says(user, "/start elektrenai_lt")
            fired = await _firing(http, "SocassistDeliveriesFailing")
            if fired:
                break
            await asyncio.sleep(0.3)
        assert fired, "SocassistDeliveriesFailing did not fire"
        assert fired[0]["labels"]["channel"] == "telegram"
        assert fired[0]["labels"]["reason"] == "NetworkError"  # what to look into
        fake.failures.clear()
