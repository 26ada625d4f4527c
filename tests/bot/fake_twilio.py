"""A fake Twilio REST API on 127.0.0.1: records the messages the assistant sends."""

from __future__ import annotations

import itertools
from typing import Any

from aiohttp import web


class FakeTwilio:
    """Serves `POST /2010-04-01/Accounts/<sid>/Messages.json` like api.twilio.com."""

    def __init__(self) -> None:
        self.sent: list[dict[str, str]] = []
        self.failures: list[int] = []  # HTTP statuses to answer the next calls with
        self._ids = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self.url = ""

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/2010-04-01/Accounts/{sid}/Messages.json", self._create)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.url = f"http://127.0.0.1:{self._runner.addresses[0][1]}"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def to(self, number: str) -> list[str]:
        """Bodies sent to one number, oldest first."""
        return [m["Body"] for m in self.sent if m["To"] == number]

    async def _create(self, request: web.Request) -> web.Response:
        form = {key: str(value) for key, value in (await request.post()).items()}
        if self.failures:
            status = self.failures.pop(0)
            message = "Too Many Requests" if status == 429 else "Internal error"
            error = {"code": 20000 + status, "message": message, "status": status}
            return web.json_response(error, status=status)
        self.sent.append(form)
        sid = f"SM{next(self._ids):032d}"
        body: dict[str, Any] = {
            "sid": sid,
            "status": "queued",
            "to": form.get("To"),
            "from": form.get("From"),
            "body": form.get("Body"),
            "account_sid": request.match_info["sid"],
        }
        return web.json_response(body, status=201)
