"""The TLS reverse proxy in deploy/Caddyfile: Caddy accepts it, and, served for real in front
of the running assistant (with Caddy's own local certificate instead of a public one), it
passes the webhooks and the staff desk and keeps /metrics and /readyz off the outside."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
from pathlib import Path

import httpx
import pytest

from dialogs.pipeline.engine import Engine
from tests.bot.desk_browser import free_port
from tests.bot.fake_telegram import FakeTelegram
from tests.bot.telegram_harness import running_bot
from tests.conftest import PROJECT

CADDYFILE = PROJECT / "deploy" / "Caddyfile"


def _caddy() -> str:
    found = shutil.which("caddy")
    if found is None:
        pytest.fail("caddy is missing (Debian's package; make test installs it)")
    return found


def test_the_caddyfile_is_valid() -> None:
    checked = subprocess.run(
        [_caddy(), "validate", "--config", str(CADDYFILE), "--adapter", "caddyfile"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr
    assert "Valid configuration" in checked.stdout + checked.stderr


@pytest.mark.slow
async def test_the_proxy_passes_webhooks_and_the_desk_and_hides_the_metrics(
    fake: FakeTelegram, engine: Engine, tmp_path: Path
) -> None:
    bot_port, https_port = free_port(), free_port()
    site = CADDYFILE.read_text().replace("127.0.0.1:8080", f"127.0.0.1:{bot_port}")
    site = site.replace("assistant.example.lt", f"https://localhost:{https_port}")
    config = tmp_path / "Caddyfile"
    config.write_text("{\n\tadmin off\n\tskip_install_trust\n}\n" + site)
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path)}
    webhook = {"TELEGRAM_WEBHOOK_URL": "https://assistant.example.lt"}
    webhook["TELEGRAM_WEBHOOK_SECRET"] = "s3cret"
    async with running_bot(fake, engine, HTTP_PORT=str(bot_port), **webhook):
        caddy = await asyncio.create_subprocess_exec(
            _caddy(),
            "run",
            "--config",
            str(config),
            "--adapter",
            "caddyfile",
            env=env,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )
        try:
            base = f"https://localhost:{https_port}"
            async with httpx.AsyncClient(base_url=base, verify=False) as outside:
                for _ in range(100):
                    try:
                        desk = await outside.get("/desk/")
                        break
                    except httpx.ConnectError:
                        await asyncio.sleep(0.1)
                assert desk.status_code == 401  # the desk's sign-in page, through the proxy
                assert "/desk" in desk.text
                # Telegram's webhook reaches the assistant: its secret is checked there.
                assert (await outside.post("/telegram", json={})).status_code == 403
                update = fake.text_update(9001, "/start elektrenai_lt")
                secret = {"X-Telegram-Bot-Api-Secret-Token": "s3cret"}
                posted = await outside.post("/telegram", json=update, headers=secret)
                assert posted.status_code == 200
                await fake.wait_for("sendMessage", 1, within=30)
                assert (await outside.get("/metrics")).status_code == 404
                assert (await outside.get("/readyz")).status_code == 404
        finally:
            caddy.terminate()
            await caddy.wait()
