"""`/metrics` (Prometheus' text format) and `/readyz` (503 with the reasons when not ready),
reachable from this machine, or from elsewhere with `Authorization: Bearer METRICS_TOKEN`.
A request that came through a proxy (it says whom it forwards) counts as from elsewhere.
Neither ever raises: a scrape that cannot read says so in its own line."""

from __future__ import annotations

import asyncio
import hmac
import logging

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.metrics import Metrics

log = logging.getLogger(__name__)
LOOPBACK = ("127.0.0.1", "::1", "localhost")
PROXY_HEADERS = ("x-forwarded-for", "forwarded", "x-real-ip")


def operator_routes(metrics: Metrics) -> list[Route]:
    """The two routes, over the process's metrics."""

    def allowed(request: Request) -> Response | None:
        local = request.client is not None and request.client.host in LOOPBACK
        if local and not any(header in request.headers for header in PROXY_HEADERS):
            return None
        token = metrics.settings.metrics_token
        given = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        if token and hmac.compare_digest(given.encode(), token.encode()):
            return None
        return Response(status_code=401 if token else 403)

    async def scrape(request: Request) -> Response:
        refused = allowed(request)
        if refused is not None:
            return refused
        try:
            body = await asyncio.to_thread(generate_latest, metrics.registry)
        except Exception as error:  # whatever the database's state: a line, not a 500
            log.error("a metrics scrape failed: %s", type(error).__name__)
            body = b"# the scrape failed\nsocassist_scrape_failed 1\n"
        return Response(body, media_type=CONTENT_TYPE_LATEST)

    async def ready(request: Request) -> Response:
        refused = allowed(request)
        if refused is not None:
            return refused
        try:
            reasons = await asyncio.to_thread(metrics.readiness)
        except Exception as error:
            reasons = [f"the readiness check failed: {type(error).__name__}"]
        if reasons:
            return JSONResponse({"status": "not ready", "reasons": reasons}, status_code=503)
        return JSONResponse({"status": "ready"})

    return [
        Route("/metrics", scrape, methods=["GET"]),
        Route("/readyz", ready, methods=["GET"]),
    ]
