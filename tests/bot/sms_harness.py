"""Runs the real process's channels with SMS configured, and a phone that signs like Twilio."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import socket
import xml.etree.ElementTree as ElementTree
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp
from twilio.request_validator import RequestValidator

from bot.runner import run_channels
from bot.settings import Settings
from dialogs.pipeline.engine import Engine
from tests.bot.fake_twilio import FakeTwilio

AUTH_TOKEN = "test-auth-token"
PUBLIC = "https://assistant.example.lt"
_sids = itertools.count(1)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def twilio_env(twilio: FakeTwilio, port: int) -> dict[str, str]:
    """The variables that switch SMS on, against the fake Twilio, served on `port`."""
    return {
        "TWILIO_ACCOUNT_SID": "AC" + "0" * 32,
        "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "TWILIO_FROM_NUMBER": "+37000000001",
        "TWILIO_API_BASE_URL": twilio.url,
        "PUBLIC_BASE_URL": PUBLIC,
        "HTTP_PORT": str(port),
    }


@asynccontextmanager
async def running_sms(twilio: FakeTwilio, engine: Engine, **env: str) -> AsyncIterator[str]:
    """The process's channels with Twilio set; yields the local base URL of the web app."""
    port = free_port()
    settings = Settings.from_env({**twilio_env(twilio, port), "BOT_OUTBOX_INTERVAL": "0.05", **env})
    stop = asyncio.Event()
    task = asyncio.create_task(run_channels(settings, engine, stop))
    base = f"http://127.0.0.1:{port}"
    async with aiohttp.ClientSession() as http:
        for _ in range(100):
            with contextlib.suppress(aiohttp.ClientConnectionError):
                async with http.get(f"{base}/healthz"):
                    break
            await asyncio.sleep(0.05)
    try:
        yield base
    finally:
        stop.set()
        await asyncio.wait_for(task, 30)


class Phone:
    """A basic phone texting the assistant through Twilio's signed webhook."""

    def __init__(self, base: str, number: str) -> None:
        self.base, self.number = base, number

    async def post(
        self, form: dict[str, str], signature: str | None, url: str | None = None
    ) -> aiohttp.ClientResponse:
        headers = {} if signature is None else {"X-Twilio-Signature": signature}
        async with (
            aiohttp.ClientSession() as http,
            http.post(url or f"{self.base}/sms", data=form, headers=headers) as response,
        ):
            await response.read()
            return response

    def form(self, body: str, sid: str | None = None) -> dict[str, str]:
        return {
            "MessageSid": sid or f"SM{next(_sids):032d}",
            "From": self.number,
            "To": "+37000000001",
            "Body": body,
        }

    async def text(self, body: str, sid: str | None = None, **extra: str) -> list[str]:
        """Send an SMS; return the answer's messages (TwiML)."""
        form = {**self.form(body, sid), **extra}
        signature = RequestValidator(AUTH_TOKEN).compute_signature(f"{PUBLIC}/sms", form)
        async with (
            aiohttp.ClientSession() as http,
            http.post(
                f"{self.base}/sms", data=form, headers={"X-Twilio-Signature": signature}
            ) as response,
        ):
            assert response.status == 200, response.status
            xml = await response.text()
        return [element.text or "" for element in ElementTree.fromstring(xml).iter("Message")]
